import type { Database } from 'better-sqlite3';
import type { ProductPage } from '../../../shared/contract';
import type { BenefitScore, CatalogSummary, ProductDetail, ProductIngredient, ProductSummary } from '../../../shared/domain';
import { ingredientKey } from '../../../shared/inci/key';

/** Typed queries over catalogs, products, their ingredients and benefit scores. */

export interface ProductFilter {
  search?: string;
  category?: string;
  brand?: string;
  ingredient?: string;
  catalogId?: number;
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
