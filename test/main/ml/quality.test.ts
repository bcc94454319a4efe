import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/ml/backend';
import { presetConfig } from '../../../src/main/ml/config';
import { evaluateModel, type ModelMetrics } from '../../../src/main/ml/evaluate';
import { fitListPredictor } from '../../../src/main/ml/list-predictor';
import { trainJointVae } from '../../../src/main/ml/train';
import { trainingData } from '../../bench-support/cross-validate';
import { sephoraCsvPath } from '../../data';
import { openTestService, type OpenedTestService } from '../../helpers';

/**
 * Quality regression floors of the model the app trains by default (quick preset, imported +
 * knowledge-based targets), on sephora_cosmetics.csv with a fixed seed and one fold of the
 * benchmark's five-fold cross-validation (the bench prints all five). Floors sit just under the
 * figures this seed reaches on the wasm backend, so a change that quietly lowers quality fails.
 */
let opened: OpenedTestService;
let metrics: ModelMetrics;

beforeAll(async () => {
  opened = await openTestService();
  await opened.service.importCatalog({ path: sephoraCsvPath() });
  expect((await initBackend()).name).toBe('wasm');
  const config = presetConfig('quick', { seed: 1, crossValidation: { folds: 5, fold: 0 } });
  const trained = await trainJointVae(trainingData(opened.service.db), config);
  try {
    const listPredictor = await fitListPredictor(trained.prepared, { seed: config.seed });
    metrics = (await evaluateModel(trained.model, trained.prepared, config, listPredictor)).metrics;
  } finally {
    trained.model.dispose();
  }
}, 300_000);

afterAll(async () => opened?.close());

describe('model quality on sephora_cosmetics.csv (quick preset, seed 1, fold 1 of 5)', () => {
  it('decodes valid lists only', () => {
    expect(metrics.heldOut.validShare).toBe(1);
    expect(metrics.train.validShare).toBe(1);
  });

  it('orders held-out lists at least as well as today', () => {
    expect(metrics.heldOut.kendallTau!).toBeGreaterThanOrEqual(FLOORS.tau);
    expect(metrics.heldOut.kendallTau!).toBeGreaterThan(metrics.heldOut.kendallTauPriorOrder! + 0.04);
    expect(metrics.heldOut.kendallTauAboveLine!).toBeGreaterThanOrEqual(FLOORS.tauAbove);
  });

  it('recovers held-out ingredient sets at least as well as today', () => {
    expect(metrics.heldOut.jaccard).toBeGreaterThanOrEqual(FLOORS.jaccard);
  });

  it('decodes held-out lists at least as long as today', () => {
    expect(metrics.heldOut.meanDecodedLength / metrics.heldOut.meanTrueLength).toBeGreaterThanOrEqual(FLOORS.lengthRatio);
  });

  it('predicts skin types at least as well as today, and states honest 80 % intervals', () => {
    const b = metrics.benefitPredictor!;
    expect(b.combinedMeanFlagAuc!).toBeGreaterThanOrEqual(FLOORS.flagAuc);
    expect(b.intervalCoverage!).toBeGreaterThanOrEqual(0.75);
    expect(b.intervalCoverage!).toBeLessThanOrEqual(0.88);
  });
});

/**
 * Just under what this seed reaches on this fold (held-out τ 0.625, above the 1 % line 0.584,
 * Jaccard 0.351, length 33.7 of 34.1, combined skin-flag AUC 0.782, interval coverage 0.822);
 * `npm run bench model` prints all five folds.
 */
const FLOORS = { tau: 0.61, tauAbove: 0.55, jaccard: 0.33, lengthRatio: 0.95, flagAuc: 0.76 };
