import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { databasePageSize, scanWalFile } from '../../src/main/db/wal';
import { listQuarantineRecords, pendingWalDamage, QuarantineIncompleteError, sha256File, walDamageNotice } from '../../src/main/db/quarantine';
import { dispatchApiCall } from '../../src/main/ipc/dispatch';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import type { ApiResult } from '../../src/shared/api/methods';
import { seededRandom } from '../../src/shared/ml/random';
import { canMountTmpfs } from './disk-full';
import type { ChildOutcome } from './fallbacks-child';
import { writeSyntheticCatalog } from './synth-catalog';

/**
 * The fallbacks not exercised before (issue 17, item 3), each with what the person sees and a
 * check that nothing was lost:
 *   quarantine   a damaged database whose files cannot be moved aside: across drives (a tmpfs
 *                mounted on the quarantine folder: EXDEV, needs root) and in a shared folder
 *                (sticky bit) where the files belong to another account (EPERM, as `nobody`);
 *   permissions  a database file or data folder this account may not write, run as `nobody`
 *                (setpriv) through the command line and the services;
 *   wal          damage inside the write-ahead log: cut short, a garbage frame, a wrong salt in
 *                its header (and, as controls, an intact log and one cut at a frame boundary);
 *   imports      a catalog or lab-results file that cannot be read: no permission (as `nobody`),
 *                a folder, gone, a read error (EIO), and one cut short, removed or replaced
 *                while it is read (at 5 %, 25 %, 50 %, 75 % and 95 % of the file in the full run).
 */

const CHILD = fileURLToPath(new URL('./fallbacks-child.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/main/cli/main.ts', import.meta.url));
const NOBODY = 65534;

/** True when this process may run children as another account (root, with setpriv). */
export function canRunAsNobody(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Ran {
  rc: number | null;
  stdout: string;
  stderr: string;
}

/** Runs node with `args` (under tsx), as `nobody` when asked; never throws on a failing exit. */
function runNode(args: string[], asNobody: boolean, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const node = [process.execPath, '--import', 'tsx', ...args];
  const [cmd, ...argv] = asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, argv, { env: { ...process.env, HOME: tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (rc) => resolve({ rc, stdout, stderr }));
  });
}

/** The last JSON line a child printed. */
function lastJson<T>(ran: Ran): T {
  const line = ran.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`the child printed no result (exit ${ran.rc}): ${ran.stderr.slice(0, 500)}`);
  }
}

/** Every file under `dir` with its SHA-256 (folders as "folder"): what "nothing changed, nothing created" is checked against. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[relative(dir, p)] = 'folder';
        walk(p);
      } else out[relative(dir, p)] = sha256File(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const same = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(a) === JSON.stringify(Object.fromEntries(Object.keys(a).sort().map((k) => [k, b[k]]))) && Object.keys(a).length === Object.keys(b).length;

/** A database with three candidates and a manual backup (made by this process, as root). */
async function makeDatabase(path: string): Promise<void> {
  const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
  for (const name of ['Glow serum', 'Barrier cream', 'Night gel']) await service.saveCandidate({ name, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
  await service.backupNow();
  await service.compute.close();
  service.close();
}

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), uid);
}

/** One scenario's tally: runs, how many held every check, what the person saw (one message), and what failed. */
export interface ScenarioTally {
  scenario: string;
  runs: number;
  held: number;
  saw: string;
  failures: string[];
}

function tally(scenario: string): ScenarioTally {
  return { scenario, runs: 0, held: 0, saw: '', failures: [] };
}

/** Records one run: `problems` empty means every check held. */
function record(t: ScenarioTally, problems: string[], saw: string): void {
  t.runs++;
  if (!t.saw && saw) t.saw = saw;
  if (problems.length === 0) t.held++;
  else t.failures.push(...problems.map((p) => `run ${t.runs}: ${p}`));
}

// ——— (a) the quarantine when a rename fails ————————————————————————————————————————————

/** Damages a database file so the start-up check finds it: its header zeroed, or the file cut to a third. */
function damage(path: string, kind: 'zeroed-header' | 'cut'): void {
  if (kind === 'cut') truncateSync(path, Math.floor(statSync(path).size / 3));
  else {
    const bytes = readFileSync(path);
    bytes.fill(0, 0, 100);
    writeFileSync(path, bytes);
  }
}

/** Copies a live database with its -wal as a crash leaves it (the saves after the last checkpoint only in the log). */
async function crashImage(path: string, walSaves: number): Promise<void> {
  const live = `${path}.live`;
  const service = await FormulatorService.open({ databasePath: live, resourcesDir: resolveResourcesDir() });
  for (const name of ['Glow serum', 'Barrier cream', 'Night gel']) await service.saveCandidate({ name, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
  await service.backupNow();
  service.db.pragma('wal_checkpoint(TRUNCATE)');
  service.db.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < walSaves; i++) await service.saveCandidate({ name: `in the log ${i}`, declaration: 'Water, Glycerin, Squalane, Panthenol, Phenoxyethanol' });
  for (const s of ['', '-wal']) copyFileSync(live + s, path + s);
  mkdirSync(join(path, '..', 'backups'), { recursive: true });
  for (const b of readdirSync(join(live, '..', 'backups'))) if (b.startsWith('lab.db.live.')) copyFileSync(join(live, '..', 'backups', b), join(path, '..', 'backups', b.replace('lab.db.live.', 'lab.db.')));
  await service.compute.close();
  service.close();
  for (const s of ['', '-wal', '-shm']) rmSync(live + s, { force: true });
  for (const b of readdirSync(join(live, '..', 'backups'))) if (b.startsWith('lab.db.live.')) rmSync(join(live, '..', 'backups', b));
}

/**
 * The quarantine folder on another drive (a tmpfs mounted on it): every rename fails with EXDEV.
 * The open must stop with QuarantineIncompleteError, the damaged files stay in place byte for
 * byte, checked copies are in the quarantine, no new database is made; with the mount gone, the
 * next start quarantines them normally and the backup restores the candidates.
 */
async function quarantineAcrossDrives(root: string, runs: number): Promise<ScenarioTally> {
  const t = tally('quarantine, rename fails across drives (EXDEV)');
  for (let r = 0; r < runs; r++) {
    const dir = join(root, `exdev-${r}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'lab.db');
    await crashImage(path, 3);
    damage(path, r % 2 ? 'cut' : 'zeroed-header');
    const found = { db: sha256File(path), wal: sha256File(`${path}-wal`) };
    mkdirSync(join(dir, 'quarantine'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', join(dir, 'quarantine')]);
    const problems: string[] = [];
    let saw = '';
    try {
      const error = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() }).then(
        async (s) => {
          await s.compute.close();
          s.close();
          return null;
        },
        (e: unknown) => e,
      );
      if (!(error instanceof QuarantineIncompleteError)) problems.push(`the open gave ${String(error)}`);
      else {
        saw = error.message;
        if (error.code !== 'EXDEV' || !/on another drive than the database/.test(error.message)) problems.push(`the message does not say why: ${error.message}`);
        const copies = Object.fromEntries(error.record.files.map((f) => [f.name, sha256File(join(error.record.folder, f.name))]));
        if (copies['lab.db'] !== found.db || copies['lab.db-wal'] !== found.wal) problems.push('the copies differ from the files found');
      }
      if (sha256File(path) !== found.db || sha256File(`${path}-wal`) !== found.wal) problems.push('the damaged files were changed or moved');
    } finally {
      execFileSync('umount', [join(dir, 'quarantine')]);
    }
    // The mount gone: an ordinary start moves them aside and a restore brings the data back.
    const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
    try {
      const q = service.startup.quarantined;
      if (!q?.files.every((f) => f.moved)) problems.push('the next start did not move the files aside');
      const backup = (await service.getDatabaseStatus()).backups[0];
      const restored = backup ? await service.restoreBackup({ file: backup.file }) : null;
      if (restored?.candidates !== 3) problems.push(`the restore gave ${restored?.candidates} candidates`);
    } finally {
      await service.compute.close();
      service.close();
    }
    record(t, problems, saw);
  }
  return t;
}

/**
 * A shared folder (mode 1777, like /tmp) holding another account's damaged database, which this
 * account may write but, the folder being sticky, not rename: as `nobody`, the open stops with
 * the copies made and the originals untouched, through the services and the command line.
 */
async function quarantineInSharedFolder(root: string, runs: number): Promise<ScenarioTally> {
  const t = tally('quarantine, rename refused in a shared folder (EPERM), as nobody');
  for (let r = 0; r < runs; r++) {
    const dir = join(root, `sticky-${r}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'lab.db');
    await crashImage(path, 2);
    damage(path, 'zeroed-header');
    chmodSync(dir, 0o1777);
    for (const s of ['', '-wal']) chmodSync(path + s, 0o666);
    const found = { db: sha256File(path), wal: sha256File(`${path}-wal`) };
    const problems: string[] = [];
    const [childRan, cli] = await Promise.all([runNode([CHILD, 'open', path], true), runNode([CLI, 'status', '--db', path], true)]);
    const child = lastJson<ChildOutcome>(childRan);
    if (child.ok || child.name !== 'QuarantineIncompleteError') problems.push(`the services gave ${JSON.stringify(child).slice(0, 200)}`);
    if (!/EPERM/.test(child.message ?? '') || !/give your account write access/.test(child.message ?? '')) problems.push(`the message does not say why: ${child.message}`);
    if (cli.rc !== 1 || !cli.stderr.includes('could not be moved aside')) problems.push(`the CLI gave exit ${cli.rc}: ${cli.stderr.slice(0, 200)}`);
    if (sha256File(path) !== found.db || sha256File(`${path}-wal`) !== found.wal) problems.push('the damaged files were changed');
    const copies = listQuarantineRecords(path);
    if (copies.length !== 2 || !copies.every((q) => !q.complete && q.files.find((f) => f.name === 'lab.db')?.sha256 === found.db)) problems.push(`${copies.length} quarantine folders with copies (expected 2, one per attempt)`);
    record(t, problems, cli.stderr.trim().split('\n')[0] ?? '');
  }
  return t;
}

// ——— (b) no write permission ————————————————————————————————————————————————————————————

type PermissionCase = 'file read-only' | 'folder read-only' | "another account's folder and file" | 'folder cannot be created' | 'file not readable';

/** Sets a data folder up for one case (owned by nobody where the case does not say otherwise); returns the --db path and the fix. */
async function permissionCase(root: string, which: PermissionCase): Promise<{ db: string; watch: string; fix: () => void; path: string }> {
  const dir = join(root, which.replace(/\W+/g, '-'));
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const db = join(data, 'lab.db');
  await makeDatabase(db);
  chownTree(data, NOBODY);
  switch (which) {
    case 'file read-only':
      chmodSync(db, 0o444);
      return { db, watch: data, path: db, fix: () => chmodSync(db, 0o644) };
    case 'folder read-only':
      chmodSync(data, 0o555);
      return { db, watch: data, path: data, fix: () => chmodSync(data, 0o755) };
    case "another account's folder and file":
      chownTree(data, 0);
      return { db, watch: data, path: data, fix: () => chownTree(data, NOBODY) };
    case 'folder cannot be created': {
      chownTree(data, 0);
      const missing = join(data, 'not-yet', 'lab.db');
      return { db: missing, watch: data, path: data, fix: () => chownTree(data, NOBODY) };
    }
    case 'file not readable':
      chownSync(db, 0, 0);
      chmodSync(db, 0o600);
      return { db, watch: data, path: db, fix: () => chownSync(db, NOBODY, NOBODY) };
  }
}

/**
 * Each case as `nobody`: the command line (`status`) must exit 1 with one message naming the
 * path and saying nothing changed and what to do; the services must refuse the open with the
 * same; nothing in the data folder may change or appear. Then the permission is fixed and the
 * same command works, with the three candidates there.
 */
async function permissions(root: string, cases: readonly PermissionCase[]): Promise<ScenarioTally[]> {
  const tallies: ScenarioTally[] = [];
  const prepared = new Map<PermissionCase, Awaited<ReturnType<typeof permissionCase>>>();
  for (const c of cases) prepared.set(c, await permissionCase(root, c));
  const before = new Map(cases.map((c) => [c, snapshot(prepared.get(c)!.watch)]));
  // The services side for every case in one process.
  const jobs = join(root, 'permission-jobs.json');
  writeFileSync(jobs, JSON.stringify(cases.map((c) => ({ db: prepared.get(c)!.db, calls: [] }))));
  chmodSync(jobs, 0o644);
  // The services' side for every case in one process, the command line for each at once.
  const [services, ...clis] = await Promise.all([runNode([CHILD, 'batch', jobs], true).then((r) => lastJson<ChildOutcome[]>(r)), ...cases.map((c) => runNode([CLI, 'status', '--db', prepared.get(c)!.db], true))]);
  const problemsOf = new Map<PermissionCase, string[]>(cases.map((c) => [c, []]));
  for (const [i, c] of cases.entries()) {
    const { watch, path } = prepared.get(c)!;
    const problems = problemsOf.get(c)!;
    const cli = clis[i]!;
    const message = cli.stderr.trim();
    if (cli.rc !== 1) problems.push(`the CLI exited ${cli.rc}`);
    if (!message.includes(path) || !message.includes('Nothing was changed and no file was created')) problems.push(`the CLI's message: ${message.slice(0, 300)}`);
    const s = services[i]!;
    if (s.ok || s.name !== 'DatabaseAccessError' || !s.message?.includes(path)) problems.push(`the services gave ${JSON.stringify(s).slice(0, 300)}`);
    if (!same(before.get(c)!, snapshot(watch))) problems.push('files in the data folder changed or appeared');
    prepared.get(c)!.fix();
  }
  // Fixed, each opens (a new database where the folder was missing), in one process again.
  const after = lastJson<ChildOutcome[]>(await runNode([CHILD, 'batch', jobs], true));
  for (const [i, c] of cases.entries()) {
    const problems = problemsOf.get(c)!;
    const expected = c === 'folder cannot be created' ? 0 : 3;
    if (!after[i]?.ok || after[i]?.candidates !== expected) problems.push(`after the fix the open gave ${JSON.stringify(after[i]).slice(0, 200)}`);
    const t = tally(`no write permission: ${c}, as nobody`);
    record(t, problems, clis[i]!.stderr.trim().replace(/^latent-formulator: /, ''));
    tallies.push(t);
  }
  return tallies;
}

/**
 * The database writable but its backups folder not (another account's): the app opens and
 * works, and a backup fails with the folder named and the database unchanged; the command line
 * says so too. Fixed, the backup is written.
 */
async function backupsFolderReadOnly(root: string): Promise<ScenarioTally> {
  const t = tally('no write permission: the backups folder only, as nobody');
  const dir = join(root, 'backups-read-only');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  const db = join(data, 'lab.db');
  await makeDatabase(db);
  chownTree(data, NOBODY);
  chownTree(join(data, 'backups'), 0);
  const backupsBefore = snapshot(join(data, 'backups'));
  const problems: string[] = [];
  const [serviceRan, cli] = await Promise.all([
    runNode([CHILD, 'call', db, 'saveCandidate', JSON.stringify({ name: 'while backups are read-only', declaration: 'Water, Glycerin' }), 'backupNow', '-'], true),
    runNode([CLI, 'db', 'backup', '--db', db], true),
  ]);
  const service = lastJson<ChildOutcome>(serviceRan);
  const [save, backup] = service.calls ?? [];
  if (!service.ok || !save?.ok) problems.push(`the app did not open and save: ${JSON.stringify(service).slice(0, 300)}`);
  if (backup?.ok !== false || !backup.message?.includes(join(data, 'backups')) || !/No backup file was left/.test(backup.message ?? '')) problems.push(`the backup gave ${JSON.stringify(backup)}`);
  if (cli.rc !== 1 || !cli.stderr.includes(join(data, 'backups'))) problems.push(`the CLI gave exit ${cli.rc}: ${cli.stderr.slice(0, 300)}`);
  if (!same(backupsBefore, snapshot(join(data, 'backups')))) problems.push('the backups folder changed');
  chownTree(join(data, 'backups'), NOBODY);
  const after = lastJson<ChildOutcome>(await runNode([CHILD, 'call', db, 'backupNow', '-'], true));
  if (!after.calls?.[0]?.ok || after.candidates !== 4 || Object.keys(snapshot(join(data, 'backups'))).length !== Object.keys(backupsBefore).length + 1) problems.push(`after the fix: ${JSON.stringify(after).slice(0, 300)}`);
  record(t, problems, backup?.message ?? '');
  return t;
}

// ——— (c) damage inside the write-ahead log ——————————————————————————————————————————————

export const WAL_DAMAGE_KINDS = ['truncate', 'garbage-frame', 'wrong-salt', 'intact', 'frame-boundary'] as const;
export type WalDamageKind = (typeof WAL_DAMAGE_KINDS)[number];

export interface WalTally {
  kind: WalDamageKind;
  runs: number;
  /** Runs where the open kept every candidate checkpointed before (20) and a whole-transaction prefix of the 10 in the log, integrity ok. */
  consistent: number;
  /** Runs where SQLite dropped saved candidates, and of those how many the person was told of. */
  dropped: number;
  told: number;
  /** Runs told of damage where nothing was dropped. */
  falseAlarms: number;
  /** Told runs whose quarantined copies were byte-identical to the damaged files as found. */
  copiesExact: number;
  candidatesKept: number[];
  failures: string[];
}

/**
 * A crash image (20 candidates checkpointed, 10 more only in the log, one transaction each),
 * damaged by `kind`, opened by the services as at start-up. `frame-boundary` cuts the log
 * between two frames inside the last transaction: indistinguishable from a write that was in
 * progress when the process died, so it is dropped without a notice (a control, with `intact`).
 */
async function walDamageRuns(root: string, runsPerKind: number, seed: number): Promise<{ tallies: WalTally[]; notice: string; cli: string }> {
  const random = seededRandom(seed);
  const template = join(root, 'wal-template', 'lab.db');
  mkdirSync(join(template, '..'), { recursive: true });
  const live = await FormulatorService.open({ databasePath: `${template}.live`, resourcesDir: resolveResourcesDir() });
  for (let i = 0; i < 20; i++) await live.saveCandidate({ name: `checkpointed ${i}`, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
  live.db.pragma('wal_checkpoint(TRUNCATE)');
  live.db.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < 10; i++) await live.saveCandidate({ name: `logged ${i}`, declaration: 'Water, Glycerin, Squalane, Panthenol, Phenoxyethanol' });
  for (const s of ['', '-wal']) copyFileSync(`${template}.live${s}`, template + s);
  await live.compute.close();
  live.close();
  const pageSize = databasePageSize(template)!;
  const frameSize = pageSize + 24;
  const walBytes = statSync(`${template}-wal`).size;
  const frames = (walBytes - 32) / frameSize;
  let notice = '';
  let cli = '';
  const tallies: WalTally[] = [];
  let run = 0;
  for (const kind of WAL_DAMAGE_KINDS) {
    const t: WalTally = { kind, runs: 0, consistent: 0, dropped: 0, told: 0, falseAlarms: 0, copiesExact: 0, candidatesKept: [], failures: [] };
    tallies.push(t);
    for (let i = 0; i < runsPerKind; i++) {
      const dir = join(root, `wal-${run++}`);
      mkdirSync(dir);
      const path = join(dir, 'lab.db');
      for (const s of ['', '-wal']) copyFileSync(template + s, path + s);
      const wal = readFileSync(`${path}-wal`);
      if (kind === 'truncate') truncateSync(`${path}-wal`, 32 + Math.floor(random() * (walBytes - 32)));
      else if (kind === 'garbage-frame') {
        const frame = Math.floor(random() * frames);
        for (let b = 0; b < frameSize; b++) wal[32 + frame * frameSize + b] = Math.floor(random() * 256);
        writeFileSync(`${path}-wal`, wal);
      } else if (kind === 'wrong-salt') {
        const at = random() < 0.5 ? 16 : 20;
        wal.writeUInt32BE((wal.readUInt32BE(at) ^ (1 + Math.floor(random() * 0xfffffffe))) >>> 0, at);
        writeFileSync(`${path}-wal`, wal);
      } else if (kind === 'frame-boundary') {
        // The last transaction's commit frame cut off, its other frames whole.
        truncateSync(`${path}-wal`, walBytes - frameSize);
      }
      const found = { db: sha256File(path), wal: sha256File(`${path}-wal`) };
      const scan = scanWalFile(path);
      t.runs++;
      const problems: string[] = [];
      const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
      try {
        const names = new Set((service.db.prepare('SELECT name FROM candidates').pluck().all() as string[]));
        const whole = service.db.prepare(`SELECT count(*) FROM candidates c WHERE (SELECT count(*) FROM candidate_versions v JOIN candidate_ingredients i ON i.version_id = v.id WHERE v.candidate_id = c.id) >= 4`).pluck().get() as number;
        const integrity = String(service.db.pragma('integrity_check', { simple: true }));
        let logged = 0;
        while (names.has(`logged ${logged}`)) logged++;
        const checkpointed = [...Array(20).keys()].every((k) => names.has(`checkpointed ${k}`));
        const prefix = names.size === 20 + logged && whole === names.size;
        if (integrity === 'ok' && checkpointed && prefix) t.consistent++;
        else problems.push(`integrity ${integrity}, checkpointed ${checkpointed}, ${names.size} candidates (${logged} logged as a prefix), ${whole} whole`);
        t.candidatesKept.push(names.size);
        const dropped = logged < 10;
        const told = pendingWalDamage(path);
        if (dropped) t.dropped++;
        if (dropped && told.length) t.told++;
        if (!dropped && told.length) t.falseAlarms++;
        if (told.length) {
          const q = told[0]!;
          const copies = Object.fromEntries(q.files.map((f) => [f.name, sha256File(join(q.folder, f.name))]));
          if (copies['lab.db'] === found.db && copies['lab.db-wal'] === found.wal) t.copiesExact++;
          else problems.push('the copies differ from the files found');
          notice ||= walDamageNotice(q);
        }
        if (dropped && !told.length && kind !== 'frame-boundary') problems.push(`dropped ${10 - logged} saved candidates without a notice (scan: ${JSON.stringify(scan)})`);
      } finally {
        await service.compute.close();
        service.close();
      }
      if (!cli && pendingWalDamage(path).length) {
        const ran = await runNode([CLI, 'status', '--db', path], false);
        cli = ran.stderr.trim();
      }
      t.failures.push(...problems.map((p) => `${kind} run ${i}: ${p}`));
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { tallies, notice, cli };
}

/**
 * The control for the scan: a process saving candidates (durability-child.ts) killed with
 * SIGKILL at a random moment, `runs` times on one database; each time the services open it as at
 * start-up. SQLite drops only the unfinished write, so the person must not be told of damage,
 * and every save the child acknowledged must be there.
 */
export async function walAfterKill(root: string, runs: number, seed: number): Promise<ScenarioTally> {
  const t = tally('WAL after kill -9 while saving (control: no notice, every acknowledged save kept)');
  const random = seededRandom(seed);
  const dir = join(root, 'wal-kill');
  mkdirSync(dir);
  const path = join(dir, 'lab.db');
  const durabilityChild = fileURLToPath(new URL('./durability-child.ts', import.meta.url));
  for (let r = 0; r < runs; r++) {
    const acked = await new Promise<number[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', durabilityChild, 'save', path], { stdio: ['ignore', 'pipe', 'ignore'] });
      const ids: number[] = [];
      let buffer = '';
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), 200 + random() * 1300);
          if (line.startsWith('ack ')) ids.push(Number(line.slice(4)));
        }
      });
      child.on('error', reject);
      child.on('exit', () => resolve(ids));
    });
    const scan = scanWalFile(path);
    const problems: string[] = [];
    const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
    try {
      const present = new Set(service.db.prepare('SELECT id FROM candidates').pluck().all() as number[]);
      const missing = acked.filter((id) => !present.has(id));
      if (missing.length) problems.push(`${missing.length} acknowledged saves missing`);
      if (String(service.db.pragma('integrity_check', { simple: true })) !== 'ok') problems.push('integrity_check failed');
      if (pendingWalDamage(path).length) problems.push(`told of damage after a plain kill (scan: ${JSON.stringify(scan)})`);
    } finally {
      await service.compute.close();
      service.close();
    }
    record(t, problems, scan ? `no notice (the log held ${scan.usedTransactions} transactions, ${scan.droppedFrames} frames of an unfinished one, a ${scan.partialTailBytes}-byte partial frame)` : 'no notice (no log left)');
  }
  return t;
}

// ——— (d) imports from files that cannot be read ——————————————————————————————————————————

type ImportCase = 'no permission' | 'a folder' | 'gone' | 'read error (EIO)' | 'cut short mid-read' | 'removed mid-read' | 'replaced mid-read';

/**
 * Each unreadable file through the catalog import (and, where the read is whole before any
 * write, the lab-results import): refused with a message naming the file, the products,
 * catalogs and lab results exactly as before.
 */
async function unreadableImports(root: string, cases: readonly ImportCase[], fractions: readonly number[] = [0.25]): Promise<ScenarioTally[]> {
  const dir = join(root, 'imports');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const csv = join(dir, 'catalog.csv');
  const { bytes } = await writeSyntheticCatalog(csv, 6000);
  const small = join(dir, 'small.csv');
  await writeSyntheticCatalog(small, 100);
  const lab = join(dir, 'results.csv');
  writeFileSync(lab, 'candidate,property,value\n1,viscosity,3200\n');
  const db = join(dir, 'lab.db');
  let midRead: ((bytesRead: number) => void) | null = null;
  let threshold = 0;
  const changePending = () => midRead !== null;
  const tallies: ScenarioTally[] = [];
  // Read on a connection of its own (the services may hold theirs open): what every refused import must leave as it was.
  const counts = async (): Promise<string> => {
    const c = new BetterSqlite3(db, { readonly: true, fileMustExist: true });
    try {
      return ['products', 'catalogs', 'lab_results'].map((table) => c.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number).join('/');
    } finally {
      c.close();
    }
  };
  {
    const s = await FormulatorService.open({ databasePath: db, resourcesDir: resolveResourcesDir() });
    await s.importCatalog({ path: small });
    await s.saveCandidate({ name: 'for lab results', declaration: 'Water, Glycerin' });
    await s.compute.close();
    s.close();
  }
  const before = await counts();
  // One service for the cases run in this process; its progress hook makes the mid-read changes.
  const service = await FormulatorService.open({
    databasePath: db,
    resourcesDir: resolveResourcesDir(),
    onImportProgress: (p) => {
      if (midRead && (p.bytesRead ?? 0) > threshold) {
        midRead(p.bytesRead!);
        midRead = null;
      }
    },
  });
  try {
    // A change mid-read happens at each fraction of the file given; the other cases run once.
    for (const [c, fraction] of cases.flatMap((c) => (c.endsWith('mid-read') ? fractions.map((f) => [c, f] as const) : [[c, 0] as const]))) {
      threshold = bytes * fraction;
      let t = tallies.find((x) => x.scenario === `unreadable import: ${c}`);
      if (!t) tallies.push((t = tally(`unreadable import: ${c}`)));
      const problems: string[] = [];
      let file = csv;
      let labFile: string | null = null;
      const outcomes: { method: string; ok: boolean; message: string }[] = [];
      const call = async (method: string, arg: unknown) => {
        const r = (await dispatchApiCall(service, method, arg)) as ApiResult<unknown>;
        outcomes.push({ method, ok: r.ok, message: r.ok ? '' : r.error.message });
      };
      if (c === 'no permission') {
        // As nobody, through the services (a process of their own) and the command line.
        file = join(dir, 'locked.csv');
        labFile = join(dir, 'locked-results.csv');
        copyFileSync(small, file);
        copyFileSync(lab, labFile);
        chownTree(dir, NOBODY);
        for (const f of [file, labFile]) {
          chownSync(f, 0, 0);
          chmodSync(f, 0o600);
        }
        const [childRan, cli] = await Promise.all([
          runNode([CHILD, 'call', db, 'importCatalog', JSON.stringify({ path: file }), 'previewImport', JSON.stringify({ path: file }), 'importLabResults', JSON.stringify({ path: labFile }), 'previewLabResults', JSON.stringify({ path: labFile })], true),
          runNode([CLI, 'import', file, '--db', db], true),
        ]);
        for (const x of lastJson<ChildOutcome>(childRan).calls ?? []) outcomes.push({ method: x.method, ok: x.ok, message: x.message ?? '' });
        outcomes.push({ method: 'CLI import', ok: cli.rc === 0, message: cli.stderr.trim() });
        chownTree(dir, 0);
      } else if (c === 'a folder' || c === 'gone' || c === 'read error (EIO)') {
        if (c === 'a folder') mkdirSync(join(dir, 'a-folder.csv'));
        // Reading /proc/self/mem from its start fails with EIO, as a failing disk or a dropped network share does.
        file = c === 'a folder' ? join(dir, 'a-folder.csv') : c === 'gone' ? join(dir, 'never-there.csv') : '/proc/self/mem';
        labFile = file;
        for (const [method, path] of [['importCatalog', file], ['previewImport', file], ['importLabResults', file], ['previewLabResults', file]] as const) await call(method, { path });
      } else {
        const copy = join(dir, `${c.replace(/\W+/g, '-')}-${Math.round(fraction * 100)}.csv`);
        copyFileSync(csv, copy);
        file = copy;
        midRead = () => {
          if (c === 'cut short mid-read') truncateSync(copy, Math.floor(bytes / 2));
          else if (c === 'removed mid-read') unlinkSync(copy);
          else {
            copyFileSync(small, `${copy}.new`);
            renameSync(`${copy}.new`, copy);
          }
        };
        await call('importCatalog', { path: file });
        if (changePending()) problems.push('the file was read to the end before the change was made');
        midRead = null;
      }
      for (const o of outcomes) {
        if (o.ok) problems.push(`${o.method} succeeded`);
        else if (!o.message.includes(file) && !(labFile && o.message.includes(labFile))) problems.push(`${o.method}'s message does not name the file: ${o.message}`);
      }
      const after = await counts();
      if (after !== before) problems.push(`products/catalogs/lab results ${before} → ${after}`);
      record(t, problems, outcomes.find((o) => o.method === 'importCatalog')?.message ?? outcomes[0]?.message ?? '');
    }
  } finally {
    await service.compute.close();
    service.close();
  }
  return tallies;
}

// ——— the section ————————————————————————————————————————————————————————————————————

const PERMISSION_CASES: readonly PermissionCase[] = ['file read-only', 'folder read-only', "another account's folder and file", 'folder cannot be created', 'file not readable'];
const IMPORT_CASES: readonly ImportCase[] = ['no permission', 'a folder', 'gone', 'read error (EIO)', 'cut short mid-read', 'removed mid-read', 'replaced mid-read'];

export interface FallbacksReport {
  scenarios: ScenarioTally[];
  wal: WalTally[];
  walNotice: string;
  walCli: string;
  skipped: string[];
  /** Seconds each part took. */
  seconds: Record<string, number>;
}

/** Every scenario of the section; `full` runs more of each (the short version is what `npm test` runs). */
export async function fallbacksReport(full: boolean): Promise<FallbacksReport> {
  const root = mkdtempSync(join(tmpdir(), 'lf-fallbacks-'));
  chmodSync(root, 0o755);
  const report: FallbacksReport = { scenarios: [], wal: [], walNotice: '', walCli: '', skipped: [], seconds: {} };
  const nobody = canRunAsNobody();
  let lap = performance.now();
  const timed = (part: string) => {
    report.seconds[part] = Math.round((performance.now() - lap) / 100) / 10;
    lap = performance.now();
  };
  try {
    if (canMountTmpfs()) report.scenarios.push(await quarantineAcrossDrives(root, full ? 10 : 1));
    else report.skipped.push('quarantine across drives: this process cannot mount a tmpfs (needs root)');
    timed('quarantine across drives');
    if (nobody) {
      report.scenarios.push(await quarantineInSharedFolder(root, full ? 5 : 1));
      timed('quarantine in a shared folder');
      report.scenarios.push(...(await permissions(root, full ? PERMISSION_CASES : ['file read-only', 'folder read-only', 'folder cannot be created'])));
      timed('permissions');
      report.scenarios.push(await backupsFolderReadOnly(root));
      timed('backups folder');
    } else report.skipped.push('shared-folder quarantine and permissions: need root with setpriv to run as nobody');
    const wal = await walDamageRuns(root, full ? 25 : 3, 1);
    report.wal = wal.tallies;
    report.walNotice = wal.notice;
    report.walCli = wal.cli;
    report.scenarios.push(await walAfterKill(root, full ? 25 : 2, 2));
    timed('WAL damage');
    report.scenarios.push(...(await unreadableImports(root, nobody ? IMPORT_CASES : IMPORT_CASES.filter((c) => c !== 'no permission'), full ? [0.05, 0.25, 0.5, 0.75, 0.95] : [0.25])));
    timed('imports');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return report;
}

/** `npm run reliability fallbacks`: item 3's figures, one row per scenario (runs / checks held / what the person saw). */
export async function fallbacksSection(add: (label: string, value: string | number) => void, full: boolean): Promise<void> {
  const r = await fallbacksReport(full);
  for (const s of r.scenarios) {
    add(`${s.scenario}: runs / all checks held`, `${s.runs} / ${s.held}`);
    add(`${s.scenario}: what the person saw`, s.saw.slice(0, 400));
    if (s.failures.length) add(`${s.scenario}: FAILURES`, s.failures.slice(0, 3).join('; '));
  }
  for (const w of r.wal) {
    add(`WAL damage, ${w.kind}: runs / consistent (checkpointed kept, whole transactions) / dropped saved work / told / false alarms / copies exact`, `${w.runs} / ${w.consistent} / ${w.dropped} / ${w.told} / ${w.falseAlarms} / ${w.copiesExact}`);
    add(`WAL damage, ${w.kind}: candidates after the open (20 checkpointed + up to 10 from the log)`, w.candidatesKept.join(', '));
    if (w.failures.length) add(`WAL damage, ${w.kind}: FAILURES`, w.failures.slice(0, 3).join('; '));
  }
  add('WAL damage: what the person saw (the services)', r.walNotice.slice(0, 500));
  add('WAL damage: what the person saw (the command line)', r.walCli.slice(0, 500));
  for (const s of r.skipped) add('fallbacks: skipped', s);
  add('fallbacks: seconds per part', Object.entries(r.seconds).map(([k, v]) => `${k} ${v}`).join(', '));
}
