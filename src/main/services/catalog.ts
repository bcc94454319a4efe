import { ApiFailure, type ImportReport } from '../../shared/api';
import { ingredientKey } from '../../shared/inci/key';
import { BUSY_RETRY_MS } from '../db/busy';
import { getActiveModel } from '../db/queries/models';
import { findIngredientIdByKey, getIngredientRecords, searchIngredients, upsertIngredient } from '../db/queries/ingredients';
import { countProductsWithIngredient, countRows, getProduct, listBrands, listCatalogs, listCategories, listProducts } from '../db/queries/products';
import { ImportError } from '../import/catalog-file';
import { importCatalog, type ImportOptions } from '../import/importer';
import { previewCatalogFile } from '../import/preview';
import { sampleCatalogPath } from '../resources';
import { productsMeetingBrief, resolveBrief } from './briefs';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { ingredientSuggestions, resolveIngredientName } from './ingredient-names';

/** The catalog capability: the app's status, catalogs and products, imports, and the ingredient knowledge base. */
export const catalogHandlers: HandlersOf<'getStatus' | 'listCatalogs' | 'listProducts' | 'listCategories' | 'listBrands' | 'getProduct' | 'lookupIngredient' | 'searchIngredients' | 'saveIngredient' | 'importCatalog' | 'chooseImportFile' | 'previewImport' | 'loadSampleCatalog'> = {
  async getStatus(cx) {
    const counts = countRows(cx.db);
    const model = getActiveModel(cx.db);
    return {
      activeModel: model ? { id: model.id, name: model.name, backend: model.backend, heldOutJaccard: model.metrics.heldOut.jaccard } : null,
      databasePath: cx.options.databasePath,
      schemaVersion: cx.schemaVersion,
      productCount: counts.products,
      catalogCount: counts.catalogs,
      ingredientCount: counts.ingredients,
      knowledgeBaseEntries: counts.knowledge,
      empty: counts.products === 0,
      appVersion: cx.options.appVersion ?? '0.0.0',
      busyTimeoutMs: cx.db.pragma('busy_timeout', { simple: true }) as number,
      busyRetryMs: cx.options.busyRetryMs ?? BUSY_RETRY_MS,
    };
  },

  async listCatalogs(cx) {
    return listCatalogs(cx.db);
  },

  async listProducts(cx, { brief, briefRules, ...filter }) {
    const applied = resolveBrief(cx, brief, briefRules);
    return listProducts(cx.db, applied ? { ...filter, ids: [...productsMeetingBrief(cx, applied)] } : filter);
  },

  async listCategories(cx) {
    return listCategories(cx.db);
  },

  async listBrands(cx) {
    return listBrands(cx.db);
  },

  async getProduct(cx, { id }) {
    const product = getProduct(cx.db, id);
    if (!product) throw new ApiFailure('not-found', `there is no product with id ${id}`);
    return product;
  },

  async lookupIngredient(cx, { name }) {
    const { id, matchedBy } = resolveIngredientName(cx, name);
    const match = id !== null ? (getIngredientRecords(cx.db, [id])[0] ?? null) : null;
    const suggestions = !match || match.origin === 'catalog' ? ingredientSuggestions(cx, name) : [];
    return { query: name, match, matchedBy, suggestions, productCount: match ? countProductsWithIngredient(cx.db, match.id) : 0 };
  },

  async searchIngredients(cx, { query, limit }) {
    return searchIngredients(cx.db, query, limit);
  },

  async saveIngredient(cx, { id, ...input }) {
    return cx.exclusive(() => {
      if (id !== undefined && getIngredientRecords(cx.db, [id]).length === 0) {
        throw new ApiFailure('not-found', `there is no ingredient with id ${id}`);
      }
      const clash = findIngredientIdByKey(cx.db, ingredientKey(input.inci));
      if (clash !== null && clash !== id) {
        const other = getIngredientRecords(cx.db, [clash])[0]!;
        if (other.origin !== 'catalog' && id !== undefined) {
          throw new ApiFailure('conflict', `the name "${input.inci}" already belongs to "${other.inci}" (id ${other.id}); edit that entry instead`);
        }
      }
      const savedId = cx.db.transaction(() => upsertIngredient(cx.db, input, 'user', id ?? clash ?? undefined)).immediate();
      cx.invalidate('ingredients');
      return getIngredientRecords(cx.db, [savedId])[0]!;
    });
  },

  async importCatalog(cx, options) {
    return runImport(cx, options);
  },

  /** The services have no window: the desktop shell (and the preview's test hook) answer this. */
  async chooseImportFile() {
    throw new ApiFailure('unsupported', 'choosing a file needs the desktop app; give the path of the file instead');
  },

  async previewImport(cx, options) {
    try {
      const database = cx.workerDatabase();
      return await (database ? cx.imports.preview(database, options) : previewCatalogFile(options, cx.lexicon()));
    } catch (error) {
      throw importFailure(error);
    }
  },

  async loadSampleCatalog(cx, { duplicates }) {
    return runImport(cx, {
      path: sampleCatalogPath(cx.options.resourcesDir),
      format: 'json',
      duplicates,
      catalogName: 'Sample catalog (illustrative formulations)',
      illustrative: true,
    });
  },
};

/**
 * Every import goes through here: serialised with the app's other writes, run off the main
 * thread on its own connection (see off-thread.ts), caches cleared afterwards.
 */
async function runImport(cx: ServiceContext, options: Omit<ImportOptions, 'onProgress'>): Promise<ImportReport> {
  const withProgress: ImportOptions = { ...options, onProgress: cx.options.onImportProgress };
  try {
    const database = cx.workerDatabase();
    if (!database) return await importCatalog(cx.db, cx.lexicon(), withProgress, (fn) => cx.exclusive(fn));
    return await cx.exclusive(() => cx.imports.run(database, withProgress));
  } catch (error) {
    throw importFailure(error);
  } finally {
    cx.invalidate('catalog');
  }
}

/** An import's own error as the API's `import-failed`; anything else as it is. */
function importFailure(error: unknown): unknown {
  return error instanceof ImportError ? new ApiFailure('import-failed', error.message) : error;
}
