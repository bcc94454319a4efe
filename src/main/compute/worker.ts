import { initBackend } from '../ml/backend';
import type { TrainProgress } from '../ml/train';
import { JobCancelled, isCancellation } from './cancellation';
import { describeFailure, type JobContext, type JobHandler } from './job';
import { jobHandlers } from './jobs';
import { ModelCache } from './model-cache';
import type { ComputeEvent, ComputeJob, ComputeRequest, JobFailureCode, JobKind, ResultOf } from './protocol';
import { SharedWork } from './shared-work';

/**
 * The compute process: owns TensorFlow.js (native tfjs-node must never load in a worker_thread
 * inside Electron), runs one job at a time, and talks to the app only through messages.
 * Runs as an Electron utilityProcess (process.parentPort) or a Node child process (process.send).
 * Each job's work is its handler in the job table (jobs/index.ts).
 */

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function post(event: ComputeEvent): void {
  if (parentPort) parentPort.postMessage(event);
  else process.send?.(event);
}

/** A registry entry as the worker calls it: the job passed is always the one its kind names. */
type RegisteredHandler = JobHandler<ComputeJob, ResultOf<JobKind>, JobFailureCode>;

const cancelled = new Set<string>();
const models = new ModelCache();
/** The helper thread that shares the JavaScript work of the generate job and the KDE. */
const sharedWork = new SharedWork();
let queue: Promise<void> = Promise.resolve();

async function handle(message: ComputeRequest): Promise<void> {
  if (message.type === 'cancel') {
    cancelled.add(message.jobId);
    return;
  }
  if (message.type === 'shutdown') {
    models.disposeAll();
    process.exit(0);
  }
  if (message.type === 'run') {
    // One job at a time; a cancel for a queued job is honoured when it starts.
    queue = queue.then(() => runJob(message.jobId, message.job));
  }
}

/** What a handler gets for one job: its cancel flag and progress events, and the process's caches. */
function jobContext(jobId: string, kind: JobKind): JobContext {
  const isCancelled = () => cancelled.has(jobId);
  return {
    jobId,
    isCancelled,
    throwIfCancelled: () => {
      if (isCancelled()) throw new JobCancelled(kind);
    },
    reportTraining: (progress: TrainProgress) => post({ type: 'progress', jobId, progress }),
    reportStage: (stage, done, total) => post({ type: 'progress', jobId, progress: { kind: 'stage', stage, done, total } }),
    models,
    sharedWork,
  };
}

async function runJob(jobId: string, job: ComputeJob): Promise<void> {
  const handler: RegisteredHandler | undefined = jobHandlers[job.kind];
  try {
    const context = jobContext(jobId, job.kind);
    context.throwIfCancelled();
    if (!handler) throw new Error(`the compute process has no job "${job.kind}"; update the app`);
    const result = await handler.run(job, context);
    post({ type: 'done', jobId, result });
  } catch (error) {
    if (isCancellation(error)) post({ type: 'cancelled', jobId });
    else post({ type: 'failed', jobId, error: describeFailure(error, job.kind, handler) });
  } finally {
    cancelled.delete(jobId);
  }
}

function onMessage(data: unknown): void {
  void handle(data as ComputeRequest).catch((error: unknown) => {
    process.stderr.write(`compute process: ${String(error)}\n`);
  });
}

if (parentPort) parentPort.on('message', (e) => onMessage(e.data));
else {
  process.on('message', onMessage);
  // The app died without saying goodbye (kill -9, a crash): nothing is left to answer to, so
  // stop rather than compute on as an orphan. (Electron ends utility processes with the app.)
  process.on('disconnect', () => process.exit(0));
}

// The helper thread loads alongside the backend, so the first job already shares its work.
void Promise.all([initBackend(), sharedWork.ready()]).then(
  ([backend]) => post({ type: 'ready', backend: { ...backend, threads: sharedWork.participants, helperProblem: sharedWork.helperProblem }, pid: process.pid }),
  (error: unknown) => {
    process.stderr.write(`compute process: no TensorFlow.js backend: ${String(error)}\n`);
    process.exit(1);
  },
);
