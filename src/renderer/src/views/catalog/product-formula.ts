import type { DraftFormula, DraftLine } from '../../../../shared/api';
import { ACTIVE_FUNCTIONS } from '../../../../shared/formula/estimate';
import { compactPercent } from '../editor/formula-draft';

/**
 * The product page's draft formula in one line, before it is opened: its status, the water and
 * the actives with their percentages (the label's where it declares them). Pure; no Svelte, no API.
 */

/** The functions whose ingredients count as actives: the shared list, as the generate view's "estimated actives". */
export { ACTIVE_FUNCTIONS };

/** How many actives a summary names before "+N more". */
const SUMMARY_ACTIVES = 4;

/** An ingredient in a summary: its name with its percentage, and in words where that comes from. */
export interface SummaryItem {
  text: string;
  title: string;
  declared: boolean;
}

export interface FormulaSummary {
  /** The status in a word or two, for the collapsed line. */
  status: string;
  tone: 'ok' | 'warn' | 'bad';
  /** The water (or aqua) line, null when the list holds none. */
  water: SummaryItem | null;
  /** The actives, highest first, at most {@link SUMMARY_ACTIVES}. */
  actives: SummaryItem[];
  /** Actives left out of `actives`. */
  moreActives: number;
  /** How many percentages the label declares, and of how many lines. */
  declared: number;
  lines: number;
}

/** An active ingredient: one of the {@link ACTIVE_FUNCTIONS}, or declared apart from the list as an active. */
export function isActive(line: Pick<DraftLine, 'functions' | 'section'>): boolean {
  return line.section === 'active' || line.functions.some((f) => ACTIVE_FUNCTIONS.has(f));
}

function item(line: DraftLine, label = line.inci ?? line.name): SummaryItem {
  const name = line.inci ?? line.name;
  const percent = line.estimate ?? line.declared;
  const declared = line.flags.includes('declared') || (line.estimate === null && line.declared !== null);
  const range = line.low !== null && line.high !== null && !declared ? ` (range ${compactPercent(line.low).replace(' %', '')}–${compactPercent(line.high)})` : '';
  return {
    text: `${label} ${compactPercent(percent)}`,
    title: declared ? `${name}: ${compactPercent(percent)}, declared on the label` : percent === null ? `${name}: no estimate` : `${name}: estimated ${compactPercent(percent)}${range}`,
    declared,
  };
}

/** The one-line summary of a product's draft formula. */
export function formulaSummary(draft: Pick<DraftFormula, 'status' | 'lines'>): FormulaSummary {
  const declared = draft.lines.filter((l) => l.declared !== null).length;
  const allDeclared = declared === draft.lines.length && draft.lines.length > 0;
  const status =
    draft.status === 'infeasible' ? 'no formula obeys the rules' : draft.status === 'relaxed' ? 'relaxed: typical ranges gave way' : allDeclared ? 'every percentage declared' : 'estimated';
  const water = draft.lines.find((l) => l.section === 'main' && /^(water|aqua)\b/i.test(l.inci ?? l.name));
  const actives = draft.lines
    .filter(isActive)
    .map((line, order) => ({ line, order, percent: line.estimate ?? line.declared }))
    .sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1) || a.order - b.order);
  return {
    status,
    tone: draft.status === 'infeasible' ? 'bad' : draft.status === 'relaxed' ? 'warn' : 'ok',
    water: water ? item(water, 'water') : null,
    actives: actives.slice(0, SUMMARY_ACTIVES).map((a) => item(a.line)),
    moreActives: Math.max(0, actives.length - SUMMARY_ACTIVES),
    declared,
    lines: draft.lines.length,
  };
}

/** Where the product page's percentages come from, in a sentence. */
export function declaredNote(summary: Pick<FormulaSummary, 'declared' | 'lines'>): string {
  if (summary.declared === 0) return 'The label declares no percentage: every one is estimated from the list and typical use levels.';
  if (summary.declared === summary.lines) return 'The label declares every percentage: they are kept as they are.';
  return `The label declares ${summary.declared} of ${summary.lines} percentages: they are kept as they are, and the others estimated around them.`;
}
