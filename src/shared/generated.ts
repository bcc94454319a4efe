import type { GeneratedCandidateView, GeneratedShow, GeneratedSortKey } from './api';

/**
 * The reason prefix that marks an ingredient the generate job added to a decoded list by the
 * structural rules (src/main/generate/completion.ts); the Generate view lists these apart.
 */
export const COMPLETION_NOTE = 'completed: ';

/**
 * Pure rules for browsing a stored generation run's candidates: which value a column sorts by,
 * the order (ties broken by rank, missing values last either way), and one page of the result.
 */

/** The value a candidate sorts by in column `key`; null when it has none (a benefit the model does not predict). */
export function generatedSortValue(candidate: GeneratedCandidateView, key: GeneratedSortKey): number | null {
  if (key.startsWith('benefit:')) {
    const value = candidate.benefits[key.slice('benefit:'.length)];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return candidate[key as Exclude<GeneratedSortKey, `benefit:${string}`>];
}

/** A sorted copy: by `key` (descending or not), equal values by rank, candidates without a value last. */
export function sortGeneratedCandidates(candidates: readonly GeneratedCandidateView[], key: GeneratedSortKey, descending: boolean): GeneratedCandidateView[] {
  const sign = descending ? -1 : 1;
  return candidates
    .map((c) => ({ c, v: generatedSortValue(c, key) }))
    .sort((x, y) => {
      if (x.v === null || y.v === null) return x.v === y.v ? x.c.rank - y.c.rank : x.v === null ? 1 : -1;
      return sign * (x.v - y.v) || x.c.rank - y.c.rank;
    })
    .map((x) => x.c);
}

export interface GeneratedPageRequest {
  show: GeneratedShow;
  sortBy: GeneratedSortKey;
  /** Default: rank ascending (best first), every other column descending. */
  descending?: boolean;
  limit: number;
  offset: number;
}

/** One page of candidates shown by `show`, in the requested order; `total` counts all shown. */
export function pageGeneratedCandidates(candidates: readonly GeneratedCandidateView[], request: GeneratedPageRequest): { total: number; items: GeneratedCandidateView[] } {
  const shown = request.show === 'all' ? candidates : candidates.filter((c) => c.passed === (request.show === 'passed'));
  const sorted = sortGeneratedCandidates(shown, request.sortBy, request.descending ?? request.sortBy !== 'rank');
  return { total: shown.length, items: sorted.slice(request.offset, request.offset + request.limit) };
}
