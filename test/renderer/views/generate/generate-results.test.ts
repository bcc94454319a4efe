import { describe, expect, it } from 'vitest';
import type { GeneratedCandidateView } from '../../../../src/shared/api';
import { activeLevelTitle, activesCell, benefitLabel, candidateChecks, defaultGenerateForm, formatEstimate, formatScore, generateArgs, nextSort, runThresholds } from '../../../../src/renderer/src/views/generate/generate-results';

describe('the generate form', () => {
  it('sends the defaults of the issue: N 10,000, K 1,000, baselines on, no centre, no benefit threshold, completion on, short lists refused', () => {
    expect(generateArgs(defaultGenerateForm())).toEqual({
      ok: true,
      args: { n: 10_000, k: 1_000, temperature: 1, seed: 1, densityFloorQuantile: 0.05, minNovelty: 0.3, minPlausibility: 0.5, benefitThresholds: {}, baselines: true, allowShortLists: false, completeStructure: true },
    });
  });

  it('sends a centre product and only the benefit thresholds that were filled in', () => {
    const form = { ...defaultGenerateForm(), n: 2000, k: 200, centre: { id: 12, name: 'Serum' }, benefitThresholds: { hydration: 0.5, soothing: null, 'kb:oil_control': 0 } };
    const parsed = generateArgs(form);
    expect(parsed.ok && parsed.args).toMatchObject({ n: 2000, k: 200, centreProductId: 12, benefitThresholds: { hydration: 0.5, 'kb:oil_control': 0 } });
  });

  it('sends the chosen saved brief by name, and none by default', () => {
    const parsed = generateArgs({ ...defaultGenerateForm(), brief: 'Hydrating serum' });
    expect(parsed.ok && parsed.args.brief).toBe('Hydrating serum');
    const plain = generateArgs(defaultGenerateForm());
    expect(plain.ok && 'brief' in plain.args).toBe(false);
  });

  it('names every empty field instead of sending it', () => {
    expect(generateArgs({ ...defaultGenerateForm(), n: null, seed: null })).toEqual({ ok: false, message: 'fill in Samples (N), Seed' });
  });
});

describe('sorting the results table', () => {
  it('flips the direction when the same column is clicked again', () => {
    expect(nextSort({ by: 'novelty', descending: true }, 'novelty')).toEqual({ by: 'novelty', descending: false });
  });

  it('starts a new score or benefit column highest first, and rank best (1) first', () => {
    expect(nextSort({ by: 'rank', descending: false }, 'benefit:hydration')).toEqual({ by: 'benefit:hydration', descending: true });
    expect(nextSort({ by: 'score', descending: true }, 'rank')).toEqual({ by: 'rank', descending: false });
  });
});

describe('labels and numbers', () => {
  it('reads knowledge-based benefit names', () => {
    expect(benefitLabel('kb:oil_control')).toBe('oil control (knowledge)');
    expect(benefitLabel('anti_ageing')).toBe('anti ageing');
  });

  it('shows a tiny negative score as 0.00 and a missing one as a dash', () => {
    expect(formatScore(-0.001)).toBe('0.00');
    expect(formatScore(-0.25)).toBe('-0.25');
    expect(formatScore(undefined)).toBe('–');
    expect(formatScore(0.12345, 3)).toBe('0.123');
  });

  it('shows a prediction with the half-width of its 80 % interval when it has one', () => {
    expect(formatEstimate(0.4234, 0.0812)).toBe('0.42 ± 0.08');
    expect(formatEstimate(0.4234, undefined)).toBe('0.42');
    expect(formatEstimate(undefined, 0.1)).toBe('–');
    expect(formatEstimate(0.5, 0.12345, 3)).toBe('0.500 ± 0.123');
  });

  it('reads a run’s thresholds from its stored parameters', () => {
    expect(runThresholds({ minNovelty: 0.4, minPlausibility: 0.6, benefitThresholds: { hydration: 0.5, bad: 'x' } })).toEqual({ minNovelty: 0.4, minPlausibility: 0.6, benefitThresholds: { hydration: 0.5 } });
  });
});

describe('a candidate’s checks', () => {
  const candidate: GeneratedCandidateView = {
    rank: 7,
    ingredients: ['Water', 'Dimethicone', 'Glycerin'],
    passed: false,
    score: 0.6,
    novelty: 0.25,
    plausibility: 0.7,
    logDensity: -50,
    benefits: { hydration: 0.42 },
    nearestProduct: { id: 3, name: 'Cream 1' },
    reasons: [
      'too close to a catalog product (shares 75 % of ingredients)',
      'order: Glycerin is placed before Dimethicone, but 4 catalog products list it after',
      'contains water but no preservative',
      'oils and water without an emulsifier',
      'predicted hydration 0.42 is below 0.5',
    ],
  };
  const thresholds = { minNovelty: 0.3, minPlausibility: 0.5, benefitThresholds: { hydration: 0.5 } };

  it('sorts every reason under the check that gave it, with the value against its threshold', () => {
    expect(candidateChecks(candidate, thresholds)).toEqual([
      { check: 'Valid list', ok: true, detail: '3 ingredients, each named and listed once', reasons: [] },
      { check: 'Novelty', ok: false, detail: '0.25 (at least 0.3 required); nearest catalog product: Cream 1', reasons: ['too close to a catalog product (shares 75 % of ingredients)'] },
      { check: 'Ordering plausibility', ok: true, detail: '0.70 (at least 0.5 required)', reasons: ['Glycerin is placed before Dimethicone, but 4 catalog products list it after'] },
      { check: 'Structure', ok: false, detail: '2 problems', reasons: ['contains water but no preservative', 'oils and water without an emulsifier'] },
      { check: 'Predicted hydration', ok: false, detail: '0.42 (at least 0.5 required)', reasons: ['predicted hydration 0.42 is below 0.5'] },
    ]);
  });

  it('passes every check of a candidate without reasons', () => {
    const clean = { ...candidate, novelty: 0.6, benefits: { hydration: 0.8 }, reasons: [], passed: true };
    expect(candidateChecks(clean, thresholds).map((c) => c.ok)).toEqual([true, true, true, true, true]);
  });

  it('shows what the job added as its own check, apart from the structural problems', () => {
    const completed = { ...candidate, reasons: ['completed: added Phenoxyethanol (preservative, p = 0.31), as the list holds water', 'oils and water without an emulsifier'] };
    const checks = candidateChecks(completed, thresholds);
    expect(checks.find((c) => c.check === 'Structure')).toMatchObject({ ok: false, reasons: ['oils and water without an emulsifier'] });
    expect(checks.find((c) => c.check === 'Completed by the job')).toEqual({
      check: 'Completed by the job',
      ok: true,
      detail: '1 ingredient added by the structural rules',
      reasons: ['added Phenoxyethanol (preservative, p = 0.31), as the list holds water'],
    });
  });

  it('flags an unusable list', () => {
    const invalid = { ...candidate, reasons: ['the decoded list contains an ingredient the model cannot name'] };
    expect(candidateChecks(invalid, thresholds)[0]).toEqual({ check: 'Valid list', ok: false, detail: 'not a usable list', reasons: ['the decoded list contains an ingredient the model cannot name'] });
  });
});

describe('the estimated actives of a generated candidate', () => {
  const formula = (status: 'estimated' | 'relaxed' | 'infeasible', actives: [string, number | null, number | null, number | null][]) => ({
    status,
    actives: actives.map(([inci, percent, low, high]) => ({ inci, percent, low, high })),
  });

  it('names the highest two with their short percentages, counts the rest, and gives each range in words', () => {
    const cell = activesCell(
      formula('estimated', [
        ['Tocopherol', 0.2, 0.05, 1],
        ['Niacinamide', 4.4138, 2, 10],
        ['Zinc Oxide', 10, 2, 25],
        ['Palmitoyl Tripeptide-1', 0.001, 0.0001, 0.01],
      ]),
    );
    expect(cell.items.map((i) => i.text)).toEqual(['Zinc Oxide 10 %', 'Niacinamide 4.4 %']);
    expect(cell.items.map((i) => [i.inci, i.percent])).toEqual([
      ['Zinc Oxide', '10 %'],
      ['Niacinamide', '4.4 %'],
    ]);
    expect(cell.items[1]!.title).toBe('Niacinamide: estimated 4.4 % (range 2–10 %)');
    expect(cell.more).toBe(2);
    expect(cell.moreTitle).toBe('Tocopherol: estimated 0.2 % (range 0.05–1 %)\nPalmitoyl Tripeptide-1: estimated 0.001 % (range 0.0001–0.01 %)');
    expect(cell.allTitle.split('\n')).toHaveLength(4);
    expect(cell.mark).toBeNull();
  });

  it('keeps list order between equal estimates, and shows as many as asked', () => {
    const cell = activesCell(formula('estimated', [['Allantoin', 0.2, 0.1, 0.5], ['Tocopherol', 0.2, 0.05, 1], ['Panthenol', 2, 0.5, 5]]), 3);
    expect(cell.items.map((i) => i.inci)).toEqual(['Panthenol', 'Allantoin', 'Tocopherol']);
    expect(cell.more).toBe(0);
  });

  it('marks a relaxed estimate and an impossible one, whose actives have names but no levels', () => {
    expect(activesCell(formula('relaxed', [['Zinc Oxide', 1, 1, 1]])).mark).toMatchObject({ status: 'relaxed', text: 'relaxed' });
    const none = activesCell(formula('infeasible', [['Zinc Oxide', null, null, null]]));
    expect(none.mark).toMatchObject({ status: 'infeasible', text: 'no formula' });
    expect(none.mark!.title).toContain('No formula obeys the labelling rules');
    expect(none.items).toEqual([{ inci: 'Zinc Oxide', percent: '', text: 'Zinc Oxide', title: 'Zinc Oxide: no estimate' }]);
  });

  it('says so when the list holds no active', () => {
    const cell = activesCell(formula('estimated', []));
    expect(cell.items).toEqual([]);
    expect(cell.allTitle).toBe('No active ingredient (active, UV filter, vitamin, exfoliant or peptide) in the list');
  });

  it('leaves the range out of the words when there is none', () => {
    expect(activeLevelTitle({ inci: 'Foo', percent: 3, low: null, high: null })).toBe('Foo: estimated 3 %');
  });
});
