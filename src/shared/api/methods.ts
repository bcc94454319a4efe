/**
 * The names of the API methods, in one list that the preload uses to build `window.api` and the
 * IPC layer uses to register handlers. Kept apart from the schemas so the preload stays tiny.
 */
export const API_METHODS = [
  'getStatus',
  'getActivity',
  'cancelActivity',
  'listCatalogs',
  'renameCatalog',
  'deleteCatalog',
  'listProducts',
  'listCategories',
  'listBrands',
  'getProduct',
  'lookupIngredient',
  'searchIngredients',
  'saveIngredient',
  'importCatalog',
  'chooseImportFile',
  'previewImport',
  'loadSampleCatalog',
  'listModels',
  'getModel',
  'activateModel',
  'trainModel',
  'encodeLists',
  'decodeCodes',
  'neighbours',
  'whitespace',
  'latentMap',
  'interpolate',
  'sensitivity',
  'generate',
  'density',
  'saveCandidate',
  'saveGeneratedCandidate',
  'listCandidates',
  'getCandidate',
  'updateCandidate',
  'deleteCandidate',
  'compareCandidates',
  'exportCandidatesCsv',
  'candidatesCsv',
  'exportCandidatesXlsx',
  'candidatesXlsx',
  'scoreList',
  'parseDeclaration',
  'editorSource',
  'listGeneratedCandidates',
  'chooseExportPath',
  'mapProducts',
  'latentStatistics',
  'projectCodes',
  'mapGenerated',
  'optimize',
  'addLabResult',
  'updateLabResult',
  'deleteLabResult',
  'listBriefs',
  'getBrief',
  'saveBrief',
  'deleteBrief',
  'listFamilies',
  'listLabResults',
  'labProperties',
  'labResultsCsv',
  'exportLabResultsCsv',
  'labResultsXlsx',
  'exportLabResultsXlsx',
  'importLabResults',
  'previewLabResults',
  'chooseLabResultsFile',
  'proposeBatch',
  'getDatabaseStatus',
  'backupNow',
  'restoreBackup',
  'dismissRecovery',
  'estimateFormula',
  'formulaSheet',
  'formulaFile',
  'exportFormula',
  'setUseLevel',
  'addInHouseLimit',
  'deleteInHouseLimit',
  'printToPdf',
  'chooseDatabaseFolder',
  'moveDatabase',
] as const;

export type ApiMethod = (typeof API_METHODS)[number];

/** Methods that write the file named by their `path`: in the desktop app only a path its Save dialog chose; never in the web preview. */
export const FILE_WRITING_METHODS: readonly ApiMethod[] = ['exportCandidatesCsv', 'exportLabResultsCsv', 'exportCandidatesXlsx', 'exportLabResultsXlsx', 'exportFormula', 'moveDatabase'];

/** Methods that read the file named by their `path`: in the desktop app only a path its Open dialog chose. */
export const FILE_READING_METHODS: readonly ApiMethod[] = ['importCatalog', 'previewImport', 'importLabResults', 'previewLabResults'];

/** Every IPC/HTTP answer is wrapped so errors cross the boundary as data, not exceptions. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ApiError {
  /** Stable machine-readable code, e.g. `invalid-argument`, `not-found`, `import-failed`. */
  code: string;
  /** What went wrong, where, and what to do — written for a person. */
  message: string;
}

/** Channel name for a method in Electron IPC. */
export function ipcChannel(method: ApiMethod): string {
  return `api:${method}`;
}
