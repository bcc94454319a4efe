import { ApiFailure, type ApiParsedArgs, type OptimizationResult } from '../../shared/api';
import { kernelCount, scottBandwidth, whiten, type LatentRegion } from '../../shared/ml/latent';
import { quantile, REPULSION_BANDWIDTH, targetsVerdict } from '../../shared/ml/objective';
import type { StoredModel } from '../db/queries/models';
import { getProduct } from '../db/queries/products';
import { checkCandidate } from '../generate/kernels';
import type { ManifoldGuard, RestartDiversity } from '../optimize/gradient';
import { inverseLowerTriangular, jitteredStarts, nearestOtherDistances, randomStarts, resolveTerms } from '../optimize/plan';
import { requireActiveModel, runModelJob } from './active-model';
import { requireCandidate } from './candidates';
import { catalogIndex } from './catalog-index';
import { Derived, KeyedSlot, type ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { productIngredientIds } from './ingredient-names';
import { kde, latentSpace, type LatentSpace } from './latent-space';
import { briefConstraintsForModel, briefProvenance, resolveBrief } from './briefs';
import { categoryRegion } from './categories';

/** The active model's catalog predictions per benefit and nearest-code distances (a model's never change). */
const BASIS = new Derived(['catalog'], () => new KeyedSlot<number, { predictions: Map<string, number[]>; nearest: Float64Array }>());

/** The optimize capability: gradient optimisation of latent codes against the benefit heads. */
export const optimizeHandlers: HandlersOf<'optimize'> = { optimize };

/**
 * Gradient optimisation in the compute process from random draws, a product or a saved
 * candidate, with the prior penalty and a manifold guard; each restart's final list is judged
 * (targets met, still met when encoded again, the generate checks passed) and the best chosen.
 */
async function optimize(cx: ServiceContext, a: ApiParsedArgs['optimize']): Promise<OptimizationResult> {
  const started = performance.now();
  const model = requireActiveModel(cx);
  // A brief is checked, and turned into the decoder's constraints, before any work starts.
  const brief = resolveBrief(cx, a.brief, a.briefRules);
  const constraints = brief ? briefConstraintsForModel(cx, model.id, brief) : null;
  const known = model.metrics.benefits.map((b) => b.name);
  for (const [i, t] of a.terms.entries()) {
    if (!known.includes(t.benefit)) {
      throw new ApiFailure('invalid-argument', `term ${i + 1}: the active model predicts no benefit "${t.benefit}"; it predicts ${known.map((k) => `"${k}"`).join(', ')}`);
    }
  }
  const space = await latentSpace(cx);
  const D = space.codes.latentDim;
  const n = space.codes.productIds.length;
  const slot = cx.get(BASIS);
  let basis = slot.get(space.modelId);
  if (!basis) {
    const codes = Array.from({ length: n }, (_, i) => Array.from(space.codes.codes.subarray(i * D, (i + 1) * D)));
    const predicted = await runModelJob(cx, model, { kind: 'predict', codes });
    const predictions = new Map(known.map((name) => [name, predicted.benefits.map((b) => b[name]!)]));
    basis = slot.set(space.modelId, { predictions, nearest: nearestOtherDistances(space.codes.codes, n, D) });
  }
  const terms = resolveTerms(a.terms, basis.predictions);
  const { guard, guardSpec } = await manifoldGuard(cx, space, a.guard, basis.nearest);
  const category = brief?.rules.category && a.start.kind === 'random' ? { name: brief.rules.category, region: await categoryRegion(cx, brief.rules.category) } : null;
  const { starts, startLabels } = await startingCodes(cx, model, space, a, category);

  const index = catalogIndex(cx);
  const thresholds = { minNovelty: a.minNovelty, minPlausibility: a.minPlausibility, benefitThresholds: {} };
  const computeStarted = performance.now();
  const outcome = await runModelJob(
    cx,
    model,
    {
      kind: 'optimize',
      starts,
      rows: a.restarts,
      terms,
      priorWeight: a.priorWeight,
      cycleWeight: a.cycleWeight,
      lengthRange: index.checks.lengthRange,
      checks: { spec: index.checksSpec, thresholds },
      guard: guardSpec,
      catalogCodes: space.codes.codes,
      maxSteps: a.maxSteps,
      learningRate: a.learningRate,
      tolerance: 1e-5,
      patience: 10,
      gradientTolerance: 1e-4,
      projectEvery: a.projectEvery,
      patienceProjections: 4,
      diversity: restartDiversity(space, a),
      uncertaintyPenalty: a.uncertaintyPenalty,
      constraints,
    },
    { kind: 'optimize', label: `Optimising ${terms.map((t) => `${t.goal} ${t.benefit}`).join(', ')}` },
  );
  const computeMs = performance.now() - computeStarted;

  // How far in distribution each final code is, on the density guard's scale.
  const finals = Float64Array.from(outcome.restarts.flatMap((r) => r.path.at(-1)!.code));
  const logDensities = await kde(cx, space, scottBandwidth(kernelCount(n), D), whiten(finals, outcome.restarts.length, space.stats));

  // Judge each final list: targets met, still met when encoded again, and the generate job's checks.
  const names = (ids: readonly number[]) => ids.map((id) => index.records.get(id)?.inci ?? `#${id}`);
  const restarts = outcome.restarts.map((r, i) => {
    const last = r.path.at(-1)!;
    const targets = targetsVerdict(terms, last.benefits);
    const again = targetsVerdict(terms, r.reencodedBenefits);
    const checked = checkCandidate(index.checks, thresholds, last.ingredientIds, last.benefits);
    const success = targets.met && again.met && checked.passed;
    return {
      start: startLabels[i]!,
      steps: r.steps,
      stopReason: r.stopReason,
      path: r.path.map((p) => ({ step: p.step, code: p.code, objective: p.objective, benefits: p.benefits, ingredients: names(p.ingredientIds) })),
      final: {
        code: last.code,
        objective: last.objective,
        ingredientIds: last.ingredientIds,
        ingredients: names(last.ingredientIds),
        benefits: last.benefits,
        reencodedBenefits: r.reencodedBenefits,
        estimates: r.estimates,
        uncertaintyPenalty: r.uncertaintyPenalty,
        nearestDistance: r.nearestDistance,
        logDensity: logDensities[i]!,
        targetsMet: targets.met,
        consistent: again.met,
        checksPassed: checked.passed,
        success,
        novelty: checked.novelty,
        plausibility: checked.plausibility,
        reasons: [...targets.reasons, ...again.reasons.map((x) => `encoded again: ${x}`), ...(checked.passed ? ['passes the generate checks'] : checked.reasons)],
      },
      provenance: {
        source: 'optimised' as const,
        modelId: model.id,
        modelSha256: model.manifestSha256,
        details: {
          method: 'gradient ascent (Adam) on the benefit heads with prior penalty and manifold guard',
          terms: terms.map((t) => ({ benefit: t.benefit, goal: t.goal, weight: t.weight, bar: t.bar, tolerance: t.tolerance })),
          priorWeight: a.priorWeight,
          ...(a.uncertaintyPenalty > 0 ? { uncertaintyPenalty: a.uncertaintyPenalty } : {}),
          ...(brief ? { brief: briefProvenance(brief) } : {}),
          guard,
          start: startLabels[i]!,
          steps: r.steps,
          stopReason: r.stopReason,
          learningRate: a.learningRate,
          success,
        },
      },
    };
  });
  const distinct = distinctEnds(restarts.map((r) => r.final));
  return {
    modelId: model.id,
    terms,
    priorWeight: a.priorWeight,
    guard,
    diversity: a.diversity,
    uncertaintyPenalty: a.uncertaintyPenalty,
    brief,
    restarts,
    distinct,
    best: distinct[0]!.restarts[0]!,
    successes: restarts.filter((r) => r.final.success).length,
    timingsMs: { total: performance.now() - started, compute: computeMs },
  };
}

/** Successful first, then the lower objective. */
function betterEnd(a: { success: boolean; objective: number }, b: { success: boolean; objective: number }): boolean {
  return Number(a.success) > Number(b.success) || (a.success === b.success && a.objective < b.objective);
}

/** Restarts grouped by the list they ended on, each group best first, the best group first. */
export function distinctEnds(finals: readonly { ingredientIds: readonly number[]; success: boolean; objective: number }[]): OptimizationResult['distinct'] {
  const groups = new Map<string, number[]>();
  finals.forEach((f, i) => {
    const key = f.ingredientIds.join(',');
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  const order = (x: number, y: number) => (betterEnd(finals[x]!, finals[y]!) ? -1 : betterEnd(finals[y]!, finals[x]!) ? 1 : x - y);
  return [...groups.values()].map((g) => ({ restarts: g.sort(order) })).sort((x, y) => order(x.restarts[0]!, y.restarts[0]!));
}

/** What keeps the restarts apart, in the catalog's whitened units (null: independent restarts). */
function restartDiversity(space: LatentSpace, a: ApiParsedArgs['optimize']): RestartDiversity | null {
  if (a.diversity === 0) return null;
  const D = space.codes.latentDim;
  return {
    weight: a.diversity,
    bandwidth: REPULSION_BANDWIDTH,
    whitening: Float32Array.from(inverseLowerTriangular(space.stats.cholesky, D)),
    cholesky: Float32Array.from(space.stats.cholesky),
    nudge: 0.25,
    seed: a.start.seed,
  };
}

/** The guard keeping codes near the catalog: a density floor (a KDE quantile) or a radius around the nearest catalog code. */
async function manifoldGuard(
  cx: ServiceContext,
  space: LatentSpace,
  wanted: ApiParsedArgs['optimize']['guard'],
  nearest: Float64Array,
): Promise<{ guard: OptimizationResult['guard']; guardSpec: ManifoldGuard | null }> {
  const D = space.codes.latentDim;
  if (wanted.kind === 'density') {
    const h = scottBandwidth(kernelCount(space.codes.productIds.length), D);
    const floor = quantile(Array.from(await kde(cx, space, h)), wanted.floorQuantile);
    return {
      guard: { kind: 'density', quantile: wanted.floorQuantile, floor, radius: null, weight: wanted.weight },
      guardSpec: {
        kind: 'density',
        whitening: Float32Array.from(inverseLowerTriangular(space.stats.cholesky, D)),
        mean: Float32Array.from(space.stats.mean),
        catalogWhite: Float32Array.from(space.whitened),
        bandwidth: h,
        floor,
        weight: wanted.weight,
      },
    };
  }
  if (wanted.kind === 'nearest-code') {
    const radius = quantile(Array.from(nearest), wanted.radiusQuantile);
    return {
      guard: { kind: 'nearest-code', quantile: wanted.radiusQuantile, floor: null, radius, weight: wanted.weight },
      guardSpec: { kind: 'nearest-code', catalogCodes: space.codes.codes, radius, weight: wanted.weight },
    };
  }
  return { guard: null, guardSpec: null };
}

/** Starting codes: draws from the catalog's fitted normal, or a product's or candidate's code and jitter around it. */
async function startingCodes(cx: ServiceContext, model: StoredModel, space: LatentSpace, a: ApiParsedArgs['optimize'], category: { name: string; region: LatentRegion } | null): Promise<{ starts: Float32Array; startLabels: string[] }> {
  if (a.start.kind === 'random') {
    const seed = a.start.seed;
    // A brief's category: the draws come from its region of the space.
    const from = category ? { d: space.stats.d, ...category.region } : space.stats;
    return { starts: randomStarts(from, a.restarts, seed), startLabels: Array.from({ length: a.restarts }, (_, r) => `random draw ${r + 1} (seed ${seed}${category ? `, ${category.name} region` : ''})`) };
  }
  let list: number[];
  let label: string;
  if (a.start.kind === 'product') {
    const product = getProduct(cx.db, a.start.productId);
    if (!product) throw new ApiFailure('not-found', `there is no product with id ${a.start.productId}`);
    list = productIngredientIds(product);
    label = `product ${product.id} (${product.name})`;
  } else {
    const wanted = a.start.version;
    const candidate = requireCandidate(cx, a.start.candidateId);
    const version = wanted === undefined ? candidate.versions.at(-1) : candidate.versions.find((v) => v.version === wanted);
    if (!version) throw new ApiFailure('not-found', `candidate ${candidate.id} has no version ${wanted}`);
    list = version.ingredients.map((x) => x.ingredientId);
    label = `candidate ${candidate.id} v${version.version} (${candidate.name})`;
  }
  const encoded = await runModelJob(cx, model, { kind: 'encode', lists: [list] });
  if (encoded.unknown[0] === list.length) throw new ApiFailure('invalid-argument', `${label}: none of its ingredients is in the model's vocabulary, so it has no code to start from`);
  return { starts: jitteredStarts(encoded.codes[0]!, space.stats, a.restarts, a.start.seed), startLabels: Array.from({ length: a.restarts }, (_, r) => (r === 0 ? label : `${label}, jittered ${r}`)) };
}
