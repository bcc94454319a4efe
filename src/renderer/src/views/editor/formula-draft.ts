import type { DraftFormula, DraftLine, SavedFormula } from '../../../../shared/api';
import { PHASE_LETTERS, PHASE_NAMES, PHASES, type Phase } from '../../../../shared/formula/estimate';
import { compactPercent, formatPercent } from '../../../../shared/formula/format';

/**
 * The draft formula panel's pure parts: percentages as a chemist reads and types them, the live
 * checks of a formula being edited (total, order above the 1 % line, legal maxima) that need no
 * server round trip, the groups by phase, and the formula kept with a saved version. No Svelte, no API.
 */

/** How far a total may be from 100 % and still be saved (the service's tolerance). */
export const TOTAL_TOLERANCE = 0.01;
/** Slack for comparing two typed or estimated percentages (floating-point noise, not chemistry). */
const EPSILON = 1e-6;

export { compactPercent, formatPercent };

/** A draft formula's status in words, as the panels show it. */
export const STATUS_TEXT = { estimated: 'Estimated: every rule holds', relaxed: 'Relaxed: some typical ranges had to give way', infeasible: 'No formula obeys the rules' } as const;

/**
 * The percentage a read-only view shows for each line: the estimate, else the figure the label
 * declares (when no formula obeys the rules the label's own percentages are still what it says).
 */
export function shownPercents(draft: Pick<DraftFormula, 'lines'>): (number | null)[] {
  return draft.lines.map((line) => line.estimate ?? line.declared);
}

/** A typed percentage ("4.5", "4,5", "4.5 %"), or null when it is not a number from 0 to 100. */
export function parsePercent(text: string): number | null {
  const clean = text.trim().replace(/\s*%$/, '').replace(',', '.');
  if (!/^(\d+\.?\d*|\.\d+)$/.test(clean)) return null;
  const value = Number(clean);
  return Number.isFinite(value) && value >= 0 && value <= 100 ? value : null;
}

/** Percentages typed by the chemist, by editor row key; replaced, never mutated. */
export type FormulaEdits = ReadonlyMap<number, number>;

/** No percentage typed. */
export const NO_EDITS: FormulaEdits = new Map();

/** The edits with `key` set to `value` (null: its typed percentage dropped). */
export function withEdit(edits: FormulaEdits, key: number, value: number | null): FormulaEdits {
  const next = new Map(edits);
  if (value === null) next.delete(key);
  else next.set(key, value);
  return next;
}

/** The edits of the rows still in the list (the same object when none is gone). */
export function editsOfRows(edits: FormulaEdits, keys: readonly number[]): FormulaEdits {
  const present = new Set(keys);
  return [...edits.keys()].every((k) => present.has(k)) ? edits : new Map([...edits].filter(([k]) => present.has(k)));
}

/** What the live checks found in a formula being edited. */
export interface FormulaCheck {
  /** Sum of the percentages that are known. */
  total: number;
  /** Lines with no percentage (no estimate, and none typed). */
  missing: number;
  totalOk: boolean;
  /** Each line's problems, in words, by index. */
  problems: string[][];
  orderProblems: number;
  limitProblems: number;
}

/**
 * Checks percentages against the rules a label obeys, line by line: the total is 100 %; an
 * ingredient of the main list above 1 % is not more than the one listed before it (below the
 * 1 % line the order is free); no ingredient is above its legal (or in-house) maximum.
 */
export function checkFormula(lines: readonly Pick<DraftLine, 'name' | 'inci' | 'section' | 'limit'>[], percents: readonly (number | null)[]): FormulaCheck {
  const problems = lines.map((): string[] => []);
  let total = 0;
  let missing = 0;
  let orderProblems = 0;
  let limitProblems = 0;
  let previous: number | null = null;
  lines.forEach((line, i) => {
    const value = percents[i] ?? null;
    if (value === null) {
      missing++;
      if (line.section === 'main') previous = null;
      return;
    }
    total += value;
    if (line.section === 'main') {
      if (previous !== null && value > 1 + EPSILON && value > percents[previous]! + EPSILON) {
        const before = lines[previous]!;
        problems[i]!.push(`above 1 % yet more than ${before.inci ?? before.name} (${formatPercent(percents[previous]!)} %), listed before it`);
        orderProblems++;
      }
      previous = i;
    }
    if (line.limit && value > line.limit.max + EPSILON) {
      problems[i]!.push(`above its ${line.limit.annex === 'in-house' ? 'in-house' : 'legal'} maximum of ${line.limit.max} % (${line.limit.annex})`);
      limitProblems++;
    }
  });
  return { total, missing, totalOk: missing === 0 && Math.abs(total - 100) <= TOTAL_TOLERANCE, problems, orderProblems, limitProblems };
}

/** What is wrong with the total, in words (null when it is 100 %). */
export function totalProblem(check: FormulaCheck): string | null {
  if (check.missing > 0) return `${check.missing} ingredient${check.missing === 1 ? ' has' : 's have'} no percentage`;
  if (check.totalOk) return null;
  const off = check.total - 100;
  return `the total is ${formatPercent(check.total)} %, ${formatPercent(Math.abs(off))} % ${off > 0 ? 'over' : 'short of'} 100 %`;
}

/** One phase of the formula as the panel and the sheet show it: its lines (indices) and their total. */
export interface PhaseGroup {
  phase: Phase;
  letter: string;
  name: string;
  percent: number;
  indices: number[];
}

/**
 * The formula's lines grouped by phase (A water, B oil, C powders, D cool-down), each phase's
 * total from the percentages given (edited or estimated). A line with no known phase goes with
 * the water phase, as the service places it.
 */
export function phaseGroups(draft: Pick<DraftFormula, 'lines'>, percents: readonly (number | null)[]): PhaseGroup[] {
  return PHASES.map((phase) => {
    const indices = draft.lines.flatMap((line, i) => ((line.phase ?? 'water') === phase ? [i] : []));
    const percent = indices.reduce((s, i) => s + (percents[i] ?? 0), 0);
    return { phase, letter: PHASE_LETTERS[phase], name: PHASE_NAMES[phase], percent, indices };
  })
    .filter((g) => g.indices.length > 0)
    .sort((a, b) => a.letter.localeCompare(b.letter));
}

/** A flag of a line in words, and whether it asks for attention. */
export interface FlagLabel {
  text: string;
  title: string;
  warn: boolean;
}

/** A line's flags in words; `edited` (typed by the chemist) replaces "declared", which is how an edit reaches the estimate. */
export function flagLabels(line: DraftLine, edited: boolean, labelling: DraftFormula['labelling']): FlagLabel[] {
  const out: FlagLabel[] = [];
  if (edited) out.push({ text: 'set by hand', title: 'You typed this percentage; Rebalance estimates the others around it', warn: false });
  else if (line.flags.includes('declared')) out.push({ text: 'declared', title: 'The label declares this percentage', warn: false });
  if (line.flags.includes('unknown')) out.push({ text: 'no typical level: wide range', title: 'The knowledge base has no use level for it: the estimate is a guess from its position', warn: true });
  if (line.flags.includes('class-level')) out.push({ text: 'class level', title: "No level of its own: the typical level of its function's class is used", warn: false });
  if (line.flags.includes('outside-typical')) out.push({ text: 'outside typical range', title: 'The rules could only be met by leaving its typical range', warn: true });
  if (line.flags.includes('at-limit')) out.push({ text: 'at legal max', title: 'The estimate sits at its legal maximum', warn: true });
  if (line.flags.includes('declared-over-limit')) out.push({ text: 'over legal max', title: 'The percentage given is above its legal maximum', warn: true });
  if (line.flags.includes('allergen')) out.push({ text: 'allergen', title: `Labelled fragrance allergen: at least ${labelling.threshold} % (${labelling.annex})`, warn: false });
  if (line.prep) out.push({ text: line.prep, title: `Added ${line.prep}`, warn: false });
  return out;
}

/** The typical level of a line in words, for the range's tooltip. */
export function typicalText(line: DraftLine): string {
  if (!line.typical) return 'No typical level known';
  const { min, max, usual } = line.typical;
  return `Typically ${formatPercent(min)}–${formatPercent(max)} % (usual ${formatPercent(usual)} %)${line.levelSource === 'class' ? ", from its function's class" : line.levelSource === 'user' ? ', your own level' : ''}`;
}

/** Rounds a percentage for storing: six decimals keep a 100 % total well within the tolerance for any list length the app allows. */
const stored = (v: number): number => Math.round(v * 1e6) / 1e6;

/**
 * The formula kept with a candidate version: each line's percentage (edited or estimated), its
 * phase (water when unknown, as the sheet places it) and whether it was typed.
 */
export function savedFormulaOf(draft: Pick<DraftFormula, 'lines' | 'productType'>, percents: readonly number[], edited: readonly boolean[], note = ''): SavedFormula {
  return {
    productType: draft.productType,
    lines: draft.lines.map((line, i) => ({ percent: stored(percents[i]!), phase: line.phase ?? 'water', edited: edited[i] ?? false })),
    note,
  };
}
