import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { SharedWork, SharedWorkCancelled, type SharedTask } from '../../../src/main/compute/shared-work';
import { fillStandardNormal } from '../../../src/shared/ml/linalg';
import { seededRandom } from '../../../src/shared/ml/random';

/** A log-sum-exp batch whose answer is known: every row is [0, 0, 0, 0] → log 4, plus the batch number. */
function batch(b: number): SharedTask {
  return { kind: 'lse', block: new Float32Array(4 * 50).fill(b), rows: 50, n: 4, self: null };
}

/** Keeps the main thread busy, as the decoder does while the helper works. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const work = new SharedWork();
afterAll(async () => {
  await work.close();
});

describe('SharedWork', () => {
  it('returns every batch in order, with both threads taking part', async () => {
    await work.ready();
    const { results, report } = await work.map(
      12,
      (b) => {
        busy(15);
        return batch(b);
      },
      () => false,
    );
    results.forEach((r, b) => expect((r as Float64Array)[7]).toBeCloseTo(b + Math.log(4), 6));
    expect(report.batches).toBe(12);
    // The helper starts on each batch as soon as it is posted (15 ms before the next one); how
    // many the compute thread takes back from the end depends on scheduling.
    expect(report.helperBatches).toBeGreaterThan(0);
    expect(work.participants).toBe(2);
  });

  it('stops a cancelled job before producing more batches', async () => {
    let produced = 0;
    await expect(
      work.map(
        10,
        (b) => {
          produced++;
          return batch(b);
        },
        () => produced >= 3,
      ),
    ).rejects.toBeInstanceOf(SharedWorkCancelled);
    expect(produced).toBe(3);
    // The next job is unaffected.
    const { results } = await work.map(2, batch, () => false);
    expect(results).toHaveLength(2);
  });

  it('finishes the job on the main thread when the helper dies, then gives up on a helper that keeps dying', async () => {
    // A "helper" that claims nothing and exits at once.
    let spawned = 0;
    const dying = new SharedWork(() => {
      spawned++;
      return new Worker('process.exit(3)', { eval: true });
    });
    for (let round = 0; round < 3; round++) {
      const { results, report } = await dying.map(
        5,
        (b) => {
          busy(10);
          return batch(b);
        },
        () => false,
      );
      results.forEach((r, b) => expect((r as Float64Array)[0]).toBeCloseTo(b + Math.log(4), 6));
      expect(report.helperBatches).toBe(0);
    }
    expect(spawned).toBe(2);
    expect(dying.helperProblem).toMatch(/exited \(code 3\)/);
    expect(dying.participants).toBe(1);
  });

  it('works alone when no helper is wanted', async () => {
    const alone = new SharedWork(null);
    const { report } = await alone.map(3, batch, () => false);
    expect(report).toMatchObject({ batches: 3, helperBatches: 0 });
    expect(alone.participants).toBe(1);
  });

  it('draws the same normals in the helper as in one pass here, and falls back when the helper is gone', async () => {
    await work.ready();
    const expected = new Float32Array(5000 * 6);
    fillStandardNormal(expected, seededRandom(17));
    const stream = work.normals(17, 5000, 6, 1000);
    stream.waitFor(1000);
    stream.waitFor(5000);
    expect(Array.from(stream.values)).toEqual(Array.from(expected));
    const alone = new SharedWork(null).normals(17, 5000, 6, 1000);
    expect(alone.waitFor(5000)).toBe(0);
    expect(Array.from(alone.values)).toEqual(Array.from(expected));
    // A helper that never draws (it exits at once): the rows are drawn here instead, the same.
    const dying = new SharedWork(() => new Worker('process.exit(0)', { eval: true }));
    const orphan = dying.normals(17, 5000, 6, 1000);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the exit be noticed
    orphan.waitFor(5000);
    expect(Array.from(orphan.values)).toEqual(Array.from(expected));
  });
});
