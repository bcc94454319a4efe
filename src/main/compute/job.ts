import { ModelFileError } from '../ml/store';
import type { TrainProgress } from '../ml/train';
import { storageFailure, type StorageFailure } from '../storage-errors';
import type { ModelCache } from './model-cache';
import type { SharedWork } from './shared-work';

/**
 * What a job of the compute process is: one handler per kind (src/main/compute/jobs/<kind>.ts),
 * listed in one registry (jobs/index.ts), like TensorFlow.js's kernel configs. The job and result
 * types the host sees are derived from the registry (protocol.ts), so a new job is one file and
 * one line.
 */

/** What a handler may use while it runs: its cancel flag, progress, and the process's caches. */
export interface JobContext {
  readonly jobId: string;
  /** Whether the app asked to cancel this job (checked inside long loops). */
  isCancelled(): boolean;
  /** Throws JobCancelled if the app asked to cancel this job (called between stages). */
  throwIfCancelled(): void;
  /** Posts training progress (one event per epoch). */
  reportTraining(progress: TrainProgress): void;
  /** Posts how far a stage of a job that is not training has come. */
  reportStage(stage: string, done: number, total: number): void;
  /** The saved models loaded so far (kept while the process lives). */
  readonly models: ModelCache;
  /** The helper thread that shares the JavaScript work of the generate job and the KDE. */
  readonly sharedWork: SharedWork;
}

/** The failure codes any job may report: a model file that fails its checks, a full or broken disk, anything else. */
export type CommonFailureCode = 'compute-failed' | 'model-file' | StorageFailure['code'];

/**
 * One kind of job: its handler and, when it has them, its own failure codes. `J` is the job
 * message, `R` what the handler returns (the host's result type), `F` the codes of `failureCode`.
 */
export interface JobHandler<J extends { kind: string }, R, F extends string = never> {
  readonly kind: J['kind'];
  /** What a storage failure's message says was being done (default: `the <kind> job`). */
  readonly storageAction?: string;
  // Method syntax on purpose: the worker calls handlers through the registry's common type.
  run(job: J, context: JobContext): Promise<R> | R;
  /** The job's own failure codes for the errors it knows (null: the common codes apply). */
  failureCode?(error: unknown): F | null;
}

/** A failed job's code and message, as the worker reports it. */
export interface JobFailure<F extends string = string> {
  code: F | CommonFailureCode;
  message: string;
}

/**
 * Names the failure of a job: a model file that fails its checks, then the job's own codes, then
 * a storage failure (with a message saying what to do), else `compute-failed` with the error's
 * own message.
 */
export function describeFailure<F extends string>(error: unknown, kind: string, handler: JobHandler<{ kind: string }, unknown, F> | undefined): JobFailure<F> {
  const storage = storageFailure(error, handler?.storageAction ?? `the ${kind} job`);
  const code = error instanceof ModelFileError ? 'model-file' : (handler?.failureCode?.(error) ?? storage?.code ?? 'compute-failed');
  return { code, message: storage?.message ?? (error as Error | null)?.message ?? String(error) };
}
