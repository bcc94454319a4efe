import { describe, expect, it } from 'vitest';
import { decodeConstrained, UnsatisfiableConstraints, type DecodeConstraints } from '../../../src/shared/ml/constrained-decode';
import { decodeUniqueList, scoreList, type PositionScale } from '../../../src/shared/ml/decode';
import { seededRandom } from '../../../src/shared/ml/random';

/** Every ordered list of distinct allowed items that obeys the constraints, scored: the ground truth (null: none obeys). */
function bruteForce(logits: number[], positions: number[], lambda: number, maxLength: number, c: DecodeConstraints, scale: PositionScale, prior: (length: number) => number) {
  let best: { indices: number[]; score: number } | null = null;
  const items = logits.map((_, i) => i).filter((i) => !c.allowed || c.allowed[i]);
  const longest = Math.min(maxLength, c.maxLength ?? Infinity);
  const obeys = (list: number[]) =>
    list.length >= (c.minLength ?? 1) && c.required.every((r) => list.includes(r)) && c.atLeastOne.every((g) => g.some((t) => list.includes(t)));
  const extend = (list: number[]) => {
    if (list.length > 0 && obeys(list)) {
      const score = scoreList(list, logits, positions, lambda, scale) + prior(list.length);
      if (!best || score > best.score + 1e-9) best = { indices: [...list], score };
    }
    if (list.length === longest) return;
    for (const v of items) if (!list.includes(v)) extend([...list, v]);
  };
  extend([]);
  return best as { indices: number[]; score: number } | null;
}

describe('decodeConstrained', () => {
  it('matches brute force under exclusions, required tokens, at-least-one groups, length bounds and a length prior (400 random cases)', () => {
    const r = seededRandom(15);
    let forced = 0;
    let grouped = 0;
    let impossible = 0;
    for (let k = 0; k < 400; k++) {
      const V = 3 + Math.floor(r() * 4);
      const logits = Array.from({ length: V }, () => (r() - 0.6) * 8);
      const positions = Array.from({ length: V }, () => r() * 1.2 - 0.1);
      const lambda = [0.5, 2, 10, 40][k % 4]!;
      const maxLength = 1 + Math.floor(r() * V);
      const scale: PositionScale = k % 2 ? { kind: 'log', maxLength: V + 2 } : { kind: 'relative' };
      const centre = 1 + r() * V;
      const prior = k % 3 === 0 ? (L: number) => -0.8 * (L - centre) ** 2 : () => 0;
      const allowed = k % 4 === 1 ? Uint8Array.from(logits.map(() => (r() < 0.8 ? 1 : 0))) : null;
      const required = k % 3 === 2 ? [Math.floor(r() * V)] : k % 7 === 0 ? [0, V - 1] : [];
      const atLeastOne = k % 2 === 0 ? [[Math.floor(r() * V), Math.floor(r() * V)]] : [];
      const minLength = k % 5 === 0 ? 2 : undefined;
      const constraints: DecodeConstraints = { allowed, required, atLeastOne, ...(minLength ? { minLength } : {}), ...(k % 6 === 0 ? { maxLength: Math.max(1, maxLength - 1) } : {}) };
      const truth = bruteForce(logits, positions, lambda, maxLength, constraints, scale, prior);
      const options = { lambda, maxLength, positionScale: scale, lengthLogPrior: prior };
      if (!truth) {
        expect(() => decodeConstrained(logits, positions, options, constraints)).toThrow(UnsatisfiableConstraints);
        impossible++;
        continue;
      }
      const got = decodeConstrained(logits, positions, options, constraints);
      expect(got.score).toBeCloseTo(truth.score, 6);
      expect(scoreList(got.indices, logits, positions, lambda, scale) + prior(got.indices.length)).toBeCloseTo(truth.score, 6);
      for (const t of required) expect(got.indices).toContain(t);
      for (const g of atLeastOne) expect(g.some((t) => got.indices.includes(t))).toBe(true);
      if (allowed) for (const t of got.indices) expect(allowed[t]).toBe(1);
      const free = decodeUniqueList(logits, positions, options);
      if (free.score > got.score + 1e-9) {
        if (required.length) forced++;
        else grouped++;
      }
    }
    // The constraints really bit in many cases, and some cases had no list that obeys them.
    expect(forced).toBeGreaterThan(20);
    expect(grouped).toBeGreaterThan(5);
    expect(impossible).toBeGreaterThan(0);
  });

  it('places a required token where the model puts it and keeps the unconstrained list when it already obeys', () => {
    // Token 3 is unlikely (logit −6) but predicted near the end of the list.
    const logits = [4, 3, 2, -6, 1];
    const positions = [0, 0.3, 0.6, 0.95, 0.8];
    const options = { lambda: 4, maxLength: 5 };
    const free = decodeUniqueList(logits, positions, options);
    expect(free.indices).not.toContain(3);
    const got = decodeConstrained(logits, positions, options, { allowed: null, required: [3], atLeastOne: [] });
    expect(got.indices.at(-1)).toBe(3);
    expect(decodeConstrained(logits, positions, options, { allowed: null, required: [], atLeastOne: [[0, 3]] })).toEqual(free);
  });

  it('says when no list can obey: a required token excluded, a group with no allowed member, too many required for the length', () => {
    const logits = [1, 2, 3];
    const positions = [0.1, 0.5, 0.9];
    const options = { lambda: 1, maxLength: 3 };
    const none = Uint8Array.from([1, 0, 1]);
    expect(() => decodeConstrained(logits, positions, options, { allowed: none, required: [1], atLeastOne: [] })).toThrow(/required token 1 is not allowed/);
    expect(() => decodeConstrained(logits, positions, options, { allowed: none, required: [], atLeastOne: [[1]] })).toThrow(/group 1 has no allowed member/);
    expect(() => decodeConstrained(logits, positions, options, { allowed: null, required: [0, 1, 2], atLeastOne: [], maxLength: 2 })).toThrow(/do not fit/);
  });
});
