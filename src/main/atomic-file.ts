import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** A file that could not be written; the message names the file and the reason, and says the old file (if any) is intact. */
export class AtomicWriteError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'AtomicWriteError';
  }
}

/**
 * Writes `data` to `path` so that the file is either the complete new content or what it was
 * before, never half-written: a temporary file in the same folder is written and fsynced, then
 * renamed over the target (atomic on one file system), then the folder is fsynced. The
 * folder must exist. (ml/store.ts writes model folders the same way.) A temporary file left by
 * an earlier write of the same file whose process was killed before the rename is removed first
 * (see removeAbandonedTemporaries).
 */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const target = resolve(path);
  const folder = dirname(target);
  const fail = (reason: string): never => {
    throw new AtomicWriteError(target, `cannot write ${target}: ${reason}`);
  };
  const folderStat = statSync(folder, { throwIfNoEntry: false });
  if (!folderStat) fail(`the folder ${folder} does not exist; create it or choose another folder`);
  if (!folderStat!.isDirectory()) fail(`${folder} is not a folder`);
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) fail('a folder has that name; choose a file name');

  removeAbandonedTemporaries(folder, basename(target));
  const temporary = join(folder, `.${basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temporary, 'wx');
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(temporary, { force: true });
    fail(`${describeFileError(error)}. ${statSync(target, { throwIfNoEntry: false }) ? 'The existing file was not changed.' : 'No file was written.'}`);
  }
  fsyncFolder(folder);
}

/**
 * Removes the temporary files of `name` in `folder` that a write killed before its rename left
 * behind (`.<name>.<pid>-<hex>.tmp` whose process is gone), so an export folder does not collect
 * them: the app cannot sweep folders it was only once asked to write to, so the next write of the
 * same file does. A live process's write (this one's or the command line's) is left alone. A
 * temporary file named by an older version (no pid) goes once it is a day old. Returns the names
 * removed; a file that cannot be removed is left (it is hidden and holds nobody's data).
 */
export function removeAbandonedTemporaries(folder: string, name: string): string[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${escaped}\\.(?:(\\d+)-)?[0-9a-f]{12}\\.tmp$`);
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return removed;
  }
  for (const entry of entries) {
    const m = pattern.exec(entry);
    if (!m) continue;
    const path = join(folder, entry);
    const abandoned = m[1] !== undefined ? !processAlive(Number(m[1])) : (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < Date.now() - 24 * 3600_000;
    if (!abandoned) continue;
    try {
      rmSync(path, { force: true });
      removed.push(entry);
    } catch {
      // Left for the next write.
    }
  }
  return removed;
}

/** Whether a process with this id is running (this one included; one run by another account counts). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (is the file open in another program, or the folder read-only?)';
    case 'EBUSY':
      return 'the file is in use by another program';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the disk is read-only';
    default:
      return (error as Error).message ?? String(error);
  }
}

/** Makes a rename inside the folder at `path` durable; some platforms (Windows) cannot, and the rename is still atomic there. */
export function fsyncFolder(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot open a folder for fsync; the rename is still atomic.
  }
}
