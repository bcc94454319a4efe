import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFolder, listBackupFiles, parseFileTimestamp, pruneRollingBackups, readBackupContents, writeBackup } from '../../../src/main/db/backups';
import { checkDatabaseFile, isCorruptionError } from '../../../src/main/db/check';
import { openDatabase } from '../../../src/main/db/connection';
import { LATEST_SCHEMA_VERSION } from '../../../src/main/db/migrations';
import { listQuarantineRecords, openCheckedDatabase, pendingRecoveries, sha256File } from '../../../src/main/db/quarantine';
import { seededRandom } from '../../../src/shared/ml/random';
import { tempDir } from '../../helpers';
import { btreePages, overwritePage, seededBytes } from '../../reliability/corrupt-db';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/** A database at the latest schema with enough rows in `meta` to fill a few dozen pages. */
async function filledDatabase(path: string): Promise<void> {
  const { db } = await openDatabase(path);
  const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`key ${i}`, `value ${i} `.repeat(10));
  })();
  db.close();
}

describe('checkDatabaseFile', () => {
  it('passes a healthy file and reads it without writing to it', async () => {
    const path = join(dir, 'ok.db');
    await filledDatabase(path);
    const before = sha256File(path);
    const check = checkDatabaseFile(path);
    expect(check).toMatchObject({ ok: true, problems: [], errorCode: null });
    expect(sha256File(path)).toBe(before);
  });

  it('reports a file cut in half, a b-tree page of random bytes and a file of random bytes', async () => {
    const path = join(dir, 'ok.db');
    await filledDatabase(path);
    const random = seededRandom(3);

    const cut = join(dir, 'cut.db');
    copyFileSync(path, cut);
    truncateSync(cut, Math.floor(statSync(cut).size / 2));
    expect(checkDatabaseFile(cut)).toMatchObject({ ok: false, errorCode: 'SQLITE_CORRUPT' });

    const garbage = join(dir, 'garbage.db');
    copyFileSync(path, garbage);
    const pages = btreePages(path, 'meta');
    expect(pages.length).toBeGreaterThan(20);
    overwritePage(garbage, pages[pages.length >> 1]!, seededBytes(4096, random));
    const damaged = checkDatabaseFile(garbage);
    expect(damaged.ok).toBe(false);
    expect(damaged.problems.length).toBeGreaterThan(0);

    const noise = join(dir, 'noise.db');
    writeFileSync(noise, seededBytes(64 * 1024, random));
    expect(checkDatabaseFile(noise)).toMatchObject({ ok: false, errorCode: 'SQLITE_NOTADB' });
  });

  it('tells corruption errors from others', () => {
    expect(isCorruptionError(Object.assign(new Error('x'), { code: 'SQLITE_CORRUPT_INDEX' }))).toBe(true);
    expect(isCorruptionError(Object.assign(new Error('x'), { code: 'SQLITE_NOTADB' }))).toBe(true);
    expect(isCorruptionError(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))).toBe(false);
    expect(isCorruptionError(new Error('no code'))).toBe(false);
  });
});

describe('openCheckedDatabase', () => {
  it('opens a healthy file as it is, reporting the check', async () => {
    const path = join(dir, 'app.db');
    await filledDatabase(path);
    const { opened, check, quarantined } = await openCheckedDatabase(path);
    expect(check?.ok).toBe(true);
    expect(quarantined).toBeNull();
    expect(opened.db.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(2000);
    opened.db.close();
    expect(existsSync(join(dir, 'quarantine'))).toBe(false);
  });

  it('moves a damaged database with its -wal and -shm byte for byte into the quarantine, and opens a new one', async () => {
    // A database left by a crash: its last transactions are still in the WAL.
    const live = join(dir, 'live.db');
    await filledDatabase(live);
    const writer = new BetterSqlite3(live);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare(`INSERT INTO meta (key, value) VALUES ('in the wal', 'yes')`).run();
    const path = join(dir, 'app.db');
    for (const s of ['', '-wal', '-shm']) copyFileSync(live + s, path + s);
    writer.close();
    overwritePage(path, btreePages(live, 'meta')[5]!, seededBytes(4096, seededRandom(9)));
    const found = Object.fromEntries(['', '-wal', '-shm'].map((s) => [`app.db${s}`, sha256File(path + s)]));

    const { opened, quarantined, check } = await openCheckedDatabase(path);
    expect(check?.ok).toBe(false);
    expect(quarantined).not.toBeNull();
    const q = quarantined!;
    expect(q.kind).toBe('damaged');
    expect(q.complete).toBe(true);
    expect(q.details.length).toBeGreaterThan(0);
    expect(Object.fromEntries(q.files.map((f) => [f.name, f.sha256]))).toEqual(found);
    for (const [name, sha] of Object.entries(found)) expect(sha256File(join(q.folder, name))).toBe(sha);
    expect(readdirSync(q.folder).sort()).toEqual(['README.txt', 'app.db', 'app.db-shm', 'app.db-wal', 'report.json']);
    const readme = readFileSync(join(q.folder, 'README.txt'), 'utf8');
    expect(readme).toContain(`Original location: ${path}`);
    expect(readme).toContain('exactly as they were found');

    // The new database is empty, healthy and at the latest schema.
    expect(opened.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(opened.db.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(0);
    opened.db.close();
    expect(checkDatabaseFile(path).ok).toBe(true);
    expect(pendingRecoveries(path).map((r) => r.folder)).toEqual([q.folder]);
  });

  it('treats an empty (0-byte) file as lost content, not as a new database', async () => {
    const path = join(dir, 'app.db');
    writeFileSync(path, '');
    const { opened, quarantined } = await openCheckedDatabase(path);
    opened.db.close();
    expect(quarantined?.reason).toContain('empty (0 bytes)');
    expect(quarantined?.files).toEqual([expect.objectContaining({ name: 'app.db', bytes: 0, moved: true })]);
  });

  it('keeps a write-ahead log found without its database instead of letting SQLite delete it', async () => {
    const live = join(dir, 'live.db');
    await filledDatabase(live);
    const writer = new BetterSqlite3(live);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare(`INSERT INTO meta (key, value) VALUES ('only in the wal', 'yes')`).run();
    const path = join(dir, 'app.db');
    copyFileSync(`${live}-wal`, `${path}-wal`);
    writer.close();
    const sha = sha256File(`${path}-wal`);
    const { opened, quarantined } = await openCheckedDatabase(path);
    opened.db.close();
    expect(quarantined?.reason).toContain('without its database');
    expect(sha256File(join(quarantined!.folder, 'app.db-wal'))).toBe(sha);
  });

  it('leaves a newer database untouched, without side files from the check', async () => {
    const path = join(dir, 'newer.db');
    const raw = new BetterSqlite3(path);
    raw.exec('CREATE TABLE keep (x INTEGER)');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 3}`);
    raw.close();
    const before = sha256File(path);
    await expect(openCheckedDatabase(path)).rejects.toThrow('The file was not changed');
    expect(sha256File(path)).toBe(before);
    expect(readdirSync(dir)).toEqual(['newer.db']);
  });
});

describe('backups', () => {
  it('writes a standalone, checked file with the online backup API and lists it by kind and time', async () => {
    const path = join(dir, 'app.db');
    await filledDatabase(path);
    const { db } = await openDatabase(path);
    const at = new Date('2026-03-04T05:06:07.089Z');
    const { backup, contents } = await writeBackup(db, path, 'manual', at);
    db.close();
    expect(backup).toMatchObject({ file: 'app.db.manual.2026-03-04T05-06-07-089Z.bak', kind: 'manual', createdAt: at.toISOString() });
    expect(contents.check.ok).toBe(true);
    expect(readdirSync(backupFolder(path))).toEqual([backup.file]); // no -wal, -shm or partial file
    const copy = new BetterSqlite3(backup.path, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.prepare('SELECT count(*) FROM meta').pluck().get()).toBe(2000);
    copy.close();
    expect(readBackupContents(backup.path)).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, products: 0, candidates: 0 });
    expect(parseFileTimestamp('2026-03-04T05-06-07-089Z')).toBe('2026-03-04T05:06:07.089Z');
    expect(parseFileTimestamp('../x')).toBeNull();
  });

  it('keeps the newest rolling backups and never removes manual or pre-migration ones, nor other files', async () => {
    const path = join(dir, 'app.db');
    await filledDatabase(path);
    const { db } = await openDatabase(path);
    const t0 = Date.parse('2026-01-01T00:00:00.000Z');
    for (let i = 0; i < 5; i++) await writeBackup(db, path, 'rolling', new Date(t0 + i * 60_000));
    // Written last under a clock set back a minute: named 1 ms after the newest, so it still lists as the newest.
    await writeBackup(db, path, 'manual', new Date(t0 - 60_000));
    db.close();
    const folder = backupFolder(path);
    copyFileSync(join(folder, readdirSync(folder)[0]!), join(folder, 'app.db.v3.2025-01-01T00-00-00-000Z.bak'));
    mkdirSync(join(folder, 'notes'));
    writeFileSync(join(folder, 'other.db.rolling.2020-01-01T00-00-00-000Z.bak'), 'another database');

    const removed = pruneRollingBackups(path, 2);
    expect(removed).toEqual(['app.db.rolling.2026-01-01T00-02-00-000Z.bak', 'app.db.rolling.2026-01-01T00-01-00-000Z.bak', 'app.db.rolling.2026-01-01T00-00-00-000Z.bak']);
    expect(listBackupFiles(path).map((b) => `${b.kind} ${b.createdAt}`)).toEqual([
      'manual 2026-01-01T00:04:00.001Z',
      'rolling 2026-01-01T00:04:00.000Z',
      'rolling 2026-01-01T00:03:00.000Z',
      'pre-migration 2025-01-01T00:00:00.000Z',
    ]);
    expect(existsSync(join(folder, 'other.db.rolling.2020-01-01T00-00-00-000Z.bak'))).toBe(true);
    expect(listQuarantineRecords(path)).toEqual([]);
  });
});
