import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeHost, nodeChildChannel } from '../../../src/main/compute/host';
import { presetConfig } from '../../../src/main/ml/config';
import { tempDir } from '../../helpers';
import { syntheticTrainingData } from '../ml/fixtures';

/**
 * The compute process as the app ships it: the bundled out/main/compute-worker.js (plain Node
 * ES module, no tsx) and its helper thread. `npm test` builds before it runs the tests.
 */
const entry = resolve('out/main/compute-worker.js');
let dir: string;
let cleanup: () => void;
const host = new ComputeHost(() => nodeChildChannel(entry));

beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(async () => {
  await host.close();
  cleanup();
});

describe.runIf(existsSync(entry))('built compute process', () => {
  it('starts, trains (gradients registered in the bundle) and shares a KDE with its helper thread', async () => {
    const backend = await host.start();
    expect(backend.name).toBe('wasm');
    expect(backend).toMatchObject({ threads: 2, helperProblem: null });
    const config = presetConfig('quick', { hidden: 16, latentDim: 4, headHidden: 4, maxEpochs: 2, batchSize: 16, seed: 1 });
    const trained = await host.run({ kind: 'train', data: syntheticTrainingData(40), config, preset: 'quick', modelsDir: dir, folder: 'm' });
    expect(trained.metrics.train.validShare).toBe(1);
    expect(existsSync(join(dir, 'm', 'manifest.json'))).toBe(true);
    // Two identical reference points at the origin, unit bandwidth, 1-D: log N(x; 0, 1) per query.
    const kde = await host.run({ kind: 'kde', references: new Float32Array([0, 0]), queries: new Float32Array([0, 1, 2]), dims: 1, bandwidth: 1 });
    const logNormal = (x: number) => -0.5 * x * x - 0.5 * Math.log(2 * Math.PI);
    Array.from(kde.logDensity).forEach((v, i) => expect(v).toBeCloseTo(logNormal(i), 5));
  });
});
