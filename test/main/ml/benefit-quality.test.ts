import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetConfig } from '../../../src/main/ml/config';
import type { TrainingData } from '../../../src/main/ml/dataset';
import { evaluateBenefitPredictor } from '../../../src/main/ml/evaluate-benefits';
import { fitListPredictor } from '../../../src/main/ml/list-predictor';
import { prepareData } from '../../../src/main/ml/train';
import { logisticRegressionFolds, spread, trainingData } from '../../bench-support/cross-validate';
import { sephoraCsvPath } from '../../data';
import { openTestService, type OpenedTestService } from '../../helpers';

/**
 * Quality floor of the list predictor the app scores benefits with, on sephora_cosmetics.csv with
 * the default targets (imported + knowledge-based) and the quick preset's split: 5-fold
 * cross-validation, fixed seed. Floors sit just under the measured figures (docs/model-design.md:
 * flag AUC 0.753 ± 0.024 against logistic regression's 0.715 ± 0.014, score interval coverage
 * 0.814 ± 0.012), so a change that quietly lowers quality fails. The latent heads' share of the
 * combination needs a VAE per fold and is measured by `npm run bench model` instead.
 */

const FOLDS = 5;
let opened: OpenedTestService;
let data: TrainingData;

beforeAll(async () => {
  opened = await openTestService();
  await opened.service.importCatalog({ path: sephoraCsvPath() });
  data = trainingData(opened.service.db);
}, 120_000);
afterAll(async () => opened?.close());

describe('benefit predictor quality on sephora_cosmetics.csv (5 folds, quick split, seed 1)', () => {
  it('beats logistic regression on the bag of ingredients and states honest 80 % intervals', async () => {
    const aucs: (number | null)[] = [];
    const coverage: (number | null)[] = [];
    for (let fold = 0; fold < FOLDS; fold++) {
      const prepared = prepareData(data, presetConfig('quick', { seed: 1, crossValidation: { folds: FOLDS, fold } }));
      const predictor = await fitListPredictor(prepared, { seed: 1 });
      // List predictor alone: no head (weight 0), so the figures do not depend on a VAE.
      const noHead = new Float32Array(prepared.heldOutRows.length * prepared.benefits.length);
      const summary = evaluateBenefitPredictor(prepared, predictor, prepared.heldOutRows, noHead, 0);
      aucs.push(summary.listMeanFlagAuc);
      coverage.push(summary.intervalCoverage);
    }
    const auc = spread(aucs)!;
    const baseline = spread(logisticRegressionFolds(data, { folds: FOLDS }).map((f) => f.meanAuc))!;
    const covered = spread(coverage)!;
    expect(auc.mean).toBeGreaterThan(0.745);
    expect(auc.mean).toBeGreaterThan(baseline.mean + 0.025);
    expect(covered.mean).toBeGreaterThan(0.78);
    expect(covered.mean).toBeLessThan(0.85);
  }, 240_000);
});
