import { ApiFailure } from '../shared/contract';

/**
 * Turns a storage failure — SQLite's SQLITE_FULL / SQLITE_IOERR… / SQLITE_READONLY, or a file
 * system's ENOSPC / EIO / EROFS — into an ApiFailure a chemist can act on. Every write in the app
 * is a transaction or a write-then-rename, so when one fails nothing of it is kept and what was
 * saved before is intact; the message says so. Other errors give null.
 */
export function storageFailure(error: unknown, action: string): ApiFailure | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const kept = 'Nothing of it was kept (it was rolled back) and everything saved before is intact.';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') {
    return new ApiFailure('disk-full', `${action} failed: the disk is full. ${kept} Free some disk space and try again.`);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') {
    return new ApiFailure('io-error', `${action} failed: the disk reported a read/write error (${code}). ${kept} Check the disk or move the data folder, then try again.`);
  }
  if (code === 'SQLITE_READONLY' || code === 'EROFS') {
    return new ApiFailure('read-only', `${action} failed: the data folder is read-only (${code}). ${kept}`);
  }
  return null;
}
