import { describe, expect, it } from 'vitest';
import type { IngredientRecord } from '../../src/shared/domain';
import { SyntheticOracle } from './oracle';

const record = (id: number, inci: string, functions: string[], benefits: string[] = [], concentration = 'unknown'): IngredientRecord =>
  ({ id, inci, synonyms: [], misspellings: [], functions, benefits, concentration, note: '', origin: 'kb' }) as unknown as IngredientRecord;

const oracle = new SyntheticOracle([
  record(1, 'Water', ['solvent'], [], 'above-1'),
  record(2, 'Glycerin', ['humectant'], ['hydration'], 'above-1'),
  record(3, 'Ceramide NP', ['skin-conditioning'], ['barrier_repair'], 'below-1'),
  record(4, 'Squalane', ['emollient'], [], 'above-1'),
  record(5, 'Parfum', ['fragrance'], [], 'below-1'),
  record(6, 'Cholesterol', ['emollient'], ['barrier_repair'], 'below-1'),
  record(7, 'Phenoxyethanol', ['preservative'], [], 'below-1'),
  record(8, 'Panthenol', ['skin-conditioning']),
]);

/** The benchmark's hidden objective follows its stated formula. */
describe('the synthetic oracle', () => {
  it('adds position-weighted contributions and the interactions', () => {
    // Water 0, Glycerin 0, Squalane 0.3/(1.5), Ceramide 1/(1.75), Cholesterol 1.3/2, Phenoxyethanol 0; humectant+emollient +0.8; two barrier +0.6.
    const value = oracle.score([1, 2, 4, 3, 6, 7]);
    expect(value).toBeCloseTo(0.3 / 1.5 + 1 / 1.75 + 1.3 / 2 + 0.8 + 0.6, 10);
  });

  it('penalises fragrance, a 1 % break, a base that is not first and a short list', () => {
    const good = oracle.score([1, 2, 4, 3, 6, 7]);
    expect(oracle.score([1, 2, 4, 3, 6, 5, 7])).toBeLessThan(good);
    // Phenoxyethanol (below 1 %) before Squalane (above 1 %): one break.
    expect(oracle.score([1, 2, 7, 4, 3, 6])).toBeLessThan(good - 0.3);
    // Panthenol (no known concentration, not a base) ahead of water.
    expect(oracle.score([8, 1, 2, 4, 3, 6, 7])).toBeLessThan(good - 0.8);
    expect(oracle.score([1, 2, 4, 3])).toBeLessThan(oracle.score([1, 2, 4, 3, 7]) - 0.9);
  });
});
