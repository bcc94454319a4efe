import type { GenerateReport } from '../../src/shared/contract';
import { sephoraCsvPath } from '../data';
import { openTestService } from '../helpers';

/** The 10,000-sample generate job on models trained on sephora_cosmetics.csv: time per stage and quality. */
export async function benchGenerate(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openTestService();
  try {
    await service.importCatalog({ path: sephoraCsvPath() });
    figures['compute backend'] = (await service.compute.start()).name;
    for (const preset of ['quick', 'full'] as const) {
      await service.trainModel({ preset, seed: 1 });
      await service.generate({ n: 1000, k: 100 }); // warm-up: loads the model in the worker
      const runs: GenerateReport[] = [];
      for (let seed = 1; seed <= 3; seed++) runs.push(await service.generate({ n: 10_000, k: 1_000, seed }));
      const compared = await service.generate({ n: 10_000, k: 1_000, seed: 1, baselines: true });
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
      const stages = Object.keys(runs[0]!.timingsMs);
      figures[`${preset}: job total, median of 3 (ms, incl. IPC)`] = median(runs.map((r) => r.totalMs));
      figures[`${preset}: stage times, median (ms)`] = stages.map((s) => `${s} ${median(runs.map((r) => r.timingsMs[s]!))}`).join(', ');
      figures[`${preset}: stage sum, median (ms)`] = median(runs.map((r) => Object.values(r.timingsMs).reduce((a, b) => a + b, 0))).toFixed(0);
      const q = runs[0]!.quality;
      figures[`${preset}: sampled / above floor / decoded / passed`] = `${runs[0]!.counts.sampled} / ${runs[0]!.counts.aboveFloor} / ${runs[0]!.counts.decoded} / ${runs[0]!.counts.passed}`;
      figures[`${preset}: validity (no repeats, no unknown) / all checks`] = `${(q.validLists * 100).toFixed(1)} % / ${(q.passedAllChecks * 100).toFixed(1)} %`;
      figures[`${preset}: uniqueness / internal diversity`] = `${(q.uniqueness * 100).toFixed(1)} % / ${q.internalDiversity.toFixed(3)}`;
      figures[`${preset}: novelty mean / median`] = `${q.meanNovelty.toFixed(3)} / ${q.medianNovelty.toFixed(3)}`;
      figures[`${preset}: ordering plausibility median (catalog median)`] = `${q.medianPlausibility.toFixed(3)} (${q.catalogMedianPlausibility.toFixed(3)})`;
      figures[`${preset}: ingredient-frequency divergence from catalog (JS, bits)`] = q.frequencyDivergence.toFixed(3);
      for (const b of compared.baselines) {
        figures[`${preset}: baseline "${b.name.split(':')[0]}" valid / passed / novelty med / plausibility med`] =
          `${(b.quality.validLists * 100).toFixed(1)} % / ${(b.quality.passedAllChecks * 100).toFixed(1)} % / ${b.quality.medianNovelty.toFixed(3)} / ${b.quality.medianPlausibility.toFixed(3)}`;
      }
      const shortlist = runs[0]!.shortlist;
      figures[`${preset}: shortlist novelty median / plausibility median`] = `${shortlist.map((c) => c.novelty).sort((a, b) => a - b)[Math.floor(shortlist.length / 2)]?.toFixed(3)} / ${shortlist.map((c) => c.plausibility).sort((a, b) => a - b)[Math.floor(shortlist.length / 2)]?.toFixed(3)}`;
    }
  } finally {
    await close();
  }
  return figures;
}
