import type { Database } from 'better-sqlite3';

/**
 * Schema version 9: draft formulas (issue 16).
 *
 * `use_levels`: each ingredient's typical use level (min, usual, max %), its phase and whether it
 * is pre-dispersed or neutralised. Rows of origin 'kb' come from resources/knowledge/use-levels.json
 * and are replaced when that file changes; a row of origin 'user' is the chemist's own and is never
 * overwritten. `legal_limits`: maximum concentrations by annex entry and product type; a 'user'
 * row is an in-house limit, applied together with the law's (the lower wins). `formula_settings`:
 * the fragrance-allergen labelling thresholds. `candidate_formulas`: the draft formula saved with a
 * candidate version, history like the version itself.
 */
export function updateToSchemaVersion9(db: Database): void {
  db.exec(`
    CREATE TABLE use_levels (
      ingredient_id INTEGER PRIMARY KEY REFERENCES ingredients(id) ON DELETE CASCADE,
      min_pct REAL NOT NULL CHECK (min_pct > 0),
      usual_pct REAL NOT NULL CHECK (usual_pct >= min_pct),
      max_pct REAL NOT NULL CHECK (max_pct >= usual_pct AND max_pct <= 100),
      phase TEXT NOT NULL CHECK (phase IN ('water', 'oil', 'cool-down', 'powder')),
      prep TEXT CHECK (prep IN ('pre-dispersed', 'neutralised')),
      basis TEXT NOT NULL CHECK (basis = 'ingredient' OR basis LIKE 'class:%'),
      origin TEXT NOT NULL CHECK (origin IN ('kb', 'user')),
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE legal_limits (
      id INTEGER PRIMARY KEY,
      ingredient_id INTEGER NOT NULL REFERENCES ingredients(id) ON DELETE CASCADE,
      max_pct REAL NOT NULL CHECK (max_pct > 0 AND max_pct <= 100),
      applies TEXT NOT NULL CHECK (applies IN ('all', 'leave-on', 'rinse-off')),
      area TEXT CHECK (area IN ('face', 'body', 'hands', 'lips', 'eye')),
      annex TEXT NOT NULL CHECK (length(annex) BETWEEN 1 AND 40),
      condition TEXT NOT NULL DEFAULT '' CHECK (length(condition) <= 1000),
      origin TEXT NOT NULL CHECK (origin IN ('kb', 'user')),
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX legal_limits_by_ingredient ON legal_limits(ingredient_id);

    CREATE TABLE formula_settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE candidate_formulas (
      version_id INTEGER PRIMARY KEY REFERENCES candidate_versions(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      body TEXT NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object')
    ) STRICT;

    CREATE TRIGGER candidate_formulas_are_history BEFORE UPDATE ON candidate_formulas
    BEGIN
      SELECT RAISE(ABORT, 'a saved draft formula belongs to its candidate version and cannot be changed; save a new version instead');
    END;
  `);
}
