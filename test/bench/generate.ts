import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { GenerateReport } from '../../src/shared/api';
import { getProductLists } from '../../src/main/db/queries/products';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { lengthDivergence } from '../../src/shared/ml/checks';
import { quantile } from '../../src/shared/ml/objective';
import { seededRandom } from '../../src/shared/ml/random';
import { openSephoraService } from '../bench-support/sephora-service';
import { letDelayMonitorTick, openTestService } from '../helpers';

/**
 * The 10,000-sample generate job on models trained on sephora_cosmetics.csv (presets from
 * BENCH_PRESETS, default quick — the app's default — and full): time per stage and quality,
 * then the lengths and completeness of the default quick model's lists on the sample catalog.
 */
export async function benchGenerate(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openSephoraService(figures);
  try {
    for (const preset of (process.env.BENCH_PRESETS ?? 'quick,full').split(',') as ('quick' | 'full')[]) {
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
      await lengthsAndCompleteness(service, `${preset}`, runs, figures);
    }
  } finally {
    await close();
  }
  const sample = await openTestService({ sampleCatalog: true });
  try {
    await sample.service.trainModel({ preset: 'quick', seed: 1 });
    const runs: GenerateReport[] = [];
    for (let seed = 1; seed <= 5; seed++) runs.push(await sample.service.generate({ n: 10_000, k: 1_000, seed }));
    await lengthsAndCompleteness(sample.service, 'sample catalog, quick', runs, figures);
  } finally {
    await sample.close();
  }
  return figures;
}

/**
 * Lengths (issue 14 §1) and completeness (§5) of the generate job's lists against the catalog's:
 * medians of every decoded list and of the ranked shortlist, the Jensen–Shannon divergence of
 * each length distribution from the catalog's (beside that of random catalog samples of the
 * shortlist's size: the noise floor), and the share passing the structural checks with and
 * without the job's completion. Medians and divergences are the medians over the runs.
 */
async function lengthsAndCompleteness(service: FormulatorService, prefix: string, runs: readonly GenerateReport[], figures: Record<string, number | string>): Promise<void> {
  const med = (xs: number[]) => quantile(xs, 0.5);
  const catalog = [...getProductLists(service.db).values()].map((l) => l.length);
  const q = runs.map((r) => r.quality);
  const shortlists = runs.map((r) => r.shortlist.map((c) => c.ingredients.length));
  const p5 = q[0]!.lengths!.catalogP5;
  figures[`${prefix}: list length median, decoded / shortlist / catalog (catalog 5th percentile)`] =
    `${med(q.map((x) => x.lengths!.median))} / ${med(shortlists.map(med))} / ${med(catalog)} (${p5.toFixed(1)})`;
  const random = seededRandom(7);
  const floor = Array.from({ length: 20 }, () => lengthDivergence(Array.from({ length: shortlists[0]!.length }, () => catalog[Math.floor(random() * catalog.length)]!), catalog));
  figures[`${prefix}: length JS divergence from the catalog (bits), decoded / shortlist (random ${shortlists[0]!.length} catalog lists)`] =
    `${med(q.map((x) => x.lengths!.divergence)).toFixed(3)} / ${med(shortlists.map((s) => lengthDivergence(s, catalog))).toFixed(3)} (${med(floor).toFixed(3)})`;
  figures[`${prefix}: shortlisted lists shorter than the catalog's 5th percentile (all runs)`] = shortlists.flat().filter((l) => l < p5).length;
  const plain = await service.generate({ n: 10_000, k: 1_000, seed: 1, completeStructure: false });
  figures[`${prefix}: structure checks passed, decoded with completion / without / catalog (completed)`] =
    `${(med(q.map((x) => x.structure!.passed)) * 100).toFixed(1)} % / ${(plain.quality.structure!.passed * 100).toFixed(1)} % / ${(q[0]!.structure!.catalogPassed * 100).toFixed(1)} % (${(med(q.map((x) => x.structure!.completed)) * 100).toFixed(1)} %)`;
}
