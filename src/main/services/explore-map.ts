import { ApiFailure } from '../../shared/contract';
import { kernelCount, projectPca, scottBandwidth } from '../../shared/ml/latent';
import type { UmapResult } from '../compute/protocol';
import { getGenerationRunHeader, getPassedCandidateCodes } from '../db/queries/generation';
import { getIngredientRecords } from '../db/queries/ingredients';
import { getProductMapInfo } from '../db/queries/products';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { kde, latentSpace, type LatentSpace } from './latent-space';

/** The explore capability's map: the catalog's codes in 2-D (PCA or a seeded UMAP), what labels them, and other codes placed on it. */
export const exploreMapHandlers: HandlersOf<'latentMap' | 'mapProducts' | 'latentStatistics' | 'projectCodes' | 'mapGenerated'> = {
  /** 2-D coordinates of every coded catalog product: principal components, or a seeded UMAP. */
  async latentMap(cx, { method, components, seed }) {
    const space = latentSpace(cx);
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
    const space = latentSpace(cx);
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
    const space = latentSpace(cx);
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
    const space = latentSpace(cx);
    const D = space.codes.latentDim;
    const wrong = codes.findIndex((c) => c.length !== D);
    if (wrong >= 0) throw new ApiFailure('invalid-argument', `code ${wrong + 1} has ${codes[wrong]!.length} values; the active model has ${D} latent dimensions`);
    const xy = await placeOnMap(cx, space, Float32Array.from(codes.flat()), codes.length, method, components, seed);
    return { modelId: space.modelId, method, components: method === 'pca' ? components : null, points: codes.map((_, i) => ({ x: xy[i * 2]!, y: xy[i * 2 + 1]! })) };
  },

  /** The best passing candidates of a generate run of the active model, placed on the PCA map. */
  async mapGenerated(cx, { runId, method, components, seed, limit }) {
    const space = latentSpace(cx);
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

/** Refuses principal components the active model does not have. */
function checkComponents(space: LatentSpace, components: readonly number[]): void {
  const D = space.codes.latentDim;
  if (components.some((c) => c >= D)) throw new ApiFailure('invalid-argument', `this model has ${D} latent dimensions; components must be below ${D}`);
}

/** The seeded UMAP of the catalog's codes (tracked: it takes seconds), placing `place` codes too when given. */
function umapOf(cx: ServiceContext, space: LatentSpace, seed: number, place?: Float32Array): Promise<UmapResult> {
  return cx.run<UmapResult>(
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
