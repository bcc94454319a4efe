import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAccessProblem, type AccessProbe } from '../../../src/main/db/access';
import { tempDir } from '../../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** A file system described by a table: path → kind, and the modes each path refuses (with the errno code). */
function fakeProbe(kinds: Record<string, 'file' | 'folder'>, refused: Record<string, { mode: number; code: string }> = {}): AccessProbe {
  return {
    kind: (path) => kinds[path] ?? null,
    access: (path, mode) => {
      const r = refused[path];
      if (r && (r.mode & mode) !== 0) throw Object.assign(new Error(r.code), { code: r.code });
    },
  };
}

const R = 4;
const W = 2;

describe('findAccessProblem', () => {
  it('finds nothing missing on a writable folder and file, or a new file in a writable folder', () => {
    const probe = fakeProbe({ '/': 'folder', '/data': 'folder', '/data/lab.db': 'file' });
    expect(findAccessProblem('/data/lab.db', probe)).toBeNull();
    expect(findAccessProblem('/data/new.db', probe)).toBeNull();
    expect(findAccessProblem(':memory:', probe)).toBeNull();
  });

  it('names the read-only file, the read-only folder, a read-only log and an unreadable file', () => {
    const kinds = { '/': 'folder', '/data': 'folder', '/data/lab.db': 'file', '/data/lab.db-wal': 'file' } as const;
    expect(findAccessProblem('/data/lab.db', fakeProbe(kinds, { '/data/lab.db': { mode: W, code: 'EACCES' } }))).toEqual({ kind: 'file-read-only', path: '/data/lab.db' });
    expect(findAccessProblem('/data/lab.db', fakeProbe(kinds, { '/data': { mode: W, code: 'EACCES' } }))).toEqual({ kind: 'folder-read-only', path: '/data' });
    expect(findAccessProblem('/data/lab.db', fakeProbe(kinds, { '/data/lab.db-wal': { mode: W, code: 'EACCES' } }))).toEqual({ kind: 'side-file-read-only', path: '/data/lab.db-wal' });
    expect(findAccessProblem('/data/lab.db', fakeProbe(kinds, { '/data/lab.db': { mode: R | W, code: 'EACCES' } }))).toEqual({ kind: 'file-not-readable', path: '/data/lab.db' });
  });

  it('says a folder that cannot be created, a file in the way, and a read-only drive', () => {
    expect(findAccessProblem('/srv/a/b/lab.db', fakeProbe({ '/': 'folder', '/srv': 'folder' }, { '/srv': { mode: W, code: 'EACCES' } }))).toEqual({ kind: 'folder-cannot-be-created', path: '/srv' });
    expect(findAccessProblem('/srv/notes.txt/lab.db', fakeProbe({ '/': 'folder', '/srv': 'folder', '/srv/notes.txt': 'file' }))).toEqual({ kind: 'not-a-folder', path: '/srv/notes.txt' });
    expect(findAccessProblem('/media/card/lab.db', fakeProbe({ '/': 'folder', '/media': 'folder', '/media/card': 'folder', '/media/card/lab.db': 'file' }, { '/media/card': { mode: W, code: 'EROFS' } }))).toEqual({
      kind: 'drive-read-only',
      path: '/media/card',
    });
  });
});

const asNobody = process.getuid?.() === 0;
const CHILD = fileURLToPath(new URL('../../reliability/fallbacks-child.ts', import.meta.url));

describe.skipIf(!asNobody)('opening a database without write permission, as a non-root account', () => {
  it('refuses a read-only database file with its path and what to do, and creates no file beside it', async () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    execFileSync(process.execPath, ['--import', 'tsx', CHILD, 'create', join(data, 'lab.db')]);
    chownSync(dir, 65534, 65534);
    chownSync(data, 65534, 65534);
    chownSync(join(data, 'lab.db'), 65534, 65534);
    chmodSync(join(data, 'lab.db'), 0o444);
    const before = readdirSync(data).sort();
    let out: string;
    try {
      out = execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '--import', 'tsx', CHILD, 'open', join(data, 'lab.db')], { encoding: 'utf8', env: { ...process.env, HOME: dir } });
    } catch (error) {
      out = String((error as { stdout?: string }).stdout ?? '');
    }
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { ok: boolean; name: string; message: string };
    expect(result.ok).toBe(false);
    expect(result.name).toBe('DatabaseAccessError');
    expect(result.message).toContain(`the file ${join(data, 'lab.db')} is read-only for your account`);
    expect(result.message).toContain('Nothing was changed and no file was created');
    expect(readdirSync(data).sort()).toEqual(before);
  }, 60_000);
});
