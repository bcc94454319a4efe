import { buildCatalogContext, catalogKey, type CatalogContext, type CatalogContextSpec } from '../generate/kernels';
import { ContextCache } from './shared-work';

/** The checks' catalog tables for optimisation and BO proposals, kept while the catalog is the same. */
const contexts = new ContextCache();

/** The generate job's checks' tables for a catalog, built once per catalog (on this thread only). */
export function catalogChecks(spec: CatalogContextSpec): CatalogContext {
  const key = catalogKey(spec.catalogLists, spec.facts.length);
  const cached = contexts.get(key);
  if (cached) return cached;
  const context = buildCatalogContext(spec);
  contexts.set(key, context);
  return context;
}
