import { createHash } from 'node:crypto';
import { constants, createReadStream, existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { copyFile, open, readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Database } from 'better-sqlite3';
import { ApiFailure, type MovedDatabase } from '../../shared/api';
import { formatBytes } from '../../shared/format-bytes';
import { fsyncFolder, writeFileAtomically } from '../atomic-file';
import { backupFolder, copyDatabaseOnline } from '../db/backups';
import type { OpenedDatabase } from '../db/connection';
import { quarantineFolder } from '../db/quarantine';
import { listModels } from '../db/queries/models';
import { openSqlite } from '../db/sqlite';
import { databasePathIn, defaultUserDataDir, rememberMovedDatabase } from '../paths';
import { databaseStorageLocation } from '../storage-location';
import type { ServiceContext } from './context';

/**
 * Moving the database to a local folder (issue 17, item 6): for a data folder on a network file
 * system or inside a synced folder, where SQLite's write-ahead log is not safe. Everything is
 * copied, never moved: the database with SQLite's online backup (a consistent snapshot, never a
 * raw copy of a live file), its backups, models and quarantine file by file. The copy is checked
 * before the app switches to it, and the old files stay where they were.
 */

/** Files an operating system drops into a new folder; a folder holding only these counts as empty. */
const SYSTEM_LITTER = new Set(['.DS_Store', 'desktop.ini', 'Thumbs.db']);

/** The note left beside the old database. */
export const MOVED_NOTE = 'DATABASE-MOVED.txt';

/** Bytes kept free on the target beyond the copy itself (the copy's write-ahead log, the next backup). */
const SPACE_MARGIN = 32 * 1024 * 1024;

const refuse = (code: string, why: string): never => {
  throw new ApiFailure(code, `the database was not moved: ${why}. Nothing was changed.`);
};

const samePath = (a: string, b: string) => (process.platform === 'linux' ? resolve(a) === resolve(b) : resolve(a).toLowerCase() === resolve(b).toLowerCase());
const isInside = (path: string, folder: string) => {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Every regular file under `folder` (relative paths), leaving out what `skip` names; none when the folder does not exist. */
function listFiles(folder: string, skip: (name: string) => boolean, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(join(folder, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const e of entries) {
    if (skip(e.name)) continue;
    const rel = prefix ? join(prefix, e.name) : e.name;
    if (e.isDirectory()) files.push(...listFiles(folder, skip, rel));
    else if (e.isFile()) files.push(rel);
  }
  return files;
}

const bytesOf = (folder: string, files: readonly string[]) => files.reduce((n, f) => n + (statSync(join(folder, f), { throwIfNoEntry: false })?.size ?? 0), 0);

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Rows in every table of a database, by table name. */
function tableCounts(db: Database): Map<string, number> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return new Map(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t.replace(/"/g, '""')}"`).pluck().get() as number]));
}

/** What was created in the target, so a failed move can take away exactly that (and nothing of anyone's). */
class CreatedFiles {
  private readonly files: string[] = [];
  private readonly folders: string[] = [];

  folder(path: string): void {
    if (existsSync(path)) return;
    const missing: string[] = [];
    for (let p = path; !existsSync(p); p = dirname(p)) missing.unshift(p);
    mkdirSync(path, { recursive: true });
    this.folders.push(...missing);
  }

  file(path: string): void {
    this.files.push(path);
  }

  /** Removes the copies this move made (never a file it did not create), then the folders it made, if empty. */
  undo(): void {
    for (const f of this.files) rmSync(f, { force: true });
    for (const d of [...this.folders].reverse()) {
      try {
        rmdirSync(d);
      } catch {
        // not empty (something else was put there): left alone
      }
    }
  }
}

/** Copies `files` from `from` to `to`, each flushed to disk, then compares every copy with its original by SHA-256. */
async function copyFilesVerified(from: string, to: string, files: readonly string[], created: CreatedFiles): Promise<{ bytes: number; compared: number }> {
  let bytes = 0;
  const folders = new Set<string>();
  for (const rel of files) {
    const target = join(to, rel);
    created.folder(dirname(target));
    folders.add(dirname(target));
    await copyFile(join(from, rel), target, constants.COPYFILE_EXCL);
    created.file(target);
    const handle = await open(target, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    bytes += statSync(target).size;
  }
  for (const folder of folders) fsyncFolder(folder);
  for (const rel of files) {
    if ((await sha256Of(join(from, rel))) !== (await sha256Of(join(to, rel)))) throw new Error(`the copy of ${join(from, rel)} differs from the original`);
  }
  return { bytes, compared: files.length };
}

/** Checks a copied model folder against the manifest checksum recorded in the database and the file checksums in its manifest. */
async function modelFolderIntact(folder: string, manifestSha256: string): Promise<boolean> {
  try {
    if ((await sha256Of(join(folder, 'manifest.json'))) !== manifestSha256) return false;
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as { files?: Record<string, string> };
    for (const [name, expected] of Object.entries(manifest.files ?? {})) if ((await sha256Of(join(folder, name))) !== expected) return false;
    return true;
  } catch {
    return false;
  }
}

/** The nearest folder of `path` that exists (where the free space is measured). */
function existingAncestor(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/**
 * Copies the database at `cx.options.databasePath`, with its backups, models and quarantine, into
 * the local folder `folder`, verifies the copy and switches the service to it (`open` opens the
 * copy as at start-up). The old files are left in place, with a note saying where they went.
 * Runs inside the write lock; refused while a long job runs.
 */
export async function moveDatabaseTo(cx: ServiceContext, folder: string, openCopy: (path: string) => Promise<OpenedDatabase>): Promise<MovedDatabase> {
  const from = cx.options.databasePath;
  if (from === ':memory:') refuse('unsupported', 'an in-memory database has no files to move');
  if (!isAbsolute(folder)) refuse('invalid-argument', `"${folder}" is not an absolute path; give the full path of the folder`);
  const target = resolve(folder);
  const fromFolder = dirname(resolve(from));
  const to = join(target, basename(from));

  return cx.exclusive(async () => {
    const running = cx.activity.state().running;
    if (running.length) refuse('busy', `"${running[0]!.label}" is still running; wait for it to finish or cancel it, then move the database`);
    if (samePath(target, fromFolder)) refuse('move-target-invalid', `${target} is the folder the database is in now`);
    for (const own of [backupFolder(from), join(fromFolder, 'models'), quarantineFolder(from)]) {
      if (isInside(target, own)) refuse('move-target-invalid', `${target} is inside ${own}, which is copied with the database`);
    }
    const location = databaseStorageLocation(to);
    if (location.kind !== 'local') refuse('move-target-not-local', `the folder ${target} is ${location.detail}, which is no safer; choose a folder on this computer's own disk, outside any synced folder`);
    const stat = statSync(target, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) refuse('move-target-invalid', `${target} is a file, not a folder`);
    const present = stat ? readdirSync(target).filter((n) => !SYSTEM_LITTER.has(n)) : [];
    if (present.length) refuse('move-target-not-empty', `the folder ${target} is not empty (it holds ${present.slice(0, 3).join(', ')}${present.length > 3 ? '…' : ''}); choose an empty folder or a new one`);

    const models = listFiles(join(fromFolder, 'models'), (n) => n.startsWith('.tmp-'));
    const backups = listFiles(backupFolder(from), (n) => n.endsWith('.partial'));
    const quarantined = listFiles(quarantineFolder(from), () => false);
    const databaseBytes = ['', '-wal'].reduce((n, s) => n + (statSync(from + s, { throwIfNoEntry: false })?.size ?? 0), 0);
    const needed = databaseBytes + bytesOf(join(fromFolder, 'models'), models) + bytesOf(backupFolder(from), backups) + bytesOf(quarantineFolder(from), quarantined);
    const space = statfsSync(existingAncestor(target));
    const free = Number(space.bavail) * Number(space.bsize);
    if (free < needed + SPACE_MARGIN) refuse('move-no-space', `the copy needs about ${formatBytes(needed + SPACE_MARGIN)} and ${target} has ${formatBytes(free)} free`);

    const started = performance.now();
    const created = new CreatedFiles();
    let copied: MovedDatabase['copied'];
    let verified: MovedDatabase['verified'];
    try {
      created.folder(target);
      // The import worker's own connection copies and checks it when there is one (off the main thread).
      const contents = await (cx.care.copier ?? ((t: string) => copyDatabaseOnline(cx.db, t)))(to);
      created.file(to);
      if (!contents.check.ok) throw new Error(`the copy did not pass quick_check (${contents.check.problems.slice(0, 3).join('; ')})`);
      const before = tableCounts(cx.db);
      const copy = openSqlite(to, { readonly: true, fileMustExist: true });
      let after: Map<string, number>;
      try {
        after = tableCounts(copy);
      } finally {
        copy.close();
      }
      const differ = [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
      if (differ.length) {
        throw new Error(`the copy's row counts differ from the database's in ${differ.slice(0, 3).map((t) => `${t} (${after.get(t) ?? 'missing'} vs ${before.get(t) ?? 'missing'})`).join(', ')}; was another program writing to it?`);
      }
      const b = await copyFilesVerified(backupFolder(from), join(target, 'backups'), backups, created);
      const m = await copyFilesVerified(join(fromFolder, 'models'), join(target, 'models'), models, created);
      const q = await copyFilesVerified(quarantineFolder(from), join(target, 'quarantine'), quarantined, created);
      // A recorded model whose files were already damaged before the move is copied byte for byte all the same.
      let intactModels = 0;
      for (const model of listModels(cx.db)) {
        if (existsSync(join(fromFolder, 'models', model.folder)) && (await modelFolderIntact(join(target, 'models', model.folder), model.manifestSha256))) intactModels++;
      }
      fsyncFolder(target);
      copied = {
        databaseBytes: statSync(to).size,
        backups: backups.length,
        backupBytes: b.bytes,
        models: new Set(models.map((f) => f.split(sep)[0])).size,
        modelBytes: m.bytes,
        quarantined: new Set(quarantined.map((f) => f.split(sep)[0])).size,
        ms: 0,
      };
      verified = {
        quickCheck: 'ok',
        tables: after.size,
        rows: [...after.values()].reduce((a, n) => a + n, 0),
        products: after.get('products') ?? 0,
        candidates: after.get('candidates') ?? 0,
        models: intactModels,
        files: b.compared + m.compared + q.compared,
      };
    } catch (error) {
      created.undo();
      if (error instanceof ApiFailure) throw error;
      throw new ApiFailure('move-failed', `the database was not moved: ${(error as Error).message}. The copies made in ${target} were removed; the database in use was not changed.`);
    }

    // Switch: the copy becomes the service's database; on failure the old one is opened again.
    cx.db.close();
    cx.options.databasePath = to;
    cx.care.movedTo(to);
    try {
      cx.replaceDatabase(await openCopy(to));
    } catch (error) {
      cx.options.databasePath = from;
      cx.care.movedTo(from);
      cx.replaceDatabase(await openCopy(from));
      created.undo();
      throw new ApiFailure('move-failed', `the copy in ${target} could not be opened (${(error as Error).message}); the app is still using ${from}, unchanged, and the copies were removed`);
    }
    copied.ms = performance.now() - started;
    const movedAt = new Date().toISOString();
    return { from, to, location, copied, verified, nextTime: rememberMove(from, to, movedAt), noteLeft: leaveNote(fromFolder, from, to, movedAt) };
  });
}

/** Records the move for the next start when the default database moved; otherwise says how to open it. */
function rememberMove(from: string, to: string, movedAt: string): MovedDatabase['nextTime'] {
  const userData = defaultUserDataDir();
  const env = process.env.LATENT_FORMULATOR_DB;
  const envNote = env && samePath(env, from) ? ` LATENT_FORMULATOR_DB still names the old file: set it to "${to}" (or unset it).` : '';
  if (samePath(from, databasePathIn(userData))) {
    try {
      const pointerFile = rememberMovedDatabase(userData, { databasePath: to, movedFrom: from, movedAt });
      return { remembered: true, pointerFile, hint: `The app and the command line open ${to} from now on (remembered in ${pointerFile}).${envNote}` };
    } catch (error) {
      return { remembered: false, pointerFile: null, hint: `The move could not be recorded in ${userData} (${(error as Error).message}): the next start opens the old copy ${from}; open the new one with --db "${to}".${envNote}` };
    }
  }
  return { remembered: false, pointerFile: null, hint: `This was not the default database, so nothing else was changed: next time open it with --db "${to}" or LATENT_FORMULATOR_DB="${to}".${envNote}` };
}

/** Leaves a note beside the old database saying where it went; a folder that refuses it (read-only) is left as it is. */
function leaveNote(fromFolder: string, from: string, to: string, movedAt: string): string | null {
  const note = join(fromFolder, MOVED_NOTE);
  try {
    writeFileAtomically(
      note,
      `On ${movedAt} Latent Formulator moved its database ${from} to ${to}, with its backups and models.\n` +
        'The files here are the copy from before the move: the app no longer uses them and did not delete them.\n' +
        'Remove them yourself once you have checked the new folder.\n',
    );
    return note;
  } catch {
    return null;
  }
}
