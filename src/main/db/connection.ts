import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openSqlite } from './sqlite';
import { backupFolder, copyDatabaseOnline, fileTimestamp } from './backups';
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
    applyPragmas(db, isMemory);

    let backupPath: string | null = null;
    if (existed && fileVersion > 0 && fileVersion < latest) {
      const dir = options.backupDir ?? backupFolder(path);
      backupPath = join(dir, `${basename(path)}.v${fileVersion}.${fileTimestamp()}.bak`);
      // Online backup, made standalone and checked before it gets its name; a failure stops the migration.
      await copyDatabaseOnline(db, backupPath);
    }
    migrate(db, migrations);
    return { db, path, schemaVersion: db.pragma('user_version', { simple: true }) as number, backupPath };
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
  db.pragma('busy_timeout = 5000');
}

/** Runs every step above the file's version, each in its own transaction with its version bump. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}

export { LATEST_SCHEMA_VERSION };
