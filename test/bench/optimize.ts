import type { OptimizationResult } from '../../src/shared/api';
import { DEFAULT_DIVERSITY } from '../../src/shared/ml/objective';
import { openSephoraService } from '../bench-support/sephora-service';

type Preset = 'quick' | 'full';
type Run = { benefit: string; restart: OptimizationResult['restarts'][number] };

/**
 * Gradient optimisation on a model trained on sephora_cosmetics.csv: 100 runs from random starts
 * (draws from the normal fitted to the catalog's codes), the objective cycling through the model's
 * skin-type flags (run i maximises flag i mod 5), default settings otherwise. A run succeeds when
 * its target is met (the catalog's 90th percentile of the prediction), the decoded list encoded
 * again still meets it, and the list passes the generate job's checks. Runs go 20 at a time (a
 * batch of restarts: each row is its own run), one benefit per batch.
 *
 * Each preset (BENCH_PRESETS, default `quick,full`; quick is the app's default) is measured with
 * restarts kept apart (the default `diversity`) and independent (`diversity` 0, the behaviour
 * before issue 14): how many of the 100 runs end on distinct lists, and whether success and
 * plausibility hold.
 */
export async function benchOptimize(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openSephoraService(figures);
  try {
    for (const preset of (process.env.BENCH_PRESETS ?? 'quick,full').split(',') as Preset[]) {
      const model = await service.trainModel({ preset, seed: 1 });
      const flags = model.metrics.benefits.filter((b) => b.kind === 'flag').map((b) => b.name);
      const label = `${preset}${preset === 'quick' ? ' (default)' : ''}`;
      figures[`${label}: model`] = `${preset} preset, ${model.metrics.benefits.length} benefit heads; objectives: maximise each of ${flags.join(', ')}`;
      for (const diversity of [DEFAULT_DIVERSITY, 0]) {
        const mode = diversity > 0 ? `kept apart (diversity ${diversity}, default)` : 'independent (diversity 0, before)';
        describeRuns(`${label}, ${mode}`, await hundredRuns(service, flags, diversity), flags, figures);
      }
      // The option to penalise uncertain predictions (default off), on the default settings otherwise.
      describeRuns(`${label}, uncertainty penalty ${UNCERTAINTY_PENALTY} (option)`, await hundredRuns(service, flags, DEFAULT_DIVERSITY, UNCERTAINTY_PENALTY), flags, figures);
    }
  } finally {
    await close();
  }
  return figures;
}

const UNCERTAINTY_PENALTY = 1;

/** The 100 runs: five batches of 20 restarts, one flag each. */
async function hundredRuns(
  service: Awaited<ReturnType<typeof openSephoraService>>['service'],
  flags: readonly string[],
  diversity: number,
  uncertaintyPenalty = 0,
): Promise<{ runs: Run[]; times: number[]; floors: number[] }> {
  const runs: Run[] = [];
  const times: number[] = [];
  const floors: number[] = [];
  const PER_BATCH = 20;
  for (let batch = 0; batch < 100 / PER_BATCH; batch++) {
    const benefit = flags[batch % flags.length]!;
    const result = await service.optimize({ terms: [{ benefit, goal: 'maximize' }], restarts: PER_BATCH, start: { kind: 'random', seed: 1000 + batch }, diversity, uncertaintyPenalty });
    times.push(result.timingsMs.total / PER_BATCH);
    floors.push(result.guard?.floor ?? Number.NaN);
    for (const restart of result.restarts) runs.push({ benefit, restart });
  }
  return { runs, times, floors };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

function describeRuns(prefix: string, { runs, times, floors }: { runs: Run[]; times: number[]; floors: number[] }, flags: readonly string[], figures: Record<string, number | string>): void {
  const put = (name: string, value: number | string) => (figures[`${prefix}: ${name}`] = value);
  const share = (f: (r: Run) => boolean, of = runs) => `${((of.filter(f).length / of.length) * 100).toFixed(0)} %`;
  const key = (r: Run) => r.restart.final.ingredientIds.join(',');
  const ends = new Map<string, Run>();
  for (const r of runs) if (!ends.has(key(r))) ends.set(key(r), r);
  put(`distinct final lists of ${runs.length}`, ends.size);
  put('distinct successful lists', new Set(runs.filter((r) => r.restart.final.success).map(key)).size);
  put('success (targets met, consistent, checks passed)', share((r) => r.restart.final.success));
  put('targets met / consistent when encoded again / checks passed', `${share((r) => r.restart.final.targetsMet)} / ${share((r) => r.restart.final.consistent)} / ${share((r) => r.restart.final.checksPassed)}`);
  put('success per benefit', flags.map((b) => `${b} ${share((r) => r.restart.final.success, runs.filter((r) => r.benefit === b))}`).join(', '));
  const distinctEnds = [...ends.values()].map((r) => r.restart.final);
  put('distinct ends: median decoded length', median(distinctEnds.map((f) => f.ingredients.length)));
  put(
    'distinct ends: mean log density (catalog KDE; guard floor) / ordering plausibility / nearest code',
    `${mean(distinctEnds.map((f) => f.logDensity)).toFixed(1)} (floor ${mean(floors).toFixed(1)}) / ${mean(distinctEnds.map((f) => f.plausibility)).toFixed(3)} / ${mean(distinctEnds.map((f) => f.nearestDistance)).toFixed(2)}`,
  );
  // The objective's benefit as the editor scores the final list: value and the half-width of its 80 % interval.
  const scored = runs.map((r) => r.restart.final.estimates[r.benefit]!);
  put('ends scored as the editor scores them: mean value / mean ± (80 % half-width)', `${mean(scored.map((e) => e.value)).toFixed(3)} / ${mean(scored.map((e) => e.uncertainty ?? Number.NaN)).toFixed(3)}`);
  const steps = runs.map((r) => r.restart.steps);
  put('steps: median / max', `${median(steps)} / ${Math.max(...steps)}`);
  put('stop reasons', [...new Set(runs.map((r) => r.restart.stopReason))].map((s) => `${s} ${runs.filter((r) => r.restart.stopReason === s).length}`).join(', '));
  put('time per run, median of batches (ms, 20 runs side by side)', Math.round(median(times)));
  const failures = new Map<string, number>();
  for (const r of runs.filter((x) => !x.restart.final.success)) {
    for (const reason of r.restart.final.reasons.filter((x) => !/≥|within|passes the generate/.test(x))) {
      const k = reason.replace(/\d+(\.\d+)?/g, '#');
      failures.set(k, (failures.get(k) ?? 0) + 1);
    }
  }
  put('failure reasons (count)', [...failures].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} (${n})`).join('; ') || 'none');
}
