import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import type { CandidateDetail } from '../../src/shared/api';

/**
 * A writer process for `writers.ts`. It prints "ready" once loaded, and starts on a "go" line on
 * stdin, so writers in different processes start together. Modes:
 *   app DB N PREFIX [RETRY_MS|- [PACE_MS]] — the desktop app's way: owns the folder (openAppInstance)
 *                                and saves N candidates through dispatchApiCall, the IPC path (with
 *                                RETRY_MS of busy retrying, and PACE_MS between saves, when given);
 *   service DB N PREFIX        — the services in a second process without the folder lock, as the CLI opens them;
 *   cli DB N PREFIX            — N `candidates save` command lines (runCli: opens the services, saves, closes);
 *   cli-import DB FILE         — one `import FILE` command line, printing "imported EXIT MS MESSAGE";
 *   hold DB MS                 — another program's long write: holds SQLite's write lock for MS ms;
 *   old-app DB VERSION [lock]  — an older app: opens the database knowing schema versions up to VERSION
 *                                (taking the folder lock when `lock`), and keeps it open until stdin ends.
 * Each mode loads only what it uses (the holder and the older app start in a fraction of the time).
 * Savers print "ack ID NAME MS" per acknowledged save, "fail NAME CODE MESSAGE" per refused one,
 * then "stats RETRIES GAVE_UP BUSY_MS LOOP_MAX_MS" (the service's write contention and the longest
 * its event loop was held, by SQLite's own busy wait above all; cli: -) and "done".
 */
const [mode, db, a, b, c, d] = process.argv.slice(2);
const DECLARATION = 'Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol';
const say = (line: string) => process.stdout.write(`${line}\n`);
const lines = createInterface({ input: process.stdin });
const go = () => new Promise<void>((resolve) => lines.once('line', () => resolve()));

/** Saves n candidates named "PREFIX i" with `save`, printing what each came to. */
async function saveAll(n: number, prefix: string, save: (name: string) => Promise<{ id: number } | { code: string; message: string }>, paceMs = 0): Promise<void> {
  for (let i = 1; i <= n; i++) {
    if (paceMs && i > 1) await new Promise((resolve) => setTimeout(resolve, paceMs));
    const name = `${prefix} ${i}`;
    const started = performance.now();
    const result = await save(name);
    if ('id' in result) say(`ack ${result.id} ${name} ${Math.round(performance.now() - started)}`);
    else say(`fail ${name} ${result.code} ${result.message}`);
  }
}

if (mode === 'app' || mode === 'service') {
  const { openAppInstance } = await import('../../src/main/app-instance');
  const { dispatchApiCall } = await import('../../src/main/ipc/dispatch');
  const { resolveResourcesDir } = await import('../../src/main/resources');
  const { FormulatorService } = await import('../../src/main/services/formulator-service');
  const options = { databasePath: db!, resourcesDir: resolveResourcesDir(), ...(c && c !== '-' ? { busyRetryMs: Number(c) } : {}) };
  const instance = mode === 'app' ? await openAppInstance(options, 'app') : null;
  const service = instance?.service ?? (await FormulatorService.open(options));
  say('ready');
  await go();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  await saveAll(Number(a), b!, async (name) => {
    const args = { name, declaration: DECLARATION, tags: [b!] };
    if (mode === 'app') {
      const result = await dispatchApiCall(service, 'saveCandidate', args);
      return result.ok ? (result.value as CandidateDetail) : result.error;
    }
    return service.saveCandidate(args).catch((error: { code?: string; message: string }) => ({ code: error.code ?? 'thrown', message: error.message }));
  }, Number(d ?? 0));
  const k = service.writeContention;
  loop.disable();
  say(`stats ${k.retries} ${k.gaveUp} ${Math.round(k.busyMs)} ${Math.round(loop.max / 1e6)}`);
  if (instance) instance.close();
  else service.close();
  say('done');
} else if (mode === 'cli') {
  const { runCli } = await import('../../src/main/cli/run');
  say('ready');
  await go();
  await saveAll(Number(a), b!, async (name) => {
    let out = '';
    let err = '';
    const code = await runCli(['candidates', 'save', '--db', db!, '--name', name, '--ingredients', DECLARATION, '--tags', b!, '--json'], {
      out: (text) => (out += text),
      err: (text) => (err += `${text}\n`),
    });
    return code === 0 ? { id: (JSON.parse(out) as CandidateDetail).id } : { code: `exit-${code}`, message: err.trim().replace(/\n/g, ' | ') };
  });
  say('stats - - - -');
  say('done');
} else if (mode === 'cli-import') {
  const { runCli } = await import('../../src/main/cli/run');
  say('ready');
  await go();
  const started = performance.now();
  let err = '';
  const code = await runCli(['import', a!, '--db', db!], { out: () => undefined, err: (text) => (err += `${text} `) });
  say(`imported ${code} ${Math.round(performance.now() - started)} ${err.trim()}`);
  say('done');
} else if (mode === 'hold') {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const raw = new BetterSqlite3(db!);
  raw.pragma('busy_timeout = 5000');
  say('ready');
  await go();
  raw.exec('BEGIN IMMEDIATE');
  say('holding');
  await new Promise((resolve) => setTimeout(resolve, Number(a)));
  raw.exec('ROLLBACK');
  raw.close();
  say('done');
} else if (mode === 'old-app') {
  const { openDatabase } = await import('../../src/main/db/connection');
  const { MIGRATIONS } = await import('../../src/main/db/migrations');
  const { acquireFolderLock } = await import('../../src/main/folder-lock');
  const lock = b === 'lock' ? acquireFolderLock(db!, 'app') : null;
  const opened = await openDatabase(db!, { migrations: MIGRATIONS.filter((m) => m.version <= Number(a)) });
  say(`ready ${opened.schemaVersion}`);
  // Like the app, it reads now and then while open.
  const timer = setInterval(() => opened.db.prepare('SELECT count(*) FROM candidates').get(), 200);
  await new Promise<void>((resolve) => lines.once('close', () => resolve()));
  clearInterval(timer);
  opened.db.close();
  lock?.release();
  say('done');
} else {
  throw new Error(`unknown mode ${mode}`);
}
lines.close();
