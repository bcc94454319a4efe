import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComputeError, ComputeHost, nodeChildChannel } from '../../src/main/compute/host';
import { listBackupFiles, pruneRollingBackups, readBackupContents } from '../../src/main/db/backups';
import { resolveResourcesDir } from '../../src/main/resources';
import { DatabaseCare, DEFAULT_BACKUP_POLICY } from '../../src/main/services/database';
import { FormulatorService } from '../../src/main/services/formulator-service';
import type { ActivityView } from '../../src/shared/api';
import { computePids, descendants, procStatus } from './proc';
import { writeSyntheticCatalog } from './synth-catalog';

/**
 * Sleep and the clock (issue 17, item 4).
 *
 * Suspend: a laptop that sleeps stops every process at once; the compute process alone being
 * stopped (SIGSTOP) and continued (SIGCONT) is the harder case for the app, because the main
 * process keeps running and polling meanwhile. A training job is stopped mid-run for `stopMs`
 * (60 s in the full run) and must then finish with the same model as an unstopped run of the
 * same seed; a stopped process that is killed must end its job as failed with a message, soon;
 * a cancel sent while it is stopped must take effect once it runs again; a process stopped
 * while starting must fail its job with a message and leave the next job to a new process.
 * Throughout, getActivity is polled, and a job shown as running while its compute process is
 * dead is counted.
 *
 * Clock: backups are named by the wall clock. A clock set back (by hand, a time server, a flat
 * battery) must not make a new backup sort as older than the ones before it, nor make rotation
 * remove the newest backups, nor stop backups from being taken.
 */

const TRAIN = { preset: 'quick' as const, seed: 3 };

/**
 * The services on a catalog to train on: the sample catalog (432 products, about 8 s for a quick
 * training here), or for the short runs a synthetic one of 150 products (about 2 s).
 */
async function trainingService(dir: string, small: boolean): Promise<FormulatorService> {
  const service = await FormulatorService.open({ databasePath: join(dir, 'lab.db'), resourcesDir: resolveResourcesDir() });
  if (small) {
    const csv = join(dir, 'small.csv');
    await writeSyntheticCatalog(csv, 150);
    await service.importCatalog({ path: csv });
  } else await service.loadSampleCatalog();
  return service;
}

/** Stops the compute process (SIGSTOP) from the training's own progress callback once it reaches `epoch`. */
function stopAtEpoch(epoch: number): { hooks: { onProgress: (p: { epoch: number }) => void }; stopped: () => number | null } {
  let pid: number | null = null;
  return {
    hooks: {
      onProgress: (p) => {
        if (pid !== null || p.epoch < epoch) return;
        pid = computePids(process.pid)[0] ?? null;
        if (pid !== null) process.kill(pid, 'SIGSTOP');
      },
    },
    stopped: () => pid,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `test` holds (polled every 20 ms), or throws after `ms`. */
async function until(test: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!(await test())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** 'alive', 'stopped', or 'dead' (gone, or a zombie not yet reaped), from /proc. */
function processState(pid: number): 'alive' | 'stopped' | 'dead' {
  const state = procStatus(pid)?.State ?? '';
  if (!state || state.startsWith('Z') || state.startsWith('X')) return 'dead';
  return state.startsWith('T') ? 'stopped' : 'alive';
}

/**
 * Polls getActivity every `everyMs` while the scenario runs: per sample, the job's state as the
 * list shows it and the compute process's state read just before. A sample that shows the job
 * running after its process was seen dead counts towards `deadShownRunningMs` (the longest such
 * stretch, from the first sight of the dead process).
 */
class ActivityWatch {
  samples = 0;
  shownRunningWhileStopped = 0;
  /** Longest time the list showed the job running after its process was seen dead (ms). */
  deadShownRunningMs = 0;
  /** Progress (epochs) seen while the process was stopped: must not move. */
  progressWhileStopped = new Set<number>();
  private deadSince: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly service: FormulatorService,
    private readonly pid: () => number | null,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  private async sample(): Promise<void> {
    const pid = this.pid();
    const before = pid === null ? 'dead' : processState(pid);
    if (before === 'dead' && this.deadSince === null) this.deadSince = performance.now();
    const running = (await this.service.getActivity()).running.find((v) => v.kind === 'train');
    this.samples++;
    if (!running) return;
    if (before === 'stopped') {
      this.shownRunningWhileStopped++;
      this.progressWhileStopped.add(running.done);
    }
    if (before === 'dead' && this.deadSince !== null) this.deadShownRunningMs = Math.max(this.deadShownRunningMs, performance.now() - this.deadSince);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** The running training's view in the activity list, or null. */
async function runningTraining(service: FormulatorService): Promise<ActivityView | null> {
  return (await service.getActivity()).running.find((v) => v.kind === 'train') ?? null;
}

export interface StopContinueResult {
  stopMs: number;
  /** The job's epoch when the process was stopped, and whether it moved while stopped. */
  stoppedAtEpoch: number;
  progressMovedWhileStopped: boolean;
  samplesWhileStopped: number;
  finished: 'done' | 'failed' | 'cancelled' | 'missing';
  /** The stopped run's metrics equal an unstopped run's with the same seed. */
  sameModel: boolean;
  trainS: number;
  /** Wall time of the stopped run beyond the unstopped one (s): about the stop. */
  extraS: number;
  elapsedShownS: number;
}

/** A training stopped for `stopMs` mid-run, then continued; compared with an unstopped training. */
export async function stopAndContinue(stopMs: number, small = stopMs < 10_000): Promise<StopContinueResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-suspend-'));
  const service = await trainingService(dir, small);
  try {
    let t = performance.now();
    const reference = await service.trainModel(TRAIN);
    const trainS = (performance.now() - t) / 1000;
    t = performance.now();
    const stop = stopAtEpoch(3);
    const training = service.trainModel({ ...TRAIN, activate: false }, stop.hooks);
    await until(() => stop.stopped() !== null && processState(stop.stopped()!) === 'stopped', 60_000, 'the stop at epoch 3');
    const pid = stop.stopped()!;
    // Progress the process sent just before it stopped may still be on its way: let it arrive.
    await sleep(300);
    const stoppedAtEpoch = (await runningTraining(service))?.done ?? -1;
    const watch = new ActivityWatch(service, () => pid);
    await sleep(stopMs);
    watch.stop();
    process.kill(pid, 'SIGCONT');
    const model = await training;
    const extraS = (performance.now() - t) / 1000 - trainS;
    const finished = (await service.getActivity()).finished[0];
    return {
      stopMs,
      stoppedAtEpoch,
      progressMovedWhileStopped: watch.progressWhileStopped.size > 1 || ![...watch.progressWhileStopped].every((e) => e === stoppedAtEpoch),
      samplesWhileStopped: watch.shownRunningWhileStopped,
      finished: finished?.kind === 'train' ? (finished.state === 'running' ? 'missing' : finished.state) : 'missing',
      sameModel: JSON.stringify(model.metrics) === JSON.stringify(reference.metrics) && model.epochs === reference.epochs,
      trainS,
      extraS,
      elapsedShownS: (finished?.elapsedMs ?? 0) / 1000,
    };
  } finally {
    await service.compute.close();
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface KilledWhileStoppedResult {
  finished: string;
  message: string;
  /** Longest the list showed the job running after its process was seen dead (ms). */
  deadShownRunningMs: number;
  /** From the kill to the job leaving the running list (ms). */
  endedAfterMs: number;
  modelsRecorded: number;
  partialModelFolders: number;
  nextJobOk: boolean;
}

/** A training whose compute process is stopped and then killed (the machine's memory ran out while asleep, say). */
export async function killedWhileStopped(stopMs: number, small = stopMs < 10_000): Promise<KilledWhileStoppedResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-suspend-'));
  const service = await trainingService(dir, small);
  try {
    const stop = stopAtEpoch(3);
    const training = service.trainModel(TRAIN, stop.hooks).then(
      () => null,
      (error: unknown) => error as Error,
    );
    await until(() => stop.stopped() !== null, 60_000, 'the stop at epoch 3');
    const pid = stop.stopped()!;
    const watch = new ActivityWatch(service, () => pid, 25);
    await sleep(stopMs);
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    await until(async () => (await runningTraining(service)) === null, 10_000, 'the job to leave the running list');
    const endedAfterMs = performance.now() - killedAt;
    await sleep(200);
    watch.stop();
    const error = await training;
    const finished = (await service.getActivity()).finished[0];
    const models = await service.listModels();
    const folders = existsSync(service.modelsDir) ? readdirSync(service.modelsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).length : 0;
    const next = await service.trainModel({ ...TRAIN, preset: 'quick' }).then(
      () => true,
      () => false,
    );
    return {
      finished: finished?.state ?? 'missing',
      message: finished?.message ?? error?.message ?? '',
      deadShownRunningMs: watch.deadShownRunningMs,
      endedAfterMs,
      modelsRecorded: models.length,
      partialModelFolders: folders,
      nextJobOk: next,
    };
  } finally {
    await service.compute.close();
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface CancelWhileStoppedResult {
  /** Whether cancelActivity accepted the cancel while the process was stopped. */
  accepted: boolean;
  /** The job still listed as running while stopped (it is alive: the cancel waits for it). */
  runningWhileStopped: boolean;
  finished: string;
  /** From SIGCONT to the job ending as cancelled (ms). */
  cancelledAfterContinueMs: number;
  modelsRecorded: number;
}

/** Cancel pressed while the compute process is stopped: it takes effect when the process runs again. */
export async function cancelWhileStopped(stopMs: number, small = stopMs < 10_000): Promise<CancelWhileStoppedResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-suspend-'));
  const service = await trainingService(dir, small);
  try {
    const stop = stopAtEpoch(3);
    const training = service.trainModel(TRAIN, stop.hooks).catch(() => null);
    await until(() => stop.stopped() !== null && processState(stop.stopped()!) === 'stopped', 60_000, 'the stop at epoch 3');
    const pid = stop.stopped()!;
    const id = (await runningTraining(service))!.id;
    const { cancelled: accepted } = await service.cancelActivity({ id });
    await sleep(stopMs);
    const runningWhileStopped = (await runningTraining(service)) !== null;
    const continuedAt = performance.now();
    process.kill(pid, 'SIGCONT');
    await training;
    const cancelledAfterContinueMs = performance.now() - continuedAt;
    const finished = (await service.getActivity()).finished[0];
    return { accepted, runningWhileStopped, finished: finished?.state ?? 'missing', cancelledAfterContinueMs, modelsRecorded: (await service.listModels()).length };
  } finally {
    await service.compute.close();
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface StoppedAtStartResult {
  code: string;
  message: string;
  /** The stopped process was ended (not left behind). */
  stoppedProcessGone: boolean;
  nextJobOk: boolean;
}

/** The compute process stopped right after it was started, for longer than the host waits for it to start. */
export async function stoppedAtStart(startTimeoutMs: number): Promise<StoppedAtStartResult> {
  let firstPid: number | null = null;
  const host = new ComputeHost(() => {
    const before = new Set(descendants(process.pid));
    const channel = nodeChildChannel();
    if (firstPid === null) {
      firstPid = descendants(process.pid).find((p) => !before.has(p)) ?? null;
      if (firstPid !== null) process.kill(firstPid, 'SIGSTOP');
    }
    return channel;
  }, startTimeoutMs);
  try {
    const error = await host.start().then(
      () => null,
      (e: unknown) => e,
    );
    await sleep(300);
    const gone = firstPid !== null && processState(firstPid) === 'dead';
    const next = await host.start().then(
      () => true,
      () => false,
    );
    return { code: error instanceof ComputeError ? error.code : String(error), message: (error as Error | null)?.message ?? 'started', stoppedProcessGone: gone, nextJobOk: next };
  } finally {
    await host.close();
  }
}

export interface ClockResult {
  steps: number;
  jumps: string[];
  /** Steps after which the list (newest first) was exactly the order of writing. */
  orderHeld: number;
  /** Steps after which the rolling backups kept were the newest `keep` written. */
  rotationHeld: number;
  /** Steps after which the newest listed backup held the latest data. */
  newestHeld: number;
  /** Start-ups (under a clock behind the newest backup) that took no backup and left it to the scheduled one, which then took it. */
  startupDeferred: number;
  scheduledTaken: number;
  /**
   * For comparison, the same steps with backups named by the wall clock alone (as before this
   * issue), simulated: steps after which the newest listed was the latest written, and backups
   * written that rotation removed at once (or before an older one).
   */
  naive: { newestHeld: number; newestRemoved: number };
  failures: string[];
}

/**
 * Backups under a wall clock that jumps: a DatabaseCare with an injected clock writes rolling
 * (and every fifth a manual) backups of a database that gains a candidate before each one; the
 * clock runs forward by minutes, jumps back an hour, a day and ten years, and forward again.
 * After each backup: the list newest-first is the order of writing (each backup's candidate
 * count), rotation kept the newest `keep` rolling ones written, and the newest listed holds the
 * latest data. Also: a start-up under a clock behind the newest backup takes no backup (it
 * cannot tell age) and the scheduled backup then does.
 */
export async function backupClock(steps: number, keep = 7): Promise<ClockResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-clock-'));
  const path = join(dir, 'lab.db');
  const service = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
  const care = new DatabaseCare(path, { ...DEFAULT_BACKUP_POLICY, keepRolling: keep });
  const start = Date.parse('2026-03-01T09:00:00.000Z');
  let clock = start;
  care.clock = () => new Date(clock);
  const result: ClockResult = { steps, jumps: [], orderHeld: 0, rotationHeld: 0, newestHeld: 0, startupDeferred: 0, scheduledTaken: 0, naive: { newestHeld: 0, newestRemoved: 0 }, failures: [] };
  // The simulation of wall-clock names: each backup's time and step, newest first by time, the oldest rolling ones beyond `keep` removed.
  let naive: { time: number; step: number; kind: string }[] = [];
  const written: { file: string; candidates: number; kind: string }[] = [];
  const jumps = new Map<number, [number, string]>([
    [Math.floor(steps * 0.2), [-3600_000, 'back 1 hour']],
    [Math.floor(steps * 0.4), [-86_400_000, 'back 1 day']],
    [Math.floor(steps * 0.6), [-10 * 365 * 86_400_000, 'back 10 years (a flat clock battery)']],
    [Math.floor(steps * 0.8), [10 * 365 * 86_400_000 + 2 * 86_400_000, 'forward again, past every earlier time']],
  ]);
  try {
    for (let i = 1; i <= steps; i++) {
      const jump = jumps.get(i);
      if (jump) {
        clock += jump[0];
        result.jumps.push(`step ${i}: ${jump[1]}`);
      } else clock += 5 * 60_000;
      await service.saveCandidate({ name: `step ${i}`, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
      const kind = i % 5 === 0 ? 'manual' : 'rolling';
      naive.push({ time: clock, step: i, kind });
      naive.sort((a, b) => b.time - a.time || b.step - a.step);
      const naiveRolling = naive.filter((n) => n.kind === 'rolling');
      const removed = new Set(naiveRolling.slice(keep));
      if (removed.size && [...removed].some((n) => n.step === i)) result.naive.newestRemoved++;
      naive = naive.filter((n) => !removed.has(n));
      if (naive[0]?.step === i) result.naive.newestHeld++;
      const b = await care.backup(service.db, kind);
      written.push({ file: b.file, candidates: b.candidates ?? -1, kind });
      const listed = listBackupFiles(path);
      const counts = listed.map((f) => readBackupContents(f.path).candidates ?? -1);
      const expected = written.filter((w) => w.kind === 'manual' || written.filter((x) => x.kind === 'rolling').slice(-keep).includes(w));
      const expectedCounts = [...expected].reverse().map((w) => w.candidates);
      if (JSON.stringify(counts) === JSON.stringify(expectedCounts)) result.orderHeld++;
      else result.failures.push(`step ${i}: listed ${counts.slice(0, 8).join(',')}… expected ${expectedCounts.slice(0, 8).join(',')}…`);
      const keptRolling = listed.filter((f) => f.kind === 'rolling').map((f) => f.file).sort();
      const newestRolling = written.filter((w) => w.kind === 'rolling').slice(-keep).map((w) => w.file).sort();
      if (JSON.stringify(keptRolling) === JSON.stringify(newestRolling)) result.rotationHeld++;
      else result.failures.push(`step ${i}: rotation kept ${keptRolling.length} rolling backups, not the newest ${keep} written`);
      if (counts[0] === i) result.newestHeld++;
      else result.failures.push(`step ${i}: the newest listed backup holds ${counts[0]} candidates, not ${i}`);
      // Rotation itself, run again as a later start would: it must not remove the newest.
      pruneRollingBackups(path, keep);
    }
    // A start-up under a clock set back behind the newest backup, after a change.
    clock -= 3600_000;
    await service.saveCandidate({ name: 'after the last jump', declaration: 'Water, Glycerin' });
    const fresh = new DatabaseCare(path, { ...DEFAULT_BACKUP_POLICY, keepRolling: keep });
    fresh.clock = () => new Date(clock);
    const atStartup = await fresh.atStartup(service.db, clock);
    if (atStartup === null) result.startupDeferred++;
    else result.failures.push(`a start-up under a clock behind the newest backup took ${atStartup}`);
    const scheduled = await fresh.backupIfChanged(service.db);
    if (scheduled && listBackupFiles(path)[0]?.file === scheduled && readBackupContents(listBackupFiles(path)[0]!.path).candidates === steps + 1) result.scheduledTaken++;
    else result.failures.push(`the scheduled backup after a deferred start-up gave ${scheduled}`);
  } finally {
    await service.compute.close();
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

const FAKE_CLOCK = fileURLToPath(new URL('./fake-clock.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../src/main/cli/main.ts', import.meta.url));

export interface CliClockResult {
  runs: number;
  /** `db backups --json` listed the backups in the order the runs wrote them. */
  orderHeld: boolean;
  listed: string[];
  /** What `db backups` printed first (the newest). */
  newestLine: string;
}

/**
 * The same through the command line, each run a new process whose Date is shifted by the
 * offset given (fake-clock.ts): a candidate saved (by the app's services, open beside it), then
 * `db backup` under clocks of (by default) now, a day back, and ten minutes on; then
 * `db backups --json` (under the real clock) must list them in the order written.
 */
export async function cliBackupClock(offsets: readonly number[] = [0, -86_400_000, 600_000]): Promise<CliClockResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lf-clock-cli-'));
  const db = join(dir, 'lab.db');
  const cli = (offsetMs: number, ...args: string[]) =>
    execFileSync(process.execPath, ['--import', 'tsx', '--import', FAKE_CLOCK, CLI, ...args, '--db', db], {
      encoding: 'utf8',
      env: { ...process.env, LF_FAKE_CLOCK_OFFSET_MS: String(offsetMs) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  // The data changes between the runs through the app's own services, beside the command line.
  const app = await FormulatorService.open({ databasePath: db, resourcesDir: resolveResourcesDir() });
  try {
    const order: string[] = [];
    for (const [i, offset] of offsets.entries()) {
      await app.saveCandidate({ name: `run ${i}`, declaration: 'Water, Glycerin, Niacinamide' });
      order.push((JSON.parse(cli(offset, 'db', 'backup', '--json')) as { file: string }).file);
    }
    const listed = (JSON.parse(cli(0, 'db', 'backups', '--json')) as { file: string; kind: string; candidates: number }[]).filter((b) => b.kind === 'manual');
    const human = cli(0, 'db', 'backups');
    return {
      runs: offsets.length,
      orderHeld: JSON.stringify(listed.map((b) => b.file)) === JSON.stringify([...order].reverse()) && listed.every((b, i) => b.candidates === offsets.length - i),
      listed: listed.map((b) => `${b.file} (${b.candidates} candidates)`),
      newestLine: human.split('\n')[1]?.trim() ?? '',
    };
  } finally {
    await app.compute.close();
    app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run reliability suspend`: the figures of item 4 (stops of 60 s in the full run, 3 s in the short one). */
export async function suspendSection(add: (label: string, value: string | number) => void, full: boolean): Promise<void> {
  const stopMs = full ? 60_000 : 3000;
  const s = await stopAndContinue(stopMs);
  add(`suspend: training stopped (SIGSTOP) at epoch ${s.stoppedAtEpoch} for ${stopMs / 1000} s, then SIGCONT → outcome / same model as unstopped`, `${s.finished} / ${s.sameModel ? 'yes' : 'NO'}`);
  add('suspend: while stopped — shown running (alive) in samples / progress moved', `${s.samplesWhileStopped} / ${s.progressMovedWhileStopped ? 'YES' : 'no'}`);
  add('suspend: training wall time unstopped (incl. the process start) / stopped (incl. the stop) s / elapsed shown for it s', `${s.trainS.toFixed(1)} / ${(s.trainS + s.extraS).toFixed(1)} / ${s.elapsedShownS.toFixed(1)}`);
  const k = await killedWhileStopped(full ? 10_000 : 1000);
  add('suspend: compute process killed while stopped → job state / next training', `${k.finished} / ${k.nextJobOk ? 'ok' : 'FAILED'}`);
  add('suspend: killed while stopped — ms until the job left the running list / longest shown running while dead (ms)', `${k.endedAfterMs.toFixed(0)} / ${k.deadShownRunningMs.toFixed(0)}`);
  add('suspend: killed while stopped — models recorded / model folders left by the killed training', `${k.modelsRecorded} / ${k.partialModelFolders}`);
  add('suspend: killed while stopped — what the person saw', k.message);
  const c = await cancelWhileStopped(full ? 10_000 : 1000);
  add('suspend: Cancel while stopped — accepted / still listed running while stopped / outcome after SIGCONT (ms)', `${c.accepted ? 'yes' : 'no'} / ${c.runningWhileStopped ? 'yes' : 'no'} / ${c.finished} (${c.cancelledAfterContinueMs.toFixed(0)})`);
  const st = await stoppedAtStart(full ? 60_000 : 8000);
  add(`suspend: compute process stopped while starting (start timeout ${full ? 60 : 8} s) → code / stopped process ended / next start`, `${st.code} / ${st.stoppedProcessGone ? 'yes' : 'NO'} / ${st.nextJobOk ? 'ok' : 'FAILED'}`);
  add('suspend: stopped while starting — what the person saw', st.message);
  const clock = await backupClock(full ? 60 : 20);
  add(`clock: ${clock.steps} backups (1 in 5 manual, 7 rolling kept) with jumps: ${clock.jumps.length}`, clock.jumps.join('; '));
  add('clock: after each backup — listed in write order / rotation kept the newest 7 written / newest listed holds the latest data', `${clock.orderHeld} / ${clock.rotationHeld} / ${clock.newestHeld} of ${clock.steps}`);
  add('clock: start-up under a clock behind the newest backup deferred / the scheduled backup then taken', `${clock.startupDeferred} / ${clock.scheduledTaken}`);
  add('clock: the same with names from the wall clock alone (simulated, as before) — newest listed was the latest / a new backup rotated away at once', `${clock.naive.newestHeld} of ${clock.steps} / ${clock.naive.newestRemoved}`);
  if (clock.failures.length) add('clock: FAILURES', clock.failures.slice(0, 5).join('; '));
  const cli = await cliBackupClock();
  add(`clock: CLI runs under clocks now, -1 day, +10 min (${cli.runs} backups) listed in write order`, cli.orderHeld ? 'yes' : `NO: ${cli.listed.join(', ')}`);
  add('clock: CLI db backups, the newest line', cli.newestLine);
}
