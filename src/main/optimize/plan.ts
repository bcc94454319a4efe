import type { OptimizationTerm } from '../../shared/api';
import { normalGenerator } from '../../shared/ml/linalg';
import type { LatentStatistics } from '../../shared/ml/latent';
import { quantile } from '../../shared/ml/objective';
import { seededRandom } from '../../shared/ml/random';

/**
 * What an optimisation needs before the compute process runs it: the objective's terms on the
 * catalog's scale, the manifold guard's radius, and the starting codes.
 */

/** A term as asked for (validated by the contract). */
export interface TermRequest {
  benefit: string;
  goal: 'maximize' | 'minimize' | 'target';
  target?: number;
  weight: number;
  threshold?: number;
  tolerance?: number;
}

/**
 * Each term with the benefit's predicted mean and standard deviation over the catalog, and its
 * bar: by default, maximising is met at the catalog's 90th percentile of the prediction,
 * minimising at its 10th, and a target within a quarter of the catalog's standard deviation.
 */
export function resolveTerms(terms: readonly TermRequest[], catalogPredictions: ReadonlyMap<string, readonly number[]>): OptimizationTerm[] {
  return terms.map((t) => {
    const values = catalogPredictions.get(t.benefit);
    if (!values || values.length === 0) throw new Error(`no catalog predictions for "${t.benefit}"`);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
    const bar = t.goal === 'target' ? t.target! : (t.threshold ?? quantile(values, t.goal === 'maximize' ? 0.9 : 0.1));
    const tolerance = t.goal === 'target' ? (t.tolerance ?? Math.max(1e-3, 0.25 * std)) : 0;
    return { benefit: t.benefit, goal: t.goal, weight: t.weight, mean, std, bar, tolerance };
  });
}

/** Each code's distance to its nearest other code (n × D, row-major). */
export function nearestOtherDistances(codes: ArrayLike<number>, n: number, D: number): Float64Array {
  const best = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const diff = codes[i * D + d]! - codes[j * D + d]!;
        s += diff * diff;
      }
      if (s < best[i]!) best[i] = s;
      if (s < best[j]!) best[j] = s;
    }
  }
  return best.map(Math.sqrt);
}

/** `rows` codes drawn from N(mean, Σ) fitted to the catalog (x = mean + L·e), seeded. */
/** Draws from N(mean, L·Lᵀ): the catalog normal, or a region of it (a category's: src/shared/ml/latent.ts regionNormal). */
export function randomStarts(stats: Pick<LatentStatistics, 'd'> & { mean: ArrayLike<number>; cholesky: ArrayLike<number> }, rows: number, seed: number): Float32Array {
  const D = stats.d;
  const normal = normalGenerator(seededRandom(seed));
  const out = new Float32Array(rows * D);
  const e = new Float64Array(D);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < D; d++) e[d] = normal();
    for (let i = 0; i < D; i++) {
      let v = stats.mean[i]!;
      for (let j = 0; j <= i; j++) v += stats.cholesky[i * D + j]! * e[j]!;
      out[r * D + i] = v;
    }
  }
  return out;
}

/** The code itself, then `rows − 1` codes around it: code + scale·L·e (the catalog's covariance shape), seeded. */
export function jitteredStarts(code: ArrayLike<number>, stats: LatentStatistics, rows: number, seed: number, scale = 0.25): Float32Array {
  const D = stats.d;
  const normal = normalGenerator(seededRandom(seed));
  const out = new Float32Array(rows * D);
  const e = new Float64Array(D);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < D; d++) e[d] = r === 0 ? 0 : normal();
    for (let i = 0; i < D; i++) {
      let v = code[i]!;
      for (let j = 0; j <= i; j++) v += scale * stats.cholesky[i * D + j]! * e[j]!;
      out[r * D + i] = v;
    }
  }
  return out;
}

/** W = L⁻¹ for a lower-triangular L (D × D, row-major), by forward substitution, column by column. */
export function inverseLowerTriangular(l: ArrayLike<number>, D: number): Float64Array {
  const w = new Float64Array(D * D);
  for (let c = 0; c < D; c++) {
    for (let r = c; r < D; r++) {
      let v = r === c ? 1 : 0;
      for (let k = c; k < r; k++) v -= l[r * D + k]! * w[k * D + c]!;
      w[r * D + c] = v / l[r * D + r]!;
    }
  }
  return w;
}
