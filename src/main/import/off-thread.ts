import type { ImportReport } from '../../shared/api';
import { spawnEntryThread } from '../thread-entry';
import { ImportError } from './catalog-file';
import type { ImportOptions } from './importer';
import type { ImportProgress } from './import-run';

/**
 * A catalog import run away from the app's main thread: the import (reading, checking, its one
 * transaction, the COMMIT and the WAL checkpoint after it) runs in a worker with its own
 * connection to the database file, so the window never waits on SQLite. The worker is a thread
 * under Node (the web preview, the CLI, the tests) and an Electron utility process in the desktop
 * app, where native modules stay out of worker threads. The caller holds the app's write lock
 * for the whole run; the transaction keeps the import all or nothing, as in-thread.
 */

/** What a run may be asked: its options cross the boundary as plain data. */
export type ImportRequest =
  | { type: 'start'; databasePath: string; schemaVersion: number; options: ImportJobOptions }
  | { type: 'cancel' };

/** What a run says: progress, then its report or why it failed. */
export type ImportEvent =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; report: ImportReport }
  | { type: 'failed'; importError: boolean; message: string };

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

/**
 * The app's import worker: started on the first import and kept for the next (starting one
 * costs more than a small import), one import at a time — the caller holds the write lock.
 * The file's own problems come back as {@link ImportError} with the same words as in-thread; a
 * worker that dies mid-run (nothing committed: SQLite drops an unfinished transaction) is an
 * error saying so, and the next import starts a fresh one.
 */
export class ImportWorker {
  private channel: ImportChannel | null = null;
  private pending: { onEvent(event: ImportEvent): void; onExit(code: number | null): void } | null = null;

  constructor(private readonly factory: ImportChannelFactory = threadImportChannel) {}

  run(database: { path: string; schemaVersion: number }, options: ImportOptions): Promise<ImportReport> {
    const { onProgress, signal, ...job } = options;
    return new Promise<ImportReport>((resolve, reject) => {
      if (this.pending) throw new Error('an import is already running in the worker');
      if (signal?.aborted) {
        reject(new ImportError('import cancelled; nothing was imported'));
        return;
      }
      let channel: ImportChannel;
      try {
        channel = this.start();
      } catch (error) {
        reject(new Error(`the import could not start its worker: ${(error as Error).message}. Nothing was imported.`));
        return;
      }
      const cancel = () => channel.send({ type: 'cancel' });
      signal?.addEventListener('abort', cancel, { once: true });
      const settle = (fn: () => void) => {
        this.pending = null;
        signal?.removeEventListener('abort', cancel);
        channel.hold?.(false);
        fn();
      };
      this.pending = {
        onEvent: (event) => {
          if (event.type === 'progress') onProgress?.(event.progress);
          else if (event.type === 'done') settle(() => resolve(event.report));
          else settle(() => reject(event.importError ? new ImportError(event.message) : new Error(`the import failed: ${event.message}. Nothing was imported.`)));
        },
        onExit: (code) => settle(() => reject(new Error(`the import's worker stopped unexpectedly (exit code ${code ?? 'none'}). Nothing was imported; the database is as it was.`))),
      };
      channel.hold?.(true);
      channel.send({ type: 'start', databasePath: database.path, schemaVersion: database.schemaVersion, options: job });
    });
  }

  /** Stops the worker (an import in progress fails, and nothing of it is committed). */
  close(): void {
    this.channel?.kill();
    this.channel = null;
  }

  private start(): ImportChannel {
    if (this.channel) return this.channel;
    const channel = this.factory();
    channel.onMessage((event) => this.pending?.onEvent(event));
    channel.onExit((code) => {
      if (this.channel === channel) this.channel = null;
      this.pending?.onExit(code);
    });
    this.channel = channel;
    return channel;
  }
}
