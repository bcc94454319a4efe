import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { parentPort as threadPort } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { copyDatabaseOnline } from '../db/backups';
import { openSecondConnection } from '../db/connection';
import { readIngredientLexicon } from '../db/queries/ingredients';
import { deleteCatalogRows } from '../db/queries/products';
import { ImportError } from './catalog-file';
import { importCatalog } from './importer';
import { previewCatalogFile } from './preview';
import type { ImportEvent, ImportRequest } from './off-thread';

/**
 * The import worker (see off-thread.ts): imports and catalog deletions (one at a time), previews
 * and backups, each on its own connection, which it closes before it answers. Runs as a Node worker
 * thread (worker_threads' parentPort) or as an Electron utility process (process.parentPort,
 * whose messages come wrapped in `data`).
 */

interface UtilityPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const utilityPort = (process as NodeJS.Process & { parentPort?: UtilityPort }).parentPort;

function post(event: ImportEvent): void {
  if (threadPort) threadPort.postMessage(event);
  else utilityPort?.postMessage(event);
}

function onRequest(listener: (request: ImportRequest) => void): void {
  if (threadPort) threadPort.on('message', (m: ImportRequest) => listener(m));
  else if (utilityPort) utilityPort.on('message', (e) => listener(e.data as ImportRequest));
  else throw new Error('the import worker must run as a worker thread or an Electron utility process');
}

/** A request's failure as sent back: its message, whether the file's own (an ImportError), and its code (SQLITE_FULL, ENOSPC…). */
function failed(id: number, error: unknown): ImportEvent {
  const code = (error as { code?: unknown } | null)?.code;
  return { type: 'failed', id, importError: error instanceof ImportError, message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
}

/** The cancel switch of each request in progress. */
const controllers = new Map<number, AbortController>();
/** Imports and deletions run one at a time (the app holds its write lock for each); previews run at once. */
let writes: Promise<void> = Promise.resolve();

/** Runs one request on its own connection (closed before the answer) and answers it. */
async function handle(request: Exclude<ImportRequest, { type: 'cancel' }>): Promise<void> {
  const controller = new AbortController();
  controllers.set(request.id, controller);
  let db: Database | null = null;
  try {
    db = openSecondConnection(request.database.path, request.database.schemaVersion, request.database.maxPageCount);
    const result =
      request.type === 'import'
        ? await importCatalog(db, readIngredientLexicon(db), { ...request.options, signal: controller.signal, onProgress: (progress) => post({ type: 'progress', id: request.id, progress }) })
        : request.type === 'preview'
          ? await previewCatalogFile(request.options, readIngredientLexicon(db))
          : request.type === 'backup'
            ? await copyDatabaseOnline(db, request.target)
            : await deleteCatalogRows(db, request.catalogId, request.at, () => yieldToEventLoop());
    db.close();
    post({ type: 'done', id: request.id, result });
  } catch (error) {
    if (db?.open) db.close();
    post(failed(request.id, error));
  } finally {
    controllers.delete(request.id);
  }
}

onRequest((request) => {
  if (request.type === 'cancel') controllers.get(request.id)?.abort();
  // A backup reads a snapshot on its own connection: it need not wait for an import.
  else if (request.type === 'preview' || request.type === 'backup') void handle(request);
  else writes = writes.then(() => handle(request));
});
