import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFolderLock, FOLDER_LOCK_FILE, FolderInUseError, folderLockPath, ownerState, processStartTicks, readFolderOwner, type FolderOwner } from '../../src/main/folder-lock';
import { tempDir } from '../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** The pid of a process that has already ended (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** A lock file as another process would have written it. */
function writeLock(owner: Partial<FolderOwner>): string {
  const path = join(dir, FOLDER_LOCK_FILE);
  const full: FolderOwner = { pid: 1, startTicks: null, startedAt: '2026-01-01T00:00:00.000Z', host: hostname(), role: 'app', database: join(dir, 'lab.db'), url: null, token: 'other', ...owner };
  writeFileSync(path, JSON.stringify(full));
  return path;
}

const lockOf = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as FolderOwner;

describe('the data folder lock', () => {
  it('is one file in the folder naming this process; a second taker is refused by name, in one line', () => {
    const lock = acquireFolderLock(join(dir, 'lab.db'), 'preview');
    expect(lock.path).toBe(join(dir, FOLDER_LOCK_FILE));
    expect(lockOf(lock.path)).toMatchObject({ pid: process.pid, role: 'preview', host: hostname(), database: join(dir, 'lab.db') });
    if (process.platform === 'linux') expect(lockOf(lock.path).startTicks).toBe(processStartTicks(process.pid));
    const refused = (() => {
      try {
        acquireFolderLock(join(dir, 'other.db'), 'app');
      } catch (error) {
        return error;
      }
    })() as FolderInUseError;
    expect(refused).toBeInstanceOf(FolderInUseError);
    expect(refused.owner?.pid).toBe(process.pid);
    expect(refused.message).toMatch(new RegExp(`^The data folder .* is already open in Latent Formulator \\(the browser preview, pid ${process.pid}, started .*\\); use that page, or close it before starting another\\. The database was not opened\\.$`));
    expect(refused.message).not.toContain('\n');
    lock.release();
  });

  it('is removed on release, only once, and can then be taken again', () => {
    const first = acquireFolderLock(join(dir, 'lab.db'), 'app');
    first.release();
    expect(existsSync(first.path)).toBe(false);
    first.release();
    const second = acquireFolderLock(join(dir, 'lab.db'), 'app');
    expect(second.tookOverFrom).toBeNull();
    second.release();
  });

  it('creates the data folder when it does not exist yet', () => {
    const lock = acquireFolderLock(join(dir, 'new', 'folder', 'lab.db'), 'app');
    expect(existsSync(join(dir, 'new', 'folder', FOLDER_LOCK_FILE))).toBe(true);
    lock.release();
  });

  it('takes over a stale lock whose process is gone, and says whose it was', () => {
    const pid = deadPid();
    writeLock({ pid });
    const lock = acquireFolderLock(join(dir, 'lab.db'), 'app');
    expect(lock.tookOverFrom?.pid).toBe(pid);
    expect(lockOf(lock.path).pid).toBe(process.pid);
    expect(existsSync(`${lock.path}.break`)).toBe(false);
    lock.release();
  });

  it.runIf(process.platform === 'linux')('takes over a lock whose pid now belongs to another process (a different start time)', () => {
    writeLock({ pid: process.ppid, startTicks: (processStartTicks(process.ppid) ?? 0) + 1 });
    const lock = acquireFolderLock(join(dir, 'lab.db'), 'app');
    expect(lock.tookOverFrom?.pid).toBe(process.ppid);
    lock.release();
  });

  it('refuses a lock held by a live process, and one from another computer, which it cannot check', () => {
    writeLock({ pid: process.ppid, startTicks: processStartTicks(process.ppid), role: 'app' });
    expect(() => acquireFolderLock(join(dir, 'lab.db'), 'preview')).toThrow(`(the desktop app, pid ${process.ppid}, started 2026-01-01T00:00:00.000Z); use that window`);
    const path = writeLock({ pid: deadPid(), host: 'lab-laptop' });
    expect(() => acquireFolderLock(join(dir, 'lab.db'), 'preview')).toThrow(`is open in Latent Formulator on the computer "lab-laptop"`);
    expect(() => acquireFolderLock(join(dir, 'lab.db'), 'preview')).toThrow(`If it no longer runs there, delete ${path} and start again`);
  });

  it('waits for a lock being written, and takes over one a crash left empty', () => {
    const path = writeLock({});
    writeFileSync(path, '');
    const started = Date.now();
    expect(() => acquireFolderLock(join(dir, 'lab.db'), 'app')).toThrow('is being opened by another Latent Formulator process right now');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    const lock = acquireFolderLock(join(dir, 'lab.db'), 'app');
    expect(lockOf(lock.path).pid).toBe(process.pid);
    lock.release();
  });

  it('leaves alone a lock that is no longer its own on release', () => {
    const lock = acquireFolderLock(join(dir, 'lab.db'), 'app');
    writeLock({ pid: process.ppid, token: 'someone else' });
    expect(lock.held()).toBe(false);
    lock.release();
    expect(lockOf(lock.path).token).toBe('someone else');
  });

  it('records the preview address, written whole over the lock, and still holds it', () => {
    const lock = acquireFolderLock(join(dir, 'lab.db'), 'preview');
    lock.update({ url: 'http://127.0.0.1:5199' });
    expect(lock.held()).toBe(true);
    expect(lockOf(lock.path).url).toBe('http://127.0.0.1:5199');
    expect(() => acquireFolderLock(join(dir, 'lab.db'), 'preview')).toThrow('(the browser preview at http://127.0.0.1:5199, pid');
    lock.release();
  });

  it('reads the live owner of a folder, and nothing for a stale lock', () => {
    expect(readFolderOwner(join(dir, 'lab.db'))).toBeNull();
    writeLock({ pid: deadPid() });
    expect(readFolderOwner(join(dir, 'lab.db'))).toBeNull();
    const lock = acquireFolderLock(join(dir, 'lab.db'), 'app');
    expect(readFolderOwner(join(dir, 'lab.db'))).toMatchObject({ state: 'alive', owner: { pid: process.pid, role: 'app' } });
    expect(folderLockPath(join(dir, 'lab.db'))).toBe(lock.path);
    lock.release();
  });

  it('counts a zombie (killed, not yet reaped) as gone', async () => {
    const child = spawn('sleep', ['30']);
    const pid = child.pid!;
    const owner: FolderOwner = { pid, startTicks: processStartTicks(pid), startedAt: '', host: hostname(), role: 'app', database: '', url: null, token: 't' };
    expect(ownerState(owner)).toBe('alive');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(ownerState(owner)).toBe('dead');
  });

  it('releases the lock when the process exits', () => {
    const script = `import { acquireFolderLock } from ${JSON.stringify(join(process.cwd(), 'src/main/folder-lock.ts'))}; acquireFolderLock(${JSON.stringify(join(dir, 'lab.db'))}, 'app'); process.stdout.write('held');`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stdout).toBe('held');
    expect(existsSync(join(dir, FOLDER_LOCK_FILE))).toBe(false);
  });
});
