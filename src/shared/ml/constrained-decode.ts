import { decodeUniqueList, lengthLogPriorFor, type DecodeOptions, type DecodedList } from './decode';
import { decodeWithGroups } from './group-decode';

/**
 * Exact decoding under a design brief's hard constraints (issue 15): the list that maximises the
 * decoder's objective among the lists that obey them, not the best list filtered afterwards.
 *
 * - Excluded tokens (named ingredients, free-from families): masked, never considered.
 * - Required tokens: each gets a constant bonus M on its logit. Every list holding all of them
 *   gains exactly M·|R|, so their order is unchanged, and with M above any score difference a
 *   list missing one can never win. The fixed-length search still places each where the model's
 *   positions put it best. The score returned has the bonus taken off again.
 * - "At least one of" a group (a functional class): if the best list already holds a member it is
 *   the answer; otherwise one exact search with the groups met so far as part of its state
 *   (group-decode.ts). Branching on each member instead cost 6–12 s per 10,000-sample job when
 *   most lists lacked the class.
 * - Length: the brief's bounds narrow the decoder's (with at least |R| + the groups' count).
 *
 * The length prior is read from the unshifted logits, as the unconstrained decoder reads it.
 */

export interface DecodeConstraints {
  /** 1 for tokens the brief allows (already combined with the decoder's own mask); null: all. */
  allowed: Uint8Array | null;
  /** Tokens every list must hold. */
  required: readonly number[];
  /** Each group: the list must hold at least one of these tokens. */
  atLeastOne: readonly (readonly number[])[];
  minLength?: number;
  maxLength?: number;
}

/** Why no list can obey the constraints (the caller's message names the constraint). */
export class UnsatisfiableConstraints extends Error {}

/**
 * The exact best list under the constraints. Throws UnsatisfiableConstraints when none exists
 * (a required token not allowed, a group with no allowed member, or more required tokens than
 * the longest list allowed).
 */
export function decodeConstrained(logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions, constraints: DecodeConstraints): DecodedList {
  const V = logits.length;
  const allowed = combineMasks(options.allowed ?? null, constraints.allowed, V);
  const required = [...new Set(constraints.required)];
  for (const r of required) if (allowed && !allowed[r]) throw new UnsatisfiableConstraints(`required token ${r} is not allowed`);
  const groups = constraints.atLeastOne.map((g) => g.filter((t) => !allowed || allowed[t]));
  groups.forEach((g, i) => {
    if (g.length === 0) throw new UnsatisfiableConstraints(`group ${i + 1} has no allowed member`);
  });
  const maxLength = Math.min(options.maxLength, constraints.maxLength ?? Infinity);
  const minLength = Math.max(options.minLength ?? 1, constraints.minLength ?? 1);
  if (required.length > maxLength) throw new UnsatisfiableConstraints(`${required.length} required tokens do not fit in ${maxLength}`);
  if (minLength > maxLength) throw new UnsatisfiableConstraints(`no length from ${minLength} to ${maxLength}`);
  const prior = options.lengthLogPrior ?? lengthLogPriorFor(options.lengthPrior, logits);
  const base: DecodeOptions = { ...options, allowed, maxLength, minLength, ...(prior ? { lengthLogPrior: prior } : {}) };
  return search(logits, positions, base, required, groups);
}

/** The best list holding every `required` token and one of each group (groups may be empty). */
function search(logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions, required: readonly number[], groups: readonly (readonly number[])[]): DecodedList {
  const best = withRequired(logits, positions, options, required);
  if (groups.every((g) => g.some((t) => best.indices.includes(t)))) return best;
  // A group is unmet: one search with the groups met so far in its state (group-decode.ts), the
  // required tokens forced in by the same bonus.
  const bonus = required.length ? requiredBonus(logits, positions, options) : 0;
  const shifted = Float64Array.from(logits as ArrayLike<number>);
  for (const r of required) shifted[r] = shifted[r]! + bonus;
  const found = decodeWithGroups(shifted, positions, { ...options, minLength: Math.max(options.minLength ?? 1, required.length) }, groups);
  if (!found || required.some((r) => !found.indices.includes(r))) throw new UnsatisfiableConstraints('no list holds the required tokens and one of each group within the length allowed');
  return { indices: found.indices, score: found.score - bonus * required.length };
}

/** Exact decoding with the required tokens forced in by a constant logit bonus (see above). */
function withRequired(logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions, required: readonly number[]): DecodedList {
  if (required.length > options.maxLength) throw new UnsatisfiableConstraints(`${required.length} required tokens do not fit in ${options.maxLength}`);
  if (required.length === 0) return decodeUniqueList(logits, positions, options);
  const bonus = requiredBonus(logits, positions, options);
  const shifted = Float64Array.from(logits as ArrayLike<number>);
  for (const r of required) shifted[r] = shifted[r]! + bonus;
  const minLength = Math.max(options.minLength ?? 1, required.length);
  const decoded = decodeUniqueList(shifted, positions, { ...options, minLength });
  if (required.some((r) => !decoded.indices.includes(r))) throw new UnsatisfiableConstraints('the required tokens cannot all be placed');
  return { indices: decoded.indices, score: decoded.score - bonus * required.length };
}

/**
 * M larger than any difference between two lists' scores: each logit counts at most once, each
 * item's position misfit is at most λ·(|predicted position| + 1)² (slot positions lie in 0–1),
 * and the prior's range over the allowed lengths is added.
 */
function requiredBonus(logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions): number {
  let total = 0;
  let misfit = 0;
  for (let v = 0; v < logits.length; v++) {
    total += Math.abs(logits[v]!);
    misfit += options.lambda * (Math.abs(positions[v]!) + 1) ** 2;
  }
  let priorRange = 0;
  const prior = options.lengthLogPrior;
  if (prior) {
    let pMin = Infinity;
    let pMax = -Infinity;
    for (let L = 1; L <= options.maxLength; L++) {
      const p = prior(L);
      pMin = Math.min(pMin, p);
      pMax = Math.max(pMax, p);
    }
    priorRange = pMax - pMin;
  }
  return 2 * (total + misfit + priorRange) + 1;
}

function combineMasks(a: Uint8Array | null, b: Uint8Array | null, V: number): Uint8Array | null {
  if (!a) return b;
  if (!b) return a;
  const out = new Uint8Array(V);
  for (let v = 0; v < V; v++) out[v] = a[v]! && b[v]! ? 1 : 0;
  return out;
}
