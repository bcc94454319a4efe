import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedWork } from '../../../src/main/compute/shared-work';
import { catalogLogDensities, kdeLogDensities, kdeReferenceRows } from '../../../src/main/generate/job';
import { initBackend } from '../../../src/main/ml/backend';
import { KDE_MAX_REFERENCES, kdeLogDensity } from '../../../src/shared/ml/latent';
import { normalGenerator } from '../../../src/shared/ml/linalg';
import { seededRandom } from '../../../src/shared/ml/random';

const withHelper = new SharedWork();
const alone = new SharedWork(null);

beforeAll(async () => {
  await initBackend();
});

afterAll(async () => {
  await withHelper.close();
});

describe('tensor KDE of the generate job', () => {
  it('matches the plain KDE, for new points and leave-one-out, in as many dimensions as the models use', async () => {
    const normal = normalGenerator(seededRandom(2));
    const d = 32;
    const n = 300;
    const m = 2300; // more than two blocks
    const refs = Float32Array.from({ length: n * d }, normal);
    const queries = Float32Array.from({ length: m * d }, () => 1.3 * normal());
    const h = 0.7;
    const plain = kdeLogDensity(Float64Array.from(queries), m, Float64Array.from(refs), n, d, h, false);
    const plainLoo = kdeLogDensity(Float64Array.from(refs), n, Float64Array.from(refs), n, d, h, true);
    for (const work of [alone, withHelper]) {
      const fast = await kdeLogDensities(queries, m, refs, n, d, h, false, work);
      for (let i = 0; i < m; i += 37) expect(fast[i]).toBeCloseTo(plain[i]!, 2);
      const fastLoo = await kdeLogDensities(refs, n, refs, n, d, h, true, work);
      for (let i = 0; i < n; i += 7) expect(fastLoo[i]).toBeCloseTo(plainLoo[i]!, 2);
    }
  });

  it('gives the same densities with and without the helper thread', async () => {
    const normal = normalGenerator(seededRandom(3));
    const d = 16;
    const n = 500;
    const m = 5000;
    const refs = Float32Array.from({ length: n * d }, normal);
    const queries = Float32Array.from({ length: m * d }, normal);
    const a = await kdeLogDensities(queries, m, refs, n, d, 0.6, false, alone);
    const b = await kdeLogDensities(queries, m, refs, n, d, 0.6, false, withHelper);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('carries a large catalog on a seeded subset of kernels: members leave themselves out, the rest are scored against all of them', async () => {
    expect(kdeReferenceRows(KDE_MAX_REFERENCES)).toBeNull();
    const n = KDE_MAX_REFERENCES + 1500;
    const rows = kdeReferenceRows(n)!;
    expect(rows).toHaveLength(KDE_MAX_REFERENCES);
    expect(Array.from(rows)).toEqual(Array.from(kdeReferenceRows(n)!)); // seeded
    expect(new Set(rows).size).toBe(KDE_MAX_REFERENCES);
    expect(rows.every((r, i) => r >= 0 && r < n && (i === 0 || r > rows[i - 1]!))).toBe(true);
    const normal = normalGenerator(seededRandom(4));
    const d = 4;
    const h = 0.4;
    const white = Float32Array.from({ length: n * d }, normal);
    const { density, referenceCount } = await catalogLogDensities(white, n, d, h, alone);
    expect(referenceCount).toBe(KDE_MAX_REFERENCES);
    const refs = Float64Array.from(Array.from(rows).flatMap((r) => Array.from(white.subarray(r * d, (r + 1) * d))));
    const chosen = new Set(rows);
    const member = rows[17]!;
    const outsider = Array.from({ length: n }, (_, i) => i).find((i) => !chosen.has(i))!;
    const plainMember = kdeLogDensity(refs, KDE_MAX_REFERENCES, refs, KDE_MAX_REFERENCES, d, h, true)[17]!;
    const plainOutsider = kdeLogDensity(Float64Array.from(white.subarray(outsider * d, (outsider + 1) * d)), 1, refs, KDE_MAX_REFERENCES, d, h, false)[0]!;
    expect(density[member]).toBeCloseTo(plainMember, 2);
    expect(density[outsider]).toBeCloseTo(plainOutsider, 2);
  }, 60_000);
});

describe('category margins of the generate job', () => {
  it('equal each sample\'s log-odds for the target over the closest other category, computed one sample at a time', async () => {
    const { categoryMargins } = await import('../../../src/main/generate/job');
    const { latentStatistics, regionNormal, whitenedRegion } = await import('../../../src/shared/ml/latent');
    const normal = normalGenerator(seededRandom(5));
    const d = 6;
    const n = 2500; // more than two blocks
    const catalog = Float32Array.from({ length: 600 * d }, normal);
    for (let i = 0; i < 600; i++) catalog[i * d] = catalog[i * d]! + (i % 3) * 2; // three clusters along the first axis
    const stats = latentStatistics(catalog, 600, d);
    const regions = [0, 1, 2].map((k) => whitenedRegion(regionNormal(catalog, Array.from({ length: 200 }, (_, j) => j * 3 + k), stats), stats));
    const logPriors = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
    const white = Float32Array.from({ length: n * d }, () => 1.5 * normal());
    const margins = categoryMargins(white, n, d, regions, logPriors, 1);
    // The direct way: forward substitution per sample and region.
    const score = (i: number, c: number) => {
      const { offset, transform: a } = regions[c]!;
      const z = new Float64Array(d);
      let q = 0;
      let logDet = 0;
      for (let r = 0; r < d; r++) {
        let v = white[i * d + r]! - offset[r]!;
        for (let k = 0; k < r; k++) v -= a[r * d + k]! * z[k]!;
        z[r] = v / a[r * d + r]!;
        q += z[r]! * z[r]!;
        logDet += Math.log(a[r * d + r]!);
      }
      return -0.5 * q - logDet + logPriors[c]!;
    };
    for (let i = 0; i < n; i += 7) expect(margins[i]).toBeCloseTo(score(i, 1) - Math.max(score(i, 0), score(i, 2)), 2);
    // Samples drawn from the target's own normal are mostly its.
    const own = regions[1]!;
    const drawn = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const e = Array.from({ length: d }, normal);
      for (let r = 0; r < d; r++) drawn[i * d + r] = own.offset[r]! + e.slice(0, r + 1).reduce((s, v, k) => s + own.transform[r * d + k]! * v, 0);
    }
    const drawnMargins = categoryMargins(drawn, n, d, regions, logPriors, 1);
    expect(drawnMargins.filter((m) => m > 0).length).toBeGreaterThan(0.6 * n);
  });
});
