import { ApiFailure, type ApiParsedArgs, type NeighbourEntry, type SensitivityReport, type WhitespaceResult } from '../../shared/api';
import { parseInciDeclaration } from '../../shared/inci/parse';
import { interpolationPath } from '../../shared/ml/interpolate';
import { distancesFrom, kernelCount, projectPca, scottBandwidth, whiten } from '../../shared/ml/latent';
import { compareLists } from '../../shared/ml/overlap';
import type { ResultOf } from '../compute/protocol';
import type { RunOptions } from '../compute/host';
import { getGeneratedCandidateCode, getGenerationRunHeader, getPassedCandidateCodes } from '../db/queries/generation';
import { getIngredientRecords } from '../db/queries/ingredients';
import { getProduct, getProductLabels, getProductMapInfo } from '../db/queries/products';
import { requireActiveModel, runModelJob } from './active-model';
import { overlapIndex, productLists } from './catalog-index';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { declarationIngredientIds, productIngredientIds } from './ingredient-names';
import { kde, latentSpace, type LatentSpace } from './latent-space';
import { decodeCodes, encodeLists } from './models';
import { productsMeetingBrief, resolveBrief } from './briefs';

/**
 * The explore capability, around one product or list: its neighbours, the density of the latent
 * space (whitespace, outliers, gaps), interpolation between two products and each dimension's
 * sensitivity, and the map of the catalog's codes.
 */
export const exploreHandlers: HandlersOf<'neighbours' | 'whitespace' | 'density' | 'interpolate' | 'sensitivity' | 'latentMap' | 'mapProducts' | 'latentStatistics' | 'projectCodes' | 'mapGenerated'> = {
  /** The k nearest catalog products to a product or a typed list, in latent space and by overlap. */
  async neighbours(cx, { productId, declaration, candidate, k, brief, briefRules }) {
    const applied = resolveBrief(cx, brief, briefRules);
    const space = await latentSpace(cx);
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
      queryIds = productIngredientIds(product);
      const row = space.codes.productIds.indexOf(productId);
      queryCode = row >= 0 ? space.codes.codes.slice(row * D, (row + 1) * D) : Float32Array.from((await encodeLists(cx, { productIds: [productId] })).codes[0]!);
    } else {
      const encoded = await encodeLists(cx, { declarations: [declaration!] });
      const parsed = parseInciDeclaration(declaration!, cx.lexicon());
      queryIds = parsed.ok ? declarationIngredientIds(cx, parsed.ingredients) : [];
      queryCode = Float32Array.from(encoded.codes[0]!);
    }
    const meeting = applied ? productsMeetingBrief(cx, applied) : null;
    const near = await nearestProducts(cx, queryIds, whiten(queryCode, 1, space.stats), k, productId, undefined, meeting);
    return {
      modelId: space.modelId,
      query: { productId: productId ?? null, ingredients: near.label(queryIds) },
      byLatent: near.byLatent!,
      byOverlap: near.byOverlap,
      ...(applied ? { brief: { applied, meeting: meeting!.size } } : {}),
    };
  },

  whitespace,

  /** How crowded the latent space is at a product or a typed list, compared with the catalog. */
  async density(cx, { productId, declaration }) {
    const space = await latentSpace(cx);
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
    const predicted = await runModelJob(cx, model, { kind: 'predict', codes });
    return {
      modelId: model.id,
      method,
      steps: path.map((p, i) => ({ t: p.t, code: p.code, ingredients: decoded.lists[i]!.ingredients, benefits: predicted.benefits[i]! })),
    };
  },

  sensitivity,

  // The map: the catalog's codes in 2-D (PCA or a seeded UMAP), what labels them, and other codes placed on it.

  /** 2-D coordinates of every coded catalog product: principal components, or a seeded UMAP. */
  async latentMap(cx, { method, components, seed }) {
    const space = await latentSpace(cx);
    const n = space.codes.productIds.length;
    let xy: Float32Array;
    if (method === 'umap') {
      xy = (await umapOf(cx, space, seed)).points;
    } else {
      checkComponents(space, components);
      xy = projectPca(space.codes.codes, n, space.stats, components);
    }
    return {
      modelId: space.modelId,
      method,
      components: method === 'pca' ? components : null,
      explained: method === 'pca' ? [space.stats.explained[components[0]]!, space.stats.explained[components[1]]!] : null,
      points: space.codes.productIds.map((productId, i) => ({ productId, x: xy[i * 2]!, y: xy[i * 2 + 1]! })),
    };
  },

  /**
   * What the map needs to label, colour and filter its points, for every product with a code
   * under the active model (the order of `latentMap`'s points): name, brand, category, the first
   * ingredients, benefit scores under the model's names, and the leave-one-out catalog density.
   */
  async mapProducts(cx) {
    const space = await latentSpace(cx);
    const ids = space.codes.productIds;
    const bandwidth = scottBandwidth(kernelCount(ids.length), space.codes.latentDim);
    const density = await kde(cx, space, bandwidth);
    const info = getProductMapInfo(cx.db, ids, 5);
    const names = new Set([...info.values()].flatMap((p) => Object.keys(p.benefits)));
    return {
      modelId: space.modelId,
      benefitNames: [...names].sort((a, b) => a.localeCompare(b)),
      bandwidth,
      products: ids.map((productId, i) => {
        const p = info.get(productId);
        return {
          productId,
          name: p?.name ?? '',
          brand: p?.brand ?? '',
          category: p?.category ?? '',
          topIngredients: p?.topIngredients ?? [],
          ingredientCount: p?.ingredientCount ?? 0,
          benefits: p?.benefits ?? {},
          logDensity: density[i]!,
        };
      }),
    };
  },

  /** Per-dimension variance and the principal components' shares of the active model's catalog codes. */
  async latentStatistics(cx) {
    const space = await latentSpace(cx);
    return {
      modelId: space.modelId,
      products: space.codes.productIds.length,
      latentDim: space.codes.latentDim,
      variance: Array.from(space.stats.variance),
      explained: Array.from(space.stats.explained),
    };
  },

  /**
   * Places codes on the map: on PCA with the catalog's own projection (its mean and principal
   * axes), on UMAP with the transform of the fit `latentMap` drew (reused, or fitted again).
   */
  async projectCodes(cx, { codes, method, components, seed }) {
    const space = await latentSpace(cx);
    const D = space.codes.latentDim;
    const wrong = codes.findIndex((c) => c.length !== D);
    if (wrong >= 0) throw new ApiFailure('invalid-argument', `code ${wrong + 1} has ${codes[wrong]!.length} values; the active model has ${D} latent dimensions`);
    const xy = await placeOnMap(cx, space, Float32Array.from(codes.flat()), codes.length, method, components, seed);
    return { modelId: space.modelId, method, components: method === 'pca' ? components : null, points: codes.map((_, i) => ({ x: xy[i * 2]!, y: xy[i * 2 + 1]! })) };
  },

  /** The best passing candidates of a generate run of the active model, placed on the PCA map. */
  async mapGenerated(cx, { runId, method, components, seed, limit }) {
    const space = await latentSpace(cx);
    const D = space.codes.latentDim;
    if (method === 'pca') checkComponents(space, components);
    const run = getGenerationRunHeader(cx.db, runId === undefined ? { latestOfModel: space.modelId } : { runId });
    if (!run) {
      if (runId === undefined) return null;
      throw new ApiFailure('not-found', `there is no generation run ${runId}`);
    }
    if (run.modelId !== space.modelId) throw new ApiFailure('model-mismatch', `run ${run.id} was generated with model ${run.modelId}; activate it to see the run on its map`);
    const { passed, candidates } = getPassedCandidateCodes(cx.db, run.id, limit);
    const codes = new Float32Array(candidates.length * D);
    candidates.forEach((c, i) => codes.set(c.code, i * D));
    const xy = await placeOnMap(cx, space, codes, candidates.length, method, components, seed);
    const names = new Map(getIngredientRecords(cx.db, [...new Set(candidates.flatMap((c) => c.ingredientIds.slice(0, 5)))]).map((r) => [r.id, r.inci]));
    return {
      runId: run.id,
      modelId: run.modelId,
      createdAt: run.createdAt,
      passed,
      method,
      components: method === 'pca' ? components : null,
      points: candidates.map((c, i) => ({
        rank: c.rank,
        x: xy[i * 2]!,
        y: xy[i * 2 + 1]!,
        score: c.score,
        ingredients: c.ingredientIds.slice(0, 5).map((id) => names.get(id) ?? `#${id}`),
        ingredientCount: c.ingredientIds.length,
      })),
    };
  },
};

/**
 * Density of the catalog in latent space: a Gaussian KDE on whitened codes, bandwidth by
 * Scott's rule unless given; the sparsest products are the outlier candidates.
 */
async function whitespace(cx: ServiceContext, { k, bandwidth, bandwidthMethod, gaps: gapCount }: ApiParsedArgs['whitespace']): Promise<WhitespaceResult> {
  const space = await latentSpace(cx);
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
  let found: ResultOf<'gaps'> | null = null;
  if (gapCount > 0) {
    const model = requireActiveModel(cx);
    found = await runModelJob(cx, model, { kind: 'gaps', catalogCodes: space.codes.codes, latentDim: D, neighbours: 10, count: gapCount });
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
  const space = await latentSpace(cx);
  const D = space.codes.latentDim;
  const started = performance.now();
  const result = await runModelJob(
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
export async function nearestProducts(
  cx: ServiceContext,
  queryIds: readonly number[],
  whitenedQuery: Float64Array | null,
  k: number,
  excludeProductId?: number,
  queryNames: ReadonlyMap<number, string> = new Map(),
  /** Only these products (e.g. those that meet a design brief); all when absent. */
  among?: ReadonlySet<number> | null,
): Promise<NearestProducts> {
  const lists = productLists(cx);
  let distanceOf: Map<number, number> | null = null;
  let byDistance: { id: number; d: number }[] | null = null;
  if (whitenedQuery) {
    const space = await latentSpace(cx);
    const distances = distancesFrom(whitenedQuery, space.whitened, space.codes.productIds.length, space.codes.latentDim);
    distanceOf = new Map(space.codes.productIds.map((id, i) => [id, distances[i]!]));
    byDistance = space.codes.productIds
      .map((id, i) => ({ id, d: distances[i]! }))
      .filter((x) => x.id !== excludeProductId && (!among || among.has(x.id)))
      .sort((a, b) => a.d - b.d || a.id - b.id)
      .slice(0, k);
  }
  const overlap = overlapIndex(cx);
  const weighted = overlap.index.weightedJaccards(queryIds);
  const byOverlap = overlap.productIds
    .map((id, row) => ({ id, w: weighted[row]! }))
    .filter((x) => x.id !== excludeProductId && (!among || among.has(x.id)))
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

/** Refuses principal components the active model does not have. */
function checkComponents(space: LatentSpace, components: readonly number[]): void {
  const D = space.codes.latentDim;
  if (components.some((c) => c >= D)) throw new ApiFailure('invalid-argument', `this model has ${D} latent dimensions; components must be below ${D}`);
}

/** The seeded UMAP of the catalog's codes (tracked: it takes seconds), placing `place` codes too when given. */
function umapOf(cx: ServiceContext, space: LatentSpace, seed: number, place?: Float32Array): Promise<ResultOf<'umap'>> {
  return cx.run(
    { kind: 'umap', codes: space.codes.codes, latentDim: space.codes.latentDim, seed, neighbours: 15, minDistance: 0.1, place },
    { kind: 'map', label: place ? 'Placing points on the UMAP projection' : 'Computing the UMAP projection' },
  );
}

/** 2-D positions (count × 2) of codes on the PCA map (these components) or the UMAP map of `seed`. */
async function placeOnMap(cx: ServiceContext, space: LatentSpace, codes: Float32Array, count: number, method: 'pca' | 'umap', components: [number, number], seed: number): Promise<Float32Array> {
  if (count === 0) return new Float32Array(0);
  if (method === 'umap') return (await umapOf(cx, space, seed, codes)).placed!;
  checkComponents(space, components);
  return projectPca(codes, count, space.stats, components);
}
