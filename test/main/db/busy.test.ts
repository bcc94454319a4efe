import { describe, expect, it } from 'vitest';
import { busyBackoffMs, busyMessage, isBusyError } from '../../../src/main/db/busy';

describe('a busy database', () => {
  it('is SQLITE_BUSY with any extended code, or "database is locked" in a wrapping error', () => {
    expect(isBusyError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('x'), { code: 'SQLITE_BUSY_SNAPSHOT' }))).toBe(true);
    expect(isBusyError(new Error('the import failed: database is locked'))).toBe(true);
    expect(isBusyError(Object.assign(new Error('database table is locked'), { code: 'SQLITE_LOCKED' }))).toBe(false);
    expect(isBusyError(Object.assign(new Error('database is locked'), { code: 'SQLITE_FULL' }))).toBe(false);
    expect(isBusyError(null)).toBe(false);
    expect(isBusyError('database is locked')).toBe(false);
  });

  it('is said with who may hold it, how long it was tried, what was kept and what to do', () => {
    expect(busyMessage(15_400)).toBe('another program (the app or the command line) is writing to the database; tried for 15 s and nothing of this change was saved; try again in a moment');
    expect(busyMessage(120, 'the import')).toBe('the import failed: another program (the app or the command line) is writing to the database; tried for 1 s and nothing of this change was saved; try again in a moment');
  });

  it('is retried after waits doubling from 50 ms to at most 1 s, spread by ±25 %', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map((a) => busyBackoffMs(a, 0.5))).toEqual([50, 100, 200, 400, 800, 1000, 1000, 1000]);
    expect(busyBackoffMs(1, 0)).toBe(38);
    expect(busyBackoffMs(6, 0.999)).toBe(1250);
  });
});
