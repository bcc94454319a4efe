import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendInfo } from '../ml/backend';
import type { TrainProgress } from '../ml/train';
import type { ComputeEvent, ComputeRequest, JobFailureCode, JobKind, JobOf, ResultOf, StageProgress } from './protocol';

/**
 * The app's side of the compute process: starts it, runs jobs on it with progress and
 * cancellation, and notices when it dies (every pending job then fails with a message, and the
 * next job starts a fresh process). The main thread never runs model code.
 */

/** A two-way message pipe to a compute process (Node child process or Electron utilityProcess). */
export interface ComputeChannel {
  send(message: ComputeRequest): void;
  onMessage(listener: (event: ComputeEvent) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  /** The end of what the process wrote to stderr, when the channel can see it (to explain a crash). */
  stderrTail?(): string;
}

export type ChannelFactory = () => ComputeChannel;

/**
 * Why a job did not complete: the process crashed or could not start, the job was cancelled, or
 * the job failed with one of the codes its handler can report (JobFailureCode, from the job table).
 */
export type ComputeErrorCode = 'compute-crashed' | 'cancelled' | 'start-failed' | JobFailureCode;

/** A job that did not complete, with its code (see ComputeErrorCode) and a message for the user. */
export class ComputeError extends Error {
  constructor(
    readonly code: ComputeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ComputeError';
  }
}

/** The worker entry next to this module (sources under tsx) or in the built `out/main`. */
export function resolveWorkerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) return join(dirname(here), 'worker.ts');
  let dir = dirname(here);
  for (let i = 0; i < 3; i++) {
    const candidate = join(dir, 'compute-worker.js');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new ComputeError('start-failed', 'cannot find the compute worker (compute-worker.js); rebuild the app');
}

export interface ChildOptions {
  /** V8 heap limit of the compute process (--max-old-space-size), in MiB; Node's default if unset. */
  maxOldSpaceMb?: number;
}

/** A Node child process running the worker (CLI, web preview, tests). */
export function nodeChildChannel(entry: string = resolveWorkerEntry(), options: ChildOptions = {}): ComputeChannel {
  const execArgv = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  if (options.maxOldSpaceMb) execArgv.push(`--max-old-space-size=${options.maxOldSpaceMb}`);
  const child = fork(entry, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  return {
    stderrTail: keepStderrTail(child.stderr),
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (m) => listener(m as ComputeEvent)),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
    kill: () => child.kill('SIGKILL'),
  };
}

/**
 * Passes a compute process's stderr on to this process's, keeping its last few KiB to explain a
 * crash (out of memory, say); returns the reader of that tail (ComputeChannel.stderrTail).
 */
export function keepStderrTail(stderr: NodeJS.ReadableStream | null | undefined): () => string {
  let tail = '';
  stderr?.on('data', (d: Buffer) => {
    process.stderr.write(d);
    tail = (tail + d.toString()).slice(-4096);
  });
  return () => tail;
}

/** Says why the compute process died, as far as its exit and its last words tell. */
export function crashMessage(code: number | null, signal: string | null, stderrTail: string): string {
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  const outOfMemory = /heap out of memory|Allocation failed|Out of memory|OOM/i.test(stderrTail);
  const what = outOfMemory
    ? `the compute process ran out of memory (${how}); try a smaller job (fewer samples, a smaller catalog or the quick preset) or close other programs`
    : `the compute process stopped unexpectedly (${how})`;
  return `${what}; the job was not completed and nothing was saved. Run it again; a new compute process will start.`;
}

interface PendingJob {
  /** The process the job was sent to: only its death fails the job (an older process's exit, reported late, does not). */
  channel: ComputeChannel;
  resolve: (value: ResultOf<JobKind>) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: TrainProgress) => void;
  onStage?: (progress: StageProgress) => void;
}

export interface RunOptions {
  onProgress?: (progress: TrainProgress) => void;
  /** Progress of non-training jobs (stage, done, total). */
  onStage?: (progress: StageProgress) => void;
  signal?: AbortSignal;
}

export class ComputeHost {
  private channel: ComputeChannel | null = null;
  private started: Promise<BackendInfo> | null = null;
  private readonly pending = new Map<string, PendingJob>();
  /** Set by `run` for tests and the benchmark: ms from a cancel request to its acknowledgement. */
  lastCancelAckMs: number | null = null;

  constructor(
    private readonly factory: ChannelFactory = () => nodeChildChannel(),
    private readonly startTimeoutMs = 60_000,
  ) {}

  /** Starts the process if needed; resolves with the backend it chose. */
  start(): Promise<BackendInfo> {
    if (this.started) return this.started;
    this.started = new Promise<BackendInfo>((resolve, reject) => {
      let channel: ComputeChannel;
      try {
        channel = this.factory();
      } catch (error) {
        reject(new ComputeError('start-failed', `the compute process could not start: ${(error as Error).message}`));
        return;
      }
      this.channel = channel;
      const timer = setTimeout(() => {
        reject(
          new ComputeError(
            'start-failed',
            `the compute process did not report ready within ${this.startTimeoutMs / 1000} s (the computer may have been asleep or very busy); the job was not run and nothing was saved. Run it again; a new compute process will start.`,
          ),
        );
        channel.kill();
      }, this.startTimeoutMs);
      channel.onMessage((event) => {
        if (event.type === 'ready') {
          clearTimeout(timer);
          resolve(event.backend);
          return;
        }
        this.dispatch(event);
      });
      channel.onExit((code, signal) => {
        clearTimeout(timer);
        if (this.channel === channel) {
          this.channel = null;
          this.started = null;
        }
        const message = crashMessage(code, signal, channel.stderrTail?.() ?? '');
        reject(new ComputeError('start-failed', message));
        for (const [id, job] of this.pending) {
          if (job.channel !== channel) continue;
          job.reject(new ComputeError('compute-crashed', message));
          this.pending.delete(id);
        }
      });
    });
    this.started.catch(() => {
      this.started = null;
    });
    return this.started;
  }

  /**
   * Runs one job; resolves with the result its kind's handler returns, rejects with a ComputeError
   * (`cancelled` once the worker acknowledges a cancel).
   */
  async run<K extends JobKind>(job: JobOf<K>, options: RunOptions = {}): Promise<ResultOf<K>> {
    await this.start();
    const jobId = randomUUID();
    const channel = this.channel!;
    return new Promise<ResultOf<K>>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new ComputeError('cancelled', 'cancelled before it started'));
        return;
      }
      let cancelRequestedAt = 0;
      const onAbort = () => {
        cancelRequestedAt = performance.now();
        channel.send({ type: 'cancel', jobId });
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(jobId, {
        channel,
        resolve: (value) => {
          options.signal?.removeEventListener('abort', onAbort);
          // The worker answers a job id with the result of the handler its kind names.
          resolve(value as ResultOf<K>);
        },
        reject: (error) => {
          options.signal?.removeEventListener('abort', onAbort);
          if (error instanceof ComputeError && error.code === 'cancelled' && cancelRequestedAt) {
            this.lastCancelAckMs = performance.now() - cancelRequestedAt;
          }
          reject(error);
        },
        onProgress: options.onProgress,
        onStage: options.onStage,
      });
      channel.send({ type: 'run', jobId, job });
    });
  }

  private dispatch(event: ComputeEvent): void {
    if (event.type === 'ready') return;
    const job = this.pending.get(event.jobId);
    if (!job) return;
    if (event.type === 'progress') {
      if ('kind' in event.progress) job.onStage?.(event.progress);
      else job.onProgress?.(event.progress);
      return;
    }
    this.pending.delete(event.jobId);
    if (event.type === 'done') job.resolve(event.result);
    else if (event.type === 'cancelled') job.reject(new ComputeError('cancelled', 'the job was cancelled; nothing was saved'));
    else job.reject(new ComputeError(event.error.code, event.error.message));
  }

  /** Stops the process (pending jobs fail). */
  async close(): Promise<void> {
    const channel = this.channel;
    if (!channel) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        channel.kill();
        resolve();
      }, 2000);
      channel.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      channel.send({ type: 'shutdown' });
    });
  }

  /** Kills the process at once (used when a job must be abandoned). */
  kill(): void {
    this.channel?.kill();
  }
}
