import type { Database } from 'better-sqlite3';

/**
 * Schema version 7: what each model was trained on, catalog by catalog, so that a model whose
 * catalog is deleted can still say what it learnt from.
 *
 * `model_catalogs` has no foreign key to `catalogs` on purpose: the row outlives the catalog.
 * `name` is the catalog's last known name (a rename updates it) and `deleted_at` is set when the
 * catalog is deleted; a catalog imported later may get the same id (SQLite reuses the highest
 * rowid), so "deleted" is recorded rather than inferred from a missing id.
 *
 * Existing models are filled in from their snapshot's catalog ids, with each catalog's current
 * name and the number of its products that have a code under the model (the training set).
 *
 * `product_codes_by_product` lets deleting products find their codes without scanning every
 * model's codes once per product (the foreign key's ON DELETE CASCADE looks them up by product).
 */
export function updateToSchemaVersion7(db: Database): void {
  db.exec(`
    CREATE TABLE model_catalogs (
      model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
      catalog_id INTEGER NOT NULL,
      name TEXT NOT NULL,
      product_count INTEGER NOT NULL CHECK (product_count >= 0),
      deleted_at TEXT,
      PRIMARY KEY (model_id, catalog_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX model_catalogs_by_catalog ON model_catalogs(catalog_id);
    CREATE INDEX product_codes_by_product ON product_codes(product_id);

    INSERT INTO model_catalogs (model_id, catalog_id, name, product_count)
    SELECT m.id, CAST(s.value AS INTEGER),
           coalesce((SELECT c.name FROM catalogs c WHERE c.id = s.value), 'catalog ' || s.value),
           (SELECT count(*) FROM product_codes pc JOIN products p ON p.id = pc.product_id WHERE pc.model_id = m.id AND p.catalog_id = s.value)
      FROM models m, json_each(m.snapshot, '$.catalogs') s;
  `);
}
