import { GenerationCancelled } from '../generate/job';
import { TrainingCancelled } from '../ml/train';

/**
 * How a job in the compute process stops on a cancel request. Any job may be cancelled (a queued
 * one before it starts), so the error names the job, not training; the host turns every kind of
 * cancellation into the same ComputeError('cancelled').
 */
export class JobCancelled extends Error {
  constructor(readonly kind: string) {
    super(`the ${kind} job was cancelled; nothing was saved`);
    this.name = 'JobCancelled';
  }
}

/**
 * Whether an error ends a job as cancelled rather than failed: the compute process's own
 * JobCancelled, or the errors the training loop and the generate job throw from inside (they
 * also run without the compute process, in tests and benchmarks, so they keep their own).
 */
export function isCancellation(error: unknown): boolean {
  return error instanceof JobCancelled || error instanceof TrainingCancelled || error instanceof GenerationCancelled;
}
