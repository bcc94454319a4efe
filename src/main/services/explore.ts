import { ApiFailure, type ApiParsedArgs, type NeighbourEntry, type SensitivityReport, type WhitespaceResult } from '../../shared/contract';
import { parseInciDeclaration } from '../../shared/inci/parse';
import { interpolationPath } from '../../shared/ml/interpolate';
import { distancesFrom, kernelCount, scottBandwidth, whiten } from '../../shared/ml/latent';
import { compareLists } from '../../shared/ml/overlap';
import type { GapsResult, PredictResult, SensitivityResult } from '../compute/protocol';
import type { RunOptions } from '../compute/host';
import { getGeneratedCandidateCode } from '../db/queries/generation';
import { getIngredientRecords } from '../db/queries/ingredients';
import { getProduct, getProductLabels } from '../db/queries/products';
import { requireActiveModel, runModelJob } from './active-model';
import { overlapIndex, productLists } from './catalog-index';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { declarationIngredientIds } from './ingredient-names';
import { kde, latentSpace } from './latent-space';
import { decodeCodes, encodeLists } from './models';

/**
 * The explore capability, around one product or list: its neighbours, the density of the latent
 * space (whitespace, outliers, gaps), interpolation between two products and each dimension's
 * sensitivity. The map views are in explore-map.ts.
 */
export const exploreHandlers: HandlersOf<'neighbours' | 'whitespace' | 'density' | 'interpolate' | 'sensitivity'> = {
  /** The k nearest catalog products to a product or a typed list, in latent space and by overlap. */
  async neighbours(cx, { productId, declaration, candidate, k }) {
    const space = latentSpace(cx);
    const D = space.codes.latentDim;
    let queryIds: number[];
    let queryCode: Float32Array;
    if (candidate) {
      const stored = getGeneratedCandidateCode(cx.db, candidate.runId, candidate.rank);
      if (!stored) throw new ApiFailure('not-found', `run ${candidate.runId} has no candidate ranked ${candidate.rank}`);
      if (stored.modelId !== space.modelId) throw new ApiFailure('model-mismatch', `candidate ${candidate.rank} of run ${candidate.runId} was generated with model ${stored.modelId}; activate it to compare in its latent space`);
      queryIds = stored.ingredientIds;
      queryCode = stored.code;
    } else if (productId !== undefined) {
      const product = getProduct(cx.db, productId);
      if (!product) throw new ApiFailure('not-found', `there is no product with id ${productId}`);
      queryIds = product.ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId);
      const row = space.codes.productIds.indexOf(productId);
      queryCode = row >= 0 ? space.codes.codes.slice(row * D, (row + 1) * D) : Float32Array.from((await encodeLists(cx, { productIds: [productId] })).codes[0]!);
    } else {
      const encoded = await encodeLists(cx, { declarations: [declaration!] });
      const parsed = parseInciDeclaration(declaration!, cx.lexicon());
      queryIds = parsed.ok ? declarationIngredientIds(cx, parsed.ingredients) : [];
      queryCode = Float32Array.from(encoded.codes[0]!);
    }
    const near = nearestProducts(cx, queryIds, whiten(queryCode, 1, space.stats), k, productId);
    return {
      modelId: space.modelId,
      query: { productId: productId ?? null, ingredients: near.label(queryIds) },
      byLatent: near.byLatent!,
      byOverlap: near.byOverlap,
    };
  },

  whitespace,

  /** How crowded the latent space is at a product or a typed list, compared with the catalog. */
  async density(cx, { productId, declaration }) {
    const space = latentSpace(cx);
    const n = space.codes.productIds.length;
    const h = scottBandwidth(kernelCount(n), space.codes.latentDim);
    const catalog = await kde(cx, space, h);
    const row = productId !== undefined ? space.codes.productIds.indexOf(productId) : -1;
    let logDensity: number;
    if (row >= 0) logDensity = catalog[row]!;
    else {
      const code = (await encodeLists(cx, productId !== undefined ? { productIds: [productId] } : { declarations: [declaration!] })).codes[0]!;
      logDensity = (await kde(cx, space, h, whiten(code, 1, space.stats)))[0]!;
    }
    const below = catalog.reduce((c, v, i) => c + (i !== row && v < logDensity ? 1 : 0), 0);
    return { modelId: space.modelId, logDensity, percentile: below / Math.max(1, n - (row >= 0 ? 1 : 0)), bandwidth: h };
  },

  /** Steps between two products' codes, each decoded to its most likely list, with predicted benefits. */
  async interpolate(cx, { fromProductId, toProductId, steps, method }) {
    const model = requireActiveModel(cx);
    const ends = await encodeLists(cx, { productIds: [fromProductId, toProductId] });
    const path = interpolationPath(ends.codes[0]!, ends.codes[1]!, steps, method);
    const codes = path.map((p) => p.code);
    const decoded = await decodeCodes(cx, { codes });
    const predicted = await runModelJob<PredictResult>(cx, model, { kind: 'predict', codes });
    return {
      modelId: model.id,
      method,
      steps: path.map((p, i) => ({ t: p.t, code: p.code, ingredients: decoded.lists[i]!.ingredients, benefits: predicted.benefits[i]! })),
    };
  },

  sensitivity,
};

/**
 * Density of the catalog in latent space: a Gaussian KDE on whitened codes, bandwidth by
 * Scott's rule unless given; the sparsest products are the outlier candidates.
 */
async function whitespace(cx: ServiceContext, { k, bandwidth, bandwidthMethod, gaps: gapCount }: ApiParsedArgs['whitespace']): Promise<WhitespaceResult> {
  const space = latentSpace(cx);
  const n = space.codes.productIds.length;
  const D = space.codes.latentDim;
  const scott = scottBandwidth(kernelCount(n), D);
  let cv: { bandwidth: number; scores: { bandwidth: number; meanLogDensity: number }[] } | null = null;
  if (bandwidth === undefined && bandwidthMethod === 'cross-validation') {
    // Likelihood cross-validation: the grid bandwidth with the highest mean leave-one-out log density.
    const scores: { bandwidth: number; meanLogDensity: number }[] = [];
    for (const f of [0.5, 0.7, 1, 1.4, 2]) {
      const loo = await kde(cx, space, f * scott);
      scores.push({ bandwidth: f * scott, meanLogDensity: loo.reduce((a, b) => a + b, 0) / n });
    }
    cv = { bandwidth: scores.reduce((a, b) => (b.meanLogDensity > a.meanLogDensity ? b : a)).bandwidth, scores };
  }
  const h = bandwidth ?? cv?.bandwidth ?? scott;
  const density = await kde(cx, space, h);
  const sorted = Array.from(density).sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))]!;
  const order = Array.from(density.keys()).sort((a, b) => density[a]! - density[b]! || a - b).slice(0, k);
  let gaps: WhitespaceResult['gaps'] = [];
  let found: GapsResult | null = null;
  if (gapCount > 0) {
    const model = requireActiveModel(cx);
    found = await runModelJob<GapsResult>(cx, model, { kind: 'gaps', catalogCodes: space.codes.codes, latentDim: D, neighbours: 10, count: gapCount });
  }
  const productIdOf = (row: number) => space.codes.productIds[row]!;
  const labels = getProductLabels(cx.db, [...order, ...(found?.gaps.flatMap((g) => [g.rowA, g.rowB]) ?? [])].map(productIdOf));
  if (found) {
    const names = new Map(getIngredientRecords(cx.db, [...new Set(found.gaps.flatMap((g) => g.ingredientIds))]).map((r) => [r.id, r.inci]));
    const product = (row: number) => ({ productId: productIdOf(row), name: labels.get(productIdOf(row))!.name });
    gaps = found.gaps.map((g) => ({
      between: [product(g.rowA), product(g.rowB)],
      midpointLogDensity: g.midpointLogDensity,
      depth: g.depth,
      ingredients: g.ingredientIds.map((id) => names.get(id) ?? `#${id}`),
      benefits: g.benefits,
    }));
  }
  return {
    gaps,
    modelId: space.modelId,
    products: n,
    bandwidth: h,
    bandwidthRule:
      bandwidth !== undefined
        ? 'given'
        : cv
          ? `likelihood cross-validation over 0.5–2 × Scott's value (${scott.toFixed(3)}), on whitened codes`
          : `Scott's rule on whitened codes, h = n^(-1/(d+4)) with n = ${kernelCount(n)}${kernelCount(n) < n ? ` (a seeded subset of the ${n} products carries the kernels)` : ''}, d = ${D}`,
    ...(cv ? { bandwidthScores: cv.scores } : {}),
    logDensityPercentiles: { p5: pct(0.05), p50: pct(0.5), p95: pct(0.95) },
    sparsest: order.map((i) => ({ productId: productIdOf(i), ...labels.get(productIdOf(i))!, logDensity: density[i]! })),
  };
}

/**
 * Seed 000's sensitivity analysis in the compute process, with each dimension's correlations
 * to all others (the data behind the seed's correlation-vs-sensitivity boxplot).
 */
export async function sensitivity(cx: ServiceContext, { baseCount, resamples, seed }: ApiParsedArgs['sensitivity'], hooks: RunOptions = {}): Promise<SensitivityReport> {
  const model = requireActiveModel(cx);
  const space = latentSpace(cx);
  const D = space.codes.latentDim;
  const started = performance.now();
  const result = await runModelJob<SensitivityResult>(
    cx,
    model,
    { kind: 'sensitivity', catalogCodes: space.codes.codes, latentDim: D, baseCount, resamples, seed },
    { kind: 'sensitivity', label: 'Sensitivity of each latent dimension', hooks },
  );
  const cov = space.stats.covariance;
  const correlation = (i: number, j: number) => cov[i * D + j]! / Math.sqrt(cov[i * D + i]! * cov[j * D + j]! || 1);
  const dimensions = Array.from({ length: D }, (_, d) => ({
    dimension: d,
    variance: space.stats.variance[d]!,
    sensitivityNormal: result.normal[d]!,
    sensitivityEmpirical: result.empirical[d]!,
    correlations: Array.from({ length: D }, (_, j) => j).filter((j) => j !== d).map((j) => correlation(d, j)),
  })).sort((a, b) => b.sensitivityNormal - a.sensitivityNormal || a.dimension - b.dimension);
  return { modelId: model.id, baseCount, resamples, seed, decodes: result.decodes, elapsedMs: Math.round(performance.now() - started), dimensions };
}

/** The catalog products nearest to a list, by latent distance and by overlap, as `nearestProducts` returns them. */
export interface NearestProducts {
  byLatent: NeighbourEntry[] | null;
  byOverlap: NeighbourEntry[];
  /** Names of ingredient ids (the query's placeholders by `queryNames`). */
  label: (ids: readonly number[]) => string[];
}

/**
 * The k catalog products nearest to a list: by distance between whitened latent codes (when
 * the list's whitened code is given; the active model's space) and by position-weighted
 * ingredient overlap, each with the ingredients shared and those only on one side. Ids absent
 * from the database (negative placeholders) are named by `queryNames`.
 */
export function nearestProducts(
  cx: ServiceContext,
  queryIds: readonly number[],
  whitenedQuery: Float64Array | null,
  k: number,
  excludeProductId?: number,
  queryNames: ReadonlyMap<number, string> = new Map(),
): NearestProducts {
  const lists = productLists(cx);
  let distanceOf: Map<number, number> | null = null;
  let byDistance: { id: number; d: number }[] | null = null;
  if (whitenedQuery) {
    const space = latentSpace(cx);
    const distances = distancesFrom(whitenedQuery, space.whitened, space.codes.productIds.length, space.codes.latentDim);
    distanceOf = new Map(space.codes.productIds.map((id, i) => [id, distances[i]!]));
    byDistance = space.codes.productIds
      .map((id, i) => ({ id, d: distances[i]! }))
      .filter((x) => x.id !== excludeProductId)
      .sort((a, b) => a.d - b.d || a.id - b.id)
      .slice(0, k);
  }
  const overlap = overlapIndex(cx);
  const weighted = overlap.index.weightedJaccards(queryIds);
  const byOverlap = overlap.productIds
    .map((id, row) => ({ id, w: weighted[row]! }))
    .filter((x) => x.id !== excludeProductId)
    .sort((a, b) => b.w - a.w || a.id - b.id)
    .slice(0, k);
  // Names only for what is shown: the query and the chosen products' lists.
  const shown = [...(byDistance ?? []), ...byOverlap];
  const shownIds = new Set([...queryIds, ...shown.flatMap((x) => lists.get(x.id) ?? [])]);
  const names = new Map(getIngredientRecords(cx.db, [...shownIds].filter((id) => id > 0)).map((r) => [r.id, r.inci]));
  const label = (ids: readonly number[]) => ids.map((id) => queryNames.get(id) ?? names.get(id) ?? 'unknown ingredient');
  const labels = getProductLabels(cx.db, shown.map((x) => x.id));
  const entry = (id: number, distance: number | null): NeighbourEntry => {
    const o = compareLists(queryIds, lists.get(id) ?? []);
    return { productId: id, ...labels.get(id)!, distance, jaccard: o.jaccard, weightedJaccard: o.weightedJaccard, shared: label(o.shared), onlyInQuery: label(o.onlyInFirst), onlyInProduct: label(o.onlyInSecond) };
  };
  return {
    byLatent: byDistance?.map((x) => entry(x.id, x.d)) ?? null,
    byOverlap: byOverlap.map((x) => entry(x.id, distanceOf?.get(x.id) ?? null)),
    label,
  };
}
