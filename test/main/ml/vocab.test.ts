import { describe, expect, it } from 'vitest';
import type { IngredientInfo, TrainingProduct } from '../../../src/main/ml/dataset';
import { buildVocabulary, VocabularyIndex } from '../../../src/main/ml/vocab';

const ingredients: IngredientInfo[] = [
  { id: 1, inci: 'Water', primaryFunction: 'solvent' },
  { id: 2, inci: 'Glycerin', primaryFunction: 'humectant' },
  { id: 3, inci: 'Squalane', primaryFunction: 'emollient' },
  { id: 4, inci: 'Rare Oil', primaryFunction: 'emollient' },
  { id: 5, inci: 'Mystery Extract', primaryFunction: null },
];
const products: TrainingProduct[] = [
  { id: 1, ingredients: [1, 2, 3], benefits: {} },
  { id: 2, ingredients: [1, 2, 3, 4], benefits: {} },
  { id: 3, ingredients: [1, 3, 5], benefits: {} },
];

describe('vocabulary', () => {
  it('gives frequent ingredients tokens and rare ones their class bucket', () => {
    const vocabulary = buildVocabulary(products, ingredients, 2, 'class');
    expect(vocabulary.tokens.map((t) => t.name)).toEqual(['Water', 'Squalane', 'Glycerin', '<rare:emollient>', '<unknown>']);
    expect(vocabulary.rareBuckets).toEqual({ '4': '<rare:emollient>', '5': '<unknown>' });
  });

  it('puts rare ingredients in their bucket when loaded without the knowledge base, as training did', () => {
    const vocabulary = buildVocabulary(products, ingredients, 2, 'class');
    const training = new VocabularyIndex(vocabulary, new Map(ingredients.map((i) => [i.id, i])));
    // A saved model is loaded from vocabulary.json alone.
    const loaded = new VocabularyIndex(JSON.parse(JSON.stringify(vocabulary)));
    expect(loaded.encode([1, 4, 2, 5])).toEqual(training.encode([1, 4, 2, 5]));
    expect(loaded.tokenOf(4)).toBe(vocabulary.tokens.findIndex((t) => t.name === '<rare:emollient>'));
    // An ingredient the training lists never held is unknown.
    expect(loaded.tokenOf(99)).toBe(vocabulary.tokens.findIndex((t) => t.name === '<unknown>'));
  });

  it('reads a vocabulary saved before rare buckets were stored (rare ingredients are unknown)', () => {
    const { rareBuckets: _, ...old } = buildVocabulary(products, ingredients, 2, 'class');
    const loaded = new VocabularyIndex(old);
    expect(loaded.tokenOf(4)).toBe(old.tokens.findIndex((t) => t.name === '<unknown>'));
  });
});
