import type { OptimizationResult } from '../../src/shared/api';
import { openSephoraService } from '../bench-support/sephora-service';

/**
 * Gradient optimisation on the full-preset model trained on sephora_cosmetics.csv: 100 runs from
 * random starts (draws from the normal fitted to the catalog's codes), the objective cycling
 * through the model's skin-type flags (run i maximises flag i mod 5), default settings otherwise.
 * A run succeeds when its target is met (the catalog's 90th percentile of the prediction), the
 * decoded list encoded again still meets it, and the list passes the generate job's checks.
 * Runs go 20 at a time (a batch of restarts: each row is its own run).
 */
export async function benchOptimize(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openSephoraService(figures);
  try {
    const model = await service.trainModel({ preset: 'full', seed: 1 });
    const flags = model.metrics.benefits.filter((b) => b.kind === 'flag').map((b) => b.name);
    figures['model'] = `full preset, ${model.metrics.benefits.length} benefit heads; objectives: maximise each of ${flags.join(', ')}`;
    const runs: { benefit: string; restart: OptimizationResult['restarts'][number] }[] = [];
    const times: number[] = [];
    const RUNS = 100;
    const PER_BATCH = 20;
    for (let batch = 0; batch < RUNS / PER_BATCH; batch++) {
      // One benefit per batch of 20, five batches: each flag gets 20 runs.
      const benefit = flags[batch % flags.length]!;
      const result = await service.optimize({ terms: [{ benefit, goal: 'maximize' }], restarts: PER_BATCH, start: { kind: 'random', seed: 1000 + batch } });
      times.push(result.timingsMs.total / PER_BATCH);
      for (const restart of result.restarts) runs.push({ benefit, restart });
    }
    const share = (f: (r: (typeof runs)[number]) => boolean, of = runs) => `${((of.filter(f).length / of.length) * 100).toFixed(0)} %`;
    figures['runs'] = runs.length;
    figures['success (targets met, consistent, checks passed)'] = share((r) => r.restart.final.success);
    figures['targets met / consistent when encoded again / checks passed'] = `${share((r) => r.restart.final.targetsMet)} / ${share((r) => r.restart.final.consistent)} / ${share((r) => r.restart.final.checksPassed)}`;
    figures['success per benefit'] = flags.map((b) => `${b} ${share((r) => r.restart.final.success, runs.filter((r) => r.benefit === b))}`).join(', ');
    const steps = runs.map((r) => r.restart.steps).sort((a, b) => a - b);
    figures['steps: median / max'] = `${steps[Math.floor(steps.length / 2)]} / ${steps.at(-1)}`;
    figures['stop reasons'] = [...new Set(runs.map((r) => r.restart.stopReason))].map((s) => `${s} ${runs.filter((r) => r.restart.stopReason === s).length}`).join(', ');
    figures['time per run, median of batches (ms, 20 runs side by side)'] = Math.round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!);
    figures['distinct final lists'] = new Set(runs.map((r) => r.restart.final.ingredientIds.join(','))).size;
    const failures = new Map<string, number>();
    for (const r of runs.filter((x) => !x.restart.final.success)) {
      for (const reason of r.restart.final.reasons.filter((x) => !/≥|within|passes the generate/.test(x))) {
        const key = reason.replace(/\d+(\.\d+)?/g, '#');
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
    }
    figures['failure reasons (count)'] = [...failures].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} (${n})`).join('; ') || 'none';
  } finally {
    await close();
  }
  return figures;
}
