import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FOLDER_LOCK_FILE, type FolderOwner } from '../../src/main/folder-lock';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';

/**
 * Issue 17 section 1, a second instance: app and preview processes started on one data folder.
 * Part one uses the real browser preview (src/main/preview/main.ts) and the desktop app's start
 * without Electron (instances-child.ts, `openAppInstance`): a preview owns the folder; a second
 * preview and an app are refused in one line naming it; the command line still saves beside it;
 * after the owner is killed with SIGKILL its stale lock is left, and the next start takes it over;
 * a graceful stop removes the lock. Part two races several app starts at the same instant, round
 * after round, each round after the first on the stale lock of the previous owner (SIGKILLed):
 * one owner each time, every other start refused naming it without opening the database.
 */

const CHILD = fileURLToPath(new URL('./instances-child.ts', import.meta.url));
const PREVIEW = fileURLToPath(new URL('../../src/main/preview/main.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/main/cli/main.ts', import.meta.url));

/** One started process and what it said. */
interface Started {
  kind: 'app' | 'preview';
  child: ChildProcess;
  pid: number;
  out: string[];
  err: string;
  /** Resolves when it became the owner, or exited (refused or failed). */
  settled: Promise<Outcome>;
  exited: Promise<number | null>;
  startedAt: number;
}

type Outcome = { kind: 'owner'; ms: number; tookOver: number | null; url: string | null } | { kind: 'exited'; code: number | null; ms: number };

/** The line a refused start prints: the owner's pid as it names it. */
const REFUSAL = /^The data folder .* is already open in Latent Formulator \((?:the desktop app|the browser preview(?: at \S+)?), pid (\d+), started [^)]*\); use that (?:window|page), or close it before starting another\. The database was not opened\.$/;

function start(kind: 'app' | 'preview', db: string, wait = false): Started {
  const args = kind === 'app' ? [CHILD, 'app', db, ...(wait ? ['wait'] : [])] : [PREVIEW, '--db', db, '--port', '0'];
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const started: Partial<Started> = { kind, child, pid: child.pid!, out: [], err: '', startedAt: performance.now() };
  const s = started as Started;
  s.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  s.settled = new Promise((resolve) => {
    let buffer = '';
    let tookOver: number | null = null;
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        s.out.push(line);
        const took = /last opened by pid (\d+)/.exec(line) ?? /took-over (\d+)/.exec(line);
        if (took) tookOver = Number(took[1]);
        const url = /^Latent Formulator preview at (\S+)/.exec(line)?.[1] ?? null;
        if (line.startsWith('owner ') || url) resolve({ kind: 'owner', ms: performance.now() - s.startedAt, tookOver, url });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (s.err += d.toString()));
    void s.exited.then((code) => resolve({ kind: 'exited', code, ms: performance.now() - s.startedAt }));
  });
  return s;
}

/** Waits for a process to say it is armed (loaded, waiting for "go"). */
function armed(s: Started): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => (s.out.includes('armed') ? resolve() : undefined);
    s.child.stdout!.on('data', check);
    void s.exited.then(() => reject(new Error(`process ${s.pid} ended before it was armed: ${s.err}`)));
    check();
  });
}

async function kill(s: Started, signal: NodeJS.Signals): Promise<void> {
  s.child.kill(signal);
  await s.exited; // reaped: no zombie left for the next start to mistake for the owner
}

/** The processes among `pids` that have the database (or its side files) open. */
function holdersOf(db: string, pids: number[]): number[] {
  return pids.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(db);
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

function lockPid(dir: string): number | null {
  const path = join(dir, FOLDER_LOCK_FILE);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as FolderOwner).pid : null;
}

/** The refused start's check: exit code 1, one line on stderr naming `ownerPid`, no database file open (app starts report it). */
function refusalProblem(s: Started, outcome: Outcome, ownerPid: number): string | null {
  if (outcome.kind !== 'exited') return `${s.kind} ${s.pid} became an owner too`;
  if (outcome.code !== 1) return `${s.kind} ${s.pid} exited with ${outcome.code}, not 1: ${s.err.slice(0, 300)}`;
  const lines = s.err.trimEnd().split('\n');
  if (lines.length !== 1) return `${s.kind} ${s.pid} said ${lines.length} lines: ${s.err.slice(0, 300)}`;
  const named = REFUSAL.exec(lines[0]!)?.[1];
  if (Number(named) !== ownerPid) return `${s.kind} ${s.pid} did not name owner ${ownerPid}: ${lines[0]}`;
  const fds = s.out.find((l) => l.startsWith('fds-on-database '));
  if (s.kind === 'app' && fds !== 'fds-on-database 0') return `${s.kind} ${s.pid} had the database open when refused (${fds})`;
  return null;
}

export interface InstancesReport {
  failures: string[];
  /** Part one: what the second preview and the app said, whether the CLI saved beside the owner, the takeover. */
  secondPreviewSaid: string;
  appSaid: string;
  cliBeside: string;
  takeover: string;
  gracefulStopRemovedLock: boolean;
  /** Part two. */
  rounds: number;
  startsPerRound: number;
  roundsWithOneOwner: number;
  refusalsNamingOwner: number;
  refusals: number;
  refusedWithDatabaseOpen: number;
  /** Rounds after the first whose one owner replaced the previous owner's stale lock. */
  staleTakeovers: number;
  /** Of those, the rounds whose owner itself removed the stale lock (and so named it). */
  takeoversNamedByOwner: number;
  refusalMs: number[];
}

/** Runs both parts; `rounds` race rounds of `perRound` app starts each. */
export async function secondInstances(rounds: number, perRound: number): Promise<InstancesReport> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-instances-'));
  const db = join(dir, 'lab.db');
  const report: InstancesReport = {
    failures: [],
    secondPreviewSaid: '',
    appSaid: '',
    cliBeside: '',
    takeover: '',
    gracefulStopRemovedLock: false,
    rounds,
    startsPerRound: perRound,
    roundsWithOneOwner: 0,
    refusalsNamingOwner: 0,
    refusals: 0,
    refusedWithDatabaseOpen: 0,
    staleTakeovers: 0,
    takeoversNamedByOwner: 0,
    refusalMs: [],
  };
  const live: Started[] = [];
  const fail = (problem: string | null) => void (problem && report.failures.push(problem));
  try {
    // A database with the knowledge base loaded, so each start below opens it rather than creating it.
    (await FormulatorService.open({ databasePath: db, resourcesDir: resolveResourcesDir() })).close();

    // Part one: the preview owns the folder; a second preview and an app are refused; the CLI works beside it.
    const first = start('preview', db);
    live.push(first);
    const owned = await first.settled;
    if (owned.kind !== 'owner') throw new Error(`the first preview did not start: ${first.err}`);
    fail(lockPid(dir) === first.pid ? null : `the lock names ${lockPid(dir)}, not the preview ${first.pid}`);
    const second = start('preview', db);
    const app = start('app', db);
    for (const s of [second, app]) fail(refusalProblem(s, await s.settled, first.pid));
    report.secondPreviewSaid = second.err.trim();
    report.appSaid = app.err.trim();
    fail(holdersOf(db, [first.pid, second.pid, app.pid]).join() === String(first.pid) ? null : 'a process other than the owner had the database open');
    const cli = spawn(process.execPath, ['--import', 'tsx', CLI, 'candidates', 'save', '--db', db, '--name', 'saved beside the preview', '--ingredients', 'Water, Glycerin, Niacinamide']);
    let cliOut = '';
    cli.stdout.on('data', (d: Buffer) => (cliOut += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (cliOut += d.toString()));
    const cliCode = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    report.cliBeside = `exit ${cliCode}: ${cliOut.trim().split('\n')[0]}`;
    fail(cliCode === 0 ? null : `the CLI beside the preview failed: ${cliOut}`);

    // kill -9 of the owner leaves its lock; the next start (a preview) takes it over and says so.
    await kill(first, 'SIGKILL');
    fail(lockPid(dir) === first.pid ? null : 'the killed preview left no stale lock to take over');
    const next = start('preview', db);
    live.push(next);
    const took = await next.settled;
    if (took.kind !== 'owner' || took.tookOver !== first.pid) fail(`the next preview did not take over ${first.pid}'s stale lock: ${JSON.stringify(took)} ${next.err}`);
    report.takeover = took.kind === 'owner' ? `took over in ${(took.ms / 1000).toFixed(1)} s: "${next.out.find((l) => l.includes('last opened by pid')) ?? ''}"` : 'no';
    await kill(next, 'SIGTERM');
    report.gracefulStopRemovedLock = !existsSync(join(dir, FOLDER_LOCK_FILE));
    fail(report.gracefulStopRemovedLock ? null : 'a preview stopped with SIGTERM left its lock');

    // Part two: races. Each round's starts load first, then are told "go" together; the next round loads meanwhile.
    const spawnRound = () => {
      const starts = Array.from({ length: perRound }, () => start('app', db, true));
      live.push(...starts);
      return starts;
    };
    let upcoming = rounds > 0 ? spawnRound() : [];
    let previousOwner: number | null = null;
    for (let r = 0; r < rounds; r++) {
      const starts = upcoming;
      await Promise.all(starts.map(armed));
      for (const s of starts) {
        s.startedAt = performance.now(); // from "go": the race itself, not the process's start
        s.child.stdin!.write('go\n');
      }
      if (r + 1 < rounds) upcoming = spawnRound();
      const outcomes = await Promise.all(starts.map((s) => s.settled));
      const owners = starts.filter((_, i) => outcomes[i]!.kind === 'owner');
      if (owners.length !== 1) {
        fail(`round ${r}: ${owners.length} owners (${starts.map((s, i) => `${s.pid}: ${outcomes[i]!.kind} ${s.err.trim()}`).join('; ')})`);
        for (const s of owners) await kill(s, 'SIGKILL');
        previousOwner = null;
        continue;
      }
      report.roundsWithOneOwner++;
      const owner = owners[0]!;
      const outcome = outcomes[starts.indexOf(owner)] as Extract<Outcome, { kind: 'owner' }>;
      fail(lockPid(dir) === owner.pid ? null : `round ${r}: the lock names ${lockPid(dir)}, not the owner ${owner.pid}`);
      if (previousOwner !== null && lockPid(dir) === owner.pid) {
        // The stale lock is gone and the new owner's is in place. Whoever removed it may have lost
        // the race to create the next one: then the owner never saw the stale lock to name it.
        report.staleTakeovers++;
        if (outcome.tookOver === previousOwner) report.takeoversNamedByOwner++;
      }
      starts.forEach((s, i) => {
        if (s === owner) return;
        report.refusals++;
        report.refusalMs.push(outcomes[i]!.ms);
        const problem = refusalProblem(s, outcomes[i]!, owner.pid);
        if (problem === null) report.refusalsNamingOwner++;
        if (s.out.some((l) => l.startsWith('fds-on-database ') && l !== 'fds-on-database 0')) report.refusedWithDatabaseOpen++;
        fail(problem && `round ${r}: ${problem}`);
      });
      fail(holdersOf(db, starts.map((s) => s.pid)).join() === String(owner.pid) ? null : `round ${r}: a process other than the owner had the database open`);
      await kill(owner, 'SIGKILL');
      fail(lockPid(dir) === owner.pid ? null : `round ${r}: the SIGKILLed owner left no stale lock`);
      previousOwner = owner.pid;
    }
  } finally {
    for (const s of live) if (s.child.exitCode === null && s.child.signalCode === null) await kill(s, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** `npm run reliability instances`: the figures of section 1 (full: 20 race rounds of 4 starts; short: 2 of 2). */
export async function instancesSection(add: (label: string, value: string | number) => void, full: boolean): Promise<void> {
  const r = await secondInstances(full ? 20 : 2, full ? 4 : 2);
  const ms = [...r.refusalMs].sort((a, b) => a - b);
  add('second instance: a second preview on the folder said', r.secondPreviewSaid);
  add('second instance: the app (main-process start, no Electron) beside the preview said', r.appSaid);
  add('second instance: the CLI saving beside the preview', r.cliBeside);
  add('second instance: preview killed with SIGKILL → the next preview', r.takeover);
  add('second instance: a preview stopped with SIGTERM removed its lock', r.gracefulStopRemovedLock ? 'yes' : 'NO');
  add(
    `second instance: race rounds (${r.startsPerRound} app starts at once; the owner SIGKILLed after each) / with exactly one owner / stale lock taken over (named by the new owner)`,
    `${r.rounds} / ${r.roundsWithOneOwner} / ${r.staleTakeovers} of ${r.rounds - 1} (${r.takeoversNamedByOwner})`,
  );
  add('second instance: refusals / naming the owner in one line, exit 1 / with the database open', `${r.refusals} / ${r.refusalsNamingOwner} / ${r.refusedWithDatabaseOpen}`);
  add('second instance: time to a refusal from "go" in the races, median / max (ms)', `${(ms[ms.length >> 1] ?? 0).toFixed(0)} / ${(ms.at(-1) ?? 0).toFixed(0)}`);
  add('second instance: failures', r.failures.length ? r.failures.slice(0, 5).join('; ') : 'none');
}
