import type { Database } from 'better-sqlite3';

/**
 * Schema version 8: design briefs (issue 15), saved by name and versioned like candidates.
 *
 * A brief's rules live in numbered versions (`body`, the JSON of src/shared/briefs/brief.ts);
 * saving a changed brief adds a version, and a trigger refuses to change a version afterwards,
 * so a generate run, an optimisation or a candidate that records "brief 3 v2" can always be read
 * back. What uses a brief also keeps a copy of its body in its provenance: deleting a brief
 * never leaves a candidate unable to say what it was made to obey.
 */
export function updateToSchemaVersion8(db: Database): void {
  db.exec(`
    CREATE TABLE briefs (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 200 AND name = trim(name)),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL CHECK (updated_at >= created_at)
    ) STRICT;

    CREATE TABLE brief_versions (
      id INTEGER PRIMARY KEY,
      brief_id INTEGER NOT NULL REFERENCES briefs(id) ON DELETE CASCADE,
      version INTEGER NOT NULL CHECK (version >= 1),
      created_at TEXT NOT NULL,
      note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
      body TEXT NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object'),
      UNIQUE (brief_id, version)
    ) STRICT;

    CREATE TRIGGER brief_versions_are_history BEFORE UPDATE ON brief_versions
    BEGIN
      SELECT RAISE(ABORT, 'brief versions are history and cannot be changed; save a new version instead');
    END;
  `);
}
