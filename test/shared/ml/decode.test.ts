import { describe, expect, it } from 'vitest';
import { decodeUniqueList, expectedCount, lengthLogPriorFor, scoreList, slotPosition, type PositionScale } from '../../../src/shared/ml/decode';
import { seededRandom as rng } from '../../../src/shared/ml/random';

/** Every ordered list of distinct allowed items, scored: the ground truth. */
function bruteForce(logits: number[], positions: number[], lambda: number, maxLength: number, allowed?: Uint8Array, scale?: PositionScale, prior: (length: number) => number = () => 0) {
  let best = { indices: [] as number[], score: -Infinity };
  const items = logits.map((_, i) => i).filter((i) => !allowed || allowed[i]);
  const extend = (list: number[]) => {
    if (list.length > 0) {
      const score = scoreList(list, logits, positions, lambda, scale) + prior(list.length);
      if (score > best.score + 1e-12) best = { indices: [...list], score };
    }
    if (list.length === maxLength) return;
    for (const v of items) if (!list.includes(v)) extend([...list, v]);
  };
  extend([]);
  return best;
}

/**
 * The plain exact search: every length, all items sorted, the basic a_(L+1) − λ candidate bound.
 * Verified by brute force on small cases; the reference for long lists.
 */
function plainSearch(logits: ArrayLike<number>, positions: ArrayLike<number>, lambda: number, maxLength: number, minLength = 1): number {
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((x, y) => logits[y]! - logits[x]! || x - y);
  let best = -Infinity;
  for (let L = minLength; L <= Math.min(maxLength, order.length); L++) {
    const threshold = L < order.length ? logits[order[L]!]! - lambda : -Infinity;
    const items = order.filter((v) => logits[v]! >= threshold).sort((x, y) => positions[x]! - positions[y]! || x - y);
    const f = new Float64Array(L + 1).fill(-Infinity);
    f[0] = 0;
    for (const v of items) {
      for (let j = L; j >= 1; j--) {
        if (f[j - 1] === -Infinity) continue;
        const d = slotPosition(j - 1, L) - positions[v]!;
        f[j] = Math.max(f[j]!, f[j - 1]! + logits[v]! - lambda * d * d);
      }
    }
    best = Math.max(best, f[L]!);
  }
  return best;
}

/** A random small problem (3…6 items: up to 1,956 ordered lists), varied by case number `c`. */
function smallCase(r: () => number, c: number) {
  const vocab = 3 + Math.floor(r() * 4);
  const logits = Array.from({ length: vocab }, () => (r() - 0.6) * 8);
  const positions = Array.from({ length: vocab }, () => r());
  const lambda = [0.5, 2, 10, 40][c % 4]!;
  const maxLength = 1 + Math.floor(r() * vocab);
  const allowed = c % 5 === 0 ? Uint8Array.from(logits.map((_, i) => (i === 0 ? 0 : 1))) : undefined;
  const positionScale: PositionScale = c % 2 ? { kind: 'log', maxLength: vocab + 2 } : { kind: 'relative' };
  return { vocab, logits, positions, lambda, maxLength, allowed, positionScale };
}

/** A random long problem of `base`…`base` + 79 items with logits around `shift`. */
function longCase(r: () => number, c: number, base: number, shift: number) {
  const vocab = base + Math.floor(r() * 80);
  const logits = Float32Array.from({ length: vocab }, () => (r() - 0.5) * 6 + shift);
  const positions = Float32Array.from({ length: vocab }, () => r());
  return { vocab, logits, positions, lambda: [1, 4, 12][c % 3]! };
}

describe('decodeUniqueList', () => {
  it('agrees with the plain search on long lists, including lengths past the fast slice', () => {
    const r = rng(11);
    for (let c = 0; c < 40; c++) {
      // Mostly positive logits in some cases, so the best list is longer than 64 items.
      const { vocab, logits, positions, lambda } = longCase(r, c, 120, c % 2 ? 2.5 : -1.5);
      const got = decodeUniqueList(logits, positions, { lambda, maxLength: vocab });
      expect(got.score).toBeCloseTo(plainSearch(logits, positions, lambda, vocab), 6);
      if (c % 2) expect(got.indices.length).toBeGreaterThan(64);
    }
  });

  it('matches brute force on 300 random small cases, on both position scales', () => {
    const r = rng(42);
    for (let c = 0; c < 300; c++) {
      const { logits, positions, lambda, maxLength, allowed, positionScale } = smallCase(r, c);
      const truth = bruteForce(logits, positions, lambda, maxLength, allowed, positionScale);
      const got = decodeUniqueList(logits, positions, { lambda, maxLength, allowed, positionScale });
      expect(got.score).toBeCloseTo(truth.score, 9);
      expect(scoreList(got.indices, logits, positions, lambda, positionScale)).toBeCloseTo(got.score, 9);
    }
  });

  it('with a length prior, matches brute force for the objective with log p(L) added', () => {
    const r = rng(5);
    for (let c = 0; c < 300; c++) {
      const { vocab, logits, positions, lambda, maxLength, allowed, positionScale } = smallCase(r, c);
      // Half the cases: the stored expected-count prior; the other half an arbitrary one.
      const weights = Array.from({ length: vocab + 1 }, () => (r() - 0.5) * 10);
      const prior = c % 2 ? lengthLogPriorFor({ kind: 'expected-count', sd: [0.5, 1, 3][c % 3]! }, logits)! : (L: number) => weights[L]!;
      const truth = bruteForce(logits, positions, lambda, maxLength, allowed, positionScale, prior);
      const got = decodeUniqueList(logits, positions, { lambda, maxLength, allowed, positionScale, lengthLogPrior: prior });
      expect(got.score).toBeCloseTo(truth.score, 9);
      expect(scoreList(got.indices, logits, positions, lambda, positionScale) + prior(got.indices.length)).toBeCloseTo(got.score, 9);
    }
  });

  it('with the expected-count prior, agrees with the plain search plus the prior past the fast slice', () => {
    const r = rng(13);
    for (let c = 0; c < 30; c++) {
      const { vocab, logits, positions, lambda } = longCase(r, c, 150, c % 2 ? 2 : -2);
      const prior = lengthLogPriorFor({ kind: 'expected-count', sd: 1 }, logits)!;
      const got = decodeUniqueList(logits, positions, { lambda, maxLength: vocab, lengthPrior: { kind: 'expected-count', sd: 1 } });
      let best = -Infinity;
      for (let L = 1; L <= vocab; L++) best = Math.max(best, plainSearch(logits, positions, lambda, L, L) + prior(L));
      expect(got.score).toBeCloseTo(best, 6);
    }
  });

  it('the expected-count prior brings a list of many likely-but-unsure items to the expected length', () => {
    // 40 items at p ≈ 0.4 each and 5 sure ones: the plain maximum keeps the 5, the expected count is 21.
    const logits = [...Array.from({ length: 5 }, () => 4), ...Array.from({ length: 40 }, () => Math.log(0.4 / 0.6))];
    const positions = logits.map((_, i) => (i < 5 ? i / 4 : (i - 5) / 39));
    expect(decodeUniqueList(logits, positions, { lambda: 4, maxLength: 45 }).indices).toHaveLength(5);
    expect(expectedCount(logits)).toBeCloseTo(5 / (1 + Math.exp(-4)) + 16, 9);
    const withPrior = decodeUniqueList(logits, positions, { lambda: 4, maxLength: 45, lengthPrior: { kind: 'expected-count', sd: 1 } });
    expect(Math.abs(withPrior.indices.length - expectedCount(logits))).toBeLessThanOrEqual(1);
    expect(withPrior.indices).toEqual(expect.arrayContaining([0, 1, 2, 3, 4]));
  });

  it('never repeats an ingredient and never emits a forbidden token', () => {
    const r = rng(7);
    const vocab = 400;
    const allowed = Uint8Array.from({ length: vocab }, (_, i) => (i % 10 === 0 ? 0 : 1));
    for (let c = 0; c < 50; c++) {
      const logits = Float32Array.from({ length: vocab }, (_, i) => (i % 10 === 0 ? 12 : (r() - 0.9) * 10));
      const positions = Float32Array.from({ length: vocab }, () => r());
      const { indices } = decodeUniqueList(logits, positions, { lambda: 3, maxLength: 60, allowed });
      expect(new Set(indices).size).toBe(indices.length);
      expect(indices.every((i) => allowed[i] === 1)).toBe(true);
      expect(indices.length).toBeGreaterThan(0);
    }
  });

  it('orders a list by predicted position', () => {
    const logits = [5, 5, 5, -9];
    const positions = [0.9, 0.1, 0.5, 0];
    expect(decodeUniqueList(logits, positions, { lambda: 1, maxLength: 4 }).indices).toEqual([1, 2, 0]);
  });

  it('keeps a confident ingredient even when its position fits badly, and drops unlikely ones', () => {
    // Item 3 has a high logit but no good slot; item 2 is unlikely (p ≈ 0.05).
    const got = decodeUniqueList([4, 4, -3, 6], [0, 1, 0.5, 0.5], { lambda: 2, maxLength: 4 });
    expect(got.indices).toEqual([0, 3, 1]);
  });

  it('puts slots evenly between 0 and 1', () => {
    expect([0, 1, 2, 3, 4].map((j) => slotPosition(j, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(slotPosition(0, 1)).toBe(0);
    expect(slotPosition(3, 10, { kind: 'log', maxLength: 15 })).toBeCloseTo(Math.log(4) / Math.log(16), 12);
  });
});
