/**
 * Another program writing to the database: the desktop app and the command line (or a second
 * command line) share one file, and SQLite lets one of them write at a time. A service write
 * first waits in SQLite for up to `WRITE_ATTEMPT_WAIT_MS`; the services then retry it with backoff
 * for up to `BUSY_RETRY_MS` (`ServiceContext.exclusive`); only then does the person hear of it,
 * through `busyMessage`. SQLite's own wait blocks its thread (the app's main process, whose every
 * window call it would hold up), so it is kept short there and the rest of the wait is the
 * asynchronous retry; other connections (opening, migrating, the import worker's) wait
 * `BUSY_TIMEOUT_MS`. Plain data: the compute process may use it without the database driver.
 */

/** How long SQLite itself waits for another connection's write lock (PRAGMA busy_timeout) before SQLITE_BUSY, on every connection but the services' own. */
export const BUSY_TIMEOUT_MS = 5_000;

/** SQLite's own wait on the services' connection: one write attempt's, before the asynchronous retry takes over. */
export const WRITE_ATTEMPT_WAIT_MS = 250;

/** How long the services keep retrying a write that got SQLITE_BUSY, with backoff, before giving up. */
export const BUSY_RETRY_MS = 15_000;

/** True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes), also when carried by a wrapping error. */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code.startsWith('SQLITE_BUSY');
  return error instanceof Error && /\bdatabase is locked\b|\bSQLITE_BUSY/.test(error.message);
}

/** What a person reads when a write gave up: who holds the database, how long it tried, that nothing was kept, what to do. */
export function busyMessage(triedMs: number, action: string | null = null): string {
  const seconds = Math.max(1, Math.round(triedMs / 1000));
  return `${action ? `${action} failed: ` : ''}another program (the app or the command line) is writing to the database; tried for ${seconds} s and nothing of this change was saved; try again in a moment`;
}

/** The wait before retry number `attempt` (1, 2, …): doubling from 50 ms up to 1 s, spread by `jitter` in [0, 1) so two writers do not retry in step. */
export function busyBackoffMs(attempt: number, jitter: number): number {
  const base = Math.min(1_000, 50 * 2 ** (attempt - 1));
  return Math.round(base * (0.75 + 0.5 * jitter));
}
