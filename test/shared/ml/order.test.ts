import { describe, expect, it } from 'vitest';
import { PairOrderCounts, decodeOrderedList, orderByPrecedence } from '../../../src/shared/ml/order';
import { decodeUniqueList } from '../../../src/shared/ml/decode';

describe('pair-order counts', () => {
  const lists = [
    [0, 1, 2],
    [0, 2, 1],
    [0, 1, 3],
    [1, 0],
    [4, 5],
  ];
  const counts = PairOrderCounts.fromLists(lists, 6);

  it('counts each pair in both orders, whichever token is smaller', () => {
    expect(counts.counts(0, 1)).toEqual([3, 1]);
    expect(counts.counts(1, 0)).toEqual([1, 3]);
    expect(counts.counts(0, 2)).toEqual([2, 0]);
    expect(counts.counts(2, 1)).toEqual([1, 1]);
    expect(counts.probability(0, 1)).toBeCloseTo(4 / 6, 12);
    expect(counts.probability(1, 0)).toBeCloseTo(2 / 6, 12);
  });

  it('drops pairs seen once (they say little) and reads them as unknown: probability ½', () => {
    expect(counts.counts(4, 5)).toEqual([0, 0]);
    expect(counts.counts(1, 3)).toEqual([0, 0]);
    expect(counts.probability(4, 5)).toBe(0.5);
    expect(counts.size).toBe(3); // (0,1), (0,2), (1,2)
  });

  it('round-trips through bytes, from any offset, and refuses another vocabulary or a cut file', () => {
    const bytes = counts.toBytes();
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const back = PairOrderCounts.fromBytes(shifted.subarray(3), 6);
    for (const [a, b] of [[0, 1], [1, 0], [0, 2], [1, 2], [4, 5]] as const) expect(back.counts(a, b)).toEqual(counts.counts(a, b));
    expect(() => PairOrderCounts.fromBytes(bytes, 7)).toThrow(/for 6 tokens, the model has 7/);
    expect(() => PairOrderCounts.fromBytes(bytes.subarray(0, bytes.length - 2), 6)).toThrow(/does not match its length/);
    expect(() => PairOrderCounts.fromBytes(new Uint8Array(20), 6)).toThrow(/unknown format/);
  });
});

describe('ordering a decoded list', () => {
  it('keeps the predicted-position order where the catalog has nothing to say', () => {
    const none = PairOrderCounts.fromLists([], 4);
    expect(orderByPrecedence([2, 0, 1], [0.3, 0.9, 0.1, 0.5], none)).toEqual([2, 0, 1]);
  });

  it('follows the catalog where it is sure and the model hesitates', () => {
    // The catalog always lists 1 before 0 (20 times); the model places them close, 0 first.
    const counts = PairOrderCounts.fromLists(Array.from({ length: 20 }, () => [1, 0]), 3);
    const positions = [0.40, 0.45, 0.9];
    expect(orderByPrecedence([0, 1, 2], positions, counts)).toEqual([1, 0, 2]);
    // A wide gap in predicted positions outweighs the same evidence.
    expect(orderByPrecedence([0, 1, 2], [0.0, 1.0, 0.5], counts)).toEqual([0, 2, 1]);
  });

  it('re-ranks the exact decoder’s set without changing it', () => {
    const logits = [3, 2.5, 2, -4, 1.5];
    const positions = [0.2, 0.25, 0.6, 0.5, 0.9];
    const options = { lambda: 4, maxLength: 5 };
    const plain = decodeUniqueList(logits, positions, options).indices;
    const counts = PairOrderCounts.fromLists(Array.from({ length: 30 }, () => [4, 1, 0, 2]), 5);
    const ordered = decodeOrderedList(logits, positions, options, counts);
    expect([...ordered].sort()).toEqual([...plain].sort());
    expect(ordered).not.toEqual(plain);
    expect(decodeOrderedList(logits, positions, options, null)).toEqual(plain);
  });
});
