import type { Database } from 'better-sqlite3';
import type { ProductPage } from '../../../shared/api';
import type { BenefitScore, CatalogSummary, ProductDetail, ProductIngredient, ProductSummary } from '../../../shared/domain';
import { ingredientKey } from '../../../shared/inci/key';

/** Typed queries over catalogs, products, their ingredients and benefit scores. */

export interface ProductFilter {
  search?: string;
  category?: string;
  brand?: string;
  ingredient?: string;
  catalogId?: number;
  /** Only these products (e.g. those that meet a design brief). */
  ids?: readonly number[];
  limit: number;
  offset: number;
}

const SUMMARY_COLUMNS = `p.id, p.name, p.brand, p.category, p.catalog_id AS catalogId,
  (SELECT count(*) FROM product_ingredients pi WHERE pi.product_id = p.id) AS ingredientCount`;

/** A page of products matching every given filter, ordered by name. */
export function listProducts(db: Database, filter: ProductFilter): ProductPage {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.search?.trim()) {
    where.push(`(p.name LIKE @search ESCAPE '\\' OR p.brand LIKE @search ESCAPE '\\')`);
    params.search = `%${escapeLike(filter.search.trim())}%`;
  }
  if (filter.category) {
    where.push(`p.category = @category`);
    params.category = filter.category;
  }
  if (filter.brand) {
    where.push(`lower(p.brand) = lower(@brand)`);
    params.brand = filter.brand;
  }
  if (filter.catalogId) {
    where.push(`p.catalog_id = @catalogId`);
    params.catalogId = filter.catalogId;
  }
  if (filter.ingredient?.trim()) {
    const key = ingredientKey(filter.ingredient);
    where.push(`EXISTS (SELECT 1 FROM product_ingredients pi JOIN ingredients i ON i.id = pi.ingredient_id
      WHERE pi.product_id = p.id AND (i.key LIKE @ingredient OR EXISTS (SELECT 1 FROM ingredient_names n WHERE n.ingredient_id = i.id AND n.key LIKE @ingredient)))`);
    params.ingredient = `%${key}%`;
  }
  if (filter.ids) {
    where.push(`p.id IN (SELECT value FROM json_each(@ids))`);
    params.ids = JSON.stringify(filter.ids);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM products p ${clause}`).get(params) as { n: number }).n;
  const items = db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM products p ${clause} ORDER BY p.name COLLATE NOCASE, p.id LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.limit, offset: filter.offset }) as ProductSummary[];
  return { total, items };
}

/** Escapes LIKE wildcards; use with `ESCAPE '\\'`. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** One product with its ordered ingredients (and their functions), scores and extra fields. */
export function getProduct(db: Database, id: number): ProductDetail | null {
  const row = db
    .prepare(
      `SELECT ${SUMMARY_COLUMNS}, p.declaration, p.source_line AS sourceLine, p.extra, p.warnings, c.name AS catalogName
         FROM products p JOIN catalogs c ON c.id = p.catalog_id WHERE p.id = ?`,
    )
    .get(id) as (ProductSummary & { declaration: string; sourceLine: number | null; extra: string; warnings: string; catalogName: string }) | undefined;
  if (!row) return null;
  const items = db
    .prepare(
      `SELECT pi.position, pi.ingredient_id AS ingredientId, i.inci, pi.raw, pi.percent, pi.section, i.origin,
              (SELECT json_group_array(function) FROM (SELECT function FROM ingredient_functions f WHERE f.ingredient_id = i.id ORDER BY rank)) AS functions
         FROM product_ingredients pi JOIN ingredients i ON i.id = pi.ingredient_id
        WHERE pi.product_id = ? ORDER BY pi.position`,
    )
    .all(id) as (Omit<ProductIngredient, 'known' | 'functions'> & { origin: string; functions: string })[];
  const ingredients: ProductIngredient[] = items.map(({ origin, functions, ...rest }) => ({
    ...rest,
    known: origin !== 'catalog',
    functions: JSON.parse(functions) as ProductIngredient['functions'],
  }));
  const benefits = db
    .prepare(`SELECT benefit, value, source FROM benefit_scores WHERE product_id = ? ORDER BY source, benefit`)
    .all(id) as BenefitScore[];
  const { extra, warnings, ...summary } = row;
  return {
    ...summary,
    ingredients,
    benefits,
    extra: JSON.parse(extra) as Record<string, string>,
    warnings: JSON.parse(warnings) as string[],
  };
}

export function listCatalogs(db: Database): CatalogSummary[] {
  const rows = db
    .prepare(
      `SELECT c.id, c.name, c.source_path AS sourcePath, c.imported_at AS importedAt, c.illustrative,
              (SELECT count(*) FROM products p WHERE p.catalog_id = c.id) AS productCount
         FROM catalogs c ORDER BY c.id`,
    )
    .all() as (Omit<CatalogSummary, 'illustrative'> & { illustrative: number })[];
  return rows.map((r) => ({ ...r, illustrative: r.illustrative === 1 }));
}

export function listCategories(db: Database): { category: string; count: number }[] {
  return db.prepare(`SELECT category, count(*) AS count FROM products GROUP BY category ORDER BY count DESC, category`).all() as {
    category: string;
    count: number;
  }[];
}

/** Each product's category (empty when the catalog gave none). */
export function getProductCategories(db: Database): Map<number, string> {
  const rows = db.prepare(`SELECT id, category FROM products`).all() as { id: number; category: string }[];
  return new Map(rows.map((r) => [r.id, r.category]));
}

/** Every brand with its product count, most products first (empty brands left out). */
export function listBrands(db: Database): { brand: string; count: number }[] {
  return db
    .prepare(`SELECT brand, count(*) AS count FROM products WHERE brand <> '' GROUP BY lower(brand) ORDER BY count DESC, lower(brand)`)
    .all() as { brand: string; count: number }[];
}

export function countRows(db: Database): { products: number; catalogs: number; ingredients: number; knowledge: number } {
  return db
    .prepare(
      `SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM catalogs) AS catalogs,
              (SELECT count(*) FROM ingredients) AS ingredients, (SELECT count(*) FROM ingredients WHERE origin <> 'catalog') AS knowledge`,
    )
    .get() as { products: number; catalogs: number; ingredients: number; knowledge: number };
}

/** Number of products listing the ingredient. */
export function countProductsWithIngredient(db: Database, ingredientId: number): number {
  return (db.prepare(`SELECT count(DISTINCT product_id) AS n FROM product_ingredients WHERE ingredient_id = ?`).get(ingredientId) as { n: number }).n;
}

/** Every product's ingredient ids in position order ("may contain" items left out), for overlap measures and the checks. */
export function getProductLists(db: Database): Map<number, number[]> {
  const rows = db
    .prepare(`SELECT product_id AS p, ingredient_id AS i FROM product_ingredients WHERE section <> 'may-contain' ORDER BY product_id, position`)
    .all() as { p: number; i: number }[];
  const lists = new Map<number, number[]>();
  for (const r of rows) {
    const list = lists.get(r.p);
    if (list) list.push(r.i);
    else lists.set(r.p, [r.i]);
  }
  return lists;
}

/** Name and brand of the given products (all products when `ids` is omitted); missing ids are left out. */
export function getProductLabels(db: Database, ids?: readonly number[]): Map<number, { name: string; brand: string }> {
  const rows = (
    ids === undefined
      ? db.prepare(`SELECT id, name, brand FROM products`).all()
      : db.prepare(`SELECT id, name, brand FROM products WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids))
  ) as { id: number; name: string; brand: string }[];
  return new Map(rows.map((p) => [p.id, { name: p.name, brand: p.brand }]));
}

/** What the latent map shows about a product: labels, category, list length, first ingredients and catalog benefit scores. */
export interface ProductMapInfo {
  name: string;
  brand: string;
  category: string;
  /** Ingredients outside "may contain". */
  ingredientCount: number;
  /** The first `topCount` ingredients' INCI names, in order. */
  topIngredients: string[];
  /** Imported scores by benefit name, knowledge-based ones as `kb:<benefit>` (the model's naming, src/main/ml/dataset.ts). */
  benefits: Record<string, number>;
}

/** Map labels of the given products (missing ids are left out), with their first `topCount` ingredients. */
export function getProductMapInfo(db: Database, ids: readonly number[], topCount: number): Map<number, ProductMapInfo> {
  const idsJson = JSON.stringify(ids);
  const rows = db
    .prepare(
      `SELECT p.id, p.name, p.brand, p.category,
              (SELECT count(*) FROM product_ingredients pi WHERE pi.product_id = p.id AND pi.section <> 'may-contain') AS ingredientCount
         FROM products p WHERE p.id IN (SELECT value FROM json_each(?))`,
    )
    .all(idsJson) as { id: number; name: string; brand: string; category: string; ingredientCount: number }[];
  const info = new Map(rows.map(({ id, ...r }) => [id, { ...r, topIngredients: [] as string[], benefits: {} as Record<string, number> }]));
  const topRows = db
    .prepare(
      `SELECT product_id AS p, inci FROM (
         SELECT pi.product_id, i.inci, row_number() OVER (PARTITION BY pi.product_id ORDER BY pi.position) AS r
           FROM product_ingredients pi JOIN ingredients i ON i.id = pi.ingredient_id
          WHERE pi.section <> 'may-contain' AND pi.product_id IN (SELECT value FROM json_each(?)))
        WHERE r <= ? ORDER BY p, r`,
    )
    .all(idsJson, topCount) as { p: number; inci: string }[];
  for (const r of topRows) info.get(r.p)?.topIngredients.push(r.inci);
  const scoreRows = db
    .prepare(`SELECT product_id AS p, benefit, value, source FROM benefit_scores WHERE source IN ('imported', 'knowledge') AND product_id IN (SELECT value FROM json_each(?))`)
    .all(idsJson) as { p: number; benefit: string; value: number; source: string }[];
  for (const r of scoreRows) {
    const benefits = info.get(r.p)?.benefits;
    // Knowledge-based scores never mix with an imported column of the same benefit.
    if (benefits) benefits[r.source === 'knowledge' ? `kb:${r.benefit}` : r.benefit] = r.value;
  }
  return info;
}

/** Renames a catalog; what models record of it follows (a deleted catalog's record keeps its last name). False when there is no such catalog. */
export function renameCatalog(db: Database, id: number, name: string): boolean {
  return db.transaction(() => {
    if (db.prepare(`UPDATE catalogs SET name = ? WHERE id = ?`).run(name, id).changes === 0) return false;
    db.prepare(`UPDATE model_catalogs SET name = ? WHERE catalog_id = ? AND deleted_at IS NULL`).run(name, id);
    return true;
  }).immediate();
}

/** What deleting a catalog removes or unlinks. */
export interface CatalogRemoval {
  products: number;
  /** The products' ingredient rows. */
  ingredientRows: number;
  benefitScores: number;
  /** The products' latent codes under every model. */
  productCodes: number;
  /** Lab results measured on one of the products: kept with their list and name, their product link cleared. */
  labResultsUnlinked: number;
  /** Models trained on the catalog (they keep working and say the catalog is gone). */
  models: { id: number; name: string }[];
}

/** What `deleteCatalogRows` would remove; nothing is written. */
export function countCatalogRemoval(db: Database, catalogId: number): CatalogRemoval {
  const counts = db
    .prepare(
      `SELECT (SELECT count(*) FROM products WHERE catalog_id = @id) AS products,
              (SELECT count(*) FROM product_ingredients pi JOIN products p ON p.id = pi.product_id WHERE p.catalog_id = @id) AS ingredientRows,
              (SELECT count(*) FROM benefit_scores b JOIN products p ON p.id = b.product_id WHERE p.catalog_id = @id) AS benefitScores,
              (SELECT count(*) FROM product_codes pc JOIN products p ON p.id = pc.product_id WHERE p.catalog_id = @id) AS productCodes,
              (SELECT count(*) FROM lab_results l JOIN products p ON p.id = l.product_id WHERE p.catalog_id = @id) AS labResultsUnlinked`,
    )
    .get({ id: catalogId }) as Omit<CatalogRemoval, 'models'>;
  const models = db
    .prepare(`SELECT m.id, m.name FROM model_catalogs t JOIN models m ON m.id = t.model_id WHERE t.catalog_id = ? AND t.deleted_at IS NULL ORDER BY m.id`)
    .all(catalogId) as { id: number; name: string }[];
  return { ...counts, models };
}

/**
 * Ids are never given twice. SQLite gives a new row the largest id in use plus one, so after the
 * newest catalog is deleted the next import would get its catalog id and its products' ids again:
 * a lab-results file or an export naming "product 1200" would then point at another product, and
 * a model's record of a deleted catalog at a new one. A deletion therefore records the largest
 * ids it saw (in `meta`), and an import numbers its catalog and products above them.
 */
const ID_FLOOR_KEYS = { catalogs: 'catalog_id_floor', products: 'product_id_floor' } as const;

/** Records the largest catalog and product ids in use as floors no later id goes below (see above). */
function raiseIdFloors(db: Database): void {
  for (const [table, key] of Object.entries(ID_FLOOR_KEYS)) {
    db.prepare(
      `INSERT INTO meta (key, value) SELECT ?, CAST(max(id) AS TEXT) FROM ${table} WHERE id IS NOT NULL HAVING max(id) IS NOT NULL
       ON CONFLICT(key) DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)`,
    ).run(key);
  }
}

/** The next free id of `table`: above every id in use and every id a deletion recorded. */
export function nextId(db: Database, table: keyof typeof ID_FLOOR_KEYS): number {
  const used = (db.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number) ?? 0;
  const floor = Number((db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(ID_FLOOR_KEYS[table]) as string | undefined) ?? 0);
  return Math.max(used, floor) + 1;
}

/**
 * Deletes a catalog in one transaction: its products with their ingredient rows, benefit scores
 * and codes (the schema's ON DELETE CASCADE); lab results keep their measured list and name and
 * lose only the product link (ON DELETE SET NULL); models trained on it record the deletion.
 * Ingredients, candidates and generated runs are kept.
 *
 * The transaction spans awaits, like an import's: products go `chunk` at a time and `pause` runs
 * between chunks, so a 50,000-product catalog does not hold the event loop for seconds. The
 * caller holds the write lock; a failure rolls everything back.
 */
export async function deleteCatalogRows(db: Database, catalogId: number, at: string, pause: () => Promise<void>, chunk = 2000): Promise<CatalogRemoval> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const removal = countCatalogRemoval(db, catalogId);
    raiseIdFloors(db);
    db.prepare(`UPDATE model_catalogs SET deleted_at = ? WHERE catalog_id = ? AND deleted_at IS NULL`).run(at, catalogId);
    // Removing many ingredient rows one by one from the by-ingredient index costs ~4 µs a row
    // (random leaf pages); when at least a quarter of them go, dropping the index and building it
    // again from what remains is about three times faster.
    const total = (db.prepare(`SELECT count(*) FROM product_ingredients`).pluck().get() as number) || 1;
    const rebuild =
      removal.ingredientRows / total >= 0.25
        ? (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'product_ingredients_by_ingredient'`).pluck().get() as string | undefined)
        : undefined;
    if (rebuild) db.exec(`DROP INDEX product_ingredients_by_ingredient`);
    const nextIds = db.prepare(`SELECT id FROM products WHERE catalog_id = ? ORDER BY id LIMIT ?`).pluck();
    const deleteLists = db.prepare(`DELETE FROM product_ingredients WHERE product_id IN (SELECT value FROM json_each(?))`);
    // The rest goes with the products (ON DELETE CASCADE / SET NULL).
    const deleteProducts = db.prepare(`DELETE FROM products WHERE id IN (SELECT value FROM json_each(?))`);
    for (let ids = nextIds.all(catalogId, chunk) as number[]; ids.length > 0; ids = nextIds.all(catalogId, chunk) as number[]) {
      const json = JSON.stringify(ids);
      deleteLists.run(json);
      deleteProducts.run(json);
      await pause();
    }
    if (rebuild) db.exec(rebuild);
    db.prepare(`DELETE FROM catalogs WHERE id = ?`).run(catalogId);
    db.exec('COMMIT');
    return removal;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** One catalog's summary, or null. */
export function getCatalog(db: Database, id: number): CatalogSummary | null {
  return listCatalogs(db).find((c) => c.id === id) ?? null;
}
