import type { ImportPreview, ImportReport } from '../../shared/api';
import { BackupError, type BackupContents } from '../db/backups';
import type { CatalogRemoval } from '../db/queries/products';
import { spawnEntryThread } from '../thread-entry';
import { ImportError } from './catalog-file';
import type { ImportOptions } from './importer';
import type { ImportProgress } from './import-run';

/**
 * Catalog imports run away from the app's main thread: the import (reading, checking, its one
 * transaction, the COMMIT and the WAL checkpoint after it), the import wizard's preview and a
 * catalog's deletion (and each backup, whose copy and check read and flush the whole file) run
 * in a worker with its own connection to the database file, so the window never waits on them. The worker is a thread under Node (the web preview, the CLI, the
 * tests) and an Electron utility process in the desktop app, where native modules stay out of
 * worker threads. The caller holds the app's write lock for an import or a deletion; its one
 * transaction keeps it all or nothing, as in-thread.
 */

/** The database a worker opens its own connection to, the schema version the app opened, and the app connection's page limit. */
export interface WorkerDatabase {
  path: string;
  schemaVersion: number;
  /** SQLite's max_page_count on the app's connection (a per-connection setting), which the worker's connection takes too. */
  maxPageCount?: number;
}

/** A preview's options (see previewCatalogFile). */
export type PreviewJobOptions = Pick<ImportOptions, 'path' | 'format' | 'sheet' | 'mapping' | 'encoding' | 'delimiter'>;

/** What the worker may be asked, each request with its id: an import, a preview, or to cancel one. */
export type ImportRequest =
  | { type: 'import'; id: number; database: WorkerDatabase; options: ImportJobOptions }
  | { type: 'preview'; id: number; database: WorkerDatabase; options: PreviewJobOptions }
  | { type: 'delete-catalog'; id: number; database: WorkerDatabase; catalogId: number; at: string }
  | { type: 'backup'; id: number; database: WorkerDatabase; target: string }
  | { type: 'cancel'; id: number };

/** What the worker says of a request: progress, then its result or why it failed. */
export type ImportEvent =
  | { type: 'progress'; id: number; progress: ImportProgress }
  | { type: 'done'; id: number; result: ImportReport | ImportPreview | CatalogRemoval | BackupContents }
  | { type: 'failed'; id: number; importError: boolean; message: string; code?: string };

/** An import's options without the callbacks, which stay on the caller's side. */
export type ImportJobOptions = Omit<ImportOptions, 'onProgress' | 'signal'>;

/** A two-way message pipe to one import worker. */
export interface ImportChannel {
  send(message: ImportRequest): void;
  onMessage(listener: (event: ImportEvent) => void): void;
  /** Fires once when the worker is gone, with its exit code. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
  /** Whether an idle worker may keep the process alive (a thread is let go while idle, so the CLI can exit). */
  hold?(busy: boolean): void;
}

export type ImportChannelFactory = () => ImportChannel;

/** A Node worker thread running imports (the web preview, the CLI, the tests). */
export function threadImportChannel(): ImportChannel {
  const worker = spawnEntryThread(import.meta.url, { dir: '.', file: 'import-thread.ts' }, 'import-worker.js');
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', (m: ImportEvent) => listener(m)),
    // A thread that fails to start (or throws at the top) reports an error before its exit.
    onExit: (listener) => {
      let error: Error | null = null;
      worker.on('error', (e) => (error = e));
      worker.on('exit', (code) => listener(error ? code || 1 : code));
    },
    kill: () => void worker.terminate(),
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
  };
}

/** How a request's failures are said: a worker's death, and an error that is not the file's own. */
const FAILURES: Record<Exclude<ImportRequest['type'], 'cancel'>, { stopped: string; failed: (message: string) => string }> = {
  import: {
    stopped: "the import's worker stopped unexpectedly ({code}). Nothing was imported; the database is as it was.",
    failed: (message) => `the import failed: ${message}. Nothing was imported.`,
  },
  preview: { stopped: 'the worker reading the file stopped unexpectedly ({code}).', failed: (message) => `the preview failed: ${message}` },
  backup: { stopped: 'the worker writing the backup stopped unexpectedly ({code})', failed: (message) => message },
  'delete-catalog': {
    stopped: 'the worker deleting the catalog stopped unexpectedly ({code}). Nothing was deleted; the database is as it was.',
    failed: (message) => `deleting the catalog failed: ${message}. Nothing was deleted.`,
  },
};

/** An error from the worker with its code (SQLITE_FULL, ENOSPC…), so a full disk is said as one. */
function failure(message: string, code: string | undefined): Error {
  const error = new Error(message) as Error & { code?: string };
  if (code) error.code = code;
  return error;
}

/**
 * The app's import worker: started on first use and kept (starting one costs more than a small
 * import). Imports and deletions come one at a time — the caller holds the write lock — and a
 * preview may run beside one. The file's own problems come back as {@link ImportError} with the
 * same words as in-thread; a worker that dies mid-import (nothing committed: SQLite drops an
 * unfinished transaction) is an error saying so, and the next request starts a fresh worker.
 */
export class ImportWorker {
  private channel: ImportChannel | null = null;
  private readonly pending = new Map<number, { onEvent(event: ImportEvent): void; onExit(code: number | null): void }>();
  private nextId = 1;

  constructor(private readonly factory: ImportChannelFactory = threadImportChannel) {}

  /** Imports a catalog file into `database`; resolves with the import's report. */
  run(database: WorkerDatabase, options: ImportOptions): Promise<ImportReport> {
    const { onProgress, signal, ...job } = options;
    return this.request<ImportReport>((id) => ({ type: 'import', id, database, options: job }), onProgress, signal);
  }

  /** Reads the head of a catalog file as the import will, writing nothing (see previewCatalogFile). */
  preview(database: WorkerDatabase, options: PreviewJobOptions): Promise<ImportPreview> {
    return this.request<ImportPreview>((id) => ({ type: 'preview', id, database, options }));
  }

  /**
   * Deletes a catalog's rows in one transaction (see deleteCatalogRows): the by-ingredient index
   * it may rebuild and the COMMIT take seconds on a large catalog, which the window must not wait on.
   */
  deleteCatalog(database: WorkerDatabase, catalogId: number, at: string): Promise<CatalogRemoval> {
    return this.request<CatalogRemoval>((id) => ({ type: 'delete-catalog', id, database, catalogId, at }));
  }

  /**
   * Writes a checked backup of `database` to `target` from the worker's own connection (see
   * copyDatabaseOnline); a failure is a BackupError with its code, as in-thread.
   */
  async backup(database: WorkerDatabase, target: string): Promise<BackupContents> {
    try {
      return await this.request<BackupContents>((id) => ({ type: 'backup', id, database, target }));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new BackupError((error as Error).message, typeof code === 'string' ? code : null);
    }
  }

  /** Stops the worker (an import in progress fails, and nothing of it is committed). */
  close(): void {
    this.channel?.kill();
    this.channel = null;
  }

  private request<T>(message: (id: number) => Exclude<ImportRequest, { type: 'cancel' }>, onProgress?: (p: ImportProgress) => void, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new ImportError('import cancelled; nothing was imported'));
        return;
      }
      let channel: ImportChannel;
      try {
        channel = this.start();
      } catch (error) {
        reject(new Error(`the import worker could not start: ${(error as Error).message}. Nothing was changed.`));
        return;
      }
      const id = this.nextId++;
      const request = message(id);
      const said = FAILURES[request.type];
      const cancel = () => channel.send({ type: 'cancel', id });
      signal?.addEventListener('abort', cancel, { once: true });
      const settle = (fn: () => void) => {
        this.pending.delete(id);
        signal?.removeEventListener('abort', cancel);
        if (this.pending.size === 0) channel.hold?.(false);
        fn();
      };
      this.pending.set(id, {
        onEvent: (event) => {
          if (event.type === 'progress') onProgress?.(event.progress);
          else if (event.type === 'done') settle(() => resolve(event.result as T));
          else settle(() => reject(event.importError ? new ImportError(event.message) : failure(said.failed(event.message), event.code)));
        },
        onExit: (code) => settle(() => reject(new Error(said.stopped.replace('{code}', `exit code ${code ?? 'none'}`)))),
      });
      channel.hold?.(true);
      channel.send(request);
    });
  }

  private start(): ImportChannel {
    if (this.channel) return this.channel;
    const channel = this.factory();
    channel.onMessage((event) => this.pending.get(event.id)?.onEvent(event));
    channel.onExit((code) => {
      if (this.channel === channel) this.channel = null;
      for (const pending of [...this.pending.values()]) pending.onExit(code);
    });
    this.channel = channel;
    return channel;
  }
}

let shared: ImportWorker | null = null;

/**
 * The process's own import worker thread, shared by every database the process opens (each
 * request names its database, and the worker keeps nothing between requests): one start per
 * process, not per database. Idle, it does not keep the process alive.
 */
export function sharedImportWorker(): ImportWorker {
  shared ??= new ImportWorker(threadImportChannel);
  return shared;
}

