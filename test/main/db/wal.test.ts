import { copyFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePageSize, scanWal, scanWalFile } from '../../../src/main/db/wal';
import { tempDir } from '../../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

/**
 * A database as a crash leaves it: 50 rows checkpointed into the file, then 10 transactions of
 * one row each only in the write-ahead log. Returns the path of a copy (database and log) and
 * the log's bytes.
 */
function crashImage(): { path: string; pageSize: number } {
  const live = join(dir, 'live.db');
  const w = new BetterSqlite3(live);
  w.pragma('journal_mode = WAL');
  w.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  for (let i = 0; i < 50; i++) w.prepare('INSERT INTO t (v) VALUES (?)').run('c'.repeat(500));
  w.pragma('wal_checkpoint(TRUNCATE)');
  w.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < 10; i++) w.prepare('INSERT INTO t (v) VALUES (?)').run('w'.repeat(3000));
  const path = join(dir, 'a.db');
  for (const s of ['', '-wal']) copyFileSync(live + s, path + s);
  w.close();
  return { path, pageSize: databasePageSize(path)! };
}

/** The rows SQLite reads from the damaged files (on a copy, so the files stay as they are). */
function rowsSqliteReads(path: string): number {
  const probe = join(dir, 'probe.db');
  for (const s of ['', '-wal']) copyFileSync(path + s, probe + s);
  rmSync(`${probe}-shm`, { force: true });
  const db = new BetterSqlite3(probe);
  const n = db.prepare('SELECT count(*) FROM t').pluck().get() as number;
  db.close();
  for (const s of ['', '-wal', '-shm']) rmSync(probe + s, { force: true });
  return n;
}

describe('scanWal', () => {
  it('reads an intact log whole: every transaction used, nothing dropped, no damage', () => {
    const { path } = crashImage();
    const scan = scanWalFile(path)!;
    expect(scan).toMatchObject({ headerValid: true, usedTransactions: 10, droppedFrames: 0, garbageFrames: 0, partialTailBytes: 0, damage: null });
    expect(rowsSqliteReads(path)).toBe(60);
  });

  it('a log cut in the middle of a frame: the transactions before the cut are used, as SQLite does, and the cut is damage', () => {
    const { path } = crashImage();
    truncateSync(`${path}-wal`, Math.floor(statSync(`${path}-wal`).size * 0.6));
    const scan = scanWalFile(path)!;
    expect(rowsSqliteReads(path)).toBe(50 + scan.usedTransactions);
    expect(scan.usedTransactions).toBeGreaterThan(0);
    expect(scan.usedTransactions).toBeLessThan(10);
    expect(scan.damage).toMatch(/cut short/);
  });

  it('garbage over one frame: SQLite stops there, and the saved transactions after it are counted as dropped', () => {
    const { path, pageSize } = crashImage();
    const wal = readFileSync(`${path}-wal`);
    const at = 32 + 5 * (pageSize + 24) + 100;
    for (let i = 0; i < 4096; i++) wal[at + i] = (i * 7919) & 255;
    writeFileSync(`${path}-wal`, wal);
    const scan = scanWal(wal, pageSize);
    expect(rowsSqliteReads(path)).toBe(50 + scan.usedTransactions);
    expect(scan.droppedCommits).toBe(10 - scan.usedTransactions - 1);
    expect(scan.damage).toMatch(/saved transactions .* are dropped/);
  });

  it('a wrong salt in the header: SQLite ignores the whole log, and every transaction in it is counted as dropped', () => {
    const { path, pageSize } = crashImage();
    const wal = readFileSync(`${path}-wal`);
    wal.writeUInt32BE((wal.readUInt32BE(16) + 12345) >>> 0, 16);
    writeFileSync(`${path}-wal`, wal);
    const scan = scanWal(wal, pageSize);
    expect(rowsSqliteReads(path)).toBe(50);
    expect(scan).toMatchObject({ headerValid: false, droppedCommits: 10 });
    expect(scan.damage).toMatch(/header is damaged, so SQLite ignores the whole log/);
  });

  it('an unfinished transaction at the end (what a killed writer leaves) is not damage', () => {
    const { path, pageSize } = crashImage();
    const scan = scanWalFile(path)!;
    // Cut at a frame boundary inside the last transaction: its commit frame is gone, its other frames are whole.
    const frames = scan.framesInFile;
    truncateSync(`${path}-wal`, 32 + (frames - 1) * (pageSize + 24));
    const cut = scanWalFile(path)!;
    expect(cut.usedTransactions).toBe(9);
    expect(cut.droppedCommits).toBe(0);
    expect(cut.damage).toBeNull();
    expect(rowsSqliteReads(path)).toBe(59);
  });

  it('a last frame header without its page (a writer killed between the two writes of a frame) is not damage', () => {
    const { path, pageSize } = crashImage();
    const frames = scanWalFile(path)!.framesInFile;
    truncateSync(`${path}-wal`, 32 + (frames - 1) * (pageSize + 24) + 24);
    const cut = scanWalFile(path)!;
    expect(cut.partialTailBytes).toBe(24);
    expect(cut.damage).toBeNull();
  });

  it('an empty or missing log is nothing to scan', () => {
    const { path } = crashImage();
    writeFileSync(`${path}-wal`, '');
    expect(scanWalFile(path)).toBeNull();
    rmSync(`${path}-wal`);
    expect(scanWalFile(path)).toBeNull();
  });
});
