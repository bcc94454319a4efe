import type { ApiMethod } from '../../shared/api/methods';
import { parseApiArgs, type Api, type ApiArgs, type DatabaseRecovery } from '../../shared/api';
import type { ComputeHost, RunOptions } from '../compute/host';
import type { Database } from 'better-sqlite3';
import { openCheckedDatabase } from '../db/quarantine';
import { listModelFolders } from '../db/queries/models';
import { sweepModelStore } from '../ml/store';
import { activityHandlers } from './activity';
import { bayesHandlers } from './bayes';
import { candidatesHandlers } from './candidates';
import { catalogHandlers } from './catalog';
import { catalogManagementHandlers } from './catalog-management';
import { ServiceContext, type ServiceOptions, type WriteContention } from './context';
import { DEFAULT_BACKUP_POLICY, DatabaseCare, databaseHandlers, loadKnowledgeBase, type FolderChooser, type StartupReport } from './database';
import { editorHandlers } from './editor';
import { apiEndpoint, bindEndpoint, type ApiEndpoint, type ApiHandlers, type ApiWithEndpoint } from './endpoint';
import { exploreHandlers, sensitivity } from './explore';
import { generate, generateHandlers, warmUp as warmUpModel } from './generate';
import { labHandlers } from './lab';
import { briefsHandlers } from './briefs';
import { formulaHandlers } from './formula';
import { modelsHandlers, trainModel } from './models';
import { optimizeHandlers } from './optimize';

export type { ServiceOptions } from './context';

/** Every API method, each implemented by its capability's module (the compiler checks none is missing). */
const HANDLERS = {
  ...activityHandlers,
  ...catalogHandlers,
  ...catalogManagementHandlers,
  ...modelsHandlers,
  ...exploreHandlers,
  ...generateHandlers,
  ...candidatesHandlers,
  ...editorHandlers,
  ...optimizeHandlers,
  ...labHandlers,
  ...briefsHandlers,
  ...formulaHandlers,
  ...bayesHandlers,
  ...databaseHandlers,
} satisfies ApiHandlers;

/**
 * The application: the composition root that opens the database, builds the shared context and
 * offers the API contract. The Electron IPC layer and the web preview validate each call once
 * (`parseApiArgs` in dispatch) and call the capability handlers through `[apiEndpoint]`; in-process
 * callers (the CLI, tests, benchmarks) call the methods below with raw arguments, which are
 * validated here, once, before the same handlers run.
 */
export class FormulatorService implements ApiWithEndpoint {
  readonly [apiEndpoint]: ApiEndpoint;
  /** What the start-up tidy of the model store found (partial saves removed, unrecorded folders kept). */
  modelStoreSweep: { removedPartial: string[]; unrecorded: string[] } = { removedPartial: [], unrecorded: [] };
  private backupTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly cx: ServiceContext,
    /** What the start-up check found and did (the CLI and the desktop shell report it). */
    readonly startup: StartupReport,
  ) {
    this[apiEndpoint] = bindEndpoint(cx, HANDLERS);
  }

  /**
   * Opens the database: an existing file is checked first and, when damaged, moved into the
   * quarantine and replaced by a new empty one (see `openCheckedDatabase`); then migrated, the
   * shipped knowledge base loaded if it changed, and a rolling backup taken when one is due.
   */
  static async open(options: ServiceOptions): Promise<FormulatorService> {
    const checked = await openCheckedDatabase(options.databasePath);
    loadKnowledgeBase(checked.opened, options.resourcesDir);
    const care = new DatabaseCare(options.databasePath, { ...DEFAULT_BACKUP_POLICY, ...options.backups });
    const cx = new ServiceContext(checked.opened, options, care);
    // A backup's commit and check read and flush the whole copy (most of a second on a large database): off the main thread.
    if (cx.workerDatabase()) care.copier = (target) => cx.imports.backup(cx.workerDatabase()!, target);
    const service = new FormulatorService(cx, { check: checked.check, quarantined: checked.quarantined, backup: null });
    service.modelStoreSweep = sweepModelStore(service.modelsDir, new Set(listModelFolders(checked.opened.db)));
    if (!checked.quarantined) service.startup.backup = await care.atStartup(checked.opened.db, checked.modifiedMs);
    return service;
  }

  /** The open connection (a restore replaces it). */
  get db(): Database {
    return this.cx.db;
  }

  /** The compute process, started on first use. */
  get compute(): ComputeHost {
    return this.cx.compute;
  }

  /** Where model folders live: beside the database. */
  get modelsDir(): string {
    return this.cx.modelsDir;
  }

  /** How often writes found the database busy with another program's write, retried or given up on (diagnostics and the reliability runs). */
  get writeContention(): Readonly<WriteContention> {
    return this.cx.contention;
  }

  close(): void {
    if (this.backupTimer) clearInterval(this.backupTimer);
    this.backupTimer = null;
    this.cx.close();
  }

  /**
   * Takes a rolling backup every `intervalMs` while the data changes (the desktop app and the web
   * preview call this; the command line does not stay long enough). Failures are kept in
   * `getDatabaseStatus().lastBackup`; the timer never keeps the process alive.
   */
  startBackupSchedule(): void {
    if (this.backupTimer) return;
    this.backupTimer = setInterval(() => void this.rollingBackup().catch(() => undefined), this.cx.care.policy.intervalMs);
    this.backupTimer.unref?.();
  }

  /** What the schedule runs: a rolling backup when the data changed since the last one; its file name, or null. */
  async rollingBackup(): Promise<string | null> {
    return this.cx.exclusive(() => this.cx.care.backupIfChanged(this.cx.db));
  }

  /** The damaged database waiting for the person's decision, if any (cheap: no backup is opened). */
  pendingRecovery(): DatabaseRecovery | null {
    return this.cx.care.recovery();
  }

  /** Validates a raw argument against the contract, then runs the method's handler (a refused argument rejects, as any failure does). */
  private async call<M extends ApiMethod>(method: M, args: ApiArgs[M]): Promise<Awaited<ReturnType<Api[M]>>> {
    return this[apiEndpoint][method](parseApiArgs(method, args));
  }

  // The contract's methods (documented on `Api`, implemented in the capability modules).
  getStatus = () => this.call('getStatus', undefined);
  getActivity = () => this.call('getActivity', undefined);
  cancelActivity = (args: ApiArgs['cancelActivity']) => this.call('cancelActivity', args);
  listCatalogs = () => this.call('listCatalogs', undefined);
  renameCatalog = (args: ApiArgs['renameCatalog']) => this.call('renameCatalog', args);
  deleteCatalog = (args: ApiArgs['deleteCatalog']) => this.call('deleteCatalog', args);
  listProducts = (args: ApiArgs['listProducts']) => this.call('listProducts', args);
  listCategories = () => this.call('listCategories', undefined);
  listBrands = () => this.call('listBrands', undefined);
  getProduct = (args: ApiArgs['getProduct']) => this.call('getProduct', args);
  lookupIngredient = (args: ApiArgs['lookupIngredient']) => this.call('lookupIngredient', args);
  searchIngredients = (args: ApiArgs['searchIngredients']) => this.call('searchIngredients', args);
  saveIngredient = (args: ApiArgs['saveIngredient']) => this.call('saveIngredient', args);
  importCatalog = (args: ApiArgs['importCatalog']) => this.call('importCatalog', args);
  chooseImportFile = () => this.call('chooseImportFile', undefined);
  previewImport = (args: ApiArgs['previewImport']) => this.call('previewImport', args);
  loadSampleCatalog = (args?: ApiArgs['loadSampleCatalog']) => this.call('loadSampleCatalog', args);
  listModels = () => this.call('listModels', undefined);
  getModel = (args: ApiArgs['getModel']) => this.call('getModel', args);
  activateModel = (args: ApiArgs['activateModel']) => this.call('activateModel', args);
  /** `hooks` carries training progress and cancellation for in-process callers. */
  trainModel = async (args: ApiArgs['trainModel'], hooks: RunOptions = {}) => trainModel(this.cx, parseApiArgs('trainModel', args), hooks);
  encodeLists = (args: ApiArgs['encodeLists']) => this.call('encodeLists', args);
  decodeCodes = (args: ApiArgs['decodeCodes']) => this.call('decodeCodes', args);
  neighbours = (args: ApiArgs['neighbours']) => this.call('neighbours', args);
  whitespace = (args?: ApiArgs['whitespace']) => this.call('whitespace', args);
  latentMap = (args?: ApiArgs['latentMap']) => this.call('latentMap', args);
  interpolate = (args: ApiArgs['interpolate']) => this.call('interpolate', args);
  sensitivity = async (args?: ApiArgs['sensitivity'], hooks: RunOptions = {}) => sensitivity(this.cx, parseApiArgs('sensitivity', args), hooks);
  generate = async (args?: ApiArgs['generate'], hooks: RunOptions = {}) => generate(this.cx, parseApiArgs('generate', args), hooks);
  density = (args: ApiArgs['density']) => this.call('density', args);
  saveCandidate = (args: ApiArgs['saveCandidate']) => this.call('saveCandidate', args);
  saveGeneratedCandidate = (args: ApiArgs['saveGeneratedCandidate']) => this.call('saveGeneratedCandidate', args);
  listCandidates = (args?: ApiArgs['listCandidates']) => this.call('listCandidates', args);
  getCandidate = (args: ApiArgs['getCandidate']) => this.call('getCandidate', args);
  updateCandidate = (args: ApiArgs['updateCandidate']) => this.call('updateCandidate', args);
  deleteCandidate = (args: ApiArgs['deleteCandidate']) => this.call('deleteCandidate', args);
  compareCandidates = (args: ApiArgs['compareCandidates']) => this.call('compareCandidates', args);
  exportCandidatesCsv = (args: ApiArgs['exportCandidatesCsv']) => this.call('exportCandidatesCsv', args);
  candidatesCsv = (args?: ApiArgs['candidatesCsv']) => this.call('candidatesCsv', args);
  exportCandidatesXlsx = (args: ApiArgs['exportCandidatesXlsx']) => this.call('exportCandidatesXlsx', args);
  candidatesXlsx = (args?: ApiArgs['candidatesXlsx']) => this.call('candidatesXlsx', args);
  scoreList = (args: ApiArgs['scoreList']) => this.call('scoreList', args);
  parseDeclaration = (args: ApiArgs['parseDeclaration']) => this.call('parseDeclaration', args);
  editorSource = (args: ApiArgs['editorSource']) => this.call('editorSource', args);
  listGeneratedCandidates = (args: ApiArgs['listGeneratedCandidates']) => this.call('listGeneratedCandidates', args);
  chooseExportPath = (args?: ApiArgs['chooseExportPath']) => this.call('chooseExportPath', args);
  mapProducts = () => this.call('mapProducts', undefined);
  latentStatistics = () => this.call('latentStatistics', undefined);
  projectCodes = (args: ApiArgs['projectCodes']) => this.call('projectCodes', args);
  mapGenerated = (args?: ApiArgs['mapGenerated']) => this.call('mapGenerated', args);
  optimize = (args: ApiArgs['optimize']) => this.call('optimize', args);
  addLabResult = (args: ApiArgs['addLabResult']) => this.call('addLabResult', args);
  listBriefs = () => this.call('listBriefs', undefined);
  getBrief = (args: ApiArgs['getBrief']) => this.call('getBrief', args);
  saveBrief = (args: ApiArgs['saveBrief']) => this.call('saveBrief', args);
  deleteBrief = (args: ApiArgs['deleteBrief']) => this.call('deleteBrief', args);
  listFamilies = () => this.call('listFamilies', undefined);
  /** Gets the active model ready for a first generate job (see `warmUp` in services/generate.ts); never throws. */
  warmUp = () => warmUpModel(this.cx);
  estimateFormula = (args: ApiArgs['estimateFormula']) => this.call('estimateFormula', args);
  formulaSheet = (args: ApiArgs['formulaSheet']) => this.call('formulaSheet', args);
  formulaFile = (args: ApiArgs['formulaFile']) => this.call('formulaFile', args);
  exportFormula = (args: ApiArgs['exportFormula']) => this.call('exportFormula', args);
  setUseLevel = (args: ApiArgs['setUseLevel']) => this.call('setUseLevel', args);
  addInHouseLimit = (args: ApiArgs['addInHouseLimit']) => this.call('addInHouseLimit', args);
  deleteInHouseLimit = (args: ApiArgs['deleteInHouseLimit']) => this.call('deleteInHouseLimit', args);
  printToPdf = (args: ApiArgs['printToPdf']) => this.call('printToPdf', args);
  updateLabResult = (args: ApiArgs['updateLabResult']) => this.call('updateLabResult', args);
  deleteLabResult = (args: ApiArgs['deleteLabResult']) => this.call('deleteLabResult', args);
  listLabResults = (args?: ApiArgs['listLabResults']) => this.call('listLabResults', args);
  labProperties = () => this.call('labProperties', undefined);
  labResultsCsv = (args?: ApiArgs['labResultsCsv']) => this.call('labResultsCsv', args);
  exportLabResultsCsv = (args: ApiArgs['exportLabResultsCsv']) => this.call('exportLabResultsCsv', args);
  labResultsXlsx = (args?: ApiArgs['labResultsXlsx']) => this.call('labResultsXlsx', args);
  exportLabResultsXlsx = (args: ApiArgs['exportLabResultsXlsx']) => this.call('exportLabResultsXlsx', args);
  importLabResults = (args: ApiArgs['importLabResults']) => this.call('importLabResults', args);
  previewLabResults = (args: ApiArgs['previewLabResults']) => this.call('previewLabResults', args);
  chooseLabResultsFile = () => this.call('chooseLabResultsFile', undefined);
  proposeBatch = (args: ApiArgs['proposeBatch']) => this.call('proposeBatch', args);
  getDatabaseStatus = () => this.call('getDatabaseStatus', undefined);
  backupNow = () => this.call('backupNow', undefined);
  restoreBackup = (args: ApiArgs['restoreBackup']) => this.call('restoreBackup', args);
  dismissRecovery = () => this.call('dismissRecovery', undefined);
  chooseDatabaseFolder = () => this.call('chooseDatabaseFolder', undefined);
  moveDatabase = (args: ApiArgs['moveDatabase']) => this.call('moveDatabase', args);
  /** The desktop shell's folder dialog, which answers `chooseDatabaseFolder` (none elsewhere: the call is refused there). */
  useFolderDialog = (choose: FolderChooser) => void (this.cx.care.folderChooser = choose);
}
