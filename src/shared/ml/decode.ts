/**
 * Exact decoding of an ingredient list from the decoder's outputs.
 *
 * The model scores a list v_1 … v_L (distinct ingredients, in concentration order) as
 *
 *   log p(list | z) = const + Σ_j [ a(v_j) − λ · (r_j − μ(v_j))² ],   r_j = (j − 1) / (L − 1),
 *
 * where a(v) is the presence logit of ingredient v (independent Bernoullis: Σ log p + Σ log(1−p)
 * over the vocabulary is a constant plus the sum of the chosen items' logits) and μ(v) ∈ [0, 1]
 * the predicted relative position of v, with Gaussian noise of variance 1/(2λ).
 *
 * The most likely list is found exactly:
 * - for a fixed set, placing the items in increasing μ is optimal (rearrangement inequality on
 *   Σ (r_j − μ)²), so a list is a subset matched in μ-order to the slots: a DP over the items
 *   sorted by μ and the slots 1…L;
 * - an item u can be in an optimal list of length L only if a(u) ≥ min over the top L+1 items w
 *   of a(w) − λ·(w's largest squared distance to a slot): otherwise swapping u for an unused
 *   item among the top L+1 improves the list. So only a prefix of the items sorted by logit is
 *   searched, and only a slice of the order is ever sorted;
 * - lengths are searched best-bound-first: Σ of the L largest logits bounds every list of
 *   length L from above, so lengths whose bound cannot beat the best list found are skipped.
 *
 * Tokens that must never be emitted (the unknown / rare-ingredient buckets) are excluded.
 *
 * A length prior log p(L) can be added to the objective (`lengthPrior`, `lengthLogPrior`): the fixed-length
 * search is unchanged (the prior is a constant for each L) and each length's bound gains log p(L),
 * so the decoder stays exact for the objective with the prior. Without it the mode of the
 * independent-presence model keeps only the items with p > ½ (minus position misfit): about half
 * as many as a real list holds (docs/model-design.md, "Length, ranking and completeness").
 */

export interface DecodeOptions {
  /** Weight of the position term, λ = 1 / (2σ²). */
  lambda: number;
  /** How slots map to positions (default: relative, j / (L − 1)); must match training. */
  positionScale?: PositionScale;
  /** Longest list considered. */
  maxLength: number;
  /** Shortest list considered (default 1). */
  minLength?: number;
  /** 1 for tokens that may be emitted; omitted = all. */
  allowed?: Uint8Array | null;
  /** The model's stored length prior (see {@link LengthPrior}); omitted = none. */
  lengthPrior?: LengthPrior;
  /**
   * log p(L) as a function, added to the score of every list of length L; overrides
   * `lengthPrior`. Default 0: the model's own independent-presence objective.
   */
  lengthLogPrior?: (length: number) => number;
}

export interface DecodedList {
  /** Vocabulary indices in concentration order (most concentrated first). */
  indices: number[];
  /** log p(list | z) up to the constant. */
  score: number;
}

/**
 * How a list position becomes the number the position head predicts:
 * - `relative`: j / (L − 1), the share of the list above the ingredient;
 * - `log`: log(1 + j) / log(1 + M) for lists of up to M ingredients, independent of L, which
 *   spreads the top of the list (where concentrations differ most) and compresses the tail
 *   below the 1 % line. Both increase with j, which is all the exact decoder relies on.
 */
export type PositionScale = { kind: 'relative' } | { kind: 'log'; maxLength: number };

/** The position value of slot j (0-based) in a list of length L. */
export function slotPosition(j: number, length: number, scale: PositionScale = { kind: 'relative' }): number {
  if (scale.kind === 'log') return Math.min(1, Math.log1p(j) / Math.log1p(Math.max(1, scale.maxLength)));
  return length <= 1 ? 0 : j / (length - 1);
}

/** Scores a given list under the model (for tests and for re-scoring edited lists). */
export function scoreList(indices: readonly number[], logits: ArrayLike<number>, positions: ArrayLike<number>, lambda: number, scale?: PositionScale): number {
  let s = 0;
  indices.forEach((v, j) => {
    const d = slotPosition(j, indices.length, scale) - positions[v]!;
    s += logits[v]! - lambda * d * d;
  });
  return s;
}

/** The most likely list of distinct, allowed ingredients (see the module comment). */
export function decodeUniqueList(logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions): DecodedList {
  const { lambda } = options;
  const mask = options.allowed;
  const V = logits.length;
  const s = scratch(V);
  let n = 0;
  for (let v = 0; v < V; v++) if (!mask || mask[v]) s.values[n++] = logits[v]!;
  const maxLength = Math.min(options.maxLength, n);
  const minLength = Math.max(1, options.minLength ?? 1);
  if (maxLength < minLength) return { indices: [], score: 0 };
  const prior = options.lengthLogPrior ?? lengthLogPriorFor(options.lengthPrior, logits) ?? zeroPrior;
  const search: Search = { logits, positions, lambda, scale: options.positionScale, prior, s, count: 0 };

  // Fast path: lengths below K0 only ever need items with a ≥ a_(K0) − λ (each threshold used is
  // a_(L+1) − λ with L + 1 ≤ K0), so only that slice is sorted, found by a linear-time selection.
  const k0 = Math.min(n, FAST_SLICE);
  const kth = selectDescending(s.values.subarray(0, n), k0 - 1);
  collect(search, mask, kth - lambda, kth);
  let best = searchLengths(search, minLength, Math.min(maxLength, k0 - 1), { indices: [], score: -Infinity });
  if (maxLength < k0) return best;

  // Lengths ≥ K0: when a_(K0) ≤ 0 their bound (the sum of their L largest logits plus log p(L))
  // cannot exceed the sum of the first K0 − 1 plus the largest prior among them, so they are
  // pruned if the best list already reaches that.
  let firstSum = 0;
  for (let i = 0; i < k0 - 1; i++) firstSum += logits[s.byLogit[i]!]!;
  let priorMax = -Infinity;
  for (let L = Math.max(minLength, k0); L <= maxLength; L++) priorMax = Math.max(priorMax, prior(L));
  if (kth <= 0 && best.score >= firstSum + priorMax) return best;
  collect(search, mask, -Infinity, -Infinity);
  best = searchLengths(search, Math.max(minLength, k0), maxLength, best);
  return best;
}

/** Items sorted by logit in the fast path: enough for typical lists of a few dozen ingredients. */
const FAST_SLICE = 64;

/**
 * Reusable buffers: decoding runs thousands of times in a row, and allocating (and sorting with
 * a comparator) per list was most of its time. Grown on demand, never shrunk.
 */
interface Scratch {
  values: Float64Array;
  /** The leading candidates by logit, descending (ties by index): at least all lengths need. */
  byLogit: Int32Array;
  /** The first `count` entries: all candidate items by predicted position, ascending (ties by index). */
  byPosition: Int32Array;
  keys: Float64Array;
  items: Int32Array;
  slots: Float64Array;
  f: Float64Array;
  take: Uint8Array;
}

let shared: Scratch | null = null;

function scratch(V: number): Scratch {
  if (!shared || shared.values.length < V) {
    shared = {
      values: new Float64Array(V),
      byLogit: new Int32Array(V),
      byPosition: new Int32Array(V),
      keys: new Float64Array(V),
      items: new Int32Array(V),
      slots: new Float64Array(V + 1),
      f: new Float64Array(V + 1),
      take: new Uint8Array(4096),
    };
  }
  return shared;
}

/** One list's search: the model outputs and how many candidate items the scratch holds. */
interface Search {
  logits: ArrayLike<number>;
  positions: ArrayLike<number>;
  lambda: number;
  scale: PositionScale | undefined;
  prior: (length: number) => number;
  s: Scratch;
  count: number;
}

const zeroPrior = () => 0;

/**
 * Gathers the allowed items with logit ≥ `floor`, all of them sorted by position and those with
 * logit ≥ `top` sorted by logit (only the first few are ever read in logit order).
 */
function collect(search: Search, mask: Uint8Array | null | undefined, floor: number, top: number): void {
  const { logits, positions, s } = search;
  const { byLogit, byPosition, keys } = s;
  let c = 0;
  let t = 0;
  for (let v = 0; v < logits.length; v++) {
    if ((!mask || mask[v]) && logits[v]! >= floor) {
      byPosition[c++] = v;
      if (logits[v]! >= top) byLogit[t++] = v;
    }
  }
  search.count = c;
  for (let i = 0; i < t; i++) keys[i] = -logits[byLogit[i]!]!;
  sortByKey(keys, byLogit, t);
  for (let i = 0; i < c; i++) keys[i] = positions[byPosition[i]!]!;
  sortByKey(keys, byPosition, c);
}

/**
 * Sorts `items[0, count)` ascending by (key, item), permuting `keys` alongside: a quicksort on
 * typed arrays, with insertion sort for short runs.
 */
export function sortByKey(keys: Float64Array, items: Int32Array, count: number): void {
  const stack: number[] = [0, count - 1];
  while (stack.length) {
    let hi = stack.pop()!;
    let lo = stack.pop()!;
    while (hi - lo > 16) {
      partitionByKey(keys, items, lo, hi);
      const i = bounds[0]!;
      const j = bounds[1]!;
      // Keep the smaller side for later (a bounded stack); go on with the larger.
      if (j - lo < hi - i) {
        stack.push(lo, j);
        lo = i;
      } else {
        stack.push(i, hi);
        hi = j;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      const k = keys[i]!;
      const it = items[i]!;
      let j = i - 1;
      while (j >= lo && (keys[j]! > k || (keys[j] === k && items[j]! > it))) {
        keys[j + 1] = keys[j]!;
        items[j + 1] = items[j]!;
        j--;
      }
      keys[j + 1] = k;
      items[j + 1] = it;
    }
  }
}

/**
 * Moves the `k` smallest (key, item) pairs of the first `count` to the front, in no particular
 * order (Hoare selection with the partition of {@link sortByKey}).
 */
export function selectSmallestByKey(keys: Float64Array, items: Int32Array, count: number, k: number): void {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    partitionByKey(keys, items, lo, hi);
    const i = bounds[0]!;
    const j = bounds[1]!;
    if (k - 1 <= j) hi = j;
    else if (k - 1 >= i) lo = i;
    else return;
  }
}

/** Where the last partition ended: [i, j] (reused: the sort runs thousands of times per job). */
const bounds = new Int32Array(2);

/** Hoare partition of [lo, hi] around the middle (key, item) pair; the two sides' bounds land in `bounds`. */
function partitionByKey(keys: Float64Array, items: Int32Array, lo: number, hi: number): void {
  const mid = (lo + hi) >> 1;
  const pk = keys[mid]!;
  const pi = items[mid]!;
  let i = lo;
  let j = hi;
  while (i <= j) {
    while (keys[i]! < pk || (keys[i] === pk && items[i]! < pi)) i++;
    while (keys[j]! > pk || (keys[j] === pk && items[j]! > pi)) j--;
    if (i <= j) {
      const tk = keys[i]!;
      keys[i] = keys[j]!;
      keys[j] = tk;
      const ti = items[i]!;
      items[i] = items[j]!;
      items[j] = ti;
      i++;
      j--;
    }
  }
  bounds[0] = i;
  bounds[1] = j;
}

/** Branch-and-bound over lengths in [from, to] using the search's candidates. */
function searchLengths(search: Search, from: number, to: number, start: DecodedList): DecodedList {
  const lengths: { length: number; bound: number }[] = [];
  let prefix = 0;
  for (let L = 1; L <= to; L++) {
    prefix += search.logits[search.s.byLogit[L - 1]!]!;
    if (L >= from) lengths.push({ length: L, bound: prefix + search.prior(L) });
  }
  lengths.sort((x, y) => y.bound - x.bound || x.length - y.length);
  let best = start;
  for (const { length, bound } of lengths) {
    if (bound <= best.score) break; // sorted by bound: no later length can win either
    const candidate = bestListOfLength(length, search);
    candidate.score += search.prior(length);
    if (candidate.score > best.score) best = candidate;
  }
  return best;
}

/**
 * How a model's decoder chooses the length of a list, stored with the model (ModelConfig):
 * `expected-count` adds log N(L; E, sd²) with E = Σ σ(a_v) over every token, the number of
 * ingredients the presence probabilities expect in the list (rare-ingredient buckets included:
 * the real list has them too, so the nameable ones fill their places; over the emittable tokens
 * only, held-out lists came out 2–3 % shorter). Models saved without one decode as before.
 */
export type LengthPrior = { kind: 'expected-count'; sd: number };

/** The expected number of ingredients under independent presence: Σ σ(a_v). */
export function expectedCount(logits: ArrayLike<number>): number {
  let e = 0;
  for (let v = 0; v < logits.length; v++) e += 1 / (1 + Math.exp(-logits[v]!));
  return e;
}

/** log p(L) of `prior` for one row of decoder outputs (undefined: no prior). */
export function lengthLogPriorFor(prior: LengthPrior | undefined, logits: ArrayLike<number>): ((length: number) => number) | undefined {
  if (!prior) return undefined;
  const centre = expectedCount(logits);
  const scale = 1 / (2 * prior.sd * prior.sd);
  return (length) => -scale * (length - centre) * (length - centre);
}

/** The value at index `k` of `values` sorted descending (Hoare selection; reorders `values`). */
function selectDescending(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/**
 * The least gain of token w at any slot in [first, last]: a(w) − λ·(w's worst squared distance
 * to a slot), reached at one end.
 */
export function leastGain(w: number, logits: ArrayLike<number>, positions: ArrayLike<number>, lambda: number, first: number, last: number): number {
  const mu = positions[w]!;
  return logits[w]! - lambda * Math.max((mu - first) ** 2, (last - mu) ** 2);
}

/**
 * The exchange bound for lists of L tokens with slots in [first, last]: one of the L + 1 tokens
 * `byLogit[0..L]` stays out of any such list, and swapping it in for a token u at u's slot must
 * not improve an optimal list, so there a(u) ≥ min over those w of leastGain(w).
 */
export function exchangeThreshold(L: number, byLogit: ArrayLike<number>, logits: ArrayLike<number>, positions: ArrayLike<number>, lambda: number, first: number, last: number): number {
  let threshold = Infinity;
  for (let i = 0; i <= L; i++) threshold = Math.min(threshold, leastGain(byLogit[i]!, logits, positions, lambda, first, last));
  return threshold;
}

function bestListOfLength(L: number, search: Search): DecodedList {
  const { logits, positions, lambda, scale, s } = search;
  const { byLogit, byPosition, slots } = s;
  const n = search.count;
  for (let j = 0; j < L; j++) slots[j] = slotPosition(j, L, scale);
  const threshold = L < n ? exchangeThreshold(L, byLogit, logits, positions, lambda, slots[0]!, slots[L - 1]!) : -Infinity;
  // The candidates (every item at or above the threshold), already in position order.
  const items = s.items;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = byPosition[i]!;
    if (logits[v]! >= threshold) items[m++] = v;
  }
  // f[j]: best value with j slots filled by items seen so far, in order; take[i * (L + 1) + j]
  // records whether item i filled slot j on the best path (for backtracking).
  const f = s.f;
  f.fill(-Infinity, 0, L + 1);
  f[0] = 0;
  const width = L + 1;
  if (s.take.length < m * width) s.take = new Uint8Array(Math.max(m * width, 2 * s.take.length));
  const take = s.take;
  take.fill(0, 0, m * width);
  for (let i = 0; i < m; i++) {
    const v = items[i]!;
    const a = logits[v]!;
    const mu = positions[v]!;
    // Slot j can only be reached if at least j items were seen and (m - i) items remain for the rest.
    const hi = Math.min(i + 1, L);
    const lo = Math.max(1, L - (m - i) + 1);
    const row = i * width;
    for (let j = hi; j >= lo; j--) {
      const prev = f[j - 1]!;
      if (prev === -Infinity) continue;
      const d = slots[j - 1]! - mu;
      const value = prev + a - lambda * d * d;
      if (value > f[j]!) {
        f[j] = value;
        take[row + j] = 1;
      }
    }
  }
  const indices: number[] = new Array<number>(L);
  let j = L;
  for (let i = m - 1; i >= 0 && j > 0; i--) {
    if (take[i * width + j]) {
      indices[j - 1] = items[i]!;
      j--;
    }
  }
  return { indices, score: f[L]! };
}
