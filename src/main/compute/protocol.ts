import type { BackendInfo } from '../ml/backend';
import type { TrainProgress } from '../ml/train';
import type { CommonFailureCode, JobFailure, JobHandler } from './job';
import type { jobHandlers } from './jobs';

/**
 * Messages between the app (host) and the long-lived compute process (worker). Every job
 * carries an id; the worker answers with progress events and exactly one of done / failed /
 * cancelled. The job, result and failure-code types come from the job table (jobs/index.ts):
 * type-only imports, so the host never loads a job's code.
 */

type Handlers = typeof jobHandlers;

/** The kinds of job the compute process runs. */
export type JobKind = keyof Handlers;

/** Every job message (a tagged union on `kind`). */
export type ComputeJob = { [K in JobKind]: Handlers[K] extends JobHandler<infer J, infer _R, infer _F> ? J : never }[JobKind];

/** The job message of one kind. */
export type JobOf<K extends JobKind> = Extract<ComputeJob, { kind: K }>;

/** What a job of kind K resolves to. */
export type ResultOf<K extends JobKind> = Handlers[K] extends JobHandler<infer _J, infer R, infer _F> ? R : never;

/** Every code a failed job can carry: the common ones and each job's own (e.g. `gp-failed`). */
export type JobFailureCode = CommonFailureCode | { [K in JobKind]: Handlers[K] extends JobHandler<infer _J, infer _R, infer F> ? F : never }[JobKind];

/** Progress of a job that is not training: which stage, how far. */
export interface StageProgress {
  kind: 'stage';
  stage: string;
  done: number;
  total: number;
}

/** From the host: run a job, cancel one (queued or running), or end the process. */
export type ComputeRequest =
  | { type: 'run'; jobId: string; job: ComputeJob }
  | { type: 'cancel'; jobId: string }
  | { type: 'shutdown' };

/** From the worker: ready (once, with its backend), then per job progress and exactly one outcome. */
export type ComputeEvent =
  | { type: 'ready'; backend: BackendInfo; pid: number }
  | { type: 'progress'; jobId: string; progress: TrainProgress | StageProgress }
  | { type: 'done'; jobId: string; result: ResultOf<JobKind> }
  | { type: 'failed'; jobId: string; error: JobFailure<JobFailureCode> }
  | { type: 'cancelled'; jobId: string };
