import { kdeLogDensity, latentStatistics, whiten } from '../../../shared/ml/latent';
import { kdeLogDensities, seededSubset } from '../../generate/job';
import { decodeIngredientIds, predictCodes } from '../inference';
import type { ModelRef } from '../model-cache';
import type { JobHandler } from '../job';

/**
 * Whitespace between supported products: midpoints between well-supported catalog products
 * (above the 25th density percentile) and their nearest neighbours where the density dips below
 * both ends; the deepest dips are decoded.
 */
export interface GapsJob extends ModelRef {
  kind: 'gaps';
  catalogCodes: Float32Array;
  latentDim: number;
  neighbours: number;
  count: number;
}

export interface GapsResult {
  gaps: { rowA: number; rowB: number; midpointLogDensity: number; endpointLogDensity: [number, number]; depth: number; code: number[]; ingredientIds: number[]; benefits: Record<string, number> }[];
  midpointsScored: number;
}

/** The most products the gap search compares pairwise. */
const GAPS_MAX_PRODUCTS = 5_000;

export const gapsJob: JobHandler<GapsJob, GapsResult> = {
  kind: 'gaps',
  async run(job, context) {
    const m = await context.models.load(job);
    const D = job.latentDim;
    // The neighbour search is quadratic: a large catalog is represented by a seeded subset.
    const { rows: subset, values: catalogCodes, count: n } = seededSubset(job.catalogCodes, job.catalogCodes.length / D, D, GAPS_MAX_PRODUCTS);
    const original = (row: number) => (subset ? subset[row]! : row);
    const stats = latentStatistics(catalogCodes, n, D);
    const white = Float32Array.from(whiten(catalogCodes, n, stats));
    const h = Math.pow(n, -1 / (D + 4));
    const density = await kdeLogDensities(white, n, white, n, D, h, true, context.sharedWork);
    const sorted = Array.from(density).sort((a, b) => a - b);
    const q25 = sorted[Math.floor(0.25 * (n - 1))]!;
    // Nearest neighbours of each product among the well-supported ones, in whitened space.
    const supported = Array.from({ length: n }, (_, i) => i).filter((i) => density[i]! >= q25);
    const pairs = new Set<string>();
    for (const i of supported) {
      const near = supported
        .filter((j) => j !== i)
        .map((j) => {
          let s = 0;
          for (let k = 0; k < D; k++) s += (white[i * D + k]! - white[j * D + k]!) ** 2;
          return { j, s };
        })
        .sort((a, b) => a.s - b.s)
        .slice(0, job.neighbours);
      for (const { j } of near) pairs.add(i < j ? `${i},${j}` : `${j},${i}`);
    }
    const list = [...pairs].map((p) => p.split(',').map(Number) as [number, number]);
    const mid = new Float32Array(list.length * D);
    list.forEach(([a, b], r) => {
      for (let k = 0; k < D; k++) mid[r * D + k] = (white[a * D + k]! + white[b * D + k]!) / 2;
    });
    // Support from the rest of the catalog: the pair's own kernels are left out at the midpoint,
    // as each endpoint's own kernel is left out of its density.
    const midDensity = kdeLogDensity(Float64Array.from(mid), list.length, Float64Array.from(white), n, D, h, (r, i) => i === list[r]![0] || i === list[r]![1]);
    const found = list
      .map(([a, b], r) => ({ a, b, r, d: midDensity[r]!, depth: Math.min(density[a]!, density[b]!) - midDensity[r]! }))
      .filter((g) => g.depth > 0)
      .sort((x, y) => y.depth - x.depth || x.a - y.a)
      .slice(0, job.count);
    // Back to latent coordinates (the midpoint of two codes), then decode and predict.
    const codes = new Float32Array(found.length * D);
    found.forEach((g, i) => {
      for (let k = 0; k < D; k++) codes[i * D + k] = (catalogCodes[g.a * D + k]! + catalogCodes[g.b * D + k]!) / 2;
    });
    const lists = decodeIngredientIds(m, codes, found.length);
    const benefits = predictCodes(m, codes, found.length);
    return {
      midpointsScored: list.length,
      gaps: found.map((g, i) => ({
        rowA: original(g.a),
        rowB: original(g.b),
        midpointLogDensity: g.d,
        endpointLogDensity: [density[g.a]!, density[g.b]!],
        depth: g.depth,
        code: Array.from(codes.subarray(i * D, (i + 1) * D)),
        ingredientIds: lists[i]!,
        benefits: benefits[i]!,
      })),
    };
  },
};
