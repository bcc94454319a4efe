import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/connection';
import { MIGRATIONS } from '../../../src/main/db/migrations';
import { tempDir } from '../../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('schema version 7 (what each model was trained on)', () => {
  it('fills in existing models from their snapshot: catalog names and the products coded under each model', async () => {
    const path = join(dir, 'v6.db');
    const v6 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 6) });
    expect(v6.schemaVersion).toBe(6);
    const db6 = v6.db;
    db6.prepare(`INSERT INTO catalogs (name, source_path, format, imported_at, report) VALUES ('Shop A', 'a.csv', 'csv', 'now', '{}'), ('Shop B', 'b.csv', 'csv', 'now', '{}')`).run();
    const product = db6.prepare(`INSERT INTO products (catalog_id, name, brand, category, declaration, ingredients_hash) VALUES (?, ?, '', '', 'Water', 'h')`);
    product.run(1, 'A1');
    product.run(1, 'A2');
    product.run(2, 'B1');
    const model = db6.prepare(
      `INSERT INTO models (name, folder, manifest_sha256, created_at, preset, seed, backend, train_ms, epochs, vocab_hash, vocab_size, vocabulary, config, metrics, snapshot, active)
       VALUES (?, ?, 'x', 'now', 'quick', 1, 'wasm', 1, 1, 'h', 1, '[]', '{}', '{}', ?, 0)`,
    );
    model.run('both', 'f1', JSON.stringify({ products: 3, catalogs: [1, 2], hash: 'h', benefitSources: [] }));
    model.run('only B', 'f2', JSON.stringify({ products: 1, catalogs: [2], hash: 'h', benefitSources: [] }));
    const code = db6.prepare(`INSERT INTO product_codes (model_id, product_id, mu) VALUES (?, ?, x'00000000')`);
    for (const p of [1, 2, 3]) code.run(1, p);
    code.run(2, 3);
    db6.close();

    const v7 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 7) });
    expect(v7.schemaVersion).toBe(7);
    const rows = v7.db.prepare(`SELECT model_id AS model, catalog_id AS catalog, name, product_count AS products, deleted_at AS deletedAt FROM model_catalogs ORDER BY model_id, catalog_id`).all();
    expect(rows).toEqual([
      { model: 1, catalog: 1, name: 'Shop A', products: 2, deletedAt: null },
      { model: 1, catalog: 2, name: 'Shop B', products: 1, deletedAt: null },
      { model: 2, catalog: 2, name: 'Shop B', products: 1, deletedAt: null },
    ]);
    const plan = v7.db.prepare(`EXPLAIN QUERY PLAN SELECT 1 FROM product_codes WHERE product_id = 3`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('product_codes_by_product');
    // The record outlives its model's catalog (no foreign key) but not the model itself.
    v7.db.prepare(`DELETE FROM catalogs WHERE id = 2`).run();
    expect(v7.db.prepare(`SELECT count(*) FROM model_catalogs WHERE catalog_id = 2`).pluck().get()).toBe(2);
    v7.db.prepare(`DELETE FROM models WHERE id = 2`).run();
    expect(v7.db.prepare(`SELECT count(*) FROM model_catalogs`).pluck().get()).toBe(2);
    expect(v7.db.pragma('foreign_key_check')).toEqual([]);
    v7.db.close();
  });
});
