import {
  NoveltyIndex,
  PrecedenceTable,
  orderingPlausibility,
  structuralChecks,
  type IncompatibleGroups,
  type IngredientFacts,
} from '../../shared/ml/checks';
import { decodeUniqueList, type DecodeOptions, type PositionScale } from '../../shared/ml/decode';
import { decodeConstrained } from '../../shared/ml/constrained-decode';
import { orderByPrecedence, type PairOdds } from '../../shared/ml/order';
import { completeList, functionalTokens, type FunctionalTokens } from './completion';
import { catalogLengths, type CatalogLengths } from './ranking';
import { scoreTokenLists, type ListScorerSpec } from './list-scorer';

/**
 * The pure-JavaScript work of the generate job, run by the compute process's main thread and by
 * its helper thread alike (src/main/compute/shared-work.ts): log-sum-exp rows of the density
 * estimate, and decoding plus checking of candidates. Nothing here touches TensorFlow.js.
 */

/** What a candidate check needs to know about the catalog, built once per catalog and thread. */
export interface CatalogContextSpec {
  catalogLists: number[][];
  facts: [number, IngredientFacts][];
  incompatible: { a: number[]; b: number[]; reason: string }[];
  /**
   * The catalog's own statistics when already known (the compute thread sends the helper what it
   * computed: scoring every catalog product leave-one-out is most of a cold context's build).
   */
  known?: { catalogMedianPlausibility: number; catalogStructureShare: number };
}

/**
 * How to turn one row of decoder outputs into a list: the model's decoding settings (plain data,
 * posted to the helper thread), with each token's ingredient id.
 */
export interface DecoderSpec extends Omit<DecodeOptions, 'lengthLogPrior'> {
  positionScale: PositionScale;
  /** 1 for tokens that may be emitted. */
  allowed: Uint8Array;
  /** Ingredient id of each token (−1 for buckets, which are never emitted). */
  ingredientIds: Int32Array;
  /**
   * Re-rank each list with the catalog's precedence table (src/shared/ml/order.ts), as the
   * model's own decoding does with its stored pair-order counts; false for models saved before.
   */
  reorder?: boolean;
  /** A design brief's required tokens, at-least-one groups and length bounds (its mask is already in `allowed`); absent: none. */
  constraints?: { required: number[]; atLeastOne: number[][]; minLength?: number; maxLength?: number };
}

/** The thresholds a candidate must meet (a subset of the job's parameters). */
export interface CheckThresholds {
  minNovelty: number;
  minPlausibility: number;
  benefitThresholds: Record<string, number>;
  /**
   * Lists shorter than this fail (the generate job: the catalog's 5th percentile of length, unless
   * the request allows short lists). Absent: only the structural length range applies.
   */
  minLength?: number;
  /** Add a missing preservative or emulsifier to a decoded list (completion.ts); absent: no. */
  completeStructure?: boolean;
}

/** A checked candidate, before the job adds its code and density. */
export interface CheckedCandidate {
  ingredientIds: number[];
  novelty: number;
  /** Row (in the catalog lists) of the most similar catalog product. */
  nearestRow: number;
  plausibility: number;
  benefits: Record<string, number>;
  /** Half-width of each benefit's 80 % interval, when the benefits were predicted with one. */
  uncertainty?: Record<string, number>;
  passed: boolean;
  score: number;
  reasons: string[];
  /** The list passes the structural checks (structuralChecks: preservation, emulsification, length range, compatibility). */
  structureOk: boolean;
  /** Ingredient ids the job added to the decoded list by the structural rules (completion.ts). */
  added?: number[];
}

export interface CatalogContext {
  table: PrecedenceTable;
  novelty: NoveltyIndex;
  facts: ReadonlyMap<number, IngredientFacts>;
  incompatible: IncompatibleGroups[];
  /** The 2nd and 98th percentiles of the catalog's list lengths. */
  lengthRange: [number, number];
  /** The catalog's length percentiles and bands (the length-fair ranking). */
  lengths: CatalogLengths;
  catalogMedianPlausibility: number;
  /** Share of the catalog's own lists that pass the structural checks (the bar for completeness). */
  catalogStructureShare: number;
}

/** A cheap identity for a catalog (FNV-1a over its lists and the number of facts). */
export function catalogKey(catalogLists: readonly (readonly number[])[], factCount: number): string {
  let h = 0x811c9dc5;
  for (const list of catalogLists) {
    for (const id of list) h = Math.imul(h ^ id, 0x01000193);
    h = Math.imul(h ^ 0xffff, 0x01000193);
  }
  return `${catalogLists.length}:${h >>> 0}:${factCount}`;
}

function median(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/** Precedence table, novelty index, length range and the catalog's own median plausibility. */
export function buildCatalogContext(spec: CatalogContextSpec): CatalogContext {
  const lists = spec.catalogLists;
  // Candidates only hold vocabulary ingredients (seen in ≥ 2 products); index just those.
  const seen = new Map<number, number>();
  for (const list of lists) for (const id of new Set(list)) seen.set(id, (seen.get(id) ?? 0) + 1);
  const table = new PrecedenceTable(lists, [...seen].filter(([, c]) => c >= 2).map(([id]) => id));
  const facts = new Map(spec.facts);
  const fact = (id: number) => facts.get(id);
  const n = lists.length;
  const lengths = lists.map((l) => l.length).sort((a, b) => a - b);
  const lengthRange: [number, number] = [lengths[Math.floor(0.02 * (n - 1))] ?? 0, lengths[Math.ceil(0.98 * (n - 1))] ?? 0];
  const incompatible = spec.incompatible.map((p) => ({ a: new Set(p.a), b: new Set(p.b), reason: p.reason }));
  return {
    table,
    novelty: new NoveltyIndex(lists),
    facts,
    incompatible,
    lengthRange,
    lengths: catalogLengths(lists),
    // The catalog's own median, each product scored leave-one-out (as a new list is scored).
    catalogMedianPlausibility: spec.known?.catalogMedianPlausibility ?? median(lists.map((l) => orderingPlausibility(l, table, fact, true).score)),
    catalogStructureShare: spec.known?.catalogStructureShare ?? (n ? lists.filter((l) => structuralChecks(l, fact, lengthRange, incompatible).ok).length / n : 1),
  };
}

/**
 * Checks one list: validity, novelty, ordering plausibility, structure and benefit thresholds,
 * each failure with a reason. `shown` is the list to score when `list` is null (an unknown
 * token: invalid, but its other properties are still measured for the quality panel).
 * `predicted` null: the benefits come later (withBenefits), and until then the candidate has none.
 */
export function checkCandidate(ctx: CatalogContext, thresholds: CheckThresholds, list: number[] | null, predicted: Record<string, number> | null, shown?: number[]): CheckedCandidate {
  const fact = (id: number) => ctx.facts.get(id);
  const reasons: string[] = [];
  const ids = list ?? shown ?? [];
  if (list === null) reasons.push('the decoded list contains an ingredient the model cannot name');
  const repeated = new Set(ids).size !== ids.length;
  if (repeated) reasons.push('an ingredient is repeated');
  const near = ctx.novelty.nearest(ids);
  const nov = 1 - near.jaccard;
  if (near.jaccard >= 0.999) reasons.push('identical to a catalog product');
  else if (nov < thresholds.minNovelty) reasons.push(`too close to a catalog product (shares ${(near.jaccard * 100).toFixed(0)} % of ingredients)`);
  const plaus = orderingPlausibility(ids, ctx.table, fact);
  if (plaus.score < thresholds.minPlausibility) reasons.push(`ordering plausibility ${plaus.score.toFixed(2)} is below ${thresholds.minPlausibility}`);
  reasons.push(...plaus.reasons.map((r) => `order: ${r}`));
  const structure = structuralChecks(ids, fact, ctx.lengthRange, ctx.incompatible);
  reasons.push(...structure.reasons);
  const tooShort = thresholds.minLength !== undefined && ids.length < thresholds.minLength;
  if (tooShort) reasons.push(`only ${ids.length} ingredients: shorter than 95 % of catalog products (allow short lists to rank it)`);
  const failed = list === null || repeated || nov < thresholds.minNovelty || near.jaccard >= 0.999 || plaus.score < thresholds.minPlausibility || !structure.ok || tooShort;
  const checked: CheckedCandidate = {
    ingredientIds: ids,
    novelty: nov,
    nearestRow: near.row,
    plausibility: plaus.score,
    benefits: {},
    passed: !failed,
    structureOk: structure.ok,
    // Plausibility and novelty weigh most; requested benefits break ties among good ones (see
    // withBenefits). The plausibility is shrunk toward the catalog median by the list's pairs (a
    // mean over few pairs is extreme by chance: a one-ingredient list has 1.0), see ranking.ts.
    score: 0.45 * shrunkPlausibility(plaus.score, ids.length, ctx.catalogMedianPlausibility) + 0.35 * nov,
    reasons,
  };
  return predicted ? withBenefits(checked, thresholds.benefitThresholds, predicted) : checked;
}

/**
 * Gives a checked candidate its predicted benefits: each threshold it misses fails it with a
 * reason, and the requested benefits' mean (held to 0–1) adds a fifth of the score (0.5 when none
 * is requested). The generate job calls it after the other checks when benefits are predicted
 * from the decoded lists (see GenerateInputs.scoreLists); `uncertainty` comes with them.
 */
export function withBenefits(checked: CheckedCandidate, benefitThresholds: Readonly<Record<string, number>>, predicted: Record<string, number>, uncertainty?: Record<string, number>): CheckedCandidate {
  const names = Object.keys(benefitThresholds);
  let failed = false;
  for (const name of names) {
    const v = predicted[name];
    if (v === undefined) checked.reasons.push(`the model does not predict "${name}"`);
    else if (v < benefitThresholds[name]!) checked.reasons.push(`predicted ${name} ${v.toFixed(2)} is below ${benefitThresholds[name]}`);
    if (!(v !== undefined && v >= benefitThresholds[name]!)) failed = true;
  }
  const relevance = names.length ? names.reduce((s, b) => s + Math.min(1, Math.max(0, predicted[b] ?? 0)), 0) / names.length : 0.5;
  checked.benefits = predicted;
  if (uncertainty) checked.uncertainty = uncertainty;
  checked.passed &&= !failed;
  checked.score += 0.2 * relevance;
  return checked;
}

/** Pseudo-pairs at the catalog's median plausibility: a 15-ingredient list (105 pairs) keeps half its own. */
const PLAUSIBILITY_PRIOR_PAIRS = 100;

/** Ordering plausibility of a list of `length` ingredients, shrunk toward the catalog median by its number of pairs. */
export function shrunkPlausibility(plausibility: number, length: number, catalogMedian: number): number {
  const pairs = (length * (length - 1)) / 2;
  return (pairs * plausibility + PLAUSIBILITY_PRIOR_PAIRS * catalogMedian) / (pairs + PLAUSIBILITY_PRIOR_PAIRS);
}

/**
 * Decodes rows of decoder outputs (rows × V, row-major) exactly, completes each list by the
 * structural rules when asked (completion.ts), and checks it; with a list scorer, each list's
 * benefits are predicted from the list (as the editor does) and the benefit thresholds applied.
 */
export function decodeAndCheckRows(
  ctx: CatalogContext,
  decoder: DecoderSpec,
  thresholds: CheckThresholds,
  logits: Float32Array,
  positions: Float32Array,
  benefits: readonly (Record<string, number> | null)[],
  scorer: ListScorerSpec | null = null,
): CheckedCandidate[] {
  const V = decoder.ingredientIds.length;
  const rows = logits.length / V;
  const out: CheckedCandidate[] = [];
  const finalTokens: number[][] = [];
  const functional = thresholds.completeStructure ? functionalTokensOf(ctx, decoder.ingredientIds) : null;
  // The catalog's pairwise order, read through the tokens' ingredient ids.
  const catalogOdds: PairOdds = { probability: (x, y) => ctx.table.probability(decoder.ingredientIds[x]!, decoder.ingredientIds[y]!) };
  for (let i = 0; i < rows; i++) {
    const a = logits.subarray(i * V, (i + 1) * V);
    const m = positions.subarray(i * V, (i + 1) * V);
    const { indices } = decoder.constraints ? decodeConstrained(a, m, decoder, { allowed: null, ...decoder.constraints }) : decodeUniqueList(a, m, decoder);
    const completed = functional
      ? completeList(indices, a, m, decoder.ingredientIds, ctx.facts, functional, decoder.constraints ? { allowed: decoder.allowed, maxLength: decoder.constraints.maxLength } : undefined)
      : { tokens: indices, notes: [] };
    // Completion first, so an added preservative is placed by the same pairwise order as the rest.
    const tokens = decoder.reorder ? orderByPrecedence(completed.tokens, m, catalogOdds) : completed.tokens;
    // Only emittable tokens are decoded or added, and each has an ingredient id.
    const checked = checkCandidate(ctx, thresholds, tokens.map((t) => decoder.ingredientIds[t]!), benefits[i]!);
    if (completed.notes.length) {
      const decoded = new Set(indices);
      checked.added = completed.tokens.filter((t) => !decoded.has(t)).map((t) => decoder.ingredientIds[t]!);
      checked.reasons.unshift(...completed.notes);
    }
    out.push(checked);
    if (scorer) finalTokens.push(tokens);
  }
  // The editor's scoring of each decoded list, then the benefit thresholds on it.
  if (scorer) scoreTokenLists(scorer, finalTokens).forEach((s, i) => withBenefits(out[i]!, thresholds.benefitThresholds, s.values, s.uncertainty ?? undefined));
  return out;
}

/** Each thread's functional tokens per catalog context, kept while the model (its tokens' ingredient ids) is the same. */
const functionalCache = new WeakMap<CatalogContext, { ids: Int32Array; tokens: FunctionalTokens }>();

/** The tokens completion may add, found once per catalog and model on each thread rather than per batch. */
function functionalTokensOf(ctx: CatalogContext, ingredientIds: Int32Array): FunctionalTokens {
  const cached = functionalCache.get(ctx);
  // The helper thread receives a copy of the ids with every batch: compare contents, not identity.
  if (cached && cached.ids.length === ingredientIds.length && cached.ids.every((id, t) => id === ingredientIds[t])) return cached.tokens;
  const tokens = functionalTokens(ingredientIds, ctx.facts);
  functionalCache.set(ctx, { ids: ingredientIds, tokens });
  return tokens;
}

/**
 * exp(x) for x ≤ 0 from a table of exp(−i/64) and a 4th-order Taylor step (relative error below
 * 1e-11, far under float32's 6e-8), a third the cost of Math.exp. Below −LSE_CUT it is never called.
 */
const EXP_TABLE = Float64Array.from({ length: 64 * 32 + 2 }, (_, i) => Math.exp(-i / 64));

/**
 * Terms more than this far below a row's maximum are skipped: together they add at most
 * 20,000 · e^−26 ≈ 1e-7 to a sum of at least 1, a change of the log density below 1e-7, under
 * the resolution of the float32 exponents it is computed from. Valid up to 20,000 references.
 */
const LSE_CUT = 26;
const LSE_MAX_TERMS = 20_000;

/**
 * log Σ_j exp(x_ij) for each row of a (rows × n) block of float32 exponents, as exact as the
 * float32 inputs allow. `self` (if given) is the column index of row 0's own term, excluded
 * along the diagonal (row i skips column self + i): the leave-one-out density.
 */
export function logSumExpRows(block: Float32Array, rows: number, n: number, self: number | null): Float64Array {
  if (n > LSE_MAX_TERMS) throw new Error(`logSumExpRows supports up to ${LSE_MAX_TERMS} terms per row, got ${n}`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * n;
    const skip = self === null ? -1 : self + i;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const x = block[o + j]!;
      if (x > max && j !== skip) max = x;
    }
    if (max === -Infinity) {
      out[i] = -Infinity;
      continue;
    }
    const cut = max - LSE_CUT;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const x = block[o + j]!;
      if (x > cut && j !== skip) {
        const y = (max - x) * 64;
        const k = y | 0;
        const r = (k - y) / 64;
        sum += EXP_TABLE[k]! * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r / 24))));
      }
    }
    out[i] = max + Math.log(sum);
  }
  return out;
}
