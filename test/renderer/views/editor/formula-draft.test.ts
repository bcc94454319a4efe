import { describe, expect, it } from 'vitest';
import type { DraftFormula } from '../../../../src/shared/api';
import { MAX_CANDIDATE_INGREDIENTS } from '../../../../src/shared/api/common';
import type { Phase } from '../../../../src/shared/formula/estimate';
import {
  checkFormula,
  compactPercent,
  editsOfRows,
  flagLabels,
  formatPercent,
  NO_EDITS,
  parsePercent,
  phaseGroups,
  savedFormulaOf,
  shownPercents,
  TOTAL_TOLERANCE,
  totalProblem,
  withEdit,
} from '../../../../src/renderer/src/views/editor/formula-draft';
import { draftLine } from '../draft-line';

const line = draftLine;

const PHENOXYETHANOL_LIMIT = { max: 1, annex: 'EU V/29', condition: '' };
const LABELLING: DraftFormula['labelling'] = { threshold: 0.001, annex: 'EU III' };

describe('percentages as a chemist reads and types them', () => {
  it('prints two decimals from 1 %, three below, two significant digits under 0.01 %, a dash when unknown', () => {
    expect(formatPercent(72.456)).toBe('72.46');
    expect(formatPercent(1)).toBe('1.00');
    expect(formatPercent(0.5)).toBe('0.500');
    expect(formatPercent(0.001)).toBe('0.0010');
    expect(formatPercent(0)).toBe('0');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(Number.NaN)).toBe('—');
  });

  it('writes a percentage in a sentence short: one decimal from 1 %, two from 0.1 %, one significant digit below', () => {
    expect(compactPercent(10)).toBe('10 %');
    expect(compactPercent(4.4138)).toBe('4.4 %');
    expect(compactPercent(7.339975)).toBe('7.3 %');
    expect(compactPercent(0.25)).toBe('0.25 %');
    expect(compactPercent(0.0999)).toBe('0.1 %');
    expect(compactPercent(0.000999)).toBe('0.001 %');
    expect(compactPercent(0.00001)).toBe('0.00001 %');
    expect(compactPercent(1e-8)).toBe('< 0.000001 %');
    expect(compactPercent(0)).toBe('0 %');
    expect(compactPercent(null)).toBe('—');
  });

  it('reads "4.5", "4,5" and "4.5 %", and refuses what is not a percentage from 0 to 100', () => {
    expect(parsePercent('4.5')).toBe(4.5);
    expect(parsePercent(' 4,5 ')).toBe(4.5);
    expect(parsePercent('4.5 %')).toBe(4.5);
    expect(parsePercent('.5')).toBe(0.5);
    expect(parsePercent('100')).toBe(100);
    for (const bad of ['', 'abc', '-1', '100.5', '1e2', '4.5.1']) expect(parsePercent(bad)).toBeNull();
  });

  it('keeps typed percentages by row, replacing the map, and forgets the rows that are gone', () => {
    const one = withEdit(NO_EDITS, 7, 6);
    expect(NO_EDITS.size).toBe(0);
    expect([...one]).toEqual([[7, 6]]);
    expect(withEdit(one, 7, null).size).toBe(0);
    const two = withEdit(one, 9, 2);
    expect(editsOfRows(two, [7, 9, 11])).toBe(two);
    expect([...editsOfRows(two, [9])]).toEqual([[9, 2]]);
  });
});

describe('the live checks of a formula being edited', () => {
  const toner = [line('Water'), line('Glycerin'), line('Niacinamide'), line('Phenoxyethanol', { limit: PHENOXYETHANOL_LIMIT }), line('Sodium Hyaluronate')];

  it('passes a formula of 100 % in descending order within its limits', () => {
    const check = checkFormula(toner, [89.2, 5, 4, 0.8, 1]);
    expect(check).toMatchObject({ missing: 0, totalOk: true, orderProblems: 0, limitProblems: 0 });
    expect(check.total).toBeCloseTo(100, 10);
    expect(check.problems).toEqual([[], [], [], [], []]);
    expect(totalProblem(check)).toBeNull();
  });

  it('accepts a total within the tolerance of 100 % and says how far over or short one outside it is', () => {
    expect(checkFormula(toner, [89.2 + TOTAL_TOLERANCE / 2, 5, 4, 0.8, 1]).totalOk).toBe(true);
    const over = checkFormula(toner, [90.2, 5, 4, 0.8, 1]);
    expect(over.totalOk).toBe(false);
    expect(totalProblem(over)).toBe('the total is 101.00 %, 1.00 % over 100 %');
    const short = checkFormula(toner, [88.7, 5, 4, 0.8, 1]);
    expect(totalProblem(short)).toBe('the total is 99.50 %, 0.500 % short of 100 %');
  });

  it('counts a line without a percentage as missing: the total is not 100 % then, whatever it adds up to', () => {
    const check = checkFormula(toner, [90.2, 5, null, 0.8, 4]);
    expect(check.missing).toBe(1);
    expect(check.totalOk).toBe(false);
    expect(totalProblem(check)).toBe('1 ingredient has no percentage');
    expect(totalProblem(checkFormula(toner, [null, null, 4, 0.8, 1]))).toBe('2 ingredients have no percentage');
  });

  it('finds an ingredient above 1 % that is more than the one listed before it', () => {
    const check = checkFormula(toner, [85, 4, 6, 0.8, 4.2]);
    expect(check.orderProblems).toBe(2);
    expect(check.problems[2]).toEqual(['above 1 % yet more than Glycerin (4.00 %), listed before it']);
    // After a line at 1 % or less, anything above 1 % is out of order too.
    expect(check.problems[4]).toEqual(['above 1 % yet more than Phenoxyethanol (0.800 %), listed before it']);
  });

  it('leaves the order free below the 1 % line, and equal levels in order', () => {
    const check = checkFormula(toner, [89.5, 4, 4, 0.5, 1 + 1e-9 + 1]);
    expect(check.problems[2]).toEqual([]);
    expect(check.problems[4]).toHaveLength(1);
    const below = checkFormula(toner, [93.7, 5, 0.3, 0.5, 0.5]);
    expect(below.orderProblems).toBe(0);
    // Exactly 1 % is not "above 1 %", whatever came before.
    expect(checkFormula(toner, [93.4, 5, 0.3, 0.3, 1]).orderProblems).toBe(0);
  });

  it('compares with the last line that has a percentage, and keeps actives declared apart out of the order', () => {
    const list = [line('Water'), line('Zinc Oxide', { section: 'active' }), line('Glycerin'), line('Niacinamide')];
    // Zinc Oxide at 20 % is declared apart: Glycerin is compared with Water, not with it.
    expect(checkFormula(list, [70, 20, 5, 5]).orderProblems).toBe(0);
    expect(checkFormula(list, [70, 0.5, 5, 24.5]).problems[3]).toEqual(['above 1 % yet more than Glycerin (5.00 %), listed before it']);
    // A missing percentage breaks the chain: nothing to compare the next line with.
    expect(checkFormula(list, [70, 20, null, 8]).orderProblems).toBe(0);
  });

  it('finds a percentage above its legal maximum, naming the annex, and an in-house one as in-house', () => {
    const check = checkFormula(toner, [88.5, 5, 4, 1.5, 1]);
    expect(check.limitProblems).toBe(1);
    expect(check.problems[3]).toContain('above its legal maximum of 1 % (EU V/29)');
    expect(checkFormula(toner, [88.8, 5, 4, 1, 1]).limitProblems).toBe(0);
    const house = [line('Water'), line('Glycerin', { limit: { max: 3, annex: 'in-house', condition: '' } })];
    expect(checkFormula(house, [95, 5]).problems[1]).toEqual(['above its in-house maximum of 3 % (in-house)']);
  });
});

describe('the percentages a read-only view shows', () => {
  it("shows the estimate, else the label's declared figure (a list no formula obeys still shows what its label says)", () => {
    const lines = [line('Water', { estimate: 70 }), line('Zinc Oxide', { estimate: null, declared: 10 }), line('Foo Extract')];
    expect(shownPercents({ lines })).toEqual([70, 10, null]);
  });
});

describe('the formula by phase', () => {
  const phased = (phases: (Phase | null)[]) => ({ lines: phases.map((phase, i) => line(`I${i + 1}`, { phase, position: i + 1 })) });

  it('groups lines as A water, B oil, C powders, D cool-down, each with its total, and leaves out empty phases', () => {
    const groups = phaseGroups(phased(['water', 'cool-down', 'oil', 'water', 'cool-down']), [80, 1, 15, 3.5, 0.5]);
    expect(groups.map((g) => [g.letter, g.phase, g.indices, g.percent])).toEqual([
      ['A', 'water', [0, 3], 83.5],
      ['B', 'oil', [2], 15],
      ['D', 'cool-down', [1, 4], 1.5],
    ]);
    expect(groups[0]!.name).toBe('water phase');
    expect(groups[2]!.name).toBe('cool-down (below 40 °C)');
  });

  it('puts a line of unknown phase with the water phase, and counts a line without a percentage as 0 in its total', () => {
    const groups = phaseGroups(phased([null, 'powder', 'water']), [70, null, 20]);
    expect(groups.map((g) => [g.letter, g.indices, g.percent])).toEqual([
      ['A', [0, 2], 90],
      ['C', [1], 0],
    ]);
  });
});

describe('the flags of a line in words', () => {
  it('marks a declared percentage as declared, and one typed by the chemist as set by hand instead', () => {
    const declared = line('Zinc Oxide', { declared: 10, flags: ['declared'], prep: 'pre-dispersed' });
    expect(flagLabels(declared, false, LABELLING).map((f) => f.text)).toEqual(['declared', 'pre-dispersed']);
    expect(flagLabels(declared, true, LABELLING).map((f) => f.text)).toEqual(['set by hand', 'pre-dispersed']);
  });

  it('asks for attention on a guess, a relaxed level and a legal maximum, and names the allergen threshold', () => {
    const flags = flagLabels(line('Linalool', { flags: ['unknown', 'outside-typical', 'at-limit', 'allergen'] }), false, LABELLING);
    expect(flags.map((f) => [f.text, f.warn])).toEqual([
      ['no typical level: wide range', true],
      ['outside typical range', true],
      ['at legal max', true],
      ['allergen', false],
    ]);
    expect(flags[3]!.title).toContain('at least 0.001 % (EU III)');
  });
});

describe('the formula saved with a version', () => {
  it("keeps each line's percentage, its phase (water when unknown) and whether it was typed", () => {
    const draft = { productType: 'rinse-off' as const, lines: [line('Water', { phase: 'water' }), line('Foo Extract'), line('Phenoxyethanol', { phase: 'cool-down' })] };
    expect(savedFormulaOf(draft, [94.2, 5, 0.8], [false, true], 'glycerin at 5 %')).toEqual({
      productType: 'rinse-off',
      lines: [
        { percent: 94.2, phase: 'water', edited: false },
        { percent: 5, phase: 'water', edited: true },
        { percent: 0.8, phase: 'cool-down', edited: false },
      ],
      note: 'glycerin at 5 %',
    });
  });

  it('rounds to six decimals, so a formula of 100 % stays within the tolerance of 100 % for the longest list allowed', () => {
    const n = MAX_CANDIDATE_INGREDIENTS;
    // Thirds and sevenths: every percentage needs rounding, each by as much as half a millionth.
    const raw = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 / 3 : 1 / 7));
    const scale = 100 / raw.reduce((s, v) => s + v, 0);
    const percents = raw.map((v) => v * scale);
    const saved = savedFormulaOf({ productType: 'leave-on', lines: percents.map((_, i) => line(`I${i}`)) }, percents, []);
    for (const l of saved.lines) expect(Math.round(l.percent * 1e6) / 1e6).toBe(l.percent);
    const total = saved.lines.reduce((s, l) => s + l.percent, 0);
    expect(Math.abs(total - 100)).toBeLessThanOrEqual(n * 5e-7 + 1e-9);
    expect(Math.abs(total - 100)).toBeLessThan(TOTAL_TOLERANCE);
    expect(saved.lines.every((l) => l.edited === false)).toBe(true);
    expect(saved.note).toBe('');
  });

  it('keeps percentages that add up to exactly 100 % on two decimals exactly', () => {
    const percents = [72.35, 10, 8.4, 5, 2.5, 1.2, 0.55];
    const saved = savedFormulaOf({ productType: 'leave-on', lines: percents.map((_, i) => line(`I${i}`)) }, percents, []);
    expect(saved.lines.map((l) => l.percent)).toEqual(percents);
    expect(Math.round(saved.lines.reduce((s, l) => s + l.percent, 0) * 1e6) / 1e6).toBe(100);
  });
});
