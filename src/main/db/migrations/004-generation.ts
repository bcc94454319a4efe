import type { Database } from 'better-sqlite3';

/**
 * Schema version 4: generate-and-filter runs with their full provenance (model, parameters
 * including the seed, backend, time per stage, counts, quality panel) and every decoded
 * candidate with its scores and reasons, so a run can be inspected and reproduced exactly.
 */
export function updateToSchemaVersion4(db: Database): void {
  db.exec(`
    CREATE TABLE generation_runs (
      id INTEGER PRIMARY KEY,
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      backend TEXT NOT NULL,
      params TEXT NOT NULL,
      timings TEXT NOT NULL,
      counts TEXT NOT NULL,
      quality TEXT NOT NULL,
      density_floor REAL NOT NULL
    ) STRICT;

    CREATE TABLE generated_candidates (
      run_id INTEGER NOT NULL REFERENCES generation_runs(id) ON DELETE CASCADE,
      rank INTEGER NOT NULL,
      passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
      ingredients TEXT NOT NULL,
      code BLOB NOT NULL,
      scores TEXT NOT NULL,
      reasons TEXT NOT NULL,
      PRIMARY KEY (run_id, rank)
    ) STRICT, WITHOUT ROWID;
  `);
}
