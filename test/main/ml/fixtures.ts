import type { TrainingData } from '../../../src/main/ml/dataset';
import { seededRandom } from '../../../src/shared/ml/random';

/**
 * A small synthetic catalog with real structure: three formula families (their own base and
 * actives, in a fixed order) plus random extras, and a 0/1 benefit that depends on the family.
 */
export function syntheticTrainingData(products = 90, seed = 5): TrainingData {
  const rand = seededRandom(seed);
  const families = [
    { base: [1, 2, 3, 4, 5, 6], flag: 1 },
    { base: [1, 7, 8, 9, 10, 11], flag: 0 },
    { base: [12, 13, 2, 14, 15, 16], flag: 1 },
  ];
  const list: TrainingData['products'] = [];
  for (let i = 0; i < products; i++) {
    const f = families[i % 3]!;
    const extras = [17 + Math.floor(rand() * 20), 17 + Math.floor(rand() * 20)];
    const ingredients = [...new Set([...f.base.filter(() => rand() > 0.1), ...extras])];
    list.push({ id: i + 1, ingredients, benefits: { Dry: f.flag, score: Math.round(rand() * 100) / 100 } });
  }
  return {
    products: list,
    ingredients: Array.from({ length: 40 }, (_, i) => ({ id: i + 1, inci: `Ingredient ${i + 1}`, primaryFunction: i % 2 ? 'emollient' : null })),
    benefits: { Dry: 'flag', score: 'score' },
    snapshot: { products: list.length, catalogs: [1], hash: 'synthetic', benefitSources: ['imported'] },
  };
}
