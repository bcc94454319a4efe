import type { Database } from 'better-sqlite3';
import {
  ApiFailure,
  type Api,
  type ApiArgs,
  type AppStatus,
  type ImportReport,
  type IngredientLookup,
  type ProductPage,
  parseApiArgs,
} from '../../shared/contract';
import type { CatalogSummary, IngredientRecord, ProductDetail } from '../../shared/domain';
import { IngredientLexicon, type LexiconEntry } from '../../shared/inci/lexicon';
import { parseInciDeclaration } from '../../shared/inci/parse';
import { openDatabase } from '../db/connection';
import {
  findIngredientIdByKey,
  getIngredientRecords,
  getLexiconEntries,
  searchIngredients,
  syncKnowledgeBase,
  upsertIngredient,
} from '../db/queries/ingredients';
import { countProductsWithIngredient, countRows, getProduct, listCatalogs, listCategories, listProducts } from '../db/queries/products';
import { ImportError, importCatalog, type ImportProgress } from '../import/importer';
import { loadKnowledgeFile } from '../inci/knowledge';
import { knowledgeBasePath, sampleCatalogPath } from '../resources';
import { ingredientKey } from '../../shared/inci/key';

export interface ServiceOptions {
  databasePath: string;
  resourcesDir: string;
  appVersion?: string;
  onImportProgress?: (progress: ImportProgress) => void;
}

/**
 * The application: one object implementing the API contract over the database and the
 * knowledge base. The Electron IPC layer, the web preview and the CLI all call this.
 * Every public method validates its argument, so it is safe behind any transport.
 */
export class FormulatorService implements Api {
  private writeQueue: Promise<unknown> = Promise.resolve();
  private lexiconEntries: LexiconEntry[] | null = null;

  private constructor(
    readonly db: Database,
    private readonly options: ServiceOptions,
    private readonly schemaVersion: number,
  ) {}

  /** Opens the database (migrating it), and loads the shipped knowledge base if it changed. */
  static async open(options: ServiceOptions): Promise<FormulatorService> {
    const opened = await openDatabase(options.databasePath);
    try {
      const kb = loadKnowledgeFile(knowledgeBasePath(options.resourcesDir));
      syncKnowledgeBase(opened.db, kb);
    } catch (error) {
      opened.db.close();
      throw error;
    }
    return new FormulatorService(opened.db, options, opened.schemaVersion);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Serialises writes: an import's transaction spans awaits, so nothing else may write meanwhile. */
  private exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.writeQueue.then(fn, fn);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  private lexicon(): LexiconEntry[] {
    this.lexiconEntries ??= getLexiconEntries(this.db);
    return this.lexiconEntries;
  }

  async getStatus(): Promise<AppStatus> {
    const counts = countRows(this.db);
    return {
      databasePath: this.options.databasePath,
      schemaVersion: this.schemaVersion,
      productCount: counts.products,
      catalogCount: counts.catalogs,
      ingredientCount: counts.ingredients,
      knowledgeBaseEntries: counts.knowledge,
      empty: counts.products === 0,
      appVersion: this.options.appVersion ?? '0.0.0',
    };
  }

  async listCatalogs(): Promise<CatalogSummary[]> {
    return listCatalogs(this.db);
  }

  async listProducts(args: ApiArgs['listProducts']): Promise<ProductPage> {
    return listProducts(this.db, parseApiArgs('listProducts', args));
  }

  async listCategories(): Promise<{ category: string; count: number }[]> {
    return listCategories(this.db);
  }

  async getProduct(args: ApiArgs['getProduct']): Promise<ProductDetail> {
    const { id } = parseApiArgs('getProduct', args);
    const product = getProduct(this.db, id);
    if (!product) throw new ApiFailure('not-found', `there is no product with id ${id}`);
    return product;
  }

  async lookupIngredient(args: ApiArgs['lookupIngredient']): Promise<IngredientLookup> {
    const { name } = parseApiArgs('lookupIngredient', args);
    const lexicon = new IngredientLexicon(this.lexicon());
    const direct = lexicon.lookup(name);
    let id: number | null = direct?.id ?? null;
    let matchedBy: IngredientLookup['matchedBy'] = direct?.kind ?? null;
    if (id === null) {
      const parsed = parseInciDeclaration(name, lexicon);
      const only = parsed.ok && parsed.ingredients.length === 1 ? parsed.ingredients[0]! : null;
      if (only?.ingredientId) {
        id = only.ingredientId;
        matchedBy = 'parsed';
      } else {
        id = findIngredientIdByKey(this.db, only?.key ?? ingredientKey(name));
        if (id !== null) matchedBy = 'canonical';
      }
    }
    const match = id !== null ? (getIngredientRecords(this.db, [id])[0] ?? null) : null;
    const suggestions: string[] = [];
    if (!match || match.origin === 'catalog') {
      const near = lexicon.suggest(name);
      if (near) suggestions.push(near.inci);
      for (const r of searchIngredients(this.db, name, 5)) if (r.origin !== 'catalog' && !suggestions.includes(r.inci)) suggestions.push(r.inci);
    }
    return { query: name, match, matchedBy, suggestions, productCount: match ? countProductsWithIngredient(this.db, match.id) : 0 };
  }

  async searchIngredients(args: ApiArgs['searchIngredients']): Promise<IngredientRecord[]> {
    const { query, limit } = parseApiArgs('searchIngredients', args);
    return searchIngredients(this.db, query, limit);
  }

  async saveIngredient(args: ApiArgs['saveIngredient']): Promise<IngredientRecord> {
    const { id, ...input } = parseApiArgs('saveIngredient', args);
    return this.exclusive(() => {
      if (id !== undefined && getIngredientRecords(this.db, [id]).length === 0) {
        throw new ApiFailure('not-found', `there is no ingredient with id ${id}`);
      }
      const clash = findIngredientIdByKey(this.db, ingredientKey(input.inci));
      if (clash !== null && clash !== id) {
        const other = getIngredientRecords(this.db, [clash])[0]!;
        if (other.origin !== 'catalog' && id !== undefined) {
          throw new ApiFailure('conflict', `the name "${input.inci}" already belongs to "${other.inci}" (id ${other.id}); edit that entry instead`);
        }
      }
      const savedId = this.db.transaction(() => upsertIngredient(this.db, input, 'user', id ?? clash ?? undefined)).immediate();
      this.lexiconEntries = null;
      return getIngredientRecords(this.db, [savedId])[0]!;
    });
  }

  async importCatalog(args: ApiArgs['importCatalog']): Promise<ImportReport> {
    const parsed = parseApiArgs('importCatalog', args);
    try {
      return await importCatalog(
        this.db,
        this.lexicon(),
        { ...parsed, onProgress: this.options.onImportProgress },
        (fn) => this.exclusive(fn),
      );
    } catch (error) {
      if (error instanceof ImportError) throw new ApiFailure('import-failed', error.message);
      throw error;
    }
  }

  async loadSampleCatalog(args?: ApiArgs['loadSampleCatalog']): Promise<ImportReport> {
    const { duplicates } = parseApiArgs('loadSampleCatalog', args);
    return importCatalog(
      this.db,
      this.lexicon(),
      {
        path: sampleCatalogPath(this.options.resourcesDir),
        format: 'json',
        duplicates,
        catalogName: 'Sample catalog (illustrative formulations)',
        illustrative: true,
        onProgress: this.options.onImportProgress,
      },
      (fn) => this.exclusive(fn),
    );
  }
}
