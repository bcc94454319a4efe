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
  const values = new Float64Array(logits.length);
  let n = 0;
  for (let v = 0; v < logits.length; v++) if (!mask || mask[v]) values[n++] = logits[v]!;
  const maxLength = Math.min(options.maxLength, n);
  const minLength = Math.max(1, options.minLength ?? 1);
  if (maxLength < minLength) return { indices: [], score: 0 };
  const byLogitDesc = (x: number, y: number) => logits[y]! - logits[x]! || x - y;

  // Fast path: lengths below K0 only ever need items with a ≥ a_(K0) − λ (each threshold used is
  // a_(L+1) − λ with L + 1 ≤ K0), so only that slice is sorted, found by a linear-time selection.
  const k0 = Math.min(n, FAST_SLICE);
  const kth = selectDescending(values.subarray(0, n), k0 - 1);
  const slice: number[] = [];
  for (let v = 0; v < logits.length; v++) if ((!mask || mask[v]) && logits[v]! >= kth - lambda) slice.push(v);
  slice.sort(byLogitDesc);
  let best = searchLengths(slice, minLength, Math.min(maxLength, k0 - 1), logits, positions, lambda, options.positionScale, { indices: [], score: -Infinity });
  if (maxLength < k0) return best;

  // Lengths ≥ K0: when a_(K0) ≤ 0 their bound (the sum of their L largest logits) cannot exceed
  // the sum of the first K0 − 1, so they are pruned if the best list already reaches that.
  const firstSum = slice.slice(0, k0 - 1).reduce((s, v) => s + logits[v]!, 0);
  if (kth <= 0 && best.score >= firstSum) return best;
  const byLogit: number[] = [];
  for (let v = 0; v < logits.length; v++) if (!mask || mask[v]) byLogit.push(v);
  byLogit.sort(byLogitDesc);
  best = searchLengths(byLogit, Math.max(minLength, k0), maxLength, logits, positions, lambda, options.positionScale, best);
  return best;
}

/** Items sorted by logit in the fast path: enough for typical lists of a few dozen ingredients. */
const FAST_SLICE = 64;

/** Branch-and-bound over lengths in [from, to] using `byLogit` (a descending prefix of the order). */
function searchLengths(
  byLogit: readonly number[],
  from: number,
  to: number,
  logits: ArrayLike<number>,
  positions: ArrayLike<number>,
  lambda: number,
  scale: PositionScale | undefined,
  start: DecodedList,
): DecodedList {
  const lengths: { length: number; bound: number }[] = [];
  let prefix = 0;
  for (let L = 1; L <= to; L++) {
    prefix += logits[byLogit[L - 1]!]!;
    if (L >= from) lengths.push({ length: L, bound: prefix });
  }
  lengths.sort((x, y) => y.bound - x.bound || x.length - y.length);
  let best = start;
  for (const { length, bound } of lengths) {
    if (bound <= best.score) break; // sorted by bound: no later length can win either
    const candidate = bestListOfLength(length, byLogit, logits, positions, lambda, scale);
    if (candidate.score > best.score) best = candidate;
  }
  return best;
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

function bestListOfLength(L: number, byLogit: readonly number[], logits: ArrayLike<number>, positions: ArrayLike<number>, lambda: number, scale?: PositionScale): DecodedList {
  const n = byLogit.length;
  let m = n;
  if (L < n) {
    // One of the top L + 1 items stays unused; swapping it in for an item u at u's slot must
    // not improve the list, so a(u) ≥ min over those w of a(w) − λ·(w's worst squared distance
    // to any slot). Positions and slots lie in [first slot, last slot] ⊆ [0, 1].
    const first = slotPosition(0, L, scale);
    const last = slotPosition(L - 1, L, scale);
    let threshold = Infinity;
    for (let i = 0; i <= L; i++) {
      const w = byLogit[i]!;
      const mu = positions[w]!;
      const worst = Math.max((mu - first) ** 2, (last - mu) ** 2);
      threshold = Math.min(threshold, logits[w]! - lambda * worst);
    }
    m = L + 1;
    while (m < n && logits[byLogit[m]!]! >= threshold) m++;
  }
  const items = byLogit.slice(0, m).sort((x, y) => positions[x]! - positions[y]! || x - y);
  // f[j]: best value with j slots filled by items seen so far, in order; take[i * (L + 1) + j]
  // records whether item i filled slot j on the best path (for backtracking).
  const f = new Float64Array(L + 1).fill(-Infinity);
  f[0] = 0;
  const take = new Uint8Array(m * (L + 1));
  for (let i = 0; i < m; i++) {
    const v = items[i]!;
    const a = logits[v]!;
    const mu = positions[v]!;
    // Slot j can only be reached if at least j items were seen and (m - i) items remain for the rest.
    const hi = Math.min(i + 1, L);
    const lo = Math.max(1, L - (m - i) + 1);
    for (let j = hi; j >= lo; j--) {
      const prev = f[j - 1]!;
      if (prev === -Infinity) continue;
      const d = slotPosition(j - 1, L, scale) - mu;
      const value = prev + a - lambda * d * d;
      if (value > f[j]!) {
        f[j] = value;
        take[i * (L + 1) + j] = 1;
      }
    }
  }
  const indices: number[] = new Array<number>(L);
  let j = L;
  for (let i = m - 1; i >= 0 && j > 0; i--) {
    if (take[i * (L + 1) + j]) {
      indices[j - 1] = items[i]!;
      j--;
    }
  }
  return { indices, score: f[L]! };
}
