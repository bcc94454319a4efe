import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ApiFailure, type CatalogDeletion } from '../../shared/api';
import type { CatalogSummary } from '../../shared/domain';
import { countCatalogRemoval, countRows, deleteCatalogRows, getCatalog, renameCatalog, type CatalogRemoval } from '../db/queries/products';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';

/**
 * Managing the catalogs themselves (part of the catalog capability): renaming one, and deleting
 * one after a checked backup. Models trained on a deleted catalog keep their folder and say the
 * catalog is gone; `latentSpace` then codes the remaining catalogs' products for them.
 */
export const catalogManagementHandlers: HandlersOf<'renameCatalog' | 'deleteCatalog'> = {
  async renameCatalog(cx, { id, name }) {
    return cx.exclusive(() => {
      if (!renameCatalog(cx.db, id, name)) throw noCatalog(id);
      cx.invalidate('catalog');
      return getCatalog(cx.db, id)!;
    });
  },

  /**
   * Refused while a long operation runs (a training or generate run would land on products that
   * are gone). The backup is written and checked (it must open, pass quick_check and hold the
   * products counted now) before anything is deleted; if it fails, nothing is deleted.
   */
  async deleteCatalog(cx, { id, dryRun }) {
    return cx.exclusive(async () => {
      const catalog = getCatalog(cx.db, id);
      if (!catalog) throw noCatalog(id);
      if (dryRun) return deletion(cx, catalog, countCatalogRemoval(cx.db, id), null);
      const running = cx.activity.state().running;
      if (running.length) throw new ApiFailure('busy', `"${running[0]!.label}" is still running; wait for it to finish or cancel it, then delete the catalog`);
      const products = countRows(cx.db).products;
      const backup = await cx.care.backup(cx.db, 'manual');
      if (!backup.readable || backup.products !== products) {
        throw new ApiFailure('backup-failed', `the backup ${backup.file} taken before deleting catalog ${id} did not check out (${backup.readable ? `it holds ${backup.products ?? 'no'} products, expected ${products}` : 'it does not pass quick_check'}); the catalog was not deleted`);
      }
      try {
        const at = new Date().toISOString();
        const database = cx.workerDatabase();
        const removal = database ? await cx.imports.deleteCatalog(database, id, at) : await deleteCatalogRows(cx.db, id, at, () => yieldToEventLoop());
        return deletion(cx, catalog, removal, backup);
      } finally {
        // The catalog's products are gone (or, rolled back, all there): drop what was built from them.
        cx.invalidate('catalog');
      }
    });
  },
};

function deletion(cx: ServiceContext, catalog: CatalogSummary, r: CatalogRemoval, backup: CatalogDeletion['backup']): CatalogDeletion {
  const remaining = countRows(cx.db).catalogs;
  return {
    catalog,
    dryRun: backup === null,
    backup,
    removed: { products: r.products, ingredientRows: r.ingredientRows, benefitScores: r.benefitScores, productCodes: r.productCodes },
    labResultsUnlinked: r.labResultsUnlinked,
    models: r.models,
    remainingCatalogs: backup === null ? remaining - 1 : remaining,
  };
}

function noCatalog(id: number): ApiFailure {
  return new ApiFailure('not-found', `there is no catalog with id ${id}; list them with listCatalogs (on the command line: catalog sources)`);
}
