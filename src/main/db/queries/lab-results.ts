import type { Database } from 'better-sqlite3';
import type { LabProperty, LabResult } from '../../../shared/api';

/** Typed queries over lab results (schema version 6). Ingredient names are resolved by the service. */

export type StoredLabResult = Omit<LabResult, 'ingredients'>;

export type NewLabResult = Omit<StoredLabResult, 'id' | 'createdAt' | 'updatedAt'>;

export interface LabResultFilter {
  candidateId?: number;
  productId?: number;
  property?: string;
  ids?: readonly number[];
  limit: number;
  offset: number;
}

/** A row as SELECT reads it: the subject's columns flat, the list as JSON; the measured columns as the API has them. */
type Row = Pick<LabResult, 'id' | 'property' | 'value' | 'unit' | 'measuredOn' | 'notes' | 'createdAt' | 'updatedAt'> & {
  subjectKind: 'candidate' | 'product';
  candidateId: number | null;
  candidateVersion: number | null;
  productId: number | null;
  subject: string;
  ingredientIds: string;
};

const SELECT = `SELECT id, subject_kind AS subjectKind, candidate_id AS candidateId, candidate_version AS candidateVersion, product_id AS productId,
       subject, ingredient_ids AS ingredientIds, property, value, unit, measured_on AS measuredOn, notes, created_at AS createdAt, updated_at AS updatedAt
  FROM lab_results`;

function fromRow(r: Row): StoredLabResult {
  const { id, subjectKind, candidateId, candidateVersion, productId, subject, ingredientIds, ...measured } = r;
  return {
    id,
    subject: { kind: subjectKind, candidateId, version: candidateVersion, productId, name: subject },
    ingredientIds: JSON.parse(ingredientIds) as number[],
    ...measured,
  };
}

export function insertLabResult(db: Database, result: NewLabResult, now: string): number {
  const info = db
    .prepare(
      `INSERT INTO lab_results (subject_kind, candidate_id, candidate_version, product_id, subject, ingredient_ids, property, value, unit, measured_on, notes, created_at, updated_at)
       VALUES (@kind, @candidateId, @version, @productId, @name, @ingredientIds, @property, @value, @unit, @measuredOn, @notes, @now, @now)`,
    )
    .run({ ...result.subject, ingredientIds: JSON.stringify(result.ingredientIds), property: result.property, value: result.value, unit: result.unit, measuredOn: result.measuredOn, notes: result.notes, now });
  return Number(info.lastInsertRowid);
}

/** Changes the given fields; false when there is no such result. */
export function updateLabResult(db: Database, id: number, patch: Partial<Pick<NewLabResult, 'property' | 'value' | 'unit' | 'measuredOn' | 'notes'>>, now: string): boolean {
  const columns: Record<string, string> = { property: 'property', value: 'value', unit: 'unit', measuredOn: 'measured_on', notes: 'notes' };
  const set = Object.entries(patch)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => `${columns[k]} = @${k}`);
  const info = db.prepare(`UPDATE lab_results SET ${[...set, 'updated_at = max(created_at, @now)'].join(', ')} WHERE id = @id`).run({ ...patch, id, now });
  return info.changes === 1;
}

/** How `property` is already spelled (compared without case) by another result than `exceptId`, or null. */
export function recordedSpelling(db: Database, property: string, exceptId: number | null): string | null {
  const row = db.prepare(`SELECT property FROM lab_results WHERE property = ? AND id IS NOT ? ORDER BY id LIMIT 1`).get(property, exceptId) as { property: string } | undefined;
  return row?.property ?? null;
}

export function deleteLabResult(db: Database, id: number): boolean {
  return db.prepare(`DELETE FROM lab_results WHERE id = ?`).run(id).changes === 1;
}

export function getLabResult(db: Database, id: number): StoredLabResult | null {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id) as Row | undefined;
  return row ? fromRow(row) : null;
}

/** Results matching every given filter, newest measurement first (then newest entry). */
export function listLabResults(db: Database, filter: LabResultFilter): { items: StoredLabResult[]; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.candidateId !== undefined) {
    where.push('candidate_id = @candidateId');
    params.candidateId = filter.candidateId;
  }
  if (filter.productId !== undefined) {
    where.push('product_id = @productId');
    params.productId = filter.productId;
  }
  if (filter.property !== undefined) {
    where.push('property = @property');
    params.property = filter.property;
  }
  if (filter.ids !== undefined) {
    where.push('id IN (SELECT value FROM json_each(@ids))');
    params.ids = JSON.stringify(filter.ids);
  }
  const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM lab_results${clause}`).get(params) as { n: number }).n;
  const rows = db.prepare(`${SELECT}${clause} ORDER BY measured_on DESC, id DESC LIMIT @limit OFFSET @offset`).all({ ...params, limit: filter.limit, offset: filter.offset }) as Row[];
  return { items: rows.map(fromRow), total };
}

/** Every measured property (grouped case-insensitively, named as first recorded) with counts, units and range. */
export function labProperties(db: Database): LabProperty[] {
  const rows = db
    .prepare(
      `SELECT (SELECT property FROM lab_results f WHERE f.property = r.property ORDER BY id LIMIT 1) AS property,
              json_group_array(DISTINCT unit) AS units, count(*) AS results, count(DISTINCT ingredient_ids) AS formulations, min(value) AS min, max(value) AS max
         FROM lab_results r GROUP BY property ORDER BY results DESC, property`,
    )
    .all() as { property: string; units: string; results: number; formulations: number; min: number; max: number }[];
  return rows.map((r) => ({ ...r, units: (JSON.parse(r.units) as string[]).sort() }));
}

/**
 * Lookups that name the formulation of a row of past results (the lab import): products by
 * name (alone or after the brand) and candidates by name, compared without case; at most
 * three ids, so an ambiguous name can be refused.
 */
export function findProductsNamed(db: Database, name: string): number[] {
  return (
    db.prepare(`SELECT id FROM products WHERE lower(name) = lower(@name) OR lower(trim(brand || ' ' || name)) = lower(@name) ORDER BY id LIMIT 3`).all({ name }) as { id: number }[]
  ).map((r) => r.id);
}

/** Candidates named `name` (compared without case), at most three. */
export function findCandidatesNamed(db: Database, name: string): number[] {
  return (db.prepare(`SELECT id FROM candidates WHERE lower(name) = lower(?) ORDER BY id LIMIT 3`).all(name) as { id: number }[]).map((r) => r.id);
}

/** The first candidate whose latest version is exactly this list (same ingredients, same order), or null. */
export function findCandidateWithList(db: Database, ingredientIds: readonly number[]): number | null {
  const row = db
    .prepare(
      `SELECT v.candidate_id AS id FROM candidate_versions v
        WHERE v.version = (SELECT max(version) FROM candidate_versions WHERE candidate_id = v.candidate_id)
          AND (SELECT json_group_array(ingredient_id) FROM (SELECT ingredient_id FROM candidate_ingredients WHERE version_id = v.id ORDER BY position)) = ?
        ORDER BY v.candidate_id LIMIT 1`,
    )
    .get(JSON.stringify(ingredientIds)) as { id: number } | undefined;
  return row?.id ?? null;
}
