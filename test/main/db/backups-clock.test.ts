import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listBackupFiles, nextBackupTime, pruneRollingBackups, stallGuard, writeBackup } from '../../../src/main/db/backups';
import { openDatabase } from '../../../src/main/db/connection';
import { DatabaseCare, DEFAULT_BACKUP_POLICY } from '../../../src/main/services/database';
import { tempDir } from '../../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const at = (iso: string) => new Date(iso);

describe('backups under a wall clock set back', () => {
  it('names a backup written after a newer-named one 1 ms after it, so the list and rotation follow the order of writing', async () => {
    const path = join(dir, 'app.db');
    const { db } = await openDatabase(path);
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    const times = ['2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z', '2026-03-01T10:30:00.000Z', '2016-01-01T00:00:00.000Z'];
    const written: string[] = [];
    for (const [i, time] of times.entries()) {
      insert.run(`step ${i}`, 'x');
      written.push((await writeBackup(db, path, 'rolling', at(time))).backup.file);
    }
    expect(written).toEqual([
      'app.db.rolling.2026-03-01T10-00-00-000Z.bak',
      'app.db.rolling.2026-03-01T11-00-00-000Z.bak',
      'app.db.rolling.2026-03-01T11-00-00-001Z.bak',
      'app.db.rolling.2026-03-01T11-00-00-002Z.bak',
    ]);
    expect(listBackupFiles(path).map((b) => b.file)).toEqual([...written].reverse());
    expect(pruneRollingBackups(path, 2)).toEqual([written[1], written[0]]);
    db.close();
  });

  it('nextBackupTime is the time asked for when the clock is ahead of every backup', () => {
    expect(nextBackupTime(join(dir, 'none.db'), at('2026-01-01T00:00:00.000Z')).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a start-up under a clock behind the newest backup leaves the backup to the schedule, which takes it', async () => {
    const path = join(dir, 'app.db');
    const { db } = await openDatabase(path);
    const care = new DatabaseCare(path, DEFAULT_BACKUP_POLICY);
    care.clock = () => at('2026-03-01T12:00:00.000Z');
    await care.backup(db, 'rolling');
    db.prepare(`INSERT INTO meta (key, value) VALUES ('later', 'x')`).run();
    const restarted = new DatabaseCare(path, DEFAULT_BACKUP_POLICY);
    restarted.clock = () => at('2026-03-01T09:00:00.000Z');
    expect(await restarted.atStartup(db, Date.parse('2026-03-01T08:59:00.000Z'))).toBeNull();
    const scheduled = await restarted.backupIfChanged(db);
    expect(scheduled).toBe('app.db.rolling.2026-03-01T12-00-00-001Z.bak');
    expect(listBackupFiles(path)[0]?.file).toBe(scheduled);
    db.close();
  });
});

describe('stallGuard', () => {
  it('gives a copy up once it has made no progress for both the steps and the time given, and not while it advances', () => {
    const guard = stallGuard('/x/app.db.bak', 3, 0);
    expect(guard({ totalPages: 10, remainingPages: 10 })).toBe(100);
    expect(guard({ totalPages: 10, remainingPages: 9 })).toBe(100);
    guard({ totalPages: 10, remainingPages: 9 });
    guard({ totalPages: 10, remainingPages: 9 });
    expect(() => guard({ totalPages: 10, remainingPages: 9 })).toThrow(/made no progress .* busy/);
    const patient = stallGuard('/x/app.db.bak', 3, 60_000);
    for (let i = 0; i < 10; i++) patient({ totalPages: 10, remainingPages: 9 });
  });
});
