import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startPreviewServer } from '../../src/main/preview/server';
import { openSephoraService } from '../bench-support/sephora-service';

/**
 * The UI's view of the app while long jobs run: round trips of small contract calls (the
 * activity poll the UI makes every 250 ms, and a catalog page) through the web preview's HTTP
 * transport — the same services the Electron IPC handlers call — during training and during
 * 10,000-sample generate jobs; and the app process's event-loop delay meanwhile.
 */
export async function benchResponsiveness(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openSephoraService(figures);
  const server = await startPreviewServer({ api: service, staticDir: join(process.cwd(), 'out', 'renderer') });
  const call = async (method: string, arg: unknown): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(arg) });
    const body = (await response.json()) as { ok: boolean };
    if (!body.ok) throw new Error(`${method} failed during the benchmark: ${JSON.stringify(body)}`);
    return performance.now() - started;
  };
  /** Polls while `job` runs: alternately the activity (as the UI does) and a catalog page. */
  const during = async (label: string, job: () => Promise<unknown>) => {
    const times: number[] = [];
    const lag = monitorEventLoopDelay({ resolution: 5 });
    let running = true;
    lag.enable();
    const poller = (async () => {
      for (let i = 0; running; i++) {
        times.push(await (i % 2 ? call('getActivity', undefined) : call('listProducts', { limit: 50 })));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const started = performance.now();
    await job();
    const jobMs = performance.now() - started;
    running = false;
    await poller;
    lag.disable();
    const sorted = [...times].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
    figures[`${label}: job (ms)`] = Math.round(jobMs);
    figures[`${label}: contract round trips during it: count / p50 / p95 / max (ms)`] = `${times.length} / ${q(0.5)} / ${q(0.95)} / ${sorted.at(-1)!.toFixed(1)}`;
    figures[`${label}: app event-loop delay p99 / max (ms)`] = `${(lag.percentile(99) / 1e6).toFixed(1)} / ${(lag.max / 1e6).toFixed(1)}`;
  };
  try {
    await during('idle (no job)', () => new Promise((resolve) => setTimeout(resolve, 3000)));
    await during('training (full preset)', () => service.trainModel({ preset: 'full', seed: 1 }));
    await service.generate({ n: 10_000, k: 1_000, seed: 99 }); // warm-up
    await during('5 generate jobs (10,000 → 1,000)', async () => {
      for (let seed = 1; seed <= 5; seed++) await service.generate({ n: 10_000, k: 1_000, seed });
    });
  } finally {
    await server.close();
    await close();
  }
  return figures;
}
