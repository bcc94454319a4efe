import { catalogLogDensities, kdeLogDensities, seededSubset } from '../../generate/job';
import type { JobHandler } from '../job';

/** Gaussian KDE log densities of whitened queries against whitened references. */
export interface KdeJob {
  kind: 'kde';
  /** Null: the references themselves, leave-one-out. */
  queries: Float32Array | null;
  references: Float32Array;
  dims: number;
  bandwidth: number;
}

export interface KdeResult {
  logDensity: Float32Array;
}

/** KDE on tensors (the backend is ready: the worker reports ready only after initialising it). */
export const kdeJob: JobHandler<KdeJob, KdeResult> = {
  kind: 'kde',
  async run(job, context) {
    const n = job.references.length / job.dims;
    const options = { isCancelled: () => context.isCancelled() };
    if (job.queries === null) return { logDensity: (await catalogLogDensities(job.references, n, job.dims, job.bandwidth, context.sharedWork, options)).density };
    // Scored against the same kernels as the catalog's own densities.
    const kernels = seededSubset(job.references, n, job.dims);
    return { logDensity: await kdeLogDensities(job.queries, job.queries.length / job.dims, kernels.values, kernels.count, job.dims, job.bandwidth, false, context.sharedWork, options) };
  },
};
