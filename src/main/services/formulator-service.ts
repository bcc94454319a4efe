import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import {
  ApiFailure,
  type Api,
  type ApiArgs,
  type ActivityState,
  type ImportPreview,
  type AppStatus,
  type CandidateComparison,
  type CandidateDetail,
  type CandidatePage,
  type CandidateSummary,
  type OptimizationResult,
  type BatchProposalResult,
  type LabProperty,
  type LabResult,
  type LabResultPage,
  type DecodedLists,
  type DeletedCandidate,
  type EncodedLists,
  type ImportReport,
  type IngredientLookup,
  type InterpolationResult,
  type LatentMap,
  type LatentStatisticsView,
  type MapGenerated,
  type MapProducts,
  type ProjectedCodes,
  type NeighbourEntry,
  type NeighboursResult,
  type DensityResult,
  type EditorSource,
  type GenerateReport,
  type ListScore,
  type ParsedDeclarationView,
  type ScoredIngredient,
  type CandidateProvenance,
  type GeneratedCandidatePage,
  type GeneratedCandidateView,
  type ProductPage,
  type SensitivityReport,
  type WhitespaceResult,
  type DatabaseBackup,
  type DatabaseRecovery,
  type DatabaseStatus,
  type RestoredBackup,
  MAX_CANDIDATE_INGREDIENTS,
  candidateProvenanceSchema,
  parseApiArgs,
} from '../../shared/contract';
import { candidatesToCsv, diffOrderedLists, labResultsToCsv } from '../../shared/candidates';
import { AtomicWriteError, writeFileAtomically } from '../atomic-file';
import {
  deleteCandidate,
  findMissingIngredientIds,
  getAllCandidateIds,
  getCandidateDetail,
  getCandidateSummaries,
  listCandidates,
  saveCandidateVersion,
  updateCandidateMetadata,
  type CandidateMetadata,
  type NewCandidateVersion,
} from '../db/queries/candidates';
import { getGeneratedCandidate, getRunCandidates, type StoredGeneratedCandidate } from '../db/queries/generation';
import { pageGeneratedCandidates } from '../../shared/generated';
import type { CatalogSummary, IngredientRecord, ModelRecord, ProductDetail } from '../../shared/domain';
import { ComputeError, ComputeHost, type ChannelFactory, type RunOptions } from '../compute/host';
import { ActivityTracker } from './activity';
import type { DecodeResult, EncodeResult, GapsResult, KdeResult, OptimizeResult, PredictResult, ProposeResult, ScoreListsResult, SensitivityResult, TrainResult, UmapResult } from '../compute/protocol';
import type { GenerateOutcome } from '../generate/job';
import { orderingPlausibility, orderingWarnings, structuralChecks, type IngredientFacts } from '../../shared/ml/checks';
import { buildCatalogContext, checkCandidate, type CatalogContext, type CatalogContextSpec } from '../generate/kernels';
import { inverseLowerTriangular, jitteredStarts, nearestOtherDistances, randomStarts, resolveTerms } from '../optimize/plan';
import type { ManifoldGuard } from '../optimize/gradient';
import { quantile, targetsVerdict } from '../../shared/ml/objective';
import { interpolationPath } from '../../shared/ml/interpolate';
import { getActiveModel, getModel, getModelVocabulary, getProductCodes, insertModel, listModelFolders, listModels, setActiveModel, type ProductCodes, type StoredModel } from '../db/queries/models';
import { distancesFrom, kernelCount, latentStatistics, projectPca, scottBandwidth, whiten, type LatentStatistics } from '../../shared/ml/latent';
import { OverlapIndex, compareLists } from '../../shared/ml/overlap';
import { presetConfig } from '../ml/config';
import { loadTrainingData } from '../ml/dataset';
import { refreshKnowledgeScores } from '../ml/knowledge-scores';
import { ModelFileError, loadModel, sweepModelStore } from '../ml/store';
import { trainabilityProblem } from '../ml/train';
import { IngredientLexicon } from '../../shared/inci/lexicon';
import { parseInciDeclaration } from '../../shared/inci/parse';
import { openDatabase, type OpenedDatabase } from '../db/connection';
import { openCheckedDatabase } from '../db/quarantine';
import { DEFAULT_BACKUP_POLICY, DatabaseCare, type BackupPolicy, type StartupReport } from './database';
import {
  findIngredientIdByKey,
  getIngredientRecords,
  getLexiconEntries,
  searchIngredients,
  syncKnowledgeBase,
  upsertIngredient,
} from '../db/queries/ingredients';
import { countProductsWithIngredient, countRows, getProduct, listBrands, listCatalogs, listCategories, listProducts } from '../db/queries/products';
import { ImportError, importCatalog, previewCatalogFile, type ImportOptions, type ImportProgress } from '../import/importer';
import { loadIncompatibilities, loadKnowledgeFile } from '../inci/knowledge';
import { incompatibilitiesPath, knowledgeBasePath, sampleCatalogPath } from '../resources';
import { ingredientKey } from '../../shared/inci/key';
import { deleteLabResult, getLabResult, insertLabResult, labProperties, listLabResults, recordedSpelling, updateLabResult, type StoredLabResult } from '../db/queries/lab-results';

/** What scoring a list for the editor needs from the catalog (see `FormulatorService.editorContext`). */
interface EditorContext {
  /** The product lists this context was built from (its identity says whether it is current). */
  lists: Map<number, number[]>;
  /** Product id of each row of the novelty index. */
  productIds: number[];
  checks: CatalogContext;
  /** What `checks` was built from, for the compute process to build the same (optimisation). */
  checksSpec: CatalogContextSpec;
  records: Map<number, IngredientRecord>;
  facts: Map<number, IngredientFacts>;
  products: Map<number, { name: string; brand: string }>;
  /** Name → ingredient id (null: unknown) and name → suggestions, filled as names are asked for. */
  names: Map<string, number | null>;
  suggestions: Map<string, string[]>;
}

export interface ServiceOptions {
  databasePath: string;
  resourcesDir: string;
  appVersion?: string;
  onImportProgress?: (progress: ImportProgress) => void;
  /** How to start the compute process (Electron passes a utilityProcess channel). */
  computeChannel?: ChannelFactory;
  /** Rolling backups: how many are kept and how often (see `DEFAULT_BACKUP_POLICY`). */
  backups?: Partial<BackupPolicy>;
}

/**
 * The application: one object implementing the API contract over the database and the
 * knowledge base. The Electron IPC layer, the web preview and the CLI all call this.
 * Every public method validates its argument, so it is safe behind any transport.
 */
export class FormulatorService implements Api {
  private writeQueue: Promise<unknown> = Promise.resolve();
  /** The knowledge base's name index, rebuilt only when an ingredient is saved (~17 ms to build). */
  private lexiconCache: IngredientLexicon | null = null;
  /** Every product's ingredient ids in order, cleared whenever an import or a save may change them. */
  private productListsCache: Map<number, number[]> | null = null;
  /**
   * The last browsed generation run's candidates with names resolved (runs never change; names
   * may, so it is cleared with the product lists): paging and re-sorting then only sort.
   */
  private runViewsCache: { runId: number; views: GeneratedCandidateView[] } | null = null;
  /** Long operations in progress, for progress bars and Cancel. */
  private readonly activity = new ActivityTracker();
  /** The editor's catalog-derived scoring context (see `editorContext`). */
  private editorCache: EditorContext | null = null;
  /** Codes and predicted benefits of lists scored for the editor, by model and list, least recently used first. */
  private readonly listScoreCache = new Map<string, { code: number[]; benefits: Record<string, number> }>();
  private vocabularyCache: { modelId: number; ids: ReadonlySet<number> } | null = null;
  private overlapCache: { lists: Map<number, number[]>; productIds: number[]; index: OverlapIndex } | null = null;

  /** Backups, the quarantine's follow-up and restores of this database file. */
  private readonly care: DatabaseCare;
  private backupTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private database: Database,
    private readonly options: ServiceOptions,
    private schemaVersion: number,
    /** What the start-up check found and did (the CLI and the desktop shell report it). */
    readonly startup: StartupReport,
  ) {
    this.care = new DatabaseCare(options.databasePath, { ...DEFAULT_BACKUP_POLICY, ...options.backups });
  }

  /** The open connection (a restore replaces it). */
  get db(): Database {
    return this.database;
  }

  /**
   * Opens the database: an existing file is checked first and, when damaged, moved into the
   * quarantine and replaced by a new empty one (see `openCheckedDatabase`); then migrated, the
   * shipped knowledge base loaded if it changed, and a rolling backup taken when one is due.
   */
  static async open(options: ServiceOptions): Promise<FormulatorService> {
    const checked = await openCheckedDatabase(options.databasePath);
    const opened = checked.opened;
    FormulatorService.loadKnowledgeBase(opened, options);
    const service = new FormulatorService(opened.db, options, opened.schemaVersion, { check: checked.check, quarantined: checked.quarantined, backup: null });
    service.modelStoreSweep = sweepModelStore(service.modelsDir, new Set(listModelFolders(opened.db)));
    if (!checked.quarantined) service.startup.backup = await service.care.atStartup(opened.db, checked.modifiedMs);
    return service;
  }

  /** Syncs the shipped knowledge base into a just-opened database (closing it on failure). */
  private static loadKnowledgeBase(opened: OpenedDatabase, options: ServiceOptions): void {
    try {
      const kb = loadKnowledgeFile(knowledgeBasePath(options.resourcesDir));
      syncKnowledgeBase(opened.db, kb);
    } catch (error) {
      opened.db.close();
      throw error;
    }
  }

  /** What the start-up tidy of the model store found (partial saves removed, unrecorded folders kept). */
  modelStoreSweep: { removedPartial: string[]; unrecorded: string[] } = { removedPartial: [], unrecorded: [] };

  private computeHost: ComputeHost | null = null;
  /** The active model's catalog codes and their statistics, rebuilt when the active model changes. */
  private space: {
    modelId: number;
    codes: ProductCodes;
    stats: LatentStatistics;
    whitened: Float64Array;
    /** Leave-one-out catalog log densities by bandwidth, computed in the compute process. */
    catalogDensity: Map<number, Float32Array>;
  } | null = null;

  /** The active model's catalog predictions per benefit and nearest-code distances, for optimisation. */
  private optimizeBasis: { modelId: number; predictions: Map<string, number[]>; nearest: Float64Array } | null = null;

  /** The compute process, started on first use. */
  get compute(): ComputeHost {
    this.computeHost ??= new ComputeHost(this.options.computeChannel);
    return this.computeHost;
  }

  /** Where model folders live: beside the database. */
  get modelsDir(): string {
    return join(dirname(this.options.databasePath), 'models');
  }

  close(): void {
    if (this.backupTimer) clearInterval(this.backupTimer);
    this.backupTimer = null;
    void this.computeHost?.close();
    if (this.db.open) this.db.close();
  }

  /**
   * Takes a rolling backup every `intervalMs` while the data changes (the desktop app and the web
   * preview call this; the command line does not stay long enough). Failures are kept in
   * `getDatabaseStatus().lastBackup`; the timer never keeps the process alive.
   */
  startBackupSchedule(): void {
    if (this.backupTimer) return;
    this.backupTimer = setInterval(() => void this.rollingBackup().catch(() => undefined), this.care.policy.intervalMs);
    this.backupTimer.unref?.();
  }

  /** What the schedule runs: a rolling backup when the data changed since the last one; its file name, or null. */
  async rollingBackup(): Promise<string | null> {
    return this.exclusive(() => this.care.backupIfChanged(this.db));
  }

  async getDatabaseStatus(): Promise<DatabaseStatus> {
    return this.care.status();
  }

  async backupNow(): Promise<DatabaseBackup> {
    return this.exclusive(() => this.care.backup(this.db, 'manual'));
  }

  /** See `Api.restoreBackup`: refused while a long operation runs, since its results would land in the other database. */
  async restoreBackup(args: ApiArgs['restoreBackup']): Promise<RestoredBackup> {
    const { file } = parseApiArgs('restoreBackup', args);
    return this.exclusive(async () => {
      const running = this.activity.state().running;
      if (running.length) throw new ApiFailure('busy', `"${running[0]!.label}" is still running; wait for it to finish or cancel it, then restore the backup`);
      return this.care.restore(file, {
        close: () => this.db.close(),
        open: async () => {
          const opened = await openDatabase(this.options.databasePath);
          FormulatorService.loadKnowledgeBase(opened, this.options);
          this.database = opened.db;
          this.schemaVersion = opened.schemaVersion;
          this.dropDerivedState();
          return opened;
        },
      });
    });
  }

  /** The damaged database waiting for the person's decision, if any (cheap: no backup is opened). */
  pendingRecovery(): DatabaseRecovery | null {
    return this.care.recovery();
  }

  async dismissRecovery(): Promise<{ dismissed: number }> {
    return { dismissed: this.care.dismissRecovery() };
  }

  /**
   * Forgets everything built from the database (after a restore replaced it). The compute
   * process is stopped too, so none of its per-model caches outlive the data they came from.
   */
  private dropDerivedState(): void {
    this.lexiconCache = null;
    this.productListsCache = null;
    this.runViewsCache = null;
    this.editorCache = null;
    this.listScoreCache.clear();
    this.vocabularyCache = null;
    this.overlapCache = null;
    this.space = null;
    this.optimizeBasis = null;
    void this.computeHost?.close();
    this.computeHost = null;
  }

  /** Serialises writes: an import's transaction spans awaits, so nothing else may write meanwhile. */
  private exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.writeQueue.then(fn, fn);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  private lexicon(): IngredientLexicon {
    this.lexiconCache ??= new IngredientLexicon(getLexiconEntries(this.db));
    return this.lexiconCache;
  }

  async getActivity(): Promise<ActivityState> {
    return this.activity.state();
  }

  async cancelActivity(args: ApiArgs['cancelActivity']): Promise<{ cancelled: boolean }> {
    const { id } = parseApiArgs('cancelActivity', args);
    return { cancelled: this.activity.cancel(id) };
  }

  async getStatus(): Promise<AppStatus> {
    const counts = countRows(this.db);
    const model = getActiveModel(this.db);
    return {
      activeModel: model ? { id: model.id, name: model.name, backend: model.backend, heldOutJaccard: model.metrics.heldOut.jaccard } : null,
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

  async listBrands(): Promise<{ brand: string; count: number }[]> {
    return listBrands(this.db);
  }

  async getProduct(args: ApiArgs['getProduct']): Promise<ProductDetail> {
    const { id } = parseApiArgs('getProduct', args);
    const product = getProduct(this.db, id);
    if (!product) throw new ApiFailure('not-found', `there is no product with id ${id}`);
    return product;
  }

  async lookupIngredient(args: ApiArgs['lookupIngredient']): Promise<IngredientLookup> {
    const { name } = parseApiArgs('lookupIngredient', args);
    const { id, matchedBy } = this.resolveIngredientName(name);
    const match = id !== null ? (getIngredientRecords(this.db, [id])[0] ?? null) : null;
    const suggestions = !match || match.origin === 'catalog' ? this.ingredientSuggestions(name) : [];
    return { query: name, match, matchedBy, suggestions, productCount: match ? countProductsWithIngredient(this.db, match.id) : 0 };
  }

  /** Reads one ingredient name as an import would: the lexicon, then the declaration parser, then names seen only in catalogs. */
  private resolveIngredientName(name: string): { id: number | null; matchedBy: IngredientLookup['matchedBy'] } {
    const lexicon = this.lexicon();
    const direct = lexicon.lookup(name);
    if (direct) return { id: direct.id, matchedBy: direct.kind };
    const parsed = parseInciDeclaration(name, lexicon);
    const only = parsed.ok && parsed.ingredients.length === 1 ? parsed.ingredients[0]! : null;
    if (only?.ingredientId) return { id: only.ingredientId, matchedBy: 'parsed' };
    const id = findIngredientIdByKey(this.db, only?.key ?? ingredientKey(name));
    return { id, matchedBy: id !== null ? 'canonical' : null };
  }

  /** Knowledge-base names close to `name` ("did you mean …?"), never applied silently. */
  private ingredientSuggestions(name: string): string[] {
    const suggestions: string[] = [];
    const near = this.lexicon().suggest(name);
    if (near) suggestions.push(near.inci);
    for (const r of searchIngredients(this.db, name, 5)) if (r.origin !== 'catalog' && !suggestions.includes(r.inci)) suggestions.push(r.inci);
    return suggestions;
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
      this.lexiconCache = null;
      this.productListsCache = null;
      this.runViewsCache = null;
      return getIngredientRecords(this.db, [savedId])[0]!;
    });
  }

  async importCatalog(args: ApiArgs['importCatalog']): Promise<ImportReport> {
    return this.runImport(parseApiArgs('importCatalog', args));
  }

  /** The services have no window: the desktop shell (and the preview's test hook) answer this. */
  async chooseImportFile(): Promise<{ path: string } | null> {
    throw new ApiFailure('unsupported', 'choosing a file needs the desktop app; give the path of the file instead');
  }

  async previewImport(args: ApiArgs['previewImport']): Promise<ImportPreview> {
    const parsed = parseApiArgs('previewImport', args);
    try {
      return await previewCatalogFile(parsed);
    } catch (error) {
      if (error instanceof ImportError) throw new ApiFailure('import-failed', error.message);
      throw error;
    }
  }

  async loadSampleCatalog(args?: ApiArgs['loadSampleCatalog']): Promise<ImportReport> {
    const { duplicates } = parseApiArgs('loadSampleCatalog', args);
    return this.runImport({
      path: sampleCatalogPath(this.options.resourcesDir),
      format: 'json',
      duplicates,
      catalogName: 'Sample catalog (illustrative formulations)',
      illustrative: true,
    });
  }

  /** Every import goes through here: one lexicon, serialised writes, caches cleared afterwards. */
  private async runImport(options: Omit<ImportOptions, 'onProgress'>): Promise<ImportReport> {
    try {
      return await importCatalog(this.db, this.lexicon(), { ...options, onProgress: this.options.onImportProgress }, (fn) => this.exclusive(fn));
    } catch (error) {
      if (error instanceof ImportError) throw new ApiFailure('import-failed', error.message);
      throw error;
    } finally {
      this.productListsCache = null;
      this.runViewsCache = null;
    }
  }

  async listModels(): Promise<ModelRecord[]> {
    return listModels(this.db).map(publicModel);
  }

  async getModel(args: ApiArgs['getModel']): Promise<ModelRecord> {
    const { id } = parseApiArgs('getModel', args);
    return publicModel(this.requireModel(id));
  }

  /** Makes a model active after verifying its files; a corrupt one is refused and nothing changes. */
  async activateModel(args: ApiArgs['activateModel']): Promise<ModelRecord> {
    const { id } = parseApiArgs('activateModel', args);
    const model = this.requireModel(id);
    this.verifyModelFiles(model);
    await this.exclusive(() => setActiveModel(this.db, id));
    return publicModel({ ...model, active: true });
  }

  /**
   * Trains a model in the compute process on the current catalog (knowledge-based scores are
   * refreshed first), saves it atomically and records it; the new model becomes active unless
   * `activate` is false. `hooks` carries progress and cancellation for in-process callers.
   */
  async trainModel(args: ApiArgs['trainModel'], hooks: RunOptions = {}): Promise<ModelRecord> {
    const parsed = parseApiArgs('trainModel', args);
    await this.exclusive(() => refreshKnowledgeScores(this.db));
    const data = loadTrainingData(this.db, { catalogIds: parsed.catalogIds, benefitSources: parsed.benefitSources });
    const problem = trainabilityProblem(data);
    if (problem) throw new ApiFailure('untrainable', `cannot train: ${problem}`);
    const config = presetConfig(parsed.preset, { seed: parsed.seed });
    const createdAt = new Date();
    const folder = `model-${createdAt.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${parsed.seed}-${randomBytes(3).toString('hex')}`;
    let result: TrainResult;
    try {
      result = await this.activity.run('train', `Training a ${parsed.preset} model`, hooks, (tracked) =>
        this.compute.run<TrainResult>({ kind: 'train', data, config, preset: parsed.preset, modelsDir: this.modelsDir, folder }, tracked),
      );
    } catch (error) {
      throw asApiFailure(error);
    }
    const id = await this.exclusive(() =>
      insertModel(
        this.db,
        {
          name: parsed.name ?? `${parsed.preset} model, ${createdAt.toISOString().slice(0, 16).replace('T', ' ')}`,
          folder,
          manifestSha256: result.manifestSha256,
          createdAt: createdAt.toISOString(),
          preset: parsed.preset,
          seed: parsed.seed,
          backend: result.backend,
          trainMs: result.trainMs,
          epochs: result.epochs,
          vocabularyHash: result.vocabularyHash,
          vocabularySize: result.vocabularySize,
          config: { ...config },
          metrics: result.metrics,
          snapshot: data.snapshot,
        },
        result.vocabulary,
        parsed.activate || getActiveModel(this.db) === null,
        { productIds: result.productIds, codes: result.codes, latentDim: result.latentDim },
      ),
    );
    return publicModel(this.requireModel(id));
  }

  /** Latent means of declarations and/or catalog products under the active model. */
  async encodeLists(args: ApiArgs['encodeLists']): Promise<EncodedLists> {
    const parsed = parseApiArgs('encodeLists', args);
    const model = this.requireActiveModel();
    const lexicon = this.lexicon();
    const lists: number[][] = [];
    for (const [i, text] of (parsed.declarations ?? []).entries()) {
      const result = parseInciDeclaration(text, lexicon);
      if (!result.ok) throw new ApiFailure('invalid-argument', `declaration ${i + 1}: ${result.reason}`);
      lists.push(result.ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId ?? findIngredientIdByKey(this.db, x.key) ?? -1));
    }
    for (const id of parsed.productIds ?? []) {
      const product = getProduct(this.db, id);
      if (!product) throw new ApiFailure('not-found', `there is no product with id ${id}`);
      lists.push(product.ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId));
    }
    try {
      const result = await this.compute.run<EncodeResult>({ kind: 'encode', modelPath: join(this.modelsDir, model.folder), manifestSha256: model.manifestSha256, lists });
      return { modelId: model.id, codes: result.codes, unknownCounts: result.unknown };
    } catch (error) {
      throw asApiFailure(error);
    }
  }

  /** The most likely ingredient list of each latent code under the active model. */
  async decodeCodes(args: ApiArgs['decodeCodes']): Promise<DecodedLists> {
    const { codes } = parseApiArgs('decodeCodes', args);
    const model = this.requireActiveModel();
    try {
      const result = await this.compute.run<DecodeResult>({ kind: 'decode', modelPath: join(this.modelsDir, model.folder), manifestSha256: model.manifestSha256, codes });
      const ids = [...new Set(result.lists.flat())];
      const names = new Map(getIngredientRecords(this.db, ids).map((r) => [r.id, r.inci]));
      return { modelId: model.id, lists: result.lists.map((l) => ({ ingredients: l.map((id) => names.get(id) ?? `#${id}`) })) };
    } catch (error) {
      throw asApiFailure(error);
    }
  }

  /** The k nearest catalog products to a product or a typed list, in latent space and by overlap. */
  async neighbours(args: ApiArgs['neighbours']): Promise<NeighboursResult> {
    const { productId, declaration, candidate, k } = parseApiArgs('neighbours', args);
    const space = this.latentSpace();
    const D = space.codes.latentDim;
    let queryIds: number[];
    let queryCode: Float32Array;
    if (candidate) {
      const row = this.db
        .prepare(`SELECT c.ingredients, c.code, r.model_id AS modelId FROM generated_candidates c JOIN generation_runs r ON r.id = c.run_id WHERE c.run_id = ? AND c.rank = ?`)
        .get(candidate.runId, candidate.rank) as { ingredients: string; code: Buffer; modelId: number } | undefined;
      if (!row) throw new ApiFailure('not-found', `run ${candidate.runId} has no candidate ranked ${candidate.rank}`);
      if (row.modelId !== space.modelId) throw new ApiFailure('model-mismatch', `candidate ${candidate.rank} of run ${candidate.runId} was generated with model ${row.modelId}; activate it to compare in its latent space`);
      queryIds = JSON.parse(row.ingredients) as number[];
      queryCode = new Float32Array(row.code.buffer.slice(row.code.byteOffset, row.code.byteOffset + row.code.byteLength));
    } else if (productId !== undefined) {
      const product = getProduct(this.db, productId);
      if (!product) throw new ApiFailure('not-found', `there is no product with id ${productId}`);
      queryIds = product.ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId);
      const row = space.codes.productIds.indexOf(productId);
      queryCode = row >= 0 ? space.codes.codes.slice(row * D, (row + 1) * D) : Float32Array.from((await this.encodeLists({ productIds: [productId] })).codes[0]!);
    } else {
      const encoded = await this.encodeLists({ declarations: [declaration!] });
      const parsed = parseInciDeclaration(declaration!, this.lexicon());
      queryIds = parsed.ok ? parsed.ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId ?? findIngredientIdByKey(this.db, x.key) ?? -1) : [];
      queryCode = Float32Array.from(encoded.codes[0]!);
    }
    const near = this.nearestProducts(queryIds, whiten(queryCode, 1, space.stats), k, productId);
    return {
      modelId: space.modelId,
      query: { productId: productId ?? null, ingredients: near.label(queryIds) },
      byLatent: near.byLatent!,
      byOverlap: near.byOverlap,
    };
  }

  /**
   * The k catalog products nearest to a list: by distance between whitened latent codes (when
   * the list's whitened code is given; the active model's space) and by position-weighted
   * ingredient overlap, each with the ingredients shared and those only on one side. Ids absent
   * from the database (negative placeholders) are named by `queryNames`.
   */
  private nearestProducts(
    queryIds: readonly number[],
    whitenedQuery: Float64Array | null,
    k: number,
    excludeProductId?: number,
    queryNames: ReadonlyMap<number, string> = new Map(),
  ): { byLatent: NeighbourEntry[] | null; byOverlap: NeighbourEntry[]; label: (ids: readonly number[]) => string[] } {
    const lists = this.productLists();
    let distanceOf: Map<number, number> | null = null;
    let byDistance: { id: number; d: number }[] | null = null;
    if (whitenedQuery) {
      const space = this.latentSpace();
      const distances = distancesFrom(whitenedQuery, space.whitened, space.codes.productIds.length, space.codes.latentDim);
      distanceOf = new Map(space.codes.productIds.map((id, i) => [id, distances[i]!]));
      byDistance = space.codes.productIds
        .map((id, i) => ({ id, d: distances[i]! }))
        .filter((x) => x.id !== excludeProductId)
        .sort((a, b) => a.d - b.d || a.id - b.id)
        .slice(0, k);
    }
    const overlap = this.overlapIndex();
    const weighted = overlap.index.weightedJaccards(queryIds);
    const byOverlap = overlap.productIds
      .map((id, row) => ({ id, w: weighted[row]! }))
      .filter((x) => x.id !== excludeProductId)
      .sort((a, b) => b.w - a.w || a.id - b.id)
      .slice(0, k);
    // Names only for what is shown: the query and the chosen products' lists.
    const shownIds = new Set([...queryIds, ...[...(byDistance ?? []), ...byOverlap].flatMap((x) => lists.get(x.id) ?? [])]);
    const names = new Map(getIngredientRecords(this.db, [...shownIds].filter((id) => id > 0)).map((r) => [r.id, r.inci]));
    const label = (ids: readonly number[]) => ids.map((id) => queryNames.get(id) ?? names.get(id) ?? 'unknown ingredient');
    const info = this.db.prepare(`SELECT name, brand FROM products WHERE id = ?`);
    const entry = (id: number, distance: number | null): NeighbourEntry => {
      const o = compareLists(queryIds, lists.get(id) ?? []);
      return { productId: id, ...(info.get(id) as { name: string; brand: string }), distance, jaccard: o.jaccard, weightedJaccard: o.weightedJaccard, shared: label(o.shared), onlyInQuery: label(o.onlyInFirst), onlyInProduct: label(o.onlyInSecond) };
    };
    return {
      byLatent: byDistance?.map((x) => entry(x.id, x.d)) ?? null,
      byOverlap: byOverlap.map((x) => entry(x.id, distanceOf?.get(x.id) ?? null)),
      label,
    };
  }

  /**
   * Density of the catalog in latent space: a Gaussian KDE on whitened codes, bandwidth by
   * Scott's rule unless given; the sparsest products are the outlier candidates.
   */
  async whitespace(args?: ApiArgs['whitespace']): Promise<WhitespaceResult> {
    const { k, bandwidth, bandwidthMethod, gaps: gapCount } = parseApiArgs('whitespace', args);
    const space = this.latentSpace();
    const n = space.codes.productIds.length;
    const D = space.codes.latentDim;
    const scott = scottBandwidth(kernelCount(n), D);
    let cv: { bandwidth: number; scores: { bandwidth: number; meanLogDensity: number }[] } | null = null;
    if (bandwidth === undefined && bandwidthMethod === 'cross-validation') {
      // Likelihood cross-validation: the grid bandwidth with the highest mean leave-one-out log density.
      const scores: { bandwidth: number; meanLogDensity: number }[] = [];
      for (const f of [0.5, 0.7, 1, 1.4, 2]) {
        const loo = await this.kde(space, f * scott);
        scores.push({ bandwidth: f * scott, meanLogDensity: loo.reduce((a, b) => a + b, 0) / n });
      }
      cv = { bandwidth: scores.reduce((a, b) => (b.meanLogDensity > a.meanLogDensity ? b : a)).bandwidth, scores };
    }
    const h = bandwidth ?? cv?.bandwidth ?? scott;
    const density = await this.kde(space, h);
    const sorted = Array.from(density).sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))]!;
    const order = Array.from(density.keys()).sort((a, b) => density[a]! - density[b]! || a - b).slice(0, k);
    const info = this.db.prepare(`SELECT name, brand FROM products WHERE id = ?`);
    let gaps: WhitespaceResult['gaps'] = [];
    if (gapCount > 0) {
      const model = this.requireActiveModel();
      let found: GapsResult;
      try {
        found = await this.compute.run<GapsResult>({ kind: 'gaps', modelPath: join(this.modelsDir, model.folder), manifestSha256: model.manifestSha256, catalogCodes: space.codes.codes, latentDim: D, neighbours: 10, count: gapCount });
      } catch (error) {
        throw asApiFailure(error);
      }
      const names = new Map(getIngredientRecords(this.db, [...new Set(found.gaps.flatMap((g) => g.ingredientIds))]).map((r) => [r.id, r.inci]));
      const product = (row: number) => {
        const productId = space.codes.productIds[row]!;
        return { productId, name: (info.get(productId) as { name: string }).name };
      };
      gaps = found.gaps.map((g) => ({
        between: [product(g.rowA), product(g.rowB)],
        midpointLogDensity: g.midpointLogDensity,
        depth: g.depth,
        ingredients: g.ingredientIds.map((id) => names.get(id) ?? `#${id}`),
        benefits: g.benefits,
      }));
    }
    return {
      gaps,
      modelId: space.modelId,
      products: n,
      bandwidth: h,
      bandwidthRule:
        bandwidth !== undefined
          ? 'given'
          : cv
            ? `likelihood cross-validation over 0.5–2 × Scott's value (${scott.toFixed(3)}), on whitened codes`
            : `Scott's rule on whitened codes, h = n^(-1/(d+4)) with n = ${kernelCount(n)}${kernelCount(n) < n ? ` (a seeded subset of the ${n} products carries the kernels)` : ''}, d = ${D}`,
      ...(cv ? { bandwidthScores: cv.scores } : {}),
      logDensityPercentiles: { p5: pct(0.05), p50: pct(0.5), p95: pct(0.95) },
      sparsest: order.map((i) => {
        const productId = space.codes.productIds[i]!;
        return { productId, ...(info.get(productId) as { name: string; brand: string }), logDensity: density[i]! };
      }),
    };
  }

  /** How crowded the latent space is at a product or a typed list, compared with the catalog. */
  async density(args: ApiArgs['density']): Promise<DensityResult> {
    const { productId, declaration } = parseApiArgs('density', args);
    const space = this.latentSpace();
    const n = space.codes.productIds.length;
    const D = space.codes.latentDim;
    const h = scottBandwidth(kernelCount(n), D);
    const catalog = await this.kde(space, h);
    const row = productId !== undefined ? space.codes.productIds.indexOf(productId) : -1;
    let logDensity: number;
    if (row >= 0) logDensity = catalog[row]!;
    else {
      const code = (await this.encodeLists(productId !== undefined ? { productIds: [productId] } : { declarations: [declaration!] })).codes[0]!;
      logDensity = (await this.kde(space, h, whiten(code, 1, space.stats)))[0]!;
    }
    const below = catalog.reduce((c, v, i) => c + (i !== row && v < logDensity ? 1 : 0), 0);
    return { modelId: space.modelId, logDensity, percentile: below / Math.max(1, n - (row >= 0 ? 1 : 0)), bandwidth: h };
  }

  /** 2-D coordinates of every coded catalog product: principal components, or a seeded UMAP. */
  async latentMap(args?: ApiArgs['latentMap']): Promise<LatentMap> {
    const { method, components, seed } = parseApiArgs('latentMap', args);
    const space = this.latentSpace();
    const D = space.codes.latentDim;
    const n = space.codes.productIds.length;
    let xy: Float32Array;
    if (method === 'umap') {
      xy = (await this.umapOf(space, seed)).points;
    } else {
      if (components.some((c) => c >= D)) throw new ApiFailure('invalid-argument', `this model has ${D} latent dimensions; components must be below ${D}`);
      xy = projectPca(space.codes.codes, n, space.stats, components);
    }
    return {
      modelId: space.modelId,
      method,
      components: method === 'pca' ? components : null,
      explained: method === 'pca' ? [space.stats.explained[components[0]]!, space.stats.explained[components[1]]!] : null,
      points: space.codes.productIds.map((productId, i) => ({ productId, x: xy[i * 2]!, y: xy[i * 2 + 1]! })),
    };
  }

  /** Steps between two products' codes, each decoded to its most likely list, with predicted benefits. */
  async interpolate(args: ApiArgs['interpolate']): Promise<InterpolationResult> {
    const { fromProductId, toProductId, steps, method } = parseApiArgs('interpolate', args);
    const model = this.requireActiveModel();
    const ends = await this.encodeLists({ productIds: [fromProductId, toProductId] });
    const path = interpolationPath(ends.codes[0]!, ends.codes[1]!, steps, method);
    const codes = path.map((p) => p.code);
    const decoded = await this.decodeCodes({ codes });
    let predicted: PredictResult;
    try {
      predicted = await this.compute.run<PredictResult>({ kind: 'predict', modelPath: join(this.modelsDir, model.folder), manifestSha256: model.manifestSha256, codes });
    } catch (error) {
      throw asApiFailure(error);
    }
    return {
      modelId: model.id,
      method,
      steps: path.map((p, i) => ({ t: p.t, code: p.code, ingredients: decoded.lists[i]!.ingredients, benefits: predicted.benefits[i]! })),
    };
  }

  /**
   * Seed 000's sensitivity analysis in the compute process, with each dimension's correlations
   * to all others (the data behind the seed's correlation-vs-sensitivity boxplot).
   */
  async sensitivity(args?: ApiArgs['sensitivity'], hooks: RunOptions = {}): Promise<SensitivityReport> {
    const { baseCount, resamples, seed } = parseApiArgs('sensitivity', args);
    const model = this.requireActiveModel();
    const space = this.latentSpace();
    const D = space.codes.latentDim;
    const started = performance.now();
    let result: SensitivityResult;
    try {
      result = await this.activity.run('sensitivity', 'Sensitivity of each latent dimension', hooks, (tracked) =>
        this.compute.run<SensitivityResult>(
        { kind: 'sensitivity', modelPath: join(this.modelsDir, model.folder), manifestSha256: model.manifestSha256, catalogCodes: space.codes.codes, latentDim: D, baseCount, resamples, seed },
        tracked,
        ),
      );
    } catch (error) {
      throw asApiFailure(error);
    }
    const cov = space.stats.covariance;
    const correlation = (i: number, j: number) => cov[i * D + j]! / Math.sqrt(cov[i * D + i]! * cov[j * D + j]! || 1);
    const dimensions = Array.from({ length: D }, (_, d) => ({
      dimension: d,
      variance: space.stats.variance[d]!,
      sensitivityNormal: result.normal[d]!,
      sensitivityEmpirical: result.empirical[d]!,
      correlations: Array.from({ length: D }, (_, j) => j).filter((j) => j !== d).map((j) => correlation(d, j)),
    })).sort((a, b) => b.sensitivityNormal - a.sensitivityNormal || a.dimension - b.dimension);
    return { modelId: model.id, baseCount, resamples, seed, decodes: result.decodes, elapsedMs: Math.round(performance.now() - started), dimensions };
  }

  /**
   * Seed 000's generate-and-filter job on the active model, in the compute process; the run
   * and every decoded candidate are stored with full provenance in one transaction (a
   * cancelled or failed run stores nothing).
   */
  async generate(args?: ApiArgs['generate'], hooks: RunOptions = {}): Promise<GenerateReport> {
    const params = parseApiArgs('generate', args);
    const model = this.requireActiveModel();
    const space = this.latentSpace();
    const D = space.codes.latentDim;
    let centre: number[] | null = null;
    if (params.centreProductId !== undefined) {
      const row = space.codes.productIds.indexOf(params.centreProductId);
      if (row < 0) throw new ApiFailure('not-found', `product ${params.centreProductId} has no code under the active model (not in the catalog it was trained on)`);
      centre = Array.from(space.codes.codes.subarray(row * D, (row + 1) * D));
    }
    const lists = this.productLists();
    const catalogLists = space.codes.productIds.map((id) => lists.get(id) ?? []);
    const ids = [...new Set(catalogLists.flat())];
    const facts: [number, IngredientFacts][] = getIngredientRecords(this.db, ids).map((r) => [r.id, ingredientFacts(r)]);
    const incompatible = this.incompatibleGroups();
    const started = performance.now();
    let outcome: GenerateOutcome;
    try {
      outcome = await this.activity.run('generate', `Generating ${params.n.toLocaleString('en')} samples`, hooks, (tracked) =>
        this.compute.run<GenerateOutcome>(
        {
          kind: 'generate',
          modelPath: join(this.modelsDir, model.folder),
          manifestSha256: model.manifestSha256,
          catalogCodes: space.codes.codes,
          latentDim: D,
          catalogLists,
          facts,
          incompatible,
          params: {
            n: params.n,
            k: params.k,
            temperature: params.temperature,
            seed: params.seed,
            centre,
            densityFloorQuantile: params.densityFloorQuantile,
            minNovelty: params.minNovelty,
            minPlausibility: params.minPlausibility,
            benefitThresholds: params.benefitThresholds,
            baselines: params.baselines,
          },
        },
        tracked,
        ),
      );
    } catch (error) {
      throw asApiFailure(error);
    }
    if (outcome.counts.aboveFloor === 0) throw new ApiFailure('empty-result', `no sample reached the density floor (quantile ${params.densityFloorQuantile}); lower the floor or raise the temperature`);
    const totalMs = Math.round(performance.now() - started);
    const names = new Map(getIngredientRecords(this.db, [...new Set(outcome.candidates.flatMap((c) => c.ingredientIds))]).map((r) => [r.id, r.inci]));
    const productName = this.db.prepare(`SELECT name FROM products WHERE id = ?`);
    const view = (c: GenerateOutcome['candidates'][number], rank: number) => {
      const nearestId = c.nearestRow >= 0 ? space.codes.productIds[c.nearestRow]! : null;
      return {
        rank,
        ingredients: c.ingredientIds.map((id) => names.get(id) ?? `#${id}`),
        passed: c.passed,
        score: c.score,
        novelty: c.novelty,
        plausibility: c.plausibility,
        logDensity: c.logDensity,
        benefits: c.benefits,
        nearestProduct: nearestId === null ? null : { id: nearestId, name: (productName.get(nearestId) as { name: string } | undefined)?.name ?? '' },
        reasons: c.reasons,
      };
    };
    const backend = (await this.compute.start()).name;
    const saving = performance.now();
    const runId = await this.exclusive(() =>
      this.db.transaction(() => {
        const id = Number(
          this.db
            .prepare(`INSERT INTO generation_runs (model_id, created_at, backend, params, timings, counts, quality, density_floor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
            .run(model.id, new Date().toISOString(), backend, JSON.stringify(params), JSON.stringify({ ...outcome.timingsMs, totalMs }), JSON.stringify(outcome.counts), JSON.stringify(outcome.quality), outcome.densityFloor)
            .lastInsertRowid,
        );
        const insert = this.db.prepare(`INSERT INTO generated_candidates (run_id, rank, passed, ingredients, code, scores, reasons) VALUES (?, ?, ?, ?, ?, ?, ?)`);
        outcome.candidates.forEach((c, i) => {
          const code = Float32Array.from(c.code);
          const v = view(c, i + 1);
          insert.run(id, i + 1, c.passed ? 1 : 0, JSON.stringify(c.ingredientIds), Buffer.from(code.buffer), JSON.stringify({ score: c.score, novelty: c.novelty, plausibility: c.plausibility, logDensity: c.logDensity, benefits: c.benefits, nearestProductId: v.nearestProduct?.id ?? null }), JSON.stringify(c.reasons));
        });
        return id;
      }).immediate(),
    );
    return {
      runId,
      modelId: model.id,
      backend,
      params: { ...params },
      timingsMs: outcome.timingsMs,
      totalMs,
      savedMs: Math.round(performance.now() - saving),
      work: outcome.work,
      densityFloor: outcome.densityFloor,
      counts: outcome.counts,
      quality: outcome.quality,
      baselines: outcome.baselines,
      shortlist: outcome.candidates.filter((c) => c.passed).slice(0, params.shortlist).map((c, i) => view(c, i + 1)),
    };
  }

  /**
   * Saves a list as a new candidate, or as the next version of candidate `id` (with any given
   * metadata changed in the same transaction). The list is ingredient ids, or a declaration
   * read through the ingredient lexicon; unknown ingredients are refused by name and nothing
   * is written.
   */
  async saveCandidate(args: ApiArgs['saveCandidate']): Promise<CandidateDetail> {
    const { id, name, ingredientIds, declaration, changeNote, notes, tags, status, rating, scores, reasons, provenance } = parseApiArgs('saveCandidate', args);
    return this.exclusive(() => {
      const list = ingredientIds ? this.checkCandidateIngredientIds(ingredientIds) : this.resolveCandidateDeclaration(declaration!);
      return this.storeCandidateVersion(id ?? null, { name, notes, tags, status, rating }, { ingredientIds: list, changeNote, scores, reasons, provenance });
    });
  }

  /**
   * Saves a stored generated candidate (run and rank, as in the run's shortlist): its list,
   * the scores and reasons recorded by the run, and provenance naming the run, the rank, the
   * model (id and manifest sha256), the seed and every parameter of the run.
   */
  async saveGeneratedCandidate(args: ApiArgs['saveGeneratedCandidate']): Promise<CandidateDetail> {
    const { runId, rank, id, name, changeNote, notes, tags, status, rating } = parseApiArgs('saveGeneratedCandidate', args);
    return this.exclusive(() => {
      const generated = getGeneratedCandidate(this.db, runId, rank);
      if (!generated) throw new ApiFailure('not-found', `generation run ${runId} has no candidate ranked ${rank}; nothing was saved`);
      const provenance = generatedProvenance(generated);
      return this.storeCandidateVersion(
        id ?? null,
        { name: name ?? (id === undefined ? `Run ${runId} #${rank}` : undefined), notes, tags, status, rating },
        { ingredientIds: generated.ingredientIds, changeNote, scores: generatedScores(generated.scores), reasons: generated.reasons, provenance },
      );
    });
  }

  /** Saved candidates at their latest version, filtered by text in name or notes, tag, status and minimum rating. */
  async listCandidates(args?: ApiArgs['listCandidates']): Promise<CandidatePage> {
    return listCandidates(this.db, parseApiArgs('listCandidates', args));
  }

  /** A candidate with every version, each list resolved to INCI names. */
  async getCandidate(args: ApiArgs['getCandidate']): Promise<CandidateDetail> {
    const { id } = parseApiArgs('getCandidate', args);
    return this.requireCandidate(id);
  }

  /** Changes a candidate's name, notes, tags (replaced as a set), status or rating without adding a version. */
  async updateCandidate(args: ApiArgs['updateCandidate']): Promise<CandidateSummary> {
    const { id, ...patch } = parseApiArgs('updateCandidate', args);
    return this.exclusive(() => {
      if (!updateCandidateMetadata(this.db, id, patch, new Date().toISOString())) throw new ApiFailure('not-found', `there is no candidate with id ${id}`);
      return getCandidateSummaries(this.db, [id])[0]!;
    });
  }

  /** Deletes a candidate and its whole history. */
  async deleteCandidate(args: ApiArgs['deleteCandidate']): Promise<DeletedCandidate> {
    const { id } = parseApiArgs('deleteCandidate', args);
    return this.exclusive(() => {
      const deleted = deleteCandidate(this.db, id);
      if (!deleted) throw new ApiFailure('not-found', `there is no candidate with id ${id}`);
      return deleted;
    });
  }

  /** How B's list differs from A's (shared, only in one, moved) and their scores side by side. */
  async compareCandidates(args: ApiArgs['compareCandidates']): Promise<CandidateComparison> {
    const { a, b, versionA, versionB } = parseApiArgs('compareCandidates', args);
    const first = this.candidateAtVersion(a, versionA);
    const second = this.candidateAtVersion(b, versionB);
    const inci = new Map([...first.version.ingredients, ...second.version.ingredients].map((x) => [x.ingredientId, x.inci]));
    const diff = diffOrderedLists(
      first.version.ingredients.map((x) => x.ingredientId),
      second.version.ingredients.map((x) => x.ingredientId),
    );
    const named = <T extends { item: number }>({ item, ...rest }: T) => ({ ingredientId: item, inci: inci.get(item)!, ...rest });
    const scoreNames = [...new Set([...Object.keys(first.version.scores), ...Object.keys(second.version.scores)])].sort();
    return {
      a: { id: a, name: first.name, version: first.version.version, ingredients: first.version.ingredients },
      b: { id: b, name: second.name, version: second.version.version, ingredients: second.version.ingredients },
      shared: diff.shared.map(named),
      onlyInA: diff.onlyInA.map(named),
      onlyInB: diff.onlyInB.map(named),
      moved: diff.moved.map(named),
      jaccard: diff.jaccard,
      weightedJaccard: diff.weightedJaccard,
      scores: scoreNames.map((name) => ({ name, a: first.version.scores[name] ?? null, b: second.version.scores[name] ?? null })),
    };
  }

  /**
   * Writes the candidates (all, oldest first, when `ids` is omitted) at their latest version as
   * CSV to `path`, atomically: the file is the complete export or what it was before.
   */
  async exportCandidatesCsv(args: ApiArgs['exportCandidatesCsv']): Promise<{ path: string; rows: number }> {
    const { ids, path } = parseApiArgs('exportCandidatesCsv', args);
    const candidates = this.candidatesForExport(ids);
    try {
      writeFileAtomically(path, candidatesToCsv(candidates));
    } catch (error) {
      if (error instanceof AtomicWriteError) throw new ApiFailure('export-failed', error.message);
      throw error;
    }
    return { path: resolve(path), rows: candidates.length };
  }

  /** The export's CSV text without writing a file (the web preview offers it as a download). */
  async candidatesCsv(args?: ApiArgs['candidatesCsv']): Promise<{ csv: string; rows: number }> {
    const { ids } = parseApiArgs('candidatesCsv', args);
    const candidates = this.candidatesForExport(ids);
    return { csv: candidatesToCsv(candidates), rows: candidates.length };
  }

  /**
   * Live scores of a list for the editor. Everything that depends only on the catalog (the
   * precedence table, the novelty index, ingredient facts, name resolutions) is built once per
   * catalog state; each list's code and predicted benefits are cached per model, so undo and redo
   * are answered without the compute process. Only the encoder and the benefit heads run there,
   * in one round trip; when a long job holds the compute process the model's part is skipped and
   * `modelProblem` says why, so the rest still arrives at once.
   */
  async scoreList(args: ApiArgs['scoreList']): Promise<ListScore> {
    const started = performance.now();
    const { ingredients, ingredientIds, k } = parseApiArgs('scoreList', args);
    const cx = this.editorContext();
    const given = ingredients ?? (ingredientIds ?? []).map((id) => cx.records.get(id)?.inci ?? `#${id}`);
    // Resolved ids; an unknown name gets a negative placeholder (one per spelling), so it counts
    // once in overlaps and repeats, matches no catalog list and is left out of the encoder's input.
    const ids: number[] = [];
    const placeholderOf = new Map<string, number>();
    const placeholderNames = new Map<number, string>();
    const firstAt = new Map<number, number>();
    const items: ScoredIngredient[] = given.map((name, i) => {
      const id = ingredientIds ? (cx.records.has(ingredientIds[i]!) ? ingredientIds[i]! : null) : this.resolveEditorName(cx, name);
      const record = id !== null ? cx.records.get(id) : undefined;
      let listId = id;
      if (listId === null) {
        const key = ingredientKey(name) || name;
        listId = placeholderOf.get(key) ?? -(placeholderOf.size + 1);
        placeholderOf.set(key, listId);
        placeholderNames.set(listId, name);
      }
      ids.push(listId);
      const repeatOf = firstAt.get(listId) ?? null;
      if (repeatOf === null) firstAt.set(listId, i + 1);
      const status: ScoredIngredient['status'] = !record ? 'unknown' : record.origin === 'catalog' ? 'catalog-only' : 'known';
      let suggestions = status === 'known' ? [] : cx.suggestions.get(name);
      if (!suggestions) cx.suggestions.set(name, (suggestions = this.ingredientSuggestions(name)));
      return {
        position: i + 1,
        given: name,
        ingredientId: id,
        inci: record?.inci ?? null,
        status,
        suggestions,
        repeatOf,
        inModel: null,
        functions: record?.functions ?? [],
        concentration: record?.concentration ?? null,
      };
    });

    const fact = (id: number) => cx.facts.get(id);
    const warnings = orderingWarnings(ids, cx.checks.table, fact);
    const near = cx.checks.novelty.nearest(ids);
    const nearestId = near.row >= 0 ? cx.productIds[near.row]! : null;
    const nearestInfo = nearestId !== null ? cx.products.get(nearestId) : undefined;

    // The model's part: vocabulary membership, code and benefits, latent neighbours.
    let model: ListScore['model'] = null;
    let benefits: ListScore['benefits'] = null;
    let modelProblem: ListScore['modelProblem'] = null;
    let whitened: Float64Array | null = null;
    let computeMs: number | null = null;
    const active = getActiveModel(this.db);
    if (!active) modelProblem = { code: 'no-model', message: 'no model is active yet: train one (Model view, or latent-formulator train) to see predicted benefits and latent neighbours' };
    else {
      model = { id: active.id, name: active.name };
      const vocabulary = this.modelVocabulary(active.id);
      items.forEach((item) => (item.inModel = item.ingredientId !== null && vocabulary.has(item.ingredientId)));
      const encoderList = ids.map((id) => (id > 0 ? id : -1));
      const cacheKey = `${active.id}:${encoderList.join(',')}`;
      let scored = this.listScoreCache.get(cacheKey);
      const busy = this.activity.state().running.find((a) => a.kind !== 'import');
      if (!items.some((x) => x.inModel)) {
        modelProblem = { code: 'empty-list', message: 'no ingredient of the list is in the model’s vocabulary, so it has no code: add ingredients the catalog uses' };
      } else if (!scored && busy) {
        modelProblem = { code: 'compute-busy', message: `the compute process is busy (${busy.label}); predicted benefits and latent neighbours return when it finishes` };
      } else {
        try {
          if (!scored) {
            const t = performance.now();
            const result = await this.compute.run<ScoreListsResult>({ kind: 'score-lists', modelPath: join(this.modelsDir, active.folder), manifestSha256: active.manifestSha256, lists: [encoderList] });
            computeMs = performance.now() - t;
            scored = { code: result.codes[0]!, benefits: result.benefits[0]! };
          }
          this.listScoreCache.delete(cacheKey);
          this.listScoreCache.set(cacheKey, scored);
          if (this.listScoreCache.size > 500) this.listScoreCache.delete(this.listScoreCache.keys().next().value!);
          const kinds = new Map(active.metrics.benefits.map((b) => [b.name, b.kind]));
          benefits = Object.entries(scored.benefits).map(([name, value]) => ({ name, kind: kinds.get(name) ?? 'score', value }));
          const space = this.latentSpace();
          whitened = whiten(scored.code, 1, space.stats);
        } catch (error) {
          const failure = asApiFailure(error);
          if (!(failure instanceof ApiFailure)) throw failure;
          modelProblem = { code: failure.code, message: failure.message };
        }
      }
    }

    const nearest = this.nearestProducts(ids, whitened, k, undefined, placeholderNames);
    return {
      ingredients: items,
      model,
      benefits,
      modelProblem,
      plausibility: { score: orderingPlausibility(ids.filter((id) => id > 0), cx.checks.table, fact).score, catalogMedian: cx.checks.catalogMedianPlausibility },
      ordering: warnings.slice(0, 200).map((w) => ({ kind: w.kind, positions: w.positions.map((p) => p + 1), message: w.message })),
      orderingWarningCount: warnings.length,
      structure: structuralChecks(ids, fact, cx.checks.lengthRange, cx.checks.incompatible),
      novelty: { value: 1 - near.jaccard, nearest: nearestId !== null && nearestInfo ? { productId: nearestId, ...nearestInfo, jaccard: near.jaccard } : null },
      neighbours: { byLatent: nearest.byLatent, byOverlap: nearest.byOverlap },
      timingsMs: { total: performance.now() - started, compute: computeMs },
    };
  }

  /** Reads a pasted declaration with the import's parser into names for the editor ("may contain" items are set apart). */
  async parseDeclaration(args: ApiArgs['parseDeclaration']): Promise<ParsedDeclarationView> {
    const { text } = parseApiArgs('parseDeclaration', args);
    const parsed = parseInciDeclaration(text, this.lexicon());
    if (!parsed.ok) throw new ApiFailure('invalid-argument', `the pasted text cannot be read as an ingredient list: ${parsed.reason}`);
    const main = parsed.ingredients.filter((x) => x.section !== 'may-contain');
    const ids = main.map((x) => x.ingredientId ?? findIngredientIdByKey(this.db, x.key));
    const records = new Map(getIngredientRecords(this.db, ids.filter((id): id is number => id !== null)).map((r) => [r.id, r]));
    return {
      ingredients: main.map((x, i) => {
        const record = ids[i] !== null ? records.get(ids[i]!) : undefined;
        return { name: record?.inci ?? x.name, raw: x.raw, ingredientId: record?.id ?? null, known: record !== undefined, percent: x.percent };
      }),
      mayContain: parsed.ingredients.filter((x) => x.section === 'may-contain').map((x) => x.name),
      // Unknown names are flagged by scoreList, with suggestions, once they are in the list.
      warnings: parsed.warnings.filter((w) => w.code !== 'unknown').map((w) => w.message),
    };
  }

  /** The list of a catalog product ("may contain" items left out), a saved candidate's version, or a generated candidate. */
  async editorSource(args: ApiArgs['editorSource']): Promise<EditorSource> {
    const { productId, candidateId, version, generated } = parseApiArgs('editorSource', args);
    if (productId !== undefined) {
      const product = getProduct(this.db, productId);
      if (!product) throw new ApiFailure('not-found', `there is no product with id ${productId}`);
      const ingredients = product.ingredients.filter((x) => x.section !== 'may-contain').map((x) => ({ ingredientId: x.ingredientId, inci: x.inci }));
      return { title: product.name, ingredients, provenance: candidateProvenanceSchema.parse({ source: 'edited-product', productId }), candidate: null, version: null };
    }
    if (candidateId !== undefined) {
      const chosen = this.candidateAtVersion(candidateId, version);
      return { title: chosen.name, ingredients: chosen.version.ingredients, provenance: chosen.version.provenance, candidate: this.requireCandidate(candidateId), version: chosen.version.version };
    }
    const { runId, rank } = generated!;
    const stored = getGeneratedCandidate(this.db, runId, rank);
    if (!stored) throw new ApiFailure('not-found', `generation run ${runId} has no candidate ranked ${rank}`);
    const names = new Map(getIngredientRecords(this.db, stored.ingredientIds).map((r) => [r.id, r.inci]));
    const ingredients = stored.ingredientIds.map((id) => ({ ingredientId: id, inci: names.get(id) ?? `#${id}` }));
    return { title: `Run ${runId} #${rank}`, ingredients, provenance: generatedProvenance(stored), candidate: null, version: null };
  }

  /**
   * A stored run's decoded candidates, passed and rejected, each with its scores and reasons:
   * filtered, sorted (ties by rank) and paged.
   */
  async listGeneratedCandidates(args: ApiArgs['listGeneratedCandidates']): Promise<GeneratedCandidatePage> {
    const { runId, ...request } = parseApiArgs('listGeneratedCandidates', args);
    if (this.runViewsCache?.runId !== runId) this.runViewsCache = { runId, views: this.generatedCandidateViews(runId) };
    return { runId, ...pageGeneratedCandidates(this.runViewsCache.views, request) };
  }

  /** Every candidate of a stored run as the UI shows it (names resolved), by rank. */
  private generatedCandidateViews(runId: number): GeneratedCandidateView[] {
    const stored = getRunCandidates(this.db, runId);
    if (!stored) throw new ApiFailure('not-found', `there is no generation run ${runId}; run Generate again`);
    const names = new Map(getIngredientRecords(this.db, [...new Set(stored.flatMap((c) => c.ingredientIds))]).map((r) => [r.id, r.inci]));
    const productName = this.db.prepare(`SELECT name FROM products WHERE id = ?`);
    return stored.map((c): GeneratedCandidateView => {
      const nearestId = c.scores.nearestProductId ?? null;
      return {
        rank: c.rank,
        ingredients: c.ingredientIds.map((id) => names.get(id) ?? `#${id}`),
        passed: c.passed,
        score: c.scores.score ?? 0,
        novelty: c.scores.novelty ?? 0,
        plausibility: c.scores.plausibility ?? 0,
        logDensity: c.scores.logDensity ?? 0,
        benefits: c.scores.benefits ?? {},
        nearestProduct: nearestId === null ? null : { id: nearestId, name: (productName.get(nearestId) as { name: string } | undefined)?.name ?? `product ${nearestId} (deleted)` },
        reasons: c.reasons,
      };
    });
  }

  /** Choosing a file needs the desktop app's dialog (the Electron shell answers this call itself). */
  async chooseExportPath(args?: ApiArgs['chooseExportPath']): Promise<{ path: string } | null> {
    parseApiArgs('chooseExportPath', args);
    throw new ApiFailure('unsupported', 'choosing a file to write needs the desktop app; here, download the CSV instead (candidatesCsv)');
  }

  private storeCandidateVersion(id: number | null, metadata: Partial<CandidateMetadata>, version: NewCandidateVersion): CandidateDetail {
    const savedId = saveCandidateVersion(this.db, id, metadata, version, new Date().toISOString());
    if (savedId === null) throw new ApiFailure('not-found', `there is no candidate with id ${id}; nothing was saved`);
    return getCandidateDetail(this.db, savedId)!;
  }

  /** Refuses repeated or unknown ids, naming them and their positions. */
  private checkCandidateIngredientIds(ids: readonly number[]): number[] {
    const firstPosition = new Map<number, number>();
    ids.forEach((x, i) => {
      const first = firstPosition.get(x);
      if (first !== undefined) throw new ApiFailure('invalid-argument', `ingredient id ${x} is listed twice (positions ${first} and ${i + 1}); a list holds each ingredient once`);
      firstPosition.set(x, i + 1);
    });
    const missing = findMissingIngredientIds(this.db, ids);
    if (missing.length) {
      throw new ApiFailure(
        'unknown-ingredient',
        `unknown ingredient id${missing.length > 1 ? 's' : ''} ${missing.map((x) => `${x} (position ${firstPosition.get(x)})`).join(', ')}: no such ingredient in the database; nothing was saved`,
      );
    }
    return [...ids];
  }

  /** Reads "Water, Glycerin, …" through the lexicon (names seen only in catalogs count too); refuses unknown or repeated names. */
  private resolveCandidateDeclaration(declaration: string): number[] {
    const lexicon = this.lexicon();
    const parsed = parseInciDeclaration(declaration, lexicon);
    if (!parsed.ok) throw new ApiFailure('invalid-argument', `the ingredient list cannot be read: ${parsed.reason}`);
    const repeated = parsed.warnings.filter((w) => w.code === 'repeated').map((w) => w.message.split('; kept')[0]);
    if (repeated.length) throw new ApiFailure('invalid-argument', `a list holds each ingredient once, but ${repeated.join(' and ')}; remove the repeat`);
    const mayContain = parsed.ingredients.filter((x) => x.section === 'may-contain').map((x) => x.name);
    if (mayContain.length) throw new ApiFailure('invalid-argument', `a candidate list has no "may contain" section (found ${mayContain.join(', ')}); list only what the formula contains`);
    if (parsed.ingredients.length > MAX_CANDIDATE_INGREDIENTS) throw new ApiFailure('invalid-argument', `the list has ${parsed.ingredients.length} ingredients; at most ${MAX_CANDIDATE_INGREDIENTS} are allowed`);
    const unknown: string[] = [];
    const ids = parsed.ingredients.map((x, i) => {
      const id = x.ingredientId ?? findIngredientIdByKey(this.db, x.key);
      if (id === null) {
        const near = lexicon.suggest(x.name);
        unknown.push(`"${x.name}" (item ${i + 1}${near ? `; did you mean "${near.inci}"?` : ''})`);
      }
      return id ?? -1;
    });
    if (unknown.length) {
      throw new ApiFailure(
        'unknown-ingredient',
        `unknown ingredient${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: fix the spelling or add ${unknown.length > 1 ? 'them' : 'it'} to the knowledge base (ingredients add); nothing was saved`,
      );
    }
    return ids;
  }

  private requireCandidate(id: number): CandidateDetail {
    const candidate = getCandidateDetail(this.db, id);
    if (!candidate) throw new ApiFailure('not-found', `there is no candidate with id ${id}`);
    return candidate;
  }

  /** A candidate's name and one of its versions (default: the latest). */
  private candidateAtVersion(id: number, version: number | undefined): { name: string; version: CandidateDetail['versions'][number] } {
    const candidate = this.requireCandidate(id);
    const chosen = version === undefined ? candidate.versions[candidate.versions.length - 1] : candidate.versions.find((v) => v.version === version);
    if (!chosen) throw new ApiFailure('not-found', `candidate ${id} ("${candidate.name}") has no version ${version}; it has versions 1 to ${candidate.version}`);
    return { name: candidate.name, version: chosen };
  }

  /** The given candidates in the given order (all, oldest first, without ids); unknown ids are refused by name. */
  private candidatesForExport(ids: readonly number[] | undefined): CandidateSummary[] {
    const wanted = [...new Set(ids ?? getAllCandidateIds(this.db))];
    const found = getCandidateSummaries(this.db, wanted);
    if (found.length !== wanted.length) {
      const have = new Set(found.map((c) => c.id));
      throw new ApiFailure('not-found', `there is no candidate with id ${wanted.filter((x) => !have.has(x)).join(', ')}; nothing was exported`);
    }
    return found;
  }

  /** KDE log densities in the compute process (never on the main thread); `queries` null = leave-one-out catalog. */
  private async kde(space: NonNullable<FormulatorService['space']>, bandwidth: number, queries: Float64Array | null = null): Promise<Float32Array> {
    if (queries === null) {
      const cached = space.catalogDensity.get(bandwidth);
      if (cached) return cached;
    }
    let result: KdeResult;
    try {
      result = await this.compute.run<KdeResult>({
        kind: 'kde',
        queries: queries ? Float32Array.from(queries) : null,
        references: Float32Array.from(space.whitened),
        dims: space.codes.latentDim,
        bandwidth,
      });
    } catch (error) {
      throw asApiFailure(error);
    }
    if (queries === null) space.catalogDensity.set(bandwidth, result.logDensity);
    return result.logDensity;
  }

  private latentSpace(): NonNullable<FormulatorService['space']> {
    const model = this.requireActiveModel();
    if (this.space?.modelId === model.id) return this.space;
    const D = Number((model.config as { latentDim?: number }).latentDim);
    const codes = getProductCodes(this.db, model.id, D);
    if (codes.productIds.length < 3) throw new ApiFailure('no-codes', `model ${model.id} has codes for ${codes.productIds.length} catalog products; train again on the current catalog`);
    const stats = latentStatistics(codes.codes, codes.productIds.length, D);
    this.space = { modelId: model.id, codes, stats, whitened: whiten(codes.codes, codes.productIds.length, stats), catalogDensity: new Map() };
    return this.space;
  }

  /** Every product's ingredient ids in order (without "may contain"), for overlap measures. */
  private productLists(): Map<number, number[]> {
    if (this.productListsCache) return this.productListsCache;
    const rows = this.db
      .prepare(`SELECT product_id AS p, ingredient_id AS i FROM product_ingredients WHERE section <> 'may-contain' ORDER BY product_id, position`)
      .all() as { p: number; i: number }[];
    const lists = new Map<number, number[]>();
    for (const r of rows) {
      const list = lists.get(r.p);
      if (list) list.push(r.i);
      else lists.set(r.p, [r.i]);
    }
    this.productListsCache = lists;
    return lists;
  }

  private requireModel(id: number): StoredModel {
    const model = getModel(this.db, id);
    if (!model) throw new ApiFailure('not-found', `there is no model with id ${id}`);
    return model;
  }

  private requireActiveModel(): StoredModel {
    const model = getActiveModel(this.db);
    if (!model) throw new ApiFailure('no-model', 'no model is active yet: train one first (latent-formulator train)');
    return model;
  }

  /** Every product list in an overlap index, rebuilt with the product lists. */
  private overlapIndex(): { productIds: number[]; index: OverlapIndex } {
    const lists = this.productLists();
    if (this.overlapCache?.lists !== lists) {
      const productIds = [...lists.keys()];
      this.overlapCache = { lists, productIds, index: new OverlapIndex(productIds.map((id) => lists.get(id)!)) };
    }
    return this.overlapCache;
  }

  /** Ingredient-id groups not to combine (resources/knowledge/incompatibilities.json read through the lexicon), with reasons. */
  private incompatibleGroups(): { a: number[]; b: number[]; reason: string }[] {
    const lexicon = this.lexicon();
    const idOf = (name: string) => lexicon.lookup(name)?.id;
    return loadIncompatibilities(incompatibilitiesPath(this.options.resourcesDir), (name) => lexicon.lookup(name)?.inci ?? null).map((p) => ({
      a: p.a.map(idOf).filter((x): x is number => x !== undefined),
      b: p.b.map(idOf).filter((x): x is number => x !== undefined),
      reason: p.reason,
    }));
  }

  /**
   * What scoring a list needs from the catalog, built once per catalog state (rebuilt when the
   * product lists are, i.e. after an import or a knowledge-base edit): every catalog list, the
   * checks' precedence table, novelty index and length range, every ingredient's record and
   * facts, product names, and name resolutions and suggestions as they are asked for.
   */
  private editorContext(): EditorContext {
    const lists = this.productLists();
    if (this.editorCache?.lists === lists) return this.editorCache;
    const productIds = [...lists.keys()];
    const records = new Map(getIngredientRecords(this.db).map((r) => [r.id, r]));
    const facts = new Map([...records.values()].map((r) => [r.id, ingredientFacts(r)]));
    const catalogIds = new Set(productIds.flatMap((id) => lists.get(id)!));
    const checksSpec: CatalogContextSpec = {
      catalogLists: productIds.map((id) => lists.get(id)!),
      facts: [...catalogIds].flatMap((id) => (facts.has(id) ? [[id, facts.get(id)!] as [number, IngredientFacts]] : [])),
      incompatible: this.incompatibleGroups(),
    };
    const checks = buildCatalogContext(checksSpec);
    const products = new Map(
      (this.db.prepare(`SELECT id, name, brand FROM products`).all() as { id: number; name: string; brand: string }[]).map((p) => [p.id, { name: p.name, brand: p.brand }]),
    );
    this.editorCache = { lists, productIds, checks, checksSpec, records, facts, products, names: new Map(), suggestions: new Map() };
    return this.editorCache;
  }

  /** An editor item's ingredient id (null: unknown), memoised per catalog state. */
  private resolveEditorName(cx: EditorContext, name: string): number | null {
    const cached = cx.names.get(name);
    if (cached !== undefined) return cached;
    const { id } = this.resolveIngredientName(name);
    const known = id !== null && cx.records.has(id) ? id : null;
    cx.names.set(name, known);
    return known;
  }

  /** The ingredient ids with a token of their own in a model's vocabulary. */
  private modelVocabulary(modelId: number): ReadonlySet<number> {
    if (this.vocabularyCache?.modelId !== modelId) {
      const tokens = getModelVocabulary(this.db, modelId) ?? [];
      this.vocabularyCache = { modelId, ids: new Set(tokens.flatMap((t) => (t.ingredientId === null ? [] : [t.ingredientId]))) };
    }
    return this.vocabularyCache.ids;
  }

  private verifyModelFiles(model: StoredModel): void {
    try {
      loadModel(join(this.modelsDir, model.folder), model.manifestSha256);
    } catch (error) {
      if (error instanceof ModelFileError) throw new ApiFailure('model-file', `model ${model.id} ("${model.name}") cannot be used: ${error.message}. The active model was not changed.`);
      throw error;
    }
  }

  // ---- The latent map, diagnostics and interpolation views ----

  /**
   * What the map needs to label, colour and filter its points, for every product with a code
   * under the active model (the order of `latentMap`'s points): name, brand, category, the first
   * ingredients, benefit scores under the model's names, and the leave-one-out catalog density.
   */
  async mapProducts(): Promise<MapProducts> {
    parseApiArgs('mapProducts', undefined);
    const space = this.latentSpace();
    const ids = space.codes.productIds;
    const bandwidth = scottBandwidth(kernelCount(ids.length), space.codes.latentDim);
    const density = await this.kde(space, bandwidth);
    const idsJson = JSON.stringify(ids);
    const info = new Map(
      (
        this.db
          .prepare(
            `SELECT p.id, p.name, p.brand, p.category,
                    (SELECT count(*) FROM product_ingredients pi WHERE pi.product_id = p.id AND pi.section <> 'may-contain') AS ingredientCount
               FROM products p WHERE p.id IN (SELECT value FROM json_each(?))`,
          )
          .all(idsJson) as { id: number; name: string; brand: string; category: string; ingredientCount: number }[]
      ).map((r) => [r.id, r]),
    );
    const top = new Map<number, string[]>();
    const topRows = this.db
      .prepare(
        `SELECT product_id AS p, inci FROM (
           SELECT pi.product_id, i.inci, row_number() OVER (PARTITION BY pi.product_id ORDER BY pi.position) AS r
             FROM product_ingredients pi JOIN ingredients i ON i.id = pi.ingredient_id
            WHERE pi.section <> 'may-contain' AND pi.product_id IN (SELECT value FROM json_each(?)))
          WHERE r <= 5 ORDER BY p, r`,
      )
      .all(idsJson) as { p: number; inci: string }[];
    for (const r of topRows) {
      const list = top.get(r.p);
      if (list) list.push(r.inci);
      else top.set(r.p, [r.inci]);
    }
    const benefits = new Map<number, Record<string, number>>();
    const names = new Set<string>();
    const scoreRows = this.db
      .prepare(`SELECT product_id AS p, benefit, value, source FROM benefit_scores WHERE source IN ('imported', 'knowledge') AND product_id IN (SELECT value FROM json_each(?))`)
      .all(idsJson) as { p: number; benefit: string; value: number; source: string }[];
    for (const r of scoreRows) {
      // The model's naming (src/main/ml/dataset.ts): knowledge-based scores never mix with an imported column.
      const name = r.source === 'knowledge' ? `kb:${r.benefit}` : r.benefit;
      names.add(name);
      const record = benefits.get(r.p) ?? {};
      record[name] = r.value;
      benefits.set(r.p, record);
    }
    return {
      modelId: space.modelId,
      benefitNames: [...names].sort((a, b) => a.localeCompare(b)),
      bandwidth,
      products: ids.map((productId, i) => {
        const p = info.get(productId);
        return {
          productId,
          name: p?.name ?? '',
          brand: p?.brand ?? '',
          category: p?.category ?? '',
          topIngredients: top.get(productId) ?? [],
          ingredientCount: p?.ingredientCount ?? 0,
          benefits: benefits.get(productId) ?? {},
          logDensity: density[i]!,
        };
      }),
    };
  }

  /** Per-dimension variance and the principal components' shares of the active model's catalog codes. */
  async latentStatistics(): Promise<LatentStatisticsView> {
    parseApiArgs('latentStatistics', undefined);
    const space = this.latentSpace();
    return {
      modelId: space.modelId,
      products: space.codes.productIds.length,
      latentDim: space.codes.latentDim,
      variance: Array.from(space.stats.variance),
      explained: Array.from(space.stats.explained),
    };
  }

  /**
   * Places codes on the map: on PCA with the catalog's own projection (its mean and principal
   * axes), on UMAP with the transform of the fit `latentMap` drew (reused, or fitted again).
   */
  async projectCodes(args: ApiArgs['projectCodes']): Promise<ProjectedCodes> {
    const { codes, method, components, seed } = parseApiArgs('projectCodes', args);
    const space = this.latentSpace();
    const D = space.codes.latentDim;
    const wrong = codes.findIndex((c) => c.length !== D);
    if (wrong >= 0) throw new ApiFailure('invalid-argument', `code ${wrong + 1} has ${codes[wrong]!.length} values; the active model has ${D} latent dimensions`);
    const xy = await this.placeOnMap(space, Float32Array.from(codes.flat()), codes.length, method, components, seed);
    return { modelId: space.modelId, method, components: method === 'pca' ? components : null, points: codes.map((_, i) => ({ x: xy[i * 2]!, y: xy[i * 2 + 1]! })) };
  }

  /** The seeded UMAP of the catalog's codes (tracked: it takes seconds), placing `place` codes too when given. */
  private async umapOf(space: NonNullable<FormulatorService['space']>, seed: number, place?: Float32Array): Promise<UmapResult> {
    const D = space.codes.latentDim;
    try {
      return await this.activity.run('map', place ? 'Placing points on the UMAP projection' : 'Computing the UMAP projection', {}, (tracked) =>
        this.compute.run<UmapResult>({ kind: 'umap', codes: space.codes.codes, latentDim: D, seed, neighbours: 15, minDistance: 0.1, place }, tracked),
      );
    } catch (error) {
      throw asApiFailure(error);
    }
  }

  /** 2-D positions (count × 2) of codes on the PCA map (these components) or the UMAP map of `seed`. */
  private async placeOnMap(space: NonNullable<FormulatorService['space']>, codes: Float32Array, count: number, method: 'pca' | 'umap', components: [number, number], seed: number): Promise<Float32Array> {
    if (count === 0) return new Float32Array(0);
    if (method === 'umap') return (await this.umapOf(space, seed, codes)).placed!;
    const D = space.codes.latentDim;
    if (components.some((c) => c >= D)) throw new ApiFailure('invalid-argument', `this model has ${D} latent dimensions; components must be below ${D}`);
    return projectPca(codes, count, space.stats, components);
  }

  /** The best passing candidates of a generate run of the active model, placed on the PCA map. */
  async mapGenerated(args?: ApiArgs['mapGenerated']): Promise<MapGenerated | null> {
    const { runId, method, components, seed, limit } = parseApiArgs('mapGenerated', args);
    const space = this.latentSpace();
    const D = space.codes.latentDim;
    if (method === 'pca' && components.some((c) => c >= D)) throw new ApiFailure('invalid-argument', `this model has ${D} latent dimensions; components must be below ${D}`);
    const run = (
      runId === undefined
        ? this.db.prepare(`SELECT id, model_id AS modelId, created_at AS createdAt FROM generation_runs WHERE model_id = ? ORDER BY id DESC LIMIT 1`).get(space.modelId)
        : this.db.prepare(`SELECT id, model_id AS modelId, created_at AS createdAt FROM generation_runs WHERE id = ?`).get(runId)
    ) as { id: number; modelId: number; createdAt: string } | undefined;
    if (!run) {
      if (runId === undefined) return null;
      throw new ApiFailure('not-found', `there is no generation run ${runId}`);
    }
    if (run.modelId !== space.modelId) throw new ApiFailure('model-mismatch', `run ${run.id} was generated with model ${run.modelId}; activate it to see the run on its map`);
    const passed = (this.db.prepare(`SELECT count(*) AS n FROM generated_candidates WHERE run_id = ? AND passed = 1`).get(run.id) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT rank, ingredients, code, scores FROM generated_candidates WHERE run_id = ? AND passed = 1 ORDER BY rank LIMIT ?`)
      .all(run.id, limit) as { rank: number; ingredients: string; code: Buffer; scores: string }[];
    const codes = new Float32Array(rows.length * D);
    rows.forEach((r, i) => codes.set(new Float32Array(r.code.buffer.slice(r.code.byteOffset, r.code.byteOffset + r.code.byteLength)), i * D));
    const xy = await this.placeOnMap(space, codes, rows.length, method, components, seed);
    const lists = rows.map((r) => JSON.parse(r.ingredients) as number[]);
    const names = new Map(getIngredientRecords(this.db, [...new Set(lists.flatMap((l) => l.slice(0, 5)))]).map((r) => [r.id, r.inci]));
    return {
      runId: run.id,
      modelId: run.modelId,
      createdAt: run.createdAt,
      passed,
      method,
      components: method === 'pca' ? components : null,
      points: rows.map((r, i) => ({
        rank: r.rank,
        x: xy[i * 2]!,
        y: xy[i * 2 + 1]!,
        score: (JSON.parse(r.scores) as { score?: number }).score ?? null,
        ingredients: lists[i]!.slice(0, 5).map((id) => names.get(id) ?? `#${id}`),
        ingredientCount: lists[i]!.length,
      })),
    };
  }

  async optimize(args: ApiArgs['optimize']): Promise<OptimizationResult> {
    const started = performance.now();
    const a = parseApiArgs('optimize', args);
    const model = this.requireActiveModel();
    const known = model.metrics.benefits.map((b) => b.name);
    for (const [i, t] of a.terms.entries()) {
      if (!known.includes(t.benefit)) {
        throw new ApiFailure('invalid-argument', `term ${i + 1}: the active model predicts no benefit "${t.benefit}"; it predicts ${known.map((k) => `"${k}"`).join(', ')}`);
      }
    }
    const space = this.latentSpace();
    const D = space.codes.latentDim;
    const n = space.codes.productIds.length;
    const modelPath = join(this.modelsDir, model.folder);
    if (this.optimizeBasis?.modelId !== space.modelId) {
      const codes = Array.from({ length: n }, (_, i) => Array.from(space.codes.codes.subarray(i * D, (i + 1) * D)));
      let predicted: PredictResult;
      try {
        predicted = await this.compute.run<PredictResult>({ kind: 'predict', modelPath, manifestSha256: model.manifestSha256, codes });
      } catch (error) {
        throw asApiFailure(error);
      }
      const predictions = new Map(known.map((name) => [name, predicted.benefits.map((b) => b[name]!)]));
      this.optimizeBasis = { modelId: space.modelId, predictions, nearest: nearestOtherDistances(space.codes.codes, n, D) };
    }
    const basis = this.optimizeBasis;
    const terms = resolveTerms(a.terms, basis.predictions);
    let guard: OptimizationResult['guard'] = null;
    let guardSpec: ManifoldGuard | null = null;
    if (a.guard.kind === 'density') {
      const h = scottBandwidth(kernelCount(n), D);
      const floor = quantile(Array.from(await this.kde(space, h)), a.guard.floorQuantile);
      guard = { kind: 'density', quantile: a.guard.floorQuantile, floor, radius: null, weight: a.guard.weight };
      guardSpec = {
        kind: 'density',
        whitening: Float32Array.from(inverseLowerTriangular(space.stats.cholesky, D)),
        mean: Float32Array.from(space.stats.mean),
        catalogWhite: Float32Array.from(space.whitened),
        bandwidth: h,
        floor,
        weight: a.guard.weight,
      };
    } else if (a.guard.kind === 'nearest-code') {
      const radius = quantile(Array.from(basis.nearest), a.guard.radiusQuantile);
      guard = { kind: 'nearest-code', quantile: a.guard.radiusQuantile, floor: null, radius, weight: a.guard.weight };
      guardSpec = { kind: 'nearest-code', catalogCodes: space.codes.codes, radius, weight: a.guard.weight };
    }

    // Starting codes: draws from the catalog's fitted normal, or a product's or candidate's code and jitter around it.
    let starts: Float32Array;
    let startLabels: string[];
    if (a.start.kind === 'random') {
      starts = randomStarts(space.stats, a.restarts, a.start.seed);
      startLabels = Array.from({ length: a.restarts }, (_, r) => `random draw ${r + 1} (seed ${a.start.seed})`);
    } else {
      let list: number[];
      let label: string;
      if (a.start.kind === 'product') {
        const product = getProduct(this.db, a.start.productId);
        if (!product) throw new ApiFailure('not-found', `there is no product with id ${a.start.productId}`);
        list = product.ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId);
        label = `product ${product.id} (${product.name})`;
      } else {
        const wanted = a.start.version;
        const candidate = await this.getCandidate({ id: a.start.candidateId });
        const version = wanted === undefined ? candidate.versions.at(-1) : candidate.versions.find((v) => v.version === wanted);
        if (!version) throw new ApiFailure('not-found', `candidate ${candidate.id} has no version ${wanted}`);
        list = version.ingredients.map((x) => x.ingredientId);
        label = `candidate ${candidate.id} v${version.version} (${candidate.name})`;
      }
      let encoded: EncodeResult;
      try {
        encoded = await this.compute.run<EncodeResult>({ kind: 'encode', modelPath, manifestSha256: model.manifestSha256, lists: [list] });
      } catch (error) {
        throw asApiFailure(error);
      }
      if (encoded.unknown[0] === list.length) throw new ApiFailure('invalid-argument', `${label}: none of its ingredients is in the model's vocabulary, so it has no code to start from`);
      starts = jitteredStarts(encoded.codes[0]!, space.stats, a.restarts, a.start.seed);
      startLabels = Array.from({ length: a.restarts }, (_, r) => (r === 0 ? label : `${label}, jittered ${r}`));
    }

    const computeStarted = performance.now();
    let outcome: OptimizeResult;
    try {
      outcome = await this.activity.run('optimize', `Optimising ${terms.map((t) => `${t.goal} ${t.benefit}`).join(', ')}`, {}, (tracked) =>
        this.compute.run<OptimizeResult>(
          {
            kind: 'optimize',
            modelPath,
            manifestSha256: model.manifestSha256,
            starts,
            rows: a.restarts,
            terms,
            priorWeight: a.priorWeight,
            cycleWeight: a.cycleWeight,
            lengthRange: this.editorContext().checks.lengthRange,
            checks: { spec: this.editorContext().checksSpec, thresholds: { minNovelty: a.minNovelty, minPlausibility: a.minPlausibility, benefitThresholds: {} } },
            guard: guardSpec,
            catalogCodes: space.codes.codes,
            maxSteps: a.maxSteps,
            learningRate: a.learningRate,
            tolerance: 1e-5,
            patience: 10,
            gradientTolerance: 1e-4,
            projectEvery: a.projectEvery,
            patienceProjections: 4,
          },
          tracked,
        ),
      );
    } catch (error) {
      throw asApiFailure(error);
    }
    const computeMs = performance.now() - computeStarted;

    // Judge each final list: targets met, still met when encoded again, and the generate job's checks.
    const cx = this.editorContext();
    const names = (ids: readonly number[]) => ids.map((id) => cx.records.get(id)?.inci ?? `#${id}`);
    const thresholds = { minNovelty: a.minNovelty, minPlausibility: a.minPlausibility, benefitThresholds: {} };
    const restarts = outcome.restarts.map((r, i) => {
      const last = r.path.at(-1)!;
      const targets = targetsVerdict(terms, last.benefits);
      const again = targetsVerdict(terms, r.reencodedBenefits);
      const checked = checkCandidate(cx.checks, thresholds, last.ingredientIds, last.benefits);
      const success = targets.met && again.met && checked.passed;
      return {
        start: startLabels[i]!,
        steps: r.steps,
        stopReason: r.stopReason,
        path: r.path.map((p) => ({ step: p.step, code: p.code, objective: p.objective, benefits: p.benefits, ingredients: names(p.ingredientIds) })),
        final: {
          code: last.code,
          objective: last.objective,
          ingredientIds: last.ingredientIds,
          ingredients: names(last.ingredientIds),
          benefits: last.benefits,
          reencodedBenefits: r.reencodedBenefits,
          nearestDistance: r.nearestDistance,
          targetsMet: targets.met,
          consistent: again.met,
          checksPassed: checked.passed,
          success,
          novelty: checked.novelty,
          plausibility: checked.plausibility,
          reasons: [...targets.reasons, ...again.reasons.map((x) => `encoded again: ${x}`), ...(checked.passed ? ['passes the generate checks'] : checked.reasons)],
        },
        provenance: {
          source: 'optimised' as const,
          modelId: model.id,
          modelSha256: model.manifestSha256,
          details: {
            method: 'gradient ascent (Adam) on the benefit heads with prior penalty and manifold guard',
            terms: terms.map((t) => ({ benefit: t.benefit, goal: t.goal, weight: t.weight, bar: t.bar, tolerance: t.tolerance })),
            priorWeight: a.priorWeight,
            guard,
            start: startLabels[i]!,
            steps: r.steps,
            stopReason: r.stopReason,
            learningRate: a.learningRate,
            success,
          },
        },
      };
    });
    let best = 0;
    restarts.forEach((r, i) => {
      const b = restarts[best]!;
      if (Number(r.final.success) > Number(b.final.success) || (r.final.success === b.final.success && r.final.objective < b.final.objective)) best = i;
    });
    return {
      modelId: model.id,
      terms,
      priorWeight: a.priorWeight,
      guard,
      restarts,
      best,
      successes: restarts.filter((r) => r.final.success).length,
      timingsMs: { total: performance.now() - started, compute: computeMs },
    };
  }
  /** Records a measured result on a saved candidate (at a version, default its latest) or a catalog product, with the list measured. */
  async addLabResult(args: ApiArgs['addLabResult']): Promise<LabResult> {
    const a = parseApiArgs('addLabResult', args);
    return this.exclusive(() => {
      let subject: StoredLabResult['subject'];
      let list: number[];
      if (a.subject.kind === 'candidate') {
        const { name, version } = this.candidateAtVersion(a.subject.candidateId, a.subject.version);
        subject = { kind: 'candidate', candidateId: a.subject.candidateId, version: version.version, productId: null, name: `${name} v${version.version}` };
        list = version.ingredients.map((x) => x.ingredientId);
      } else {
        const product = getProduct(this.db, a.subject.productId);
        if (!product) throw new ApiFailure('not-found', `there is no product with id ${a.subject.productId}; nothing was recorded`);
        subject = { kind: 'product', candidateId: null, version: null, productId: product.id, name: `${product.brand} ${product.name}`.trim().slice(0, 300) };
        list = product.ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId);
        if (list.length === 0) throw new ApiFailure('invalid-argument', `product ${product.id} (${product.name}) has no ingredient list to attach a result to`);
      }
      // A property is named as it was first recorded: "Hydration" and "hydration" are one property.
      const property = recordedSpelling(this.db, a.property, null) ?? a.property;
      const id = insertLabResult(this.db, { subject, ingredientIds: list, property, value: a.value, unit: a.unit, measuredOn: a.measuredOn ?? new Date().toISOString().slice(0, 10), notes: a.notes }, new Date().toISOString());
      return this.labResultView(getLabResult(this.db, id)!);
    });
  }

  /** Corrects a result's property, value, unit, date or notes; what was measured stays. */
  async updateLabResult(args: ApiArgs['updateLabResult']): Promise<LabResult> {
    const { id, ...patch } = parseApiArgs('updateLabResult', args);
    return this.exclusive(() => {
      const property = patch.property === undefined ? undefined : (recordedSpelling(this.db, patch.property, id) ?? patch.property);
      if (!updateLabResult(this.db, id, { ...patch, property }, new Date().toISOString())) throw new ApiFailure('not-found', `there is no lab result with id ${id}`);
      return this.labResultView(getLabResult(this.db, id)!);
    });
  }

  async deleteLabResult(args: ApiArgs['deleteLabResult']): Promise<{ id: number }> {
    const { id } = parseApiArgs('deleteLabResult', args);
    return this.exclusive(() => {
      if (!deleteLabResult(this.db, id)) throw new ApiFailure('not-found', `there is no lab result with id ${id}`);
      return { id };
    });
  }

  async listLabResults(args?: ApiArgs['listLabResults']): Promise<LabResultPage> {
    const filter = parseApiArgs('listLabResults', args);
    const page = listLabResults(this.db, filter);
    return { items: this.labResultViews(page.items), total: page.total };
  }

  async labProperties(): Promise<LabProperty[]> {
    return labProperties(this.db);
  }

  async labResultsCsv(args?: ApiArgs['labResultsCsv']): Promise<{ csv: string; rows: number }> {
    const results = this.labResultsForExport(parseApiArgs('labResultsCsv', args));
    return { csv: labResultsToCsv(results), rows: results.length };
  }

  async exportLabResultsCsv(args: ApiArgs['exportLabResultsCsv']): Promise<{ path: string; rows: number }> {
    const { path, ...filter } = parseApiArgs('exportLabResultsCsv', args);
    const results = this.labResultsForExport(filter);
    try {
      writeFileAtomically(path, labResultsToCsv(results));
    } catch (error) {
      if (error instanceof AtomicWriteError) throw new ApiFailure('export-failed', error.message);
      throw error;
    }
    return { path: resolve(path), rows: results.length };
  }

  /** Results in recording order; every asked-for id must exist. */
  private labResultsForExport(filter: { ids?: number[]; property?: string }): LabResult[] {
    const page = listLabResults(this.db, { ...filter, limit: 1_000_000, offset: 0 });
    if (filter.ids) {
      const found = new Set(page.items.map((r) => r.id));
      const missing = filter.ids.filter((id) => !found.has(id));
      if (missing.length) throw new ApiFailure('not-found', `there is no lab result with id ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}; nothing was exported`);
    }
    return this.labResultViews(page.items.sort((a, b) => a.id - b.id));
  }

  private labResultView(r: StoredLabResult): LabResult {
    return this.labResultViews([r])[0]!;
  }

  private labResultViews(results: readonly StoredLabResult[]): LabResult[] {
    const ids = [...new Set(results.flatMap((r) => r.ingredientIds))];
    const names = new Map(getIngredientRecords(this.db, ids).map((x) => [x.id, x.inci]));
    return results.map((r) => ({ ...r, ingredients: r.ingredientIds.map((id) => names.get(id) ?? `#${id}`) }));
  }

  /**
   * Bayesian optimisation from the lab results of one property: the GP and the search run in the
   * compute process (src/main/optimize/bayes.ts); each proposal is then checked like a generated
   * candidate. Writes nothing: accepted proposals are saved with `saveCandidate`.
   */
  async proposeBatch(args: ApiArgs['proposeBatch']): Promise<BatchProposalResult> {
    const started = performance.now();
    const a = parseApiArgs('proposeBatch', args);
    const model = this.requireActiveModel();
    const results = listLabResults(this.db, { property: a.property, limit: 1_000_000, offset: 0 }).items;
    if (results.length < 2) {
      throw new ApiFailure('invalid-argument', `Bayesian optimisation needs at least two lab results for "${a.property}"; there ${results.length === 1 ? 'is one' : 'are none'}. Record measured results first.`);
    }
    const property = results[0]!.property;
    const units = [...new Set(results.map((r) => r.unit))].sort();
    if (units.length > 1) throw new ApiFailure('invalid-argument', `the results for "${property}" are in more than one unit (${units.map((u) => `"${u}"`).join(', ')}); correct them to one unit first`);
    const formulations = new Set(results.map((r) => r.ingredientIds.join(','))).size;
    const sign = a.goal === 'minimize' ? -1 : 1;
    const space = this.latentSpace();
    let outcome: ProposeResult;
    try {
      outcome = await this.activity.run('propose', `Proposing ${a.batch} formulation${a.batch === 1 ? '' : 's'} for ${a.goal === 'minimize' ? 'lower' : 'higher'} ${property}`, {}, (tracked) =>
        this.compute.run<ProposeResult>(
          {
            kind: 'propose',
            modelPath: join(this.modelsDir, model.folder),
            manifestSha256: model.manifestSha256,
            catalogCodes: space.codes.codes,
            measuredLists: results.map((r) => r.ingredientIds),
            values: results.map((r) => sign * r.value),
            batch: a.batch,
            priorWeight: a.priorWeight,
            xi: a.xi,
            seed: a.seed,
            checks: { spec: this.editorContext().checksSpec, thresholds: { minNovelty: a.minNovelty, minPlausibility: a.minPlausibility, benefitThresholds: {} } },
          },
          tracked,
        ),
      );
    } catch (error) {
      throw asApiFailure(error);
    }
    const cx = this.editorContext();
    const thresholds = { minNovelty: a.minNovelty, minPlausibility: a.minPlausibility, benefitThresholds: {} };
    const method = 'Bayesian optimisation: Gaussian process (Matérn 5/2, hyper-parameters by maximum marginal likelihood) on the codes of the measured lists; expected improvement with the prior penalty, maximised over decoded, checked, new lists from draws of the catalog normal and around the best results; batch spread by the kriging believer';
    const bestResult = results.reduce((b, r) => (sign * r.value > sign * b.value ? r : b));
    const gp = outcome.gp;
    const proposals = outcome.proposals.map((p, i) => {
      const checked = checkCandidate(cx.checks, thresholds, p.ingredientIds, p.benefits);
      const mean = sign * p.mean;
      return {
        rank: i + 1,
        code: p.code,
        ingredientIds: p.ingredientIds,
        ingredients: p.ingredientIds.map((id) => cx.records.get(id)?.inci ?? `#${id}`),
        expectedImprovement: p.expectedImprovement,
        mean,
        sd: p.sd,
        benefits: p.benefits,
        novelty: checked.novelty,
        plausibility: checked.plausibility,
        checksPassed: checked.passed,
        reasons: checked.passed ? ['passes the generate checks'] : checked.reasons,
        provenance: candidateProvenanceSchema.parse({
          source: 'optimised',
          modelId: model.id,
          modelSha256: model.manifestSha256,
          details: { method, property, unit: units[0], goal: a.goal, results: results.length, formulations, rank: i + 1, expectedImprovement: p.expectedImprovement, predictedMean: mean, predictedSd: p.sd, gp, priorWeight: a.priorWeight, xi: a.xi, seed: a.seed },
        }),
      };
    });
    return {
      modelId: model.id,
      property,
      unit: units[0]!,
      goal: a.goal,
      results: results.length,
      formulations,
      best: { value: bestResult.value, subject: bestResult.subject.name },
      gp,
      method,
      proposals,
      pool: outcome.pool,
      timingsMs: { total: performance.now() - started, fit: outcome.fitMs, search: outcome.searchMs },
    };
  }
}

/** What the checks need to know about an ingredient. */
function ingredientFacts(r: IngredientRecord): IngredientFacts {
  return { name: r.inci, functions: r.functions, concentration: r.concentration };
}

/** The record without storage details. */
function publicModel(m: StoredModel): ModelRecord {
  const { folder: _folder, manifestSha256: _sha, ...rest } = m;
  return rest;
}

/** Provenance of a generated candidate: the run, the rank, the model (id and manifest sha256), the seed and every parameter. */
function generatedProvenance(generated: StoredGeneratedCandidate): CandidateProvenance {
  return candidateProvenanceSchema.parse({
    source: 'generated',
    runId: generated.runId,
    rank: generated.rank,
    modelId: generated.run.modelId,
    modelSha256: generated.run.modelSha256,
    details: {
      modelName: generated.run.modelName,
      runCreatedAt: generated.run.createdAt,
      backend: generated.run.backend,
      seed: generated.run.params.seed ?? null,
      params: generated.run.params,
      passedAllChecks: generated.passed,
      nearestProductId: generated.scores.nearestProductId ?? null,
    },
  });
}

/**
 * A generated candidate's stored scores as a flat record of numbers: score, novelty,
 * plausibility, logDensity and `predicted_<benefit>` (the generate CSV's column names).
 */
function generatedScores(stored: StoredGeneratedCandidate['scores']): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const key of ['score', 'novelty', 'plausibility', 'logDensity'] as const) {
    const value = stored[key];
    if (typeof value === 'number' && Number.isFinite(value)) scores[key] = value;
  }
  for (const [benefit, value] of Object.entries(stored.benefits ?? {})) if (Number.isFinite(value)) scores[`predicted_${benefit}`] = value;
  return scores;
}

function asApiFailure(error: unknown): unknown {
  if (error instanceof ComputeError) return new ApiFailure(error.code, error.message);
  return error;
}
