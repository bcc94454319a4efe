import { parentPort as threadPort } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { openSecondConnection } from '../db/connection';
import { readIngredientLexicon } from '../db/queries/ingredients';
import { ImportError } from './catalog-file';
import { importCatalog } from './importer';
import type { ImportEvent, ImportRequest } from './off-thread';

/**
 * The import worker (see off-thread.ts): imports one at a time, each on its own connection, which
 * it closes before it answers. Runs as a Node worker thread (worker_threads' parentPort) or as an
 * Electron utility process (process.parentPort, whose messages come wrapped in `data`).
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

/** The run in progress's cancel switch; runs come one at a time (the app holds its write lock). */
let controller = new AbortController();
let queue: Promise<void> = Promise.resolve();

async function run(request: Extract<ImportRequest, { type: 'start' }>): Promise<void> {
  controller = new AbortController();
  let db: Database | null = null;
  try {
    db = openSecondConnection(request.databasePath, request.schemaVersion);
    const report = await importCatalog(db, readIngredientLexicon(db), {
      ...request.options,
      signal: controller.signal,
      onProgress: (progress) => post({ type: 'progress', progress }),
    });
    db.close();
    post({ type: 'done', report });
  } catch (error) {
    if (db?.open) db.close();
    post({ type: 'failed', importError: error instanceof ImportError, message: error instanceof Error ? error.message : String(error) });
  }
}

onRequest((request) => {
  if (request.type === 'cancel') controller.abort();
  else queue = queue.then(() => run(request));
});
