import { describe, expect, it } from 'vitest';
import type { RunOptions } from '../../../src/main/compute/host';
import { ActivityTracker } from '../../../src/main/services/activity';

/** A stand-in for a compute job: reports stages until done, or rejects when its signal fires. */
function job(steps: number, hooks: RunOptions, onStep: (i: number) => void = () => {}): Promise<string> {
  return new Promise((resolve, reject) => {
    let i = 0;
    const tick = () => {
      if (hooks.signal?.aborted) return reject(Object.assign(new Error('the job was cancelled'), { code: 'cancelled' }));
      if (i === steps) return resolve('finished');
      hooks.onStage?.({ kind: 'stage', stage: 'decode', done: ++i, total: steps });
      onStep(i);
      setTimeout(tick, 1);
    };
    tick();
  });
}

describe('ActivityTracker', () => {
  it('shows a running job with its stage and progress, then keeps it among the finished', async () => {
    const tracker = new ActivityTracker();
    const seen: number[] = [];
    const result = await tracker.run('generate', 'Generating', {}, (hooks) =>
      job(3, hooks, () => {
        const [running] = tracker.state().running;
        seen.push(running!.done);
        expect(running).toMatchObject({ kind: 'generate', label: 'Generating', stage: 'decode', total: 3, state: 'running' });
      }),
    );
    expect(result).toBe('finished');
    expect(seen).toEqual([1, 2, 3]);
    expect(tracker.state().running).toEqual([]);
    expect(tracker.state().finished[0]).toMatchObject({ kind: 'generate', state: 'done', message: null });
  });

  it('cancels a running job by id, and says false for one that is not running', async () => {
    const tracker = new ActivityTracker();
    const run = tracker.run('train', 'Training', {}, (hooks) => job(1000, hooks));
    const id = tracker.state().running[0]!.id;
    expect(tracker.cancel(id)).toBe(true);
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(tracker.state().finished[0]).toMatchObject({ id, state: 'cancelled', message: 'the job was cancelled' });
    expect(tracker.cancel(id)).toBe(false);
    expect(tracker.cancel(999)).toBe(false);
  });

  it("also stops when the caller's own signal fires, and records training losses per epoch", async () => {
    const tracker = new ActivityTracker();
    const caller = new AbortController();
    const losses = { total: 2, reconstruction: 1, position: 0.5, kl: 0.3, benefit: 0.2 };
    const run = tracker.run('train', 'Training', { signal: caller.signal }, (hooks) => {
      hooks.onProgress?.({ epoch: 1, maxEpochs: 10, beta: 1, train: losses, validation: { ...losses, total: 2.5 }, bestEpoch: 1, elapsedMs: 5, etaMs: 50 });
      expect(tracker.state().running[0]!.losses).toEqual([{ epoch: 1, train: 2, validation: 2.5 }]);
      return job(1000, hooks);
    });
    caller.abort();
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('measures elapsed time on the monotonic clock: a wall clock set back an hour mid-job never makes it negative', async () => {
    const tracker = new ActivityTracker();
    const realNow = Date.now;
    let jumped = false;
    try {
      const run = tracker.run('generate', 'Generating', {}, (hooks) =>
        job(5, hooks, (i) => {
          if (i === 2) {
            const shifted = realNow() - 3600_000;
            Date.now = () => shifted;
            jumped = true;
          }
          expect(tracker.state().running[0]!.elapsedMs).toBeGreaterThanOrEqual(0);
        }),
      );
      await run;
    } finally {
      Date.now = realNow;
    }
    expect(jumped).toBe(true);
    const done = tracker.state().finished[0]!;
    expect(done.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(done.elapsedMs).toBeLessThan(60_000);
  });
});
