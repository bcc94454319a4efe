import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchApiCall } from '../../../src/main/ipc/dispatch';
import { listBackupFiles } from '../../../src/main/db/backups';
import { checkDatabaseFile } from '../../../src/main/db/check';
import { MIGRATIONS } from '../../../src/main/db/migrations';
import { openDatabase } from '../../../src/main/db/connection';
import { listQuarantineRecords, sha256File } from '../../../src/main/db/quarantine';
import { resolveResourcesDir } from '../../../src/main/resources';
import { FormulatorService, type ServiceOptions } from '../../../src/main/services/formulator-service';
import { seededRandom } from '../../../src/shared/ml/random';
import { tempDir } from '../../helpers';
import { btreePages, overwritePage, seededBytes } from '../../reliability/corrupt-db';

/**
 * The start-up check, the quarantine, backups and restores through the service, on real files:
 * a database with the sample catalog and two saved candidates is damaged in three ways.
 */
let template: { dir: string; cleanup: () => void };
let templateBackup: string;
let dir: string;
let cleanup: () => void;
let service: FormulatorService | null = null;
const PRODUCTS = 432;

const open = (path: string, extra: Partial<ServiceOptions> = {}) => FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir(), ...extra });

beforeAll(async () => {
  template = tempDir('lf-recovery-template-');
  const s = await open(join(template.dir, 'app.db'));
  await s.loadSampleCatalog();
  await s.saveCandidate({ name: 'Glow serum', declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
  await s.saveCandidate({ name: 'Barrier cream', declaration: 'Water, Glycerin, Dimethicone, Tocopherol' });
  templateBackup = (await s.backupNow()).file;
  s.close();
}, 120_000);
afterAll(() => template.cleanup());
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(async () => {
  await service?.compute.close();
  service?.close();
  service = null;
  cleanup();
});

/** A copy of the template (database and its backup) in this test's folder. */
function copyTemplate(): string {
  const path = join(dir, 'app.db');
  copyFileSync(join(template.dir, 'app.db'), path);
  mkdirSync(join(dir, 'backups'));
  copyFileSync(join(template.dir, 'backups', templateBackup), join(dir, 'backups', templateBackup));
  return path;
}

/** Opens a damaged copy and checks what every kind of damage must give: quarantine, identical files, a new database, the notice. */
async function openDamaged(path: string): Promise<{ folder: string }> {
  const found = sha256File(path);
  const bytes = statSync(path).size;
  service = await open(path);
  const q = service.startup.quarantined;
  expect(q, 'the damage was not detected').not.toBeNull();
  expect(sha256File(join(q!.folder, 'app.db'))).toBe(found);
  expect(statSync(join(q!.folder, 'app.db')).size).toBe(bytes);
  expect(existsSync(join(q!.folder, 'README.txt'))).toBe(true);
  const report = JSON.parse(readFileSync(join(q!.folder, 'report.json'), 'utf8')) as { details: string[]; files: { name: string; sha256: string }[]; backupsAtThatTime: string[] };
  expect(report.files).toEqual([expect.objectContaining({ name: 'app.db', sha256: found })]);
  expect(report.backupsAtThatTime).toEqual([templateBackup]);
  expect((await service.getStatus()).productCount).toBe(0);
  expect(checkDatabaseFile(path).ok).toBe(true);
  const status = await service.getDatabaseStatus();
  expect(status.recovery).toMatchObject({ quarantinedTo: q!.folder, reason: q!.reason, files: [{ name: 'app.db', bytes, sha256: found }] });
  expect(status.recovery!.details.length).toBeGreaterThan(0);
  expect(status.backups).toEqual([expect.objectContaining({ file: templateBackup, kind: 'manual', readable: true, products: PRODUCTS, candidates: 2 })]);
  return { folder: q!.folder };
}

/** Restores the template's backup and checks the data is back, the database in use went to the quarantine, and the notice is gone. */
async function restoreAndCheck(damagedFolder: string): Promise<void> {
  const restored = await service!.restoreBackup({ file: templateBackup });
  expect(restored).toMatchObject({ file: templateBackup, products: PRODUCTS, candidates: 2 });
  expect(restored.previousMovedTo).not.toBe(damagedFolder);
  expect(existsSync(join(restored.previousMovedTo, 'app.db'))).toBe(true);
  expect((await service!.getStatus()).productCount).toBe(PRODUCTS);
  expect((await service!.listCandidates()).items.map((c) => c.name).sort()).toEqual(['Barrier cream', 'Glow serum']);
  expect((await service!.lookupIngredient({ name: 'Aqua' })).match?.inci).toBe('Water');
  const status = await service!.getDatabaseStatus();
  expect(status.recovery).toBeNull();
  const records = listQuarantineRecords(join(dir, 'app.db'));
  expect(records.map((r) => [r.kind, r.decision?.kind, r.decision?.backup])).toEqual([
    ['replaced-by-restore', 'restored', templateBackup],
    ['damaged', 'restored', templateBackup],
  ]);
  expect(existsSync(join(damagedFolder, 'app.db'))).toBe(true);
}

describe('a damaged database at start-up', () => {
  it('a file cut to half: quarantined untouched, a new database opens, and the backup brings the data back', async () => {
    const path = copyTemplate();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const { folder } = await openDamaged(path);
    await restoreAndCheck(folder);
  });

  it('a page of the products table overwritten with random bytes', async () => {
    const path = copyTemplate();
    const pages = btreePages(join(template.dir, 'app.db'), 'products');
    expect(pages.length).toBeGreaterThan(10);
    overwritePage(path, pages[pages.length >> 1]!, seededBytes(4096, seededRandom(7)));
    const { folder } = await openDamaged(path);
    expect(service!.startup.check?.problems.join('\n')).toMatch(/products|malformed|Page|page/);
    await restoreAndCheck(folder);
  });

  it('a file that is not a database; keeping the new one dismisses the notice and keeps the files', async () => {
    const path = join(dir, 'app.db');
    writeFileSync(path, seededBytes(300_000, seededRandom(11)));
    mkdirSync(join(dir, 'backups'));
    copyFileSync(join(template.dir, 'backups', templateBackup), join(dir, 'backups', templateBackup));
    const { folder } = await openDamaged(path);
    expect(service!.startup.quarantined?.reason).toContain('not a SQLite database');
    expect(await service!.dismissRecovery()).toEqual({ dismissed: 1 });
    expect((await service!.getDatabaseStatus()).recovery).toBeNull();
    expect(await service!.dismissRecovery()).toEqual({ dismissed: 0 });
    expect(readdirSync(folder).sort()).toEqual(['README.txt', 'app.db', 'report.json']);
    // The decision is kept: the next start shows no notice.
    service!.close();
    service = await open(path);
    expect(service.startup.quarantined).toBeNull();
    expect((await service.getDatabaseStatus()).recovery).toBeNull();
  });
});

describe('while a damaged database waits for a decision', () => {
  it('backups of the new database do not rotate the older ones away; after the decision they do', async () => {
    const path = copyTemplate();
    const older = ['app.db.rolling.2026-01-01T00-00-00-000Z.bak', 'app.db.rolling.2026-01-02T00-00-00-000Z.bak'];
    for (const name of older) copyFileSync(join(dir, 'backups', templateBackup), join(dir, 'backups', name));
    truncateSync(path, 50_000);
    service = await open(path, { backups: { keepRolling: 2 } });
    expect(service.startup.quarantined).not.toBeNull();
    for (let i = 0; i < 3; i++) {
      await service.saveCandidate({ name: `New ${i}`, declaration: 'Water, Glycerin' });
      expect(await service.rollingBackup()).not.toBeNull();
    }
    const rolling = () => readdirSync(join(dir, 'backups')).filter((f) => f.includes('.rolling.'));
    expect(rolling()).toHaveLength(5);
    expect(rolling()).toEqual(expect.arrayContaining(older));
    await service.dismissRecovery();
    await service.saveCandidate({ name: 'After the decision', declaration: 'Water, Glycerin' });
    await service.rollingBackup();
    expect(rolling()).toHaveLength(2);
    expect(rolling()).not.toEqual(expect.arrayContaining([older[0]]));
  });
});

describe('restoreBackup', () => {
  it('restores only a listed backup: a path, an unknown name or a damaged backup is refused and nothing changes', async () => {
    const path = copyTemplate();
    service = await open(path);
    const before = await service.getStatus();
    const refusal = async (file: string) => {
      const r = await dispatchApiCall(service!, 'restoreBackup', { file });
      return r.ok ? 'accepted' : r.error.code;
    };
    expect(await refusal('../x.db')).toBe('invalid-argument');
    expect(await refusal('/etc/passwd')).toBe('invalid-argument');
    expect(await refusal('..\\app.db')).toBe('invalid-argument');
    expect(await refusal('..')).toBe('not-found');
    expect(await refusal('app.db')).toBe('not-found');
    const damaged = 'app.db.manual.2020-01-01T00-00-00-000Z.bak';
    copyFileSync(join(dir, 'backups', templateBackup), join(dir, 'backups', damaged));
    truncateSync(join(dir, 'backups', damaged), 8192);
    expect((await service.getDatabaseStatus()).backups.find((b) => b.file === damaged)?.readable).toBe(false);
    expect(await refusal(damaged)).toBe('backup-damaged');
    expect(await service.getStatus()).toEqual(before);
    expect(existsSync(join(dir, 'quarantine'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('restoring'))).toEqual([]);
  });

  it('is refused while a long operation runs, since its results would land in the other database', async () => {
    const path = copyTemplate();
    service = await open(path);
    const training = service.trainModel({ preset: 'quick', seed: 1 }).catch((e: unknown) => e);
    await expect.poll(async () => (await service!.getActivity()).running.length, { timeout: 30_000 }).toBe(1);
    const r = await dispatchApiCall(service, 'restoreBackup', { file: templateBackup });
    expect(r).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('wait for it to finish or cancel it') } });
    await service.cancelActivity({ id: (await service.getActivity()).running[0]!.id });
    expect(await training).toMatchObject({ code: 'cancelled' });
    expect(existsSync(join(dir, 'quarantine'))).toBe(false);
    expect((await service.getStatus()).productCount).toBe(PRODUCTS);
  }, 90_000);

  it('puts the database in use back when the restored copy cannot be opened', async () => {
    const path = copyTemplate();
    service = await open(path);
    // A backup that passes quick_check but is no app database: the knowledge base cannot be loaded into it.
    const odd = 'app.db.manual.2020-01-01T00-00-00-000Z.bak';
    const raw = new BetterSqlite3(join(dir, 'backups', odd));
    raw.pragma('user_version = 5');
    raw.close();
    const r = await dispatchApiCall(service, 'restoreBackup', { file: odd });
    expect(r).toMatchObject({ ok: false, error: { code: 'restore-failed', message: expect.stringContaining('the database in use before was put back') } });
    expect((await service.getStatus()).productCount).toBe(PRODUCTS);
    await service.saveCandidate({ name: 'Still writable', declaration: 'Water' });
    const [record] = listQuarantineRecords(path);
    expect(readdirSync(record!.folder)).toContain('restored-copy-that-failed-to-open.app.db');
    expect(readFileSync(join(record!.folder, 'README.txt'), 'utf8')).toContain('failed');
  });

  it('moves the database in use, with the work done since the backup, into the quarantine', async () => {
    const path = copyTemplate();
    service = await open(path);
    await service.saveCandidate({ name: 'Made after the backup', declaration: 'Water, Glycerin' });
    const restored = await service.restoreBackup({ file: templateBackup });
    expect(restored.candidates).toBe(2);
    const kept = new BetterSqlite3(join(restored.previousMovedTo, 'app.db'), { readonly: true });
    expect(kept.prepare('SELECT name FROM candidates ORDER BY id').pluck().all()).toEqual(['Glow serum', 'Barrier cream', 'Made after the backup']);
    kept.close();
    // The service goes on working on the restored database, writes included.
    await service.saveCandidate({ name: 'After the restore', declaration: 'Water, Niacinamide' });
    expect((await service.listCandidates()).total).toBe(3);
  });
});

describe('backups through the service', () => {
  it('backupNow writes a standalone, checked file: journal mode DELETE, no side files, quick_check ok', async () => {
    const path = copyTemplate();
    service = await open(path);
    const b = await service.backupNow();
    expect(b).toMatchObject({ kind: 'manual', readable: true, products: PRODUCTS, candidates: 2, schemaVersion: MIGRATIONS.at(-1)!.version });
    const file = join(dir, 'backups', b.file);
    expect(statSync(file).size).toBe(b.bytes);
    const copy = new BetterSqlite3(file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    expect(checkDatabaseFile(file).ok).toBe(true);
    expect(readdirSync(join(dir, 'backups')).filter((f) => /-(wal|shm|journal)$|partial$/.test(f))).toEqual([]);
    expect((await service.getDatabaseStatus()).lastBackup).toMatchObject({ file: b.file, error: null });
  });

  it('rolling backups: one when the data changed, none when it did not, the newest N kept, manual and pre-migration ones never removed', async () => {
    // A version 5 database: opening it migrates to 6 and leaves a pre-migration backup.
    const path = join(dir, 'app.db');
    (await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 5) })).db.close();
    service = await open(path, { backups: { keepRolling: 3 } });
    const kinds = () => readdirSync(join(dir, 'backups')).map((f) => /\.(v\d+|rolling|manual)\./.exec(f)?.[1]).sort();
    expect(kinds()).toEqual(['v5']);
    await service.backupNow();
    expect(await service.rollingBackup()).toBeNull(); // nothing written since
    for (let i = 0; i < 5; i++) {
      await service.saveCandidate({ name: `Candidate ${i}`, declaration: 'Water, Glycerin' });
      expect(await service.rollingBackup()).toMatch(/^app\.db\.rolling\./);
    }
    expect(kinds()).toEqual(['manual', 'rolling', 'rolling', 'rolling', 'v5']);
    const rolling = (await service.getDatabaseStatus()).backups.filter((b) => b.kind === 'rolling');
    expect(rolling.map((b) => b.candidates)).toEqual([5, 4, 3]);
  });

  it('at start-up: a backup when the file changed after the newest one and that one is old enough, none otherwise', async () => {
    const path = copyTemplate();
    const backups = () => readdirSync(join(dir, 'backups')).length;
    // The file is newer than the template's backup, but the backup is younger than the minimum age.
    service = await open(path);
    expect([service.startup.backup, backups()]).toEqual([null, 1]);
    service.close();
    // Old enough: a rolling backup is taken.
    service = await open(path, { backups: { startupMinAgeMs: 0 } });
    expect(service.startup.backup).toMatch(/^app\.db\.rolling\./);
    expect(backups()).toBe(2);
    service.close();
    // Nothing changed since that backup: none.
    service = await open(path, { backups: { startupMinAgeMs: 0 } });
    expect([service.startup.backup, backups()]).toEqual([null, 2]);
    service.close();
    // A file changed long ago but after the newest backup still gets one.
    const backupTime = Date.parse(listBackupFiles(path)[0]!.createdAt);
    utimesSync(path, new Date(backupTime + 1000), new Date(backupTime + 1000));
    service = await open(path, { backups: { startupMinAgeMs: 0 } });
    expect(service.startup.backup).toMatch(/^app\.db\.rolling\./);
  });
});
