import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../atomic-file';

/**
 * What the generate job computes once per model and catalog, kept in a file beside the model
 * (issue 15: a new process's first job should not compute it again): the catalog's own sorted
 * leave-one-out densities (the density floor's quantiles) for the catalog codes they were computed
 * on, and the catalog's own plausibility statistics for the catalog lists they were computed on.
 * Each part carries the key of what it was computed from; a part whose key no longer matches (a
 * catalog deleted, codes added) is ignored and written anew. A cache, never a record: an
 * unreadable or missing file is the same as an empty one, and a write that fails is skipped.
 */
export interface GenerateCache {
  space?: { key: string; bandwidth: number; density: Float32Array };
  catalog?: { key: string; known: { catalogMedianPlausibility: number; catalogStructureShare: number } };
}

/** The file beside a model's folder's other files. */
export const GENERATE_CACHE_FILE = 'generate-cache.json';

export function readGenerateCache(path: string): GenerateCache | null {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { space?: { key: string; bandwidth: number; density: number[] }; catalog?: GenerateCache['catalog'] };
    const cache: GenerateCache = {};
    if (raw.space && typeof raw.space.key === 'string' && typeof raw.space.bandwidth === 'number' && Array.isArray(raw.space.density) && raw.space.density.every((v) => typeof v === 'number')) {
      cache.space = { key: raw.space.key, bandwidth: raw.space.bandwidth, density: Float32Array.from(raw.space.density) };
    }
    const known = raw.catalog?.known;
    if (raw.catalog && typeof raw.catalog.key === 'string' && known && Number.isFinite(known.catalogMedianPlausibility) && Number.isFinite(known.catalogStructureShare)) cache.catalog = raw.catalog;
    return cache;
  } catch {
    return null;
  }
}

export function writeGenerateCache(path: string, cache: GenerateCache): void {
  try {
    writeFileAtomically(path, JSON.stringify({ ...cache, ...(cache.space ? { space: { ...cache.space, density: Array.from(cache.space.density) } } : {}) }));
  } catch {
    // A read-only model folder: every process computes it, as before.
  }
}
