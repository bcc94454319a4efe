import { describe, expect, it } from 'vitest';
import { OverlapIndex, compareLists, positionWeight } from '../../../src/shared/ml/overlap';
import { seededRandom } from '../../../src/shared/ml/random';

describe('compareLists', () => {
  it('reports Jaccard and the shared and differing ingredients', () => {
    const o = compareLists(['water', 'glycerin', 'niacinamide'], ['water', 'glycerin', 'zinc']);
    expect(o.jaccard).toBeCloseTo(2 / 4);
    expect(o.shared).toEqual(['water', 'glycerin']);
    expect(o.onlyInFirst).toEqual(['niacinamide']);
    expect(o.onlyInSecond).toEqual(['zinc']);
  });

  it('weights agreement at the top of the list more than in the tail', () => {
    const base = ['a', 'b', 'c', 'd', 'e', 'f'];
    const sameTop = compareLists(base, ['a', 'b', 'c', 'x', 'y', 'z']);
    const sameTail = compareLists(base, ['x', 'y', 'z', 'd', 'e', 'f']);
    expect(sameTop.jaccard).toBeCloseTo(sameTail.jaccard);
    expect(sameTop.weightedJaccard).toBeGreaterThan(sameTail.weightedJaccard);
    // Worked value: shared a,b,c at equal positions → Σw(0..2) / (Σw(0..2) + 2·Σw(3..5)).
    const top = positionWeight(0) + positionWeight(1) + positionWeight(2);
    const tail = positionWeight(3) + positionWeight(4) + positionWeight(5);
    expect(sameTop.weightedJaccard).toBeCloseTo(top / (top + 2 * tail), 12);
  });

  it('is 1 for identical lists and 0 for disjoint ones', () => {
    expect(compareLists([1, 2, 3], [1, 2, 3])).toMatchObject({ jaccard: 1, weightedJaccard: 1 });
    expect(compareLists([1, 2], [3, 4])).toMatchObject({ jaccard: 0, weightedJaccard: 0 });
  });
});

describe('OverlapIndex', () => {
  it('gives every catalog list the weighted Jaccard compareLists gives', () => {
    const rand = seededRandom(5);
    const list = () => Array.from({ length: 3 + Math.floor(rand() * 20) }, () => Math.floor(rand() * 40));
    const catalog = Array.from({ length: 200 }, list);
    catalog.push([]);
    const index = new OverlapIndex(catalog);
    for (let q = 0; q < 50; q++) {
      const query = list();
      const all = index.weightedJaccards(query);
      catalog.forEach((c, row) => expect(all[row]).toBeCloseTo(compareLists(query, c).weightedJaccard, 12));
    }
  });

  it('is 1 for a list in the catalog, 0 for a disjoint one, 1 for two empty lists', () => {
    const index = new OverlapIndex([[1, 2, 3], [4, 5], []]);
    expect(Array.from(index.weightedJaccards([1, 2, 3]))).toEqual([1, 0, 0]);
    expect(Array.from(index.weightedJaccards([]))).toEqual([0, 0, 1]);
  });
});
