import { describe, expect, it } from 'vitest';
import { candidatesToCsv, diffOrderedLists, MANUAL_PROVENANCE } from '../../src/shared/candidates';
import type { CandidateSummary } from '../../src/shared/api';

describe('diffOrderedLists', () => {
  it('does not count an insertion or a removal elsewhere as a move', () => {
    const d = diffOrderedLists(['water', 'glycerin', 'niacinamide'], ['water', 'squalane', 'glycerin', 'niacinamide']);
    expect(d.moved).toEqual([]);
    expect(d.shared).toEqual([
      { item: 'water', positionA: 1, positionB: 1 },
      { item: 'glycerin', positionA: 2, positionB: 3 },
      { item: 'niacinamide', positionA: 3, positionB: 4 },
    ]);
    expect(d.onlyInA).toEqual([]);
    expect(d.onlyInB).toEqual([{ item: 'squalane', position: 2 }]);
    expect(d.jaccard).toBeCloseTo(3 / 4, 12);
  });

  it('reports one ingredient moved from the top to the bottom as the only move', () => {
    const d = diffOrderedLists(['glycerin', 'water', 'niacinamide', 'phenoxyethanol'], ['water', 'niacinamide', 'phenoxyethanol', 'glycerin']);
    expect(d.moved).toEqual([{ item: 'glycerin', positionA: 1, positionB: 4 }]);
  });

  it('reports one of two swapped neighbours', () => {
    const d = diffOrderedLists([1, 2, 3], [1, 3, 2]);
    expect(d.moved).toHaveLength(1);
    expect([2, 3]).toContain(d.moved[0]!.item);
  });

  it('compares disjoint and identical lists', () => {
    const disjoint = diffOrderedLists([1, 2], [3]);
    expect([disjoint.shared, disjoint.moved, disjoint.jaccard, disjoint.weightedJaccard]).toEqual([[], [], 0, 0]);
    expect(disjoint.onlyInA.map((x) => x.position)).toEqual([1, 2]);
    const same = diffOrderedLists([5, 6, 7], [5, 6, 7]);
    expect([same.moved, same.onlyInA, same.onlyInB, same.jaccard, same.weightedJaccard]).toEqual([[], [], [], 1, 1]);
  });
});

describe('candidatesToCsv', () => {
  const candidate = (overrides: Partial<CandidateSummary>): CandidateSummary => ({
    id: 1,
    name: 'Serum',
    notes: '',
    tags: [],
    status: 'idea',
    rating: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    version: 1,
    versionSavedAt: '2025-01-01T00:00:00.000Z',
    ingredients: [
      { ingredientId: 1, inci: 'Water' },
      { ingredientId: 2, inci: 'Glycerin' },
    ],
    scores: {},
    provenance: MANUAL_PROVENANCE,
    ...overrides,
  });

  it('has one column per score name in any row, sorted, empty where a row lacks it', () => {
    const csv = candidatesToCsv([candidate({ scores: { novelty: 0.5 } }), candidate({ id: 2, name: 'Cream', rating: 4, tags: ['a', 'b'], scores: { plausibility: 0.25, novelty: 1 } })]);
    expect(csv).toBe(
      '\uFEFFid,name,version,status,rating,tags,notes,ingredients,score_novelty,score_plausibility,source,provenance,version_saved_at,updated_at\r\n' +
        '1,Serum,1,idea,,,,"Water, Glycerin",0.5,,manual,"{""source"":""manual"",""modelId"":null,""modelSha256"":null,""details"":{}}",2025-01-01T00:00:00.000Z,2025-01-02T00:00:00.000Z\r\n' +
        '2,Cream,1,idea,4,a; b,,"Water, Glycerin",1,0.25,manual,"{""source"":""manual"",""modelId"":null,""modelSha256"":null,""details"":{}}",2025-01-01T00:00:00.000Z,2025-01-02T00:00:00.000Z\r\n',
    );
  });

  it('writes only the header for no candidates', () => {
    expect(candidatesToCsv([])).toBe('\uFEFFid,name,version,status,rating,tags,notes,ingredients,source,provenance,version_saved_at,updated_at\r\n');
  });
});
