import { ApiFailure } from '../../shared/api';
import { matchCategory } from '../../shared/briefs/categories';
import { classifyCategory, type CategoryClassifier } from '../../shared/ml/category-classifier';
import { regionNormal, type LatentRegion } from '../../shared/ml/latent';
import { getProductCategories, listCategories } from '../db/queries/products';
import { productLists } from './catalog-index';
import { Derived, KeyedSlot, type ServiceContext } from './context';
import { latentSpace, type LatentSpace } from './latent-space';

/**
 * A brief's category (issue 15) under the active model: which of its catalog's categories the
 * brief means, the region of the latent space that category's products occupy (generation and
 * optimisation start there), and a bag-of-ingredients classifier trained on the catalog that
 * tells whether a candidate reads as that category.
 */

/** Categories with fewer products than this are not offered: too few to fit a region or learn from. */
export const MIN_CATEGORY_PRODUCTS = 10;

export interface CategoryModel {
  modelId: number;
  /** The model's catalog categories with enough products, most products first. */
  categories: { category: string; count: number }[];
  /** Each category's rows in the latent space's codes. */
  rows: Map<string, number[]>;
  classifier: CategoryClassifier;
  regions: Map<string, LatentRegion>;
}

const MODELS = new Derived(['catalog'], () => new KeyedSlot<number, CategoryModel>());

/**
 * The active model's categories, their rows and the classifier: trained once per model and
 * catalog state in the compute process (about 0.3 s on 1,500 products; never on the main thread).
 */
export async function categoryModel(cx: ServiceContext, space?: LatentSpace): Promise<CategoryModel> {
  const s = space ?? (await latentSpace(cx));
  // The slot of this catalog state: a catalog change while the classifier trains replaces it, and
  // what is trained here then goes only to this (stale) slot.
  const slot = cx.get(MODELS);
  const cached = slot.get(s.modelId);
  if (cached) return cached;
  const categoryOf = getProductCategories(cx.db);
  const lists = productLists(cx);
  const rows = new Map<string, number[]>();
  s.codes.productIds.forEach((id, row) => {
    const category = categoryOf.get(id)?.trim();
    if (!category || !(lists.get(id)?.length ?? 0)) return;
    const list = rows.get(category);
    if (list) list.push(row);
    else rows.set(category, [row]);
  });
  for (const [category, r] of rows) if (r.length < MIN_CATEGORY_PRODUCTS) rows.delete(category);
  const categories = [...rows].map(([category, r]) => ({ category, count: r.length })).sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));
  const train = [...rows].flatMap(([category, r]) => r.map((row) => [lists.get(s.codes.productIds[row]!)!, category] as const));
  const trained = await cx.run({ kind: 'categories', lists: train.map(([l]) => [...l]), labels: train.map(([, c]) => c), options: { l2: 0.01 } });
  const classifier: CategoryClassifier = { classes: trained.classes, weights: new Map(trained.weights), bias: trained.bias };
  return slot.set(s.modelId, { modelId: s.modelId, categories, rows, classifier, regions: new Map() });
}

/**
 * The catalog category a brief's `category` names ("moisturiser" finds "Moisturizer"), checked
 * against every category in the database (a brief is saved before a model knows it); refused
 * with the categories there are.
 */
export function resolveCategoryName(cx: ServiceContext, name: string): string {
  const available = listCategories(cx.db).map((c) => c.category).filter((c) => c.trim() !== '');
  const match = matchCategory(name, available);
  if (match) return match;
  throw new ApiFailure(
    'invalid-argument',
    available.length
      ? `category: "${name}" is not a category of the catalogs (they have ${available.slice(0, 20).join(', ')}${available.length > 20 ? ', …' : ''})`
      : `category: "${name}" cannot be used: no imported catalog names its products' categories`,
  );
}

/** The region of the latent space a category occupies under the active model; refused when the model's catalog has too few of its products. */
export async function categoryRegion(cx: ServiceContext, category: string): Promise<LatentRegion> {
  const space = await latentSpace(cx);
  const model = await categoryModel(cx, space);
  const rows = model.rows.get(category);
  if (!rows) {
    throw new ApiFailure(
      'invalid-argument',
      `category: the active model's catalog has fewer than ${MIN_CATEGORY_PRODUCTS} products of category "${category}", too few to sample around (its categories: ${model.categories.map((c) => `${c.category} (${c.count})`).join(', ') || 'none'}); nothing was run`,
    );
  }
  let region = model.regions.get(category);
  if (!region) model.regions.set(category, (region = regionNormal(space.codes.codes, rows, space.stats)));
  return region;
}

/** Every category's region with its log prior (log share of the catalog), and which is `category`'s (as categoryRegion refuses). */
export async function categoryRegions(cx: ServiceContext, category: string): Promise<{ regions: LatentRegion[]; logPriors: number[]; target: number }> {
  await categoryRegion(cx, category);
  const model = await categoryModel(cx);
  const total = model.categories.reduce((a, c) => a + c.count, 0);
  // Each region fitted once (categoryRegion above fitted the target's, and caches every one).
  const regions: LatentRegion[] = [];
  for (const c of model.categories) regions.push(await categoryRegion(cx, c.category));
  return { regions, logPriors: model.categories.map((c) => Math.log(c.count / total)), target: model.categories.findIndex((c) => c.category === category) };
}

/** The category each list reads as, with the classifier's probability, and its probability of being `category`. */
export function readCategories(model: CategoryModel, lists: readonly (readonly number[])[], category: string): { category: string; probability: number; target: number }[] {
  const at = model.classifier.classes.indexOf(category);
  return lists.map((l) => {
    const read = classifyCategory(model.classifier, l);
    return { category: read.category, probability: read.probability, target: at >= 0 ? read.probabilities[at]! : 0 };
  });
}
