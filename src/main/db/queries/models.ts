import type { Database } from 'better-sqlite3';
import type { ModelCatalog, ModelRecord } from '../../../shared/domain';
import { float32FromBlob } from './generation';

/** Typed queries over the models table. */

interface ModelRow {
  id: number;
  name: string;
  folder: string;
  manifest_sha256: string;
  created_at: string;
  preset: string;
  seed: number;
  backend: string;
  train_ms: number;
  epochs: number;
  vocab_hash: string;
  vocab_size: number;
  config: string;
  metrics: string;
  snapshot: string;
  active: number;
  /** JSON array of `ModelCatalog`s (see MODEL_COLUMNS). */
  trained_on: string;
}

export interface StoredModel extends ModelRecord {
  folder: string;
  manifestSha256: string;
}

/** The vocabulary as stored beside the metadata: token names and ingredient ids, in token order. */
export type StoredVocabulary = { name: string; ingredientId: number | null }[];

function toRecord(r: ModelRow): StoredModel {
  return {
    id: r.id,
    name: r.name,
    folder: r.folder,
    manifestSha256: r.manifest_sha256,
    createdAt: r.created_at,
    preset: r.preset,
    seed: r.seed,
    backend: r.backend,
    trainMs: r.train_ms,
    epochs: r.epochs,
    vocabularySize: r.vocab_size,
    vocabularyHash: r.vocab_hash,
    config: JSON.parse(r.config) as Record<string, unknown>,
    metrics: JSON.parse(r.metrics) as ModelRecord['metrics'],
    snapshot: JSON.parse(r.snapshot) as ModelRecord['snapshot'],
    trainedOn: JSON.parse(r.trained_on) as ModelCatalog[],
    active: r.active === 1,
  };
}

/** Every column of a model, with the catalogs it was trained on as one JSON column. */
const MODEL_COLUMNS = `m.*, (SELECT json_group_array(json_object('catalogId', catalog_id, 'name', name, 'products', product_count, 'deletedAt', deleted_at))
    FROM (SELECT * FROM model_catalogs t WHERE t.model_id = m.id ORDER BY t.catalog_id)) AS trained_on`;

export function listModels(db: Database): StoredModel[] {
  return (db.prepare(`SELECT ${MODEL_COLUMNS} FROM models m ORDER BY m.id`).all() as ModelRow[]).map(toRecord);
}

/** The folder of every recorded model (cheap: no vocabulary or metrics are read). */
export function listModelFolders(db: Database): string[] {
  return db.prepare(`SELECT folder FROM models`).pluck().all() as string[];
}

export function getModel(db: Database, id: number): StoredModel | null {
  const row = db.prepare(`SELECT ${MODEL_COLUMNS} FROM models m WHERE m.id = ?`).get(id) as ModelRow | undefined;
  return row ? toRecord(row) : null;
}

export function getActiveModel(db: Database): StoredModel | null {
  const row = db.prepare(`SELECT ${MODEL_COLUMNS} FROM models m WHERE m.active = 1`).get() as ModelRow | undefined;
  return row ? toRecord(row) : null;
}

/** Latent means of products, `codes` row i belonging to `productIds[i]`. */
export interface ProductCodes {
  productIds: number[];
  codes: Float32Array;
  latentDim: number;
}

/**
 * Records a model, its products' codes and the catalogs it was trained on (`snapshot.catalogs`,
 * each with its name and the number of its products among the coded ones) in one transaction.
 */
export function insertModel(db: Database, m: Omit<StoredModel, 'id' | 'active' | 'trainedOn'>, vocabulary: StoredVocabulary, activate: boolean, codes?: ProductCodes): number {
  return db.transaction(() => {
    if (activate) db.prepare(`UPDATE models SET active = 0 WHERE active = 1`).run();
    const id = Number(
      db
        .prepare(
          `INSERT INTO models (name, folder, manifest_sha256, created_at, preset, seed, backend, train_ms, epochs, vocab_hash, vocab_size, vocabulary, config, metrics, snapshot, active)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          m.name, m.folder, m.manifestSha256, m.createdAt, m.preset, m.seed, m.backend, m.trainMs, m.epochs, m.vocabularyHash, m.vocabularySize,
          JSON.stringify(vocabulary), JSON.stringify(m.config), JSON.stringify(m.metrics), JSON.stringify(m.snapshot), activate ? 1 : 0,
        ).lastInsertRowid,
    );
    if (codes) insertProductCodes(db, id, codes);
    db.prepare(
      `INSERT INTO model_catalogs (model_id, catalog_id, name, product_count)
       SELECT @id, c.id, c.name, (SELECT count(*) FROM product_codes pc JOIN products p ON p.id = pc.product_id WHERE pc.model_id = @id AND p.catalog_id = c.id)
         FROM catalogs c WHERE c.id IN (SELECT value FROM json_each(@catalogs))`,
    ).run({ id, catalogs: JSON.stringify(m.snapshot.catalogs) });
    return id;
  }).immediate();
}

/** The stored codes of a model's products (those still in the catalog), in product id order. */
export function getProductCodes(db: Database, modelId: number, latentDim: number): ProductCodes {
  const rows = db.prepare(`SELECT product_id AS id, mu FROM product_codes WHERE model_id = ? ORDER BY product_id`).all(modelId) as { id: number; mu: Buffer }[];
  const codes = new Float32Array(rows.length * latentDim);
  rows.forEach((r, i) => {
    if (r.mu.byteLength !== latentDim * 4) throw new Error(`stored code of product ${r.id} has ${r.mu.byteLength / 4} values, expected ${latentDim}`);
    codes.set(float32FromBlob(r.mu), i * latentDim);
  });
  return { productIds: rows.map((r) => r.id), codes, latentDim };
}

/** The vocabulary recorded with a model. */
export function getModelVocabulary(db: Database, id: number): StoredVocabulary | null {
  const row = db.prepare(`SELECT vocabulary FROM models WHERE id = ?`).get(id) as { vocabulary: string } | undefined;
  return row ? (JSON.parse(row.vocabulary) as StoredVocabulary) : null;
}

export function setActiveModel(db: Database, id: number): void {
  db.transaction(() => {
    db.prepare(`UPDATE models SET active = 0 WHERE active = 1`).run();
    db.prepare(`UPDATE models SET active = 1 WHERE id = ?`).run(id);
  }).immediate();
}

/** Stores product codes of a model (rows already there are replaced); call inside a transaction. */
export function insertProductCodes(db: Database, modelId: number, codes: ProductCodes): void {
  const insert = db.prepare(`INSERT OR REPLACE INTO product_codes (model_id, product_id, mu) VALUES (?, ?, ?)`);
  const D = codes.latentDim;
  codes.productIds.forEach((productId, i) => {
    const row = codes.codes.slice(i * D, (i + 1) * D);
    insert.run(modelId, productId, Buffer.from(row.buffer, row.byteOffset, row.byteLength));
  });
}

/** True when a catalog the model was trained on has been deleted. */
export function modelLostCatalog(db: Database, modelId: number): boolean {
  return db.prepare(`SELECT 1 FROM model_catalogs WHERE model_id = ? AND deleted_at IS NOT NULL LIMIT 1`).get(modelId) !== undefined;
}

/** Ids of the remaining products that have no code under the model, in id order. */
export function productsWithoutCode(db: Database, modelId: number): number[] {
  return db
    .prepare(`SELECT p.id FROM products p WHERE NOT EXISTS (SELECT 1 FROM product_codes pc WHERE pc.model_id = ? AND pc.product_id = p.id) ORDER BY p.id`)
    .pluck()
    .all(modelId) as number[];
}
