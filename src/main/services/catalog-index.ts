import type { IngredientLookup } from '../../shared/api';
import type { IngredientRecord } from '../../shared/domain';
import type { IngredientFacts } from '../../shared/ml/checks';
import { OverlapIndex } from '../../shared/ml/overlap';
import { getIngredientRecords } from '../db/queries/ingredients';
import { getProductLabels, getProductLists } from '../db/queries/products';
import { buildCatalogContext, type CatalogContext, type CatalogContextSpec } from '../generate/kernels';
import { loadIncompatibilities } from '../inci/knowledge';
import { incompatibilitiesPath } from '../resources';
import { Derived, type ServiceContext } from './context';
import { resolveIngredientName } from './ingredient-names';

/**
 * What checking and scoring a list needs from the catalog, built once per catalog state: the
 * editor scores lists with it, the optimiser and Bayesian optimisation check their proposals
 * with it (and send `checksSpec` to the compute process to build the same checks there).
 */
export interface CatalogIndex {
  /** Product id of each row of the novelty index. */
  productIds: number[];
  checks: CatalogContext;
  /** What `checks` was built from, for the compute process to build the same (optimisation). */
  checksSpec: CatalogContextSpec;
  records: Map<number, IngredientRecord>;
  facts: Map<number, IngredientFacts>;
  products: Map<number, { name: string; brand: string }>;
  /** Name → ingredient id (null: unknown) and how it matched, and name → suggestions, filled as names are asked for. */
  names: Map<string, IndexedName>;
  suggestions: Map<string, string[]>;
}

/** Product lists change with an import; ingredient records (names, facts) with a knowledge-base edit. */
const CATALOG_STATE = ['catalog', 'ingredients'] as const;

const PRODUCT_LISTS = new Derived(CATALOG_STATE, (cx) => getProductLists(cx.db));

const RECORDS = new Derived(CATALOG_STATE, (cx) => new Map(getIngredientRecords(cx.db).map((r) => [r.id, r])));

/** Every ingredient record by id (knowledge base and catalog-only), read once per catalog and knowledge-base state. */
export function ingredientRecords(cx: ServiceContext): Map<number, IngredientRecord> {
  return cx.get(RECORDS);
}

const OVERLAP = new Derived(CATALOG_STATE, (cx) => {
  const lists = productLists(cx);
  const productIds = [...lists.keys()];
  return { productIds, index: new OverlapIndex(productIds.map((id) => lists.get(id)!)) };
});

const INDEX = new Derived(CATALOG_STATE, (cx): CatalogIndex => {
  const lists = productLists(cx);
  const productIds = [...lists.keys()];
  const records = ingredientRecords(cx);
  const facts = new Map([...records.values()].map((r) => [r.id, ingredientFacts(r)]));
  const catalogIds = new Set(productIds.flatMap((id) => lists.get(id)!));
  const checksSpec: CatalogContextSpec = {
    catalogLists: productIds.map((id) => lists.get(id)!),
    facts: [...catalogIds].flatMap((id) => (facts.has(id) ? [[id, facts.get(id)!] as [number, IngredientFacts]] : [])),
    incompatible: incompatibleGroups(cx),
  };
  return { productIds, checks: buildCatalogContext(checksSpec), checksSpec, records, facts, products: getProductLabels(cx.db), names: new Map(), suggestions: new Map() };
});

/** Every product's ingredient ids in order (without "may contain"), for overlap measures. */
export function productLists(cx: ServiceContext): Map<number, number[]> {
  return cx.get(PRODUCT_LISTS);
}

/** Every product list in an overlap index (row i is product `productIds[i]`). */
export function overlapIndex(cx: ServiceContext): { productIds: number[]; index: OverlapIndex } {
  return cx.get(OVERLAP);
}

/**
 * The catalog index: every catalog list, the checks' precedence table, novelty index and length
 * range, every ingredient's record and facts, product names, and name resolutions and
 * suggestions as they are asked for. Rebuilt after an import or a knowledge-base edit.
 */
export function catalogIndex(cx: ServiceContext): CatalogIndex {
  return cx.get(INDEX);
}

/** A name's ingredient id in the index (null: unknown) and how it was matched (see {@link resolveIngredientName}). */
export interface IndexedName {
  id: number | null;
  matchedBy: IngredientLookup['matchedBy'];
}

/** An ingredient name's id in the index (null: unknown) and how it matched, memoised per catalog state. */
export function resolveIndexedName(cx: ServiceContext, index: CatalogIndex, name: string): IndexedName {
  const cached = index.names.get(name);
  if (cached !== undefined) return cached;
  const { id, matchedBy } = resolveIngredientName(cx, name);
  const known: IndexedName = id !== null && index.records.has(id) ? { id, matchedBy } : { id: null, matchedBy: null };
  index.names.set(name, known);
  return known;
}

/** Ingredient-id groups not to combine (resources/knowledge/incompatibilities.json read through the lexicon), with reasons. */
export function incompatibleGroups(cx: ServiceContext): { a: number[]; b: number[]; reason: string }[] {
  const lexicon = cx.lexicon();
  const idOf = (name: string) => lexicon.lookup(name)?.id;
  return loadIncompatibilities(incompatibilitiesPath(cx.options.resourcesDir), (name) => lexicon.lookup(name)?.inci ?? null).map((p) => ({
    a: p.a.map(idOf).filter((x): x is number => x !== undefined),
    b: p.b.map(idOf).filter((x): x is number => x !== undefined),
    reason: p.reason,
  }));
}

/** What the checks need to know about an ingredient. */
export function ingredientFacts(r: IngredientRecord): IngredientFacts {
  return { name: r.inci, functions: r.functions, concentration: r.concentration };
}
