import { ApiFailure, candidateProvenanceSchema, type ApiParsedArgs, type BatchProposalResult } from '../../shared/api';
import { listLabResults } from '../db/queries/lab-results';
import { checkCandidate } from '../generate/kernels';
import { requireActiveModel, runModelJob } from './active-model';
import { catalogIndex } from './catalog-index';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { latentSpace } from './latent-space';
import { briefConstraintsForModel, briefProvenance, resolveBrief } from './briefs';
import { categoryRegion } from './categories';

const METHOD =
  'Bayesian optimisation: Gaussian process (Matérn 5/2, hyper-parameters by maximum marginal likelihood) on the codes of the measured lists; expected improvement with the prior penalty, maximised over decoded, checked, new lists from draws of the catalog normal and around the best results; batch spread by the kriging believer';

/** The bayes capability: new formulations proposed from measured lab results. */
export const bayesHandlers: HandlersOf<'proposeBatch'> = { proposeBatch };

/**
 * Bayesian optimisation from the lab results of one property: the GP and the search run in the
 * compute process (src/main/optimize/bayes.ts); each proposal is then checked like a generated
 * candidate. Writes nothing: accepted proposals are saved with `saveCandidate`.
 */
async function proposeBatch(cx: ServiceContext, a: ApiParsedArgs['proposeBatch']): Promise<BatchProposalResult> {
  const started = performance.now();
  const model = requireActiveModel(cx);
  const results = listLabResults(cx.db, { property: a.property, limit: 1_000_000, offset: 0 }).items;
  if (results.length < 2) {
    throw new ApiFailure('invalid-argument', `Bayesian optimisation needs at least two lab results for "${a.property}"; there ${results.length === 1 ? 'is one' : 'are none'}. Record measured results first.`);
  }
  const property = results[0]!.property;
  const units = [...new Set(results.map((r) => r.unit))].sort();
  if (units.length > 1) throw new ApiFailure('invalid-argument', `the results for "${property}" are in more than one unit (${units.map((u) => `"${u}"`).join(', ')}); correct them to one unit first`);
  const formulations = new Set(results.map((r) => r.ingredientIds.join(','))).size;
  // A brief is checked, and turned into the decoder's constraints, before any work starts.
  const brief = resolveBrief(cx, a.brief, a.briefRules);
  const constraints = brief ? briefConstraintsForModel(cx, model.id, brief) : null;
  const sign = a.goal === 'minimize' ? -1 : 1;
  const space = await latentSpace(cx);
  const index = catalogIndex(cx);
  const thresholds = { minNovelty: a.minNovelty, minPlausibility: a.minPlausibility, benefitThresholds: {} };
  const outcome = await runModelJob(
    cx,
    model,
    {
      kind: 'propose',
      catalogCodes: space.codes.codes,
      measuredLists: results.map((r) => r.ingredientIds),
      values: results.map((r) => sign * r.value),
      batch: a.batch,
      priorWeight: a.priorWeight,
      xi: a.xi,
      uncertaintyPenalty: a.uncertaintyPenalty,
      constraints,
      region: brief?.rules.category ? await categoryRegion(cx, brief.rules.category) : null,
      seed: a.seed,
      checks: { spec: index.checksSpec, thresholds },
    },
    { kind: 'propose', label: `Proposing ${a.batch} formulation${a.batch === 1 ? '' : 's'} for ${a.goal === 'minimize' ? 'lower' : 'higher'} ${property}` },
  );
  const bestResult = results.reduce((b, r) => (sign * r.value > sign * b.value ? r : b));
  const gp = outcome.gp;
  const proposals = outcome.proposals.map((p, i) => {
    const checked = checkCandidate(index.checks, thresholds, p.ingredientIds, p.benefits);
    const mean = sign * p.mean;
    return {
      rank: i + 1,
      code: p.code,
      ingredientIds: p.ingredientIds,
      ingredients: p.ingredientIds.map((id) => index.records.get(id)?.inci ?? `#${id}`),
      expectedImprovement: p.expectedImprovement,
      mean,
      sd: p.sd,
      benefits: p.benefits,
      novelty: checked.novelty,
      plausibility: checked.plausibility,
      checksPassed: checked.passed,
      reasons: checked.passed ? ['passes the generate checks'] : checked.reasons,
      provenance: candidateProvenanceSchema.parse({
        source: 'optimised',
        modelId: model.id,
        modelSha256: model.manifestSha256,
        details: { method: METHOD, property, unit: units[0], goal: a.goal, results: results.length, formulations, rank: i + 1, expectedImprovement: p.expectedImprovement, predictedMean: mean, predictedSd: p.sd, gp, priorWeight: a.priorWeight, xi: a.xi, ...(a.uncertaintyPenalty > 0 ? { uncertaintyPenalty: a.uncertaintyPenalty } : {}), ...(brief ? { brief: briefProvenance(brief) } : {}), seed: a.seed },
      }),
    };
  });
  return {
    modelId: model.id,
    property,
    unit: units[0]!,
    goal: a.goal,
    results: results.length,
    formulations,
    best: { value: bestResult.value, subject: bestResult.subject.name },
    gp,
    method: METHOD,
    proposals,
    pool: outcome.pool,
    brief,
    timingsMs: { total: performance.now() - started, fit: outcome.fitMs, search: outcome.searchMs },
  };
}
