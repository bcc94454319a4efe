import { slotPosition, type DecodeOptions, type DecodedList } from './decode';

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
 * pass per length tried. Unlike the unconstrained search it cannot drop low-logit tokens from the
 * candidates (a weak member may be the one that meets a group), so it is used only for the lists
 * that break a group.
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
  // Candidates: every allowed token, in order of predicted position (ties by index).
  const items: number[] = [];
  for (let v = 0; v < V; v++) if (!allowed || allowed[v]) items.push(v);
  items.sort((x, y) => positions[x]! - positions[y]! || x - y);
  const m = items.length;
  // Allowed tokens by logit, descending (ties by index): the length bounds and the pruning use them.
  const ranked = [...items].sort((x, y) => logits[y]! - logits[x]! || x - y);
  const byLogit = ranked.map((v) => logits[v]!);
  const prior = options.lengthLogPrior ?? (() => 0);
  const minLength = Math.max(1, options.minLength ?? 1);
  const maxLength = Math.min(options.maxLength, m);
  const lengths: { length: number; bound: number }[] = [];
  let prefix = 0;
  for (let L = 1; L <= maxLength; L++) {
    prefix += byLogit[L - 1]!;
    if (L >= minLength) lengths.push({ length: L, bound: prefix + prior(L) });
  }
  lengths.sort((x, y) => y.bound - x.bound || x.length - y.length);
  let best: DecodedList | null = null;
  for (const { length: L, bound } of lengths) {
    if (best && bound <= best.score) break;
    const found = bestOfLength(L, candidatesOfLength(L, items, ranked, logits, positions, options, memberOf), logits, positions, options, memberOf, S, full);
    if (found && (!best || found.score + prior(L) > best.score)) best = { indices: found.indices, score: found.score + prior(L) };
  }
  return best;
}

/**
 * The tokens an optimal list of length L can hold, in position order: every group member, and the
 * others that pass the unconstrained decoder's exchange bound. One of the L + 1 best tokens by
 * logit stays out of any list of L; a non-member u in the list could be swapped for it at u's slot
 * without losing a group (u met none), so an optimal list's u has a(u) ≥ min over those w of
 * a(w) − λ·(w's worst squared distance to a slot). Members may be needed for a group whatever
 * their logit, so they all stay.
 */
function candidatesOfLength(L: number, items: readonly number[], ranked: readonly number[], logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions, memberOf: Uint16Array): number[] {
  if (L >= ranked.length) return items as number[];
  const first = slotPosition(0, L, options.positionScale);
  const last = slotPosition(L - 1, L, options.positionScale);
  let threshold = Infinity;
  for (let i = 0; i <= L; i++) {
    const w = ranked[i]!;
    const mu = positions[w]!;
    threshold = Math.min(threshold, logits[w]! - options.lambda * Math.max((mu - first) ** 2, (last - mu) ** 2));
  }
  return items.filter((v) => memberOf[v] !== 0 || logits[v]! >= threshold);
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
