import { describe, expect, it } from 'vitest';
import { declaredNote, formulaSummary, isActive } from '../../../../src/renderer/src/views/catalog/product-formula';
import { draftLine } from '../draft-line';

const line = draftLine;

/** A US-style sunscreen label: zinc oxide declared apart at 10 %, the rest estimated. */
const SUNSCREEN = [
  line('Zinc Oxide', { section: 'active', estimate: 10, low: 10, high: 10, declared: 10, flags: ['declared'], functions: ['uv-filter', 'colourant'] }),
  line('Water', { estimate: 70.42, low: 37, high: 81.95, functions: ['solvent'] }),
  line('Glycerin', { estimate: 4.39, low: 2, high: 10, functions: ['humectant'] }),
  line('Niacinamide', { estimate: 4.39, low: 2, high: 10, functions: ['active', 'vitamin'] }),
  line('Tocopherol', { estimate: 0.2, low: 0.05, high: 1, functions: ['antioxidant', 'vitamin'] }),
  line('Phenoxyethanol', { estimate: 0.8, low: 0.3, high: 1, functions: ['preservative'] }),
];

describe("a product's draft formula in one line", () => {
  it('gives the status, the water and the actives highest first, the declared one marked as declared', () => {
    const summary = formulaSummary({ status: 'estimated', lines: SUNSCREEN });
    expect(summary).toMatchObject({ status: 'estimated', tone: 'ok', moreActives: 0, declared: 1, lines: 6 });
    expect(summary.water).toEqual({ text: 'water 70.4 %', title: 'Water: estimated 70.4 % (range 37–82 %)', declared: false });
    expect(summary.actives).toEqual([
      { text: 'Zinc Oxide 10 %', title: 'Zinc Oxide: 10 %, declared on the label', declared: true },
      { text: 'Niacinamide 4.4 %', title: 'Niacinamide: estimated 4.4 % (range 2–10 %)', declared: false },
      { text: 'Tocopherol 0.2 %', title: 'Tocopherol: estimated 0.2 % (range 0.05–1 %)', declared: false },
    ]);
  });

  it('names at most four actives and counts the rest', () => {
    const many = ['A', 'B', 'C', 'D', 'E', 'F'].map((n, i) => line(n, { estimate: 6 - i, functions: ['peptide'] }));
    const summary = formulaSummary({ status: 'estimated', lines: [line('Aqua', { estimate: 79 }), ...many] });
    expect(summary.actives.map((a) => a.text)).toEqual(['A 6 %', 'B 5 %', 'C 4 %', 'D 3 %']);
    expect(summary.moreActives).toBe(2);
    expect(summary.water?.text).toBe('water 79 %');
  });

  it("says when every percentage is the label's, and keeps the label's figures when no formula obeys the rules", () => {
    const declared = SUNSCREEN.map((l) => ({ ...l, declared: l.estimate, flags: ['declared' as const] }));
    expect(formulaSummary({ status: 'estimated', lines: declared }).status).toBe('every percentage declared');
    const impossible = declared.map((l) => ({ ...l, estimate: null, low: null, high: null, flags: [] }));
    const summary = formulaSummary({ status: 'infeasible', lines: impossible });
    expect(summary).toMatchObject({ status: 'no formula obeys the rules', tone: 'bad' });
    expect(summary.water).toEqual({ text: 'water 70.4 %', title: 'Water: 70.4 %, declared on the label', declared: true });
    expect(formulaSummary({ status: 'relaxed', lines: SUNSCREEN })).toMatchObject({ status: 'relaxed: typical ranges gave way', tone: 'warn' });
  });

  it('has no water when the list holds none, and counts actives by function or by a section declared apart', () => {
    expect(formulaSummary({ status: 'estimated', lines: [line('Squalane', { estimate: 100 })] }).water).toBeNull();
    expect(isActive(line('Octocrylene', { functions: ['uv-filter'] }))).toBe(true);
    expect(isActive(line('Foo Extract', { section: 'active' }))).toBe(true);
    expect(isActive(line('Glycerin', { functions: ['humectant'] }))).toBe(false);
  });

  it('says where the percentages come from', () => {
    expect(declaredNote({ declared: 0, lines: 6 })).toBe('The label declares no percentage: every one is estimated from the list and typical use levels.');
    expect(declaredNote({ declared: 1, lines: 6 })).toBe('The label declares 1 of 6 percentages: they are kept as they are, and the others estimated around them.');
    expect(declaredNote({ declared: 6, lines: 6 })).toBe('The label declares every percentage: they are kept as they are.');
  });
});
