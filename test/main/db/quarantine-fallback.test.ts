import { copyFileSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/connection';
import {
  listQuarantineRecords,
  openCheckedDatabase,
  pendingRecoveries,
  pendingWalDamage,
  quarantineDatabaseFiles,
  QuarantineIncompleteError,
  sha256File,
  walDamageNotice,
  type QuarantineFileOps,
} from '../../../src/main/db/quarantine';
import { tempDir } from '../../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** A database with rows in the file and more only in its write-ahead log (as a crash leaves it), at `dir/app.db`. */
async function databaseWithLog(): Promise<string> {
  const live = join(dir, 'live.db');
  const { db } = await openDatabase(live);
  const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  for (let i = 0; i < 200; i++) insert.run(`file ${i}`, 'x'.repeat(200));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < 8; i++) insert.run(`log ${i}`, 'y'.repeat(3000));
  const path = join(dir, 'app.db');
  for (const s of ['', '-wal', '-shm']) copyFileSync(live + s, path + s);
  db.close();
  return path;
}

const shas = (path: string) => Object.fromEntries(['', '-wal'].filter((s) => existsSync(path + s)).map((s) => [s || 'db', sha256File(path + s)]));

/** Renames that fail for the file named, with the errno code given (as across drives, or on a file in use). */
function failingRename(failOn: (from: string) => boolean, code: string): QuarantineFileOps {
  return {
    rename: (from, to) => {
      if (failOn(from)) throw Object.assign(new Error(`${code}: cannot rename '${from}'`), { code, syscall: 'rename' });
      renameSync(from, to);
    },
    copy: (from, to) => copyFileSync(from, to),
  };
}

describe('quarantine when a file cannot be moved', () => {
  it('across drives: the log already moved is put back, every file is copied and checked, and the error says what to do', async () => {
    const path = await databaseWithLog();
    const before = shas(path);
    let error: unknown;
    try {
      quarantineDatabaseFiles(path, { kind: 'damaged', reason: 'a test', details: [] }, failingRename((from) => from === path, 'EXDEV'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QuarantineIncompleteError);
    const e = error as QuarantineIncompleteError;
    expect(e.message).toContain('app.db could not be moved: EXDEV');
    expect(e.message).toContain('the originals were left in place and nothing was deleted, and no new database was created');
    expect(e.message).toContain('on another drive than the database');
    // The database never stays without its log: both are where they were, unchanged.
    expect(shas(path)).toEqual(before);
    const copies = Object.fromEntries(e.record.files.map((f) => [f.name, f]));
    expect(copies['app.db']).toMatchObject({ moved: false, sha256: before.db });
    expect(copies['app.db-wal']).toMatchObject({ moved: false, sha256: before['-wal'] });
    const report = JSON.parse(readFileSync(join(e.record.folder, 'report.json'), 'utf8')) as { complete: boolean };
    expect(report.complete).toBe(false);
    expect(readFileSync(join(e.record.folder, 'README.txt'), 'utf8')).toContain('their originals were left in place');
  });

  it('a permission refused on the first file: nothing moved, copies made, the advice is about write access', async () => {
    const path = await databaseWithLog();
    const before = shas(path);
    const e = (() => {
      try {
        quarantineDatabaseFiles(path, { kind: 'damaged', reason: 'a test', details: [] }, failingRename(() => true, 'EPERM'));
      } catch (error) {
        return error as QuarantineIncompleteError;
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('EPERM');
    expect(e.message).toContain('give your account write access to the folder');
    expect(shas(path)).toEqual(before);
    expect(e.record.files.every((f) => !f.moved)).toBe(true);
  });

  it('when the copies cannot be made either, it says which, and still deletes nothing', async () => {
    const path = await databaseWithLog();
    const before = shas(path);
    const ops: QuarantineFileOps = {
      rename: () => {
        throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' });
      },
      copy: (from, to) => {
        if (from === path) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        copyFileSync(from, to);
      },
    };
    let error: QuarantineIncompleteError | null = null;
    try {
      quarantineDatabaseFiles(path, { kind: 'damaged', reason: 'a test', details: [] }, ops);
    } catch (e) {
      error = e as QuarantineIncompleteError;
    }
    expect(error?.notCopied).toEqual([expect.stringContaining('app.db (ENOSPC')]);
    expect(error?.message).toContain('could not be copied either');
    expect(error?.message).toContain('The file is in use: close every program that may have it open');
    expect(shas(path)).toEqual(before);
    expect(existsSync(join(error!.record.folder, 'app.db'))).toBe(false);
  });

  it('orders quarantine folders by their sequence, not by a clock that went back', async () => {
    const path = await databaseWithLog();
    const later = new Date('2026-05-01T10:00:00Z');
    const earlier = new Date('2025-01-01T10:00:00Z');
    quarantineDatabaseFiles(path, { kind: 'wal-damaged', reason: 'first', details: [], copyOnly: true, at: later });
    quarantineDatabaseFiles(path, { kind: 'wal-damaged', reason: 'second, under a clock set back', details: [], copyOnly: true, at: earlier });
    expect(listQuarantineRecords(path).map((r) => [r.reason, r.sequence])).toEqual([
      ['second, under a clock set back', 2],
      ['first', 1],
    ]);
  });
});

describe('a damaged write-ahead log at start-up', () => {
  it('copies the files as found, opens the database with what SQLite can read, and says what was dropped', async () => {
    const path = await databaseWithLog();
    const wal = readFileSync(`${path}-wal`);
    wal.writeUInt32BE((wal.readUInt32BE(16) + 1) >>> 0, 20); // a wrong salt-2 in the header
    writeFileSync(`${path}-wal`, wal);
    const found = shas(path);

    const { opened, walDamage, quarantined, check } = await openCheckedDatabase(path);
    expect(quarantined).toBeNull();
    expect(check?.ok).toBe(true);
    expect(walDamage?.kind).toBe('wal-damaged');
    expect(walDamage?.reason).toMatch(/header is damaged, so SQLite ignores the whole log: \d+ frames \(8 saved transactions\)/);
    // Everything checkpointed before is there; the log's rows are not.
    expect(opened.db.prepare(`SELECT count(*) FROM meta WHERE key LIKE 'file %'`).pluck().get()).toBe(200);
    expect(opened.db.prepare(`SELECT count(*) FROM meta WHERE key LIKE 'log %'`).pluck().get()).toBe(0);
    opened.db.close();
    const copies = Object.fromEntries(walDamage!.files.map((f) => [f.name, f.sha256]));
    expect(copies['app.db']).toBe(found.db);
    expect(copies['app.db-wal']).toBe(found['-wal']);
    expect(sha256File(join(walDamage!.folder, 'app.db-wal'))).toBe(found['-wal']);
    // It is a notice to read, not a damaged database waiting for a restore.
    expect(pendingRecoveries(path)).toEqual([]);
    expect(pendingWalDamage(path).map((r) => r.folder)).toEqual([walDamage!.folder]);
    expect(walDamageNotice(walDamage!)).toContain(`Copies of the files exactly as they were found are in ${walDamage!.folder}`);
    expect(readdirSync(walDamage!.folder).sort()).toEqual(['README.txt', 'app.db', 'app.db-shm', 'app.db-wal', 'report.json']);
  });

  it('says nothing about an intact log, which SQLite reads whole', async () => {
    const path = await databaseWithLog();
    const { opened, walDamage } = await openCheckedDatabase(path);
    expect(walDamage).toBeNull();
    expect(opened.db.prepare(`SELECT count(*) FROM meta WHERE key LIKE 'log %'`).pluck().get()).toBe(8);
    opened.db.close();
    expect(existsSync(join(dir, 'quarantine'))).toBe(false);
  });
});
