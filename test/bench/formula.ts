import { openSephoraService } from '../bench-support/sephora-service';
import { declaredTruth } from '../bench-support/formula-truth';

/**
 * Draft-formula benchmarks (issue 16; prints figures, asserts nothing about time), on
 * sephora_cosmetics.csv with the app's defaults: the declared percentages hidden one at a time
 * and estimated (against the typical-midpoint and position-only baselines), the estimate's time
 * per list over the whole catalog (the editor's re-score budget is 200 ms), and the share of
 * generated lists (quick preset, the default) for which a formula obeying every rule exists.
 */
export async function benchFormula(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openSephoraService(figures);
  try {
    const truth = await declaredTruth(service);
    figures['declared figures (products)'] = `${truth.declared} (${truth.products})`;
    figures['estimated (left out: the list admits no formula once hidden)'] = `${truth.estimated} (${truth.infeasible})`;
    figures['mean absolute error, percentage points: estimate'] = truth.mae.toFixed(2);
    figures['  baseline: typical-use midpoint'] = truth.baselineMidpointMae.toFixed(2);
    figures['  baseline: position-only rule'] = truth.baselinePositionMae.toFixed(2);
    figures['  reference: the usual level alone'] = truth.usualOnlyMae.toFixed(2);
    figures['median relative error'] = truth.medianRelative.toFixed(3);
    figures['share of declared values inside the stated range'] = truth.insideRange.toFixed(3);
    figures['largest errors'] = truth.worst.map((w) => `${w.ingredient} ${w.declared} → ${w.estimate.toFixed(2)} (#${w.product})`).join('; ');

    const ids = service.db.prepare(`SELECT id FROM products ORDER BY id`).pluck().all() as number[];
    const times: number[] = [];
    const status = { estimated: 0, relaxed: 0, infeasible: 0 };
    for (const id of ids) {
      const started = performance.now();
      const f = await service.estimateFormula({ productId: id });
      times.push(performance.now() - started);
      status[f.status]++;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    figures['estimate per catalog list, ms (median / p95 / max)'] = `${at(0.5)} / ${at(0.95)} / ${times[times.length - 1]!.toFixed(1)}`;
    figures['catalog lists: every rule held / typical ranges relaxed / no formula'] = `${status.estimated} / ${status.relaxed} / ${status.infeasible} of ${ids.length}`;

    await service.trainModel({ preset: 'quick', seed: 1 });
    const report = await service.generate({ n: 10_000, k: 1_000, seed: 1 });
    const lists = (await service.listGeneratedCandidates({ runId: report.runId, limit: 1000 })).items;
    const generated = { estimated: 0, relaxed: 0, infeasible: 0 };
    const genTimes: number[] = [];
    for (const c of lists) {
      const started = performance.now();
      const f = await service.estimateFormula({ ingredients: c.ingredients });
      genTimes.push(performance.now() - started);
      generated[f.status]++;
    }
    genTimes.sort((a, b) => a - b);
    figures['generated lists (quick, 10,000 sampled, 1,000 kept): every rule held / relaxed / no formula'] = `${generated.estimated} / ${generated.relaxed} / ${generated.infeasible} of ${lists.length}`;
    figures['generated lists: share with a formula obeying every rule'] = (generated.estimated / lists.length).toFixed(3);
    figures['estimate per generated list, ms (median / max)'] = `${genTimes[Math.floor(genTimes.length / 2)]!.toFixed(1)} / ${genTimes[genTimes.length - 1]!.toFixed(1)}`;
  } finally {
    await close();
  }
  return figures;
}
