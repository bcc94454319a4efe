import type { ApiArgs, GeneratedCandidateView, GeneratedSortKey } from '../../../../shared/api';
import { COMPLETION_NOTE } from '../../../../shared/generated';
import { activeLevelTitle, compactPercent } from '../../../../shared/formula/format';

/**
 * Pure rules of the Generate view: turning the form into the generate call's arguments, the
 * results table's sort order, and each candidate's checks with their reasons.
 */

/** The Generate form as typed; number inputs hold null while empty. */
export interface GenerateForm {
  n: number | null;
  k: number | null;
  temperature: number | null;
  seed: number | null;
  /** Centre sampling on this product's code; null samples around the whole catalog. */
  centre: { id: number; name: string } | null;
  densityFloorQuantile: number | null;
  minNovelty: number | null;
  minPlausibility: number | null;
  /** Per predicted benefit: the value a candidate must reach, null for no threshold. */
  benefitThresholds: Record<string, number | null>;
  baselines: boolean;
  /** Let lists shorter than 95 % of the catalog's pass and rank. */
  allowShortLists: boolean;
  /** Add a missing preservative or emulsifier to a decoded list. */
  completeStructure: boolean;
  /** A saved design brief every decoded list obeys (null: none). */
  brief: string | null;
}

/** The defaults of the generate job (as in the contract), with baselines on for comparison. */
export function defaultGenerateForm(): GenerateForm {
  return { n: 10_000, k: 1_000, temperature: 1, seed: 1, centre: null, densityFloorQuantile: 0.05, minNovelty: 0.3, minPlausibility: 0.5, benefitThresholds: {}, baselines: true, allowShortLists: false, completeStructure: true, brief: null };
}

const FIELD_LABELS = { n: 'Samples (N)', k: 'Candidates to decode (K)', temperature: 'Temperature', seed: 'Seed', densityFloorQuantile: 'Density floor', minNovelty: 'Min novelty', minPlausibility: 'Min plausibility' } as const;

/**
 * The generate call's arguments, or what is missing. Ranges are left to the services, whose
 * messages name the field; only empty fields are caught here.
 */
export function generateArgs(form: GenerateForm): { ok: true; args: NonNullable<ApiArgs['generate']> } | { ok: false; message: string } {
  const empty = (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]).filter((f) => form[f] === null || !Number.isFinite(form[f]));
  if (empty.length) return { ok: false, message: `fill in ${empty.map((f) => FIELD_LABELS[f]).join(', ')}` };
  const benefitThresholds: Record<string, number> = {};
  for (const [name, value] of Object.entries(form.benefitThresholds)) if (value !== null && Number.isFinite(value)) benefitThresholds[name] = value;
  return {
    ok: true,
    args: {
      n: form.n!,
      k: form.k!,
      temperature: form.temperature!,
      seed: form.seed!,
      ...(form.centre ? { centreProductId: form.centre.id } : {}),
      densityFloorQuantile: form.densityFloorQuantile!,
      minNovelty: form.minNovelty!,
      minPlausibility: form.minPlausibility!,
      benefitThresholds,
      baselines: form.baselines,
      allowShortLists: form.allowShortLists,
      completeStructure: form.completeStructure,
      ...(form.brief ? { brief: form.brief } : {}),
    },
  };
}

/** The results table's order. */
export interface SortState {
  by: GeneratedSortKey;
  descending: boolean;
}

/** Clicking a column: the same column flips its direction; a new one starts best first (rank ascending, scores descending). */
export function nextSort(current: SortState, column: GeneratedSortKey): SortState {
  if (current.by === column) return { by: column, descending: !current.descending };
  return { by: column, descending: column !== 'rank' };
}

/** A predicted benefit's name as a person reads it: "kb:oil_control" → "oil control (knowledge)". */
export function benefitLabel(name: string): string {
  const knowledge = name.startsWith('kb:');
  const base = (knowledge ? name.slice(3) : name).replace(/_/g, ' ');
  return knowledge ? `${base} (knowledge)` : base;
}

/** The thresholds a run checked its candidates against (from its stored parameters). */
export interface RunThresholds {
  minNovelty: number;
  minPlausibility: number;
  benefitThresholds: Record<string, number>;
}

export function runThresholds(params: Record<string, unknown>): RunThresholds {
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const benefits = params.benefitThresholds && typeof params.benefitThresholds === 'object' ? (params.benefitThresholds as Record<string, unknown>) : {};
  return {
    minNovelty: num(params.minNovelty, 0.3),
    minPlausibility: num(params.minPlausibility, 0.5),
    benefitThresholds: Object.fromEntries(Object.entries(benefits).filter((e): e is [string, number] => typeof e[1] === 'number')),
  };
}

/** One check of a generated candidate: passed or not, the measured value against its threshold, and every reason it gave. */
export interface CandidateCheck {
  check: string;
  ok: boolean;
  detail: string;
  reasons: string[];
}

const fixed = (x: number) => x.toFixed(2);

/**
 * Every check the generate job ran on a candidate, in the job's order (valid list, novelty,
 * ordering plausibility, structure, each benefit threshold), with the reasons it recorded
 * sorted under the check that gave them. Ordering notes ("order: …") are kept even when the
 * plausibility passed: they are the weakest pairs of the list.
 */
export function candidateChecks(c: GeneratedCandidateView, thresholds: RunThresholds): CandidateCheck[] {
  const validity: string[] = [];
  const novelty: string[] = [];
  const ordering: string[] = [];
  const benefit = new Map<string, string[]>();
  const structure: string[] = [];
  const completed: string[] = [];
  const benefitNames = Object.keys(thresholds.benefitThresholds);
  for (const reason of c.reasons) {
    if (reason.startsWith(COMPLETION_NOTE)) completed.push(reason.slice(COMPLETION_NOTE.length));
    else if (reason.startsWith('the decoded list') || reason === 'an ingredient is repeated') validity.push(reason);
    else if (reason === 'identical to a catalog product' || reason.startsWith('too close to a catalog product')) novelty.push(reason);
    else if (reason.startsWith('ordering plausibility') || reason.startsWith('order: ')) ordering.push(reason.replace(/^order: /, ''));
    else {
      const name = benefitNames.find((b) => reason.startsWith(`predicted ${b} `) || reason === `the model does not predict "${b}"`);
      if (name !== undefined) benefit.set(name, [...(benefit.get(name) ?? []), reason]);
      else structure.push(reason);
    }
  }
  const nearest = c.nearestProduct ? `; nearest catalog product: ${c.nearestProduct.name}` : '';
  const checks: CandidateCheck[] = [
    { check: 'Valid list', ok: validity.length === 0, detail: validity.length ? 'not a usable list' : `${c.ingredients.length} ingredient${c.ingredients.length === 1 ? '' : 's'}, each named and listed once`, reasons: validity },
    {
      check: 'Novelty',
      ok: novelty.length === 0 && c.novelty >= thresholds.minNovelty,
      detail: `${fixed(c.novelty)} (at least ${thresholds.minNovelty} required)${nearest}`,
      reasons: novelty,
    },
    {
      check: 'Ordering plausibility',
      ok: c.plausibility >= thresholds.minPlausibility,
      detail: `${fixed(c.plausibility)} (at least ${thresholds.minPlausibility} required)`,
      reasons: ordering,
    },
    { check: 'Structure', ok: structure.length === 0, detail: structure.length ? `${structure.length} problem${structure.length === 1 ? '' : 's'}` : 'preservation, emulsification, length and compatibility fine', reasons: structure },
  ];
  if (completed.length) checks.push({ check: 'Completed by the job', ok: true, detail: `${completed.length} ingredient${completed.length === 1 ? '' : 's'} added by the structural rules`, reasons: completed });
  for (const name of benefitNames) {
    const value = c.benefits[name];
    const min = thresholds.benefitThresholds[name]!;
    checks.push({
      check: `Predicted ${benefitLabel(name)}`,
      ok: value !== undefined && value >= min,
      detail: value === undefined ? `not predicted (at least ${min} required)` : `${fixed(value)} (at least ${min} required)`,
      reasons: benefit.get(name) ?? [],
    });
  }
  return checks;
}

/** A score with two decimals ("–" when missing); a tiny negative value reads 0.00, not -0.00. */
export function formatScore(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const text = x.toFixed(digits);
  return /^-0\.0*$/.test(text) ? text.slice(1) : text;
}

/** A prediction with the half-width of its 80 % interval: "0.42 ± 0.08"; the value alone when there is none. */
export function formatEstimate(value: number | null | undefined, uncertainty: number | null | undefined, digits = 2): string {
  const shown = formatScore(value, digits);
  return shown !== '–' && typeof uncertainty === 'number' && Number.isFinite(uncertainty) ? `${shown} ± ${formatScore(uncertainty, digits)}` : shown;
}

/** Milliseconds as a person reads them: "850 ms", "12.3 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A generated list's draft-formula summary, as `listGeneratedCandidates({ activeLevels: true })` gives it. */
export type CandidateFormula = NonNullable<GeneratedCandidateView['formula']>;

/** One active in the results table: its name with its estimated percentage, and its range for the tooltip. */
export interface ActiveLevel {
  inci: string;
  /** The estimated percentage, short ("4.4 %"); '' when there is none. */
  percent: string;
  /** Name and percentage together: "Niacinamide 4.4 %". */
  text: string;
  title: string;
}

/** The "Estimated actives" cell of a generated candidate. */
export interface ActivesCell {
  /** The actives, highest estimate first, at most `shown` of them. */
  items: ActiveLevel[];
  /** How many more there are, and all of them in words (the tooltip of "+N"). */
  more: number;
  moreTitle: string;
  /** Every active in words, highest first (the tooltip of the whole cell). */
  allTitle: string;
  /** A mark when the estimate is not a clean one (relaxed, or no formula at all), with why. */
  mark: { status: 'relaxed' | 'infeasible'; text: string; title: string } | null;
}

const RELAXED_TITLE = 'Relaxed estimate: some typical use ranges had to give way to meet the labelling rules, so these levels are less sure';
const INFEASIBLE_TITLE = 'No formula obeys the labelling rules for this list (order above the 1 % line, legal maxima, a total of 100 %): no levels could be estimated';

export { activeLevelTitle };

/**
 * The estimated actives of a generated list, highest first ("Zinc Oxide 10 %", "Niacinamide
 * 4.4 %"; a name alone when there is no estimate), the first `shown` named and the rest counted,
 * each with its range for the tooltip; a mark when the estimate was relaxed or impossible.
 */
export function activesCell(formula: CandidateFormula, shown = 2): ActivesCell {
  const sorted = formula.actives.map((a, order) => ({ a, order })).sort((x, y) => (y.a.percent ?? -1) - (x.a.percent ?? -1) || x.order - y.order);
  const items = sorted.map(({ a }) => {
    const percent = a.percent === null ? '' : compactPercent(a.percent);
    return { inci: a.inci, percent, text: percent ? `${a.inci} ${percent}` : a.inci, title: activeLevelTitle(a) };
  });
  const rest = items.slice(shown);
  return {
    items: items.slice(0, shown),
    more: rest.length,
    moreTitle: rest.map((i) => i.title).join('\n'),
    allTitle: items.length ? items.map((i) => i.title).join('\n') : 'No active ingredient (active, UV filter, vitamin, exfoliant or peptide) in the list',
    mark:
      formula.status === 'relaxed'
        ? { status: 'relaxed', text: 'relaxed', title: RELAXED_TITLE }
        : formula.status === 'infeasible'
          ? { status: 'infeasible', text: 'no formula', title: INFEASIBLE_TITLE }
          : null,
  };
}
