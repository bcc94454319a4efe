import { describe, expect, it } from 'vitest';
import {
  NoveltyIndex,
  PrecedenceTable,
  frequencyDivergence,
  internalDiversity,
  lengthDivergence,
  onePercentBreaks,
  orderingPlausibility,
  orderingWarnings,
  structuralChecks,
  structuralGaps,
  type IngredientFacts,
} from '../../../src/shared/ml/checks';
import { seededRandom } from '../../../src/shared/ml/random';

// 0 water, 1 glycerin, 2 phenoxyethanol, 3 squalane, 4 cetearyl alcohol (emulsifier), 5 fragrance
const FACTS: IngredientFacts[] = [
  { name: 'Water', functions: ['solvent'], concentration: 'above-1' },
  { name: 'Glycerin', functions: ['humectant'], concentration: 'above-1' },
  { name: 'Phenoxyethanol', functions: ['preservative'], concentration: 'below-1' },
  { name: 'Squalane', functions: ['emollient'], concentration: 'above-1' },
  { name: 'Cetearyl Alcohol', functions: ['emulsifier', 'thickener'], concentration: 'above-1' },
  { name: 'Parfum', functions: ['fragrance'], concentration: 'below-1' },
];
const facts = (id: number) => FACTS[id];
const catalog = [
  [0, 1, 3, 4, 2, 5],
  [0, 1, 4, 2],
  [0, 3, 1, 4, 2, 5],
  [0, 1, 2, 5],
];

describe('generation checks', () => {
  const table = new PrecedenceTable(catalog);

  it('smooths pairwise precedence from the catalog', () => {
    // Glycerin before phenoxyethanol in all 4 lists: (4 + 1) / (4 + 0 + 2).
    expect(table.probability(1, 2)).toBeCloseTo(5 / 6, 12);
    expect(table.probability(2, 1)).toBeCloseTo(1 / 6, 12);
    expect(table.probability(3, 1)).toBeCloseTo(2 / 4, 12); // squalane before glycerin once, after once
  });

  it('scores a catalog-like order above a reversed one and explains the reversal', () => {
    const good = orderingPlausibility([0, 1, 4, 2, 5], table, facts);
    const bad = orderingPlausibility([5, 2, 4, 1, 0], table, facts);
    expect(good.score).toBeGreaterThan(0.75);
    expect(bad.score).toBeLessThan(0.3);
    expect(good.reasons).toEqual([]);
    expect(bad.reasons).toContain('Parfum (usually below 1 %) comes before Water (usually above 1 %)');
    expect(bad.reasons).toContain('Phenoxyethanol is placed before Glycerin, but 4 catalog products list it after');
    expect(bad.reasons).toContain('an aqueous list that does not start with water or another base (Parfum first)');
  });

  it('scores a catalog product leave-one-out exactly as if the table had been built without it', () => {
    catalog.forEach((list, i) => {
      const others = new PrecedenceTable(catalog.filter((_, j) => j !== i));
      const loo = orderingPlausibility(list, table, facts, true);
      expect(loo.score).toBeCloseTo(orderingPlausibility(list, others, facts).score, 12);
      expect(loo.reasons).toEqual(orderingPlausibility(list, others, facts).reasons);
    });
    // In-sample, the product's own order props its score up.
    expect(orderingPlausibility(catalog[2]!, table, facts).score).toBeGreaterThan(orderingPlausibility(catalog[2]!, table, facts, true).score);
  });

  it('checks preservation, emulsification and length', () => {
    expect(structuralChecks([0, 1, 3, 4, 2], facts, [3, 10])).toEqual({ ok: true, reasons: [] });
    expect(structuralChecks([0, 1, 3], facts, [2, 10]).reasons).toEqual(['contains water but no preservative', 'oils and water without an emulsifier']);
    expect(structuralChecks([0, 2], facts, [3, 4]).reasons).toEqual(['only 2 ingredients (catalog lists have at least 3)']);
  });

  it('names the functional ingredients a list lacks', () => {
    expect(structuralGaps([0, 1, 3], facts)).toEqual({ preservative: true, emulsifier: true });
    expect(structuralGaps([0, 1, 3, 4, 2], facts)).toEqual({ preservative: false, emulsifier: false });
    expect(structuralGaps([1, 3], facts)).toEqual({ preservative: false, emulsifier: false }); // no water
  });

  it('measures how far two length distributions are apart, in bins of five', () => {
    expect(lengthDivergence([10, 20, 30], [30, 20, 10])).toBe(0);
    expect(lengthDivergence([11, 12], [13, 15])).toBe(0); // one bin: 11–15
    expect(lengthDivergence([3, 4], [33, 34])).toBeCloseTo(1, 12); // disjoint
    expect(lengthDivergence([5, 33], [33, 34])).toBeCloseTo(0.5 * 0.5 * Math.log2(2) + 0.5 * (0.5 * Math.log2(0.5 / 0.75) + Math.log2(1 / 0.75)), 12);
    expect(lengthDivergence([150], [101])).toBe(0); // 100 and more share the last bin
  });

  it('flags an incompatible combination with its reason', () => {
    const pair = { a: new Set([1]), b: new Set([5]), reason: 'they do not mix' };
    expect(structuralChecks([0, 1, 3, 4, 2, 5], facts, [3, 10], [pair]).reasons).toEqual(['Glycerin with Parfum: they do not mix']);
    expect(structuralChecks([0, 1, 3, 4, 2], facts, [3, 10], [pair]).ok).toBe(true);
  });

  it('finds the most similar catalog list for novelty', () => {
    const index = new NoveltyIndex(catalog);
    expect(index.nearest([0, 1, 4, 2])).toEqual({ row: 1, jaccard: 1 });
    expect(index.nearest([0, 1, 2]).jaccard).toBeCloseTo(3 / 4, 12);
    expect(index.nearest([9, 8])).toEqual({ row: -1, jaccard: 0 });
  });

  it('measures distribution divergence and internal diversity', () => {
    expect(frequencyDivergence(catalog, catalog)).toBeCloseTo(0, 12);
    expect(frequencyDivergence([[1, 2]], [[3, 4]])).toBeCloseTo(1, 12);
    expect(internalDiversity([[1, 2], [1, 2]], 10, seededRandom(1))).toBe(0);
    expect(internalDiversity([[1, 2], [3, 4], [1, 3]], 10, seededRandom(1))).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
  });
});

describe('ordering warnings for the editor', () => {
  const table = new PrecedenceTable(catalog);

  it('ties each warning to the ingredients concerned, strongest reversed pair first', () => {
    // Phenoxyethanol, Water, Glycerin: the preservative leads an aqueous list.
    expect(orderingWarnings([2, 0, 1], table, facts)).toEqual([
      { kind: 'reversed-pair', positions: [0, 1], message: 'Phenoxyethanol is placed before Water, but 4 catalog products list it after (none before)' },
      { kind: 'reversed-pair', positions: [0, 2], message: 'Phenoxyethanol is placed before Glycerin, but 4 catalog products list it after (none before)' },
      { kind: 'one-percent-rule', positions: [0, 2], message: 'Phenoxyethanol (usually below 1 %) comes before Glycerin (usually above 1 %)' },
      { kind: 'base-not-first', positions: [0], message: 'an aqueous list that does not start with water or another base (Phenoxyethanol first)' },
    ]);
  });

  it('gives a catalog order no warning', () => {
    expect(orderingWarnings([0, 1, 4, 2, 5], table, facts)).toEqual([]);
  });

  it('does not flag a pair the catalog lists both ways', () => {
    // Squalane before glycerin once, after once: half agree.
    expect(orderingWarnings([0, 3, 1], table, facts, { minReversed: 1 })).toEqual([]);
    expect(orderingWarnings([0, 2, 1], table, facts, { minReversed: 1 }).map((w) => w.positions)).toEqual([[1, 2], [1, 2]]);
  });

  it('lists every trace ingredient ahead of the last above-1 % one', () => {
    expect(onePercentBreaks([5, 2, 4, 1, 0], facts)).toEqual([
      { trace: 0, above: 4 },
      { trace: 1, above: 4 },
    ]);
    expect(onePercentBreaks([0, 1, 2, 5], facts)).toEqual([]);
  });
});
