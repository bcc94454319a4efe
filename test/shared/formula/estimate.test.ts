import { describe, expect, it } from 'vitest';
import { estimateFormula, separateOpeningActives, type FormulaItem, type UseLevel } from '../../../src/shared/formula/estimate';

const level = (min: number, usual: number, max: number, phase: UseLevel['phase'] = 'water'): UseLevel => ({ min, usual, max, phase, prep: null, source: 'ingredient', basis: null });
const item = (name: string, l: UseLevel | null, extra: Partial<FormulaItem> = {}): FormulaItem => ({ name, section: 'main', declared: null, level: l, limits: [], allergen: false, ...extra });
const estimate = (items: FormulaItem[], productType: 'leave-on' | 'rinse-off' = 'leave-on') => estimateFormula({ items, productType, allergenThreshold: productType === 'leave-on' ? 0.001 : 0.01 });
const sum = (xs: (number | null)[]) => xs.reduce<number>((s, x) => s + (x ?? 0), 0);

const serum = [
  item('Water', level(30, 70, 95)),
  item('Glycerin', level(1, 4, 10)),
  item('Niacinamide', level(2, 5, 10)),
  item('Sodium Hyaluronate', level(0.01, 0.1, 1)),
  item('Phenoxyethanol', level(0.3, 0.8, 1, 'cool-down'), { limits: [{ max: 1, annex: 'EU V/29', applies: 'all', condition: '', origin: 'kb' }] }),
  item('Linalool', level(0.001, 0.02, 0.1, 'cool-down'), { allergen: true }),
];

describe('the draft-formula estimate', () => {
  it('totals 100 %, keeps the order above the 1 % line, the typical ranges and the limits, and each estimate inside its range', () => {
    const f = estimate(serum);
    expect(f.status).toBe('estimated');
    expect(sum(f.lines.map((l) => l.estimate))).toBeCloseTo(100, 6);
    const above = f.aboveLine!;
    expect(above).toBe(3);
    for (let i = 1; i < above; i++) expect(f.lines[i - 1]!.estimate!).toBeGreaterThanOrEqual(f.lines[i]!.estimate! - 1e-9);
    f.lines.forEach((l, i) => {
      if (i < above) expect(l.estimate!).toBeGreaterThanOrEqual(1 - 1e-9);
      else expect(l.estimate!).toBeLessThanOrEqual(1 + 1e-9);
      expect(l.estimate!).toBeGreaterThanOrEqual(l.low! - 1e-9);
      expect(l.estimate!).toBeLessThanOrEqual(l.high! + 1e-9);
      if (i > 0) {
        expect(l.estimate!).toBeGreaterThanOrEqual(l.typical!.min - 1e-9);
        expect(l.estimate!).toBeLessThanOrEqual(l.typical!.max + 1e-9);
      }
    });
    expect(f.lines[4]!.estimate!).toBeLessThanOrEqual(1);
    expect(f.lines[5]!.flags).toContain('allergen');
    expect(f.lines[5]!.low!).toBeGreaterThanOrEqual(0.001);
    // Glycerin (usual 4 %) is listed above Niacinamide (usual 5 %): the order pools them at one
    // level between, weighted by relative error; the others stay at their usual levels.
    expect(f.lines[1]!.estimate).toBeCloseTo(f.lines[2]!.estimate!, 6);
    expect(f.lines[1]!.estimate).toBeCloseTo((4 / 16 + 5 / 25) / (1 / 16 + 1 / 25), 4);
    expect(f.lines[3]!.estimate).toBeCloseTo(0.1, 6);
  });

  it('honours a declared percentage and narrows the others around it', () => {
    const f = estimate([item('Water', level(30, 70, 95)), item('Zinc Oxide', level(2, 10, 25, 'powder'), { declared: 17.1 }), item('Glycerin', level(1, 4, 10)), item('Dimethicone', level(0.5, 2, 10, 'oil'))]);
    expect(f.lines[1]!.estimate).toBe(17.1);
    expect(f.lines[1]!.flags).toContain('declared');
    expect(f.lines[1]!.low).toBe(17.1);
    expect(f.lines[1]!.high).toBe(17.1);
    expect(f.lines[0]!.low!).toBeGreaterThanOrEqual(17.1);
    expect(sum(f.lines.map((l) => l.estimate))).toBeCloseTo(100, 6);
  });

  it('gives an unknown ingredient a wide range and a flag, never a silent number', () => {
    const f = estimate([...serum.slice(0, 3), item('Made-Up Extract', null), ...serum.slice(3)]);
    const unknown = f.lines[3]!;
    expect(unknown.flags).toContain('unknown');
    expect(unknown.typical).toBeNull();
    expect(unknown.high! - unknown.low!).toBeGreaterThan(0.9);
  });

  it('relaxes a typical range the label contradicts, and names it', () => {
    // Glycerin typically ≤ 10 %, but a declared 17.1 % below it forces it higher.
    const f = estimate([item('Water', level(30, 70, 95)), item('Glycerin', level(1, 4, 10)), item('Zinc Oxide', level(2, 10, 25, 'powder'), { declared: 17.1 })]);
    expect(f.status).toBe('relaxed');
    expect(f.conflicts[0]).toContain('Glycerin (position 2) is typically at most 10 %, so Zinc Oxide (position 3), listed after it, cannot be declared at 17.1 %');
    expect(f.lines[1]!.flags).toContain('outside-typical');
    expect(f.lines[1]!.estimate!).toBeGreaterThanOrEqual(17.1 - 1e-9);
  });

  it('says which hard rules conflict when no formula exists', () => {
    // Two declared figures out of order above the 1 % line.
    const f = estimate([item('Water', level(30, 70, 95)), item('Glycerin', level(1, 4, 10), { declared: 3 }), item('Niacinamide', level(2, 5, 10), { declared: 5 })]);
    expect(f.status).toBe('infeasible');
    expect(f.lines.every((l) => l.estimate === null)).toBe(true);
    expect(f.conflicts.join(' ')).toMatch(/Glycerin \(position 2\) is declared at 3 %, so Niacinamide \(position 3\), listed after it, cannot be declared at 5 %/);
    // Every ingredient declared and short of 100 %: the rest of the formula is missing.
    const partial = estimate([item('Homosalate', level(2, 8, 15), { declared: 10 }), item('Octocrylene', level(1, 5, 10), { declared: 7 })]);
    expect(partial.status).toBe('infeasible');
    expect(partial.conflicts[0]).toContain('the rest of the formula is not listed');
  });

  it('reports a declared percentage above its legal maximum and still honours it', () => {
    const f = estimate([item('Water', level(30, 70, 95)), item('Homosalate', level(2, 8, 15, 'oil'), { declared: 10, limits: [{ max: 7.34, annex: 'EU VI/3', applies: 'all', condition: 'face products', origin: 'kb' }] })]);
    expect(f.warnings[0]).toMatch(/Homosalate is declared at 10 %, above its legal maximum of 7\.34 % for leave-on products \(EU VI\/3: face products\)/);
    expect(f.lines[1]!.estimate).toBe(10);
    expect(f.lines[1]!.flags).toContain('declared-over-limit');
  });

  it('keeps an estimate under its legal maximum even when its typical range goes higher', () => {
    const f = estimate([item('Water', level(30, 70, 95)), item('Sodium Benzoate', level(0.1, 0.8, 2.5, 'cool-down'), { limits: [{ max: 0.5, annex: 'EU V/1', applies: 'leave-on', condition: '', origin: 'kb' }] })]);
    expect(f.lines[1]!.estimate!).toBeLessThanOrEqual(0.5);
    expect(f.lines[1]!.flags).toContain('at-limit');
    expect(f.lines[1]!.high!).toBeLessThanOrEqual(0.5);
  });

  it('takes the opening declared ingredients of a US-style label apart from the descending order', () => {
    const warnings: string[] = [];
    const input = separateOpeningActives({ items: [item('Avobenzone', level(1, 3, 5, 'oil'), { declared: 3 }), item('Homosalate', level(2, 8, 15, 'oil'), { declared: 10 }), item('Water', level(30, 70, 95)), item('Glycerin', level(1, 4, 10))], productType: 'leave-on', allergenThreshold: 0.001 }, warnings);
    expect(input.items.map((i) => i.section)).toEqual(['active', 'active', 'main', 'main']);
    expect(warnings[0]).toContain('opens with 2 declared ingredients (13 % together)');
    const f = estimateFormula(input);
    expect(f.status).toBe('estimated');
    expect(f.lines[2]!.estimate!).toBeGreaterThan(70);
  });
});

describe('a label that declares every percentage', () => {
  it('is its own formula when the figures add up to 100 % within rounding, said when not exactly', () => {
    const f = estimate([item('Water', level(30, 70, 95), { declared: 84 }), item('Glycerin', level(1, 4, 10), { declared: 10.01 }), item('Niacinamide', level(2, 5, 10), { declared: 5 }), item('Phenoxyethanol', level(0.3, 0.8, 1), { declared: 1 })]);
    expect(f.status).toBe('estimated');
    expect(f.lines.map((l) => l.estimate)).toEqual([84, 10.01, 5, 1]);
    expect(f.lines.every((l) => l.low === l.estimate && l.high === l.estimate && l.flags.includes('declared'))).toBe(true);
    expect(f.aboveLine).toBe(3);
    expect(f.warnings).toEqual(['Every percentage is declared on the label; they add up to 100.01 %, taken as rounding.']);
    // Far from 100 %: part of the formula is missing, and the estimate says so.
    expect(estimate([item('Water', level(30, 70, 95), { declared: 60 }), item('Glycerin', level(1, 4, 10), { declared: 10 })]).status).toBe('infeasible');
  });
});
