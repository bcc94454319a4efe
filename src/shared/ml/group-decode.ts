import { exchangeThreshold, leastGain, selectSmallestByKey, slotPosition, sortByKey, type DecodeOptions, type DecodedList } from './decode';

/**
 * The exact best list that holds at least one token of each group (issue 15's "at least one of a
 * functional class"), in one search: for each length, a dynamic programme over the allowed
 * tokens in order of predicted position, as the unconstrained decoder's fixed-length search, with
 * the set of groups met so far as part of the state (2^G states for G groups). Lengths are tried
 * in order of an upper bound (the L largest allowed logits plus log p(L): the position misfit only
 * lowers a score) until none can beat the best found.
 *
 * Branching on each member of an unmet group instead (one decode per member) cost 6–12 s per
 * 10,000-sample job when most lists lacked the class (a surfactant among serums); this costs one
 * pass per length tried. Like the unconstrained search it drops the tokens the exchange bound
 * rules out, but only non-members (a weak member may be the one that meets a group); it is used
 * only for the lists that break a group.
 */
export function decodeWithGroups(logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions, groups: readonly (readonly number[])[]): DecodedList | null {
  const V = logits.length;
  const allowed = options.allowed;
  const G = groups.length;
  if (G > 8) throw new Error(`at most 8 at-least-one groups are supported, got ${G}`);
  const S = 1 << G;
  const full = S - 1;
  const memberOf = new Uint16Array(V);
  groups.forEach((g, k) => {
    for (const t of g) memberOf[t] = memberOf[t]! | (1 << k);
  });
  // The allowed tokens' L + 1 best by logit for every length: the top maxLength + 1, found by
  // selection and sorted (descending logit, ties by index), without sorting the whole vocabulary.
  let n = 0;
  const keys = new Float64Array(V);
  const ids = new Int32Array(V);
  for (let v = 0; v < V; v++) {
    if (allowed && !allowed[v]) continue;
    keys[n] = -logits[v]!;
    ids[n++] = v;
  }
  const minLength = Math.max(1, options.minLength ?? 1);
  const maxLength = Math.min(options.maxLength, n);
  const top = Math.min(n, maxLength + 1);
  selectSmallestByKey(keys, ids, n, top);
  sortByKey(keys, ids, top);
  const ranked = Array.from(ids.subarray(0, top));
  // Per length, the exchange bound on non-members (nonMemberThreshold); the loosest decides which
  // tokens are worth sorting by position at all.
  const thresholds = new Float64Array(maxLength + 1).fill(-Infinity);
  let loosest = Infinity;
  for (let L = minLength; L <= maxLength; L++) {
    thresholds[L] = nonMemberThreshold(L, ranked, logits, positions, options);
    loosest = Math.min(loosest, thresholds[L]!);
  }
  const itemKeys = new Float64Array(n);
  const items32 = new Int32Array(n);
  let m = 0;
  for (let v = 0; v < V; v++) {
    if (allowed && !allowed[v]) continue;
    if (memberOf[v] === 0 && logits[v]! < loosest) continue;
    itemKeys[m] = positions[v]!;
    items32[m++] = v;
  }
  sortByKey(itemKeys, items32, m); // by predicted position, ties by index
  const items = Array.from(items32.subarray(0, m));
  // Each group's allowed members (a token in several groups is in each of their lists).
  const members = groups.map((g) => [...new Set(g)].filter((t) => !allowed || allowed[t]));
  const prior = options.lengthLogPrior ?? (() => 0);
  const lengths: { length: number; bound: number }[] = [];
  let prefix = 0;
  for (let L = 1; L <= maxLength; L++) {
    prefix += logits[ranked[L - 1]!]!;
    if (L >= minLength) lengths.push({ length: L, bound: prefix + prior(L) });
  }
  lengths.sort((x, y) => y.bound - x.bound || x.length - y.length);
  let best: DecodedList | null = null;
  for (const { length: L, bound } of lengths) {
    if (best && bound <= best.score) break;
    const threshold = thresholds[L]!;
    const perGroup = memberThresholds(L, members, logits, positions, options);
    const candidates = items.filter((v) => {
      const bits = memberOf[v]!;
      if (bits === 0) return logits[v]! >= threshold;
      if ((bits & (bits - 1)) !== 0) return true; // in several groups: always kept
      return logits[v]! >= perGroup[31 - Math.clz32(bits)]!;
    });
    const found = bestOfLength(L, candidates, logits, positions, options, memberOf, S, full);
    if (found && (!best || found.score + prior(L) > best.score)) best = { indices: found.indices, score: found.score + prior(L) };
  }
  return best;
}

/**
 * The exchange bound for a token in exactly one group k, for lists of L tokens: among the L + 1
 * members of k with the largest least gain (decode.ts: leastGain), one stays out of any list of
 * L; swapping it in for u at u's slot keeps group k met (it is a member too), so in an optimal
 * list a(u) is at least the (L + 1)-th largest of those values. −∞ when k has at most L members.
 */
function memberThresholds(L: number, members: readonly (readonly number[])[], logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions): Float64Array {
  const [first, last] = slotRange(L, options);
  return Float64Array.from(members, (group) => {
    if (group.length <= L) return -Infinity;
    const values = Float64Array.from(group, (w) => leastGain(w, logits, positions, options.lambda, first, last));
    values.sort();
    return values[values.length - 1 - L]!;
  });
}

/**
 * The unconstrained decoder's exchange bound (decode.ts: exchangeThreshold) for lists of L
 * tokens. It holds for non-members: swapping one out loses no group. −∞ when every token fits.
 */
function nonMemberThreshold(L: number, ranked: readonly number[], logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions): number {
  if (L >= ranked.length) return -Infinity;
  const [first, last] = slotRange(L, options);
  return exchangeThreshold(L, ranked, logits, positions, options.lambda, first, last);
}

function slotRange(L: number, options: DecodeOptions): [number, number] {
  return [slotPosition(0, L, options.positionScale), slotPosition(L - 1, L, options.positionScale)];
}

/** The best list of exactly L tokens meeting every group (score without the length prior), or null. */
function bestOfLength(
  L: number,
  items: readonly number[],
  logits: ArrayLike<number>,
  positions: ArrayLike<number>,
  options: DecodeOptions,
  memberOf: Uint16Array,
  S: number,
  full: number,
): DecodedList | null {
  const m = items.length;
  const slots = new Float64Array(L);
  for (let j = 0; j < L; j++) slots[j] = slotPosition(j, L, options.positionScale);
  const width = (L + 1) * S;
  // f[j·S + mask]: best value with j slots filled, meeting the groups in `mask`.
  const f = new Float64Array(width).fill(-Infinity);
  f[0] = 0;
  // from[i·width + j·S + q]: 1 + the mask before item i filled slot j reaching q (0: not taken).
  const from = new Uint16Array(m * width);
  const lambda = options.lambda;
  for (let i = 0; i < m; i++) {
    const v = items[i]!;
    const a = logits[v]!;
    const mu = positions[v]!;
    const bits = memberOf[v]!;
    const hi = Math.min(i + 1, L);
    const lo = Math.max(1, L - (m - i) + 1);
    const row = i * width;
    for (let j = hi; j >= lo; j--) {
      const d = slots[j - 1]! - mu;
      const gain = a - lambda * d * d;
      const before = (j - 1) * S;
      const after = j * S;
      for (let p = 0; p < S; p++) {
        const prev = f[before + p]!;
        if (prev === -Infinity) continue;
        const q = p | bits;
        const value = prev + gain;
        if (value > f[after + q]!) {
          f[after + q] = value;
          from[row + after + q] = p + 1;
        }
      }
    }
  }
  const score = f[L * S + full]!;
  if (score === -Infinity) return null;
  const indices: number[] = new Array<number>(L);
  let j = L;
  let mask = full;
  for (let i = m - 1; i >= 0 && j > 0; i--) {
    const t = from[i * width + j * S + mask]!;
    if (t) {
      indices[j - 1] = items[i]!;
      mask = t - 1;
      j--;
    }
  }
  return { indices, score };
}
