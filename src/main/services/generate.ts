import { apiSchemas, ApiFailure, candidateProvenanceSchema, type ApiParsedArgs, type CandidateProvenance, type GenerateReport, type GeneratedCandidateView } from '../../shared/api';
import { pageGeneratedCandidates } from '../../shared/generated';
import type { IngredientFacts } from '../../shared/ml/checks';
import type { RunOptions } from '../compute/host';
import type { GenerateOutcome } from '../generate/job';
import { getRunCandidates, insertGenerationRun, type StoredGeneratedCandidate } from '../db/queries/generation';
import { getIngredientRecords } from '../db/queries/ingredients';
import { getProductLabels } from '../db/queries/products';
import { getActiveModel } from '../db/queries/models';
import { requireActiveModel, runModelJob } from './active-model';
import { incompatibleGroups, ingredientFacts, productLists } from './catalog-index';
import { Derived, KeyedSlot, type ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { draftFormula } from './formula';
import { ACTIVE_FUNCTIONS } from '../../shared/formula/estimate';
import { latentSpace } from './latent-space';
import { briefConstraintsForModel, resolveBrief } from './briefs';
import { categoryModel, categoryRegions, readCategories, type CategoryModel } from './categories';

/**
 * The last browsed run's candidates with names resolved (runs never change; names may, so it is
 * dropped with the catalog state): paging and re-sorting then only sort.
 */
const RUN_VIEWS = new Derived(['catalog', 'ingredients'], () => new KeyedSlot<number, GeneratedCandidateView[]>());

/** The generate capability: sampling, decoding and checking new lists, and browsing the stored runs. */
export const generateHandlers: HandlersOf<'generate' | 'listGeneratedCandidates'> = {
  generate,

  /**
   * A stored run's decoded candidates, passed and rejected, each with its scores and reasons:
   * filtered, sorted (ties by rank) and paged.
   */
  async listGeneratedCandidates(cx, { runId, activeLevels, ...request }) {
    const slot = cx.get(RUN_VIEWS);
    const views = slot.get(runId) ?? slot.set(runId, generatedCandidateViews(cx, runId));
    const page = pageGeneratedCandidates(views, request);
    return { runId, ...page, items: activeLevels ? page.items.map((c) => withActiveLevels(cx, c)) : page.items };
  },
};

/** Draft-formula summaries of generated lists, by list (an estimate depends only on the list and the knowledge). */
const LIST_FORMULAS = new Derived(['ingredients'], () => new Map<string, NonNullable<GeneratedCandidateView['formula']>>());

/** A generated candidate with its draft formula's status and its actives' estimated levels. */
function withActiveLevels(cx: ServiceContext, c: GeneratedCandidateView): GeneratedCandidateView {
  const cache = cx.get(LIST_FORMULAS);
  const key = c.ingredients.join('\u0000');
  let formula = cache.get(key);
  if (!formula) {
    const draft = draftFormula(cx, { ingredients: c.ingredients });
    formula = {
      status: draft.status,
      actives: draft.lines.filter((l) => l.functions.some((f) => ACTIVE_FUNCTIONS.has(f))).map((l) => ({ inci: l.inci ?? l.name, percent: l.estimate, low: l.low, high: l.high })),
    };
    cache.set(key, formula);
  }
  return { ...c, formula };
}

/**
 * The compute job of a generate request on the active model: the brief checked and turned into
 * the decoder's constraints (refused before any work), the category's regions, the centre, and
 * the catalog's lists, facts and incompatibilities the checks use.
 */
async function generateJob(cx: ServiceContext, params: ApiParsedArgs['generate']) {
  const model = requireActiveModel(cx);
  const brief = resolveBrief(cx, params.brief, params.briefRules);
  const constraints = brief ? briefConstraintsForModel(cx, model.id, brief) : null;
  const space = await latentSpace(cx);
  const D = space.codes.latentDim;
  const category = brief?.rules.category ?? null;
  const regions = category ? await categoryRegions(cx, category) : null;
  let centre: number[] | null = null;
  if (params.centreProductId !== undefined) {
    const row = space.codes.productIds.indexOf(params.centreProductId);
    if (row < 0) throw new ApiFailure('not-found', `product ${params.centreProductId} has no code under the active model (not in the catalog it was trained on)`);
    centre = Array.from(space.codes.codes.subarray(row * D, (row + 1) * D));
  }
  const lists = productLists(cx);
  const catalogLists = space.codes.productIds.map((id) => lists.get(id) ?? []);
  const ids = [...new Set(catalogLists.flat())];
  const facts: [number, IngredientFacts][] = getIngredientRecords(cx.db, ids).map((r) => [r.id, ingredientFacts(r)]);
  const job = {
    kind: 'generate' as const,
    catalogCodes: space.codes.codes,
    latentDim: D,
    catalogLists,
    facts,
    incompatible: incompatibleGroups(cx),
    params: {
      n: params.n,
      k: params.k,
      temperature: params.temperature,
      seed: params.seed,
      centre,
      category: regions,
      densityFloorQuantile: params.densityFloorQuantile,
      minNovelty: params.minNovelty,
      minPlausibility: params.minPlausibility,
      benefitThresholds: params.benefitThresholds,
      baselines: params.baselines,
      allowShortLists: params.allowShortLists,
      completeStructure: params.completeStructure,
      constraints,
    },
  };
  return { model, brief, space, category, job };
}

/** The small job a warm-up runs: every stage of a real one (sampling, density, decoding, checks) on few samples. */
const WARM_UP = { n: 512, k: 16, seed: 1 } as const;

/**
 * Gets the active model ready for a first generate job without waiting for one: starts the compute
 * process, loads the model, fits the latent space (or reads it from the model's generate cache)
 * and runs a small job through every stage, storing nothing. The desktop app and the preview call
 * it once at start, in the background; it does nothing without an active model and never throws
 * (a failure here is the first real job's to report). Resolves with what it did and how long it took.
 */
export async function warmUp(cx: ServiceContext): Promise<{ ran: boolean; ms: number; reason?: string }> {
  const started = performance.now();
  try {
    if (!getActiveModel(cx.db)) return { ran: false, ms: 0, reason: 'no active model' };
    const params = apiSchemas.generate.parse(WARM_UP) as ApiParsedArgs['generate'];
    const { model, job } = await generateJob(cx, params);
    await runModelJob(cx, model, job, { kind: 'generate', label: 'Getting the model ready' });
    return { ran: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { ran: false, ms: Math.round(performance.now() - started), reason: (error as Error).message };
  }
}

/**
 * Seed 000's generate-and-filter job on the active model, in the compute process; the run
 * and every decoded candidate are stored with full provenance in one transaction (a
 * cancelled or failed run stores nothing).
 */
export async function generate(cx: ServiceContext, params: ApiParsedArgs['generate'], hooks: RunOptions = {}): Promise<GenerateReport> {
  const { model, brief, space, category, job } = await generateJob(cx, params);
  const started = performance.now();
  const outcome = await runModelJob(cx, model, job, { kind: 'generate', label: `Generating ${params.n.toLocaleString('en')} samples`, hooks });
  if (outcome.counts.aboveFloor === 0) throw new ApiFailure('empty-result', `no sample reached the density floor (quantile ${params.densityFloorQuantile}); lower the floor or raise the temperature`);
  const categoryReport = category ? checkCategory(outcome, await categoryModel(cx, space), category) : undefined;
  const totalMs = Math.round(performance.now() - started);
  const names = new Map(getIngredientRecords(cx.db, [...new Set(outcome.candidates.flatMap((c) => c.ingredientIds))]).map((r) => [r.id, r.inci]));
  const nearestIdOf = (c: GenerateOutcome['candidates'][number]) => (c.nearestRow >= 0 ? space.codes.productIds[c.nearestRow]! : null);
  const labels = getProductLabels(cx.db, [...new Set(outcome.candidates.map(nearestIdOf).filter((id): id is number => id !== null))]);
  const view = (c: GenerateOutcome['candidates'][number], rank: number) => {
    const nearestId = nearestIdOf(c);
    return {
      rank,
      ingredients: c.ingredientIds.map((id) => names.get(id) ?? `#${id}`),
      passed: c.passed,
      score: c.score,
      novelty: c.novelty,
      plausibility: c.plausibility,
      logDensity: c.logDensity,
      benefits: c.benefits,
      ...(c.uncertainty ? { uncertainty: c.uncertainty } : {}),
      nearestProduct: nearestId === null ? null : { id: nearestId, name: labels.get(nearestId)?.name ?? '' },
      ...(c.readsAs ? { readsAs: c.readsAs } : {}),
      reasons: c.reasons,
    };
  };
  const backend = (await cx.compute.start()).name;
  const saving = performance.now();
  const runId = await cx.exclusive(() =>
    insertGenerationRun(
      cx.db,
      { modelId: model.id, createdAt: new Date().toISOString(), backend, params: brief ? { ...params, appliedBrief: brief } : params, timings: { ...outcome.timingsMs, totalMs }, counts: outcome.counts, quality: outcome.quality, densityFloor: outcome.densityFloor },
      outcome.candidates.map((c) => ({
        passed: c.passed,
        ingredientIds: c.ingredientIds,
        code: c.code,
        scores: { score: c.score, novelty: c.novelty, plausibility: c.plausibility, logDensity: c.logDensity, benefits: c.benefits, ...(c.uncertainty ? { uncertainty: c.uncertainty } : {}), nearestProductId: nearestIdOf(c), ...(c.readsAs ? { readsAs: c.readsAs } : {}) },
        reasons: c.reasons,
      })),
    ),
  );
  return {
    runId,
    modelId: model.id,
    backend,
    params: { ...params },
    timingsMs: outcome.timingsMs,
    totalMs,
    savedMs: Math.round(performance.now() - saving),
    work: outcome.work,
    densityFloor: outcome.densityFloor,
    counts: outcome.counts,
    quality: outcome.quality,
    baselines: outcome.baselines,
    shortlist: outcome.candidates.filter((c) => c.passed).slice(0, params.shortlist).map((c, i) => view(c, i + 1)),
    brief,
    ...(categoryReport ? { category: categoryReport } : {}),
  };
}

/**
 * A brief's category as a check: every decoded list is read by the catalog's category classifier;
 * a list read as another category fails, with the reason, and the passed lists move ahead of it
 * in their order. Returns the share read as the category before the check.
 */
function checkCategory(outcome: GenerateOutcome, model: CategoryModel, category: string): NonNullable<GenerateReport['category']> {
  const reads = readCategories(model, outcome.candidates.map((c) => c.ingredientIds), category);
  let readAsCategory = 0;
  outcome.candidates.forEach((c, i) => {
    const read = reads[i]!;
    c.readsAs = { category: read.category, probability: read.probability };
    if (read.category === category) {
      readAsCategory++;
      return;
    }
    c.reasons.push(`reads as ${read.category} (${Math.round(read.probability * 100)} %), not ${category} (${Math.round(read.target * 100)} %)`);
    c.passed = false;
  });
  outcome.candidates = [...outcome.candidates.filter((c) => c.passed), ...outcome.candidates.filter((c) => !c.passed)];
  outcome.counts.passed = outcome.candidates.filter((c) => c.passed).length;
  return { category, decoded: outcome.candidates.length, readAsCategory };
}

/** Every candidate of a stored run as the UI shows it (names resolved), by rank. */
function generatedCandidateViews(cx: ServiceContext, runId: number): GeneratedCandidateView[] {
  const stored = getRunCandidates(cx.db, runId);
  if (!stored) throw new ApiFailure('not-found', `there is no generation run ${runId}; run Generate again`);
  const names = new Map(getIngredientRecords(cx.db, [...new Set(stored.flatMap((c) => c.ingredientIds))]).map((r) => [r.id, r.inci]));
  const labels = getProductLabels(cx.db, [...new Set(stored.flatMap((c) => (c.scores.nearestProductId == null ? [] : [c.scores.nearestProductId])))]);
  return stored.map((c): GeneratedCandidateView => {
    const nearestId = c.scores.nearestProductId ?? null;
    return {
      rank: c.rank,
      ingredients: c.ingredientIds.map((id) => names.get(id) ?? `#${id}`),
      passed: c.passed,
      score: c.scores.score ?? 0,
      novelty: c.scores.novelty ?? 0,
      plausibility: c.scores.plausibility ?? 0,
      logDensity: c.scores.logDensity ?? 0,
      benefits: c.scores.benefits ?? {},
      ...(c.scores.uncertainty ? { uncertainty: c.scores.uncertainty } : {}),
      nearestProduct: nearestId === null ? null : { id: nearestId, name: labels.get(nearestId)?.name ?? `product ${nearestId} (deleted)` },
      ...(c.scores.readsAs ? { readsAs: c.scores.readsAs } : {}),
      reasons: c.reasons,
    };
  });
}

/** Provenance of a generated candidate: the run, the rank, the model (id and manifest sha256), the seed and every parameter. */
export function generatedProvenance(generated: StoredGeneratedCandidate): CandidateProvenance {
  return candidateProvenanceSchema.parse({
    source: 'generated',
    runId: generated.runId,
    rank: generated.rank,
    modelId: generated.run.modelId,
    modelSha256: generated.run.modelSha256,
    details: {
      modelName: generated.run.modelName,
      runCreatedAt: generated.run.createdAt,
      backend: generated.run.backend,
      seed: generated.run.params.seed ?? null,
      params: generated.run.params,
      passedAllChecks: generated.passed,
      nearestProductId: generated.scores.nearestProductId ?? null,
    },
  });
}

/**
 * A generated candidate's stored scores as a flat record of numbers: score, novelty,
 * plausibility, logDensity, `predicted_<benefit>` (the generate CSV's column names) and
 * `uncertainty_<benefit>` (half-width of its 80 % interval) where the run stored one.
 */
export function generatedScores(stored: StoredGeneratedCandidate['scores']): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const key of ['score', 'novelty', 'plausibility', 'logDensity'] as const) {
    const value = stored[key];
    if (typeof value === 'number' && Number.isFinite(value)) scores[key] = value;
  }
  for (const [benefit, value] of Object.entries(stored.benefits ?? {})) if (Number.isFinite(value)) scores[`predicted_${benefit}`] = value;
  for (const [benefit, value] of Object.entries(stored.uncertainty ?? {})) if (Number.isFinite(value)) scores[`uncertainty_${benefit}`] = value;
  return scores;
}
