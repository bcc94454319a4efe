import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeError, ComputeHost, crashMessage, nodeChildChannel } from '../../../src/main/compute/host';
import type { ComputeEvent } from '../../../src/main/compute/protocol';
import type { BackendInfo } from '../../../src/main/ml/backend';
import { presetConfig } from '../../../src/main/ml/config';
import type { TrainProgress } from '../../../src/main/ml/train';
import { tempDir } from '../../helpers';
import { syntheticTrainingData } from '../ml/fixtures';

/** The real compute process (a Node child running the worker), driven through its protocol. */
let dir: string;
let cleanup: () => void;
const host = new ComputeHost();
const config = presetConfig('quick', { hidden: 32, latentDim: 8, headHidden: 8, maxEpochs: 6, batchSize: 16, seed: 2 });

beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(async () => {
  await host.close();
  cleanup();
});

describe('compute process', () => {
  it('reports its backend when it starts', async () => {
    const backend = await host.start();
    expect(backend.name).toBe('wasm');
    expect(backend.fallbacks[0]).toMatch(/^tensorflow: /);
  });

  it('trains with progress events, saves atomically, and is reproducible from the seed', async () => {
    const progress: TrainProgress[] = [];
    const job = (folder: string) => ({ kind: 'train' as const, data: syntheticTrainingData(), config, preset: 'quick', modelsDir: dir, folder });
    const a = await host.run(job('a'), { onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.every((p) => Number.isFinite(p.train.kl) && p.etaMs >= 0)).toBe(true);
    expect(a.metrics.train.validShare).toBe(1);
    expect(a.backend).toBe('wasm');
    await host.run(job('b'));
    const manifest = (f: string) => JSON.parse(readFileSync(join(dir, f, 'manifest.json'), 'utf8')) as { files: Record<string, string> };
    expect(manifest('b').files['weights.bin']).toBe(manifest('a').files['weights.bin']);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it('acknowledges a cancel within a second and saves nothing', async () => {
    const controller = new AbortController();
    const run = host.run(
      { kind: 'train', data: syntheticTrainingData(300), config: { ...config, maxEpochs: 500, patience: 500 }, preset: 'quick', modelsDir: dir, folder: 'cancelled' },
      { signal: controller.signal, onProgress: (p) => p.epoch === 2 && controller.abort() },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(host.lastCancelAckMs).not.toBeNull();
    expect(host.lastCancelAckMs!).toBeLessThan(1000);
    expect(existsSync(join(dir, 'cancelled'))).toBe(false);
    expect(existsSync(join(dir, '.tmp-cancelled'))).toBe(false);
  });

  it('encodes with a saved model and refuses a corrupted one', async () => {
    const manifestSha = createHash('sha256').update(readFileSync(join(dir, 'a', 'manifest.json'))).digest('hex');
    const encoded = await host.run({ kind: 'encode', modelPath: join(dir, 'a'), manifestSha256: manifestSha, lists: [[1, 2, 3, 4], [12, 13, 999]] });
    expect(encoded.codes).toHaveLength(2);
    expect(encoded.codes[0]).toHaveLength(8);
    expect(encoded.unknown).toEqual([0, 1]);
    const bytes = readFileSync(join(dir, 'b', 'weights.bin'));
    bytes[0] = bytes[0]! ^ 1;
    writeFileSync(join(dir, 'b', 'weights.bin'), bytes);
    const shaB = createHash('sha256').update(readFileSync(join(dir, 'b', 'manifest.json'))).digest('hex');
    await expect(host.run({ kind: 'encode', modelPath: join(dir, 'b'), manifestSha256: shaB, lists: [[1]] })).rejects.toMatchObject({ code: 'model-file', message: expect.stringContaining('weights.bin is corrupt') });
  });

  it('fails a job cleanly when the process dies, and runs the next job in a new process', async () => {
    const error = await host.run({ kind: 'fault', fault: 'exit' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ComputeError);
    expect((error as ComputeError).code).toBe('compute-crashed');
    expect((error as Error).message).toMatch(/stopped unexpectedly \(exit code 70\)/);
    const thrown = await host.run({ kind: 'fault', fault: 'throw' }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ code: 'compute-failed', message: 'injected fault' });
    const again = await host.run({ kind: 'train', data: syntheticTrainingData(60), config: { ...config, maxEpochs: 1 }, preset: 'quick', modelsDir: dir, folder: 'after-crash' });
    expect(again.epochs).toBe(1);
  });

  it('explains an abort and an out-of-memory death, and the next job runs', async () => {
    // A low heap limit so the out-of-memory fault dies in a second, not after gigabytes.
    const limited = new ComputeHost(() => nodeChildChannel(undefined, { maxOldSpaceMb: 128 }));
    try {
      const aborted = await limited.run({ kind: 'fault', fault: 'abort' }).catch((e: unknown) => e);
      expect(aborted).toMatchObject({ code: 'compute-crashed', message: expect.stringMatching(/stopped unexpectedly \(signal SIGABRT\).*nothing was saved/) });
      const oom = await limited.run({ kind: 'fault', fault: 'oom' }).catch((e: unknown) => e);
      expect(oom).toMatchObject({ code: 'compute-crashed', message: expect.stringMatching(/^the compute process ran out of memory \(/) });
      const next = await limited.run({ kind: 'train', data: syntheticTrainingData(60), config: { ...config, maxEpochs: 1 }, preset: 'quick', modelsDir: dir, folder: 'after-oom' });
      expect(next.epochs).toBe(1);
    } finally {
      await limited.close();
    }
  });

  it('words a crash by what the process last wrote', () => {
    expect(crashMessage(null, 'SIGABRT', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')).toMatch(/^the compute process ran out of memory \(signal SIGABRT\)/);
    expect(crashMessage(3, null, 'something else')).toMatch(/^the compute process stopped unexpectedly \(exit code 3\)/);
  });

  it("fails only the jobs of the process that died: an old process's exit reported late leaves the new one's job alone", async () => {
    const exits: ((code: number | null, signal: string | null) => void)[] = [];
    const messages: ((event: ComputeEvent) => void)[] = [];
    const sent: unknown[] = [];
    const fake = new ComputeHost(() => {
      const n = exits.length;
      return {
        send: (m) => sent.push({ n, m }),
        onMessage: (l) => (messages[n] = l),
        onExit: (l) => (exits[n] = l),
        kill: () => undefined,
      };
    });
    const first = fake.start();
    messages[0]!({ type: 'ready', backend: {} as BackendInfo, pid: 1 });
    await first;
    // The first process dies and a second starts; the first's exit is then reported again (late).
    exits[0]!(null, 'SIGKILL');
    const job = fake.run({ kind: 'fault', fault: 'throw' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    messages[1]!({ type: 'ready', backend: {} as BackendInfo, pid: 2 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    exits[0]!(null, 'SIGKILL');
    const run = sent.find((s) => (s as { n: number; m: { type: string } }).n === 1 && (s as { m: { type: string } }).m.type === 'run') as { m: { jobId: string } };
    messages[1]!({ type: 'done', jobId: run.m.jobId, result: 'finished' as never });
    await expect(job).resolves.toBe('finished');
  });
});
