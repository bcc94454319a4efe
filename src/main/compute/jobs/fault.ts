import type { JobHandler } from '../job';

/** For tests of crash handling: the worker throws, aborts or runs out of memory on purpose. */
export interface FaultJob {
  kind: 'fault';
  /** `abort` ends the process with SIGABRT; `oom` allocates until V8's heap limit kills it. */
  fault: 'throw' | 'exit' | 'hang' | 'abort' | 'oom';
}

/** What the `oom` fault holds on to, so the collector cannot free it. */
const hoard: unknown[][] = [];

/** Never returns: each fault ends the job (or the process) the way its name says. */
export const faultJob: JobHandler<FaultJob, never> = {
  kind: 'fault',
  run(job) {
    if (job.fault === 'exit') process.exit(70);
    if (job.fault === 'abort') process.abort();
    if (job.fault === 'oom') {
      for (;;) hoard.push(new Array<unknown>(1 << 20).fill({}));
    }
    if (job.fault === 'hang') {
      const until = Date.now() + 60_000;
      while (Date.now() < until) {
        // Busy loop on purpose: the host must cope with a worker that stops answering.
      }
    }
    throw new Error('injected fault');
  },
};
