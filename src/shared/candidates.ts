import type { CandidateProvenance, CandidateSummary, LabResult } from './api';
import { tableToCsv, type ColumnType, type ExportTable } from './csv-write';
import { compareLists } from './ml/overlap';

/**
 * Pure rules for saved candidates: how two ingredient lists differ, and the spreadsheet
 * export. Positions are 1-based, 1 being the most concentrated ingredient.
 */

/**
 * Provenance of a list typed or edited by hand. It lives here, not in the contract, so the
 * renderer can use it without bundling zod (whose eval probe the window's CSP reports).
 */
export const MANUAL_PROVENANCE: CandidateProvenance = { source: 'manual', modelId: null, modelSha256: null, details: {} };

/** An item present in both lists, with where it stands in each. */
export interface SharedItem<T> {
  item: T;
  positionA: number;
  positionB: number;
}

/** How list B differs from list A. */
export interface ListDiff<T> {
  /** Items in both lists, in A's order. */
  shared: SharedItem<T>[];
  /** Items only in A (in A's order) and only in B (in B's order), each with its position. */
  onlyInA: { item: T; position: number }[];
  onlyInB: { item: T; position: number }[];
  /**
   * Shared items whose order relative to the other shared items changed: the fewest items that
   * must move to turn A's order into B's (those outside a longest common subsequence), in A's
   * order. An ingredient added or removed elsewhere shifts positions but moves nothing.
   */
  moved: SharedItem<T>[];
  /** Set Jaccard and position-weighted Jaccard (see `compareLists`). */
  jaccard: number;
  weightedJaccard: number;
}

/** Compares two ordered lists of distinct items (a repeated item counts at its first place). */
export function diffOrderedLists<T>(a: readonly T[], b: readonly T[]): ListDiff<T> {
  const firstPositions = (list: readonly T[]) => {
    const positions = new Map<T, number>();
    list.forEach((x, i) => positions.has(x) || positions.set(x, i + 1));
    return positions;
  };
  const inA = firstPositions(a);
  const inB = firstPositions(b);
  const sharedA = [...inA.keys()].filter((x) => inB.has(x));
  const sharedB = [...inB.keys()].filter((x) => inA.has(x));
  const kept = longestCommonSubsequence(sharedA, sharedB);
  const overlap = compareLists(a, b);
  const withPositions = (x: T): SharedItem<T> => ({ item: x, positionA: inA.get(x)!, positionB: inB.get(x)! });
  return {
    shared: sharedA.map(withPositions),
    onlyInA: overlap.onlyInFirst.map((x) => ({ item: x, position: inA.get(x)! })),
    onlyInB: overlap.onlyInSecond.map((x) => ({ item: x, position: inB.get(x)! })),
    moved: sharedA.filter((x) => !kept.has(x)).map(withPositions),
    jaccard: overlap.jaccard,
    weightedJaccard: overlap.weightedJaccard,
  };
}

/** The items of one longest common subsequence of two sequences of distinct items. */
function longestCommonSubsequence<T>(a: readonly T[], b: readonly T[]): Set<T> {
  const n = a.length;
  const m = b.length;
  // lengths[i * (m + 1) + j] = LCS length of a[i..] and b[j..]
  const lengths = new Uint16Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        a[i] === b[j] ? lengths[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
    }
  }
  const kept = new Set<T>();
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      kept.add(a[i]!);
      i++;
      j++;
    } else if (lengths[(i + 1) * (m + 1) + j]! >= lengths[i * (m + 1) + j + 1]!) i++;
    else j++;
  }
  return kept;
}

/** The column holding score `name` in the export. */
export function scoreColumn(name: string): string {
  return `score_${name}`;
}

/**
 * The spreadsheet of saved candidates, one row per candidate at its latest version: id, name,
 * version, status, rating, tags, notes, ingredients (INCI names in order, joined by ", "), one
 * column per score name found in any row (sorted), source, provenance (JSON), when the version
 * was saved and when the candidate was last changed.
 */
export function candidatesTable(candidates: readonly CandidateSummary[]): ExportTable {
  const scoreNames = [...new Set(candidates.flatMap((c) => Object.keys(c.scores)))].sort();
  const text = (name: string) => ({ name, type: 'text' as const });
  const number = (name: string) => ({ name, type: 'number' as const });
  const columns = [
    number('id'), text('name'), number('version'), text('status'), number('rating'), text('tags'), text('notes'), text('ingredients'),
    ...scoreNames.map((s) => number(scoreColumn(s))),
    text('source'), text('provenance'), { name: 'version_saved_at', type: 'datetime' as const }, { name: 'updated_at', type: 'datetime' as const },
  ];
  const rows = candidates.map((c) => [
    c.id,
    c.name,
    c.version,
    c.status,
    c.rating,
    c.tags.join('; '),
    c.notes,
    c.ingredients.map((x) => x.inci).join(', '),
    ...scoreNames.map((s) => c.scores[s] ?? null),
    c.provenance.source,
    JSON.stringify(c.provenance),
    c.versionSavedAt,
    c.updatedAt,
  ]);
  return { sheet: 'Shortlist', columns, rows };
}

/** The candidates' spreadsheet as CSV: UTF-8 with BOM, formula-like text neutralised (see `toCsv`). */
export function candidatesToCsv(candidates: readonly CandidateSummary[]): string {
  return tableToCsv(candidatesTable(candidates));
}

/**
 * The spreadsheet of lab results, one row per result: id, what was measured (kind, candidate id
 * and version or product id, its name then), property, value, unit, date, notes, the measured
 * list, and when the row was recorded and last changed.
 */
export function labResultsTable(results: readonly LabResult[]): ExportTable {
  const types: [string, ColumnType][] = [
    ['id', 'number'], ['subject_kind', 'text'], ['candidate_id', 'number'], ['candidate_version', 'number'], ['product_id', 'number'], ['subject', 'text'],
    ['property', 'text'], ['value', 'number'], ['unit', 'text'], ['measured_on', 'date'], ['notes', 'text'], ['ingredients', 'text'], ['recorded_at', 'datetime'], ['updated_at', 'datetime'],
  ];
  const rows = results.map((r) => [
    r.id,
    r.subject.kind,
    r.subject.candidateId,
    r.subject.version,
    r.subject.productId,
    r.subject.name,
    r.property,
    r.value,
    r.unit,
    r.measuredOn,
    r.notes,
    r.ingredients.join(', '),
    r.createdAt,
    r.updatedAt,
  ]);
  return { sheet: 'Lab results', columns: types.map(([name, type]) => ({ name, type })), rows };
}

/** The lab results' spreadsheet as CSV, with the candidates' encoding rules. */
export function labResultsToCsv(results: readonly LabResult[]): string {
  return tableToCsv(labResultsTable(results));
}
