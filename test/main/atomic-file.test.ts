import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AtomicWriteError, writeFileAtomically } from '../../src/main/atomic-file';
import { tempDir } from '../helpers';

// Lets a test make one fs call fail, as a full or failing disk would.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, fsyncSync: vi.fn(actual.fsyncSync), renameSync: vi.fn(actual.renameSync) };
});

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => {
  vi.mocked(fs.fsyncSync).mockReset();
  vi.mocked(fs.renameSync).mockReset();
  cleanup();
});

const diskError = (code: string, text: string) => Object.assign(new Error(`${code}: ${text}`), { code });

describe('writeFileAtomically', () => {
  it('writes a new file and replaces an existing one whole', () => {
    const path = join(dir, 'out.csv');
    writeFileAtomically(path, 'first');
    writeFileAtomically(path, 'second, shorter');
    expect(fs.readFileSync(path, 'utf8')).toBe('second, shorter');
    expect(fs.readdirSync(dir)).toEqual(['out.csv']);
  });

  it('leaves the old file unchanged and no temporary file when the data cannot be synced to disk', () => {
    const path = join(dir, 'out.csv');
    fs.writeFileSync(path, 'old export');
    vi.mocked(fs.fsyncSync).mockImplementationOnce(() => {
      throw diskError('ENOSPC', 'no space left on device, fsync');
    });
    const error = (() => {
      try {
        writeFileAtomically(path, 'new export that never lands');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AtomicWriteError);
    expect((error as Error).message).toBe(`cannot write ${path}: the disk is full. The existing file was not changed.`);
    expect(fs.readFileSync(path, 'utf8')).toBe('old export');
    expect(fs.readdirSync(dir)).toEqual(['out.csv']);
  });

  it('says no file was written when the rename fails for a new file (e.g. locked by another program)', () => {
    const path = join(dir, 'new.csv');
    vi.mocked(fs.renameSync).mockImplementationOnce(() => {
      throw diskError('EBUSY', 'resource busy or locked, rename');
    });
    expect(() => writeFileAtomically(path, 'x')).toThrow(`cannot write ${path}: the file is in use by another program. No file was written.`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('removes, at the next write of the file, the temporary file a write killed before its rename left behind', () => {
    const path = join(dir, 'shortlist.xlsx');
    fs.writeFileSync(path, 'previous export');
    // A process that has ended: its pid names no live process.
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const abandoned = `.shortlist.xlsx.${dead}-0123456789ab.tmp`;
    fs.writeFileSync(join(dir, abandoned), 'half an export');
    writeFileAtomically(path, 'new export');
    expect(fs.readFileSync(path, 'utf8')).toBe('new export');
    expect(fs.readdirSync(dir)).toEqual(['shortlist.xlsx']);
  });

  it("leaves a live process's write in progress and other files' temporary files alone", () => {
    const live = `.shortlist.xlsx.${process.ppid}-0123456789ab.tmp`;
    const other = `.formula.xlsx.${spawnSync(process.execPath, ['-e', '']).pid}-0123456789ab.tmp`;
    const oldStyleRecent = '.shortlist.xlsx.0123456789ab.tmp';
    for (const name of [live, other, oldStyleRecent]) fs.writeFileSync(join(dir, name), 'x');
    writeFileAtomically(join(dir, 'shortlist.xlsx'), 'new export');
    expect(fs.readdirSync(dir).sort()).toEqual([other, oldStyleRecent, live, 'shortlist.xlsx'].sort());
    // One named by an older version (no pid) goes once it is a day old.
    const dayAndMinuteAgo = (Date.now() - 24 * 3600_000 - 60_000) / 1000;
    fs.utimesSync(join(dir, oldStyleRecent), dayAndMinuteAgo, dayAndMinuteAgo);
    writeFileAtomically(join(dir, 'shortlist.xlsx'), 'newer export');
    expect(fs.readdirSync(dir).sort()).toEqual([other, live, 'shortlist.xlsx'].sort());
  });

  it('refuses a missing folder and a folder in place of the file', () => {
    expect(() => writeFileAtomically(join(dir, 'missing', 'a.csv'), 'x')).toThrow(`the folder ${join(dir, 'missing')} does not exist`);
    fs.mkdirSync(join(dir, 'taken'));
    expect(() => writeFileAtomically(join(dir, 'taken'), 'x')).toThrow('a folder has that name; choose a file name');
  });
});
