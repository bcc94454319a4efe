import { GpFitError } from '../../../shared/ml/gp';
import { latentStatistics, type LatentRegion } from '../../../shared/ml/latent';
import { checkCandidate, type CatalogContextSpec, type CheckThresholds } from '../../generate/kernels';
import { DEFAULT_PROPOSAL_SETTINGS, candidatePool, fitOnCatalogScale, selectBatch } from '../../optimize/bayes';
import { catalogChecks } from '../catalog-checks';
import { decodeIngredientIds, encodeListsFlat, predictCodes } from '../inference';
import type { ModelRef } from '../model-cache';
import type { DecodeConstraints } from '../../../shared/ml/constrained-decode';
import type { JobHandler } from '../job';

/**
 * Bayesian optimisation's batch proposal (src/main/optimize/bayes.ts): the measured lists are
 * encoded, a GP fitted to their values (maximised: the service negates values to minimise),
 * and `batch` new lists proposed by expected improvement with the prior penalty.
 */
export interface ProposeJob extends ModelRef {
  kind: 'propose';
  /** Catalog codes (n × latentDim): the search's normal and the inputs' standardisation. */
  catalogCodes: Float32Array;
  measuredLists: number[][];
  values: number[];
  batch: number;
  priorWeight: number;
  xi: number;
  /** κ of the penalty on the GP's uncertainty (0: none). */
  uncertaintyPenalty: number;
  /** A design brief's constraints: the candidate pool is decoded under them (null: none). */
  constraints: DecodeConstraints | null;
  /** A brief's category: the pool's draws come from its region of the latent space (null: the catalog's). */
  region?: LatentRegion | null;
  seed: number;
  /** The generate job's checks: only lists that pass them are candidates (unless none does). */
  checks: { spec: CatalogContextSpec; thresholds: CheckThresholds };
}

export interface ProposeResult {
  gp: { lengthScale: number; signalVariance: number; noiseVariance: number; logMarginalLikelihood: number };
  proposals: {
    code: number[];
    ingredientIds: number[];
    /** In the values' units (maximised direction). */
    expectedImprovement: number;
    mean: number;
    sd: number;
    acquisition: number;
    /** The benefit heads at the list's code. */
    benefits: Record<string, number>;
  }[];
  /** The candidate set: codes decoded, distinct new lists among them, and those that passed the checks. */
  pool: { codes: number; distinctNew: number; passed: number; usedUnchecked: boolean };
  fitMs: number;
  searchMs: number;
}

/** Bayesian optimisation: encode the measured lists, fit the GP, decode and check a pool of codes, choose a batch from it. */
export const proposeJob: JobHandler<ProposeJob, ProposeResult, 'gp-failed'> = {
  kind: 'propose',
  // No GP hyper-parameters give a usable fit to these values: a failure of its own, not a crash.
  failureCode: (error) => (error instanceof GpFitError ? 'gp-failed' : null),
  async run(job, context) {
    const m = await context.models.load(job);
    const D = m.model.shape.latent;
    const catalogRows = job.catalogCodes.length / D;
    if (!Number.isInteger(catalogRows) || catalogRows < 2) throw new Error(`the catalog codes do not fit this model's ${D} dimensions`);
    const progress = (done: number) => context.reportStage('propose', done, 4);
    const fitStarted = performance.now();
    const stats = latentStatistics(job.catalogCodes, catalogRows, D);
    const measuredCodes = encodeListsFlat(m, job.measuredLists);
    const gp = fitOnCatalogScale(measuredCodes, job.values, stats);
    const fitMs = performance.now() - fitStarted;
    progress(1);
    context.throwIfCancelled();

    // The candidate set: the pool decoded; new distinct lists that pass the checks, encoded again.
    const searchStarted = performance.now();
    const settings = { ...DEFAULT_PROPOSAL_SETTINGS, batch: job.batch, priorWeight: job.priorWeight, xi: job.xi, uncertaintyPenalty: job.uncertaintyPenalty, seed: job.seed, region: job.region ?? null };
    const pool = candidatePool(stats, { codes: measuredCodes, y: job.values }, settings);
    const poolRows = pool.length / D;
    const lists = decodeIngredientIds(m, pool, poolRows, job.constraints);
    progress(2);
    context.throwIfCancelled();
    const seen = new Set(job.measuredLists.map((l) => l.join(',')));
    const fresh: number[][] = [];
    for (const list of lists) {
      const key = list.join(',');
      if (list.length === 0 || seen.has(key)) continue;
      seen.add(key);
      fresh.push(list);
    }
    const checks = catalogChecks(job.checks.spec);
    const passing = fresh.filter((list) => checkCandidate(checks, job.checks.thresholds, list, {}).passed);
    const usedUnchecked = passing.length === 0;
    const candidates = usedUnchecked ? fresh : passing;
    if (candidates.length === 0) throw new Error(`none of the ${poolRows} codes searched decoded to a list that has not been measured already`);
    const candidateCodes = encodeListsFlat(m, candidates);
    progress(3);
    let best = -Infinity;
    for (const v of job.values) best = Math.max(best, (v - gp.yMean) / gp.yStd);
    const chosen = selectBatch(gp, candidateCodes, candidates.length, best, settings);
    const searchMs = performance.now() - searchStarted;
    const codes = new Float32Array(chosen.length * D);
    chosen.forEach((p, i) => codes.set(candidateCodes.subarray(p.index * D, (p.index + 1) * D), i * D));
    const benefits = chosen.length ? predictCodes(m, codes, chosen.length) : [];
    progress(4);
    return {
      gp: { lengthScale: gp.lengthScale, signalVariance: gp.signalVariance, noiseVariance: gp.noiseVariance, logMarginalLikelihood: gp.logMarginalLikelihood },
      proposals: chosen.map((p, i) => ({
        code: Array.from(codes.subarray(i * D, (i + 1) * D)),
        ingredientIds: candidates[p.index]!,
        expectedImprovement: p.expectedImprovement * gp.yStd,
        mean: p.mean * gp.yStd + gp.yMean,
        sd: p.sd * gp.yStd,
        acquisition: p.acquisition,
        benefits: benefits[i]!,
      })),
      pool: { codes: poolRows, distinctNew: fresh.length, passed: passing.length, usedUnchecked },
      fitMs,
      searchMs,
    };
  },
};
