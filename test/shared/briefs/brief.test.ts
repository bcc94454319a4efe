import { describe, expect, it } from 'vitest';
import { briefContradictions, briefDecodeConstraints, briefTest, briefViolations, type Brief, type BriefIngredient } from '../../../src/shared/briefs/brief';
import { compileFamily } from '../../../src/shared/briefs/families';
import { decodeConstrained } from '../../../src/shared/ml/constrained-decode';

const families = [
  compileFamily({ id: 'silicones', name: 'Silicones', description: 'silicon–oxygen polymers', rule: { functions: ['silicone'], patterns: ['methicone', 'siloxane'] } }),
  compileFamily({ id: 'fragrance', name: 'Fragrance', description: 'perfume', rule: { patterns: ['^(fragrance|parfum)\\b'] } }),
];
const I = (inci: string, ...functions: string[]): BriefIngredient => ({ inci, functions });
const water = I('Water', 'solvent');
const glycerin = I('Glycerin', 'humectant');
const niacinamide = I('Niacinamide', 'active');
const dimethicone = I('Dimethicone', 'silicone', 'emollient');
const fragrance = I('Fragrance', 'fragrance');
const phenoxyethanol = I('Phenoxyethanol', 'preservative');
const squalane = I('Squalane', 'emollient');
const known = new Map([water, glycerin, niacinamide, dimethicone, fragrance, phenoxyethanol, squalane].map((i) => [i.inci.toLowerCase(), i]));
const lookup = (name: string) => known.get(name.toLowerCase()) ?? null;

/** A fragrance-free, silicone-free hydrating serum with niacinamide and a preservative, 3 to 5 ingredients. */
const serum: Brief = { include: ['Niacinamide'], includeClasses: ['preservative'], exclude: ['Squalane'], freeFrom: ['silicones', 'fragrance'], minLength: 3, maxLength: 5 };

describe('design briefs', () => {
  it('tests many lists at once exactly as the violations say (every list of up to 5 of 7 ingredients)', () => {
    const all = [water, glycerin, niacinamide, dimethicone, fragrance, phenoxyethanol, squalane];
    const obeys = briefTest(serum, families);
    let met = 0;
    for (let mask = 0; mask < 1 << all.length; mask++) {
      const list = all.filter((_, i) => mask & (1 << i));
      const expected = briefViolations(list, serum, families).length === 0;
      expect(obeys(list)).toBe(expected);
      met += expected ? 1 : 0;
    }
    expect(met).toBeGreaterThan(0);
  });

  it('lists every violation of a list with its rule, ingredient and place', () => {
    const list = [water, glycerin, dimethicone, squalane, fragrance, water, glycerin];
    const v = briefViolations(list, serum, families);
    expect(v.map((x) => [x.rule, x.ingredient, x.position])).toEqual([
      ['include', 'Niacinamide', null],
      ['include-class', null, null],
      ['exclude', 'Squalane', 3],
      ['free-from', 'Dimethicone', 2],
      ['free-from', 'Fragrance', 4],
      ['length', null, null],
    ]);
    expect(v[3]!.message).toContain('silicones-free');
    expect(v[5]!.message).toBe('7 ingredients; the brief allows at most 5');
    expect(briefViolations([water, glycerin, niacinamide, phenoxyethanol], serum, families)).toEqual([]);
  });

  it('says before any work why a brief cannot be met', () => {
    expect(briefContradictions(serum, families, lookup)).toEqual([]);
    const bad: Brief = { include: ['Dimethicone', 'Unobtainium', 'Squalane'], includeClasses: [], exclude: ['Squalane'], freeFrom: ['silicones', 'glitter'], minLength: 6, maxLength: 2 };
    expect(briefContradictions(bad, families, lookup)).toEqual([
      'free-from: there is no family "glitter"; the families are silicones, fragrance',
      '"Unobtainium" is not an ingredient the knowledge base or the catalog knows',
      'Dimethicone is required, but it is one of the silicones (the name matches /methicone/) the brief excludes',
      'Squalane is both required and excluded',
      'the length bounds are reversed: at least 6 and at most 2',
      '3 required ingredients do not fit in at most 2',
    ]);
  });

  it('turns a brief into decoder constraints over a model’s tokens, and the decoded list obeys it', () => {
    const tokens = [water, glycerin, niacinamide, dimethicone, fragrance, phenoxyethanol, squalane, null];
    const built = briefDecodeConstraints(serum, tokens, families);
    expect(built.problems).toEqual([]);
    const c = built.constraints!;
    expect(Array.from(c.allowed!)).toEqual([1, 1, 1, 0, 0, 1, 0, 0]);
    expect(c.required).toEqual([2]);
    expect(c.atLeastOne).toEqual([[5]]);
    // The model would rather write water, glycerin, dimethicone, squalane and fragrance.
    const logits = [5, 4, -3, 3, 2, -4, 3, 0];
    const positions = [0, 0.2, 0.5, 0.4, 0.9, 0.95, 0.6, 0.5];
    const decoded = decodeConstrained(logits, positions, { lambda: 2, maxLength: 8 }, c);
    const list = decoded.indices.map((t) => tokens[t]!);
    expect(briefViolations(list, serum, families)).toEqual([]);
    expect(list.map((i) => i.inci)).toEqual(['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol']);
  });

  it('says when the model cannot meet the brief: a required ingredient it cannot write, a class it has no allowed token for', () => {
    const tokens = [water, glycerin, dimethicone, null];
    const built = briefDecodeConstraints(serum, tokens, families);
    expect(built.constraints).toBeNull();
    expect(built.problems).toEqual([
      "Niacinamide is required, but the model cannot write it (it is not in the model's vocabulary: too rare in the catalog it was trained on)",
      'the brief requires a preservative, but the model can write none that the brief allows',
    ]);
  });
});
