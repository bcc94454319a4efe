import { beforeAll, describe, expect, it } from 'vitest';
import { kdeLogDensities } from '../../../src/main/generate/job';
import { initBackend } from '../../../src/main/ml/backend';
import { kdeLogDensity } from '../../../src/shared/ml/latent';
import { normalGenerator } from '../../../src/shared/ml/linalg';
import { seededRandom } from '../../../src/shared/ml/random';

beforeAll(async () => {
  await initBackend();
});

describe('tensor KDE of the generate job', () => {
  it('matches the plain KDE, for new points and leave-one-out, in as many dimensions as the models use', () => {
    const normal = normalGenerator(seededRandom(2));
    const d = 32;
    const n = 300;
    const m = 2300; // more than two blocks
    const refs = Float32Array.from({ length: n * d }, normal);
    const queries = Float32Array.from({ length: m * d }, () => 1.3 * normal());
    const h = 0.7;
    const fast = kdeLogDensities(queries, m, refs, n, d, h, false);
    const plain = kdeLogDensity(Float64Array.from(queries), m, Float64Array.from(refs), n, d, h, false);
    for (let i = 0; i < m; i += 37) expect(fast[i]).toBeCloseTo(plain[i]!, 2);
    const fastLoo = kdeLogDensities(refs, n, refs, n, d, h, true);
    const plainLoo = kdeLogDensity(Float64Array.from(refs), n, Float64Array.from(refs), n, d, h, true);
    for (let i = 0; i < n; i += 7) expect(fastLoo[i]).toBeCloseTo(plainLoo[i]!, 2);
  });
});
