import * as tf from '@tensorflow/tfjs-core';
import type { GenerationQuality } from '../../shared/contract';
import {
  NoveltyIndex,
  PrecedenceTable,
  frequencyDivergence,
  internalDiversity,
  orderingPlausibility,
  structuralChecks,
  type IncompatibleGroups,
  type IngredientFacts,
} from '../../shared/ml/checks';
import { latentStatistics, whiten } from '../../shared/ml/latent';
import { normalGenerator } from '../../shared/ml/linalg';
import { seededRandom } from '../../shared/ml/random';

/**
 * The generate-and-filter job of seed 000, run in the compute process: sample N codes from the
 * multivariate normal fitted to the catalog's codes, keep the K most unique that stay above a
 * density floor, decode them exactly, and check every candidate. Every stage is timed.
 */

export interface GenerateParams {
  n: number;
  k: number;
  temperature: number;
  seed: number;
  /** Centre the distribution on this code (e.g. a product's) instead of the catalog mean. */
  centre: number[] | null;
  /** Samples whose density is below this quantile of the catalog's own densities are dropped. */
  densityFloorQuantile: number;
  /** Candidates whose nearest catalog product shares more than 1 − minNovelty (Jaccard) are rejected. */
  minNovelty: number;
  minPlausibility: number;
  /** Predicted benefit (probability for flags, value for scores) each candidate must reach. */
  benefitThresholds: Record<string, number>;
  /** Also run the baselines (seed decoding, recombination) through the same checks. */
  baselines: boolean;
}

export interface GeneratedCandidate {
  ingredientIds: number[];
  code: number[];
  logDensity: number;
  novelty: number;
  /** Row (in the catalog arrays passed in) of the most similar catalog product. */
  nearestRow: number;
  plausibility: number;
  benefits: Record<string, number>;
  passed: boolean;
  score: number;
  reasons: string[];
}

export type QualityPanel = GenerationQuality;

export interface BaselinePanel {
  name: string;
  candidates: number;
  quality: QualityPanel;
}

export interface GenerateOutcome {
  /** The same checks on the seed's per-slot argmax decoding and on a recombination baseline. */
  baselines: BaselinePanel[];
  timingsMs: Record<string, number>;
  densityFloor: number;
  counts: { sampled: number; aboveFloor: number; decoded: number; passed: number };
  quality: QualityPanel;
  candidates: GeneratedCandidate[];
}

export interface GenerateInputs {
  params: GenerateParams;
  /** Catalog codes (n × D) and the same products' ingredient-id lists in declaration order. */
  catalogCodes: Float32Array;
  latentDim: number;
  catalogLists: number[][];
  facts: ReadonlyMap<number, IngredientFacts>;
  /** Ingredient groups not to combine in one product. */
  incompatible: readonly IncompatibleGroups[];
  /** Decodes codes (rows × D) to ingredient-id lists; returns null for a list with an unknown token. */
  decode: (codes: Float32Array, count: number) => (number[] | null)[];
  /** Benefit predictions for codes. */
  predict: (codes: Float32Array, count: number) => Record<string, number>[];
  /**
   * The seed's decoding, for the baseline: per slot the single most likely token (repeats and
   * unknown tokens allowed; null marks an unknown/bucket token).
   */
  decodePerSlot?: (codes: Float32Array, count: number) => (number | null)[][];
  isCancelled: () => boolean;
}

export class GenerationCancelled extends Error {}

/**
 * Log densities of whitened queries under a Gaussian KDE on whitened references. The kernel
 * exponent −|q − r|²/2h² = q·r/h² − |r|²/2h² − |q|²/2h²; the last term is constant per query and
 * leaves the logsumexp, and the middle one rides along as an extra column, so one product of
 * [q, 1] with [r/h², −|r|²/2h²]ᵀ gives every exponent. Blocks of 1,000 queries keep each
 * product's output small enough to stay on wasm's fast path.
 */
export function kdeLogDensities(queries: Float32Array, m: number, refs: Float32Array, n: number, d: number, h: number, excludeSelf: boolean): Float32Array {
  const out = new Float32Array(m);
  const inv = 1 / (h * h);
  const augmented = new Float32Array((d + 1) * n); // (d + 1) × n, already transposed
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let k = 0; k < d; k++) {
      const v = refs[i * d + k]!;
      augmented[k * n + i] = v * inv;
      norm += v * v;
    }
    augmented[d * n + i] = -norm * inv * 0.5;
  }
  const r = tf.tensor2d(augmented, [d + 1, n]);
  const count = excludeSelf ? n - 1 : n;
  const constant = -Math.log(Math.max(1, count)) - d * Math.log(h * Math.sqrt(2 * Math.PI));
  for (let start = 0; start < m; start += 1000) {
    const rows = Math.min(1000, m - start);
    const block = new Float32Array(rows * (d + 1));
    const queryNorm = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let norm = 0;
      for (let k = 0; k < d; k++) {
        const v = queries[(start + i) * d + k]!;
        block[i * (d + 1) + k] = v;
        norm += v * v;
      }
      block[i * (d + 1) + d] = 1;
      queryNorm[i] = norm;
    }
    // Leave-one-out (queries are the references): mask each point's own kernel out exactly.
    // Subtracting it afterwards would lose the other kernels, which in tens of dimensions are
    // far below float32 resolution next to the self term's exp(0) = 1.
    let mask: Float32Array | null = null;
    if (excludeSelf) {
      mask = new Float32Array(rows * n);
      for (let i = 0; i < rows; i++) mask[i * n + start + i] = -1e30;
    }
    const lse = tf.tidy(() => {
      const exponents = tf.matMul(tf.tensor2d(block, [rows, d + 1]), r);
      return tf.logSumExp(mask ? tf.add(exponents, tf.tensor2d(mask, [rows, n])) : exponents, 1);
    });
    const values = lse.dataSync();
    lse.dispose();
    for (let i = 0; i < rows; i++) out[start + i] = values[i]! - queryNorm[i]! * inv * 0.5 + constant;
  }
  r.dispose();
  return out;
}

/** Precedence table, novelty index and the catalog's own median plausibility, per catalog. */
let cachedTables: { key: string; table: PrecedenceTable; novelty: NoveltyIndex; catalogMedianPlausibility: number } | null = null;

function catalogTables(inputs: GenerateInputs): NonNullable<typeof cachedTables> {
  // FNV-1a over the lists identifies the catalog cheaply.
  let h = 0x811c9dc5;
  for (const list of inputs.catalogLists) {
    for (const id of list) h = Math.imul(h ^ id, 0x01000193);
    h = Math.imul(h ^ 0xffff, 0x01000193);
  }
  const key = `${inputs.catalogLists.length}:${h >>> 0}:${inputs.facts.size}`;
  if (cachedTables?.key === key) return cachedTables;
  // Candidates only hold vocabulary ingredients (seen in ≥ 2 products); index just those.
  const seen = new Map<number, number>();
  for (const list of inputs.catalogLists) for (const id of new Set(list)) seen.set(id, (seen.get(id) ?? 0) + 1);
  const table = new PrecedenceTable(inputs.catalogLists, [...seen].filter(([, c]) => c >= 2).map(([id]) => id));
  const fact = (id: number) => inputs.facts.get(id);
  const scores = inputs.catalogLists.map((l) => orderingPlausibility(l, table, fact).score).sort((a, b) => a - b);
  cachedTables = { key, table, novelty: new NoveltyIndex(inputs.catalogLists), catalogMedianPlausibility: scores[Math.floor((scores.length - 1) / 2)] ?? 0 };
  return cachedTables;
}

export function runGeneration(inputs: GenerateInputs): GenerateOutcome {
  const { params, latentDim: D, catalogLists, facts } = inputs;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = Math.round((now - t) * 10) / 10;
    t = now;
    if (inputs.isCancelled()) throw new GenerationCancelled();
  };
  const n = catalogLists.length;

  // 1. Fit: mean and covariance of the catalog codes, whitened catalog.
  const stats = latentStatistics(inputs.catalogCodes, n, D);
  const catalogWhite = Float32Array.from(whiten(inputs.catalogCodes, n, stats));
  lap('fit');

  // 2. Sample N from N(centre, T²·Σ). Whitened, a sample is just T·e + L⁻¹(centre − mean).
  const normal = normalGenerator(seededRandom(params.seed));
  const offset = params.centre ? whiten(params.centre, 1, stats) : new Float64Array(D);
  const white = new Float32Array(params.n * D);
  for (let i = 0; i < params.n * D; i++) white[i] = params.temperature * normal() + offset[i % D]!;
  lap('sample');

  // 3. Uniqueness: KDE log density (Scott's rule in whitened space); the floor from the catalog.
  const h = Math.pow(n, -1 / (D + 4));
  const catalogDensity = kdeLogDensities(catalogWhite, n, catalogWhite, n, D, h, true);
  const sortedCatalog = Array.from(catalogDensity).sort((a, b) => a - b);
  const floor = sortedCatalog[Math.min(n - 1, Math.floor(params.densityFloorQuantile * (n - 1)))]!;
  const density = kdeLogDensities(white, params.n, catalogWhite, n, D, h, false);
  lap('density');

  // 4. Keep the K most unique (lowest density) above the floor.
  const kept = Array.from({ length: params.n }, (_, i) => i)
    .filter((i) => density[i]! >= floor)
    .sort((a, b) => density[a]! - density[b]! || a - b)
    .slice(0, params.k);
  const aboveFloor = density.reduce((c, v) => c + (v >= floor ? 1 : 0), 0);
  // Back to latent coordinates: x = mean + L·y.
  const codes = new Float32Array(kept.length * D);
  kept.forEach((row, i) => {
    for (let r = 0; r < D; r++) {
      let v = stats.mean[r]!;
      for (let c = 0; c <= r; c++) v += stats.cholesky[r * D + c]! * white[row * D + c]!;
      codes[i * D + r] = v;
    }
  });
  lap('select');

  // 5. Decode exactly.
  const lists = inputs.decode(codes, kept.length);
  lap('decode');

  // 6. Check every candidate (catalog-derived tables are cached across runs on the same catalog).
  const { table, novelty, catalogMedianPlausibility } = catalogTables(inputs);
  const fact = (id: number) => facts.get(id);
  const lengths = catalogLists.map((l) => l.length).sort((a, b) => a - b);
  const lengthRange: [number, number] = [lengths[Math.floor(0.02 * (n - 1))]!, lengths[Math.ceil(0.98 * (n - 1))]!];
  const benefits = inputs.predict(codes, kept.length);
  const check = makeChecker(params, table, novelty, fact, lengthRange, inputs.incompatible);
  const candidates: GeneratedCandidate[] = lists.map((list, i) => ({
    ...check(list, benefits[i]!),
    code: Array.from(codes.subarray(i * D, (i + 1) * D)),
    logDensity: density[kept[i]!]!,
  }));
  candidates.sort((a, b) => Number(b.passed) - Number(a.passed) || b.score - a.score);
  lap('check');

  // 7. Quality panel, and the baselines on the same checks.
  const quality = qualityPanel(candidates, catalogLists, catalogMedianPlausibility, params.seed);
  lap('quality');
  const baselines: BaselinePanel[] = [];
  if (params.baselines && inputs.decodePerSlot) {
    const perSlot = inputs.decodePerSlot(codes, kept.length);
    const seedCandidates = perSlot.map((slots, i) => {
      const unknown = slots.some((x) => x === null);
      return { ...check(unknown ? null : (slots as number[]), benefits[i]!, slots.filter((x): x is number => x !== null)), code: [], logDensity: 0 };
    });
    baselines.push({ name: "seed's per-position argmax decoding (same model, same codes)", candidates: seedCandidates.length, quality: qualityPanel(seedCandidates, catalogLists, catalogMedianPlausibility, params.seed) });
  }
  if (params.baselines) {
    const recombined = recombine(catalogLists, facts, kept.length, params.seed);
    const recombinedCandidates = recombined.map((list) => ({ ...check(list, {}), code: [], logDensity: 0 }));
    baselines.push({ name: 'recombination: a catalog product with 3 ingredients swapped for others of the same class', candidates: recombined.length, quality: qualityPanel(recombinedCandidates, catalogLists, catalogMedianPlausibility, params.seed) });
  }
  if (params.baselines) lap('baselines');
  return {
    baselines,
    timingsMs: timings,
    densityFloor: floor,
    counts: { sampled: params.n, aboveFloor, decoded: kept.length, passed: candidates.filter((c) => c.passed).length },
    quality,
    candidates,
  };
}

/**
 * Builds the candidate check: validity, novelty, ordering plausibility, structure and benefit
 * thresholds, each failure with a reason. `shown` is the list to score when `list` is null
 * (an unknown token: invalid, but its other properties are still measured for the panel).
 */
function makeChecker(
  params: GenerateParams,
  table: PrecedenceTable,
  novelty: NoveltyIndex,
  fact: (id: number) => IngredientFacts | undefined,
  lengthRange: [number, number],
  incompatible: readonly IncompatibleGroups[],
) {
  const thresholdNames = Object.keys(params.benefitThresholds);
  return (list: number[] | null, predicted: Record<string, number>, shown?: number[]): Omit<GeneratedCandidate, 'code' | 'logDensity'> => {
    const reasons: string[] = [];
    const ids = list ?? shown ?? [];
    if (list === null) reasons.push('the decoded list contains an ingredient the model cannot name');
    const repeated = new Set(ids).size !== ids.length;
    if (repeated) reasons.push('an ingredient is repeated');
    const near = novelty.nearest(ids);
    const nov = 1 - near.jaccard;
    if (near.jaccard >= 0.999) reasons.push('identical to a catalog product');
    else if (nov < params.minNovelty) reasons.push(`too close to a catalog product (shares ${(near.jaccard * 100).toFixed(0)} % of ingredients)`);
    const plaus = orderingPlausibility(ids, table, fact);
    if (plaus.score < params.minPlausibility) reasons.push(`ordering plausibility ${plaus.score.toFixed(2)} is below ${params.minPlausibility}`);
    reasons.push(...plaus.reasons.map((r) => `order: ${r}`));
    const structure = structuralChecks(ids, fact, lengthRange, incompatible);
    reasons.push(...structure.reasons);
    for (const name of thresholdNames) {
      const v = predicted[name];
      if (v === undefined) reasons.push(`the model does not predict "${name}"`);
      else if (v < params.benefitThresholds[name]!) reasons.push(`predicted ${name} ${v.toFixed(2)} is below ${params.benefitThresholds[name]}`);
    }
    const failed =
      list === null ||
      repeated ||
      nov < params.minNovelty ||
      near.jaccard >= 0.999 ||
      plaus.score < params.minPlausibility ||
      !structure.ok ||
      thresholdNames.some((b) => (predicted[b] ?? -Infinity) < params.benefitThresholds[b]!);
    const relevance = thresholdNames.length ? thresholdNames.reduce((s, b) => s + Math.min(1, Math.max(0, predicted[b] ?? 0)), 0) / thresholdNames.length : 0.5;
    return {
      ingredientIds: ids,
      novelty: nov,
      nearestRow: near.row,
      plausibility: plaus.score,
      benefits: predicted,
      passed: !failed,
      // Ranking: plausibility and novelty weigh most; requested benefits break ties among good ones.
      score: 0.45 * plaus.score + 0.35 * nov + 0.2 * relevance,
      reasons,
    };
  };
}

function qualityPanel(candidates: readonly Omit<GeneratedCandidate, 'code' | 'logDensity'>[], catalogLists: number[][], catalogMedianPlausibility: number, seed: number): QualityPanel {
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
  };
  const lists = candidates.map((c) => c.ingredientIds);
  const total = Math.max(1, candidates.length);
  return {
    validLists: candidates.filter((c) => !c.reasons.some((r) => r.startsWith('the decoded list') || r === 'an ingredient is repeated')).length / total,
    passedAllChecks: candidates.filter((c) => c.passed).length / total,
    uniqueness: new Set(lists.map((l) => l.join(','))).size / total,
    meanNovelty: candidates.reduce((s, c) => s + c.novelty, 0) / total,
    medianNovelty: median(candidates.map((c) => c.novelty)),
    medianPlausibility: median(candidates.map((c) => c.plausibility)),
    catalogMedianPlausibility,
    internalDiversity: internalDiversity(lists, 20_000, seededRandom(seed + 1)),
    frequencyDivergence: frequencyDivergence(lists, catalogLists),
  };
}

/** The recombination baseline: random catalog products with three ingredients swapped within their class. */
function recombine(catalogLists: number[][], facts: ReadonlyMap<number, IngredientFacts>, count: number, seed: number): number[][] {
  const rand = seededRandom(seed + 7);
  const byClass = new Map<string, number[]>();
  const frequent = new Map<number, number>();
  for (const l of catalogLists) for (const id of new Set(l)) frequent.set(id, (frequent.get(id) ?? 0) + 1);
  for (const [id, n] of frequent) {
    const cls = facts.get(id)?.functions[0];
    if (!cls || n < 2) continue;
    const list = byClass.get(cls);
    if (list) list.push(id);
    else byClass.set(cls, [id]);
  }
  return Array.from({ length: count }, () => {
    const list = [...catalogLists[Math.floor(rand() * catalogLists.length)]!];
    for (let s = 0; s < 3 && list.length; s++) {
      const at = Math.floor(rand() * list.length);
      const pool = byClass.get(facts.get(list[at]!)?.functions[0] ?? '') ?? [];
      const replacement = pool[Math.floor(rand() * pool.length)];
      if (replacement !== undefined && !list.includes(replacement)) list[at] = replacement;
    }
    return list;
  });
}
