/**
 * The sample catalog: products drafted from the category recipes, checked against the formula
 * rules, padded to a realistic length, declared in descending order and scored. Deterministic
 * for a seed.
 */
import type { Draft } from './recipe';
import { CATEGORIES, LENGTHS, RECIPES, type Category } from './recipes';
import { Rng } from './rng';
import { enforceRules, padToLength } from './rules';
import { scoreBenefits } from './scoring';

/** The seed of the committed catalog (resources/sample-catalog.json). */
export const SEED = 20261122;

/** One row of the sample catalog: a named formulation, its declaration and its benefit scores. */
export interface SampleProduct {
  name: string;
  brand: string;
  category: Category;
  ingredients: string;
  concentrations: number[];
  hydration: number;
  barrier_repair: number;
  anti_ageing: number;
  brightening: number;
  soothing: number;
  oil_control: number;
  exfoliation: number;
  uv_protection: number;
  anti_acne: number;
}

const PER_CATEGORY = 54; // 8 × 54 = 432
const BRANDS = ['Sample Lab A', 'Sample Lab B', 'Sample Lab C'];

/** "Illustrative <hero> <claim> <format> <n>", e.g. "Illustrative Niacinamide Balancing Serum 12". */
function productName(d: Draft, n: number): string {
  const words = [d.label, d.adjective, d.noun].join(' ').split(' ');
  // Drop repeated words ("Hydrating Hydrating Mask") that random label/adjective pairs produce.
  const seen = new Set<string>();
  const kept = words.filter((w) => {
    const k = w.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return `Illustrative ${kept.join(' ')} ${n}`;
}

/** Builds one valid product for a category, retrying drafts that break a sanity limit. */
function buildProduct(category: Category, rng: Rng, n: number): SampleProduct {
  const [lo, hi] = LENGTHS[category];
  for (let attempt = 0; attempt < 50; attempt++) {
    const chassis = rng.weighted(RECIPES[category], ([, w]) => w)[0];
    const d = chassis(rng);
    enforceRules(d, rng);
    // Triangular-ish target length: most declarations sit mid-range.
    const target = Math.round((rng.range(lo, hi) + rng.range(lo, hi)) / 2);
    padToLength(d, rng, target);
    enforceRules(d, rng);
    const { names, levels } = d.formula.declare();
    const qsLevel = levels[names.indexOf(d.formula.qs!)]!;
    // Reject drafts where the q.s. ingredient is not the largest or the list is out of range.
    if (names[0] !== d.formula.qs || qsLevel < 30 || names.length < lo || names.length > hi) continue;
    const scores = scoreBenefits(names, levels, d.rinseOff, rng);
    return {
      name: productName(d, n),
      brand: rng.pick(BRANDS),
      category,
      ingredients: names.join(', '),
      concentrations: levels,
      ...scores,
    };
  }
  throw new Error(`could not build a valid ${category} after 50 attempts`);
}

/** Builds the whole catalog, categories interleaved so any prefix is balanced. */
export function buildCatalog(seed = SEED): SampleProduct[] {
  const rng = new Rng(seed);
  const products: SampleProduct[] = [];
  let n = 1;
  for (let i = 0; i < PER_CATEGORY; i++) {
    for (const c of CATEGORIES) products.push(buildProduct(c, rng, n++));
  }
  return products;
}

/**
 * Any number of products built the same way, for scale and durability tests (a 50,000-product
 * catalog). Categories cycle; names are unique ("… N"); deterministic for a seed.
 */
export function* synthesiseProducts(count: number, seed: number): Generator<SampleProduct> {
  const rng = new Rng(seed);
  for (let n = 1; n <= count; n++) yield buildProduct(CATEGORIES[(n - 1) % CATEGORIES.length]!, rng, n);
}

