import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { GenerateReport } from '../../src/shared/api';
import { openSephoraService } from '../bench-support/sephora-service';
import { letDelayMonitorTick } from '../helpers';

/** The 10,000-sample generate job on models trained on sephora_cosmetics.csv: time per stage and quality. */
export async function benchGenerate(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openSephoraService(figures);
  try {
    for (const preset of ['quick', 'full'] as const) {
      await service.trainModel({ preset, seed: 1 });
      // Warm-up: loads the model, fits the space, builds the catalog tables on both threads and
      // compiles the code paths; the app's compute process is long-lived, so later jobs are these.
      const first = await service.generate({ n: 10_000, k: 1_000, seed: 99 });
      figures[`${preset}: first job after training (ms, incl. fit and tables)`] = first.totalMs;
      const runs: GenerateReport[] = [];
      const lag = monitorEventLoopDelay({ resolution: 5 });
      lag.enable();
      for (let seed = 1; seed <= 5; seed++) runs.push(await service.generate({ n: 10_000, k: 1_000, seed }));
      await letDelayMonitorTick();
      lag.disable();
      figures[`${preset}: app process event-loop delay during the 5 jobs, p99 / max (ms)`] = `${(lag.percentile(99) / 1e6).toFixed(1)} / ${(lag.max / 1e6).toFixed(1)}`;
      const compared = await service.generate({ n: 10_000, k: 1_000, seed: 1, baselines: true });
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const stages = Object.keys(runs[0]!.timingsMs);
      figures[`${preset}: job total, median of 5 (ms, request to ranked shortlist, incl. IPC)`] = median(runs.map((r) => r.totalMs));
      figures[`${preset}: job totals of the 5 runs (ms)`] = runs.map((r) => r.totalMs).join(', ');
      figures[`${preset}: storing the run and 1,000 candidates afterwards, median (ms)`] = median(runs.map((r) => r.savedMs));
      const w = runs[0]!.work;
      figures[`${preset}: threads / batches taken by the helper / busy ms compute thread, helper (shared stages)`] = `${w.threads} / ${w.helperBatches} of ${w.batches} / ${w.mainMs}, ${w.helperMs}`;
      figures[`${preset}: stage times, median (ms)`] = stages.map((s) => `${s} ${median(runs.map((r) => r.timingsMs[s]!))}`).join(', ');
      figures[`${preset}: stage sum, median (ms)`] = median(runs.map((r) => Object.values(r.timingsMs).reduce((a, b) => a + b, 0))).toFixed(0);
      const q = runs[0]!.quality;
      figures[`${preset}: sampled / above floor / decoded / passed`] = `${runs[0]!.counts.sampled} / ${runs[0]!.counts.aboveFloor} / ${runs[0]!.counts.decoded} / ${runs[0]!.counts.passed}`;
      figures[`${preset}: validity (no repeats, no unknown) / all checks`] = `${(q.validLists * 100).toFixed(1)} % / ${(q.passedAllChecks * 100).toFixed(1)} %`;
      figures[`${preset}: uniqueness / internal diversity`] = `${(q.uniqueness * 100).toFixed(1)} % / ${q.internalDiversity.toFixed(3)}`;
      figures[`${preset}: novelty mean / median`] = `${q.meanNovelty.toFixed(3)} / ${q.medianNovelty.toFixed(3)}`;
      figures[`${preset}: ordering plausibility median (catalog median)`] = `${q.medianPlausibility.toFixed(3)} (${q.catalogMedianPlausibility.toFixed(3)})`;
      figures[`${preset}: ingredient-frequency divergence from catalog (JS, bits)`] = q.frequencyDivergence.toFixed(3);
      // "At equal or better novelty": the job's own decoded lists whose novelty reaches each
      // baseline's median novelty, compared with that baseline on validity and plausibility.
      const all = (await service.listGeneratedCandidates({ runId: compared.runId, sortBy: 'novelty', limit: 1000 })).items;
      for (const b of compared.baselines) {
        const name = b.name.split(':')[0];
        figures[`${preset}: baseline "${name}" valid / passed / novelty med / plausibility med`] =
          `${(b.quality.validLists * 100).toFixed(1)} % / ${(b.quality.passedAllChecks * 100).toFixed(1)} % / ${b.quality.medianNovelty.toFixed(3)} / ${b.quality.medianPlausibility.toFixed(3)}`;
        const matched = all.filter((c) => c.novelty >= b.quality.medianNovelty);
        const plaus = matched.map((c) => c.plausibility).sort((x, y) => x - y);
        figures[`${preset}: job's lists at novelty ≥ that of "${name}" (${b.quality.medianNovelty.toFixed(3)}): count / plausibility med`] =
          `${matched.length} / ${plaus.length ? plaus[Math.floor(plaus.length / 2)]!.toFixed(3) : '–'}`;
      }
      const shortlist = runs[0]!.shortlist;
      figures[`${preset}: shortlist novelty median / plausibility median`] = `${shortlist.map((c) => c.novelty).sort((a, b) => a - b)[Math.floor(shortlist.length / 2)]?.toFixed(3)} / ${shortlist.map((c) => c.plausibility).sort((a, b) => a - b)[Math.floor(shortlist.length / 2)]?.toFixed(3)}`;
    }
  } finally {
    await close();
  }
  return figures;
}
