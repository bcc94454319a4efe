import type { IngredientFacts } from '../../shared/ml/checks';
import type { GenerateOutcome, GenerateParams } from '../generate/job';
import type { BackendInfo } from '../ml/backend';
import type { ModelConfig } from '../ml/config';
import type { TrainingData } from '../ml/dataset';
import type { ModelMetrics } from '../ml/evaluate';
import type { TrainProgress } from '../ml/train';
import type { ResolvedTerm } from '../../shared/ml/objective';
import type { ManifoldGuard, StopReason } from '../optimize/gradient';
import type { CatalogContextSpec, CheckThresholds } from '../generate/kernels';

/**
 * Messages between the app (host) and the long-lived compute process (worker). Every job
 * carries an id; the worker answers with progress events and exactly one of done / failed /
 * cancelled.
 */

export interface TrainJob {
  kind: 'train';
  data: TrainingData;
  config: ModelConfig;
  preset: string;
  modelsDir: string;
  folder: string;
}

export interface EncodeJob {
  kind: 'encode';
  modelPath: string;
  manifestSha256: string;
  /** Ingredient-id lists, each in declaration order. */
  lists: number[][];
}

export interface DecodeJob {
  kind: 'decode';
  modelPath: string;
  manifestSha256: string;
  codes: number[][];
}

/** Benefit predictions of the heads for latent codes. */
export interface PredictJob {
  kind: 'predict';
  modelPath: string;
  manifestSha256: string;
  codes: number[][];
}

/**
 * Seed 000's sensitivity analysis: for each latent dimension, resample it (from N(0, 1) and from
 * its empirical distribution over the catalog) in `baseCount` catalog codes, `resamples` times
 * each, and count the ingredients that change in the decoded list.
 */
export interface SensitivityJob {
  kind: 'sensitivity';
  modelPath: string;
  manifestSha256: string;
  /** Catalog codes, n × latentDim row-major. */
  catalogCodes: Float32Array;
  latentDim: number;
  baseCount: number;
  resamples: number;
  seed: number;
}

/** The generate-and-filter job (see src/main/generate/job.ts). */
export interface GenerateJob {
  kind: 'generate';
  modelPath: string;
  manifestSha256: string;
  catalogCodes: Float32Array;
  latentDim: number;
  /** Ingredient-id lists of the same products, in the same order. */
  catalogLists: number[][];
  /** Knowledge-base facts by ingredient id. */
  facts: [number, IngredientFacts][];
  /** Ingredient-id groups not to combine, with the reason. */
  incompatible: { a: number[]; b: number[]; reason: string }[];
  params: GenerateParams;
}

/**
 * Whitespace between supported products: midpoints between well-supported catalog products
 * (above the 25th density percentile) and their nearest neighbours where the density dips below
 * both ends; the deepest dips are decoded.
 */
export interface GapsJob {
  kind: 'gaps';
  modelPath: string;
  manifestSha256: string;
  catalogCodes: Float32Array;
  latentDim: number;
  neighbours: number;
  count: number;
}

export interface GapsResult {
  gaps: { rowA: number; rowB: number; midpointLogDensity: number; endpointLogDensity: [number, number]; depth: number; code: number[]; ingredientIds: number[]; benefits: Record<string, number> }[];
  midpointsScored: number;
}

/** Gaussian KDE log densities of whitened queries against whitened references. */
export interface KdeJob {
  kind: 'kde';
  /** Null: the references themselves, leave-one-out. */
  queries: Float32Array | null;
  references: Float32Array;
  dims: number;
  bandwidth: number;
}

export interface KdeResult {
  logDensity: Float32Array;
}

/** A seeded UMAP projection of codes to 2-D. */
export interface UmapJob {
  kind: 'umap';
  codes: Float32Array;
  latentDim: number;
  seed: number;
  neighbours: number;
  minDistance: number;
  /**
   * Further codes (m × latentDim) to place on the fitted map with UMAP's transform: generated
   * candidates, an interpolation path. The fit of the same codes and parameters is reused.
   */
  place?: Float32Array;
}

export interface UmapResult {
  /** n × 2, row-major. */
  points: Float32Array;
  /** m × 2, row-major: the `place` codes on the map. */
  placed?: Float32Array;
}

/**
 * The editor's live scoring in one round trip: each list's latent mean and the benefit heads'
 * predictions for it.
 */
export interface ScoreListsJob {
  kind: 'score-lists';
  modelPath: string;
  manifestSha256: string;
  /** Ingredient-id lists, each in declaration order. */
  lists: number[][];
}

export interface ScoreListsResult extends EncodeResult {
  /** Per list: benefit name → predicted value (as PredictResult). */
  benefits: Record<string, number>[];
}

/**
 * Gradient optimisation in the latent space from `rows` starts (one restart each), with the
 * objective's terms already resolved against the catalog (src/shared/ml/objective.ts).
 */
export interface OptimizeJob {
  kind: 'optimize';
  modelPath: string;
  manifestSha256: string;
  /** rows × latentDim, row-major. */
  starts: Float32Array;
  rows: number;
  terms: ResolvedTerm[];
  priorWeight: number;
  cycleWeight: number;
  lengthRange: [number, number] | null;
  /** The generate job's checks: a projected code whose list passes them (targets met, met again when encoded again) is preferred. */
  checks: { spec: CatalogContextSpec; thresholds: CheckThresholds };
  guard: ManifoldGuard | null;
  /** Catalog codes (n × latentDim), for the final codes' distance to the nearest one. */
  catalogCodes: Float32Array;
  maxSteps: number;
  learningRate: number;
  tolerance: number;
  patience: number;
  gradientTolerance: number;
  /** Codes are projected (decoded, encoded again) and recorded every this many steps. */
  projectEvery: number;
  patienceProjections: number;
}

/** Each restart's recorded path (decoded and predicted), and its final list encoded again. */
export interface OptimizeResult {
  restarts: {
    steps: number;
    stopReason: StopReason;
    path: { step: number; code: number[]; objective: number; benefits: Record<string, number>; ingredientIds: number[] }[];
    /** The benefits predicted for the final decoded list, encoded again (consistency). */
    reencodedBenefits: Record<string, number>;
    /** The final code's distance to the nearest catalog code. */
    nearestDistance: number;
  }[];
}

/**
 * Bayesian optimisation's batch proposal (src/main/optimize/bayes.ts): the measured lists are
 * encoded, a GP fitted to their values (maximised: the service negates values to minimise),
 * and `batch` new lists proposed by expected improvement with the prior penalty.
 */
export interface ProposeJob {
  kind: 'propose';
  modelPath: string;
  manifestSha256: string;
  /** Catalog codes (n × latentDim): the search's normal and the inputs' standardisation. */
  catalogCodes: Float32Array;
  measuredLists: number[][];
  values: number[];
  batch: number;
  priorWeight: number;
  xi: number;
  seed: number;
  /** The generate job's checks: only lists that pass them are candidates (unless none does). */
  checks: { spec: CatalogContextSpec; thresholds: CheckThresholds };
}

export interface ProposeResult {
  gp: { lengthScale: number; signalVariance: number; noiseVariance: number; logMarginalLikelihood: number };
  proposals: {
    code: number[];
    ingredientIds: number[];
    /** In the values' units (maximised direction). */
    expectedImprovement: number;
    mean: number;
    sd: number;
    acquisition: number;
    /** The benefit heads at the list's code. */
    benefits: Record<string, number>;
  }[];
  /** The candidate set: codes decoded, distinct new lists among them, and those that passed the checks. */
  pool: { codes: number; distinctNew: number; passed: number; usedUnchecked: boolean };
  fitMs: number;
  searchMs: number;
}

/** For tests of crash handling: the worker throws, aborts or runs out of memory on purpose. */
export interface FaultJob {
  kind: 'fault';
  /** `abort` ends the process with SIGABRT; `oom` allocates until V8's heap limit kills it. */
  fault: 'throw' | 'exit' | 'hang' | 'abort' | 'oom';
}

export type ComputeJob = TrainJob | EncodeJob | DecodeJob | PredictJob | SensitivityJob | GenerateJob | UmapJob | GapsJob | KdeJob | ScoreListsJob | OptimizeJob | ProposeJob | FaultJob;

/** Progress of a job that is not training: which stage, how far. */
export interface StageProgress {
  kind: 'stage';
  stage: string;
  done: number;
  total: number;
}

export type ComputeRequest =
  | { type: 'run'; jobId: string; job: ComputeJob }
  | { type: 'cancel'; jobId: string }
  | { type: 'shutdown' };

export interface TrainResult {
  folder: string;
  manifestSha256: string;
  backend: string;
  trainMs: number;
  epochs: number;
  bestEpoch: number;
  vocabularyHash: string;
  vocabularySize: number;
  vocabulary: { name: string; ingredientId: number | null }[];
  metrics: ModelMetrics;
  history: TrainProgress[];
  /** Latent means of every training product: `productIds[i]` has codes[i·D … (i+1)·D). */
  productIds: number[];
  codes: Float32Array;
  latentDim: number;
}

export interface EncodeResult {
  /** Latent means, one per list. */
  codes: number[][];
  /** Per list, how many ingredients the model's vocabulary did not know. */
  unknown: number[];
}

export interface DecodeResult {
  /** Ingredient ids in concentration order, one list per code. */
  lists: number[][];
}

export interface PredictResult {
  /** Per code: benefit name → predicted value (probability for 0/1 flags, original units for scores). */
  benefits: Record<string, number>[];
}

export interface SensitivityResult {
  /** Per dimension: mean number of ingredients that changed, resampling from N(0, 1) / from the catalog. */
  normal: number[];
  empirical: number[];
  decodes: number;
}

export type ComputeEvent =
  | { type: 'ready'; backend: BackendInfo; pid: number }
  | { type: 'progress'; jobId: string; progress: TrainProgress | StageProgress }
  | { type: 'done'; jobId: string; result: TrainResult | EncodeResult | DecodeResult | PredictResult | SensitivityResult | GenerateOutcome | UmapResult | GapsResult | KdeResult | ScoreListsResult | OptimizeResult | ProposeResult }
  | { type: 'failed'; jobId: string; error: { code: string; message: string } }
  | { type: 'cancelled'; jobId: string };
