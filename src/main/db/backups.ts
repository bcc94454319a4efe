import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { openSqlite } from './sqlite';
import { fsyncFolder, processAlive } from '../atomic-file';
import { checkOpenDatabase, type DatabaseCheck } from './check';

/**
 * Backups of the app database, all taken with SQLite's online backup API (`db.backup()`, which
 * copies a consistent snapshot page by page while the app keeps working; never a raw copy of a
 * live file) into a `backups` folder beside it. Each one is a standalone file (journal mode
 * DELETE, no side files) checked with `quick_check` before it gets its final name.
 *
 *   <db>.v<N>.<time>.bak       before a schema upgrade from version N (never removed by the app)
 *   <db>.rolling.<time>.bak    at start-up and every so often while the data changes (the newest few kept)
 *   <db>.manual.<time>.bak     asked for by the person (never removed by the app)
 */

export type BackupKind = 'rolling' | 'manual' | 'pre-migration';

export interface BackupFile {
  /** The file name inside the backups folder (what `restoreBackup` takes). */
  file: string;
  path: string;
  kind: BackupKind;
  createdAt: string;
  bytes: number;
}

/** What a backup file holds, read from the file itself. */
export interface BackupContents {
  check: DatabaseCheck;
  schemaVersion: number | null;
  products: number | null;
  candidates: number | null;
}

/** Raised when a backup could not be written or did not pass its check; no backup file was left. */
export class BackupError extends Error {
  constructor(
    message: string,
    /** The underlying error's code (SQLITE_FULL, ENOSPC, …), if any. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** The folder beside the database that holds its backups. */
export function backupFolder(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

/** A time as it appears in backup and quarantine names: ISO 8601 with `:` and `.` as `-` (valid on every file system). */
export function fileTimestamp(at: Date = new Date()): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** The ISO time back from `fileTimestamp`, or null. */
export function parseFileTimestamp(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(text);
  if (!m) return null;
  const iso = `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The backups of the database at `dbPath` (other files in the folder are ignored), newest first. */
export function listBackupFiles(dbPath: string): BackupFile[] {
  const folder = backupFolder(dbPath);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const pattern = new RegExp(`^${escapeRegExp(basename(dbPath))}\\.(v\\d+|rolling|manual)\\.([0-9TZ-]+)\\.bak$`);
  const found: BackupFile[] = [];
  for (const file of names) {
    const m = pattern.exec(file);
    const createdAt = m ? parseFileTimestamp(m[2]!) : null;
    if (!m || !createdAt) continue;
    const stat = statSync(join(folder, file), { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    const kind: BackupKind = m[1] === 'rolling' ? 'rolling' : m[1] === 'manual' ? 'manual' : 'pre-migration';
    found.push({ file, path: join(folder, file), kind, createdAt, bytes: stat.size });
  }
  return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
}

/**
 * Copies the open database `db` into `target` with the online backup API, then finishes the
 * copy (made standalone, checked with `quick_check`, flushed); only a copy that passes is
 * renamed to `target`. Throws BackupError (leaving nothing behind) otherwise. The copy's commit
 * and the check read and flush the whole file, most of a second on a large database: the app
 * runs this in its import worker, on the worker's own connection (see BackupCopier).
 */
export async function copyDatabaseOnline(db: Database, target: string): Promise<BackupContents> {
  const folder = dirname(target);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    const why = code === 'EROFS' ? 'it is on a read-only drive' : code === 'EACCES' || code === 'EPERM' ? 'your account may not write in it (make it writable, or ask its owner)' : (error as Error).message;
    throw new BackupError(`could not back up the database to ${target}: the backups folder ${folder} cannot be written, as ${why}`, code);
  }
  removeStalePartials(folder);
  const partial = join(folder, `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  try {
    await db.backup(partial, { progress: stallGuard(target) });
    const contents = finishBackupCopy(partial);
    if (!contents.check.ok) throw new BackupError(`the copy did not pass quick_check: ${contents.check.problems.slice(0, 3).join('; ')}`);
    renameSync(partial, target);
    fsyncFolder(folder);
    return contents;
  } catch (error) {
    // The half-made copy is the app's own temporary file, not anyone's data.
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
    const code = (error as { code?: unknown }).code;
    throw new BackupError(`could not back up the database to ${target}: ${(error as Error).message ?? String(error)}`, typeof code === 'string' ? code : null);
  }
}

/**
 * better-sqlite3 repeats a backup step for as long as SQLite answers "busy", which a log the
 * connection cannot index (a read-only `-shm`) answers forever: a copy that has not advanced in
 * `maxSteps` steps and `maxMs` is given up with a BackupError instead of spinning. Both bounds
 * must pass, so neither a fast loop nor a process paused for a while (a laptop asleep) stops a
 * copy that is merely slow.
 */
export function stallGuard(target: string, maxSteps = 20_000, maxMs = 30_000): (p: { totalPages: number; remainingPages: number }) => number {
  let best = Number.POSITIVE_INFINITY;
  let steps = 0;
  let since = performance.now();
  return (p) => {
    if (p.remainingPages < best) {
      best = p.remainingPages;
      steps = 0;
      since = performance.now();
      return PAGES_PER_STEP;
    }
    if (++steps >= maxSteps && performance.now() - since >= maxMs) {
      throw new BackupError(`the copy to ${target} made no progress for ${Math.round((performance.now() - since) / 1000)} s: SQLite kept answering that the database is busy (is its -shm file read-only, or another program holding it?)`);
    }
    return PAGES_PER_STEP;
  };
}

/** Pages copied per backup step (better-sqlite3's own default after its first step). */
const PAGES_PER_STEP = 100;

/**
 * Makes a fresh copy a standalone file (journal mode DELETE, no side files), checks it and reads
 * what it holds (see readBackupContents), and, when it passes, flushes it to disk. Throws when
 * the copy cannot be made standalone; a failed check is in the contents returned.
 */
function finishBackupCopy(path: string): BackupContents {
  const copy = openSqlite(path, { fileMustExist: true });
  try {
    const mode = copy.pragma('journal_mode = DELETE', { simple: true }) as string;
    if (mode !== 'delete') throw new BackupError(`the copy stayed in journal mode ${mode}`);
  } finally {
    copy.close();
  }
  const contents = readBackupContents(path);
  if (!contents.check.ok) return contents;
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return contents;
}

/**
 * The time a new backup of the database at `dbPath` is named with: `at`, or 1 ms after the
 * newest backup already there when `at` is not later (a wall clock set back, by hand, by a time
 * server or after a flat battery). Names are what the list is ordered by and what rotation keeps,
 * so a backup written later always sorts as newer, whatever the clock says; the time in the name
 * is then a little ahead of the clock until the clock catches up.
 */
export function nextBackupTime(dbPath: string, at: Date = new Date()): Date {
  const newest = listBackupFiles(dbPath)[0];
  const after = newest ? Date.parse(newest.createdAt) + 1 : Number.NEGATIVE_INFINITY;
  return new Date(Math.max(at.getTime(), after));
}

/**
 * Writes a rolling or manual backup of `db` (the database at `dbPath`) into its backups folder,
 * named with `nextBackupTime` (later than every backup there, even when the clock went back).
 * Two backups within the same millisecond get consecutive times, never one name.
 */
export async function writeBackup(
  db: Database,
  dbPath: string,
  kind: 'rolling' | 'manual',
  at: Date = new Date(),
  copy: BackupCopier = (target) => copyDatabaseOnline(db, target),
): Promise<{ backup: BackupFile; contents: BackupContents; ms: number }> {
  const started = performance.now();
  const folder = backupFolder(dbPath);
  let time = nextBackupTime(dbPath, at).getTime();
  let file = `${basename(dbPath)}.${kind}.${fileTimestamp(new Date(time))}.bak`;
  while (statSync(join(folder, file), { throwIfNoEntry: false })) file = `${basename(dbPath)}.${kind}.${fileTimestamp(new Date(++time))}.bak`;
  const contents = await copy(join(folder, file));
  const backup = listBackupFiles(dbPath).find((b) => b.file === file);
  if (!backup) throw new BackupError(`the backup ${join(folder, file)} disappeared right after it was written`);
  return { backup, contents, ms: performance.now() - started };
}

/**
 * Removes the oldest rolling backups beyond the newest `keep`. Manual and pre-migration backups
 * are never removed; nothing outside the backups folder is touched. Returns the removed names.
 */
export function pruneRollingBackups(dbPath: string, keep: number): string[] {
  const rolling = listBackupFiles(dbPath).filter((b) => b.kind === 'rolling');
  const removed: string[] = [];
  for (const old of rolling.slice(Math.max(0, keep))) {
    rmSync(old.path, { force: true });
    removed.push(old.file);
  }
  return removed;
}

/** Writes a checked copy of the database to `target` as copyDatabaseOnline does (in-thread, or in the app's import worker). */
export type BackupCopier = (target: string) => Promise<BackupContents>;

/**
 * Opens a backup read-only and reports its check, schema version and counts (null where the
 * file's schema has no such table). A backup is never written to, so this leaves it unchanged.
 */
export function readBackupContents(path: string): BackupContents {
  let db: Database | null = null;
  try {
    db = openSqlite(path, { readonly: true, fileMustExist: true });
    const check = checkOpenDatabase(db);
    if (!check.ok) return { check, schemaVersion: null, products: null, candidates: null };
    const count = (table: string): number | null => {
      const exists = db!.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table);
      return exists ? (db!.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number) : null;
    };
    return { check, schemaVersion: db.pragma('user_version', { simple: true }) as number, products: count('products'), candidates: count('candidates') };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    return { check: { ok: false, problems: [message], errorCode: (error as { code?: string }).code ?? null, ms: 0 }, schemaVersion: null, products: null, candidates: null };
  } finally {
    db?.close();
  }
}

/**
 * Removes half-made copies a process left when it died mid-backup (a kill -9, a crash): those
 * whose writer's pid (in the name) is no longer running, with their journal files; a running
 * process's copy is left alone. Copies named by an older version (no pid) go once a day old.
 */
export function removeStalePartials(folder: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of readdirSync(folder)) {
    const m = /\.(?:(\d+)-)?[0-9a-f]+\.partial(?:-journal|-wal|-shm)?$/.exec(name);
    if (!m) continue;
    const path = join(folder, name);
    const abandoned = m[1] !== undefined ? !processAlive(Number(m[1])) : (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < dayAgo;
    if (abandoned) rmSync(path, { force: true });
  }
}
