import { describe, expect, it } from 'vitest';
import { categoryProbabilities, classifyCategory, crossValidateCategories, positionWeight, trainCategoryClassifier } from '../../../src/shared/ml/category-classifier';
import { seededRandom } from '../../../src/shared/ml/random';

/**
 * Synthetic catalogs: each category has its own signature ingredients (ids 100+) high in the
 * list, over a shared pool of common ones (ids 0–39) that say nothing.
 */
function catalog(perClass: number, seed: number): { lists: number[][]; labels: string[] } {
  const random = seededRandom(seed);
  const lists: number[][] = [];
  const labels: string[] = [];
  ['cleanser', 'serum', 'sunscreen'].forEach((label, c) => {
    for (let i = 0; i < perClass; i++) {
      const common = Array.from({ length: 12 }, () => Math.floor(random() * 40));
      const signature = [100 + c * 10 + Math.floor(random() * 5), 100 + c * 10 + 5 + Math.floor(random() * 5)];
      lists.push([...new Set([common[0]!, ...signature, ...common.slice(1)])]);
      labels.push(label);
    }
  });
  return { lists, labels };
}

describe('bag-of-ingredients category classifier', () => {
  it('learns categories that signature ingredients decide, and reads a new list by them', () => {
    const { lists, labels } = catalog(60, 1);
    const model = trainCategoryClassifier(lists, labels);
    expect(model.classes).toEqual(['cleanser', 'serum', 'sunscreen']);
    const read = classifyCategory(model, [3, 121, 126, 7, 9]);
    expect(read.category).toBe('sunscreen');
    expect(read.probability).toBeGreaterThan(0.8);
    const p = categoryProbabilities(model, [3, 101, 7]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(p[0]).toBeGreaterThan(p[1]!);
    // A list of only uninformative ingredients is not read confidently as anything.
    expect(Math.max(...categoryProbabilities(model, [1, 2, 3, 4, 5]))).toBeLessThan(0.7);
    // Held out, the signatures carry over.
    const cv = crossValidateCategories(lists, labels, 5);
    expect(cv.accuracy).toBeGreaterThan(0.95);
    expect(Object.keys(cv.perClass).sort()).toEqual(['cleanser', 'serum', 'sunscreen']);
  });

  it('is deterministic for a seed, and weighs the top of a list most', () => {
    const { lists, labels } = catalog(30, 2);
    const a = trainCategoryClassifier(lists, labels, { seed: 7 });
    const b = trainCategoryClassifier(lists, labels, { seed: 7 });
    expect(categoryProbabilities(a, lists[0]!)).toEqual(categoryProbabilities(b, lists[0]!));
    expect(positionWeight(0)).toBe(1);
    expect(positionWeight(10)).toBeCloseTo(0.5, 10);
    expect(positionWeight(20)).toBeCloseTo(1 / 3, 10);
    // The same signature read higher in the list counts for more.
    const high = categoryProbabilities(a, [121, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])[2]!;
    const low = categoryProbabilities(a, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 121])[2]!;
    expect(high).toBeGreaterThan(low);
    expect(() => trainCategoryClassifier([[1]], ['a', 'b'])).toThrow('one label per list');
  });
});
