import type { ApiArgs, CandidateProvenance, CandidateSummary } from '../../../../shared/api';
import type { CandidateStatus } from '../../../../shared/domain';
import { benefitLabel, formatScore } from '../generate/generate-results';

/**
 * Pure rules of the Shortlist view: the filters as a listCandidates query, the selection of
 * candidates (for export and comparison), tags typed by a person, and labels.
 */

export interface ShortlistFilters {
  /** Text contained in the name or the notes. */
  search: string;
  tag: string;
  /** '' for any status. */
  status: CandidateStatus | '';
  /** null for any rating. */
  minRating: number | null;
}

export function emptyShortlistFilters(): ShortlistFilters {
  return { search: '', tag: '', status: '', minRating: null };
}

/** The listCandidates arguments for the filters: blank text and "any" are left out. */
export function shortlistQuery(filters: ShortlistFilters, limit = 500): NonNullable<ApiArgs['listCandidates']> {
  const search = filters.search.trim();
  const tag = filters.tag.trim().replace(/\s+/g, ' ');
  return {
    ...(search ? { search } : {}),
    ...(tag ? { tag } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.minRating !== null && filters.minRating > 0 ? { minRating: filters.minRating } : {}),
    limit,
  };
}

/** True when any filter narrows the list (an empty result then means "no match", not "nothing saved"). */
export function filtersActive(filters: ShortlistFilters): boolean {
  return Object.keys(shortlistQuery(filters)).some((k) => k !== 'limit');
}

/** Nothing selected. */
export const NO_SELECTION: ReadonlySet<number> = new Set();

/** The selection with `id` added or removed. */
export function toggleSelected(selection: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selection);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** Selects every id shown (or unselects them), keeping any selected candidate that is not shown. */
export function selectAll(selection: ReadonlySet<number>, shown: readonly number[], on: boolean): Set<number> {
  const next = new Set(selection);
  for (const id of shown) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}

/** The selection without candidates that no longer exist (deleted). */
export function keepExisting(selection: ReadonlySet<number>, existing: readonly number[]): Set<number> {
  const ids = new Set(existing);
  return new Set([...selection].filter((id) => ids.has(id)));
}

/** The two candidates to compare, in the order the list shows them; null unless exactly two are selected. */
export function comparePair(selection: ReadonlySet<number>, order: readonly number[]): [number, number] | null {
  if (selection.size !== 2) return null;
  const [a, b] = [...selection].sort((x, y) => rankIn(order, x) - rankIn(order, y));
  return [a!, b!];
}

function rankIn(order: readonly number[], id: number): number {
  const i = order.indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** The selected ids in the order the list shows them (ids not shown last, in ascending order). */
export function selectedInOrder(selection: ReadonlySet<number>, order: readonly number[]): number[] {
  return [...selection].sort((x, y) => rankIn(order, x) - rankIn(order, y) || x - y);
}

/** The list with one candidate replaced by its updated summary. */
export function replaceCandidate(items: readonly CandidateSummary[], updated: CandidateSummary): CandidateSummary[] {
  return items.map((c) => (c.id === updated.id ? updated : c));
}

/**
 * Tags after adding what a person typed: several may be typed at once, separated by commas or
 * semicolons; spaces are trimmed and collapsed; a tag already there (in any case) is not added twice.
 */
export function addTags(tags: readonly string[], typed: string): string[] {
  const next = [...tags];
  for (const raw of typed.split(/[,;]/)) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (tag && !next.some((t) => t.toLowerCase() === tag.toLowerCase())) next.push(tag);
  }
  return next;
}

/** "in-lab" → "in lab". */
export function statusLabel(status: CandidateStatus): string {
  return status.replace(/-/g, ' ');
}

/** Where a saved version came from, in a few words. */
export function provenanceLabel(p: CandidateProvenance): string {
  switch (p.source) {
    case 'generated':
      return `generated: run ${p.runId}, rank ${p.rank}${p.modelId !== null ? ` (model ${p.modelId})` : ''}`;
    case 'edited-product':
      return `edited from catalog product ${p.productId}`;
    case 'optimised':
      return 'optimised';
    case 'manual':
      return 'typed by hand';
  }
}

/** The download's file name: shortlist-YYYY-MM-DD.csv (or .xlsx; local date). */
export function exportFileName(now: Date = new Date(), extension: 'csv' | 'xlsx' = 'csv'): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `shortlist-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.${extension}`;
}

/** A stored time (ISO 8601) in local time as "YYYY-MM-DD HH:MM". */
export function formatWhen(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const MAIN_SCORES = ['score', 'novelty', 'plausibility', 'logDensity'];

/** A saved score's name as a person reads it: "predicted_kb:oil_control" → "predicted oil control (knowledge)". */
export function scoreLabel(name: string): string {
  if (name === 'logDensity') return 'log density';
  if (name.startsWith('predicted_')) return `predicted ${benefitLabel(name.slice('predicted_'.length))}`;
  return benefitLabel(name);
}

/**
 * Score names in reading order: score, novelty, plausibility, log density, then the rest by name.
 * Uncertainties (`uncertainty_<benefit>`) are left out: they are shown beside their prediction.
 */
export function orderScoreNames(names: readonly string[]): string[] {
  const rank = (n: string) => (MAIN_SCORES.includes(n) ? MAIN_SCORES.indexOf(n) : MAIN_SCORES.length);
  return names.filter((n) => !n.startsWith(UNCERTAINTY_PREFIX)).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const UNCERTAINTY_PREFIX = 'uncertainty_';

/** The saved score holding a prediction's uncertainty (half-width of its 80 % interval): "predicted_Dry" → "uncertainty_Dry". */
export function uncertaintyKey(predictedName: string): string {
  return `${UNCERTAINTY_PREFIX}${predictedName.replace(/^predicted_/, '')}`;
}

/** A saved score as shown: "0.420", or "0.420 ± 0.080" when its uncertainty was saved with it. */
export function formatSavedScore(scores: Readonly<Record<string, number | null>>, name: string, digits = 3): string {
  const shown = formatScore(scores[name], digits);
  const u = name.startsWith('predicted_') ? scores[uncertaintyKey(name)] : undefined;
  return typeof u === 'number' && Number.isFinite(u) && shown !== '–' ? `${shown} ± ${formatScore(u, digits)}` : shown;
}

/** The file name of a formula sheet's export: the shared rule the service names its files by. */
export { formulaSheetFileName as sheetFileName } from '../../../../shared/formula/format';
