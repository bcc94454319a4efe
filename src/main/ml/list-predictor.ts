import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sampleSd, sigmoid } from '../../shared/ml/metrics';
import { seededRandom, shuffle } from '../../shared/ml/random';
import { fitLinear, linearOutputs, type SparseRows } from './linear-fit';
import { buildNeighbourIndex, rankNeighbours, type NeighbourIndex } from './list-neighbours';
import type { NamedWeights } from './model';
import { TrainingCancelled, benefitValue, type BenefitSpec } from './benefit-spec';
import type { PreparedData, TrainHooks } from './train';

/**
 * The list predictor: benefit predictions from the ingredient list itself, beside the latent
 * heads (which stay for gradients: optimisation steers by them). It predicts
 *
 *   (1 − a) · linear(bag of the list) + a · mean label of its k nearest lists (tf-idf cosine)
 *
 * where linear is L2 logistic regression for a flag (combined as probabilities) or ridge
 * regression for a score (standardised as BenefitSpec does), fitted on all training rows. Its
 * uncertainty comes from bootstrap members (the same predictor on a bootstrap sample, warm-started
 * from the full fit, neighbours drawn from their sample only): their spread is the model's
 * uncertainty, and each score adds the residual noise that makes 80 % of the out-of-bag values fall
 * inside its interval. Measurements behind every choice: docs/model-design.md.
 */

/** What a list predictor is fitted with. */
export interface ListPredictorOptions {
  /** Bootstrap members (for the uncertainty). */
  members: number;
  /** L2 strength of the linear models (on the mean loss). */
  l2: number;
  /** Gradient steps of the fit on all rows; each member takes `memberIterations` from there. */
  iterations: number;
  memberIterations: number;
  /** k of the nearest-list average. */
  neighbours: number;
  /** Weight a of the nearest-list average against the linear model, per benefit kind. */
  neighbourWeight: { flag: number; score: number };
  /** Weight of the latent head when list and head predictions are combined (0: list only). */
  headWeight: number;
  seed: number;
}

/** The measured choice (5-fold CV on sephora_cosmetics.csv, docs/model-design.md). */
export const LIST_PREDICTOR_DEFAULTS: Omit<ListPredictorOptions, 'seed'> = {
  members: 5,
  l2: 1e-2,
  iterations: 80,
  memberIterations: 20,
  neighbours: 5,
  neighbourWeight: { flag: 0.5, score: 0 },
  headWeight: 0.25,
};

/** One benefit as the list predictor learnt it. */
export interface ListBenefit {
  name: string;
  kind: BenefitSpec['kind'];
  /** Mean training target (probability or standardised value): the answer for a list that shares nothing. */
  prior: number;
  /** Scores: residual standard deviation (standardised units) added to the members' spread for the 80 % interval; flags 0. */
  residualSd: number;
}

/** A fitted list predictor (kept with the model: see listPredictorWeights). */
export interface ListPredictor extends Omit<ListPredictorOptions, 'seed' | 'iterations' | 'memberIterations'> {
  vocab: number;
  benefits: ListBenefit[];
  /** (1 + members) × (vocab + 1) × benefits: the full fit's linear weights, then each member's; the biases last. */
  weights: Float32Array;
  /** The training lists the neighbours are drawn from, with their targets and mask (rows × benefits). */
  reference: { lists: number[][]; targets: Float32Array; mask: Float32Array };
  /** members × reference lists: 1 when the list is in the member's bootstrap sample. */
  inBag: Uint8Array;
}

/** Token lists as sparse rows of the bag of ingredients over the vocabulary. */
function bagRows(lists: readonly (readonly number[])[], vocab: number): SparseRows {
  const rowStart = new Int32Array(lists.length + 1);
  const columns: number[] = [];
  lists.forEach((tokens, i) => {
    for (const t of new Set(tokens)) if (t >= 0 && t < vocab) columns.push(t);
    rowStart[i + 1] = columns.length;
  });
  return { rowStart, columns: Int32Array.from(columns), values: new Float64Array(columns.length).fill(1), features: vocab };
}

/**
 * Fits the ensemble on the prepared data's training rows (never its held-out rows), then sets each
 * score's residual noise from the out-of-bag predictions.
 */
export async function fitListPredictor(prepared: PreparedData, options: Partial<ListPredictorOptions> & { seed: number }, hooks: Pick<TrainHooks, 'isCancelled'> = {}): Promise<ListPredictor> {
  const o: ListPredictorOptions = { ...LIST_PREDICTOR_DEFAULTS, ...options };
  const V = prepared.index.size;
  const B = prepared.benefits.length;
  const train = prepared.trainRows;
  const kinds = prepared.benefits.map((b) => b.kind);
  const referenceLists = train.map((r) => prepared.lists[r]!);
  const X = bagRows(referenceLists, V);
  const targets = new Float32Array(train.length * B);
  const mask = new Float32Array(train.length * B);
  train.forEach((row, k) => {
    targets.set(prepared.targets.subarray(row * B, (row + 1) * B), k * B);
    mask.set(prepared.mask.subarray(row * B, (row + 1) * B), k * B);
  });
  const localRows = train.map((_, k) => k);
  const rand = seededRandom(o.seed * 7_368_787 + 11);
  const stride = (V + 1) * B;
  const weights = new Float32Array((1 + o.members) * stride);
  const inBag = new Uint8Array(o.members * train.length);
  const full = fitLinear(X, { targets, mask, kinds }, localRows, new Float64Array(train.length).fill(1), o.l2, o.iterations);
  weights.set(full, 0);
  for (let m = 0; m < o.members; m++) {
    // Let a cancel in between fits (each takes a fraction of a second).
    await yieldToEventLoop();
    if (hooks.isCancelled?.()) throw new TrainingCancelled();
    const multiplicity = new Float64Array(train.length);
    for (let k = 0; k < train.length; k++) multiplicity[Math.floor(rand() * train.length)]! += 1;
    multiplicity.forEach((c, k) => (inBag[m * train.length + k] = c > 0 ? 1 : 0));
    weights.set(fitLinear(X, { targets, mask, kinds }, localRows, multiplicity, o.l2, o.memberIterations, full), (1 + m) * stride);
  }
  const benefits: ListBenefit[] = prepared.benefits.map((spec, b) => {
    let sum = 0;
    let n = 0;
    for (let k = 0; k < train.length; k++) {
      if (!mask[k * B + b]) continue;
      sum += targets[k * B + b]!;
      n++;
    }
    return { name: spec.name, kind: spec.kind, prior: n ? sum / n : 0, residualSd: 0 };
  });
  const predictor: ListPredictor = {
    vocab: V, members: o.members, l2: o.l2, neighbours: o.neighbours, neighbourWeight: o.neighbourWeight, headWeight: o.headWeight,
    benefits, weights, reference: { lists: referenceLists, targets, mask }, inBag,
  };

  // Residual noise of the scores from an inner split: a cold fit on 80 % of the training rows
  // predicts the other 20 %, which it never saw (a member warm-started from the full fit has seen
  // every row, so its out-of-bag residuals would be too small).
  if (benefits.some((b) => b.kind === 'score')) {
    const order = shuffle([...localRows], rand);
    const calibration = order.slice(0, Math.max(1, Math.round(order.length * 0.2)));
    const inner = new Float64Array(train.length).fill(1);
    for (const k of calibration) inner[k] = 0;
    // Only the score columns: the flags need no residual noise.
    const scoreColumns = benefits.flatMap((spec, b) => (spec.kind === 'score' ? [b] : []));
    const S = scoreColumns.length;
    const scoreTargets = new Float32Array(train.length * S);
    const scoreMask = new Float32Array(train.length * S);
    for (let k = 0; k < train.length; k++) {
      scoreColumns.forEach((b, c) => {
        scoreTargets[k * S + c] = targets[k * B + b]!;
        scoreMask[k * S + c] = mask[k * B + b]!;
      });
    }
    const innerWeights = fitLinear(X, { targets: scoreTargets, mask: scoreMask, kinds: scoreColumns.map(() => 'score' as const) }, localRows, inner, o.l2, o.iterations);
    const calibrationLists = calibration.map((k) => referenceLists[k]!);
    const spreads = predictListTokens(predictor, calibrationLists);
    const out = new Float64Array(S);
    const residuals: number[][] = scoreColumns.map(() => []);
    const spreadOf: number[][] = scoreColumns.map(() => []);
    calibration.forEach((k, i) => {
      // Row k of X is calibration list i.
      linearOutputs(X, k, innerWeights, S, out);
      scoreColumns.forEach((b, c) => {
        if (!mask[k * B + b]) return;
        residuals[c]!.push(targets[k * B + b]! - out[c]!);
        spreadOf[c]!.push(spreads[i]![b]!.spread);
      });
    });
    scoreColumns.forEach((b, c) => (benefits[b]!.residualSd = residualSdFor(residuals[c]!, spreadOf[c]!, 0.8)));
  }
  return predictor;
}

const neighbourIndexes = new WeakMap<ListPredictor, NeighbourIndex>();

function neighbourIndex(p: ListPredictor): NeighbourIndex {
  let index = neighbourIndexes.get(p);
  if (!index) {
    index = buildNeighbourIndex(p.reference.lists, p.vocab);
    neighbourIndexes.set(p, index);
  }
  return index;
}

/**
 * Predictions of each list by the full fit (index 0) and each member (1 + m): lists × (1 + members)
 * × benefits, a probability for a flag and a standardised value for a score; NaN where
 * `use(m, listIndex)` is false (m = −1 the full fit). A member draws neighbours only from its own
 * bootstrap sample, so an out-of-bag list is never its own neighbour.
 */
function memberPredictions(p: ListPredictor, lists: readonly (readonly number[])[], use: (member: number, list: number) => boolean): number[][][] {
  const B = p.benefits.length;
  const X = bagRows(lists, p.vocab);
  const linear = new Float64Array(B);
  const index = p.neighbours > 0 ? neighbourIndex(p) : null;
  const stride = (p.vocab + 1) * B;
  const out: number[][][] = new Array(lists.length);
  for (let i = 0; i < lists.length; i++) {
    // The first few neighbours almost always suffice; the whole ranking only when a member runs
    // out of labelled in-bag rows among them (the answer is the same either way).
    let ranked: Ranking | null = index ? rankNeighbours(index, lists[i]!, NEIGHBOUR_PREFIX) : null;
    const slots: number[][] = new Array(1 + p.members);
    for (let slot = 0; slot <= p.members; slot++) {
      const m = slot - 1;
      const row = new Array<number>(B);
      slots[slot] = row;
      if (!use(m, i)) {
        row.fill(Number.NaN);
        continue;
      }
      linearOutputs(X, i, p.weights, B, linear, slot * stride);
      for (let b = 0; b < B; b++) {
        const spec = p.benefits[b]!;
        const a = p.neighbourWeight[spec.kind];
        const lin = spec.kind === 'flag' ? sigmoid(linear[b]!) : linear[b]!;
        if (!ranked || a === 0) {
          row[b] = lin;
          continue;
        }
        let near = nearestLabels(p, ranked, m, b);
        if (near.taken < p.neighbours && !ranked.complete) {
          ranked = rankNeighbours(index!, lists[i]!);
          near = nearestLabels(p, ranked, m, b);
        }
        const mean = near.weight > 0 ? near.sum / near.weight : spec.prior;
        row[b] = (1 - a) * lin + a * mean;
      }
    }
    out[i] = slots;
  }
  return out;
}

type Ranking = ReturnType<typeof rankNeighbours>;

/** The similarity-weighted labels of benefit b on the first k ranked lists that member m drew (m = −1: all) and that carry the label. */
function nearestLabels(p: ListPredictor, ranked: Ranking, m: number, b: number): { weight: number; sum: number; taken: number } {
  const B = p.benefits.length;
  const R = p.reference.lists.length;
  let weight = 0;
  let sum = 0;
  let taken = 0;
  for (let j = 0; j < ranked.rows.length && taken < p.neighbours; j++) {
    const row = ranked.rows[j]!;
    if ((m >= 0 && !p.inBag[m * R + row]) || !p.reference.mask[row * B + b]) continue;
    weight += ranked.similarity[j]!;
    sum += ranked.similarity[j]! * p.reference.targets[row * B + b]!;
    taken++;
  }
  return { weight, sum, taken };
}

/** Neighbours ranked first for each list (enough for k = 5 among a member's labelled in-bag rows nearly always). */
const NEIGHBOUR_PREFIX = 48;

/** The list predictor's output for one list and benefit. */
export interface ListPrediction {
  /** The full fit's prediction: a probability for a flag, a standardised value for a score. */
  mean: number;
  /** Standard deviation over the bootstrap members, same scale. */
  spread: number;
}

/** Predictions of token lists (model vocabulary): lists × benefits. */
export function predictListTokens(p: ListPredictor, lists: readonly (readonly number[])[]): ListPrediction[][] {
  const all = () => true;
  const spreadOf = new Array<number>(p.members);
  return memberPredictions(p, lists, all).map(([full, ...members]) =>
    p.benefits.map((_, b) => {
      for (let m = 0; m < members.length; m++) spreadOf[m] = members[m]![b]!;
      return { mean: full![b]!, spread: sampleSd(spreadOf) };
    }),
  );
}

/** z of the central 80 % of a standard normal. */
export const Z80 = 1.2815515655446004;

/**
 * The residual standard deviation s such that `coverage` of the residuals r_i lie within
 * ±Z80·√(spread_i² + s²) (bisection; 0 when the spreads alone already cover that share).
 */
export function residualSdFor(residuals: readonly number[], spreads: readonly number[], coverage: number): number {
  const z = Z80;
  if (residuals.length === 0) return 0;
  const covered = (s: number) => residuals.filter((r, i) => Math.abs(r) <= z * Math.sqrt(spreads[i]! ** 2 + s * s)).length / residuals.length;
  if (covered(0) >= coverage) return 0;
  let lo = 0;
  let hi = 1;
  while (covered(hi) < coverage && hi < 1e6) hi *= 2;
  for (let it = 0; it < 50; it++) {
    const mid = (lo + hi) / 2;
    if (covered(mid) >= coverage) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** A benefit prediction in the benefit's own terms, with the half-width of its 80 % interval. */
export interface BenefitEstimate {
  /** Probability for a flag; a score in its units, held to its range. */
  value: number;
  /**
   * Half-width of the 80 % interval (same units): for a score, of the value (model spread and
   * residual noise); for a flag, of the probability over the ensemble (model uncertainty).
   * Null when the model has no list predictor (saved before it existed).
   */
  uncertainty: number | null;
}

/**
 * Combines the list predictor's output (null: none) with the latent head's raw output (a logit or
 * a standardised value) into a value in the benefit's terms and its uncertainty.
 */
export function combineEstimate(spec: BenefitSpec, list: ListPrediction | null, listBenefit: ListBenefit | undefined, headRaw: number, headWeight: number): BenefitEstimate {
  if (!list || !listBenefit) return { value: benefitValue(spec, headRaw), uncertainty: null };
  const headValue = spec.kind === 'flag' ? sigmoid(headRaw) : headRaw;
  const raw = (1 - headWeight) * list.mean + headWeight * headValue;
  const spread = (1 - headWeight) * list.spread;
  if (spec.kind === 'flag') return { value: raw, uncertainty: Math.min(0.5, Z80 * spread) };
  return { value: benefitValue(spec, raw), uncertainty: Z80 * Math.sqrt(spread ** 2 + listBenefit.residualSd ** 2) * spec.std };
}

/** What the manifest records of a list predictor; its arrays travel as named tensors (`list_*`). */
export type ListPredictorManifest = Omit<ListPredictor, 'weights' | 'reference' | 'inBag'> & { referenceLists: number };

/** Splits a predictor into its manifest entry and its tensors (saved in weights.bin). */
export function listPredictorWeights(p: ListPredictor): { manifest: ListPredictorManifest; weights: NamedWeights[] } {
  const { weights, reference, inBag, ...rest } = p;
  const lengths = Float32Array.from(reference.lists, (l) => l.length);
  const tokens = Float32Array.from(reference.lists.flat());
  const R = reference.lists.length;
  const B = p.benefits.length;
  return {
    manifest: { ...rest, referenceLists: R },
    weights: [
      { name: 'list_weights', shape: [1 + p.members, p.vocab + 1, B], values: weights },
      { name: 'list_reference_lengths', shape: [R], values: lengths },
      { name: 'list_reference_tokens', shape: [tokens.length], values: tokens },
      { name: 'list_reference_targets', shape: [R, B], values: reference.targets },
      { name: 'list_reference_mask', shape: [R, B], values: reference.mask },
      { name: 'list_in_bag', shape: [p.members, R], values: Float32Array.from(inBag) },
    ],
  };
}

/** Rebuilds a predictor from its manifest entry and the model's tensors; throws naming what is missing or misshapen. */
export function listPredictorFromWeights(manifest: ListPredictorManifest, weights: readonly NamedWeights[]): ListPredictor {
  const byName = new Map(weights.map((w) => [w.name, w]));
  const R = manifest.referenceLists;
  const B = manifest.benefits.length;
  const get = (name: string, length: number): Float32Array => {
    const w = byName.get(name);
    if (!w) throw new Error(`the model file has no tensor "${name}" of its list predictor`);
    if (length >= 0 && w.values.length !== length) throw new Error(`tensor "${name}" has ${w.values.length} values, expected ${length}`);
    return w.values;
  };
  const lengths = get('list_reference_lengths', R);
  const tokens = get('list_reference_tokens', lengths.reduce((a, b) => a + b, 0));
  const lists: number[][] = [];
  let at = 0;
  for (const n of lengths) {
    lists.push(Array.from(tokens.subarray(at, at + n)));
    at += n;
  }
  const { referenceLists: _, ...rest } = manifest;
  return {
    ...rest,
    weights: get('list_weights', (1 + manifest.members) * (manifest.vocab + 1) * B),
    reference: { lists, targets: get('list_reference_targets', R * B), mask: get('list_reference_mask', R * B) },
    inBag: Uint8Array.from(get('list_in_bag', manifest.members * R)),
  };
}
