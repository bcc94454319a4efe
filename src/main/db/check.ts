import type { Database } from 'better-sqlite3';
import { openSqlite } from './sqlite';

/** What `PRAGMA quick_check` (or the error that stopped it) said about a database. */
export interface DatabaseCheck {
  ok: boolean;
  /** quick_check's lines other than "ok", then the error that interrupted it, if any (at most `MAX_PROBLEMS` + 1). */
  problems: string[];
  /** SQLite's code when reading the file failed: SQLITE_CORRUPT, SQLITE_NOTADB, … (null when quick_check ran to the end). */
  errorCode: string | null;
  ms: number;
}

/** quick_check stops after this many problems: enough to describe the damage, not a flood. */
export const MAX_PROBLEMS = 100;

/** True for SQLite's "database disk image is malformed" (SQLITE_CORRUPT*) and "file is not a database" (SQLITE_NOTADB). */
export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/**
 * Runs `PRAGMA quick_check` on an open connection (it reads every page and checks each b-tree's
 * structure; unlike integrity_check it does not compare indexes with their tables, which is
 * what makes it fast enough for every start). A corruption error while reading counts as damage;
 * any other error (busy, I/O, permissions) is thrown, since it says nothing about the file.
 */
export function checkOpenDatabase(db: Database): DatabaseCheck {
  const started = performance.now();
  const problems: string[] = [];
  let errorCode: string | null = null;
  try {
    // Reading the header first: a file that is not a database fails here with SQLITE_NOTADB.
    db.pragma('user_version', { simple: true });
    for (const line of db.prepare(`PRAGMA quick_check(${MAX_PROBLEMS})`).pluck().iterate()) {
      if (line !== 'ok') problems.push(String(line));
    }
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
    errorCode = (error as { code: string }).code;
    problems.push(`${errorCode}: ${(error as Error).message}`);
  }
  return { ok: problems.length === 0, problems, errorCode, ms: performance.now() - started };
}

/**
 * Checks the database file at `path` through a read-only connection, so neither the file nor
 * its write-ahead log is written (SQLite may rebuild the `-shm` index, which holds no data, and
 * creates an empty `-wal`/`-shm` pair when there was none).
 */
export function checkDatabaseFile(path: string): DatabaseCheck {
  const started = performance.now();
  let db: Database | null = null;
  try {
    db = openSqlite(path, { readonly: true, fileMustExist: true });
    return { ...checkOpenDatabase(db), ms: performance.now() - started };
  } catch (error) {
    if (!isCorruptionError(error)) throw error;
    const code = (error as { code: string }).code;
    return { ok: false, problems: [`${code}: ${(error as Error).message}`], errorCode: code, ms: performance.now() - started };
  } finally {
    db?.close();
  }
}
