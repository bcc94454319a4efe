import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/main/db/connection';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/main/db/migrations';
import { listModels } from '../../src/main/db/queries/models';
import { loadModel } from '../../src/main/ml/store';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { seededRandom } from '../../src/shared/ml/random';
import { computePids, procFile } from './proc';

/**
 * kill -9 durability (issue 7, item 1): a child process (durability-child.ts) imports a catalog,
 * saves candidates or migrates a database, and is killed with SIGKILL after a random delay. The
 * database is then opened again and checked: PRAGMA integrity_check is ok; an import is all or
 * nothing; every save the child acknowledged is there, with its list; a migration either did not
 * happen or completed, and the next open finishes it with the data intact; the model store holds
 * the old model or the new one, each verified against its checksums.
 */

export interface KillReport {
  scenario: string;
  runs: number;
  /** Runs whose checks all held. */
  ok: number;
  failures: string[];
  /** How often the kill landed before the work finished (the rest finished first). */
  killedMidway: number;
  integrityOk: number;
  detail: string;
}

const CHILD = fileURLToPath(new URL('./durability-child.ts', import.meta.url));

/**
 * Runs the child and kills it `delayMs` after it says ready; resolves with its stdout lines,
 * whether it had finished, and the time from ready to done (the work itself) when it did.
 */
function runAndKill(args: string[], delayMs: number): Promise<{ lines: string[]; finished: boolean; workMs: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffer = '';
    let finished = false;
    let readyAt = 0;
    let workMs: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (line === 'ready') {
          readyAt = performance.now();
          timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
        if (line.startsWith('done')) {
          finished = true;
          workMs = performance.now() - readyAt;
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer); // a run measured to the end would otherwise keep this process alive for its whole delay
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr.slice(0, 500)}`));
      else resolve({ lines, finished, workMs });
    });
  });
}

async function freshDatabase(dir: string): Promise<string> {
  const path = join(dir, 'lab.db');
  const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
  service.close();
  return path;
}

export async function killDuringImport(runs: number, csvPath: string, seed = 1): Promise<KillReport> {
  const random = seededRandom(seed);
  const report: KillReport = { scenario: 'import', runs, ok: 0, failures: [], killedMidway: 0, integrityOk: 0, detail: '' };
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  try {
    const template = await freshDatabase(dir);
    // How many products a whole import gives, and how long it takes.
    const whole = join(dir, 'whole.db');
    copyFileSync(template, whole);
    const full = await runAndKill(['import', whole, csvPath], 600_000);
    // Kills land anywhere from the open database to a little after the import's end.
    const importMs = full.workMs! * 1.1;
    const expected = Number(full.lines.find((l) => l.startsWith('done'))!.split(' ')[1]);
    const counts = new Map<number, number>();
    for (let r = 0; r < runs; r++) {
      const path = join(dir, `run-${r}.db`);
      copyFileSync(template, path);
      const { finished } = await runAndKill(['import', path, csvPath], random() * importMs);
      if (!finished) report.killedMidway++;
      const opened = await openDatabase(path);
      const integrity = opened.db.pragma('integrity_check', { simple: true });
      const products = opened.db.prepare('SELECT count(*) FROM products').pluck().get() as number;
      const catalogs = opened.db.prepare('SELECT count(*) FROM catalogs').pluck().get() as number;
      opened.db.close();
      counts.set(products, (counts.get(products) ?? 0) + 1);
      if (integrity === 'ok') report.integrityOk++;
      const allOrNothing = (products === 0 && catalogs === 0) || (products === expected && catalogs === 1);
      if (integrity === 'ok' && allOrNothing) report.ok++;
      else report.failures.push(`run ${r}: integrity ${integrity}, ${products} products, ${catalogs} catalogs`);
      rmSync(path, { force: true });
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
    }
    report.detail = `whole import ${expected} products in ${(full.workMs! / 1000).toFixed(2)} s; products after a kill: ${[...counts].map(([k, v]) => `${k} ×${v}`).join(', ')}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

export async function killDuringSaves(runs: number, seed = 1, maxDelayMs = 1500): Promise<KillReport> {
  const random = seededRandom(seed);
  const report: KillReport = { scenario: 'saving candidates', runs, ok: 0, failures: [], killedMidway: runs, integrityOk: 0, detail: '' };
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  let acked = 0;
  try {
    const path = await freshDatabase(dir);
    for (let r = 0; r < runs; r++) {
      const { lines } = await runAndKill(['save', path], random() * maxDelayMs);
      const ids = lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
      acked += ids.length;
      const opened = await openDatabase(path);
      const integrity = opened.db.pragma('integrity_check', { simple: true });
      const present = new Set(opened.db.prepare('SELECT id FROM candidates').pluck().all() as number[]);
      const withList = opened.db
        .prepare(`SELECT count(*) FROM candidates c WHERE (SELECT count(*) FROM candidate_versions v JOIN candidate_ingredients i ON i.version_id = v.id WHERE v.candidate_id = c.id) = 5`)
        .pluck()
        .get() as number;
      opened.db.close();
      if (integrity === 'ok') report.integrityOk++;
      const missing = ids.filter((id) => !present.has(id));
      if (integrity === 'ok' && missing.length === 0 && withList === present.size) report.ok++;
      else report.failures.push(`run ${r}: integrity ${integrity}, ${missing.length} acknowledged saves missing, ${present.size - withList} candidates without their whole list`);
    }
    const opened = await openDatabase(path);
    const total = opened.db.prepare('SELECT count(*) FROM candidates').pluck().get() as number;
    opened.db.close();
    // A save can commit in the instant before its acknowledgement is printed: it is there, never acknowledged.
    report.detail = `${acked} acknowledged saves, all checked after each kill; ${total} candidates in the end (${total - acked} committed but killed before the acknowledgement was printed)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

export async function killDuringMigration(runs: number, seed = 1): Promise<KillReport> {
  const random = seededRandom(seed);
  const report: KillReport = { scenario: `migration 5 → ${LATEST_SCHEMA_VERSION}`, runs, ok: 0, failures: [], killedMidway: 0, integrityOk: 0, detail: '' };
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  try {
    // A version 5 database with saved candidates.
    const v5path = join(dir, 'v5.db');
    const service = await FormulatorService.open({ databasePath: v5path, resourcesDir: resolveResourcesDir() });
    for (let i = 0; i < 50; i++) await service.saveCandidate({ name: `kept ${i}`, declaration: 'Water, Glycerin, Phenoxyethanol' });
    // Back to version 5: without what versions 6 (lab results), 7 (model catalogs), 8 (briefs) and 9 (draft formulas) added.
    service.db.exec('DROP TABLE lab_results; DROP TABLE model_catalogs; DROP INDEX product_codes_by_product; DROP TABLE brief_versions; DROP TABLE briefs; DROP TABLE candidate_formulas; DROP TABLE formula_settings; DROP TABLE legal_limits; DROP TABLE use_levels');
    service.db.pragma('user_version = 5');
    service.db.pragma('wal_checkpoint(TRUNCATE)');
    service.close();
    const probe = join(dir, 'probe.db');
    copyFileSync(v5path, probe);
    const migrateMs = (await runAndKill(['migrate', probe], 600_000)).workMs! * 1.1;
    const versions = new Map<number, number>();
    for (let r = 0; r < runs; r++) {
      const path = join(dir, `run-${r}.db`);
      copyFileSync(v5path, path);
      const { finished } = await runAndKill(['migrate', path], random() * migrateMs);
      if (!finished) report.killedMidway++;
      // What the kill left, read without migrating.
      const left = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 5) }).catch(() => null);
      const leftVersion = left ? left.schemaVersion : LATEST_SCHEMA_VERSION;
      left?.db.close();
      versions.set(leftVersion, (versions.get(leftVersion) ?? 0) + 1);
      const opened = await openDatabase(path);
      const integrity = opened.db.pragma('integrity_check', { simple: true });
      const candidates = opened.db.prepare('SELECT count(*) FROM candidates').pluck().get() as number;
      const table = opened.db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'lab_results'`).pluck().get() as number;
      opened.db.close();
      if (integrity === 'ok') report.integrityOk++;
      if (integrity === 'ok' && opened.schemaVersion === LATEST_SCHEMA_VERSION && candidates === 50 && table === 1) report.ok++;
      else report.failures.push(`run ${r}: integrity ${integrity}, version ${opened.schemaVersion}, ${candidates} candidates, lab_results ${table}`);
    }
    report.detail = `opening and migrating takes ${(migrateMs / 1.1).toFixed(0)} ms; schema version left by the kill: ${[...versions].map(([k, v]) => `v${k} ×${v}`).join(', ')}; every database reopened at v${LATEST_SCHEMA_VERSION} with its 50 candidates`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/**
 * kill -9 while models are being saved: the child re-saves the active (trained) model as new
 * models in a loop, each a folder written and renamed into place and then a database record that
 * activates it. After each kill the next open must sweep any half-written folder, and every
 * recorded model — the active one above all — must load and verify against its checksums; every
 * acknowledged model must be among them.
 */
export async function killDuringModelSave(runs: number, seed = 1, maxDelayMs = 800): Promise<KillReport> {
  const random = seededRandom(seed);
  const report: KillReport = { scenario: 'saving a model', runs, ok: 0, failures: [], killedMidway: runs, integrityOk: 0, detail: '' };
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  let acked = 0;
  let partial = 0;
  let unrecorded = 0;
  let activeWasNew = 0;
  let weightBytes = 0;
  try {
    // A database with the sample catalog and one trained quick model: the "old" model.
    const template = join(dir, 'template');
    const service = await FormulatorService.open({ databasePath: join(template, 'lab.db'), resourcesDir: resolveResourcesDir() });
    await service.loadSampleCatalog();
    const trained = await service.trainModel({ preset: 'quick', seed: 1 });
    const firstFolder = listModels(service.db)[0]!.folder;
    weightBytes = loadModel(join(service.modelsDir, firstFolder)).weights.reduce((n, w) => n + w.values.length * 4, 0);
    service.db.pragma('wal_checkpoint(TRUNCATE)');
    service.close();
    await service.compute.close();
    for (let r = 0; r < runs; r++) {
      const runDir = join(dir, `run-${r}`);
      cpSync(template, runDir, { recursive: true });
      const path = join(runDir, 'lab.db');
      const { lines } = await runAndKill(['model', path], random() ** 2 * maxDelayMs);
      const ids = lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
      acked += ids.length;
      const modelsDir = join(runDir, 'models');
      const leftPartial = readdirSync(modelsDir).filter((n) => n.startsWith('.tmp-')).length;
      partial += leftPartial;
      const reopened = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
      const problems: string[] = [];
      const integrity = reopened.db.pragma('integrity_check', { simple: true });
      if (integrity === 'ok') report.integrityOk++;
      else problems.push(`integrity ${String(integrity)}`);
      const models = listModels(reopened.db);
      const active = models.filter((m) => m.active);
      if (active.length !== 1) problems.push(`${active.length} active models`);
      else if (active[0]!.id !== trained.id) activeWasNew++;
      for (const m of models) {
        try {
          loadModel(join(modelsDir, m.folder), m.manifestSha256);
        } catch (error) {
          problems.push(`model ${m.id}${m.active ? ' (active)' : ''}: ${(error as Error).message}`);
        }
      }
      const recorded = new Set(models.map((m) => m.id));
      const missing = ids.filter((id) => !recorded.has(id));
      if (missing.length) problems.push(`${missing.length} acknowledged models missing`);
      if (readdirSync(modelsDir).some((n) => n.startsWith('.tmp-'))) problems.push('a half-written folder survived the next open');
      if (leftPartial !== reopened.modelStoreSweep.removedPartial.length) problems.push('the sweep did not report what it removed');
      unrecorded += reopened.modelStoreSweep.unrecorded.length;
      reopened.close();
      if (problems.length === 0) report.ok++;
      else report.failures.push(`run ${r}: ${problems.join('; ')}`);
      rmSync(runDir, { recursive: true, force: true });
    }
    report.detail =
      `model weights ${(weightBytes / 1048576).toFixed(1)} MiB; ${acked} acknowledged saves, all present and verified; ` +
      `half-written folders removed at the next open ${partial}; complete but unrecorded (killed between the rename and the record) ${unrecorded}; ` +
      `active model afterwards: new ${activeWasNew}, old ${runs - activeWasNew}`;
  } finally {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/**
 * kill -9 of the app while the compute process is training (even runs) or idle between jobs (odd
 * runs): the compute process must not live on as an orphan. Reports how long it took to go (from the kill to its pid disappearing).
 */
export async function killLeavesNoOrphan(runs: number, seed = 1): Promise<{ runs: number; orphans: number; exitMs: number[]; failures: string[] }> {
  const random = seededRandom(seed);
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  const result = { runs, orphans: 0, exitMs: [] as number[], failures: [] as string[] };
  const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(procFile(pid, 'stat'));
  try {
    for (let r = 0; r < runs; r++) {
      const path = join(dir, `run-${r}.db`);
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'compute', path, r % 2 ? 'idle' : 'busy'], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          if (d.toString().includes('computing')) resolve();
        });
        child.on('exit', () => reject(new Error('the child ended before computing')));
      });
      await new Promise((resolve) => setTimeout(resolve, 200 + random() * 2000));
      const computes = computePids(child.pid!);
      if (computes.length === 0) result.failures.push(`run ${r}: no compute process found`);
      child.kill('SIGKILL');
      const killedAt = performance.now();
      while (computes.some(alive) && performance.now() - killedAt < 15_000) await new Promise((resolve) => setTimeout(resolve, 20));
      if (computes.some(alive)) {
        result.orphans++;
        result.failures.push(`run ${r}: the compute process ${computes.join(', ')} outlived the app by 15 s`);
        for (const pid of computes) process.kill(pid, 'SIGKILL');
      } else result.exitMs.push(performance.now() - killedAt);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
