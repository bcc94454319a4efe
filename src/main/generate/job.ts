import * as tf from '@tensorflow/tfjs-core';
import type { GenerationQuality } from '../../shared/api';
import type { IngredientFacts } from '../../shared/ml/checks';
import { KDE_MAX_REFERENCES, kernelCount, latentStatistics, whiten, whitenedRegion, type LatentRegion, type LatentStatistics } from '../../shared/ml/latent';
import { sortByKey } from '../../shared/ml/decode';
import { seededRandom } from '../../shared/ml/random';
import { SharedWorkCancelled, type ShareReport, type SharedWork } from '../compute/shared-work';
import { catalogKey, checkCandidate, withBenefits, type CatalogContext, type CheckedCandidate, type CheckThresholds, type DecoderSpec } from './kernels';
import { qualityPanel } from './quality';
import type { ListScorerSpec } from './list-scorer';
import { rankLengthFair } from './ranking';
import { inverseLowerTriangular } from '../optimize/plan';
import { readGenerateCache, writeGenerateCache, type GenerateCache } from './generate-cache';
import type { DecodeConstraints } from '../../shared/ml/constrained-decode';

/**
 * The generate-and-filter job of seed 000, run in the compute process: sample N codes from the
 * multivariate normal fitted to the catalog's codes, keep the K most unique that stay above a
 * density floor, decode them exactly, and check every candidate. Every stage is timed.
 *
 * TensorFlow.js work (the density's matrix products, the decoder) runs on the compute process's
 * main thread; the JavaScript work (log-sum-exp, exact decoding, checks) is shared with a helper
 * thread batch by batch (src/main/compute/shared-work.ts), so the two overlap.
 */

export interface GenerateParams {
  n: number;
  k: number;
  temperature: number;
  seed: number;
  /** Centre the distribution on this code (e.g. a product's) instead of the catalog mean. */
  centre: number[] | null;
  /**
   * A brief's category: the normals fitted to each catalog category's codes (src/shared/ml/latent.ts:
   * regionNormal), their log prior (log share of the catalog) and the one asked for. Samples are
   * drawn from the target's normal instead of the whole catalog's (`centre`, when also given,
   * moves its mean), and of those above the density floor the K the normals most clearly assign
   * to the target (largest log-odds over the next category) are kept. The density and its floor
   * stay the whole catalog's.
   */
  category?: { regions: LatentRegion[]; logPriors: number[]; target: number } | null;
  /** Samples whose density is below this quantile of the catalog's own densities are dropped. */
  densityFloorQuantile: number;
  /** Candidates whose nearest catalog product shares more than 1 − minNovelty (Jaccard) are rejected. */
  minNovelty: number;
  minPlausibility: number;
  /** Predicted benefit (probability for flags, value for scores) each candidate must reach. */
  benefitThresholds: Record<string, number>;
  /** Also run the baselines (seed decoding, recombination) through the same checks. */
  baselines: boolean;
  /** Let lists shorter than the catalog's 5th percentile of length pass and rank (default: they fail). */
  allowShortLists?: boolean;
  /** Add the most probable missing preservative or emulsifier to a decoded list (completion.ts; default on). */
  completeStructure?: boolean;
  /**
   * A design brief's hard constraints over the model's tokens (src/shared/briefs/brief.ts): every
   * list is decoded under them (constrained-decode.ts), and its length bounds replace the
   * catalog's 5th-percentile rule. Null or absent: none.
   */
  constraints?: DecodeConstraints | null;
}

export interface GeneratedCandidate extends CheckedCandidate {
  code: number[];
  logDensity: number;
  /** With a brief's category: what the catalog's category classifier reads the list as (set by the service). */
  readsAs?: { category: string; probability: number };
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
  /** Wall time of each stage. */
  timingsMs: Record<string, number>;
  /**
   * How many threads shared the JavaScript work, each one's busy time in the shared stages, and
   * the time this thread waited for samples (inside the sample-and-density stage).
   */
  work: { threads: number; helperBatches: number; batches: number; mainMs: number; helperMs: number; sampleWaitMs: number };
  densityFloor: number;
  counts: { sampled: number; aboveFloor: number; decoded: number; passed: number; densityReferences: number };
  quality: QualityPanel;
  candidates: GeneratedCandidate[];
}

export interface GenerateInputs {
  params: GenerateParams;
  /** Catalog codes (n × D) and the same products' ingredient-id lists in declaration order. */
  catalogCodes: Float32Array;
  latentDim: number;
  catalogLists: number[][];
  facts: [number, IngredientFacts][];
  /** Ingredient-id groups not to combine in one product, with the reason. */
  incompatible: { a: number[]; b: number[]; reason: string }[];
  /** The model's decoding settings and its tokens' ingredient ids. */
  decoder: DecoderSpec;
  /** Decoder outputs for codes (rows × D): presence logits and positions, rows × V each. */
  forward: (codes: Float32Array, count: number) => { logits: Float32Array; positions: Float32Array };
  /** Benefit predictions for codes (the latent heads). */
  predict: (codes: Float32Array, count: number) => Record<string, number>[];
  /**
   * The model's list scoring, as the editor scores (its list predictor combined with its heads,
   * with the half-width of each benefit's 80 % interval). `build`: the same in plain JavaScript
   * (list-scorer.ts), built once per model (`key`) and run inside the decode-and-check batches on
   * both threads; `scoreLists`: for the baselines' lists (ingredient ids). When given, the benefit
   * thresholds and the ranking use these instead of `predict`; absent for a model saved before it
   * had a list predictor.
   */
  scorer?: {
    key: string;
    build: () => ListScorerSpec;
    scoreLists: (lists: number[][]) => { values: Record<string, number>; uncertainty: Record<string, number> | null }[];
  };
  /**
   * The seed's decoding, for the baseline: per slot the single most likely token (repeats and
   * unknown tokens allowed; null marks an unknown/bucket token).
   */
  decodePerSlot?: (codes: Float32Array, count: number) => (number | null)[][];
  /**
   * A file beside the model that keeps what a job computes once per model and catalog (the
   * catalog's own densities, the catalog's own plausibility statistics), so that a new process's
   * first job reads them instead of computing them (generate-cache.ts). Absent: none.
   */
  cacheFile?: string;
  /** The threads that share the JavaScript work. */
  work: SharedWork;
  isCancelled: () => boolean;
}

export class GenerationCancelled extends Error {}

/** Queries per matrix product in the KDE (large enough for wasm's fast path, see below). */
const KDE_BLOCK = 1000;
/** The most exponent bytes one share of the KDE's work holds at once. */
const KDE_MAX_PENDING_BYTES = 256 * 1024 * 1024;

/** Rows of a seeded random subset of `max` out of `n`, in increasing order; null when n ≤ max. */
export function kdeReferenceRows(n: number, max = KDE_MAX_REFERENCES): Int32Array | null {
  if (n <= max) return null;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(n);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = rows[i]!;
    rows[i] = rows[j]!;
    rows[j] = t;
  }
  return rows.subarray(0, max).sort();
}

/** The rows of an (n × d) matrix that carry a large catalog: all of them, or a seeded subset of `max` (kdeReferenceRows). */
export function seededSubset(values: Float32Array, n: number, d: number, max = KDE_MAX_REFERENCES): { rows: Int32Array | null; values: Float32Array; count: number } {
  const rows = kdeReferenceRows(n, max);
  return rows ? { rows, values: gatherRows(values, rows, d), count: rows.length } : { rows: null, values, count: n };
}

/** The given rows of a row-major (· × d) matrix, in that order. */
export function gatherRows(values: Float32Array, rows: ArrayLike<number>, d: number): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(values.subarray(rows[i]! * d, (rows[i]! + 1) * d), i * d);
  return out;
}

/**
 * Each catalog point's leave-one-out log density, with the kernels on at most
 * KDE_MAX_REFERENCES points (kdeReferenceRows): a point among them leaves its own kernel out, a
 * point outside is scored against all of them. Also returns the references used.
 */
export async function catalogLogDensities(
  white: Float32Array,
  n: number,
  d: number,
  h: number,
  work: SharedWork,
  options: KdeOptions = {},
): Promise<{ density: Float32Array; references: Float32Array; referenceCount: number }> {
  const { rows, values: references, count } = seededSubset(white, n, d);
  const inside = await kdeLogDensities(references, count, references, count, d, h, true, work, options);
  if (!rows) return { density: inside, references, referenceCount: count };
  const chosen = new Uint8Array(n);
  for (const r of rows) chosen[r] = 1;
  const outsideRows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => !chosen[i]);
  const outside = await kdeLogDensities(gatherRows(white, outsideRows, d), outsideRows.length, references, rows.length, d, h, false, work, options);
  const density = new Float32Array(n);
  rows.forEach((r, i) => (density[r] = inside[i]!));
  outsideRows.forEach((r, i) => (density[r] = outside[i]!));
  return { density, references, referenceCount: rows.length };
}

export interface KdeOptions {
  isCancelled?: () => boolean;
  /** How the work was shared between the threads. */
  onReport?: (report: ShareReport) => void;
  /** Called before query rows [start, start + rows) are read, in order: lets them be sampled just in time. */
  prepareRows?: (start: number, rows: number) => void;
}

/**
 * Log densities of whitened queries under a Gaussian KDE on whitened references. The kernel
 * exponent −|q − r|²/2h² = q·r/h² − |r|²/2h² − |q|²/2h²; the last term is constant per query and
 * leaves the logsumexp, and the middle one rides along as an extra column, so one product of
 * [q, 1] with [r/h², −|r|²/2h²]ᵀ gives every exponent. Blocks of 1,000 queries keep each
 * product's output small enough to stay on wasm's fast path; each block's log-sum-exp runs on
 * whichever thread is free (kernels.ts: logSumExpRows), while the next product is computed.
 * With `excludeSelf` (queries are the references) each point's own kernel is left out exactly:
 * subtracting it afterwards would lose the other kernels, which in tens of dimensions are far
 * below float32 resolution next to the self term's exp(0) = 1.
 */
export async function kdeLogDensities(
  queries: Float32Array,
  m: number,
  refs: Float32Array,
  n: number,
  d: number,
  h: number,
  excludeSelf: boolean,
  work: SharedWork,
  options: KdeOptions = {},
): Promise<Float32Array> {
  const isCancelled = options.isCancelled ?? (() => false);
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
  const BLOCK = KDE_BLOCK;
  const blocks = Math.ceil(m / BLOCK);
  const queryNorm = new Float64Array(m);
  // Every block of a `work.map` call is produced before the last is summed, so the blocks in
  // flight at once are bounded by bytes: 40,000 queries on 10,000 kernels would otherwise hold
  // 1.6 GB of exponents (found by the 50,000-product scale run).
  const perCall = Math.max(1, Math.floor(KDE_MAX_PENDING_BYTES / (BLOCK * n * 4)));
  // Shared buffers for one call's blocks, reused by every call: shared memory is freed only when
  // both threads have collected it, and the idle helper thread rarely collects, so fresh buffers
  // per block kept every block of a job resident (2 GB at 50,000 products).
  const slots: Float32Array[] = [];
  try {
    for (let first = 0; first < blocks; first += perCall) {
      const { results, report } = await work.map(
        Math.min(perCall, blocks - first),
        (c) => {
          const b = first + c;
          const start = b * BLOCK;
          const rows = Math.min(BLOCK, m - start);
          options.prepareRows?.(start, rows);
          const block = new Float32Array(rows * (d + 1));
          for (let i = 0; i < rows; i++) {
            let norm = 0;
            for (let k = 0; k < d; k++) {
              const v = queries[(start + i) * d + k]!;
              block[i * (d + 1) + k] = v;
              norm += v * v;
            }
            block[i * (d + 1) + d] = 1;
            queryNorm[start + i] = norm;
          }
          const exponents = tf.tidy(() => tf.matMul(tf.tensor2d(block, [rows, d + 1]), r));
          slots[c] ??= new Float32Array(new SharedArrayBuffer(BLOCK * n * 4));
          const values = slots[c].subarray(0, rows * n);
          values.set(exponents.dataSync() as Float32Array);
          exponents.dispose();
          return { kind: 'lse', block: values, rows, n, self: excludeSelf ? start : null };
        },
        isCancelled,
      );
      options.onReport?.(report);
      results.forEach((lse, c) => {
        const b = first + c;
        const values = lse as Float64Array;
        for (let i = 0; i < values.length; i++) out[b * BLOCK + i] = values[i]! - queryNorm[b * BLOCK + i]! * inv * 0.5 + constant;
      });
    }
  } finally {
    r.dispose();
  }
  return out;
}

/** A copy in shared memory: posting it to the helper thread then copies nothing. */
function shareable(values: Float32Array): Float32Array {
  const copy = new Float32Array(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

/**
 * The fitted distribution and the catalog's own (leave-one-out) densities, per catalog space:
 * they depend only on the model's codes of the catalog, so repeated jobs reuse them.
 */
interface FittedSpace {
  key: string;
  stats: LatentStatistics;
  /** The whitened codes the density uses as kernels (all, or a seeded subset above KDE_MAX_REFERENCES). */
  references: Float32Array;
  referenceCount: number;
  bandwidth: number;
  sortedCatalogDensity: Float32Array;
}

let fittedSpace: FittedSpace | null = null;

/** The model's generate cache as this process last read or wrote it (read from disk once per model). */
let cacheMemo: { path: string; cache: GenerateCache | null } | null = null;

function cachedFile(path: string): GenerateCache | null {
  if (cacheMemo?.path !== path) cacheMemo = { path, cache: readGenerateCache(path) };
  return cacheMemo.cache;
}

function spaceKey(codes: Float32Array, n: number, d: number): string {
  const words = new Uint32Array(codes.buffer, codes.byteOffset, codes.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return `${n}x${d}:${h >>> 0}`;
}

async function fitSpace(inputs: GenerateInputs, cache: GenerateCache | null): Promise<FittedSpace> {
  const { latentDim: D, catalogCodes } = inputs;
  const n = inputs.catalogLists.length;
  const key = spaceKey(catalogCodes, n, D);
  if (fittedSpace?.key === key) return fittedSpace;
  const stats = latentStatistics(catalogCodes, n, D);
  const catalogWhite = Float32Array.from(whiten(catalogCodes, n, stats));
  // Scott's rule in whitened space, for the number of kernels actually used.
  const bandwidth = Math.pow(kernelCount(n), -1 / (D + 4));
  const { values: references, count: referenceCount } = seededSubset(catalogWhite, n, D);
  // The floor is a quantile of the catalog's own densities: the kernels' leave-one-out densities
  // estimate it (all of the catalog's up to KDE_MAX_REFERENCES products, a random subset above).
  // Computed once per model and catalog, and kept beside the model for the next process.
  const kept = cache?.space?.key === key && cache.space.bandwidth === bandwidth && cache.space.density.length === referenceCount ? cache.space.density : null;
  const density = kept ?? (await kdeLogDensities(references, referenceCount, references, referenceCount, D, bandwidth, true, inputs.work, { isCancelled: inputs.isCancelled })).sort();
  fittedSpace = { key, stats, references, referenceCount, bandwidth, sortedCatalogDensity: density };
  return fittedSpace;
}

export async function runGeneration(inputs: GenerateInputs): Promise<GenerateOutcome> {
  const { params, latentDim: D, catalogLists, work } = inputs;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = Math.round((now - t) * 10) / 10;
    t = now;
    if (inputs.isCancelled()) throw new GenerationCancelled();
  };
  const shares = { batches: 0, helperBatches: 0, mainMs: 0, helperMs: 0 };
  const tally = (report: ShareReport) => {
    shares.batches += report.batches;
    shares.helperBatches += report.helperBatches;
    shares.mainMs += report.mainMs;
    shares.helperMs += report.helperMs;
  };

  try {
    // 1. Fit: mean and covariance of the catalog codes, whitened catalog, the catalog's own
    //    densities (for the floor), and the catalog tables of the checks; all cached per catalog.
    const cache = inputs.cacheFile ? cachedFile(inputs.cacheFile) : null;
    const space = await fitSpace(inputs, cache);
    const contextKey = catalogKey(catalogLists, inputs.facts.length);
    const context = work.context(contextKey, () => ({ catalogLists, facts: inputs.facts, incompatible: inputs.incompatible, ...(cache?.catalog?.key === contextKey ? { known: cache.catalog.known } : {}) }));
    if (inputs.cacheFile && (cache?.space?.key !== space.key || cache?.catalog?.key !== contextKey)) {
      const fresh: GenerateCache = {
        space: { key: space.key, bandwidth: space.bandwidth, density: space.sortedCatalogDensity },
        catalog: { key: contextKey, known: { catalogMedianPlausibility: context.catalogMedianPlausibility, catalogStructureShare: context.catalogStructureShare } },
      };
      writeGenerateCache(inputs.cacheFile, fresh);
      cacheMemo = { path: inputs.cacheFile, cache: fresh };
    }
    const { stats, references, referenceCount, bandwidth: h } = space;
    lap('fit');

    // 2–3. Sample N from N(centre, T²·Σ) and score uniqueness by KDE log density. The helper
    //      thread draws the standard normals block by block while this thread computes the
    //      densities of the blocks already drawn (the stream is the same as drawing all N at
    //      once). Whitened, a sample is just T·e + L⁻¹(centre − mean). The floor is a quantile
    //      of the catalog's own densities.
    const normals = work.normals(params.seed, params.n, D, KDE_BLOCK);
    const white = normals.values;
    const regions = params.category ? params.category.regions.map((r) => whitenedRegion(r, stats)) : null;
    const region = regions ? regions[params.category!.target]! : null;
    const offset = params.centre ? whiten(params.centre, 1, stats) : (region?.offset ?? null);
    let sampleWaitMs = 0;
    // A region's shape: y = offset + (T·e)·Aᵀ, one matrix product per block on the backend.
    const shape = region ? tf.tensor2d(Float32Array.from({ length: D * D }, (_, i) => params.temperature * region.transform[(i % D) * D + Math.floor(i / D)]!), [D, D]) : null;
    const shift = region ? tf.tensor1d(Float32Array.from(offset!)) : null;
    const sampleRows = (start: number, rows: number) => {
      sampleWaitMs += normals.waitFor(start + rows);
      if (params.temperature === 1 && !offset && !region) return;
      const block = white.subarray(start * D, (start + rows) * D);
      if (!shape) {
        for (let i = 0; i < block.length; i++) block[i] = params.temperature * block[i]! + (offset ? offset[i % D]! : 0);
        return;
      }
      const drawn = tf.tidy(() => tf.add(tf.matMul(tf.tensor2d(block, [rows, D]), shape), shift!));
      block.set(drawn.dataSync() as Float32Array);
      drawn.dispose();
    };
    const sortedCatalog = space.sortedCatalogDensity;
    const floor = sortedCatalog[Math.floor(params.densityFloorQuantile * (sortedCatalog.length - 1))]!;
    let density: Float32Array;
    try {
      density = await kdeLogDensities(white, params.n, references, referenceCount, D, h, false, work, { isCancelled: inputs.isCancelled, onReport: tally, prepareRows: sampleRows });
    } finally {
      normals.stop();
      shape?.dispose();
      shift?.dispose();
    }
    lap('sample and density');

    // 4. Keep the K most unique (lowest density) above the floor; with a category, among those
    //    the category normals most clearly assign to it.
    const order = new Int32Array(params.n);
    const keys = new Float64Array(params.n);
    let aboveFloor = 0;
    for (let i = 0; i < params.n; i++) {
      if (density[i]! < floor) continue;
      order[aboveFloor] = i;
      keys[aboveFloor++] = density[i]!;
    }
    let pool = aboveFloor;
    if (regions) {
      // The CATEGORY_POOL·K samples most clearly of the category (largest log-odds over the
      // closest other category), then by uniqueness as usual.
      const margins = categoryMargins(white, params.n, D, regions, params.category!.logPriors, params.category!.target);
      for (let j = 0; j < aboveFloor; j++) keys[j] = -margins[order[j]!]!;
      sortByKey(keys, order, aboveFloor);
      pool = Math.min(aboveFloor, Math.max(params.k, Math.round(CATEGORY_POOL * params.k)));
      for (let j = 0; j < pool; j++) keys[j] = density[order[j]!]!;
    }
    sortByKey(keys, order, pool); // by density, then index
    const kept = Array.from(order.subarray(0, Math.min(params.k, pool)));
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
    // With a list scorer, benefits are predicted from the decoded lists, in the decode batches.
    const benefits: (Record<string, number> | null)[] = inputs.scorer ? new Array(kept.length).fill(null) : inputs.predict(codes, kept.length);
    lap('predict');
    if (inputs.scorer) work.scorer(inputs.scorer.key, inputs.scorer.build);
    const scorerKey = inputs.scorer?.key ?? null;

    // 5–6. Decode exactly and check: the decoder runs here batch by batch, each batch's lists
    //      are decoded and checked by whichever thread claims it.
    const BATCH = 100;
    const decoder = constrainedDecoder(inputs.decoder, params.constraints ?? null);
    const batches = Math.ceil(kept.length / BATCH);
    const thresholds: CheckThresholds = {
      minNovelty: params.minNovelty,
      minPlausibility: params.minPlausibility,
      benefitThresholds: params.benefitThresholds,
      ...(params.allowShortLists || params.constraints?.minLength !== undefined || params.constraints?.maxLength !== undefined ? {} : { minLength: context.lengths.p5 }),
      completeStructure: params.completeStructure ?? true,
    };
    const decoded = await work.map(
      batches,
      (b) => {
        const start = b * BATCH;
        const rows = Math.min(BATCH, kept.length - start);
        const { logits, positions } = inputs.forward(codes.subarray(start * D, (start + rows) * D), rows);
        return { kind: 'decode-check', contextKey, decoder, thresholds, logits: shareable(logits), positions: shareable(positions), benefits: benefits.slice(start, start + rows), scorerKey };
      },
      inputs.isCancelled,
    );
    tally(decoded.report);
    const checked = (decoded.results as CheckedCandidate[][]).flat();
    lap('decode and check');
    // Passed lists first, length-fair: each compared with lists of similar length (ranking.ts).
    const candidates: GeneratedCandidate[] = rankLengthFair(
      checked.map((c, i) => ({
        ...c,
        code: Array.from(codes.subarray(i * D, (i + 1) * D)),
        logDensity: density[kept[i]!]!,
      })),
      context.lengths,
    );
    lap('rank');

    // 7. Quality panel, and the baselines on the same checks.
    const quality = qualityPanel(candidates, catalogLists, context, params.seed);
    lap('quality');
    const baselines: BaselinePanel[] = [];
    if (params.baselines && inputs.decodePerSlot) {
      const perSlot = inputs.decodePerSlot(codes, kept.length);
      const seedCandidates = perSlot.map((slots, i) => {
        const unknown = slots.some((x) => x === null);
        return checkCandidate(context, thresholds, unknown ? null : (slots as number[]), benefits[i] ?? null, slots.filter((x): x is number => x !== null));
      });
      if (inputs.scorer) scoreDecoded(seedCandidates, inputs.scorer.scoreLists, params.benefitThresholds);
      baselines.push({ name: "seed's per-position argmax decoding (same model, same codes)", candidates: seedCandidates.length, quality: qualityPanel(seedCandidates, catalogLists, context, params.seed) });
    }
    if (params.baselines) {
      const recombined = recombine(catalogLists, context, kept.length, params.seed);
      const recombinedCandidates = recombined.map((list) => checkCandidate(context, thresholds, list, inputs.scorer ? null : {}));
      if (inputs.scorer) scoreDecoded(recombinedCandidates, inputs.scorer.scoreLists, params.benefitThresholds);
      baselines.push({ name: 'recombination: a catalog product with 3 ingredients swapped for others of the same class', candidates: recombined.length, quality: qualityPanel(recombinedCandidates, catalogLists, context, params.seed) });
    }
    if (params.baselines) lap('baselines');
    return {
      baselines,
      timingsMs: timings,
      work: { threads: work.participants, ...shares, sampleWaitMs: Math.round(sampleWaitMs) },
      densityFloor: floor,
      counts: { sampled: params.n, aboveFloor, decoded: kept.length, passed: candidates.filter((c) => c.passed).length, densityReferences: referenceCount },
      quality,
      candidates,
    };
  } catch (error) {
    if (error instanceof SharedWorkCancelled) throw new GenerationCancelled();
    throw error;
  }
}

/**
 * With a category, the K are kept from the CATEGORY_POOL·K samples above the floor most clearly
 * of it. Measured on sephora_cosmetics.csv (quick model, six categories): pools of 1, 1.3, 2 and
 * 4 × K had 46–82 %, 45–79 %, 41–74 % and 38–67 % of the decoded lists read as the category by
 * the catalog's classifier, with the same share passing the other checks: the most typical win.
 */
const CATEGORY_POOL = 1;

/**
 * Each whitened sample's log-odds for the target category over the most probable other one,
 * under the category normals (each a whitened region: y ~ N(offset, A·Aᵀ), weighted by its prior).
 */export function categoryMargins(white: Float32Array, n: number, d: number, regions: { offset: Float64Array; transform: Float64Array }[], logPriors: number[], target: number): Float64Array {
  // z_c = A_c⁻¹·(y − offset_c) = A_c⁻¹·y − A_c⁻¹·offset_c for every region at once: one matrix
  // product of the samples (n × d) with [A_1⁻ᵀ … A_C⁻ᵀ] (d × C·d) on the backend, then the shifts.
  const C = regions.length;
  const width = C * d;
  const weights = new Float32Array(d * width);
  const shifts = new Float64Array(width);
  const logDet = new Float64Array(C);
  regions.forEach((r, c) => {
    const inverse = inverseLowerTriangular(r.transform, d);
    for (let row = 0; row < d; row++) {
      let shift = 0;
      for (let k = 0; k <= row; k++) {
        weights[k * width + c * d + row] = inverse[row * d + k]!;
        shift += inverse[row * d + k]! * r.offset[k]!;
      }
      shifts[c * d + row] = shift;
      logDet[c]! += Math.log(Math.abs(r.transform[row * d + row]!));
    }
  });
  const out = new Float64Array(n);
  const w = tf.tensor2d(weights, [d, width]);
  try {
    for (let start = 0; start < n; start += KDE_BLOCK) {
      const rows = Math.min(KDE_BLOCK, n - start);
      const product = tf.tidy(() => tf.matMul(tf.tensor2d(white.subarray(start * d, (start + rows) * d), [rows, d]), w));
      const z = product.dataSync() as Float32Array;
      product.dispose();
      for (let i = 0; i < rows; i++) {
        let own = 0;
        let rival = -Infinity;
        for (let c = 0; c < C; c++) {
          // log N(y; region c) up to a constant shared by every region: −½|z_c|² − log|A_c|.
          let q = 0;
          for (let k = 0; k < d; k++) {
            const v = z[i * width + c * d + k]! - shifts[c * d + k]!;
            q += v * v;
          }
          const score = -0.5 * q - logDet[c]! + logPriors[c]!;
          if (c === target) own = score;
          else rival = Math.max(rival, score);
        }
        out[start + i] = own - rival;
      }
    }
  } finally {
    w.dispose();
  }
  return out;
}

/** The model's decoder with a brief's constraints: their mask joined to its own, the rest carried along. */
function constrainedDecoder(decoder: DecoderSpec, constraints: DecodeConstraints | null): DecoderSpec {
  if (!constraints) return decoder;
  const allowed = Uint8Array.from(decoder.allowed, (a, t) => (a && (!constraints.allowed || constraints.allowed[t]) ? 1 : 0));
  return { ...decoder, allowed, constraints: { required: [...constraints.required], atLeastOne: constraints.atLeastOne.map((g) => [...g]), minLength: constraints.minLength, maxLength: constraints.maxLength } };
}

/** Predicts each baseline list's benefits from the list itself and applies the benefit thresholds (withBenefits). */
function scoreDecoded(candidates: CheckedCandidate[], scoreLists: NonNullable<GenerateInputs['scorer']>['scoreLists'], benefitThresholds: Record<string, number>): void {
  const scored = scoreLists(candidates.map((c) => c.ingredientIds));
  candidates.forEach((c, i) => withBenefits(c, benefitThresholds, scored[i]!.values, scored[i]!.uncertainty ?? undefined));
}

/** The recombination baseline: random catalog products with three ingredients swapped within their class. */
function recombine(catalogLists: number[][], context: CatalogContext, count: number, seed: number): number[][] {
  const facts = context.facts;
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
