import { describe, expect, it } from 'vitest';
import { buildCatalogContext, checkCandidate, shrunkPlausibility, type CheckThresholds } from '../../../src/main/generate/kernels';
import { catalogLengths, lengthBand, rankLengthFair } from '../../../src/main/generate/ranking';
import type { IngredientFacts } from '../../../src/shared/ml/checks';
import { seededRandom } from '../../../src/shared/ml/random';

/**
 * A catalog of 200 lists of 6 to 45 ingredients over 60 ids, each list in ascending id order
 * (so the catalog agrees on every pair's order), with neutral facts (no water: no structural
 * rule but length applies).
 */
function catalog(): { lists: number[][]; facts: [number, IngredientFacts][] } {
  const random = seededRandom(3);
  const lists = Array.from({ length: 200 }, (_, i) => {
    const length = 6 + (i % 40);
    const ids = new Set<number>();
    while (ids.size < length) ids.add(1 + Math.floor(random() * 60));
    return [...ids].sort((a, b) => a - b);
  });
  const facts: [number, IngredientFacts][] = Array.from({ length: 60 }, (_, i) => [i + 1, { name: `Ingredient ${i + 1}`, functions: ['humectant'], concentration: null }]);
  return { lists, facts };
}

const base: CheckThresholds = { minNovelty: 0, minPlausibility: 0, benefitThresholds: {} };

describe('length-fair ranking of generated lists', () => {
  const { lists, facts } = catalog();
  const ctx = buildCatalogContext({ catalogLists: lists, facts, incompatible: [] });

  it('cuts the catalog lengths at their deciles, each band holding its share', () => {
    const lengths = catalogLengths(lists);
    expect(lengths.p5).toBeCloseTo(7.95, 9); // 5 % of 200 lists of 6…45, five of each length
    expect(lengths.median).toBe(25.5);
    expect(lengths.cuts).toHaveLength(9);
    expect(lengths.shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const share of lengths.shares) expect(share).toBeCloseTo(0.1, 1);
    expect(lengthBand(6, lengths)).toBe(0);
    expect(lengthBand(45, lengths)).toBe(9);
  });

  it('never ranks a list shorter than the catalog 5th percentile first unless the request allows it', () => {
    // A 7-ingredient list in catalog order (plausibility 1) that no product resembles closely,
    // against longer lists with worse order: by raw score the short list would win.
    const short = [2, 9, 17, 30, 41, 52, 59];
    const long = Array.from({ length: 6 }, (_, k) => Array.from({ length: 24 + k }, (_, i) => ((i * 7 + k) % 60) + 1));
    const candidates = (thresholds: CheckThresholds) => rankLengthFair([short, ...long].map((l) => checkCandidate(ctx, thresholds, l, {})), ctx.lengths);

    const refused = candidates({ ...base, minLength: ctx.lengths.p5 });
    expect(refused[0]!.ingredientIds).not.toEqual(short);
    const shortOne = refused.find((c) => c.ingredientIds === short)!;
    expect(shortOne.passed).toBe(false);
    expect(shortOne.reasons).toContain('only 7 ingredients: shorter than 95 % of catalog products (allow short lists to rank it)');
    expect(refused.filter((c) => c.passed).every((c) => c.ingredientIds.length >= ctx.lengths.p5)).toBe(true);
    expect(refused.indexOf(shortOne)).toBe(refused.filter((c) => c.passed).length); // after every passed list

    // Asked for, it passes and, scoring best, ranks first.
    const allowed = candidates(base);
    expect(allowed[0]!.ingredientIds).toBe(short);
    expect(allowed[0]!.passed).toBe(true);
  });

  it('shrinks the plausibility of few-pair lists toward the catalog median', () => {
    expect(shrunkPlausibility(1, 1, 0.55)).toBe(0.55);
    expect(shrunkPlausibility(1, 15, 0.55)).toBeCloseTo((105 + 100 * 0.55) / 205, 12);
    expect(shrunkPlausibility(0.7, 40, 0.55)).toBeGreaterThan(0.68);
  });

  it('takes the length bands in the catalog proportion, best first within each, then the rejected', () => {
    // Equal numbers of passed lists in every band; short lists score best, as they used to.
    const lengths = catalogLengths(lists);
    const pool = Array.from({ length: 400 }, (_, i) => {
      const length = 6 + (i % 40);
      return { passed: i % 17 !== 0, score: 1 - length / 100 + (i % 7) / 1000, ingredientIds: Array.from({ length }, (_, k) => k) };
    });
    const ranked = rankLengthFair(pool, lengths);
    const top = ranked.slice(0, 50);
    const bandCounts = new Array<number>(lengths.shares.length).fill(0);
    for (const c of top) bandCounts[lengthBand(c.ingredientIds.length, lengths)]!++;
    for (const n of bandCounts) expect(Math.abs(n - 5)).toBeLessThanOrEqual(1);
    // Within a band, by score; every rejected list after every passed one.
    const firstRejected = ranked.findIndex((c) => !c.passed);
    expect(ranked.slice(firstRejected).every((c) => !c.passed)).toBe(true);
    const band0 = ranked.filter((c) => c.passed && lengthBand(c.ingredientIds.length, lengths) === 0).map((c) => c.score);
    expect(band0).toEqual([...band0].sort((a, b) => b - a));
  });
});
