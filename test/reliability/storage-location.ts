import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCli } from '../../src/main/cli/run';
import { sha256File } from '../../src/main/db/quarantine';
import { resolveResourcesDir } from '../../src/main/resources';
import { MOVED_NOTE } from '../../src/main/services/database-move';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { classifyStorage, databaseStorageLocation, parseMountInfo, type StorageFacts } from '../../src/main/storage-location';
import type { StorageLocation } from '../../src/shared/api';
import { formatBytes } from '../../src/shared/format-bytes';
import { writeSyntheticCatalog } from './synth-catalog';

/**
 * Issue 17, item 6: a data folder on a network file system or inside a synced folder. Prints
 *   - the classification of path fixtures, per kind (synced clients' folders on Windows, macOS and
 *     Linux, UNC paths and mapped drives, look-alikes that must stay local);
 *   - every mount of this machine, per file-system type;
 *   - real mounts made here (root, where the kernel allows it): a bind mount of a folder named
 *     Dropbox (synced, found through the bind mount's origin), a plain bind mount and a tmpfs
 *     (local), and two FUSE mounts typed `fuse.rclone` and `fuse.sshfs`, served by a minimal
 *     FUSE responder in a child process (it answers INIT and GETATTR and has no files; no rclone
 *     or sshfs is involved: what is tested is the detection of the type the kernel reports);
 *     nfs where the kernel has it;
 *   - the command line's warning on a database behind the Dropbox bind mount;
 *   - moving that database: the refusals (a target on the FUSE "rclone" mount, in a OneDrive
 *     folder, not empty, on a 1 MiB tmpfs), then the move's size, time and checks.
 */

type Add = (label: string, value: string | number) => void;

/** Path fixtures and the kind each must get. */
const PATHS: [NodeJS.Platform, string, string, StorageLocation['kind']][] = [
  ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\OneDrive\\Documents\\Latent', 'synced'],
  ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\OneDrive - Contoso Labs\\R&D', 'synced'],
  ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\Dropbox (Contoso)\\lab', 'synced'],
  ['win32', 'C:\\Users\\ana', 'G:\\My Drive\\formulas', 'synced'],
  ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\iCloudDrive\\lab', 'synced'],
  ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\Box\\lab', 'synced'],
  ['darwin', '/Users/ana', '/Users/ana/Library/Mobile Documents/com~apple~CloudDocs/Lab', 'synced'],
  ['darwin', '/Users/ana', '/Users/ana/Library/CloudStorage/OneDrive-Personal/Lab', 'synced'],
  ['darwin', '/Users/ana', '/Users/ana/Library/CloudStorage/GoogleDrive-ana@example.com/My Drive/Lab', 'synced'],
  ['darwin', '/Users/ana', '/Users/ana/Library/CloudStorage/Dropbox/Lab', 'synced'],
  ['darwin', '/Users/ana', '/Users/ana/Google Drive/Lab', 'synced'],
  ['linux', '/home/ana', '/home/ana/pCloudDrive/lab', 'synced'],
  ['linux', '/home/ana', '/home/ana/Nextcloud/lab', 'synced'],
  ['linux', '/home/ana', '/home/ana/ownCloud/lab', 'synced'],
  ['linux', '/home/ana', '/home/ana/Sync/lab', 'synced'],
  ['linux', '/home/ana', '/home/ana/MEGA/lab', 'synced'],
  ['win32', 'C:\\Users\\ana', '\\\\nas\\Chemistry\\lab', 'network'],
  ['win32', 'C:\\Users\\ana', '//nas/Chemistry/lab', 'network'],
  ['win32', 'C:\\Users\\ana', '\\\\?\\UNC\\nas\\Chemistry\\lab', 'network'],
  ['win32', 'C:\\Users\\ana', 'Z:\\lab', 'network'],
  ['win32', 'C:\\Users\\ana', 'C:\\Users\\ana\\AppData\\Roaming\\Latent Formulator', 'local'],
  ['win32', 'C:\\Users\\ana', 'D:\\lab', 'local'],
  ['darwin', '/Users/ana', '/Users/ana/Library/Application Support/Latent Formulator', 'local'],
  ['linux', '/home/ana', '/home/ana/.config/Latent Formulator', 'local'],
  ['linux', '/home/ana', '/home/ana/projects/Box/lab', 'local'],
  ['linux', '/home/ana', '/home/ana/work/Sync/lab', 'local'],
  ['linux', '/home/ana', '/home/ana/dropbox-export/lab', 'local'],
];

/** Classifies the path fixtures: per expected kind, how many got it. */
export function pathFixtureResults(): { byKind: Record<string, { held: number; total: number }>; failures: string[] } {
  const byKind: Record<string, { held: number; total: number }> = {};
  const failures: string[] = [];
  for (const [platform, home, folder, expected] of PATHS) {
    const facts: StorageFacts = { platform, home, folder, mounts: [], mappedDrives: new Map([['Z:', '\\\\nas\\Chemistry']]) };
    const got = classifyStorage(facts).kind;
    const entry = (byKind[expected] ??= { held: 0, total: 0 });
    entry.total++;
    if (got === expected) entry.held++;
    else failures.push(`${platform} ${folder}: ${got}, expected ${expected}`);
  }
  return { byKind, failures };
}

/** Every mount of this machine classified at its mount point, per file-system type ("ext4 → local ×1"). */
export function machineMounts(): string {
  if (process.platform !== 'linux') return `not Linux (${process.platform}): no mountinfo`;
  const mounts = parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  const facts = (folder: string): StorageFacts => ({ platform: 'linux', home: '/root', folder, mounts });
  const counts = new Map<string, number>();
  for (const m of mounts) {
    const key = `${m.fsType} → ${classifyStorage(facts(m.mountPoint)).kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} ×${n}`).join(', ');
}

/** True when this process may mount (root on Linux with the right to call mount(2)). */
export function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'lf-mount-probe-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]).status !== 0) return false;
    spawnSync('umount', [probe]);
    return true;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/**
 * A minimal FUSE file system (CommonJS, run by `node -e`): opens /dev/fuse, mounts it with the
 * type asked for, then answers INIT, GETATTR (the root, a folder) and LOOKUP (nothing inside)
 * and refuses everything else (ENOSYS) until unmounted.
 */
const FUSE_RESPONDER = `
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const [point, type, source] = process.argv.slice(1);
const fd = fs.openSync('/dev/fuse', 'r+');
const m = spawnSync('mount', ['-t', type, '-o', 'fd=3,rootmode=40000,user_id=0,group_id=0,allow_other', source, point], { stdio: ['ignore', 'ignore', 'pipe', fd] });
if (m.status !== 0) { process.stdout.write('failed ' + String(m.stderr).trim() + '\\n'); process.exit(1); }
process.stdout.write('mounted\\n');
const buf = Buffer.alloc((1 << 20) + 4096);
const reply = (unique, error, payload) => {
  const out = Buffer.alloc(16 + (payload ? payload.length : 0));
  out.writeUInt32LE(out.length, 0); out.writeInt32LE(error, 4); out.writeBigUInt64LE(unique, 8);
  if (payload) payload.copy(out, 16);
  fs.writeSync(fd, out);
};
const rootAttr = Buffer.alloc(104);
rootAttr.writeBigUInt64LE(1n, 0); rootAttr.writeBigUInt64LE(1n, 16); rootAttr.writeUInt32LE(0o40755, 76); rootAttr.writeUInt32LE(2, 80); rootAttr.writeUInt32LE(4096, 96);
for (;;) {
  let n;
  try { n = fs.readSync(fd, buf, 0, buf.length, null); } catch (e) { if (e.code === 'EINTR' || e.code === 'EAGAIN') continue; break; }
  if (n < 40) continue;
  const opcode = buf.readUInt32LE(4), unique = buf.readBigUInt64LE(8);
  if (opcode === 26) {
    const init = Buffer.alloc(64);
    init.writeUInt32LE(7, 0); init.writeUInt32LE(31, 4); init.writeUInt32LE(buf.readUInt32LE(48), 8);
    init.writeUInt16LE(16, 16); init.writeUInt16LE(12, 18); init.writeUInt32LE(65536, 20); init.writeUInt32LE(1, 24); init.writeUInt16LE(1, 28);
    reply(unique, 0, init);
  } else if (opcode === 3) reply(unique, 0, rootAttr);
  else if (opcode === 1) reply(unique, -2);
  else if (opcode === 2 || opcode === 42 || opcode === 36) continue;
  else if (opcode === 38) { reply(unique, 0); break; }
  else reply(unique, -38);
}
`;

/** A mount made for the run, with what undoes it. */
export interface Mounted {
  point: string;
  unmount: () => void;
}

/** Mounts a FUSE file system of `type` at `point` served by FUSE_RESPONDER; a string says why it could not. */
export async function mountFuse(point: string, type: string, source: string): Promise<Mounted | string> {
  if (!existsSync('/dev/fuse')) return 'no /dev/fuse on this machine';
  mkdirSync(point, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, ['-e', FUSE_RESPONDER, point, type, source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('no answer within 5 s'), 5000);
    child.stdout!.once('data', (d: Buffer) => {
      clearTimeout(timer);
      resolve(d.toString().trim());
    });
    child.once('exit', () => resolve('the responder exited'));
  });
  const unmount = () => {
    spawnSync('umount', ['-l', point]);
    child.kill('SIGKILL');
  };
  if (first !== 'mounted') {
    unmount();
    return `mount -t ${type} failed: ${first}`;
  }
  // A stat in a child process with a time limit first: a FUSE mount that does not answer would block this process.
  if (spawnSync('stat', [point], { timeout: 5000 }).status !== 0) {
    unmount();
    return 'the FUSE mount did not answer a stat within 5 s';
  }
  return { point, unmount };
}

/** `mount --bind from to`; a string says why it could not. */
export function bindMount(from: string, to: string): Mounted | string {
  mkdirSync(to, { recursive: true });
  const r = spawnSync('mount', ['--bind', from, to], { encoding: 'utf8' });
  if (r.status !== 0) return `mount --bind failed: ${r.stderr.trim()}`;
  return { point: to, unmount: () => spawnSync('umount', [to]) };
}

function tmpfsMount(point: string, size: string): Mounted | string {
  mkdirSync(point, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', point], { encoding: 'utf8' });
  if (r.status !== 0) return `mount -t tmpfs failed: ${r.stderr.trim()}`;
  return { point, unmount: () => spawnSync('umount', [point]) };
}

const said = (l: StorageLocation) => `${l.kind} (${l.fileSystem ?? 'no mount'}): ${l.detail}`;
const failure = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code?: string }) => e.code ?? 'no code');

/** The section: prints the figures with `add`; `full` moves a larger catalog (20,000 products) as well. */
export async function storageLocationSection(add: Add, full: boolean): Promise<void> {
  const paths = pathFixtureResults();
  add('storage: path fixtures → kind (held / total)', Object.entries(paths.byKind).map(([k, v]) => `${k} ${v.held}/${v.total}`).join(', '));
  if (paths.failures.length) add('storage: path fixtures NOT held', paths.failures.join('; '));
  add('storage: this machine, every mount by type → kind', machineMounts());

  if (!canMount()) {
    add('storage: real mounts', `skipped: this process cannot mount (${process.platform === 'linux' ? 'not root, or mount(2) refused' : process.platform})`);
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'lf-storage-'));
  const mounted: Mounted[] = [];
  const keep = <T extends Mounted | string>(m: T): T => {
    if (typeof m !== 'string') mounted.push(m);
    return m;
  };
  let service: FormulatorService | null = null;
  try {
    // Bind mounts and a tmpfs.
    const dropbox = join(root, 'home', 'Dropbox', 'lab');
    mkdirSync(dropbox, { recursive: true });
    const bound = keep(bindMount(dropbox, join(root, 'srv', 'lab')));
    add('storage: bind mount of a folder named Dropbox (srv/lab ← home/Dropbox/lab)', typeof bound === 'string' ? `skipped: ${bound}` : said(databaseStorageLocation(join(bound.point, 'app.db'))));
    mkdirSync(join(root, 'plain'), { recursive: true });
    const plain = keep(bindMount(join(root, 'plain'), join(root, 'plain-bound')));
    add('storage: bind mount of a plain folder', typeof plain === 'string' ? `skipped: ${plain}` : said(databaseStorageLocation(join(plain.point, 'app.db'))));
    const ram = keep(tmpfsMount(join(root, 'ram'), '8m'));
    add('storage: tmpfs', typeof ram === 'string' ? `skipped: ${ram}` : said(databaseStorageLocation(join(ram.point, 'app.db'))));

    // FUSE mounts of the types rclone and sshfs report.
    const fuseMounts: Record<string, Mounted | string> = {};
    for (const [type, source] of [['fuse.rclone', 'gdrive:'], ['fuse.sshfs', 'ana@lab:/data']] as const) {
      const m = keep(await mountFuse(join(root, type), type, source));
      fuseMounts[type] = m;
      add(`storage: FUSE mount typed ${type} (a minimal responder, no ${type.slice(5)})`, typeof m === 'string' ? `skipped: ${m}` : said(databaseStorageLocation(join(m.point, 'lab', 'app.db'))));
    }
    const kernelHasNfs = /\tnfs4?\n/.test(readFileSync('/proc/filesystems', 'utf8'));
    add('storage: nfs / nfs4 mount', kernelHasNfs ? 'the kernel has nfs, but no NFS server runs here: not mounted (the type is covered by the fixtures)' : 'skipped: this kernel has no nfs file system (/proc/filesystems); the type is covered by the mountinfo fixtures');

    if (typeof bound === 'string') return;
    // The command line on a database behind the Dropbox bind mount: one warning line.
    const dbPath = join(bound.point, 'app.db');
    let err = '';
    const code = await runCli(['status', '--db', dbPath], { out: () => undefined, err: (t) => void (err += `${t}\n`) });
    const warnings = err.split('\n').filter((l) => l.includes('warning:'));
    add('storage: CLI status on it: exit code / warning lines / the line', `${code} / ${warnings.length} / ${warnings[0]?.slice(0, 160) ?? '—'}…`);

    // Moving it: the refusals, then the move.
    service = await FormulatorService.open({ databasePath: dbPath, resourcesDir: resolveResourcesDir() });
    await service.loadSampleCatalog();
    const model = await service.trainModel({ preset: 'quick', seed: 3 });
    if (full) {
      const csv = join(root, 'synthetic.csv');
      await writeSyntheticCatalog(csv, 20_000);
      await service.importCatalog({ path: csv });
      rmSync(csv);
    }
    for (let i = 0; i < 20; i++) await service.saveCandidate({ name: `Candidate ${i + 1}`, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    await service.backupNow();
    await service.backupNow();
    const before = await service.getStatus();
    const candidatesBefore = (await service.listCandidates()).total;

    const refusals: string[] = [];
    const rclone = fuseMounts['fuse.rclone'];
    if (typeof rclone !== 'string' && rclone) refusals.push(`rclone mount → ${await failure(service.moveDatabase({ path: join(rclone.point, 'lab') }))}`);
    refusals.push(`OneDrive folder → ${await failure(service.moveDatabase({ path: join(root, 'home', 'OneDrive - Contoso', 'lab') }))}`);
    mkdirSync(join(root, 'busy'));
    writeFileSync(join(root, 'busy', 'notes.txt'), 'mine');
    refusals.push(`not empty → ${await failure(service.moveDatabase({ path: join(root, 'busy') }))}`);
    const small = keep(tmpfsMount(join(root, 'small'), '1m'));
    if (typeof small !== 'string') refusals.push(`1 MiB tmpfs → ${await failure(service.moveDatabase({ path: join(small.point, 'lab') }))}`);
    const unchanged = (await service.getDatabaseStatus()).databasePath === dbPath && !existsSync(join(root, 'home', 'OneDrive - Contoso'));
    add('storage: move refused (target → code); database unchanged and nothing created', `${refusals.join(', ')}; ${unchanged ? 'yes' : 'NO'}`);

    const oldBackup = join(dropbox, 'backups', (await service.getDatabaseStatus()).backups[0]!.file);
    const oldSha = sha256File(oldBackup);
    const target = join(root, 'local', 'Latent Formulator');
    const t = performance.now();
    const moved = await service.moveDatabase({ path: target });
    const ms = performance.now() - t;
    const after = await service.getStatus();
    const encoded = await service.encodeLists({ declarations: ['Water, Glycerin, Niacinamide'] });
    const c = moved.copied;
    const v = moved.verified;
    add(
      `storage: move (${full ? 'sample + 20,000 synthetic products' : 'sample catalog'}): copied / time`,
      `database ${formatBytes(c.databaseBytes)}, ${c.backups} backups ${formatBytes(c.backupBytes)}, ${c.models} model ${formatBytes(c.modelBytes)} / ${(ms / 1000).toFixed(2)} s`,
    );
    add('storage: move checks: quick_check / tables / rows / models / files byte for byte', `${v.quickCheck} / ${v.tables} / ${v.rows} / ${v.models} / ${v.files}`);
    add(
      'storage: after the move: products / candidates / model encodes / location',
      `${after.productCount} (was ${before.productCount}) / ${(await service.listCandidates()).total} (was ${candidatesBefore}) / ${encoded.modelId === model.id ? 'yes' : 'NO'} / ${moved.location.kind}`,
    );
    const oldKept = existsSync(dbPath) && sha256File(oldBackup) === oldSha && readdirSync(join(dropbox, 'models')).length === 1;
    add('storage: old files left in place / note beside them / next time', `${oldKept ? 'yes' : 'NO'} / ${existsSync(join(bound.point, MOVED_NOTE)) ? 'yes' : 'NO'} / ${moved.nextTime.hint.slice(0, 120)}`);
  } finally {
    if (service) {
      await service.compute.close();
      service.close();
    }
    for (const m of mounted.reverse()) m.unmount();
    rmSync(root, { recursive: true, force: true });
  }
}
