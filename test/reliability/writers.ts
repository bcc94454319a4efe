import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { writeSyntheticCatalog } from './synth-catalog';

/**
 * Issue 17 section 2, the command line beside the app: writer processes on one database file.
 *  - interleaved saves: the app (owning the folder, saving through the IPC dispatch) and a second
 *    process with the services (as the CLI opens them), N saves each at the same time;
 *  - the CLI beside the app: the app's N saves while `candidates save` command lines run;
 *  - a long write elsewhere: another program holds the write lock for seconds while the app saves
 *    (the retry carries the saves through, the app's event loop free), and longer than the retry
 *    time (the person gets the 'busy' failure, and nothing half-saved);
 *  - a newer CLI's migration while an older app holds the file: refused, the file untouched.
 * After each: integrity_check, and every acknowledged save present exactly once, with its list;
 * nothing refused was kept.
 */

const CHILD = fileURLToPath(new URL('./writers-child.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/main/cli/main.ts', import.meta.url));

/** A writer process and what it printed. */
class Writer {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  err = '';
  readonly exited: Promise<number | null>;
  private readonly waiters: { test: (line: string) => boolean; resolve: () => void }[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        this.lines.push(line);
        for (const w of [...this.waiters]) {
          if (!w.test(line)) continue;
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves at the first line (already printed or to come) passing `test`; rejects if the process ends first. */
  waitFor(test: (line: string) => boolean): Promise<void> {
    if (this.lines.some(test)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ test, resolve });
      void this.exited.then(() => reject(new Error(`the writer ended before printing what was awaited (exit ${this.child.exitCode}): ${this.err.slice(0, 500)}`)));
    });
  }

  go(): void {
    this.child.stdin!.write('go\n');
  }

  acks(): { id: number; name: string; ms: number }[] {
    return this.lines.filter((l) => l.startsWith('ack ')).map((l) => {
      const [, id, ...rest] = l.split(' ');
      const ms = Number(rest.pop());
      return { id: Number(id), name: rest.join(' '), ms };
    });
  }

  fails(): { name: string; code: string; message: string }[] {
    return this.lines.filter((l) => l.startsWith('fail ')).map((l) => {
      const m = /^fail (\S+ \d+) (\S+) (.*)$/.exec(l)!;
      return { name: m[1]!, code: m[2]!, message: m[3]! };
    });
  }

  stats(): { retries: number; gaveUp: number; busyMs: number; loopMaxMs: number } | null {
    const line = this.lines.find((l) => l.startsWith('stats '));
    const [, retries, gaveUp, busyMs, loopMaxMs] = (line ?? '').split(' ');
    return line && retries !== '-' ? { retries: Number(retries), gaveUp: Number(gaveUp), busyMs: Number(busyMs), loopMaxMs: Number(loopMaxMs) } : null;
  }

  async finished(): Promise<void> {
    const code = await this.exited;
    if (code !== 0) throw new Error(`writer failed (exit ${code}): ${this.err.slice(0, 800)}`);
  }
}

let template: Promise<string> | null = null;

/**
 * A new database in a new folder, with the knowledge base loaded (so the writers only open it)
 * and a fresh backup beside it (so no writer's start takes one): a copy of one made once per process.
 */
async function freshDatabase(): Promise<{ dir: string; db: string }> {
  template ??= (async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lf-writers-template-'));
    const service = await FormulatorService.open({ databasePath: join(folder, 'lab.db'), resourcesDir: resolveResourcesDir() });
    await service.backupNow();
    service.db.pragma('wal_checkpoint(TRUNCATE)');
    service.close();
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
    return folder;
  })();
  const dir = mkdtempSync(join(tmpdir(), 'lf-writers-'));
  cpSync(await template, dir, { recursive: true });
  return { dir, db: join(dir, 'lab.db') };
}

/** What the database holds against what the writers were told: the checks every scenario ends with. */
export interface SaveCheck {
  acknowledged: number;
  /** Acknowledged saves whose row is missing, or whose id holds another name. */
  lost: number;
  /** Names stored more than once. */
  duplicated: number;
  /** Refused saves (busy) that were kept anyway. */
  refusedButKept: number;
  /** Rows no writer acknowledged (0 here: nobody is killed). */
  unacknowledged: number;
  /** Candidates without their whole five-ingredient list. */
  incomplete: number;
  integrity: string;
}

export function checkSaves(db: string, acks: { id: number; name: string }[], refused: string[]): SaveCheck {
  const raw = new BetterSqlite3(db, { readonly: true });
  try {
    const rows = raw.prepare('SELECT id, name FROM candidates').all() as { id: number; name: string }[];
    const byId = new Map(rows.map((r) => [r.id, r.name]));
    const count = new Map<string, number>();
    for (const r of rows) count.set(r.name, (count.get(r.name) ?? 0) + 1);
    const acked = new Set(acks.map((x) => x.name));
    const incomplete = raw
      .prepare(`SELECT count(*) FROM candidates c WHERE (SELECT count(*) FROM candidate_versions v JOIN candidate_ingredients i ON i.version_id = v.id WHERE v.candidate_id = c.id) <> 5`)
      .pluck()
      .get() as number;
    return {
      acknowledged: acks.length,
      lost: acks.filter((x) => byId.get(x.id) !== x.name).length,
      duplicated: [...count.values()].filter((n) => n > 1).length,
      refusedButKept: refused.filter((name) => count.has(name)).length,
      unacknowledged: rows.filter((r) => !acked.has(r.name)).length,
      incomplete,
      integrity: String(raw.pragma('integrity_check', { simple: true })),
    };
  } finally {
    raw.close();
  }
}

/** True when a check found nothing wrong. */
export const held = (c: SaveCheck) => c.lost === 0 && c.duplicated === 0 && c.refusedButKept === 0 && c.unacknowledged === 0 && c.incomplete === 0 && c.integrity === 'ok';

/** How many times consecutive ids (in commit order) pass from one writer to another. */
function switches(acks: { id: number; name: string }[]): number {
  const sorted = [...acks].sort((x, y) => x.id - y.id);
  return sorted.filter((x, i) => i > 0 && x.name.split(' ')[0] !== sorted[i - 1]!.name.split(' ')[0]).length;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? 0;

export interface InterleavedRun {
  check: SaveCheck;
  ms: number;
  switches: number;
  retries: number;
  gaveUp: number;
  slowestSaveMs: number;
  medianSaveMs: number;
  failures: string[];
}

/**
 * Writers at once on one file: the app (`appSaves` saves through the IPC dispatch, owning the
 * folder) and `others`: `service` (the services in another process, as the CLI opens them) or
 * `cli` (command lines, each opening and closing the services), each with its number of saves.
 */
export async function interleavedSaves(appSaves: number, others: { mode: 'service' | 'cli'; saves: number }[]): Promise<InterleavedRun> {
  const { dir, db } = await freshDatabase();
  try {
    const writers = [new Writer(['app', db, String(appSaves), 'app']), ...others.map((o) => new Writer([o.mode, db, String(o.saves), o.mode]))];
    await Promise.all(writers.map((w) => w.waitFor((l) => l === 'ready')));
    const started = performance.now();
    for (const w of writers) w.go();
    await Promise.all(writers.map((w) => w.finished()));
    const ms = performance.now() - started;
    const acks = writers.flatMap((w) => w.acks());
    const fails = writers.flatMap((w) => w.fails());
    const stats = writers.map((w) => w.stats()).filter((x) => x !== null);
    return {
      check: checkSaves(db, acks, fails.map((f) => f.name)),
      ms,
      switches: switches(acks),
      retries: stats.reduce((n, x) => n + x.retries, 0),
      gaveUp: stats.reduce((n, x) => n + x.gaveUp, 0),
      slowestSaveMs: Math.max(...acks.map((x) => x.ms)),
      medianSaveMs: median(acks.map((x) => x.ms)),
      failures: fails.map((f) => `${f.name}: ${f.code} ${f.message}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HeldLockRun {
  check: SaveCheck;
  holdMs: number;
  retries: number;
  gaveUp: number;
  slowestSaveMs: number;
  /** The longest the app's event loop was held (ms): SQLite's busy wait runs on it. */
  appLoopMaxMs: number;
  /** What the person saw for each refused save (distinct messages). */
  said: string[];
  refused: number;
}

/**
 * Another program holds the write lock for `holdMs` while the app saves `saves` candidates, one
 * every 25 ms (with `retryMs` of retrying; the default when null): the hold starts after the
 * app's 20th save.
 */
export async function savesAroundHeldLock(holdMs: number, saves: number, retryMs: number | null): Promise<HeldLockRun> {
  const { dir, db } = await freshDatabase();
  try {
    const app = new Writer(['app', db, String(saves), 'app', retryMs === null ? '-' : String(retryMs), '25']);
    const holder = new Writer(['hold', db, String(holdMs)]);
    await Promise.all([app, holder].map((w) => w.waitFor((l) => l === 'ready')));
    app.go();
    await app.waitFor((l) => / app 20 /.test(l));
    holder.go();
    await Promise.all([app.finished(), holder.finished()]);
    const acks = app.acks();
    const fails = app.fails();
    const stats = app.stats()!;
    return {
      check: checkSaves(db, acks, fails.map((f) => f.name)),
      holdMs,
      retries: stats.retries,
      gaveUp: stats.gaveUp,
      slowestSaveMs: Math.max(...acks.map((x) => x.ms)),
      appLoopMaxMs: stats.loopMaxMs,
      said: [...new Set(fails.map((f) => `${f.code}: ${f.message}`))],
      refused: fails.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ImportBesideRun {
  rows: number;
  importExit: number;
  importMs: number;
  /** Products after the import: all of the file's rows, or none when it failed. */
  products: number;
  appSaves: HeldLockRun;
}

/**
 * A `import` command line of a `rows`-product synthetic catalog (one transaction, holding the write
 * lock while it stores) while the app saves `saves` candidates, one every 25 ms, from the moment
 * the import starts.
 */
export async function importBesideApp(rows: number, saves: number): Promise<ImportBesideRun> {
  const { dir, db } = await freshDatabase();
  try {
    const csv = join(dir, 'synthetic.csv');
    await writeSyntheticCatalog(csv, rows);
    const app = new Writer(['app', db, String(saves), 'app', '-', '25']);
    const cli = new Writer(['cli-import', db, csv]);
    await Promise.all([app, cli].map((w) => w.waitFor((l) => l === 'ready')));
    cli.go();
    app.go();
    await Promise.all([app.finished(), cli.finished()]);
    const [, exit, ms, ...message] = cli.lines.find((l) => l.startsWith('imported '))!.split(' ');
    const raw = new BetterSqlite3(db, { readonly: true });
    const products = raw.prepare('SELECT count(*) FROM products').pluck().get() as number;
    raw.close();
    const acks = app.acks();
    const fails = app.fails();
    const stats = app.stats()!;
    if (Number(exit) !== 0) throw new Error(`the import failed: ${message.join(' ')}`);
    return {
      rows,
      importExit: Number(exit),
      importMs: Number(ms),
      products,
      appSaves: {
        check: checkSaves(db, acks, fails.map((f) => f.name)),
        holdMs: Number(ms),
        retries: stats.retries,
        gaveUp: stats.gaveUp,
        slowestSaveMs: Math.max(...acks.map((x) => x.ms)),
        appLoopMaxMs: stats.loopMaxMs,
        said: [...new Set(fails.map((f) => `${f.code}: ${f.message}`))],
        refused: fails.length,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One `candidates save` command line (the real CLI process) while another program holds the write lock for `holdMs`. */
export async function cliAgainstHeldLock(holdMs: number): Promise<{ exit: number | null; said: string; seconds: number; kept: boolean }> {
  const { dir, db } = await freshDatabase();
  try {
    const holder = new Writer(['hold', db, String(holdMs)]);
    await holder.waitFor((l) => l === 'ready');
    holder.go();
    await holder.waitFor((l) => l === 'holding');
    const started = performance.now();
    const cli = spawn(process.execPath, ['--import', 'tsx', CLI, 'candidates', 'save', '--db', db, '--name', 'while held', '--ingredients', 'Water, Glycerin']);
    let err = '';
    cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    const seconds = (performance.now() - started) / 1000;
    await holder.finished();
    const kept = checkSaves(db, [], ['while held']).refusedButKept > 0;
    return { exit, said: err.trim(), seconds, kept };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface MigrationRefusal {
  /** The database file. */
  path: string;
  /** Whether the older app took the data folder's lock (a version with section 1) or not (an older one). */
  withLock: boolean;
  exit: number | null;
  said: string;
  seconds: number;
  /** The file and its write-ahead log byte for byte, its version, the new step's table, a pre-migration backup: unchanged. */
  untouched: boolean;
  /** After the older app closed: the CLI's exit code and the version it left. */
  afterwards: { exit: number | null; version: number; backups: number };
}

/**
 * A newer CLI (this version, schema LATEST) runs `status` on a file at LATEST − 1 that an older app
 * holds open (it knows versions up to LATEST − 1): the migration must be refused, the file
 * untouched; once the older app closed, the same command migrates it.
 */
export async function migrationWhileOlderAppHolds(withLock: boolean): Promise<MigrationRefusal> {
  const { dir, db } = await freshDatabase();
  const previous = LATEST_SCHEMA_VERSION - 1;
  try {
    // Back to the previous version: without what the latest step (9, draft formulas) added.
    const raw = new BetterSqlite3(db);
    raw.exec('DROP TABLE candidate_formulas; DROP TABLE formula_settings; DROP TABLE legal_limits; DROP TABLE use_levels');
    raw.pragma(`user_version = ${previous}`);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const older = new Writer(['old-app', db, String(previous), ...(withLock ? ['lock'] : [])]);
    await older.waitFor((l) => l === `ready ${previous}`);
    const fingerprint = () => {
      const files = ['', '-wal'].map((s) => (existsSync(db + s) ? createHash('sha256').update(readFileSync(db + s)).digest('hex') : '-')).join();
      const backups = existsSync(join(dir, 'backups')) ? readdirSync(join(dir, 'backups')).filter((f) => f.includes('.v')).length : 0;
      return `${files} ${backups}`;
    };
    const before = fingerprint();
    const status = async () => {
      const started = performance.now();
      const cli = spawn(process.execPath, ['--import', 'tsx', CLI, 'status', '--db', db]);
      let err = '';
      cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exit = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
      return { exit, said: err.trim(), seconds: (performance.now() - started) / 1000 };
    };
    const refused = await status();
    const check = new BetterSqlite3(db, { readonly: true });
    const version = check.pragma('user_version', { simple: true }) as number;
    const newTable = check.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'candidate_formulas'`).pluck().get() as number;
    check.close();
    const untouched = fingerprint() === before && version === previous && newTable === 0;
    older.child.stdin!.end();
    await older.finished();
    const after = await status();
    const reopened = new BetterSqlite3(db, { readonly: true });
    const afterVersion = reopened.pragma('user_version', { simple: true }) as number;
    reopened.close();
    const backups = readdirSync(join(dir, 'backups')).filter((f) => f.includes(`.v${previous}.`)).length;
    return { path: db, withLock, ...refused, untouched, afterwards: { exit: after.exit, version: afterVersion, backups } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run reliability writers`: the figures of section 2 (full: 3 runs of 2 × 1,000 saves and the rest; short: 1 run of 2 × 100). */
export async function writersSection(add: (label: string, value: string | number) => void, full: boolean): Promise<void> {
  const saves = full ? 1_000 : 100;
  const runs = full ? 3 : 1;
  const failures: string[] = [];
  const line = (r: InterleavedRun) =>
    `${r.check.acknowledged} acknowledged, lost ${r.check.lost}, duplicated ${r.check.duplicated}, incomplete ${r.check.incomplete}, integrity ${r.check.integrity}; ` +
    `${r.switches} switches between writers; ${(r.ms / 1000).toFixed(1)} s; save median / slowest ${r.medianSaveMs} / ${r.slowestSaveMs} ms; busy retries ${r.retries}, given up ${r.gaveUp}`;
  let heldRuns = 0;
  for (let run = 1; run <= runs; run++) {
    const r = await interleavedSaves(saves, [{ mode: 'service', saves }]);
    if (held(r.check) && r.failures.length === 0) heldRuns++;
    else failures.push(`interleaved run ${run}: ${JSON.stringify(r.check)} ${r.failures.slice(0, 2).join('; ')}`);
    add(`writers: app (IPC path) + services in a 2nd process, ${saves} saves each at once, run ${run}`, line(r));
  }
  add('writers: interleaved runs with every acknowledged save present exactly once', `${heldRuns} of ${runs}`);

  const cliSaves = full ? 200 : 10;
  const cli = await interleavedSaves(saves, [{ mode: 'cli', saves: cliSaves }]);
  if (!held(cli.check) || cli.failures.length) failures.push(`CLI beside the app: ${JSON.stringify(cli.check)} ${cli.failures.slice(0, 2).join('; ')}`);
  add(`writers: app ${saves} saves + ${cliSaves} \`candidates save\` command lines (each opens and closes the services) at once`, line(cli));

  const imported = await importBesideApp(full ? 50_000 : 5_000, full ? 200 : 60);
  const s = imported.appSaves;
  if (imported.products !== imported.rows || !held(s.check)) failures.push(`CLI import beside the app: ${imported.products} of ${imported.rows} products; ${JSON.stringify(s.check)}`);
  add(
    `writers: \`import\` of ${imported.rows.toLocaleString('en')} products by the CLI while the app saves (one every 25 ms)`,
    `import ${(imported.importMs / 1000).toFixed(1)} s, ${imported.products} products; app ${s.check.acknowledged} acknowledged, refused ${s.refused}, lost ${s.check.lost}, duplicated ${s.check.duplicated}; busy retries ${s.retries}; slowest save ${(s.slowestSaveMs / 1000).toFixed(1)} s; app event loop held at most ${(s.appLoopMaxMs / 1000).toFixed(1)} s`,
  );
  if (s.said.length) add('writers: what the app showed while the CLI imported', s.said.join(' || '));

  const around = await savesAroundHeldLock(7_000, full ? 300 : 60, null);
  if (!held(around.check) || around.refused) failures.push(`held 7 s: ${JSON.stringify(around.check)} ${around.said.join('; ')}`);
  add(
    'writers: another program holds the write lock 7 s while the app saves (one every 25 ms)',
    `${around.check.acknowledged} acknowledged, lost ${around.check.lost}, duplicated ${around.check.duplicated}, refused ${around.refused}; busy retries ${around.retries}; slowest save ${(around.slowestSaveMs / 1000).toFixed(1)} s; app event loop held at most ${(around.appLoopMaxMs / 1000).toFixed(1)} s`,
  );
  const gaveUp = await savesAroundHeldLock(12_000, 40, 1_000);
  if (!held(gaveUp.check) || gaveUp.refused === 0) failures.push(`held 12 s, retry 1 s: ${JSON.stringify(gaveUp.check)} refused ${gaveUp.refused}`);
  add(
    'writers: held 12 s while the app retries for 1 s: acknowledged / refused / refused but kept / lost',
    `${gaveUp.check.acknowledged} / ${gaveUp.refused} / ${gaveUp.check.refusedButKept} / ${gaveUp.check.lost}`,
  );
  add('writers: what the app showed for a refused save', gaveUp.said.join(' || '));
  if (full) {
    const c = await cliAgainstHeldLock(30_000);
    if (c.exit !== 1 || c.kept) failures.push(`CLI against a 30 s hold: exit ${c.exit}, kept ${c.kept}`);
    add('writers: `candidates save` while another program holds the write lock 30 s: exit / after (s) / kept', `${c.exit} / ${c.seconds.toFixed(1)} / ${c.kept ? 'YES' : 'no'}`);
    add('writers: what the CLI printed', c.said);
  }

  for (const withLock of [true, false]) {
    const m = await migrationWhileOlderAppHolds(withLock);
    const ok = m.exit === 1 && m.untouched && m.afterwards.exit === 0 && m.afterwards.version === LATEST_SCHEMA_VERSION && m.afterwards.backups === 1;
    if (!ok) failures.push(`migration refusal (${withLock ? 'older app with the folder lock' : 'older app without it'}): ${JSON.stringify(m)}`);
    const who = withLock ? 'an older app owning the folder' : 'an older app that takes no folder lock';
    add(`writers: newer CLI \`status\` on a v${LATEST_SCHEMA_VERSION - 1} file held by ${who}: exit / after (s) / file untouched`, `${m.exit} / ${m.seconds.toFixed(1)} / ${m.untouched ? 'yes' : 'NO'}`);
    add(`writers: what that CLI printed (${withLock ? 'with' : 'without'} the folder lock)`, m.said);
    add(`writers: the same command once the older app closed: exit / version / pre-migration backups`, `${m.afterwards.exit} / ${m.afterwards.version} / ${m.afterwards.backups}`);
  }
  add('writers: failures', failures.length ? failures.slice(0, 5).join('; ') : 'none');
}
