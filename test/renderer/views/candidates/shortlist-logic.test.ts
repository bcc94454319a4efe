import { describe, expect, it } from 'vitest';
import type { CandidateSummary } from '../../../../src/shared/api';
import {
  addTags,
  comparePair,
  emptyShortlistFilters,
  exportFileName,
  filtersActive,
  formatWhen,
  keepExisting,
  formatSavedScore,
  orderScoreNames,
  provenanceLabel,
  replaceCandidate,
  scoreLabel,
  selectAll,
  selectedInOrder,
  shortlistQuery,
  statusLabel,
  toggleSelected,
} from '../../../../src/renderer/src/views/candidates/shortlist-logic';

describe('shortlist filters', () => {
  it('asks for everything (up to the page size) when no filter is set', () => {
    expect(shortlistQuery(emptyShortlistFilters())).toEqual({ limit: 500 });
    expect(filtersActive(emptyShortlistFilters())).toBe(false);
  });

  it('sends trimmed text, a tag with its spaces collapsed, the status and a minimum rating', () => {
    expect(shortlistQuery({ search: '  niacinamide ', tag: ' night   serum ', status: 'in-lab', minRating: 3 })).toEqual({ search: 'niacinamide', tag: 'night serum', status: 'in-lab', minRating: 3, limit: 500 });
  });

  it('treats blank text and a minimum rating of 0 as no filter', () => {
    const filters = { search: '   ', tag: '', status: '' as const, minRating: 0 };
    expect(shortlistQuery(filters)).toEqual({ limit: 500 });
    expect(filtersActive(filters)).toBe(false);
    expect(filtersActive({ ...filters, status: 'approved' })).toBe(true);
  });
});

describe('selecting candidates', () => {
  it('toggles one candidate in and out', () => {
    const once = toggleSelected(new Set([1]), 2);
    expect([...once]).toEqual([1, 2]);
    expect([...toggleSelected(once, 1)]).toEqual([2]);
  });

  it('selects every shown candidate and unselects them, keeping a selected one that is not shown', () => {
    expect([...selectAll(new Set([9]), [1, 2, 3], true)].sort()).toEqual([1, 2, 3, 9]);
    expect([...selectAll(new Set([1, 2, 9]), [1, 2, 3], false)]).toEqual([9]);
  });

  it('drops deleted candidates from the selection', () => {
    expect([...keepExisting(new Set([1, 2, 3]), [3, 1])]).toEqual([1, 3]);
  });

  it('compares exactly two, in the order the list shows them', () => {
    expect(comparePair(new Set([5, 2]), [7, 2, 5])).toEqual([2, 5]);
    expect(comparePair(new Set([5]), [5])).toBeNull();
    expect(comparePair(new Set([1, 2, 3]), [1, 2, 3])).toBeNull();
  });

  it('exports the selection in list order, candidates not shown last by id', () => {
    expect(selectedInOrder(new Set([8, 3, 1, 4]), [4, 3])).toEqual([4, 3, 1, 8]);
  });
});

describe('editing', () => {
  it('adds typed tags (several at once), trimmed, without a second copy in another case', () => {
    expect(addTags(['serum'], ' Night  cream ; SERUM, spf ')).toEqual(['serum', 'Night cream', 'spf']);
    expect(addTags(['serum'], '  ')).toEqual(['serum']);
  });

  it('replaces the edited candidate in the list and leaves the others', () => {
    const c = (id: number, notes: string) => ({ id, notes }) as CandidateSummary;
    expect(replaceCandidate([c(1, 'a'), c(2, 'b')], c(2, 'new')).map((x) => x.notes)).toEqual(['a', 'new']);
  });
});

describe('labels', () => {
  it('reads statuses, provenance and score names', () => {
    expect(statusLabel('in-lab')).toBe('in lab');
    expect(provenanceLabel({ source: 'generated', runId: 3, rank: 5, modelId: 1, modelSha256: 'x', details: {} })).toBe('generated: run 3, rank 5 (model 1)');
    expect(provenanceLabel({ source: 'edited-product', productId: 12, modelId: null, modelSha256: null, details: {} })).toBe('edited from catalog product 12');
    expect(scoreLabel('predicted_kb:oil_control')).toBe('predicted oil control (knowledge)');
    expect(scoreLabel('logDensity')).toBe('log density');
  });

  it('shows a saved prediction with the half-width of its 80 % interval, and leaves the uncertainty out of the rows', () => {
    const scores = { predicted_Dry: 0.7234, uncertainty_Dry: 0.081, novelty: 0.5, predicted_hydration: 0.4 };
    expect(formatSavedScore(scores, 'predicted_Dry')).toBe('0.723 ± 0.081');
    expect(formatSavedScore(scores, 'predicted_hydration')).toBe('0.400');
    expect(formatSavedScore(scores, 'novelty')).toBe('0.500');
    expect(orderScoreNames(Object.keys(scores))).toEqual(['novelty', 'predicted_Dry', 'predicted_hydration']);
  });

  it('orders scores with the main ones first', () => {
    expect(orderScoreNames(['predicted_hydration', 'novelty', 'logDensity', 'score', 'plausibility', 'predicted_anti_acne'])).toEqual([
      'score',
      'novelty',
      'plausibility',
      'logDensity',
      'predicted_anti_acne',
      'predicted_hydration',
    ]);
  });

  it('names the export after the local date and shows local times', () => {
    expect(exportFileName(new Date(2025, 2, 1, 23, 59))).toBe('shortlist-2025-03-01.csv');
    expect(exportFileName(new Date(2025, 2, 1, 23, 59), 'xlsx')).toBe('shortlist-2025-03-01.xlsx');
    expect(formatWhen(new Date(2025, 11, 24, 9, 5).toISOString())).toBe('2025-12-24 09:05');
    expect(formatWhen('not a date')).toBe('not a date');
  });
});
