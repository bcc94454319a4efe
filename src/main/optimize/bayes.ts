import { fitGp, logExpectedImprovement, predictStandardised, withObservations, type GpModel } from '../../shared/ml/gp';
import type { LatentStatistics } from '../../shared/ml/latent';
import { normalGenerator } from '../../shared/ml/linalg';
import { seededRandom } from '../../shared/ml/random';
import { jitteredStarts, randomStarts } from './plan';

/**
 * Batch proposals for Bayesian optimisation over latent codes (issue 6, seeds 001–003).
 *
 * The acquisition is expected improvement with the prior penalty of seed 001:
 *   a(z) = log EI(z) − λ·½‖z‖²,
 * i.e. EI weighted by the prior density to the power λ, so proposals stay where the decoder has
 * seen data. It is maximised by a multi-start search: a pool of draws from the normal fitted to
 * the catalog's codes plus jitter around the best measured codes, then a (1+1) evolution
 * strategy (the one-fifth rule) from the best few, in the catalog covariance's shape.
 *
 * A code is not what the lab measures: its decoded list is. Each winner is decoded and the list
 * encoded again, and EI, mean and standard deviation are reported at that list's code. A batch is
 * spread by the kriging believer: each accepted list's code joins the GP with its predicted mean
 * as a fantasy observation (hyper-parameters unchanged), which removes most of the improvement
 * left near it. A code whose list was measured or proposed already becomes a fantasy too and the
 * search goes on, so a batch never repeats a list.
 */

export interface ProposalSettings {
  batch: number;
  /** λ of the prior penalty. */
  priorWeight: number;
  /** EI's exploration margin ξ, in standardised output units. */
  xi: number;
  seed: number;
  /** Draws from the catalog normal in the starting pool. */
  poolSize: number;
  /** (1+1)-ES steps from each of the best starts. */
  refineSteps: number;
  refineStarts: number;
  /** Codes tried per batch before giving up on finding new lists. */
  maxTries: number;
}

export const DEFAULT_PROPOSAL_SETTINGS: Omit<ProposalSettings, 'batch' | 'seed'> = {
  priorWeight: 0.05,
  xi: 0.01,
  poolSize: 2048,
  refineSteps: 60,
  refineStarts: 5,
  maxTries: 32,
};

export interface ProposalHooks {
  /** Decodes codes (rows × D) and encodes each list again: the lists (ingredient ids) and their codes. */
  project(codes: Float32Array, rows: number): Promise<{ lists: number[][]; codes: Float32Array }>;
  isCancelled?: () => boolean;
}

export interface Proposal {
  /** The code the acquisition chose, and the code of its decoded list. */
  searched: Float32Array;
  code: Float32Array;
  ingredientIds: number[];
  /** At the list's code, given the measurements and the batch's earlier proposals. */
  expectedImprovement: number;
  /** Standardised GP mean and standard deviation there. */
  mean: number;
  sd: number;
  acquisition: number;
}

export interface BatchOutcome {
  proposals: Proposal[];
  /** Codes whose lists had been measured or proposed already. */
  repeats: number;
  tries: number;
}

/** The acquisition at m codes (m × D raw): log EI − λ·½‖z‖², and its parts. */
export function acquisition(gp: GpModel, codes: ArrayLike<number>, m: number, best: number, settings: Pick<ProposalSettings, 'priorWeight' | 'xi'>): { value: Float64Array; logEi: Float64Array; mean: Float64Array; sd: Float64Array } {
  const { mean, variance } = predictStandardised(gp, codes, m);
  const D = gp.d;
  const value = new Float64Array(m);
  const logEi = new Float64Array(m);
  const sd = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    sd[i] = Math.sqrt(variance[i]!);
    logEi[i] = logExpectedImprovement(mean[i]!, sd[i]!, best, settings.xi);
    let norm = 0;
    for (let j = 0; j < D; j++) norm += codes[i * D + j]! ** 2;
    value[i] = logEi[i]! - settings.priorWeight * 0.5 * norm;
  }
  return { value, logEi, mean, sd };
}

/** The code that maximises the acquisition (see the module comment for the search). */
export function maximiseAcquisition(gp: GpModel, best: number, stats: LatentStatistics, anchors: Float32Array, anchorRows: number, settings: ProposalSettings, round: number): { code: Float32Array; value: number } {
  const D = stats.d;
  const pool: Float32Array[] = [randomStarts(stats, settings.poolSize, settings.seed * 7919 + round)];
  for (let a = 0; a < anchorRows; a++) pool.push(jitteredStarts(anchors.subarray(a * D, (a + 1) * D), stats, 64, settings.seed * 104_729 + round * 31 + a, 0.25));
  const rows = pool.reduce((s, p) => s + p.length / D, 0);
  const codes = new Float32Array(rows * D);
  let at = 0;
  for (const p of pool) {
    codes.set(p, at);
    at += p.length;
  }
  const { value } = acquisition(gp, codes, rows, best, settings);
  const order = Array.from(value.keys()).sort((a, b) => value[b]! - value[a]!);
  const normal = normalGenerator(seededRandom(settings.seed * 15_485_863 + round));
  let winner = { code: codes.slice(order[0]! * D, (order[0]! + 1) * D), value: value[order[0]!]! };
  const e = new Float64Array(D);
  const trial = new Float32Array(D);
  for (const start of order.slice(0, settings.refineStarts)) {
    const current = codes.slice(start * D, (start + 1) * D);
    let currentValue = value[start]!;
    let step = 0.25;
    for (let s = 0; s < settings.refineSteps; s++) {
      for (let j = 0; j < D; j++) e[j] = normal();
      for (let i = 0; i < D; i++) {
        let v = current[i]!;
        for (let j = 0; j <= i; j++) v += step * stats.cholesky[i * D + j]! * e[j]!;
        trial[i] = v;
      }
      const tried = acquisition(gp, trial, 1, best, settings).value[0]!;
      if (tried > currentValue) {
        current.set(trial);
        currentValue = tried;
        step = Math.min(1, step * 1.5);
      } else {
        step = Math.max(0.01, step * 0.85);
      }
    }
    if (currentValue > winner.value) winner = { code: current, value: currentValue };
  }
  return winner;
}

/**
 * Proposes a batch of new lists for the GP's objective (maximised, standardised outputs).
 * `measured` holds the measured lists' codes (for jitter around the best); `seen` the lists
 * already measured, as comma-joined ids.
 */
export async function proposeBatch(gp: GpModel, stats: LatentStatistics, measured: { codes: Float32Array; y: ArrayLike<number> }, seen: ReadonlySet<string>, settings: ProposalSettings, hooks: ProposalHooks): Promise<BatchOutcome> {
  const D = stats.d;
  const n = measured.y.length;
  let best = -Infinity;
  for (let i = 0; i < n; i++) best = Math.max(best, (measured.y[i]! - gp.yMean) / gp.yStd);
  // The best three measured codes anchor local searches.
  const top = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => measured.y[b]! - measured.y[a]!)
    .slice(0, 3);
  const anchors = new Float32Array(top.length * D);
  top.forEach((i, r) => anchors.set(measured.codes.subarray(i * D, (i + 1) * D), r * D));

  const known = new Set(seen);
  const proposals: Proposal[] = [];
  let current = gp;
  let repeats = 0;
  let tries = 0;
  while (proposals.length < settings.batch && tries < settings.maxTries) {
    if (hooks.isCancelled?.()) throw new ProposalCancelled();
    const found = maximiseAcquisition(current, best, stats, anchors, top.length, settings, tries);
    tries++;
    const projected = await hooks.project(found.code, 1);
    const list = projected.lists[0]!;
    const key = list.join(',');
    if (list.length === 0 || known.has(key)) {
      // Already measured or proposed: believe the GP there, so the search moves on.
      repeats++;
      const fantasy = predictStandardised(current, found.code, 1).mean;
      current = withObservations(current, found.code, fantasy);
      continue;
    }
    const code = projected.codes.slice(0, D);
    const at = acquisition(current, code, 1, best, settings);
    proposals.push({
      searched: found.code,
      code,
      ingredientIds: list,
      expectedImprovement: Math.exp(at.logEi[0]!),
      mean: at.mean[0]!,
      sd: at.sd[0]!,
      acquisition: at.value[0]!,
    });
    known.add(key);
    current = withObservations(current, code, [at.mean[0]!]);
  }
  return { proposals, repeats, tries };
}

export class ProposalCancelled extends Error {
  constructor() {
    super('the proposal was cancelled');
  }
}

/** Fits the GP on measured codes and values (maximised), standardising inputs by the catalog's per-dimension spread. */
export function fitOnCatalogScale(codes: Float32Array, y: ArrayLike<number>, stats: LatentStatistics): GpModel {
  const scale = Float64Array.from(stats.variance, (v) => Math.sqrt(Math.max(v, 1e-12)));
  return fitGp(codes, y, stats.d, { centre: stats.mean, scale });
}
