import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The data folder's owner lock: one desktop app or browser preview at a time on a data folder (the
 * database, its backups and its model store). Electron's single-instance lock covers two app
 * windows of one user; this lock does not depend on Electron, so it also keeps a browser preview
 * (`npm start` without Electron, `npm run preview:web`) off a folder the app has open, and the
 * other way round. The command line does not take it: it may run beside the app (SQLite's
 * locking and the services' busy retry keep their writes apart).
 *
 * The lock is a small JSON file created with O_EXCL, holding the owner's pid, when that process
 * started (Linux: its start time in clock ticks, so a reused pid is not mistaken for the owner)
 * and the computer's name. A lock whose process is gone (a crash, kill -9) is stale: the next
 * start takes it over, serialised by a second O_EXCL file so that two starts cannot both break it.
 */

/** The lock file's name, in the folder that holds the database. */
export const FOLDER_LOCK_FILE = 'latent-formulator.lock';

/** Who may own a data folder: the desktop app's main process or the browser preview's server. */
export type FolderRole = 'app' | 'preview';

/** What the lock file says about its owner. */
export interface FolderOwner {
  pid: number;
  /** Linux: the process's start time (clock ticks since boot, /proc/<pid>/stat field 22); null elsewhere. */
  startTicks: number | null;
  /** When the owning process started. */
  startedAt: string;
  /** The computer it runs on: a lock from another computer (a shared folder) cannot be checked from here. */
  host: string;
  role: FolderRole;
  /** The database the owner opened. */
  database: string;
  /** Where the preview serves the app (null for the desktop app, or until the server listens). */
  url: string | null;
  /** Random, so a process tells its own lock from a later one. */
  token: string;
}

/** Whether the owner named by a lock file still runs: on this computer, checked; on another, unknown. */
export type OwnerState = 'alive' | 'dead' | 'elsewhere';

/** The folder holds a live owner's lock (or one being written right now): the caller must not open the database. */
export class FolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly lockPath: string,
    /** The owner, or null when the lock file was still being written by a starting process. */
    readonly owner: FolderOwner | null,
    readonly state: OwnerState | 'incomplete',
  ) {
    super(folderInUseMessage(folder, lockPath, owner, state));
    this.name = 'FolderInUseError';
  }
}

/** The one line a person reads when a second app or preview is refused. */
function folderInUseMessage(folder: string, lockPath: string, owner: FolderOwner | null, state: OwnerState | 'incomplete'): string {
  if (owner === null || state === 'incomplete') {
    return `The data folder ${folder} is being opened by another Latent Formulator process right now (its lock file is not complete yet); wait a moment and try again. The database was not opened.`;
  }
  const who = `${owner.role === 'app' ? 'the desktop app' : `the browser preview${owner.url ? ` at ${owner.url}` : ''}`}, pid ${owner.pid}, started ${owner.startedAt}`;
  if (state === 'elsewhere') {
    return `The data folder ${folder} is open in Latent Formulator on the computer "${owner.host}" (${who}); close it there first. If it no longer runs there, delete ${lockPath} and start again. The database was not opened.`;
  }
  return `The data folder ${folder} is already open in Latent Formulator (${who}); use that ${owner.role === 'app' ? 'window' : 'page'}, or close it before starting another. The database was not opened.`;
}

/** The lock file of the data folder holding `databasePath`. */
export function folderLockPath(databasePath: string): string {
  return join(dirname(resolve(databasePath)), FOLDER_LOCK_FILE);
}

/** /proc/<pid>/stat's fields after the command name (field 3 onwards), or null off Linux or when the process is gone. */
function procStatFields(pid: number): string[] | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** A process's start time in clock ticks since boot (Linux), or null. */
export function processStartTicks(pid: number): number | null {
  const fields = procStatFields(pid);
  const ticks = fields ? Number(fields[19]) : NaN;
  return Number.isFinite(ticks) ? ticks : null;
}

/**
 * Whether `owner` still runs. On this computer: its pid must exist (EPERM: another user's, which
 * exists), not be a zombie, and on Linux have the start time recorded (else the pid was reused).
 * A lock written on another computer cannot be checked from here.
 */
export function ownerState(owner: FolderOwner): OwnerState {
  if (owner.host !== hostname()) return 'elsewhere';
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'dead';
  }
  const fields = procStatFields(owner.pid);
  if (fields) {
    if (fields[0] === 'Z' || fields[0] === 'X') return 'dead';
    if (owner.startTicks !== null && Number(fields[19]) !== owner.startTicks) return 'dead';
  }
  return 'alive';
}

function parseOwner(raw: string): FolderOwner | null {
  try {
    const o = JSON.parse(raw) as Partial<FolderOwner>;
    if (!Number.isInteger(o.pid) || typeof o.token !== 'string' || typeof o.host !== 'string') return null;
    return {
      pid: o.pid!,
      startTicks: typeof o.startTicks === 'number' ? o.startTicks : null,
      startedAt: String(o.startedAt ?? ''),
      host: o.host,
      role: o.role === 'preview' ? 'preview' : 'app',
      database: String(o.database ?? ''),
      url: typeof o.url === 'string' ? o.url : null,
      token: o.token,
    };
  } catch {
    return null;
  }
}

/** The lock file's text, its owner (null when incomplete or not ours to read) and age; null when there is none. */
function readLockFile(path: string): { raw: string; owner: FolderOwner | null; ageMs: number } | null {
  try {
    const raw = readFileSync(path, 'utf8');
    return { raw, owner: parseOwner(raw), ageMs: Date.now() - statSync(path).mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The live owner of the folder holding `databasePath`, with whether it runs; null when the folder has no lock (or only a stale one). */
export function readFolderOwner(databasePath: string): { owner: FolderOwner; state: OwnerState } | null {
  const found = readLockFile(folderLockPath(databasePath));
  if (!found?.owner) return null;
  const state = ownerState(found.owner);
  return state === 'dead' ? null : { owner: found.owner, state };
}

/** Creates `path` with O_EXCL holding `text`, flushed; false when it already exists. */
function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(path);
    throw error;
  }
  closeSync(fd);
  return true;
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** How long a lock file may stay incomplete (created, not yet written) before it counts as left by a crash. */
const INCOMPLETE_STALE_MS = 10_000;
/** How long acquiring waits for a lock being written, or for another start breaking a stale lock. */
const ACQUIRE_WAIT_MS = 3_000;

/**
 * Removes the stale lock whose text is `staleRaw`, unless it changed meanwhile. Breakers take the
 * `.break` file (O_EXCL) first, so only one at a time reads and removes: no start ever removes a
 * lock another start has just created. A `.break` file left by a process that died holding it (or
 * older than 10 s) is removed and the caller tries again.
 */
function breakStaleLock(lockPath: string, staleRaw: string, me: FolderOwner): void {
  const breakPath = `${lockPath}.break`;
  if (!createExclusive(breakPath, JSON.stringify(me))) {
    const holder = readLockFile(breakPath);
    if (holder && ((holder.owner && ownerState(holder.owner) === 'dead') || holder.ageMs > INCOMPLETE_STALE_MS)) removeIfPresent(breakPath);
    return;
  }
  try {
    if (readLockFile(lockPath)?.raw === staleRaw) removeIfPresent(lockPath);
  } finally {
    removeIfPresent(breakPath);
  }
}

/** The data folder's lock, held by this process until `release` (or the process's exit). */
export class FolderLock {
  private released = false;
  private readonly onExit = () => this.release();

  constructor(
    readonly path: string,
    private current: FolderOwner,
    /** The owner of the stale lock this one replaced (a process that died without releasing it), if any. */
    readonly tookOverFrom: FolderOwner | null,
  ) {
    process.once('exit', this.onExit);
  }

  get owner(): FolderOwner {
    return this.current;
  }

  /** True while the lock file on disk is still this process's. */
  held(): boolean {
    return !this.released && readLockFile(this.path)?.owner?.token === this.current.token;
  }

  /** Records where the preview serves the app, so a second start can say where to go (written whole, then renamed over the lock). */
  update(changes: Pick<Partial<FolderOwner>, 'url'>): void {
    if (!this.held()) return;
    const next = { ...this.current, ...changes };
    const temp = `${this.path}.${next.token}.tmp`;
    if (!createExclusive(temp, JSON.stringify(next))) throw new Error(`could not update the lock file ${this.path}: ${temp} already exists`);
    renameSync(temp, this.path);
    this.current = next;
  }

  /** Removes the lock file if it is still this process's; safe to call more than once. */
  release(): void {
    if (this.released) return;
    if (this.held()) removeIfPresent(this.path);
    this.released = true;
    process.removeListener('exit', this.onExit);
  }
}

/**
 * Takes the owner lock of the data folder holding `databasePath` (creating the folder if needed),
 * taking over a stale one. Throws FolderInUseError when a live process owns it, naming it.
 */
export function acquireFolderLock(databasePath: string, role: FolderRole): FolderLock {
  const path = folderLockPath(databasePath);
  const folder = dirname(path);
  const me: FolderOwner = {
    pid: process.pid,
    startTicks: processStartTicks(process.pid),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    host: hostname(),
    role,
    database: resolve(databasePath),
    url: null,
    token: randomBytes(8).toString('hex'),
  };
  const text = JSON.stringify(me);
  mkdirSync(folder, { recursive: true });
  const deadline = Date.now() + ACQUIRE_WAIT_MS;
  let tookOverFrom: FolderOwner | null = null;
  for (;;) {
    if (createExclusive(path, text)) return new FolderLock(path, me, tookOverFrom);
    const found = readLockFile(path);
    if (found?.owner) {
      const state = ownerState(found.owner);
      if (state !== 'dead') throw new FolderInUseError(folder, path, found.owner, state);
      tookOverFrom = found.owner;
      breakStaleLock(path, found.raw, me);
    } else if (found && found.ageMs > INCOMPLETE_STALE_MS) {
      // Created but never written: a crash in between (a lock being written this instant is younger: wait for it).
      breakStaleLock(path, found.raw, me);
    }
    if (Date.now() > deadline) throw new FolderInUseError(folder, path, found?.owner ?? null, 'incomplete');
    // Straight back when the lock is gone; else it is being written, or another start is breaking it.
    if (found && readLockFile(path) !== null) sleepSync(20);
  }
}
