import type { Database } from 'better-sqlite3';

/**
 * Schema version 5: saved candidates, the chemist's shortlist.
 *
 * A candidate holds the editable metadata (name, notes, status, rating, tags); its ingredient
 * lists live in numbered versions, each with the scores captured when it was saved, the check
 * notes (reasons), a change note and its provenance. Saving an edited list adds a version;
 * versions are history and a trigger refuses to change them afterwards.
 *
 * Provenance is a JSON snapshot (run id and rank, product id, model id and manifest sha256, free
 * details) rather than foreign keys: deleting a model deletes its generation runs, and a saved
 * candidate must still say where it came from. Ingredients are real foreign keys: a list can
 * only name ingredients the database knows. Positions order a list (1 = most concentrated).
 */
export function updateToSchemaVersion5(db: Database): void {
  db.exec(`
    CREATE TABLE candidates (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
      notes TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
      status TEXT NOT NULL DEFAULT 'idea' CHECK (status IN ('idea', 'in-lab', 'rejected', 'approved')),
      rating INTEGER CHECK (rating BETWEEN 0 AND 5),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL CHECK (updated_at >= created_at)
    ) STRICT;
    CREATE INDEX candidates_by_updated ON candidates(updated_at);

    CREATE TABLE candidate_versions (
      id INTEGER PRIMARY KEY,
      candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
      version INTEGER NOT NULL CHECK (version >= 1),
      created_at TEXT NOT NULL,
      change_note TEXT NOT NULL DEFAULT '' CHECK (length(change_note) <= 1000),
      scores TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(scores) AND json_type(scores) = 'object'),
      reasons TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
      source TEXT NOT NULL CHECK (source IN ('generated', 'edited-product', 'optimised', 'manual')),
      provenance TEXT NOT NULL CHECK (json_valid(provenance) AND json_type(provenance) = 'object' AND json_extract(provenance, '$.source') = source),
      UNIQUE (candidate_id, version)
    ) STRICT;

    CREATE TRIGGER candidate_versions_are_history BEFORE UPDATE ON candidate_versions
    BEGIN
      SELECT RAISE(ABORT, 'candidate versions are history and cannot be changed; save a new version instead');
    END;

    CREATE TABLE candidate_ingredients (
      version_id INTEGER NOT NULL REFERENCES candidate_versions(id) ON DELETE CASCADE,
      position INTEGER NOT NULL CHECK (position >= 1),
      ingredient_id INTEGER NOT NULL REFERENCES ingredients(id),
      PRIMARY KEY (version_id, position),
      UNIQUE (version_id, ingredient_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX candidate_ingredients_by_ingredient ON candidate_ingredients(ingredient_id);

    CREATE TABLE candidate_tags (
      candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,
      tag TEXT NOT NULL COLLATE NOCASE CHECK (length(tag) BETWEEN 1 AND 50 AND tag = trim(tag)),
      PRIMARY KEY (candidate_id, tag)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX candidate_tags_by_tag ON candidate_tags(tag);
  `);
}
