import { BUSY_TIMEOUT_MS, busyMessage, isBusyError } from './db/busy';

/** A storage error as the user sees it. */
export interface StorageFailure {
  code: 'disk-full' | 'io-error' | 'read-only' | 'busy';
  message: string;
}

/**
 * Turns a storage failure — SQLite's SQLITE_FULL / SQLITE_IOERR… / SQLITE_READONLY, or a file
 * system's ENOSPC / EIO / EROFS, or SQLITE_BUSY that got past every retry ("database is locked": another program
 * writing to the database) — into an error code and a message a chemist can act on (plain
 * data, so the compute process can use it without the API contract). Every write in the app
 * is a transaction or a write-then-rename, so when one fails nothing of it is kept and what was
 * saved before is intact; the message says so. Other errors give null.
 */
export function storageFailure(error: unknown, action: string): StorageFailure | null {
  if (isBusyError(error)) return { code: 'busy', message: busyMessage(BUSY_TIMEOUT_MS, action) };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const kept = 'Nothing of it was kept (it was rolled back) and everything saved before is intact.';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return { code: 'disk-full', message: `${action} failed: the disk is full. ${kept} Free some disk space and try again.` };
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return { code: 'io-error', message: `${action} failed: the disk reported a read/write error (${code}). ${kept} Check the disk or move the data folder, then try again.` };
  }
  if (code === 'SQLITE_READONLY' || code === 'EROFS') {
    return { code: 'read-only', message: `${action} failed: the data folder is read-only (${code}). ${kept}` };
  }
  return null;
}
