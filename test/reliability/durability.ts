import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../src/main/db/connection';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/main/db/migrations';
import { insertModel, listModels } from '../../src/main/db/queries/models';
import { presetConfig } from '../../src/main/ml/config';
import { loadTrainingData } from '../../src/main/ml/dataset';
import { refreshKnowledgeScores } from '../../src/main/ml/knowledge-scores';
import { loadModel } from '../../src/main/ml/store';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { seededRandom } from '../../src/shared/ml/random';
import { computePids, procFile } from './proc';
import { writeSyntheticCatalog } from './synth-catalog';

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
 * Runs the child and kills it `delayMs` after it says ready, or sooner when `trigger` (started at
 * ready with the kill to call) fires first; resolves with its stdout lines, whether it had
 * finished, the time from ready to done (the work itself) when it did, and its pid.
 */
function runAndKill(
  args: string[],
  delayMs: number,
  trigger?: (kill: () => void) => () => void,
): Promise<{ lines: string[]; finished: boolean; workMs: number | null; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffer = '';
    let finished = false;
    let readyAt = 0;
    let workMs: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopTrigger: (() => void) | undefined;
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
          stopTrigger = trigger?.(() => child.kill('SIGKILL'));
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
      stopTrigger?.();
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr.slice(0, 500)}`));
      else resolve({ lines, finished, workMs, pid: child.pid! });
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
 * acknowledged model must be among them. The model here is a quick one on the sample catalog.
 */
export function killDuringModelSave(runs: number, seed = 1, maxDelayMs = 800): Promise<KillReport> {
  return killDuringModelSaves('saving a model', runs, seed, maxDelayMs, async (service) => {
    await service.loadSampleCatalog();
    return (await service.trainModel({ preset: 'quick', seed: 1 })).id;
  });
}

/**
 * The same with a model of the full preset's size (issue 17, item 7) on the sample catalog and
 * `catalogCsv` (the public catalog in the full run: ~17 MiB of files, the size of a full model the
 * app trains on it, against under 1 MiB for the quick one), so each save's write window is longer.
 */
export function killDuringFullModelSave(runs: number, catalogCsv: string, seed = 1, maxDelayMs = 3000): Promise<KillReport> {
  return killDuringModelSaves('saving a full-size model', runs, seed, maxDelayMs, async (service) => {
    await service.loadSampleCatalog();
    await service.importCatalog({ path: catalogCsv });
    return recordOneEpochFullModel(service);
  });
}

/**
 * A model of the full preset's configuration (hidden 512, latent 64, a position tower), trained
 * for one epoch only and recorded as the active model the way trainModel records one. Its files
 * are as large as a fully trained full model's on the same catalog (the sizes follow from the
 * configuration and the vocabulary, not from how long it trained), in seconds instead of minutes.
 */
async function recordOneEpochFullModel(service: FormulatorService): Promise<number> {
  refreshKnowledgeScores(service.db);
  const data = loadTrainingData(service.db);
  const config = presetConfig('full', { maxEpochs: 1, maxSteps: 1, seed: 1 });
  const folder = 'model-full-one-epoch';
  const r = await service.compute.run({ kind: 'train', data, config, preset: 'full', modelsDir: service.modelsDir, folder });
  return insertModel(
    service.db,
    {
      name: 'full-size model, one epoch', folder, manifestSha256: r.manifestSha256, createdAt: new Date().toISOString(), preset: 'full', seed: 1, backend: r.backend,
      trainMs: r.trainMs, epochs: r.epochs, vocabularyHash: r.vocabularyHash, vocabularySize: r.vocabularySize, config: { ...config }, metrics: r.metrics, snapshot: data.snapshot,
    },
    r.vocabulary,
    true,
    { productIds: r.productIds, codes: r.codes, latentDim: r.latentDim },
  );
}

/** The kill runs of killDuringModelSave, on a template whose active model `makeModel` records (returning its id). */
async function killDuringModelSaves(scenario: string, runs: number, seed: number, maxDelayMs: number, makeModel: (service: FormulatorService) => Promise<number>): Promise<KillReport> {
  const random = seededRandom(seed);
  const report: KillReport = { scenario, runs, ok: 0, failures: [], killedMidway: runs, integrityOk: 0, detail: '' };
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  let acked = 0;
  let partial = 0;
  let unrecorded = 0;
  let activeWasNew = 0;
  let weightBytes = 0;
  let folderBytes = 0;
  try {
    // A database with a trained model: the "old" model.
    const template = join(dir, 'template');
    const service = await FormulatorService.open({ databasePath: join(template, 'lab.db'), resourcesDir: resolveResourcesDir() });
    const trainedId = await makeModel(service);
    const folder = join(service.modelsDir, listModels(service.db).find((m) => m.id === trainedId)!.folder);
    weightBytes = loadModel(folder).weights.reduce((n, w) => n + w.values.length * 4, 0);
    folderBytes = readdirSync(folder).reduce((n, f) => n + statSync(join(folder, f)).size, 0);
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
      else if (active[0]!.id !== trainedId) activeWasNew++;
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
      `model files ${(folderBytes / 1048576).toFixed(1)} MiB (weights ${(weightBytes / 1048576).toFixed(1)} MiB); ${acked} acknowledged saves, all present and verified; ` +
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

// ── Issue 17, item 5: the write paths added since (briefs, lab imports, catalog deletion, draft formulas, XLSX exports) ──

/** The acknowledgements a child printed, each split into its words ("ack 12 3 save 7-4" → ['12', '3', 'save', '7-4']). */
function acks(lines: readonly string[]): string[][] {
  return lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4).split(' '));
}

function newReport(scenario: string, runs: number): KillReport {
  return { scenario, runs, ok: 0, failures: [], killedMidway: 0, integrityOk: 0, detail: '' };
}

/** Counts how often each outcome happened, for the detail line ("gone ×3, whole ×1"). */
function tally(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
const tallied = (counts: Map<string, number>) => [...counts].map(([k, v]) => `${k} ×${v}`).join(', ');

/**
 * kill -9 while design briefs are saved and edited (every tenth save a new brief, the others an
 * edit that adds a version), on one database across the runs. After each kill: integrity ok;
 * every acknowledged version there with its note and its rules; every brief's versions 1…n with
 * no gap and no brief without a version; and the briefs view (listBriefs, getBrief) shows them.
 */
export async function killDuringBriefSaves(runs: number, seed = 1, maxDelayMs = 1500): Promise<KillReport> {
  const random = seededRandom(seed);
  const report = newReport('saving and editing briefs', runs);
  report.killedMidway = runs;
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  let acked = 0;
  let edits = 0;
  try {
    const path = await freshDatabase(dir);
    for (let r = 0; r < runs; r++) {
      const saved = acks((await runAndKill(['brief', path], random() * maxDelayMs)).lines).map(([id, version, ...note]) => ({ id: Number(id), version: Number(version), note: note.join(' ') }));
      acked += saved.length;
      edits += saved.filter((a) => a.version > 1).length;
      const problems: string[] = [];
      const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
      try {
        const integrity = service.db.pragma('integrity_check', { simple: true });
        if (integrity === 'ok') report.integrityOk++;
        else problems.push(`integrity ${String(integrity)}`);
        const rows = service.db.prepare(`SELECT brief_id AS id, version, note, json_extract(body, '$.maxLength') AS maxLength FROM brief_versions`).all() as { id: number; version: number; note: string; maxLength: number }[];
        const byKey = new Map(rows.map((v) => [`${v.id}:${v.version}`, v]));
        const missing = saved.filter((a) => byKey.get(`${a.id}:${a.version}`)?.note !== a.note);
        if (missing.length) problems.push(`${missing.length} acknowledged versions missing, first brief ${missing[0]!.id} v${missing[0]!.version}`);
        const wrongRules = rows.filter((v) => v.maxLength !== 20 + (v.version % 2));
        if (wrongRules.length) problems.push(`${wrongRules.length} versions whose rules are not the ones saved`);
        const gaps = service.db
          .prepare(`SELECT count(*) FROM briefs b LEFT JOIN (SELECT brief_id, count(*) AS n, max(version) AS top FROM brief_versions GROUP BY brief_id) v ON v.brief_id = b.id WHERE v.n IS NULL OR v.n <> v.top`).pluck().get() as number;
        if (gaps) problems.push(`${gaps} briefs without a version or with a gap in their versions`);
        // What the person sees: each brief saved in this run listed at its newest version, its history 1…n.
        const listed = new Map((await service.listBriefs()).map((b) => [b.id, b]));
        for (const id of new Set(saved.map((a) => a.id))) {
          const brief = listed.get(id);
          const history = brief ? (await service.getBrief({ name: brief.name })).history.map((h) => h.version) : [];
          if (!brief || history.length !== brief.version || Math.max(...history) !== brief.version) problems.push(`brief ${id}: listed ${brief ? `at v${brief.version}` : 'no'}, history ${history.join(',')}`);
        }
      } finally {
        service.close();
      }
      if (problems.length === 0) report.ok++;
      else report.failures.push(`run ${r}: ${problems.join('; ')}`);
    }
    const opened = await openDatabase(path);
    const [briefs, versions] = [opened.db.prepare('SELECT count(*) FROM briefs').pluck().get() as number, opened.db.prepare('SELECT count(*) FROM brief_versions').pluck().get() as number];
    opened.db.close();
    report.detail = `${acked} acknowledged saves (${edits} of them edits adding a version), all there after each kill with their rules; ${briefs} briefs with ${versions} versions in the end (${versions - acked} committed but killed before the acknowledgement)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/**
 * A lab-results file of `rows` rows in the shape people bring (see lab-import.test.ts): each row
 * names its formulation by catalog product id, by a saved candidate's name, or by its declaration
 * (25 lists no candidate has, each becoming a new candidate); viscosity, pH and stability.
 */
function labResultsCsv(path: string, rows: number, productIds: readonly number[], candidates: readonly string[]): void {
  const pool = ['Glycerin', 'Niacinamide', 'Panthenol', 'Dimethicone', 'Cetearyl Alcohol', 'Tocopherol', 'Xanthan Gum', 'Butylene Glycol', 'Squalane', 'Allantoin'];
  const lists = Array.from({ length: 25 }, (_, j) => `"Water, ${[0, 1, 2].map((k) => pool[(j + k * (1 + (j % 3))) % pool.length]).filter((x, i, a) => a.indexOf(x) === i).join(', ')}, Phenoxyethanol"`);
  const properties = [
    ['Viscosity', (i: number) => 800 + (i % 400), 'mPa·s'],
    ['pH', (i: number) => 4.5 + (i % 30) / 10, ''],
    ['Stability 40 °C', (i: number) => 1 + (i % 12), 'weeks'],
  ] as const;
  const out = ['product_id,candidate,declaration,property,value,unit,date,notes'];
  for (let i = 0; i < rows; i++) {
    const [property, value, unit] = properties[i % properties.length]!;
    const day = new Date(Date.UTC(2018, 0, 1) + (i % 1500) * 86_400_000).toISOString().slice(0, 10);
    const subject = i % 4 === 1 ? `,${candidates[i % candidates.length]},` : i % 4 === 2 ? `,,${lists[i % lists.length]}` : `${productIds[i % productIds.length]},,`;
    out.push(`${subject},${property},${value(i)},${unit},${day},row ${i + 2}`);
  }
  writeFileSync(path, `${out.join('\n')}\n`);
}

/**
 * kill -9 during a bulk lab-results import (one transaction that yields to the event loop between
 * slices): afterwards the results and the candidates the file creates are all there or none.
 */
export async function killDuringLabImport(runs: number, seed = 1, rows = 3000): Promise<KillReport> {
  const random = seededRandom(seed);
  const report = newReport('a bulk lab-results import', runs);
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  try {
    const template = join(dir, 'lab.db');
    const service = await FormulatorService.open({ databasePath: template, resourcesDir: resolveResourcesDir() });
    await service.loadSampleCatalog();
    const productIds = (await service.listProducts({ limit: 200 })).items.map((p) => p.id);
    const names = Array.from({ length: 5 }, (_, i) => `Lab base ${i + 1}`);
    for (const name of names) await service.saveCandidate({ name, declaration: 'Water, Glycerin, Carbomer, Sodium Hydroxide, Phenoxyethanol' });
    service.db.pragma('wal_checkpoint(TRUNCATE)');
    service.close();
    const csv = join(dir, 'lab-history.csv');
    labResultsCsv(csv, rows, productIds, names);
    const whole = join(dir, 'whole.db');
    copyFileSync(template, whole);
    const full = await runAndKill(['labs', whole, csv], 600_000);
    const [imported, created] = full.lines.find((l) => l.startsWith('done'))!.split(' ').slice(1).map(Number) as [number, number];
    const baseCandidates = names.length;
    const importMs = full.workMs! * 1.1;
    const outcomes = new Map<string, number>();
    for (let r = 0; r < runs; r++) {
      const path = join(dir, `run-${r}.db`);
      copyFileSync(template, path);
      const { finished } = await runAndKill(['labs', path, csv], random() * importMs);
      if (!finished) report.killedMidway++;
      const opened = await openDatabase(path);
      const integrity = opened.db.pragma('integrity_check', { simple: true });
      const results = opened.db.prepare('SELECT count(*) FROM lab_results').pluck().get() as number;
      const candidates = opened.db.prepare('SELECT count(*) FROM candidates').pluck().get() as number;
      const listless = opened.db.prepare('SELECT count(*) FROM candidates c WHERE NOT EXISTS (SELECT 1 FROM candidate_versions v JOIN candidate_ingredients i ON i.version_id = v.id WHERE v.candidate_id = c.id)').pluck().get() as number;
      opened.db.close();
      if (integrity === 'ok') report.integrityOk++;
      const none = results === 0 && candidates === baseCandidates;
      const all = results === imported && candidates === baseCandidates + created;
      tally(outcomes, none ? 'nothing imported' : all ? 'all imported' : `${results} results, ${candidates} candidates`);
      if (integrity === 'ok' && (none || all) && listless === 0) report.ok++;
      else report.failures.push(`run ${r}: integrity ${integrity}, ${results} results, ${candidates} candidates (${listless} without a list)`);
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    }
    report.detail = `file ${rows} rows → ${imported} results and ${created} new candidates in ${(full.workMs! / 1000).toFixed(2)} s whole; after a kill: ${tallied(outcomes)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** What a catalog holds, counted in the database: its row, products, their ingredient rows and model codes, and whether models record it as deleted. */
function catalogState(db: Database, id: number): { row: number; products: number; ingredientRows: number; codes: number; markedDeleted: number } {
  const one = (sql: string) => db.prepare(sql).pluck().get(id) as number;
  return {
    row: one('SELECT count(*) FROM catalogs WHERE id = ?'),
    products: one('SELECT count(*) FROM products WHERE catalog_id = ?'),
    ingredientRows: one('SELECT count(*) FROM product_ingredients WHERE product_id IN (SELECT id FROM products WHERE catalog_id = ?)'),
    codes: one('SELECT count(*) FROM product_codes WHERE product_id IN (SELECT id FROM products WHERE catalog_id = ?)'),
    markedDeleted: one('SELECT count(*) FROM model_catalogs WHERE catalog_id = ? AND deleted_at IS NOT NULL'),
  };
}

/**
 * kill -9 while a catalog is deleted (a checked backup first, then the rows in one transaction):
 * the sample catalog with a model trained on it and lab results on its products (odd runs), or a
 * synthetic catalog of `syntheticProducts` (even runs). Afterwards the catalog is wholly there
 * (its products, ingredient rows and model codes all counted, no model saying it is gone) or
 * wholly gone (and the model says so); the other catalog, the candidates, the lab results and the
 * models (their files verified) are kept; what the backup left in the backups folder is counted.
 */
export async function killDuringCatalogDelete(runs: number, seed = 1, syntheticProducts = 20_000): Promise<KillReport> {
  const random = seededRandom(seed);
  const report = newReport('deleting a catalog', runs);
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  const outcomes = new Map<string, number>();
  let partialBackups = 0;
  let backupsWritten = 0;
  try {
    const template = join(dir, 'template');
    const service = await FormulatorService.open({ databasePath: join(template, 'lab.db'), resourcesDir: resolveResourcesDir() });
    const sample = (await service.loadSampleCatalog()).catalogId!;
    await service.trainModel({ preset: 'quick', seed: 1 });
    const csv = join(dir, 'synthetic.csv');
    await writeSyntheticCatalog(csv, syntheticProducts);
    const synthetic = (await service.importCatalog({ path: csv })).catalogId!;
    for (const catalogId of [sample, synthetic]) {
      for (const p of (await service.listProducts({ catalogId, limit: 20 })).items) await service.addLabResult({ subject: { kind: 'product', productId: p.id }, property: 'pH', value: 5.5, measuredOn: '2024-03-01' });
    }
    const kept = await service.saveCandidate({ name: 'kept', declaration: 'Water, Glycerin, Niacinamide' });
    await service.addLabResult({ subject: { kind: 'candidate', candidateId: kept.id }, property: 'pH', value: 5.2, measuredOn: '2024-03-02' });
    const before = new Map([sample, synthetic].map((id) => [id, catalogState(service.db, id)]));
    const counts = (db: Database) => ['candidates', 'lab_results', 'models'].map((t) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number).join('/');
    const keptCounts = counts(service.db);
    service.db.pragma('wal_checkpoint(TRUNCATE)');
    service.close();
    await service.compute.close();
    // How long a whole deletion of each takes, from the child's open database.
    const wholeMs = new Map<number, number>();
    for (const id of [sample, synthetic]) {
      const runDir = join(dir, `whole-${id}`);
      cpSync(template, runDir, { recursive: true });
      wholeMs.set(id, (await runAndKill(['delete', join(runDir, 'lab.db'), String(id)], 600_000)).workMs!);
      rmSync(runDir, { recursive: true, force: true });
    }
    for (let r = 0; r < runs; r++) {
      const target = r % 2 ? sample : synthetic;
      const other = target === sample ? synthetic : sample;
      const runDir = join(dir, `run-${r}`);
      cpSync(template, runDir, { recursive: true });
      const manualBackups = () => (existsSync(join(runDir, 'backups')) ? readdirSync(join(runDir, 'backups')) : []).filter((f) => f.includes('.manual.') && f.endsWith('.bak')).length;
      const manualBefore = manualBackups();
      const { finished } = await runAndKill(['delete', join(runDir, 'lab.db'), String(target)], random() * wholeMs.get(target)! * 1.25);
      if (!finished) report.killedMidway++;
      const manualAfter = manualBackups();
      backupsWritten += manualAfter - manualBefore;
      partialBackups += (existsSync(join(runDir, 'backups')) ? readdirSync(join(runDir, 'backups')) : []).filter((f) => f.endsWith('.partial')).length;
      const problems: string[] = [];
      const reopened = await FormulatorService.open({ databasePath: join(runDir, 'lab.db'), resourcesDir: resolveResourcesDir() });
      try {
        const integrity = reopened.db.pragma('integrity_check', { simple: true });
        if (integrity === 'ok') report.integrityOk++;
        else problems.push(`integrity ${String(integrity)}`);
        const now = catalogState(reopened.db, target);
        const was = before.get(target)!;
        const whole = JSON.stringify(now) === JSON.stringify(was);
        const gone = now.row === 0 && now.products === 0 && now.markedDeleted === (target === sample ? 1 : 0);
        // What the person sees: the catalog listed with all its products, or not listed.
        const listed = (await reopened.listCatalogs()).find((c) => c.id === target);
        if (whole && listed?.productCount === was.products) tally(outcomes, 'still there, whole');
        else if (gone && !listed && manualAfter > manualBefore) tally(outcomes, 'gone');
        else if (gone && !listed) problems.push(`catalog ${target} was deleted without a checked backup`);
        else problems.push(`catalog ${target} half deleted: ${JSON.stringify(now)} (was ${JSON.stringify(was)}), listed ${listed ? `with ${listed.productCount} products` : 'no'}`);
        if (JSON.stringify(catalogState(reopened.db, other)) !== JSON.stringify(before.get(other))) problems.push(`the other catalog ${other} changed`);
        if (counts(reopened.db) !== keptCounts) problems.push(`candidates/lab results/models ${counts(reopened.db)}, were ${keptCounts}`);
        for (const m of listModels(reopened.db)) {
          try {
            loadModel(join(reopened.modelsDir, m.folder), m.manifestSha256);
          } catch (error) {
            problems.push(`model ${m.id}: ${(error as Error).message}`);
          }
        }
      } finally {
        reopened.close();
        await reopened.compute.close();
      }
      if (problems.length === 0) report.ok++;
      else report.failures.push(`run ${r}: ${problems.join('; ')}`);
      rmSync(runDir, { recursive: true, force: true });
    }
    const [s, y] = [before.get(sample)!, before.get(synthetic)!];
    report.detail =
      `sample catalog ${s.products} products with a model's codes and 20 lab results (whole deletion ${wholeMs.get(sample)!.toFixed(0)} ms incl. backup), synthetic ${y.products} products (${wholeMs.get(synthetic)!.toFixed(0)} ms); ` +
      `after a kill: ${tallied(outcomes)}; candidates, lab results and models kept every time; checked backups written before the kill ${backupsWritten}; half-written backup copies left in backups/ ${partialBackups}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/**
 * kill -9 while candidates are saved with a draft formula (new candidates and new versions), on
 * one database across the runs. After each kill: integrity ok; every acknowledged version there
 * with its formula; and no version with a half formula: every version has one, with a line per
 * ingredient of its list, adding up to 100 %, and the formula sheet shows the saved percentages.
 */
export async function killDuringFormulaSaves(runs: number, seed = 1, maxDelayMs = 1500): Promise<KillReport> {
  const random = seededRandom(seed);
  const report = newReport('saving a draft formula with a candidate version', runs);
  report.killedMidway = runs;
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  let acked = 0;
  let newVersions = 0;
  try {
    const path = await freshDatabase(dir);
    for (let r = 0; r < runs; r++) {
      const saved = acks((await runAndKill(['formula', path], random() * maxDelayMs)).lines).map(([id, version, ...note]) => ({ id: Number(id), version: Number(version), note: note.join(' ') }));
      acked += saved.length;
      newVersions += saved.filter((a) => a.version > 1).length;
      const problems: string[] = [];
      const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
      try {
        const integrity = service.db.pragma('integrity_check', { simple: true });
        if (integrity === 'ok') report.integrityOk++;
        else problems.push(`integrity ${String(integrity)}`);
        const versions = service.db
          .prepare(
            `SELECT v.candidate_id AS id, v.version, v.change_note AS note, f.body,
                    (SELECT count(*) FROM candidate_ingredients i WHERE i.version_id = v.id) AS ingredients
               FROM candidate_versions v LEFT JOIN candidate_formulas f ON f.version_id = v.id`,
          )
          .all() as { id: number; version: number; note: string; body: string | null; ingredients: number }[];
        const byKey = new Map(versions.map((v) => [`${v.id}:${v.version}`, v]));
        const missing = saved.filter((a) => byKey.get(`${a.id}:${a.version}`)?.note !== a.note);
        if (missing.length) problems.push(`${missing.length} acknowledged versions missing, first candidate ${missing[0]!.id} v${missing[0]!.version}`);
        let half = 0;
        for (const v of versions) {
          const formula = v.body === null ? null : (JSON.parse(v.body) as { lines: { percent: number; phase: string }[]; note: string });
          const total = formula?.lines.reduce((sum, l) => sum + l.percent, 0) ?? 0;
          if (!formula || v.ingredients === 0 || formula.lines.length !== v.ingredients || Math.abs(total - 100) > 0.01 || formula.note !== v.note) half++;
        }
        if (half) problems.push(`${half} versions without their whole list and formula`);
        // What the person sees: the newest acknowledged version's formula sheet prints the saved percentages.
        const last = saved.at(-1);
        if (last) {
          const sheet = await service.formulaSheet({ candidateId: last.id, version: last.version });
          if (sheet.percentFrom !== 'saved' || sheet.formula.saved?.note !== last.note) problems.push(`the formula sheet of candidate ${last.id} v${last.version} does not show the saved formula`);
        }
      } finally {
        service.close();
      }
      if (problems.length === 0) report.ok++;
      else report.failures.push(`run ${r}: ${problems.join('; ')}`);
    }
    const opened = await openDatabase(path);
    const total = opened.db.prepare('SELECT count(*) FROM candidate_versions').pluck().get() as number;
    opened.db.close();
    report.detail = `${acked} acknowledged saves (${newVersions} of them new versions of a candidate), all there after each kill with their formula; ${total} versions in the end, every one with a whole formula (${total - acked} committed but killed before the acknowledgement)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** An XLSX file read with exceljs: its first sheet's rows as plain values, or why it could not be read. */
async function readWorkbook(path: string): Promise<{ rows: unknown[][] } | { error: string }> {
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    return { error: (error as Error).message };
  }
  const rows: unknown[][] = [];
  workbook.worksheets[0]?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { rows };
}

/**
 * kill -9 while XLSX exports are written over earlier ones (atomic like the CSV export): the child
 * saves a candidate, exports every candidate to shortlist.xlsx, then that candidate's formula
 * sheet to formula.xlsx, in a loop; one database and one export folder across the runs, starting
 * from `candidates` saved candidates. Even runs are killed after a random delay, odd runs the
 * moment a temporary export file appears (inside the write itself). After each kill both files
 * open with exceljs and each is the previous complete export or the next one: the shortlist holds
 * exactly the candidates up to its last row, the formula sheet one candidate's whole formula. A
 * temporary file a kill left must be gone once the next run has written that file again.
 */
export async function killDuringXlsxExports(runs: number, seed = 1, candidates = 2000, maxDelayMs = 3000): Promise<KillReport> {
  const random = seededRandom(seed);
  const report = newReport('writing XLSX exports', runs);
  report.killedMidway = runs;
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-'));
  const out = join(dir, 'exports');
  const shortlistPath = join(out, 'shortlist.xlsx');
  const formulaPath = join(out, 'formula.xlsx');
  let exports = 0;
  let killedInWrite = 0;
  let swept = 0;
  const outcomes = new Map<string, number>();
  try {
    const path = join(dir, 'lab.db');
    const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
    for (let i = 1; i <= candidates; i++) await service.saveCandidate({ name: `stock ${i}`, declaration: 'Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol', notes: `stock ${i}` });
    mkdirSync(out);
    const lastId = service.db.prepare('SELECT max(id) FROM candidates').pluck().get() as number;
    await service.exportCandidatesXlsx({ path: shortlistPath });
    await service.exportFormula({ candidateId: lastId, format: 'xlsx', path: formulaPath });
    const bytes = statSync(shortlistPath).size;
    service.close();
    // The candidate each file holds now.
    let shortlistHolds = lastId;
    let formulaHolds = lastId;
    const temporaries = () => readdirSync(out).filter((f) => f.endsWith('.tmp'));
    for (let r = 0; r < runs; r++) {
      // Odd runs: killed when the n-th temporary export file is created.
      const nth = 1 + Math.floor(random() * 4);
      const trigger =
        r % 2
          ? (kill: () => void) => {
              let seen = 0;
              const watcher = watch(out, (event, name) => {
                if (event === 'rename' && name?.endsWith('.tmp') && existsSync(join(out, name)) && ++seen === nth) kill();
              });
              return () => watcher.close();
            }
          : undefined;
      const before = new Set(temporaries());
      const { lines, pid } = await runAndKill(['xlsx', path, out], r % 2 ? 60_000 : random() * maxDelayMs, trigger);
      const done = acks(lines);
      exports += done.length;
      const wrote = (file: string) => done.some(([f]) => f === file);
      const problems: string[] = [];
      const left = temporaries();
      if (left.some((f) => f.includes(`.${pid}-`))) killedInWrite++;
      for (const f of before) {
        if (!left.includes(f)) swept++;
        else if (wrote(f.startsWith('.shortlist') ? 'shortlist' : 'formula')) problems.push(`${f}, left by an earlier kill, survived a later write of its file`);
      }
      const opened = await openDatabase(path);
      try {
        const integrity = opened.db.pragma('integrity_check', { simple: true });
        if (integrity === 'ok') report.integrityOk++;
        else problems.push(`integrity ${String(integrity)}`);
        const ids = opened.db.prepare('SELECT id FROM candidates ORDER BY id').pluck().all() as number[];
        const nextAfter = (id: number) => ids.find((x) => x > id);
        // The shortlist: the previous export (last acknowledged, or what it held before) or the next one.
        const shortlistWas = Number(done.filter(([f]) => f === 'shortlist').at(-1)?.[1] ?? shortlistHolds);
        const shortlist = await readWorkbook(shortlistPath);
        if ('error' in shortlist) problems.push(`shortlist.xlsx does not open: ${shortlist.error}`);
        else {
          const rowIds = shortlist.rows.slice(1).map((row) => Number(row[0]));
          const lastRow = rowIds.at(-1)!;
          const expected = ids.filter((id) => id <= lastRow);
          if (lastRow !== shortlistWas && lastRow !== nextAfter(shortlistWas)) problems.push(`shortlist.xlsx ends at candidate ${lastRow}, neither the previous export (${shortlistWas}) nor the next`);
          else if (JSON.stringify(rowIds) !== JSON.stringify(expected)) problems.push(`shortlist.xlsx holds ${rowIds.length} candidates, not the ${expected.length} up to ${lastRow}`);
          else {
            tally(outcomes, lastRow === shortlistWas ? 'shortlist the last acknowledged export' : 'shortlist the next, written but not acknowledged');
            shortlistHolds = lastRow;
          }
        }
        const formulaWas = Number(done.filter(([f]) => f === 'formula').at(-1)?.[1] ?? formulaHolds);
        const formula = await readWorkbook(formulaPath);
        if ('error' in formula) problems.push(`formula.xlsx does not open: ${formula.error}`);
        else {
          const heldId = Number(/\(id (\d+)\)/.exec(formula.rows.map((row) => String(row[2] ?? '')).find((t) => t.startsWith('candidate: ')) ?? '')?.[1]);
          const lines = formula.rows.filter((row) => typeof row[1] === 'number').length;
          const ingredients = opened.db.prepare('SELECT count(*) FROM candidate_ingredients i JOIN candidate_versions v ON v.id = i.version_id WHERE v.candidate_id = ?').pluck().get(heldId) as number;
          if (heldId !== formulaWas && heldId !== nextAfter(formulaWas)) problems.push(`formula.xlsx is candidate ${heldId}'s, neither the previous export's (${formulaWas}) nor the next`);
          else if (lines !== ingredients || !formula.rows.some((row) => row[0] === 'total')) problems.push(`formula.xlsx of candidate ${heldId} has ${lines} lines for ${ingredients} ingredients`);
          else {
            tally(outcomes, heldId === formulaWas ? 'formula sheet the last acknowledged' : 'formula sheet the next, not acknowledged');
            formulaHolds = heldId;
          }
        }
      } finally {
        opened.db.close();
      }
      if (problems.length === 0) report.ok++;
      else report.failures.push(`run ${r}: ${problems.join('; ')}`);
    }
    // The next start: one more export of each file removes what the last kill left.
    const leftAtEnd = temporaries().length;
    const next = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
    await next.exportCandidatesXlsx({ path: shortlistPath });
    await next.exportFormula({ candidateId: shortlistHolds, format: 'xlsx', path: formulaPath });
    next.close();
    if (temporaries().length) report.failures.push(`after the next export of each file ${temporaries().join(', ')} still there`);
    report.detail =
      `shortlist.xlsx ${(bytes / 1024).toFixed(0)} KiB at the start; ${exports} acknowledged exports; after a kill: ${tallied(outcomes)}; ` +
      `kills inside a write (a temporary file left) ${killedInWrite}, each removed by the next write of its file (${swept} in the runs, ${leftAtEnd} by the exports after the last)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
