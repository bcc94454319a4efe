import { initBackend } from '../../src/main/ml/backend';
import { presetConfig, type ModelConfig, type Preset } from '../../src/main/ml/config';
import { loadTrainingData, type DatasetOptions, type TrainingData } from '../../src/main/ml/dataset';
import { evaluateModel, type ModelMetrics } from '../../src/main/ml/evaluate';
import { refreshKnowledgeScores } from '../../src/main/ml/knowledge-scores';
import { fitListPredictor } from '../../src/main/ml/list-predictor';
import { prepareData, trainJointVae } from '../../src/main/ml/train';
import { meanOf, rocAuc } from '../../src/shared/ml/metrics';
import type { FormulatorService } from '../../src/main/services/formulator-service';

/**
 * K-fold cross-validation of the model as the app trains it (same code, same backend as the
 * compute process, run in this process): the seeded shuffle is cut into `folds` parts and each
 * is held out once (`crossValidation` in ModelConfig). With ~190 held-out products a single
 * split's AUC has a standard error near 0.035; the mean over five folds decides designs.
 */

export interface FoldResult {
  fold: number;
  /** The VAE's training time, and the list predictor's fit after it (the train job runs both). */
  trainMs: number;
  listPredictorMs: number;
  epochs: number;
  metrics: ModelMetrics;
}

/** Mean and sample standard deviation of per-fold figures (nulls left out). */
export interface Spread {
  mean: number;
  sd: number;
  n: number;
}

export function spread(values: readonly (number | null | undefined)[]): Spread | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, n: xs.length };
}

/** "0.734 ± 0.021" (mean ± sd over folds). */
export function formatSpread(s: Spread | null, digits = 3): string {
  return s ? `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)}` : '—';
}

/**
 * The catalog's training data as the app loads it by default (imported + knowledge-based targets
 * unless told). The knowledge-based scores are refreshed first, as training in the app does:
 * an import alone does not write them, and without them the targets would be the imported ones only.
 */
export function trainingData(db: FormulatorService['db'], options: DatasetOptions = {}): TrainingData {
  refreshKnowledgeScores(db);
  return loadTrainingData(db, options);
}

/** Trains (the VAE, then the list predictor, as the train job does) and evaluates one model per fold, in turn (each model disposed before the next). */
export async function crossValidateModel(
  data: TrainingData,
  preset: Preset,
  options: { folds?: number; seed?: number; overrides?: Partial<ModelConfig>; onFold?: (r: FoldResult) => void } = {},
): Promise<FoldResult[]> {
  await initBackend();
  const folds = options.folds ?? 5;
  const out: FoldResult[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const config = presetConfig(preset, { seed: options.seed ?? 1, ...options.overrides, crossValidation: { folds, fold } });
    const trained = await trainJointVae(data, config);
    try {
      const started = performance.now();
      const listPredictor = await fitListPredictor(trained.prepared, { seed: config.seed });
      const listPredictorMs = performance.now() - started;
      const { metrics } = await evaluateModel(trained.model, trained.prepared, config, listPredictor);
      const result = { fold, trainMs: trained.trainMs, listPredictorMs, epochs: trained.epochsRun, metrics };
      options.onFold?.(result);
      out.push(result);
    } finally {
      trained.model.dispose();
    }
  }
  return out;
}

/**
 * The reference predictor: L2-regularised logistic regression on the bag of ingredients
 * (the model's vocabulary, rare ingredients in their buckets), full-batch gradient descent, per
 * skin-type flag, on exactly the folds of {@link crossValidateModel}. Returns the mean flag AUC
 * of each fold.
 */
export function logisticRegressionFolds(data: TrainingData, options: { folds?: number; seed?: number; l2?: number } = {}): { meanAuc: number | null; perFlag: Record<string, number | null> }[] {
  const folds = options.folds ?? 5;
  const out: { meanAuc: number | null; perFlag: Record<string, number | null> }[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const p = prepareData(data, presetConfig('quick', { seed: options.seed ?? 1, crossValidation: { folds, fold } }));
    const V = p.index.size;
    const B = p.benefits.length;
    const perFlag: Record<string, number | null> = {};
    p.benefits.forEach((spec, b) => {
      if (spec.kind !== 'flag') return;
      const rows = p.trainRows.filter((r) => p.mask[r * B + b]);
      const w = new Float64Array(V);
      let bias = 0;
      const lr = 0.5;
      const l2 = options.l2 ?? 1e-3;
      for (let it = 0; it < 400; it++) {
        const grad = new Float64Array(V);
        let gBias = 0;
        for (const r of rows) {
          let z = bias;
          for (const t of p.lists[r]!) z += w[t]!;
          const err = 1 / (1 + Math.exp(-z)) - p.targets[r * B + b]!;
          gBias += err;
          for (const t of p.lists[r]!) grad[t]! += err;
        }
        for (let v = 0; v < V; v++) w[v]! -= lr * (grad[v]! / rows.length + l2 * w[v]!);
        bias -= (lr * gBias) / rows.length;
      }
      const held = p.heldOutRows.filter((r) => p.mask[r * B + b]);
      perFlag[spec.name] = rocAuc(held.map((r) => p.lists[r]!.reduce((z, t) => z + w[t]!, bias)), held.map((r) => p.targets[r * B + b]!));
    });
    out.push({ meanAuc: meanOf(Object.values(perFlag)), perFlag });
  }
  return out;
}
