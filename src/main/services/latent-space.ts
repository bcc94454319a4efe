import { ApiFailure } from '../../shared/api';
import { latentStatistics, whiten, type LatentStatistics } from '../../shared/ml/latent';
import { getProductCodes, insertProductCodes, modelLostCatalog, productsWithoutCode, type ProductCodes, type StoredModel } from '../db/queries/models';
import { countRows, getProductLabels } from '../db/queries/products';
import { requireActiveModel, runModelJob } from './active-model';
import { productLists } from './catalog-index';
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

/**
 * A model's codes change only when products go (a deleted catalog) or codes are added for the
 * catalogs that remain, so the space is rebuilt after a catalog change (or a restore).
 */
const SPACES = new Derived(['catalog'], () => new KeyedSlot<number, LatentSpace>());

/**
 * The active model's latent space. When a catalog it was trained on has been deleted, the
 * products of the remaining catalogs are encoded with the model first (once: the codes are
 * stored), so the map, neighbours and generate work on what remains. Fails with `no-model`,
 * `no-catalog` (nothing left to compare with) or `no-codes`.
 */
export async function latentSpace(cx: ServiceContext): Promise<LatentSpace> {
  const model = requireActiveModel(cx);
  const cached = cx.get(SPACES).get(model.id);
  if (cached) return cached;
  const D = Number((model.config as { latentDim?: number }).latentDim);
  await codeRemainingProducts(cx, model, D);
  const codes = getProductCodes(cx.db, model.id, D);
  if (codes.productIds.length < 3) {
    if (countRows(cx.db).products === 0) {
      throw new ApiFailure('no-catalog', `no catalog is left to compare with: import a catalog (or load the sample) to use the map, neighbours, density and generate. Model ${model.id} still encodes and decodes.`);
    }
    throw new ApiFailure('no-codes', `model ${model.id} has codes for ${codes.productIds.length} catalog products; train again on the current catalog`);
  }
  const stats = latentStatistics(codes.codes, codes.productIds.length, D);
  // Read the slot again: a catalog change while encoding replaced it.
  return cx.get(SPACES).set(model.id, { modelId: model.id, codes, stats, whitened: whiten(codes.codes, codes.productIds.length, stats), catalogDensity: new Map() });
}

/**
 * For a model that lost a catalog it was trained on: encodes the remaining products that have no
 * code under it (its vocabulary and weights are in its folder; ingredients it never saw do not
 * shape a code) and stores the codes, skipping products deleted meanwhile.
 */
async function codeRemainingProducts(cx: ServiceContext, model: StoredModel, latentDim: number): Promise<void> {
  if (!modelLostCatalog(cx.db, model.id)) return;
  const lists = productLists(cx);
  const missing = productsWithoutCode(cx.db, model.id).filter((id) => (lists.get(id)?.length ?? 0) > 0);
  if (missing.length === 0) return;
  const encoded = await runModelJob(
    cx,
    model,
    { kind: 'encode', lists: missing.map((id) => lists.get(id)!) },
    { kind: 'map', label: `Encoding ${missing.length.toLocaleString('en')} products of the remaining catalogs with model ${model.id}` },
  );
  await cx.exclusive(() => {
    const present = getProductLabels(cx.db, missing);
    const keep = missing.flatMap((id, i) => (present.has(id) ? [i] : []));
    const codes = new Float32Array(keep.length * latentDim);
    keep.forEach((i, row) => codes.set(encoded.codes[i]!, row * latentDim));
    cx.db.transaction(() => insertProductCodes(cx.db, model.id, { productIds: keep.map((i) => missing[i]!), codes, latentDim })).immediate();
  });
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
