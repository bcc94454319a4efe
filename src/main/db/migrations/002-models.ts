import type { Database } from 'better-sqlite3';

/**
 * Schema version 2: trained models. The weights live in a folder beside the database (written
 * atomically, checksummed); this row is their metadata: vocabulary hash and size,
 * hyper-parameters, seed, backend, training time, metrics and the catalog snapshot trained on.
 * At most one model is active.
 */
export function updateToSchemaVersion2(db: Database): void {
  db.exec(`
    CREATE TABLE models (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      folder TEXT NOT NULL UNIQUE,
      manifest_sha256 TEXT NOT NULL,
      created_at TEXT NOT NULL,
      preset TEXT NOT NULL,
      seed INTEGER NOT NULL,
      backend TEXT NOT NULL,
      train_ms INTEGER NOT NULL,
      epochs INTEGER NOT NULL,
      vocab_hash TEXT NOT NULL,
      vocab_size INTEGER NOT NULL,
      vocabulary TEXT NOT NULL,
      config TEXT NOT NULL,
      metrics TEXT NOT NULL,
      snapshot TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
    ) STRICT;
    CREATE UNIQUE INDEX models_one_active ON models(active) WHERE active = 1;
  `);
}
