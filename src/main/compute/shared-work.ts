import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { fillStandardNormal } from '../../shared/ml/linalg';
import { seededRandom } from '../../shared/ml/random';
import {
  buildCatalogContext,
  decodeAndCheckRows,
  logSumExpRows,
  type CatalogContext,
  type CatalogContextSpec,
  type CheckThresholds,
  type CheckedCandidate,
  type DecoderSpec,
} from '../generate/kernels';
import { spawnEntryThread } from '../thread-entry';
import type { ListScorerSpec } from '../generate/list-scorer';

/**
 * Sharing the generate job's pure-JavaScript work between the compute process's main thread and
 * one helper thread, so both cores of a laptop work on a job.
 *
 * The main thread owns TensorFlow.js (the native backend must not load in a worker_thread inside
 * Electron; the helper never touches it). A job's work is cut into batches: the main thread
 * produces each batch's inputs with TensorFlow.js and posts a copy to the helper, which starts on
 * it at once; when the main thread has produced them all, it works through the remaining batches
 * from the end. Each batch is claimed exactly once through a flag in shared memory
 * (Atomics.compareExchange), so neither thread waits for the other except at the end.
 * With no helper (one core, or the helper failed to start) the main thread does everything: the
 * same code path with one participant.
 */

/** One batch of work, runnable on either thread. */
export type SharedTask =
  | { kind: 'lse'; block: Float32Array; rows: number; n: number; self: number | null }
  | {
      kind: 'decode-check';
      contextKey: string;
      decoder: DecoderSpec;
      thresholds: CheckThresholds;
      logits: Float32Array;
      positions: Float32Array;
      /** Per row; null: the benefits are predicted from the decoded lists (by the scorer, or afterwards). */
      benefits: (Record<string, number> | null)[];
      /** The list scorer that predicts each decoded list's benefits in the batch (see SharedWork.scorer); null: none. */
      scorerKey: string | null;
    };

export type SharedTaskResult = Float64Array | CheckedCandidate[];

/**
 * Standard normal draws to fill in shared memory, in blocks of `blockRows` rows, publishing the
 * rows done in `progress[0]` (Atomics) as it goes; `progress[1]` set to 1 asks it to stop.
 */
export interface NormalFill {
  seed: number;
  out: Float32Array;
  rowLength: number;
  blockRows: number;
  progress: Int32Array;
}

/** Messages to the helper thread (a tagged union, like the compute protocol). */
export type HelperRequest =
  | { type: 'context'; key: string; spec: CatalogContextSpec }
  | { type: 'scorer'; key: string; spec: ListScorerSpec }
  | { type: 'normals'; fill: NormalFill }
  | { type: 'task'; job: number; batch: number; flags: Int32Array; task: SharedTask };

/** Messages from the helper thread. */
export type HelperReply =
  | { type: 'ready' }
  | { type: 'done'; job: number; batch: number; result: SharedTaskResult; ms: number }
  | { type: 'skipped'; job: number; batch: number }
  | { type: 'failed'; job: number; batch: number; message: string };

/** Catalog contexts and list scorers by key; one of each is enough (jobs run on one catalog and model at a time). */
export class ContextCache {
  private entry: { key: string; context: CatalogContext } | null = null;
  private scorerEntry: { key: string; spec: ListScorerSpec } | null = null;

  get(key: string): CatalogContext | undefined {
    return this.entry?.key === key ? this.entry.context : undefined;
  }

  set(key: string, context: CatalogContext): void {
    this.entry = { key, context };
  }

  scorer(key: string): ListScorerSpec | undefined {
    return this.scorerEntry?.key === key ? this.scorerEntry.spec : undefined;
  }

  setScorer(key: string, spec: ListScorerSpec): void {
    this.scorerEntry = { key, spec };
  }
}

/** Runs one batch (on whichever thread claimed it). */
export function runSharedTask(task: SharedTask, contexts: ContextCache): SharedTaskResult {
  if (task.kind === 'lse') return logSumExpRows(task.block, task.rows, task.n, task.self);
  const context = contexts.get(task.contextKey);
  if (!context) throw new Error(`no catalog context ${task.contextKey} on this thread`);
  const scorer = task.scorerKey === null ? null : (contexts.scorer(task.scorerKey) ?? null);
  if (task.scorerKey !== null && !scorer) throw new Error(`no list scorer ${task.scorerKey} on this thread`);
  return decodeAndCheckRows(context, task.decoder, task.thresholds, task.logits, task.positions, task.benefits, scorer);
}

/**
 * Fills `fill.out` block by block from `seededRandom(fill.seed)` (the same stream as one
 * `fillStandardNormal` over the whole array, as blocks hold an even count of numbers), publishing
 * progress after each block.
 */
export function fillNormals(fill: NormalFill): void {
  const uniform = seededRandom(fill.seed);
  const rows = fill.out.length / fill.rowLength;
  for (let start = 0; start < rows; start += fill.blockRows) {
    if (Atomics.load(fill.progress, 1) !== 0) return;
    const end = Math.min(rows, start + fill.blockRows);
    fillStandardNormal(fill.out.subarray(start * fill.rowLength, end * fill.rowLength), uniform);
    Atomics.store(fill.progress, 0, end);
    Atomics.notify(fill.progress, 0);
  }
}

/** Rows of standard normal draws that arrive over time (see `SharedWork.normals`). */
export interface NormalStream {
  values: Float32Array;
  /** Blocks until rows [0, rows) are filled; returns the time waited (ms). */
  waitFor(rows: number): number;
  /** Stops the filling (a cancelled job). */
  stop(): void;
}

/** How a map went: wall time, and the batches and busy time of each participant. */
export interface ShareReport {
  batches: number;
  helperBatches: number;
  mainMs: number;
  helperMs: number;
}

export class SharedWorkCancelled extends Error {}

/** Starts the helper thread: the built file next to the compute worker, or the source under tsx. */
export function spawnHelperThread(): Worker {
  return spawnEntryThread(import.meta.url, { dir: '.', file: 'helper-thread.ts' }, 'compute-helper.js');
}

interface OpenMap {
  expected: number;
  received: number;
  results: (SharedTaskResult | undefined)[];
  helperMs: number;
  helperBatches: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The main thread's side. A helper thread is used when the machine has a second core. If it
 * dies, the job in progress finishes on the main thread; if it cannot start (or dies twice), the
 * main thread works alone from then on, with the reason in `helperProblem`.
 */
export class SharedWork {
  private helper: Worker | null = null;
  private readonly sentContexts = new Set<string>();
  private sentScorer: string | null = null;
  private readonly contexts = new ContextCache();
  private readonly open = new Map<number, OpenMap>();
  private nextJob = 1;
  private started: Promise<void> = Promise.resolve();
  /** Why the last helper was lost or could not start (null when all is well). */
  helperProblem: string | null = null;
  private spawnFailed = false;
  private losses = 0;

  constructor(
    private readonly spawn: (() => Worker) | null = availableParallelism() > 1 ? spawnHelperThread : null,
  ) {}

  /**
   * Starts the helper (if wanted) and resolves once it has loaded, so the first job does not pay
   * for its start-up; resolves at once when there is no helper, and never rejects.
   */
  ready(): Promise<void> {
    this.ensureHelper();
    return this.started;
  }

  /** Whether a helper thread takes part. */
  get participants(): number {
    return this.ensureHelper() ? 2 : 1;
  }

  /**
   * The catalog context on this thread (built once per catalog), also sent to the helper with the
   * catalog's own statistics, which the helper then skips. When the spec already carries them (a
   * cached job, generate-cache.ts) it goes to the helper first, so both threads build at once.
   */
  context(key: string, spec: () => CatalogContextSpec): CatalogContext {
    let context = this.contexts.get(key);
    const built = context ? null : spec();
    const helper = this.ensureHelper();
    const send = (withKnown: CatalogContextSpec) => {
      this.sentContexts.clear();
      helper!.postMessage({ type: 'context', key, spec: withKnown } satisfies HelperRequest);
      this.sentContexts.add(key);
    };
    if (helper && !this.sentContexts.has(key) && built?.known) send(built);
    if (!context) {
      context = buildCatalogContext(built!);
      this.contexts.set(key, context);
    }
    if (helper && !this.sentContexts.has(key)) {
      const known = { catalogMedianPlausibility: context.catalogMedianPlausibility, catalogStructureShare: context.catalogStructureShare };
      send({ ...(built ?? spec()), known });
    }
    return context;
  }

  /** The list scorer on this thread (built once per model), also sent to the helper. */
  scorer(key: string, build: () => ListScorerSpec): void {
    let spec = this.contexts.scorer(key);
    if (!spec) {
      spec = build();
      this.contexts.setScorer(key, spec);
    }
    const helper = this.ensureHelper();
    if (helper && this.sentScorer !== key) {
      helper.postMessage({ type: 'scorer', key, spec } satisfies HelperRequest);
      this.sentScorer = key;
    }
  }

  /**
   * Produces `count` batches in order on this thread and runs them on both threads; results
   * come back in batch order. `produce` may use TensorFlow.js; the tasks it returns may not.
   */
  async map(count: number, produce: (batch: number) => SharedTask, isCancelled: () => boolean): Promise<{ results: SharedTaskResult[]; report: ShareReport }> {
    const helper = this.ensureHelper();
    const flags = new Int32Array(new SharedArrayBuffer(4 * (count + 1))); // last: cancelled
    const job = this.nextJob++;
    const tasks: SharedTask[] = [];
    const state: OpenMap = { expected: 0, received: 0, results: new Array(count), helperMs: 0, helperBatches: 0, resolve: () => {}, reject: () => {} };
    const finished = new Promise<void>((resolve, reject) => {
      state.resolve = resolve;
      state.reject = reject;
    });
    finished.catch(() => {}); // observed below; never an unhandled rejection meanwhile
    this.open.set(job, state);
    let mainMs = 0;
    try {
      for (let b = 0; b < count; b++) {
        if (isCancelled()) throw new SharedWorkCancelled();
        const task = produce(b);
        tasks.push(task);
        if (helper && this.helper === helper) {
          helper.postMessage({ type: 'task', job, batch: b, flags, task } satisfies HelperRequest);
          state.expected++;
        }
      }
      for (let b = count - 1; b >= 0; b--) {
        if (isCancelled()) throw new SharedWorkCancelled();
        if (Atomics.compareExchange(flags, b, 0, 1) !== 0) continue;
        const started = performance.now();
        state.results[b] = runSharedTask(tasks[b]!, this.contexts);
        mainMs += performance.now() - started;
      }
      if (state.received < state.expected) await finished;
      // A helper lost mid-job leaves its batches without results: do them here.
      for (let b = 0; b < count; b++) {
        if (state.results[b] !== undefined) continue;
        if (isCancelled()) throw new SharedWorkCancelled();
        const started = performance.now();
        state.results[b] = runSharedTask(tasks[b]!, this.contexts);
        mainMs += performance.now() - started;
      }
      return {
        results: state.results as SharedTaskResult[],
        report: { batches: count, helperBatches: state.helperBatches, mainMs: Math.round(mainMs), helperMs: Math.round(state.helperMs) },
      };
    } catch (error) {
      Atomics.store(flags, count, 1); // the helper skips whatever it has not started
      throw error;
    } finally {
      this.open.delete(job);
    }
  }

  /**
   * `rows × rowLength` standard normal draws from `seed`, drawn by the helper thread while this
   * thread works on the first rows (or drawn here at once, with no helper). Identical either way.
   */
  normals(seed: number, rows: number, rowLength: number, blockRows: number): NormalStream {
    const values = new Float32Array(new SharedArrayBuffer(4 * rows * rowLength));
    const progress = new Int32Array(new SharedArrayBuffer(8));
    const fill: NormalFill = { seed, out: values, rowLength, blockRows: blockRows % 2 && rowLength % 2 ? blockRows + 1 : blockRows, progress };
    const helper = this.ensureHelper();
    if (!helper) {
      fillNormals(fill);
      return { values, waitFor: () => 0, stop: () => {} };
    }
    helper.postMessage({ type: 'normals', fill } satisfies HelperRequest);
    let drawnHere = false;
    return {
      values,
      waitFor: (needed) => {
        const started = performance.now();
        while (!drawnHere) {
          const done = Atomics.load(progress, 0);
          if (done >= Math.min(needed, rows)) break;
          // A helper lost (or stalled for 2 s) leaves the rest to this thread: draw the whole
          // stream again here (cheap next to a job) and keep what the helper had not written.
          if (this.helper !== helper || performance.now() - started > 2000) {
            Atomics.store(progress, 1, 1);
            const local = new Float32Array(values.length);
            fillStandardNormal(local, seededRandom(seed));
            values.set(local.subarray(done * rowLength), done * rowLength);
            drawnHere = true;
          }
          Atomics.wait(progress, 0, done, 50);
        }
        return performance.now() - started;
      },
      stop: () => Atomics.store(progress, 1, 1),
    };
  }

  /** Ends the helper thread. */
  async close(): Promise<void> {
    const helper = this.helper;
    this.helper = null;
    if (helper) await helper.terminate();
  }

  private ensureHelper(): Worker | null {
    if (this.helper || !this.spawn || this.spawnFailed) return this.helper;
    try {
      const helper = this.spawn();
      helper.unref();
      this.started = new Promise<void>((resolve) => {
        helper.on('message', (reply: HelperReply) => (reply.type === 'ready' ? resolve() : this.onReply(reply)));
        helper.once('exit', () => resolve());
      });
      helper.on('error', (error) => this.lose(helper, `the helper thread failed: ${error.message}`));
      helper.on('exit', (code) => this.lose(helper, `the helper thread exited (code ${code})`));
      this.helper = helper;
      this.sentContexts.clear();
      this.sentScorer = null;
    } catch (error) {
      this.spawnFailed = true;
      this.helperProblem = `no helper thread: ${(error as Error).message}`;
    }
    return this.helper;
  }

  private onReply(reply: Exclude<HelperReply, { type: 'ready' }>): void {
    const state = this.open.get(reply.job);
    if (!state) return;
    state.received++;
    if (reply.type === 'failed') state.reject(new Error(`batch ${reply.batch} failed in the helper thread: ${reply.message}`));
    if (reply.type === 'done') {
      state.results[reply.batch] = reply.result;
      state.helperMs += reply.ms;
      state.helperBatches++;
    }
    if (state.received === state.expected) state.resolve();
  }

  /**
   * A helper that dies: the open jobs stop waiting for it and redo its batches on this thread.
   * It is started again for the next job, up to twice; then the main thread works alone.
   */
  private lose(helper: Worker, problem: string): void {
    if (this.helper !== helper) return;
    this.helper = null;
    this.helperProblem = problem;
    if (++this.losses >= 2) this.spawnFailed = true;
    for (const state of this.open.values()) state.resolve();
  }
}
