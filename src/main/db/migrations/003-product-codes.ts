import type { Database } from 'better-sqlite3';

/**
 * Schema version 3: each catalog product's latent mean under each model (float32 BLOB), written
 * with the model's record, so maps, neighbours and density work without re-encoding.
 */
export function updateToSchemaVersion3(db: Database): void {
  db.exec(`
    CREATE TABLE product_codes (
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
      product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
      mu BLOB NOT NULL,
      PRIMARY KEY (model_id, product_id)
    ) STRICT, WITHOUT ROWID;
  `);
}
