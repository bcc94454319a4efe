import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { ApiFailure, type ActivityKind } from '../../shared/api';
import type { IngredientLexicon } from '../../shared/inci/lexicon';
import { ComputeError, ComputeHost, type ChannelFactory, type RunOptions } from '../compute/host';
import type { JobKind, JobOf, ResultOf } from '../compute/protocol';
import { BUSY_RETRY_MS, busyBackoffMs, busyMessage, isBusyError, WRITE_ATTEMPT_WAIT_MS } from '../db/busy';
import type { OpenedDatabase } from '../db/connection';
import { readIngredientLexicon } from '../db/queries/ingredients';
import type { ImportProgress } from '../import/importer';
import { ImportWorker, sharedImportWorker, type ImportChannelFactory, type WorkerDatabase } from '../import/off-thread';
import { seededRandom } from '../../shared/ml/random';
import { ActivityTracker } from './activity';
import type { BackupPolicy, DatabaseCare } from './database';

/** How the services are opened (the desktop shell, the web preview, the CLI and the tests each give their own). */
export interface ServiceOptions {
  databasePath: string;
  resourcesDir: string;
  appVersion?: string;
  onImportProgress?: (progress: ImportProgress) => void;
  /** How to start the compute process (Electron passes a utilityProcess channel). */
  computeChannel?: ChannelFactory;
  /** How to start an import's worker (a worker thread unless given; Electron passes a utilityProcess channel). */
  importChannel?: ImportChannelFactory;
  /** Rolling backups: how many are kept and how often (see `DEFAULT_BACKUP_POLICY`). */
  backups?: Partial<BackupPolicy>;
  /** How long a write keeps retrying while another program holds the database's write lock (default `BUSY_RETRY_MS`). */
  busyRetryMs?: number;
}

/** How often this context's writes found the database busy (another program writing): retried, and given up on. */
export interface WriteContention {
  /** Attempts that got SQLITE_BUSY and were tried again. */
  retries: number;
  /** Writes that still got SQLITE_BUSY when the retry time ran out (the person got the 'busy' failure). */
  gaveUp: number;
  /** Time spent in attempts that ended busy and in the waits between them (ms). */
  busyMs: number;
}

/**
 * What a write can change that derived caches were built from: `catalog` (products and their
 * lists: an import, a catalog renamed or deleted, codes added for a model), `ingredients` (the knowledge base: names, synonyms, facts). Replacing the
 * whole database (a restore) is `database`, which clears every cache.
 */
export type DataChange = 'catalog' | 'ingredients' | 'database';

/**
 * A value built from the database on first use and kept, one per context, until `invalidate`
 * names a change it depends on. Declared once at module level by the module that owns it and
 * read with `cx.get(...)`, so nobody has to remember to reset it by hand.
 */
export class Derived<T> {
  constructor(
    /** The changes that make the value stale (every value is dropped when the database is replaced). */
    readonly dependsOn: readonly Exclude<DataChange, 'database'>[],
    readonly build: (cx: ServiceContext) => T,
  ) {}
}

/**
 * The value for the last key asked for, e.g. the active model's id: caches of the active model
 * hold one model's data at a time, and a different key means rebuild.
 */
export class KeyedSlot<K, V> {
  private entry: { key: K; value: V } | null = null;

  get(key: K): V | undefined {
    return this.entry?.key === key ? this.entry.value : undefined;
  }

  set(key: K, value: V): V {
    this.entry = { key, value };
    return value;
  }
}

/** What a tracked compute job shows in the activity list (progress and Cancel). */
export interface TrackedAs {
  kind: ActivityKind;
  label: string;
  /** The caller's own progress callbacks and abort signal (in-process callers: the CLI, tests). */
  hooks?: RunOptions;
}

/**
 * What every capability module works with: the database connection (which a restore replaces),
 * the write lock, the activity tracker, the compute process, the ingredient lexicon, and the
 * caches derived from the data with one `invalidate` for all of them.
 */
export class ServiceContext {
  /** Long operations in progress, for progress bars and Cancel. */
  readonly activity = new ActivityTracker();
  /** Where imports and previews run: a worker with its own connection, started on the first use. */
  readonly imports: ImportWorker;
  /** Whether `imports` is this context's own (given a channel), to stop on close; else the process's shared thread. */
  private readonly ownImports: boolean;
  private database: Database;
  private version: number;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private computeHost: ComputeHost | null = null;
  private readonly derived = new Map<Derived<unknown>, unknown>();
  /** Spreads the retry waits of writers in different processes (seeded by the pid, so two processes differ). */
  private readonly jitter = seededRandom(process.pid);
  /** See `WriteContention`. */
  readonly contention: WriteContention = { retries: 0, gaveUp: 0, busyMs: 0 };

  constructor(
    opened: OpenedDatabase,
    readonly options: ServiceOptions,
    /** Backups, the quarantine's follow-up and restores of this database file. */
    readonly care: DatabaseCare,
  ) {
    this.database = opened.db;
    this.version = opened.schemaVersion;
    this.shortenBusyWait();
    this.ownImports = options.importChannel !== undefined;
    this.imports = options.importChannel ? new ImportWorker(options.importChannel) : sharedImportWorker();
  }

  /** The open connection; read it at each use, since a restore replaces it. */
  get db(): Database {
    return this.database;
  }

  /** The schema version of the open database. */
  get schemaVersion(): number {
    return this.version;
  }

  /** The compute process, started on first use. */
  get compute(): ComputeHost {
    this.computeHost ??= new ComputeHost(this.options.computeChannel);
    return this.computeHost;
  }

  /**
   * The database file the import worker opens its own connection to, or null for an in-memory
   * database, which no second connection can open (its imports, previews and deletions run in-thread).
   */
  workerDatabase(): WorkerDatabase | null {
    if (this.options.databasePath === ':memory:') return null;
    return { path: this.options.databasePath, schemaVersion: this.version, maxPageCount: this.database.pragma('max_page_count', { simple: true }) as number };
  }

  /** Where model folders live: beside the database. */
  get modelsDir(): string {
    return join(dirname(this.options.databasePath), 'models');
  }

  /**
   * Runs every write: serialised within this process (an import's transaction spans awaits, so
   * nothing else may write meanwhile), and retried while another process (the app beside the
   * command line, or the other way round) holds the database's write lock. SQLite itself waits
   * `WRITE_ATTEMPT_WAIT_MS` for the lock (blocking this thread); a write that still gets
   * SQLITE_BUSY is run again after a backoff (50 ms doubling to 1 s, the event loop free) until
   * `busyRetryMs` has passed, then fails with ApiFailure 'busy' saying so, never a bare
   * "database is locked".
   *
   * `fn` must write in one transaction (or one all-or-nothing transaction in the import worker),
   * as every write here does: a busy attempt then left nothing behind, and running it again can
   * neither lose nor repeat a change.
   */
  exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    const attempt = () => this.retryWhileBusy(fn);
    const run = this.writeQueue.then(attempt, attempt);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  private async retryWhileBusy<T>(fn: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    const windowMs = this.options.busyRetryMs ?? BUSY_RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      const attemptStarted = performance.now();
      try {
        return await fn();
      } catch (error) {
        if (!isBusyError(error)) throw error;
        this.contention.busyMs += performance.now() - attemptStarted;
        const delay = busyBackoffMs(attempt, this.jitter());
        const elapsed = performance.now() - started;
        // A transaction still open after the failure is not this method's to end: no retry then.
        if (elapsed + delay > windowMs || (this.database.open && this.database.inTransaction)) {
          this.contention.gaveUp++;
          throw new ApiFailure('busy', busyMessage(elapsed));
        }
        this.contention.retries++;
        await new Promise((resolve) => setTimeout(resolve, delay));
        this.contention.busyMs += delay;
      }
    }
  }

  /** This context's value of `derived`, built on first use. */
  get<T>(derived: Derived<T>): T {
    if (this.derived.has(derived)) return this.derived.get(derived) as T;
    const value = derived.build(this);
    this.derived.set(derived, value);
    return value;
  }

  /**
   * Drops every cache built from what `change` touched. Replacing the database also stops the
   * compute process, so none of its per-model caches outlive the data they came from.
   */
  invalidate(change: DataChange): void {
    for (const derived of [...this.derived.keys()]) {
      if (change === 'database' || derived.dependsOn.includes(change)) this.derived.delete(derived);
    }
    if (change === 'database') {
      void this.computeHost?.close();
      this.computeHost = null;
    }
  }

  /** Makes a just-opened connection (a restored backup) the one in use and forgets everything built from the old one. */
  replaceDatabase(opened: OpenedDatabase): void {
    this.database = opened.db;
    this.version = opened.schemaVersion;
    this.shortenBusyWait();
    this.invalidate('database');
  }

  /** SQLite's wait for another program's write lock blocks this thread: short here, the rest is `exclusive`'s retry (see db/busy.ts). */
  private shortenBusyWait(): void {
    this.database.pragma(`busy_timeout = ${WRITE_ATTEMPT_WAIT_MS}`);
  }

  /** The knowledge base's name index, rebuilt only when an ingredient is saved or a catalog changes (~17 ms to build). */
  lexicon(): IngredientLexicon {
    return this.get(LEXICON);
  }

  /**
   * Runs a job in the compute process, tracked as an activity when `tracked` is given; a compute
   * failure becomes the `ApiFailure` with its code and message (cancelled, model-file, crashed…).
   */
  async run<K extends JobKind>(job: JobOf<K>, tracked?: TrackedAs): Promise<ResultOf<K>> {
    try {
      if (!tracked) return await this.compute.run(job);
      return await this.activity.run(tracked.kind, tracked.label, tracked.hooks ?? {}, (hooks) => this.compute.run(job, hooks));
    } catch (error) {
      if (error instanceof ComputeError) throw new ApiFailure(error.code, error.message);
      throw error;
    }
  }

  /** Stops the compute process and its own import worker, and closes the database. */
  close(): void {
    void this.computeHost?.close();
    if (this.ownImports) this.imports.close();
    if (this.database.open) this.database.close();
  }
}

// Catalog-only names belong to it too: they make a degraded name ambiguous, so an import changes it.
const LEXICON = new Derived(['ingredients', 'catalog'], (cx) => readIngredientLexicon(cx.db));
