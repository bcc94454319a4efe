import { describe, expect, it } from 'vitest';
import { scoreList, type PositionScale } from '../../../src/shared/ml/decode';
import { decodeWithGroups } from '../../../src/shared/ml/group-decode';
import { seededRandom } from '../../../src/shared/ml/random';

/** Every ordered list of distinct allowed items holding one of each group, scored: the ground truth. */
function bruteForce(logits: number[], positions: number[], lambda: number, minLength: number, maxLength: number, allowed: Uint8Array | null, groups: number[][], scale: PositionScale, prior: (l: number) => number) {
  let best: number | null = null;
  const items = logits.map((_, i) => i).filter((i) => !allowed || allowed[i]);
  const extend = (list: number[]) => {
    if (list.length >= minLength && groups.every((g) => g.some((t) => list.includes(t)))) {
      const score = scoreList(list, logits, positions, lambda, scale) + prior(list.length);
      if (best === null || score > best) best = score;
    }
    if (list.length === maxLength) return;
    for (const v of items) if (!list.includes(v)) extend([...list, v]);
  };
  extend([]);
  return best as number | null;
}

describe('decodeWithGroups', () => {
  it('matches brute force with one, two and three groups, masks, length bounds and a prior (300 random cases)', () => {
    const r = seededRandom(21);
    let none = 0;
    for (let c = 0; c < 300; c++) {
      const V = 3 + Math.floor(r() * 4);
      const logits = Array.from({ length: V }, () => (r() - 0.6) * 8);
      const positions = Array.from({ length: V }, () => r() * 1.2 - 0.1);
      const lambda = [0.5, 2, 10, 40][c % 4]!;
      const maxLength = 1 + Math.floor(r() * V);
      const minLength = c % 5 === 0 ? 2 : 1;
      const scale: PositionScale = c % 2 ? { kind: 'log', maxLength: V + 2 } : { kind: 'relative' };
      const centre = 1 + r() * V;
      const prior = c % 3 === 0 ? (L: number) => -0.8 * (L - centre) ** 2 : () => 0;
      const allowed = c % 4 === 1 ? Uint8Array.from(logits.map(() => (r() < 0.8 ? 1 : 0))) : null;
      const groups = Array.from({ length: 1 + (c % 3) }, () => [Math.floor(r() * V), Math.floor(r() * V)]);
      const truth = bruteForce(logits, positions, lambda, minLength, maxLength, allowed, groups, scale, prior);
      const got = decodeWithGroups(logits, positions, { lambda, maxLength, minLength, allowed, positionScale: scale, lengthLogPrior: prior }, groups);
      if (truth === null) {
        expect(got).toBeNull();
        none++;
        continue;
      }
      expect(got).not.toBeNull();
      expect(got!.score).toBeCloseTo(truth, 6);
      expect(scoreList(got!.indices, logits, positions, lambda, scale) + prior(got!.indices.length)).toBeCloseTo(truth, 6);
      for (const g of groups) expect(g.some((t) => got!.indices.includes(t))).toBe(true);
      expect(new Set(got!.indices).size).toBe(got!.indices.length);
    }
    expect(none).toBeGreaterThan(0);
  });

  it('matches brute force on larger vocabularies, where the exchange bound drops most non-members (120 random cases)', () => {
    const r = seededRandom(8);
    for (let c = 0; c < 120; c++) {
      const V = 9 + Math.floor(r() * 4);
      // A few strong tokens and many weak ones, as a decoder's logits are.
      const logits = Array.from({ length: V }, (_, i) => (i < 4 ? 2 + r() * 4 : -6 + r() * 5));
      const positions = Array.from({ length: V }, () => r());
      const lambda = [0.5, 4, 20][c % 3]!;
      const maxLength = 1 + Math.floor(r() * 4);
      const scale: PositionScale = { kind: 'relative' };
      const allowed = c % 5 === 2 ? Uint8Array.from(logits.map(() => (r() < 0.85 ? 1 : 0))) : null;
      // Groups of weak tokens: the list must reach below the strong ones.
      const groups = Array.from({ length: 1 + (c % 2) }, () => [4 + Math.floor(r() * (V - 4)), 4 + Math.floor(r() * (V - 4))]);
      const truth = bruteForce(logits, positions, lambda, 1, maxLength, allowed, groups, scale, () => 0);
      const got = decodeWithGroups(logits, positions, { lambda, maxLength, minLength: 1, allowed, positionScale: scale }, groups);
      if (truth === null) {
        expect(got).toBeNull();
        continue;
      }
      expect(got!.score).toBeCloseTo(truth, 6);
      for (const g of groups) expect(g.some((t) => got!.indices.includes(t))).toBe(true);
    }
  });

  it('matches brute force when groups have more members than a list has places (100 random cases)', () => {
    const r = seededRandom(13);
    for (let c = 0; c < 100; c++) {
      const V = 10 + Math.floor(r() * 3);
      const logits = Array.from({ length: V }, () => -4 + r() * 8);
      const positions = Array.from({ length: V }, () => r());
      const lambda = [1, 8][c % 2]!;
      const maxLength = 1 + Math.floor(r() * 4);
      const scale: PositionScale = { kind: 'relative' };
      // Two large, overlapping groups (a class like the emollients has hundreds of members).
      const pick = () => logits.map((_, i) => i).filter(() => r() < 0.5);
      const groups = [pick(), pick()].filter((g) => g.length > 0);
      const truth = bruteForce(logits, positions, lambda, 1, maxLength, null, groups, scale, () => 0);
      const got = decodeWithGroups(logits, positions, { lambda, maxLength, minLength: 1, allowed: null, positionScale: scale }, groups);
      if (truth === null) {
        expect(got).toBeNull();
        continue;
      }
      expect(got!.score).toBeCloseTo(truth, 6);
      for (const g of groups) expect(g.some((t) => got!.indices.includes(t))).toBe(true);
    }
  });
});
