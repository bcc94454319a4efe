import { describe, expect, it } from 'vitest';
import type { GeneratedCandidateView } from '../../src/shared/api';
import { generatedSortValue, pageGeneratedCandidates, sortGeneratedCandidates } from '../../src/shared/generated';

const candidate = (rank: number, passed: boolean, score: number, novelty: number, plausibility: number, benefits: Record<string, number> = {}): GeneratedCandidateView => ({
  rank,
  ingredients: ['Water'],
  passed,
  score,
  novelty,
  plausibility,
  logDensity: -rank,
  benefits,
  nearestProduct: null,
  reasons: passed ? [] : ['contains water but no preservative'],
});

const run = [
  candidate(1, true, 0.8, 0.4, 0.9, { hydration: 0.2 }),
  candidate(2, true, 0.7, 0.6, 0.7, { hydration: 0.9 }),
  candidate(3, true, 0.6, 0.6, 0.8, {}),
  candidate(4, false, 0.9, 0.1, 0.95, { hydration: 0.5 }),
  candidate(5, false, 0.5, 0.6, 0.3, { hydration: 0.9 }),
];
const ranks = (items: GeneratedCandidateView[]) => items.map((c) => c.rank);

describe('sorting generated candidates', () => {
  it('sorts by novelty, highest first, equal novelty by rank', () => {
    expect(ranks(sortGeneratedCandidates(run, 'novelty', true))).toEqual([2, 3, 5, 1, 4]);
  });

  it('sorts ascending with equal values still by rank', () => {
    expect(ranks(sortGeneratedCandidates(run, 'novelty', false))).toEqual([4, 1, 2, 3, 5]);
  });

  it('sorts by a predicted benefit and puts candidates without it last in both directions', () => {
    expect(ranks(sortGeneratedCandidates(run, 'benefit:hydration', true))).toEqual([2, 5, 4, 1, 3]);
    expect(ranks(sortGeneratedCandidates(run, 'benefit:hydration', false))).toEqual([1, 4, 2, 5, 3]);
  });

  it('reads a benefit whose name holds a colon (knowledge-based scores are "kb:…")', () => {
    expect(generatedSortValue(candidate(1, true, 0, 0, 0, { 'kb:soothing': 0.25 }), 'benefit:kb:soothing')).toBe(0.25);
    expect(generatedSortValue(candidate(1, true, 0, 0, 0), 'benefit:kb:soothing')).toBeNull();
  });

  it('leaves its input in place', () => {
    sortGeneratedCandidates(run, 'score', true);
    expect(ranks(run)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('paging generated candidates', () => {
  it('lists by rank by default and counts every candidate shown', () => {
    expect(pageGeneratedCandidates(run, { show: 'all', sortBy: 'rank', limit: 2, offset: 2 })).toMatchObject({ total: 5, items: [{ rank: 3 }, { rank: 4 }] });
  });

  it('shows only the passed or only the rejected ones, scores highest first unless asked otherwise', () => {
    const passed = pageGeneratedCandidates(run, { show: 'passed', sortBy: 'plausibility', limit: 10, offset: 0 });
    expect(passed.total).toBe(3);
    expect(ranks(passed.items)).toEqual([1, 3, 2]);
    const rejected = pageGeneratedCandidates(run, { show: 'rejected', sortBy: 'score', descending: false, limit: 10, offset: 0 });
    expect(ranks(rejected.items)).toEqual([5, 4]);
  });

  it('gives an empty page past the end', () => {
    expect(pageGeneratedCandidates(run, { show: 'all', sortBy: 'score', limit: 10, offset: 10 })).toEqual({ total: 5, items: [] });
  });
});
