import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { listBackupFiles } from '../../../src/main/db/backups';
import { DATABASE_POINTER_FILE, defaultDatabasePath, movedDatabaseProblem } from '../../../src/main/paths';
import { resolveResourcesDir } from '../../../src/main/resources';
import { MOVED_NOTE } from '../../../src/main/services/database-move';
import { FormulatorService } from '../../../src/main/services/formulator-service';
import { canMountTmpfs } from '../../reliability/disk-full';
import { tempDir } from '../../helpers';

/**
 * Moving the database out of a synced folder: refused where it would be no safer, not empty or
 * too small; otherwise copied (database, backups, model), checked, switched to, and the old files
 * left as they were. The database lives in a folder named Dropbox, which the app takes for
 * Dropbox's sync folder by its name.
 */
let root: { dir: string; cleanup: () => void };
let service: FormulatorService;
let synced: string;
const tmpfs = canMountTmpfs();

const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: { code?: string; message: string }) => ({ code: e.code, message: e.message }));

beforeAll(async () => {
  root = tempDir('lf-move-');
  synced = join(root.dir, 'Dropbox', 'lab', 'app.db');
  service = await FormulatorService.open({ databasePath: synced, resourcesDir: resolveResourcesDir() });
  await service.loadSampleCatalog();
  await service.saveCandidate({ name: 'Glow serum', declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
  await service.trainModel({ preset: 'quick', seed: 7 });
  await service.backupNow();
}, 180_000);
afterAll(async () => {
  await service.compute.close();
  service.close();
  root.cleanup();
});

describe('moving the database to a local folder', () => {
  it('the status says the folder is synced', async () => {
    const { location } = await service.getDatabaseStatus();
    expect(location).toMatchObject({ kind: 'synced', service: 'Dropbox', detail: `inside the Dropbox folder ${join(root.dir, 'Dropbox')}` });
  });

  it('refuses a relative path, a synced target, a folder that is not empty and the folder in use; nothing is created', async () => {
    expect(await failure(service.moveDatabase({ path: 'somewhere/local' }))).toMatchObject({ code: 'invalid-argument' });
    const onedrive = join(root.dir, 'OneDrive - Contoso', 'lab');
    expect(await failure(service.moveDatabase({ path: onedrive }))).toMatchObject({
      code: 'move-target-not-local',
      message: expect.stringMatching(/is inside the OneDrive folder .*OneDrive - Contoso, which is no safer.*Nothing was changed\.$/),
    });
    expect(existsSync(join(root.dir, 'OneDrive - Contoso'))).toBe(false);
    const full = join(root.dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'notes.txt'), 'mine');
    expect(await failure(service.moveDatabase({ path: full }))).toMatchObject({ code: 'move-target-not-empty', message: expect.stringContaining('holds notes.txt') });
    expect(readdirSync(full)).toEqual(['notes.txt']);
    expect(await failure(service.moveDatabase({ path: join(root.dir, 'Dropbox', 'lab') }))).toMatchObject({ code: 'move-target-invalid' });
    expect((await service.getDatabaseStatus()).databasePath).toBe(synced);
  });

  it.skipIf(!tmpfs)('refuses a folder on a volume without the space (a 1 MiB tmpfs), saying how much it needs', async () => {
    const small = join(root.dir, 'small');
    mkdirSync(small);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small]);
    try {
      const refused = await failure(service.moveDatabase({ path: join(small, 'lab') }));
      expect(refused).toMatchObject({ code: 'move-no-space', message: expect.stringMatching(/the copy needs about .* and .* has .* free/) });
      expect(readdirSync(small)).toEqual([]);
    } finally {
      execFileSync('umount', [small]);
    }
  });

  it('copies, checks and switches: counts, the saved candidate, the model and the backups are there; the old files stay', async () => {
    const before = await service.getStatus();
    const [candidate] = (await service.listCandidates()).items;
    const [model] = await service.listModels();
    const backupsBefore = listBackupFiles(synced).map((b) => b.file);
    const local = join(root.dir, 'local', 'Latent Formulator');

    const moved = await service.moveDatabase({ path: local });

    expect(moved).toMatchObject({ from: synced, to: join(local, 'app.db'), location: { kind: 'local' }, nextTime: { remembered: false } });
    expect(moved.copied).toMatchObject({ backups: backupsBefore.length, models: 1 });
    expect(moved.verified).toMatchObject({ quickCheck: 'ok', products: before.productCount, candidates: 1, models: 1 });
    expect(moved.verified.files).toBeGreaterThanOrEqual(backupsBefore.length + 3);
    expect(moved.nextTime.hint).toContain(`--db "${join(local, 'app.db')}"`);

    const status = await service.getDatabaseStatus();
    expect(status).toMatchObject({ databasePath: join(local, 'app.db'), backupsFolder: join(local, 'backups'), location: { kind: 'local' } });
    expect(status.backups.map((b) => b.file)).toEqual(backupsBefore);
    expect((await service.getStatus()).productCount).toBe(before.productCount);
    expect(await service.getCandidate({ id: candidate!.id })).toMatchObject({ name: 'Glow serum' });
    expect(service.modelsDir).toBe(join(local, 'models'));
    expect((await service.encodeLists({ declarations: ['Water, Glycerin, Niacinamide'] })).modelId).toBe(model!.id);
    // A write lands in the new file only.
    await service.saveCandidate({ name: 'After the move', declaration: 'Water, Glycerin' });
    expect((await service.listCandidates()).total).toBe(2);

    // The old files are all still there, with a note saying where the database went.
    expect(existsSync(synced)).toBe(true);
    expect(listBackupFiles(synced).map((b) => b.file)).toEqual(backupsBefore);
    expect(readdirSync(join(root.dir, 'Dropbox', 'lab', 'models'))).toEqual(readdirSync(join(local, 'models')));
    expect(readFileSync(join(root.dir, 'Dropbox', 'lab', MOVED_NOTE), 'utf8')).toContain(join(local, 'app.db'));
    const old = await FormulatorService.open({ databasePath: synced, resourcesDir: resolveResourcesDir() });
    expect((await old.listCandidates()).total).toBe(1);
    old.close();
  }, 120_000);
});

describe('the default database: remembered for the app and the command line', () => {
  it('writes the pointer, follows it, and refuses to create an empty database when its folder is gone', async () => {
    const saved = process.env.XDG_CONFIG_HOME;
    const savedDb = process.env.LATENT_FORMULATOR_DB;
    process.env.XDG_CONFIG_HOME = join(root.dir, 'config');
    delete process.env.LATENT_FORMULATOR_DB;
    try {
      const userData = join(root.dir, 'config', 'Latent Formulator');
      expect(defaultDatabasePath()).toBe(join(userData, 'latent-formulator.db'));
      let out = '';
      let err = '';
      const io = { out: (t: string) => void (out += `${t}\n`), err: (t: string) => void (err += `${t}\n`) };
      expect(await runCli(['status'], io)).toBe(0);
      const local = join(root.dir, 'default-moved');
      expect(await runCli(['db', 'move', local], io)).toBe(0);
      expect(out).toMatch(/moved the database to .*default-moved\/latent-formulator\.db/);
      expect(out).toContain('next time  The app and the command line open');
      expect(JSON.parse(readFileSync(join(userData, DATABASE_POINTER_FILE), 'utf8'))).toMatchObject({ databasePath: join(local, 'latent-formulator.db') });
      expect(defaultDatabasePath()).toBe(join(local, 'latent-formulator.db'));
      expect(existsSync(join(userData, 'latent-formulator.db'))).toBe(true);

      renameSync(local, `${local}-elsewhere`);
      expect(movedDatabaseProblem(userData)).toMatch(/^the database was moved to .*, but that file is not there/);
      err = '';
      expect(await runCli(['status'], io)).toBe(1);
      expect(err).toMatch(/no empty database was created/);
      expect(existsSync(local)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
      if (savedDb !== undefined) process.env.LATENT_FORMULATOR_DB = savedDb;
    }
  }, 60_000);
});

describe('the command line warns', () => {
  it('one warning line on stderr for a database in a synced folder (--db or LATENT_FORMULATOR_DB), none for a local one', async () => {
    let err = '';
    const io = { out: () => undefined, err: (t: string) => void (err += `${t}\n`) };
    const dbInSync = join(root.dir, 'iCloudDrive', 'cli.db');
    expect(await runCli(['status', '--db', dbInSync], io)).toBe(0);
    const lines = err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^latent-formulator: warning: the database .*cli\.db is inside the iCloud Drive folder .*iCloudDrive: iCloud Drive copies the database and its -wal\/-shm files .*latent-formulator db move FOLDER$/);
    err = '';
    expect(await runCli(['status', '--db', join(root.dir, 'plain', 'cli.db')], io)).toBe(0);
    expect(err).toBe('');
    // The same through LATENT_FORMULATOR_DB.
    const saved = process.env.LATENT_FORMULATOR_DB;
    process.env.LATENT_FORMULATOR_DB = join(root.dir, 'Google Drive', 'env.db');
    try {
      expect(await runCli(['status'], io)).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.LATENT_FORMULATOR_DB;
      else process.env.LATENT_FORMULATOR_DB = saved;
    }
    expect(err).toMatch(/^latent-formulator: warning: the database .*env\.db is inside the Google Drive folder .*Google Drive: /);
    expect(err.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});
