import type { LatentMap } from '../../../shared/api';
import { api } from './api';

/** A path of latent codes placed on the catalog's PCA map, with the map it was placed on. */
export interface PlacedPath {
  backdrop: LatentMap;
  points: { x: number; y: number }[];
}

/**
 * Places latent codes (an interpolation's steps, an optimisation's path) on the first two
 * principal components of the active model's catalog, with that map as the backdrop. The
 * backdrop already shown is reused while it belongs to `modelId`, so only the codes are projected.
 */
export async function placeOnPcaMap(codes: number[][], modelId: number, shown: LatentMap | null): Promise<PlacedPath> {
  const [backdrop, projected] = await Promise.all([
    shown?.modelId === modelId ? shown : api.latentMap({ method: 'pca', components: [0, 1] }),
    api.projectCodes({ codes, components: [0, 1] }),
  ]);
  return { backdrop, points: projected.points };
}
