import type { Database } from 'better-sqlite3';
import type { CandidateDetail, CandidateIngredient, CandidatePage, CandidateProvenance, CandidateSummary, CandidateVersion, DeletedCandidate } from '../../../shared/api';
import type { CandidateStatus } from '../../../shared/domain';
import { escapeLike } from './products';

/** Typed queries over saved candidates, their versions, ingredient lists and tags. */

/** The editable fields of a candidate (everything but its list). */
export interface CandidateMetadata {
  name: string;
  notes: string;
  tags: string[];
  status: CandidateStatus;
  rating: number | null;
}

/** One version to store: the list as ingredient ids in order, and what to keep with it. */
export interface NewCandidateVersion {
  ingredientIds: readonly number[];
  changeNote: string;
  scores: Readonly<Record<string, number>>;
  reasons: readonly string[];
  provenance: CandidateProvenance;
  /** A draft formula saved with the version (schema version 9), checked by the caller. */
  formula?: object;
}

/** Filters for `listCandidates`; all given ones must hold. */
export interface CandidateFilter {
  search?: string;
  tag?: string;
  status?: CandidateStatus;
  minRating?: number;
  limit: number;
  offset: number;
}

interface SummaryRow {
  id: number;
  name: string;
  notes: string;
  status: CandidateStatus;
  rating: number | null;
  createdAt: string;
  updatedAt: string;
  versionId: number;
  version: number;
  versionSavedAt: string;
  scores: string;
  provenance: string;
}

interface VersionRow {
  id: number;
  version: number;
  createdAt: string;
  changeNote: string;
  scores: string;
  reasons: string;
  provenance: string;
}

/** Candidates joined to their latest version. */
const SUMMARY_SELECT = `SELECT c.id, c.name, c.notes, c.status, c.rating, c.created_at AS createdAt, c.updated_at AS updatedAt,
       v.id AS versionId, v.version, v.created_at AS versionSavedAt, v.scores, v.provenance
  FROM candidates c
  JOIN candidate_versions v ON v.candidate_id = c.id AND v.version = (SELECT max(version) FROM candidate_versions WHERE candidate_id = c.id)`;

/**
 * Stores one version of a list in one transaction: a new candidate (with `metadata.name`
 * required) when `candidateId` is null, otherwise the next version of that candidate with any
 * given metadata changed too. Ingredient ids must exist (foreign keys): on any failure nothing
 * is written. Returns the candidate id, or null when `candidateId` does not exist.
 */
export function saveCandidateVersion(db: Database, candidateId: number | null, metadata: Partial<CandidateMetadata>, version: NewCandidateVersion, now: string): number | null {
  return db.transaction(() => {
    let id: number;
    if (candidateId === null) {
      if (metadata.name === undefined) throw new Error('a new candidate needs a name');
      id = Number(
        db
          .prepare(`INSERT INTO candidates (name, notes, status, rating, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
          .run(metadata.name, metadata.notes ?? '', metadata.status ?? 'idea', metadata.rating ?? null, now, now).lastInsertRowid,
      );
      if (metadata.tags) replaceTags(db, id, metadata.tags);
    } else {
      if (!updateCandidateMetadata(db, candidateId, metadata, now)) return null;
      id = candidateId;
    }
    const next = (db.prepare(`SELECT coalesce(max(version), 0) + 1 AS next FROM candidate_versions WHERE candidate_id = ?`).get(id) as { next: number }).next;
    const versionId = Number(
      db
        .prepare(`INSERT INTO candidate_versions (candidate_id, version, created_at, change_note, scores, reasons, source, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(id, next, now, version.changeNote, JSON.stringify(version.scores), JSON.stringify(version.reasons), version.provenance.source, JSON.stringify(version.provenance)).lastInsertRowid,
    );
    const insert = db.prepare(`INSERT INTO candidate_ingredients (version_id, position, ingredient_id) VALUES (?, ?, ?)`);
    version.ingredientIds.forEach((ingredientId, i) => insert.run(versionId, i + 1, ingredientId));
    if (version.formula) db.prepare(`INSERT INTO candidate_formulas (version_id, created_at, body) VALUES (?, ?, ?)`).run(versionId, now, JSON.stringify(version.formula));
    return id;
  }).immediate();
}

/**
 * Changes the given metadata fields (tags are replaced as a set) and stamps `updated_at`;
 * the list and its versions are untouched. Returns false when there is no such candidate.
 */
export function updateCandidateMetadata(db: Database, id: number, patch: Partial<CandidateMetadata>, now: string): boolean {
  return db.transaction(() => {
    const changed = db
      .prepare(
        `UPDATE candidates SET name = coalesce(@name, name), notes = coalesce(@notes, notes), status = coalesce(@status, status),
                rating = CASE WHEN @setRating THEN @rating ELSE rating END, updated_at = max(@now, created_at)
          WHERE id = @id`,
      )
      .run({ id, now, name: patch.name ?? null, notes: patch.notes ?? null, status: patch.status ?? null, setRating: patch.rating !== undefined ? 1 : 0, rating: patch.rating ?? null }).changes;
    if (changed === 0) return false;
    if (patch.tags) replaceTags(db, id, patch.tags);
    return true;
  }).immediate();
}

function replaceTags(db: Database, id: number, tags: readonly string[]): void {
  db.prepare(`DELETE FROM candidate_tags WHERE candidate_id = ?`).run(id);
  // The column compares without case, so "Vitamin C" and "vitamin c" are one tag: the first spelling wins.
  const insert = db.prepare(`INSERT OR IGNORE INTO candidate_tags (candidate_id, tag) VALUES (?, ?)`);
  for (const tag of tags) insert.run(id, tag);
}

/** Deletes a candidate with its versions, lists and tags; null when there is no such candidate. */
export function deleteCandidate(db: Database, id: number): DeletedCandidate | null {
  return db.transaction(() => {
    const row = db
      .prepare(`SELECT c.id, c.name, (SELECT count(*) FROM candidate_versions v WHERE v.candidate_id = c.id) AS versions FROM candidates c WHERE c.id = ?`)
      .get(id) as DeletedCandidate | undefined;
    if (!row) return null;
    db.prepare(`DELETE FROM candidates WHERE id = ?`).run(id);
    return row;
  }).immediate();
}

/** A page of candidates (latest versions) matching every given filter, most recently changed first. */
export function listCandidates(db: Database, filter: CandidateFilter): CandidatePage {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.search?.trim()) {
    where.push(`(c.name LIKE @search ESCAPE '\\' OR c.notes LIKE @search ESCAPE '\\')`);
    params.search = `%${escapeLike(filter.search.trim())}%`;
  }
  if (filter.tag) {
    where.push(`EXISTS (SELECT 1 FROM candidate_tags t WHERE t.candidate_id = c.id AND t.tag = @tag)`);
    params.tag = filter.tag;
  }
  if (filter.status) {
    where.push(`c.status = @status`);
    params.status = filter.status;
  }
  if (filter.minRating !== undefined) {
    where.push(`c.rating >= @minRating`);
    params.minRating = filter.minRating;
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM candidates c ${clause}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`${SUMMARY_SELECT} ${clause} ORDER BY c.updated_at DESC, c.id DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.limit, offset: filter.offset }) as SummaryRow[];
  return { total, items: summaries(db, rows) };
}

/** Summaries of the given candidates in the order given (missing ids are left out). */
export function getCandidateSummaries(db: Database, ids: readonly number[]): CandidateSummary[] {
  if (ids.length === 0) return [];
  const rows = db.prepare(`${SUMMARY_SELECT} WHERE c.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as SummaryRow[];
  const byId = new Map(summaries(db, rows).map((s) => [s.id, s]));
  return ids.map((id) => byId.get(id)).filter((s): s is CandidateSummary => s !== undefined);
}

/** Every candidate id, oldest first. */
export function getAllCandidateIds(db: Database): number[] {
  return db.prepare(`SELECT id FROM candidates ORDER BY id`).pluck().all() as number[];
}

/** One candidate with every version (oldest first), each list resolved to INCI names. */
export function getCandidateDetail(db: Database, id: number): CandidateDetail | null {
  const summary = getCandidateSummaries(db, [id])[0];
  if (!summary) return null;
  const rows = db
    .prepare(
      `SELECT id, version, created_at AS createdAt, change_note AS changeNote, scores, reasons, provenance
         FROM candidate_versions WHERE candidate_id = ? ORDER BY version`,
    )
    .all(id) as VersionRow[];
  const lists = ingredientLists(db, rows.map((r) => r.id));
  const versions: CandidateVersion[] = rows.map((r) => ({
    version: r.version,
    createdAt: r.createdAt,
    changeNote: r.changeNote,
    ingredients: lists.get(r.id) ?? [],
    scores: JSON.parse(r.scores) as Record<string, number>,
    reasons: JSON.parse(r.reasons) as string[],
    provenance: JSON.parse(r.provenance) as CandidateProvenance,
  }));
  return { ...summary, versions };
}

/** Ids among `ids` that name no ingredient, in the order given. */
export function findMissingIngredientIds(db: Database, ids: readonly number[]): number[] {
  if (ids.length === 0) return [];
  const known = new Set(db.prepare(`SELECT id FROM ingredients WHERE id IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify(ids)) as number[]);
  return ids.filter((id) => !known.has(id));
}

function summaries(db: Database, rows: readonly SummaryRow[]): CandidateSummary[] {
  const lists = ingredientLists(db, rows.map((r) => r.versionId));
  const tags = new Map<number, string[]>();
  const tagRows = db
    .prepare(`SELECT candidate_id AS id, tag FROM candidate_tags WHERE candidate_id IN (SELECT value FROM json_each(?)) ORDER BY candidate_id, tag`)
    .all(JSON.stringify(rows.map((r) => r.id))) as { id: number; tag: string }[];
  for (const t of tagRows) {
    const list = tags.get(t.id);
    if (list) list.push(t.tag);
    else tags.set(t.id, [t.tag]);
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    notes: r.notes,
    tags: tags.get(r.id) ?? [],
    status: r.status,
    rating: r.rating,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
    versionSavedAt: r.versionSavedAt,
    ingredients: lists.get(r.versionId) ?? [],
    scores: JSON.parse(r.scores) as Record<string, number>,
    provenance: JSON.parse(r.provenance) as CandidateProvenance,
  }));
}

/** The lists of the given versions, in position order, with INCI names. */
function ingredientLists(db: Database, versionIds: readonly number[]): Map<number, CandidateIngredient[]> {
  const lists = new Map<number, CandidateIngredient[]>();
  if (versionIds.length === 0) return lists;
  const rows = db
    .prepare(
      `SELECT ci.version_id AS versionId, ci.ingredient_id AS ingredientId, i.inci
         FROM candidate_ingredients ci JOIN ingredients i ON i.id = ci.ingredient_id
        WHERE ci.version_id IN (SELECT value FROM json_each(?)) ORDER BY ci.version_id, ci.position`,
    )
    .all(JSON.stringify(versionIds)) as { versionId: number; ingredientId: number; inci: string }[];
  for (const r of rows) {
    const list = lists.get(r.versionId);
    const item = { ingredientId: r.ingredientId, inci: r.inci };
    if (list) list.push(item);
    else lists.set(r.versionId, [item]);
  }
  return lists;
}
