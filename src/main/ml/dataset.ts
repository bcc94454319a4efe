import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/**
 * What the model trains on, read from the catalog: each product's ingredients in declaration
 * order (colourant "may contain" sections left out: they are options, not the formula), its
 * benefit targets, and what is known about each ingredient (for rare-ingredient buckets).
 */

export interface TrainingProduct {
  id: number;
  /** Ingredient ids in declaration order. */
  ingredients: number[];
  /** Benefit name → value, for the benefits the model learns. */
  benefits: Record<string, number>;
}

export interface IngredientInfo {
  id: number;
  inci: string;
  /** First functional class, or null when the knowledge base does not know it. */
  primaryFunction: string | null;
  /** Whether the ingredient is usually used above or below 1 % (the knowledge base), when known. */
  concentration?: 'above-1' | 'below-1' | null;
}

export type BenefitKind = 'flag' | 'score';

export interface TrainingData {
  products: TrainingProduct[];
  ingredients: IngredientInfo[];
  /** Every benefit the products carry, with its kind: flags hold only 0 and 1. */
  benefits: Record<string, BenefitKind>;
  /** Identifies the catalog snapshot: product count and a hash of ids and lists. */
  snapshot: { products: number; catalogs: number[]; hash: string; benefitSources: string[] };
}

export interface DatasetOptions {
  /** Limit to these catalogs (default: all). */
  catalogIds?: number[];
  /** Which benefit scores to learn: imported columns, knowledge-based scores, or both (default). */
  benefitSources?: ('imported' | 'knowledge')[];
}

export function loadTrainingData(db: Database, options: DatasetOptions = {}): TrainingData {
  const catalogs = options.catalogIds?.length
    ? options.catalogIds
    : (db.prepare(`SELECT id FROM catalogs ORDER BY id`).all() as { id: number }[]).map((r) => r.id);
  const sources = options.benefitSources ?? ['imported', 'knowledge'];
  const catalogJson = JSON.stringify(catalogs);
  const rows = db
    .prepare(
      `SELECT p.id, json_group_array(pi.ingredient_id) AS ids FROM products p
         JOIN (SELECT * FROM product_ingredients WHERE section <> 'may-contain' ORDER BY product_id, position) pi ON pi.product_id = p.id
        WHERE p.catalog_id IN (SELECT value FROM json_each(?))
        GROUP BY p.id ORDER BY p.id`,
    )
    .all(catalogJson) as { id: number; ids: string }[];
  const products: TrainingProduct[] = rows.map((r) => ({ id: r.id, ingredients: JSON.parse(r.ids) as number[], benefits: {} }));
  const byId = new Map(products.map((p) => [p.id, p]));
  const scores = db
    .prepare(
      `SELECT b.product_id AS id, b.benefit, b.value, b.source FROM benefit_scores b JOIN products p ON p.id = b.product_id
        WHERE p.catalog_id IN (SELECT value FROM json_each(?)) AND b.source IN (SELECT value FROM json_each(?))`,
    )
    .all(catalogJson, JSON.stringify(sources)) as { id: number; benefit: string; value: number; source: string }[];
  const values = new Map<string, Set<number>>();
  for (const s of scores) {
    const p = byId.get(s.id);
    if (!p) continue;
    // Knowledge-based scores get their own names so they never mix with an imported column.
    const name = s.source === 'knowledge' ? `kb:${s.benefit}` : s.benefit;
    p.benefits[name] = s.value;
    const seen = values.get(name) ?? new Set<number>();
    seen.add(s.value);
    values.set(name, seen);
  }
  const benefits: Record<string, BenefitKind> = {};
  for (const [name, seen] of [...values].sort(([a], [b]) => a.localeCompare(b))) {
    if (seen.size < 2) continue; // a constant teaches nothing
    benefits[name] = [...seen].every((v) => v === 0 || v === 1) ? 'flag' : 'score';
  }
  const ingredientIds = [...new Set(products.flatMap((p) => p.ingredients))];
  const ingredients = db
    .prepare(
      `SELECT i.id, i.inci, i.concentration, (SELECT function FROM ingredient_functions f WHERE f.ingredient_id = i.id ORDER BY rank LIMIT 1) AS primaryFunction
         FROM ingredients i WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY i.id`,
    )
    .all(JSON.stringify(ingredientIds)) as IngredientInfo[];
  const hash = createHash('sha256');
  for (const p of products) hash.update(`${p.id}:${p.ingredients.join(',')};`);
  return { products, ingredients, benefits, snapshot: { products: products.length, catalogs, hash: hash.digest('hex'), benefitSources: sources } };
}
