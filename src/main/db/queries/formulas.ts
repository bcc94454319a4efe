import type { Database } from 'better-sqlite3';
import { ingredientKey } from '../../../shared/inci/key';
import type { LegalLimit, Phase, Preparation, UseLevel } from '../../../shared/formula/estimate';
import type { LegalLimitsFile, UseLevelsFile } from '../../inci/knowledge';
import { findIngredientIdByKey } from './ingredients';

/** Use levels, legal limits and saved draft formulas (schema version 9). */

export type Area = 'face' | 'body' | 'hands' | 'lips' | 'eye';

export interface StoredLimit extends LegalLimit {
  id: number;
  ingredientId: number;
  area: Area | null;
}

/**
 * Loads the shipped use levels and legal limits into the database when either file changed
 * (their hashes are kept in `formula_settings`): every knowledge-base ingredient gets its own level
 * or its first function's class level; rows a chemist wrote (origin 'user') are kept as they are.
 * A name the knowledge base does not know is an error naming it, so a typo cannot drop a limit.
 */
export function syncFormulaKnowledge(db: Database, levels: UseLevelsFile, limits: LegalLimitsFile): { applied: boolean } {
  const stamp = `${levels.hash}:${limits.hash}`;
  const current = db.prepare(`SELECT value FROM formula_settings WHERE key = 'kb_hash'`).pluck().get() as string | undefined;
  if (current === stamp) return { applied: false };
  const idFor = (inci: string, file: string): number => {
    const id = findIngredientIdByKey(db, ingredientKey(inci));
    if (id === null) throw new Error(`${file} names "${inci}", which the knowledge base does not know`);
    return id;
  };
  const now = new Date().toISOString();
  db.transaction(() => {
    db.prepare(`DELETE FROM use_levels WHERE origin = 'kb'`).run();
    const userLevels = new Set(db.prepare(`SELECT ingredient_id FROM use_levels WHERE origin = 'user'`).pluck().all() as number[]);
    const insert = db.prepare(
      `INSERT INTO use_levels (ingredient_id, min_pct, usual_pct, max_pct, phase, prep, basis, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'kb', ?)`,
    );
    const own = new Set<number>();
    for (const entry of levels.ingredients) {
      const id = idFor(entry.inci, 'use-levels.json');
      own.add(id);
      if (!userLevels.has(id)) insert.run(id, entry.min, entry.usual, entry.max, entry.phase, entry.prep, 'ingredient', now);
    }
    const firstFunctions = db
      .prepare(`SELECT f.ingredient_id AS id, f.function FROM ingredient_functions f JOIN ingredients i ON i.id = f.ingredient_id WHERE i.origin IN ('kb', 'user') ORDER BY f.ingredient_id, f.rank`)
      .all() as { id: number; function: keyof UseLevelsFile['classes'] }[];
    const classed = new Set<number>();
    for (const row of firstFunctions) {
      if (own.has(row.id) || userLevels.has(row.id) || classed.has(row.id)) continue;
      const level = levels.classes[row.function];
      if (!level) continue;
      classed.add(row.id);
      insert.run(row.id, level.min, level.usual, level.max, level.phase, level.prep, `class:${row.function}`, now);
    }
    db.prepare(`DELETE FROM legal_limits WHERE origin = 'kb'`).run();
    const insertLimit = db.prepare(`INSERT INTO legal_limits (ingredient_id, max_pct, applies, area, annex, condition, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'kb', ?)`);
    for (const limit of limits.limits) {
      const condition = limit.expressedAs ? `${limit.condition} (expressed as ${limit.expressedAs})` : limit.condition;
      insertLimit.run(idFor(limit.inci, 'legal-limits.json'), limit.max, limit.applies, limit.area, `${limits.jurisdiction} ${limit.annex}`, condition, now);
    }
    const setting = db.prepare(`INSERT INTO formula_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    setting.run('allergen_labelling', JSON.stringify({ 'leave-on': limits.allergenLabelling['leave-on'], 'rinse-off': limits.allergenLabelling['rinse-off'], annex: `${limits.jurisdiction} Annex ${limits.allergenLabelling.annex}`, basis: limits.allergenLabelling.basis }));
    setting.run('kb_hash', stamp);
  }).immediate();
  return { applied: true };
}

export interface AllergenLabelling {
  'leave-on': number;
  'rinse-off': number;
  annex: string;
  basis: string;
}

export function getAllergenLabelling(db: Database): AllergenLabelling {
  const value = db.prepare(`SELECT value FROM formula_settings WHERE key = 'allergen_labelling'`).pluck().get() as string | undefined;
  return value ? (JSON.parse(value) as AllergenLabelling) : { 'leave-on': 0.001, 'rinse-off': 0.01, annex: 'EU Annex III', basis: '' };
}

interface LevelRow {
  ingredient_id: number;
  min_pct: number;
  usual_pct: number;
  max_pct: number;
  phase: Phase;
  prep: Preparation | null;
  basis: string;
  origin: 'kb' | 'user';
}

/** The use level of each of the given ingredients that has one. */
export function getUseLevels(db: Database, ids: readonly number[]): Map<number, UseLevel> {
  const rows = db.prepare(`SELECT * FROM use_levels WHERE ingredient_id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as LevelRow[];
  return new Map(
    rows.map((r) => [
      r.ingredient_id,
      {
        min: r.min_pct,
        max: r.max_pct,
        usual: r.usual_pct,
        phase: r.phase,
        prep: r.prep,
        source: r.origin === 'user' ? 'user' : r.basis === 'ingredient' ? 'ingredient' : 'class',
        basis: r.basis.startsWith('class:') ? r.basis.slice('class:'.length) : null,
      } satisfies UseLevel,
    ]),
  );
}

/** A chemist's own use level for an ingredient (replacing the shipped one until removed). */
export function setUserUseLevel(db: Database, ingredientId: number, level: { min: number; usual: number; max: number; phase: Phase; prep: Preparation | null }): void {
  db.prepare(
    `INSERT INTO use_levels (ingredient_id, min_pct, usual_pct, max_pct, phase, prep, basis, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'ingredient', 'user', ?)
     ON CONFLICT(ingredient_id) DO UPDATE SET min_pct = excluded.min_pct, usual_pct = excluded.usual_pct, max_pct = excluded.max_pct, phase = excluded.phase, prep = excluded.prep, basis = 'ingredient', origin = 'user', updated_at = excluded.updated_at`,
  ).run(ingredientId, level.min, level.usual, level.max, level.phase, level.prep, new Date().toISOString());
}

interface LimitRow {
  id: number;
  ingredient_id: number;
  max_pct: number;
  applies: 'all' | 'leave-on' | 'rinse-off';
  area: Area | null;
  annex: string;
  condition: string;
  origin: 'kb' | 'user';
}

/** Every stored limit of the given ingredients (the law's and in-house ones). */
export function getLegalLimits(db: Database, ids: readonly number[]): StoredLimit[] {
  const rows = db.prepare(`SELECT * FROM legal_limits WHERE ingredient_id IN (SELECT value FROM json_each(?)) ORDER BY ingredient_id, id`).all(JSON.stringify(ids)) as LimitRow[];
  return rows.map((r) => ({ id: r.id, ingredientId: r.ingredient_id, max: r.max_pct, applies: r.applies, area: r.area, annex: r.annex, condition: r.condition, origin: r.origin }));
}

/** Adds an in-house limit (applied with the law's: the lower wins). */
export function addInHouseLimit(db: Database, ingredientId: number, limit: { max: number; applies: 'all' | 'leave-on' | 'rinse-off'; condition: string }): number {
  return Number(
    db
      .prepare(`INSERT INTO legal_limits (ingredient_id, max_pct, applies, area, annex, condition, origin, updated_at) VALUES (?, ?, ?, NULL, 'in-house', ?, 'user', ?)`)
      .run(ingredientId, limit.max, limit.applies, limit.condition, new Date().toISOString()).lastInsertRowid,
  );
}

export function deleteInHouseLimit(db: Database, id: number): boolean {
  return db.prepare(`DELETE FROM legal_limits WHERE id = ? AND origin = 'user'`).run(id).changes > 0;
}

/** The draft formula saved with a candidate version, if any. */
export function getCandidateFormula(db: Database, versionId: number): unknown {
  const body = db.prepare(`SELECT body FROM candidate_formulas WHERE version_id = ?`).pluck().get(versionId) as string | undefined;
  return body === undefined ? null : JSON.parse(body);
}

export function insertCandidateFormula(db: Database, versionId: number, body: object): void {
  db.prepare(`INSERT INTO candidate_formulas (version_id, created_at, body) VALUES (?, ?, ?)`).run(versionId, new Date().toISOString(), JSON.stringify(body));
}
