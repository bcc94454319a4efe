import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { descendants, procStatus } from './proc';

/**
 * Soak (issue 7, item 5): consecutive jobs — train (quick), generate (10,000 samples), optimise —
 * on one service and one compute process, as a long working session would run them. After every
 * job the process tree, threads, open file descriptors and resident memory of the service process
 * and the compute process are read from /proc. Counts must come back to the baseline taken after
 * the first three jobs (the compute process and its helper thread started, the backend loaded);
 * memory growth compares the mean of the first cycles after that baseline with the last cycles.
 */

export interface SoakSample {
  job: number;
  kind: string;
  ms: number;
  processes: number;
  threads: number;
  fds: number;
  serviceRssMb: number;
  computeRssMb: number;
  heapUsedMb: number;
}

export interface SoakReport {
  jobs: number;
  samples: SoakSample[];
  baseline: SoakSample;
  final: SoakSample;
  /** Mean resident memory (service + compute) over jobs 4–12 and over the last 9 jobs, MiB. */
  rssEarlyMb: number;
  rssLateMb: number;
  rssGrowth: number;
  heapGrowth: number;
  medianMs: Record<string, number>;
  failures: string[];
}

function sample(job: number, kind: string, ms: number): SoakSample {
  (globalThis as { gc?: () => void }).gc?.();
  const children = descendants(process.pid);
  const kb = (s: Record<string, string>) => Number.parseInt(s.VmRSS ?? '0', 10);
  const self = procStatus(process.pid)!;
  let threads = Number(self.Threads);
  let computeKb = 0;
  for (const pid of children) {
    const s = procStatus(pid);
    if (!s) continue; // gone
    threads += Number(s.Threads);
    computeKb += kb(s);
  }
  return {
    job,
    kind,
    ms,
    processes: children.length,
    threads,
    fds: readdirSync('/proc/self/fd').length,
    serviceRssMb: kb(self) / 1024,
    computeRssMb: computeKb / 1024,
    heapUsedMb: process.memoryUsage().heapUsed / 1048576,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Runs `jobs` jobs cycling train → generate → optimise on a service that already has a catalog. */
export async function soak(service: FormulatorService, jobs: number, onJob?: (s: SoakSample) => void): Promise<SoakReport> {
  const kinds = ['train', 'generate', 'optimise'] as const;
  const samples: SoakSample[] = [];
  for (let j = 1; j <= jobs; j++) {
    const kind = kinds[(j - 1) % 3]!;
    const t = performance.now();
    if (kind === 'train') await service.trainModel({ preset: 'quick', seed: j, activate: true });
    else if (kind === 'generate') await service.generate({ n: 10_000, k: 1_000, seed: j });
    else await service.optimize({ terms: [{ benefit: 'kb:hydration', goal: 'maximize' }], restarts: 4, start: { kind: 'random', seed: j } });
    const s = sample(j, kind, performance.now() - t);
    samples.push(s);
    onJob?.(s);
  }
  const baseline = samples[Math.min(2, samples.length - 1)]!;
  const final = samples.at(-1)!;
  const total = (s: SoakSample) => s.serviceRssMb + s.computeRssMb;
  const window = Math.min(9, Math.max(1, Math.floor((samples.length - 3) / 2)));
  const early = samples.slice(3, 3 + window);
  const late = samples.slice(-window);
  const rssEarlyMb = mean(early.map(total));
  const rssLateMb = mean(late.map(total));
  const heapEarly = mean(early.map((s) => s.heapUsedMb));
  const heapLate = mean(late.map((s) => s.heapUsedMb));
  const medianMs: Record<string, number> = {};
  for (const kind of kinds) {
    const ms = samples.filter((s) => s.kind === kind).map((s) => s.ms).sort((a, b) => a - b);
    if (ms.length) medianMs[kind] = ms[ms.length >> 1]!;
  }
  const failures: string[] = [];
  if (final.processes !== baseline.processes) failures.push(`child processes ${baseline.processes} → ${final.processes}`);
  if (final.threads !== baseline.threads) failures.push(`threads ${baseline.threads} → ${final.threads}`);
  if (final.fds > baseline.fds) failures.push(`open file descriptors ${baseline.fds} → ${final.fds}`);
  return { jobs, samples, baseline, final, rssEarlyMb, rssLateMb, rssGrowth: rssLateMb / rssEarlyMb - 1, heapGrowth: heapLate / heapEarly - 1, medianMs, failures };
}
