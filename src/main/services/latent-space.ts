import { ApiFailure } from '../../shared/api';
import { latentStatistics, whiten, type LatentStatistics } from '../../shared/ml/latent';
import { getProductCodes, type ProductCodes } from '../db/queries/models';
import { requireActiveModel } from './active-model';
import { Derived, KeyedSlot, type ServiceContext } from './context';

/** The active model's catalog codes and their statistics, rebuilt when the active model changes. */
export interface LatentSpace {
  modelId: number;
  codes: ProductCodes;
  stats: LatentStatistics;
  /** The codes whitened with `stats` (n × latentDim), for distances and densities. */
  whitened: Float64Array;
  /** Leave-one-out catalog log densities by bandwidth, computed in the compute process. */
  catalogDensity: Map<number, Float32Array>;
}

/** Codes never change for a model, so only a restore (or another active model) replaces the space. */
const SPACES = new Derived([], () => new KeyedSlot<number, LatentSpace>());

/** The active model's latent space; `no-model` or `no-codes` failures when there is none to use. */
export function latentSpace(cx: ServiceContext): LatentSpace {
  const model = requireActiveModel(cx);
  const slot = cx.get(SPACES);
  const cached = slot.get(model.id);
  if (cached) return cached;
  const D = Number((model.config as { latentDim?: number }).latentDim);
  const codes = getProductCodes(cx.db, model.id, D);
  if (codes.productIds.length < 3) throw new ApiFailure('no-codes', `model ${model.id} has codes for ${codes.productIds.length} catalog products; train again on the current catalog`);
  const stats = latentStatistics(codes.codes, codes.productIds.length, D);
  return slot.set(model.id, { modelId: model.id, codes, stats, whitened: whiten(codes.codes, codes.productIds.length, stats), catalogDensity: new Map() });
}

/**
 * KDE log densities in the compute process (never on the main thread): of `queries` (whitened)
 * against the catalog, or with `queries` null the catalog's own leave-one-out densities, which
 * are kept per bandwidth.
 */
export async function kde(cx: ServiceContext, space: LatentSpace, bandwidth: number, queries: Float64Array | null = null): Promise<Float32Array> {
  if (queries === null) {
    const cached = space.catalogDensity.get(bandwidth);
    if (cached) return cached;
  }
  const result = await cx.run({
    kind: 'kde',
    queries: queries ? Float32Array.from(queries) : null,
    references: Float32Array.from(space.whitened),
    dims: space.codes.latentDim,
    bandwidth,
  });
  if (queries === null) space.catalogDensity.set(bandwidth, result.logDensity);
  return result.logDensity;
}
