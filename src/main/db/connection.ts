import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { readFolderOwner } from '../folder-lock';
import { openSqlite } from './sqlite';
import { backupFolder, copyDatabaseOnline, fileTimestamp, nextBackupTime } from './backups';
import { BUSY_TIMEOUT_MS, isBusyError } from './busy';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

/** Raised when the file was written by a newer version of the app; the file is left untouched. */
export class NewerDatabaseError extends Error {
  constructor(
    readonly path: string,
    readonly fileVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `${path} uses database schema version ${fileVersion}, but this version of Latent Formulator only knows up to ${appVersion}. ` +
        'Update the app, or open a different database with --db. The file was not changed.',
    );
    this.name = 'NewerDatabaseError';
  }
}

/**
 * Raised when the file needs a schema upgrade while another program has it open (an older app, a
 * preview, another command line): upgrading a schema under a running program could break it, so
 * the file is left untouched (no backup written, no step run).
 */
export class DatabaseInUseError extends Error {
  constructor(
    readonly path: string,
    readonly fileVersion: number,
    readonly appVersion: number,
    /** Who has it open, as far as can be told: the data folder's owner, else "another program". */
    readonly holder: string,
  ) {
    super(
      `${path} is at database schema version ${fileVersion} and this version of Latent Formulator needs ${appVersion}, but ${holder} has the file open, ` +
        'so it was not upgraded (upgrading it under a running program could break that program). Close it, then try again; the file was not changed.',
    );
    this.name = 'DatabaseInUseError';
  }
}

export interface OpenOptions {
  /** Where to write the pre-migration backup; defaults to a `backups` folder beside the file. */
  backupDir?: string;
  /** Migration list; tests pass a longer one to exercise later steps. */
  migrations?: readonly Migration[];
}

export interface OpenedDatabase {
  db: Database;
  path: string;
  schemaVersion: number;
  /** Backup written before migrating an existing file, if any. */
  backupPath: string | null;
}

/**
 * Opens (creating if needed) the app database: WAL journal, synchronous=FULL, foreign keys on —
 * each read back and checked — then brings the schema up to date.
 */
export async function openDatabase(path: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  const isMemory = path === ':memory:';
  const existed = !isMemory && existsSync(path);
  if (!isMemory) mkdirSync(dirname(path), { recursive: true });

  const db = openSqlite(path, { fileMustExist: false });
  try {
    // Refuse a newer file before touching anything (journal mode change writes to the file).
    const fileVersion = db.pragma('user_version', { simple: true }) as number;
    if (fileVersion > latest) throw new NewerDatabaseError(path, fileVersion, latest);
    if (existed && fileVersion > 0 && fileVersion < latest) {
      db.close();
      const backupPath = await upgradeAlone(path, fileVersion, latest, migrations, options);
      return reopenUpgraded(path, latest, backupPath);
    }
    applyPragmas(db, isMemory);
    // A new file: the steps run (each re-reading the version in its transaction, should another process be creating it too).
    migrate(db, migrations);
    return { db, path, schemaVersion: db.pragma('user_version', { simple: true }) as number, backupPath: null };
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}

/**
 * Upgrades an existing file's schema with no other program on it. The connection holds SQLite's
 * exclusive lock (locking_mode EXCLUSIVE) from its first read to its close: taking it fails while
 * any other connection has the file open (an older app that would break under the new schema, or
 * that the upgrade would break), and holding it keeps everyone out until the upgrade is done. A
 * file held elsewhere is refused with DatabaseInUseError, untouched. Then it writes the
 * pre-migration backup and runs the steps.
 */
async function upgradeAlone(path: string, seenVersion: number, latest: number, migrations: readonly Migration[], options: OpenOptions): Promise<string | null> {
  // The data folder's owner (a running app or preview on this file) is named at once, without waiting for SQLite's lock.
  const owner = readFolderOwner(path);
  const named = owner && owner.owner.pid !== process.pid && owner.owner.database === resolve(path) ? `Latent Formulator (${owner.owner.role === 'app' ? 'the desktop app' : 'the browser preview'}, pid ${owner.owner.pid}${owner.state === 'elsewhere' ? ` on ${owner.owner.host}` : ''})` : null;
  const db = openSqlite(path, { fileMustExist: true });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // Another new process upgrading the same file holds the lock for a moment: wait for it; an app holding the file never lets go.
    db.pragma(`busy_timeout = ${named ? 0 : BUSY_TIMEOUT_MS}`);
    let fileVersion: number;
    try {
      fileVersion = db.pragma('user_version', { simple: true }) as number;
      // user_version can come from a cache; a read of the schema takes the lock for certain.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      throw new DatabaseInUseError(path, seenVersion, latest, named ?? 'another program (a Latent Formulator window, the browser preview or a command line, maybe an older version)');
    }
    if (fileVersion > latest) throw new NewerDatabaseError(path, fileVersion, latest);
    if (fileVersion >= latest) return null; // upgraded meanwhile by another process
    applyPragmas(db, false);
    const backupPath = join(options.backupDir ?? backupFolder(path), `${basename(path)}.v${fileVersion}.${fileTimestamp(nextBackupTime(path))}.bak`);
    // Online backup, made standalone and checked before it gets its name; a failure stops the migration.
    await copyDatabaseOnline(db, backupPath);
    migrate(db, migrations);
    return backupPath;
  } finally {
    db.close();
  }
}

/** The normal connection to a file just upgraded, with the backup written before the upgrade. */
function reopenUpgraded(path: string, latest: number, backupPath: string | null): OpenedDatabase {
  const db = openSqlite(path, { fileMustExist: true });
  try {
    applyPragmas(db, false);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    if (schemaVersion !== latest) throw new Error(`${path} is at schema version ${schemaVersion} after the upgrade to ${latest}; reopen the app`);
    return { db, path, schemaVersion, backupPath };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * A second connection to an open app database, for work done off the main thread (an import):
 * the same pragmas as the first (its page limit when given), and the schema version the caller
 * expects (else the file changed under the app, and the connection is refused).
 */
export function openSecondConnection(path: string, schemaVersion: number, maxPageCount?: number): Database {
  const db = openSqlite(path, { fileMustExist: true });
  try {
    applyPragmas(db, false);
    if (maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(maxPageCount)}`);
    const fileVersion = db.pragma('user_version', { simple: true }) as number;
    if (fileVersion !== schemaVersion) throw new Error(`${path} is at schema version ${fileVersion}, not the ${schemaVersion} the app opened; reopen the app`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function applyPragmas(db: Database, isMemory: boolean): void {
  const journal = db.pragma('journal_mode = WAL', { simple: true }) as string;
  if (!isMemory && journal !== 'wal') throw new Error(`could not switch the database to WAL journal mode (got ${journal})`);
  db.pragma('synchronous = FULL');
  const sync = db.pragma('synchronous', { simple: true }) as number;
  if (sync !== 2) throw new Error(`could not set synchronous=FULL (got ${sync})`);
  db.pragma('foreign_keys = ON');
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  if (fk !== 1) throw new Error('could not enable foreign keys');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

/**
 * Runs every step above the file's version, each in its own transaction with its version bump.
 * The version is read again inside each step's write transaction, so two processes creating the
 * same new file at once run each step once between them.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= step.version) return;
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}

export { LATEST_SCHEMA_VERSION };
