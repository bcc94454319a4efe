import { fitGp, logExpectedImprovement, predictStandardised, withObservations, type GpModel } from '../../shared/ml/gp';
import type { LatentRegion, LatentStatistics } from '../../shared/ml/latent';
import { jitteredStarts, randomStarts } from './plan';

/**
 * Batch proposals for Bayesian optimisation over latent codes (issue 6, seeds 001–003).
 *
 * What the lab measures is a list, not a code, and the decoder maps whole regions of the latent
 * space to one list. So the acquisition is maximised over a candidate set of lists the model can
 * write down: a pool of codes (draws from the normal fitted to the catalog's codes, and draws
 * around the best measured lists' codes) is decoded; lists already measured, repeated in the
 * pool, or failing the generate job's checks are dropped; each remaining list is encoded again,
 * and the GP is asked about that code — the same kind of input as the measured lists'.
 *
 * The acquisition is expected improvement with the prior penalty of seed 001:
 *   a(x) = log EI(x) − λ·½‖x‖² − κ·σ(x),
 * i.e. EI weighted by the prior density to the power λ; κ (default 0) optionally penalises the
 * GP's uncertainty σ, for a lab that would rather refine what it knows than explore. A batch is spread by the kriging
 * believer: each chosen list's code joins the GP with its predicted mean as a fantasy
 * observation (hyper-parameters unchanged), which takes away most of the improvement left near
 * it, and the next list is chosen from what remains.
 */

export interface ProposalSettings {
  batch: number;
  /** λ of the prior penalty. */
  priorWeight: number;
  /** EI's exploration margin ξ, in standardised output units. */
  xi: number;
  /** κ of the penalty on the GP's standard deviation (standardised units; 0: none). */
  uncertaintyPenalty: number;
  seed: number;
  /** Draws from the catalog normal in the pool. */
  poolSize: number;
  /** Draws around each of the best measured codes, and how far (in the catalog covariance's shape). */
  localSize: number;
  localScale: number;
  /** How many of the best measured codes get local draws. */
  anchors: number;
  /** Draw the pool from this region (a brief's category) instead of the catalog normal. */
  region?: LatentRegion | null;
}

export const DEFAULT_PROPOSAL_SETTINGS: Omit<ProposalSettings, 'batch' | 'seed'> = {
  priorWeight: 0.05,
  xi: 0.01,
  uncertaintyPenalty: 0,
  poolSize: 2048,
  localSize: 256,
  localScale: 0.35,
  anchors: 3,
};

export interface Proposal {
  /** Index into the candidate set. */
  index: number;
  /** At the list's code, given the measurements and the batch's earlier proposals (standardised units). */
  expectedImprovement: number;
  mean: number;
  sd: number;
  acquisition: number;
}

/** The acquisition at m codes (m × D raw): log EI − λ·½‖x‖² − κ·σ, and its parts. */
export function acquisition(gp: GpModel, codes: ArrayLike<number>, m: number, best: number, settings: Pick<ProposalSettings, 'priorWeight' | 'xi'> & Partial<Pick<ProposalSettings, 'uncertaintyPenalty'>>): { value: Float64Array; logEi: Float64Array; mean: Float64Array; sd: Float64Array } {
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
    value[i] = logEi[i]! - settings.priorWeight * 0.5 * norm - (settings.uncertaintyPenalty ?? 0) * sd[i]!;
  }
  return { value, logEi, mean, sd };
}

/** The pool of codes to decode: catalog-normal draws, then local draws around the best measured codes (rows × D). */
export function candidatePool(stats: LatentStatistics, measured: { codes: Float32Array; y: ArrayLike<number> }, settings: ProposalSettings): Float32Array {
  const D = stats.d;
  const n = measured.y.length;
  const top = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => measured.y[b]! - measured.y[a]!)
    .slice(0, settings.anchors);
  const parts = [randomStarts(settings.region ? { d: D, ...settings.region } : stats, settings.poolSize, settings.seed)];
  top.forEach((i, r) => parts.push(jitteredStarts(measured.codes.subarray(i * D, (i + 1) * D), stats, settings.localSize, settings.seed * 31 + r + 1, settings.localScale)));
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Chooses up to `settings.batch` of the candidates (codes of checked, unmeasured lists; rows × D)
 * for the GP's objective (maximised). `best` is the best measured value, standardised.
 */
export function selectBatch(gp: GpModel, candidates: Float32Array, rows: number, best: number, settings: ProposalSettings): Proposal[] {
  const D = gp.d;
  const chosen: Proposal[] = [];
  const taken = new Set<number>();
  let current = gp;
  while (chosen.length < Math.min(settings.batch, rows)) {
    const at = acquisition(current, candidates, rows, best, settings);
    let pick = -1;
    for (let i = 0; i < rows; i++) if (!taken.has(i) && (pick < 0 || at.value[i]! > at.value[pick]!)) pick = i;
    if (pick < 0) break;
    taken.add(pick);
    chosen.push({ index: pick, expectedImprovement: Math.exp(at.logEi[pick]!), mean: at.mean[pick]!, sd: at.sd[pick]!, acquisition: at.value[pick]! });
    current = withObservations(current, candidates.subarray(pick * D, (pick + 1) * D), [at.mean[pick]!]);
  }
  return chosen;
}

/** Fits the GP on measured codes and values (maximised), standardising inputs by the catalog's per-dimension spread. */
export function fitOnCatalogScale(codes: Float32Array, y: ArrayLike<number>, stats: LatentStatistics): GpModel {
  const scale = Float64Array.from(stats.variance, (v) => Math.sqrt(Math.max(v, 1e-12)));
  return fitGp(codes, y, stats.d, { centre: stats.mean, scale });
}
