import { UMAP } from 'umap-js';
import { seededRandom } from '../../../shared/ml/random';
import type { JobHandler } from '../job';

/** A seeded UMAP projection of codes to 2-D. */
export interface UmapJob {
  kind: 'umap';
  codes: Float32Array;
  latentDim: number;
  seed: number;
  neighbours: number;
  minDistance: number;
  /**
   * Further codes (m × latentDim) to place on the fitted map with UMAP's transform: generated
   * candidates, an interpolation path. The fit of the same codes and parameters is reused.
   */
  place?: Float32Array;
}

export interface UmapResult {
  /** n × 2, row-major. */
  points: Float32Array;
  /** m × 2, row-major: the `place` codes on the map. */
  placed?: Float32Array;
}

/** The last UMAP fit, kept so that placing codes on the map shown does not fit it again. */
let lastUmap: { key: string; projection: UMAP; points: Float32Array } | null = null;

/** UMAP on the codes, seeded so the same catalog and seed give the same map; optionally places further codes on it. */
export const umapJob: JobHandler<UmapJob, UmapResult> = {
  kind: 'umap',
  run(job) {
    const D = job.latentDim;
    const n = job.codes.length / D;
    const rowsOf = (codes: Float32Array, count: number) => Array.from({ length: count }, (_, i) => Array.from(codes.subarray(i * D, (i + 1) * D)));
    const key = `${job.seed}|${job.neighbours}|${job.minDistance}|${D}|${n}|${codesChecksum(job.codes)}`;
    if (lastUmap?.key !== key) {
      const projection = new UMAP({ nComponents: 2, nNeighbors: Math.min(job.neighbours, n - 1), minDist: job.minDistance, random: seededRandom(job.seed) });
      const points = Float32Array.from(projection.fit(rowsOf(job.codes, n)).flat());
      lastUmap = { key, projection, points };
    }
    if (!job.place || job.place.length === 0) return { points: lastUmap.points };
    const m = job.place.length / D;
    const rows = rowsOf(job.place, m);
    // umap-js moves the fitted embedding too when as many points are placed as were fitted: one
    // more (a copy, dropped afterwards) keeps the catalog's map fixed.
    if (m === n) rows.push(rows[0]!);
    const placed = lastUmap.projection.transform(rows).slice(0, m);
    return { points: lastUmap.points, placed: Float32Array.from(placed.flat()) };
  },
};

/** A cheap fingerprint of a code matrix (position-weighted sum of its bit patterns). */
function codesChecksum(codes: Float32Array): string {
  const bits = new Uint32Array(codes.buffer, codes.byteOffset, codes.length);
  let a = 0;
  let b = 0;
  for (let i = 0; i < bits.length; i++) {
    a = (a + bits[i]!) >>> 0;
    b = (b + Math.imul(a, i + 1)) >>> 0;
  }
  return `${a.toString(16)}${b.toString(16)}`;
}
