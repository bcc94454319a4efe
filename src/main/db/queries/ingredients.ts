import type { Database } from 'better-sqlite3';
import type {
  ConcentrationClass,
  IngredientFunction,
  IngredientInput,
  IngredientOrigin,
  IngredientRecord,
  SkinBenefit,
} from '../../../shared/domain';
import { ingredientKey, tidyName } from '../../../shared/inci/key';
import { IngredientLexicon, type LexiconEntry } from '../../../shared/inci/lexicon';

/** Typed queries over the ingredient tables. */

interface IngredientRow {
  id: number;
  inci: string;
  key: string;
  concentration: ConcentrationClass;
  note: string;
  origin: IngredientOrigin;
}

/** Full records for the given ids (all ingredients when `ids` is omitted), in id order. */
export function getIngredientRecords(db: Database, ids?: readonly number[]): IngredientRecord[] {
  const rows = ids
    ? ids.length === 0
      ? []
      : (db
          .prepare(`SELECT id, inci, key, concentration, note, origin FROM ingredients WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`)
          .all(JSON.stringify(ids)) as IngredientRow[])
    : (db.prepare(`SELECT id, inci, key, concentration, note, origin FROM ingredients ORDER BY id`).all() as IngredientRow[]);
  if (rows.length === 0) return [];
  const records = new Map<number, IngredientRecord>(
    rows.map((r) => [
      r.id,
      { id: r.id, inci: r.inci, synonyms: [], misspellings: [], functions: [], concentration: r.concentration, benefits: [], note: r.note, origin: r.origin },
    ]),
  );
  const idJson = JSON.stringify(rows.map((r) => r.id));
  const names = db
    .prepare(`SELECT ingredient_id AS id, name, kind FROM ingredient_names WHERE ingredient_id IN (SELECT value FROM json_each(?)) ORDER BY rowid`)
    .all(idJson) as { id: number; name: string; kind: 'synonym' | 'misspelling' }[];
  for (const n of names) {
    const rec = records.get(n.id)!;
    (n.kind === 'synonym' ? rec.synonyms : rec.misspellings).push(n.name);
  }
  const functions = db
    .prepare(`SELECT ingredient_id AS id, function FROM ingredient_functions WHERE ingredient_id IN (SELECT value FROM json_each(?)) ORDER BY ingredient_id, rank`)
    .all(idJson) as { id: number; function: IngredientFunction }[];
  for (const f of functions) records.get(f.id)!.functions.push(f.function);
  const benefits = db
    .prepare(`SELECT ingredient_id AS id, benefit FROM ingredient_benefits WHERE ingredient_id IN (SELECT value FROM json_each(?)) ORDER BY ingredient_id, benefit`)
    .all(idJson) as { id: number; benefit: SkinBenefit }[];
  for (const b of benefits) records.get(b.id)!.benefits.push(b.benefit);
  return [...records.values()];
}

/** The id owning `key` as canonical key or as a synonym/misspelling key. */
export function findIngredientIdByKey(db: Database, key: string): number | null {
  const row = db
    .prepare(`SELECT id FROM ingredients WHERE key = ? UNION ALL SELECT ingredient_id FROM ingredient_names WHERE key = ? LIMIT 1`)
    .get(key, key) as { id: number } | undefined;
  return row?.id ?? null;
}

/** Entries for the name index used by the parser: knowledge-base and user entries. */
export function getLexiconEntries(db: Database): LexiconEntry[] {
  return getIngredientRecords(db)
    .filter((r) => r.origin !== 'catalog')
    .map((r) => ({ id: r.id, inci: r.inci, synonyms: r.synonyms, misspellings: r.misspellings }));
}

/** Names of ingredients seen only in catalogs (not in the knowledge base): they make degraded names ambiguous. */
export function getCatalogIngredientNames(db: Database): string[] {
  return (db.prepare(`SELECT inci FROM ingredients WHERE origin = 'catalog' ORDER BY id`).all() as { inci: string }[]).map((r) => r.inci);
}

/** The name index the parser reads lists with: the knowledge base's names, and the catalog-only ones that make degraded names ambiguous. */
export function readIngredientLexicon(db: Database): IngredientLexicon {
  return new IngredientLexicon(getLexiconEntries(db), getCatalogIngredientNames(db));
}

/**
 * Inserts or updates one knowledge entry. Names already owned by another ingredient are
 * skipped rather than stolen; a catalog-only ingredient under one of this entry's names is
 * folded into it (its product rows re-pointed), since it was just an unknown spelling.
 */
export function upsertIngredient(db: Database, input: IngredientInput, origin: 'kb' | 'user', id?: number): number {
  const now = new Date().toISOString();
  const inci = tidyName(input.inci);
  const key = ingredientKey(inci);
  if (!key) throw new Error(`ingredient name "${input.inci}" has no letters or digits`);
  let targetId = id ?? findIngredientIdByKey(db, key);
  if (targetId !== null) {
    const owner = db.prepare(`SELECT id FROM ingredients WHERE key = ? AND id <> ?`).get(key, targetId) as { id: number } | undefined;
    if (owner) foldInto(db, owner.id, targetId);
    db.prepare(`UPDATE ingredients SET inci = ?, key = ?, concentration = ?, note = ?, origin = ?, updated_at = ? WHERE id = ?`).run(
      inci, key, input.concentration ?? null, input.note ?? '', origin, now, targetId,
    );
    db.prepare(`DELETE FROM ingredient_names WHERE ingredient_id = ?`).run(targetId);
    db.prepare(`DELETE FROM ingredient_functions WHERE ingredient_id = ?`).run(targetId);
    db.prepare(`DELETE FROM ingredient_benefits WHERE ingredient_id = ?`).run(targetId);
  } else {
    targetId = Number(
      db.prepare(`INSERT INTO ingredients (inci, key, concentration, note, origin, updated_at) VALUES (?, ?, ?, ?, ?, ?)`).run(
        inci, key, input.concentration ?? null, input.note ?? '', origin, now,
      ).lastInsertRowid,
    );
  }
  const insertName = db.prepare(`INSERT OR IGNORE INTO ingredient_names (key, ingredient_id, name, kind) VALUES (?, ?, ?, ?)`);
  const names: [string, 'synonym' | 'misspelling'][] = [
    ...(input.synonyms ?? []).map((s): [string, 'synonym'] => [s, 'synonym']),
    ...(input.misspellings ?? []).map((s): [string, 'misspelling'] => [s, 'misspelling']),
  ];
  for (const [name, kind] of names) {
    const nameKey = ingredientKey(name);
    if (!nameKey || nameKey === key) continue;
    const owner = db.prepare(`SELECT id, origin FROM ingredients WHERE key = ?`).get(nameKey) as { id: number; origin: IngredientOrigin } | undefined;
    if (owner && owner.id !== targetId) {
      if (owner.origin !== 'catalog') continue;
      foldInto(db, owner.id, targetId);
    }
    insertName.run(nameKey, targetId, tidyName(name), kind);
  }
  const insertFunction = db.prepare(`INSERT OR IGNORE INTO ingredient_functions (ingredient_id, function, rank) VALUES (?, ?, ?)`);
  (input.functions ?? []).forEach((f, rank) => insertFunction.run(targetId, f, rank));
  const insertBenefit = db.prepare(`INSERT OR IGNORE INTO ingredient_benefits (ingredient_id, benefit) VALUES (?, ?)`);
  for (const b of input.benefits ?? []) insertBenefit.run(targetId, b);
  return targetId;
}

/**
 * Moves every product and saved-candidate reference from a catalog-only ingredient to
 * `targetId`, then deletes it. A candidate list naming both spellings keeps the earlier one
 * (a list holds each ingredient once).
 */
function foldInto(db: Database, fromId: number, targetId: number): void {
  db.prepare(`UPDATE product_ingredients SET ingredient_id = ? WHERE ingredient_id = ?`).run(targetId, fromId);
  db.prepare(
    `DELETE FROM candidate_ingredients AS ci
      WHERE ci.ingredient_id IN (@fromId, @targetId)
        AND EXISTS (SELECT 1 FROM candidate_ingredients o WHERE o.version_id = ci.version_id AND o.ingredient_id IN (@fromId, @targetId) AND o.position < ci.position)`,
  ).run({ fromId, targetId });
  db.prepare(`UPDATE candidate_ingredients SET ingredient_id = ? WHERE ingredient_id = ?`).run(targetId, fromId);
  db.prepare(`DELETE FROM ingredients WHERE id = ? AND origin = 'catalog'`).run(fromId);
}

/**
 * Loads the shipped knowledge base into the database when its content changed. Entries a user
 * edited (origin `user`) are left as the user wrote them.
 */
export function syncKnowledgeBase(db: Database, kb: { hash: string; entries: readonly IngredientInput[] }): { applied: boolean; entries: number } {
  const current = db.prepare(`SELECT value FROM meta WHERE key = 'kb_hash'`).get() as { value: string } | undefined;
  if (current?.value === kb.hash) return { applied: false, entries: kb.entries.length };
  db.transaction(() => {
    for (const entry of kb.entries) {
      const existing = findIngredientIdByKey(db, ingredientKey(entry.inci));
      if (existing !== null) {
        const origin = (db.prepare(`SELECT origin FROM ingredients WHERE id = ?`).get(existing) as { origin: IngredientOrigin }).origin;
        if (origin === 'user') continue;
      }
      upsertIngredient(db, entry, 'kb', existing ?? undefined);
    }
    db.prepare(`INSERT INTO meta (key, value) VALUES ('kb_hash', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(kb.hash);
  }).immediate();
  return { applied: true, entries: kb.entries.length };
}

/** Returns the id for a name unknown to the knowledge base, creating a catalog-only record once. */
export function ensureCatalogIngredient(db: Database, name: string, key: string): number {
  const existing = findIngredientIdByKey(db, key);
  if (existing !== null) return existing;
  return Number(
    db.prepare(`INSERT INTO ingredients (inci, key, concentration, note, origin, updated_at) VALUES (?, ?, NULL, '', 'catalog', ?)`).run(
      name, key, new Date().toISOString(),
    ).lastInsertRowid,
  );
}

/** Ingredients whose name or synonym contains `query` (knowledge-base entries first). Keys are [a-z0-9] only, so LIKE needs no escaping. */
export function searchIngredients(db: Database, query: string, limit: number): IngredientRecord[] {
  const key = ingredientKey(query);
  if (!key) return [];
  const rows = db
    .prepare(
      `SELECT i.id FROM ingredients i
        WHERE i.key LIKE @contains OR EXISTS (SELECT 1 FROM ingredient_names n WHERE n.ingredient_id = i.id AND n.key LIKE @contains)
        ORDER BY (i.key = @key) DESC, (i.key LIKE @prefix) DESC, (i.origin = 'catalog'), length(i.inci), i.inci
        LIMIT @limit`,
    )
    .all({ contains: `%${key}%`, key, prefix: `${key}%`, limit }) as { id: number }[];
  const records = new Map(getIngredientRecords(db, rows.map((r) => r.id)).map((r) => [r.id, r]));
  return rows.map((r) => records.get(r.id)!);
}
