import { cholesky, columnMeans, covariance, symmetricEigen } from './linalg';

/**
 * Statistics of a set of latent codes (n × d, row-major): mean, covariance, principal
 * directions and a kernel density estimate. The density works in whitened coordinates
 * (y = L⁻¹(x − mean), L·Lᵀ = covariance), where every direction has unit variance: seed 000
 * found that raw-space densities are dominated by a few high-variance dimensions.
 */

export interface LatentStatistics {
  n: number;
  d: number;
  mean: Float64Array;
  covariance: Float64Array;
  variance: Float64Array;
  /** Cholesky factor of the covariance (for whitening and sampling) and the jitter it needed. */
  cholesky: Float64Array;
  jitter: number;
  /** Principal axes: eigenvalues (descending), unit eigenvectors as columns, explained shares. */
  pcaValues: Float64Array;
  pcaVectors: Float64Array;
  explained: Float64Array;
}

export function latentStatistics(codes: ArrayLike<number>, n: number, d: number): LatentStatistics {
  const mean = columnMeans(codes, n, d);
  const cov = covariance(codes, n, d, mean);
  const { l, jitter } = cholesky(cov, d);
  const { values, vectors } = symmetricEigen(cov, d);
  const total = values.reduce((a, b) => a + Math.max(0, b), 0) || 1;
  return {
    n,
    d,
    mean,
    covariance: cov,
    variance: Float64Array.from({ length: d }, (_, i) => cov[i * d + i]!),
    cholesky: l,
    jitter,
    pcaValues: values,
    pcaVectors: vectors,
    explained: values.map((v) => Math.max(0, v) / total),
  };
}

/** Projects codes onto two principal axes (0-based component indices). */
export function projectPca(codes: ArrayLike<number>, n: number, s: LatentStatistics, components: [number, number] = [0, 1]): Float32Array {
  const { d, mean, pcaVectors } = s;
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      const col = components[c]!;
      let v = 0;
      for (let k = 0; k < d; k++) v += (codes[i * d + k]! - mean[k]!) * pcaVectors[k * d + col]!;
      out[i * 2 + c] = v;
    }
  }
  return out;
}

/** Whitened codes: solves L·y = x − mean for each row (forward substitution). */
export function whiten(codes: ArrayLike<number>, n: number, s: LatentStatistics): Float64Array {
  const { d, mean, cholesky: l } = s;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < d; r++) {
      let v = codes[i * d + r]! - mean[r]!;
      for (let k = 0; k < r; k++) v -= l[r * d + k]! * out[i * d + k]!;
      out[i * d + r] = v / l[r * d + r]!;
    }
  }
  return out;
}

/** Scott's rule for a Gaussian kernel on whitened data: h = n^(−1/(d+4)). */
/**
 * The most catalog codes a density estimate uses as kernels. Above it, a seeded random subset of
 * this many stands for the catalog (generate/job.ts: kdeReferenceRows): a smooth density is
 * estimated from 10,000 points about as well as the bandwidth allows, and the cost (kernels ×
 * queries) stays that of a 10,000-product catalog instead of growing with the square of the
 * catalog (50,000 products would be 25 times slower).
 */
export const KDE_MAX_REFERENCES = 10_000;

/** How many kernels a catalog of n products gets. */
export function kernelCount(n: number): number {
  return Math.min(n, KDE_MAX_REFERENCES);
}

export function scottBandwidth(n: number, d: number): number {
  return Math.pow(n, -1 / (d + 4));
}

/**
 * Log density (up to the whitening Jacobian, the same for every point) of each query under a
 * Gaussian KDE on the reference points, all whitened. `exclude` leaves kernels out: `true` the
 * query's own (leave-one-out, when the queries are the references), or a predicate on
 * (query, reference) for anything else; the normalisation counts only the kernels kept.
 */
export function kdeLogDensity(
  queries: Float64Array,
  m: number,
  references: Float64Array,
  n: number,
  d: number,
  bandwidth: number,
  exclude: boolean | ((query: number, reference: number) => boolean) = false,
): Float64Array {
  const out = new Float64Array(m);
  const inv = 1 / (2 * bandwidth * bandwidth);
  const kernelNorm = -d * Math.log(bandwidth * Math.sqrt(2 * Math.PI));
  const skip = exclude === true ? (q: number, i: number) => q === i : exclude === false ? null : exclude;
  const exps = new Float64Array(n);
  for (let q = 0; q < m; q++) {
    let max = -Infinity;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (skip?.(q, i)) {
        exps[i] = -Infinity;
        continue;
      }
      kept++;
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = queries[q * d + k]! - references[i * d + k]!;
        s += diff * diff;
      }
      exps[i] = -s * inv;
      if (exps[i]! > max) max = exps[i]!;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) if (exps[i] !== -Infinity) sum += Math.exp(exps[i]! - max);
    out[q] = max + Math.log(sum) - Math.log(Math.max(1, kept)) + kernelNorm;
  }
  return out;
}

/** Euclidean distances from one whitened point to every reference (Mahalanobis in raw space). */
export function distancesFrom(point: ArrayLike<number>, references: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const diff = point[k]! - references[i * d + k]!;
      s += diff * diff;
    }
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** A normal distribution over latent codes: its mean and the Cholesky factor of its covariance (row-major, lower). */
export interface LatentRegion {
  mean: number[];
  cholesky: number[];
}

/**
 * The normal fitted to a subset of the catalog's codes (e.g. one category's products), its
 * covariance shrunk towards the whole catalog's: (m·Σ_subset + d·Σ_catalog) / (m + d) for m
 * codes in d dimensions, so that a small subset still gets a full-rank, sensible shape.
 */
export function regionNormal(codes: ArrayLike<number>, rows: readonly number[], catalog: LatentStatistics): LatentRegion {
  const d = catalog.d;
  const m = rows.length;
  if (m === 0) throw new Error('a region needs at least one code');
  const subset = new Float64Array(m * d);
  rows.forEach((row, i) => {
    for (let k = 0; k < d; k++) subset[i * d + k] = codes[row * d + k]!;
  });
  const mean = columnMeans(subset, m, d);
  const own = m > 1 ? covariance(subset, m, d, mean) : new Float64Array(d * d);
  const shrunk = own.map((v, i) => (m * v + d * catalog.covariance[i]!) / (m + d));
  return { mean: Array.from(mean), cholesky: Array.from(cholesky(shrunk, d).l) };
}

/**
 * Sampling a region in the catalog's whitened coordinates: a standard normal e maps to
 * y = L⁻¹(μ_region − μ) + L⁻¹·L_region·(T·e). Returns the offset and the lower-triangular matrix
 * A = L⁻¹·L_region (row-major).
 */
export function whitenedRegion(region: LatentRegion, catalog: LatentStatistics): { offset: Float64Array; transform: Float64Array } {
  const d = catalog.d;
  const offset = whiten(region.mean, 1, catalog);
  const l = catalog.cholesky;
  const transform = new Float64Array(d * d);
  // Forward substitution, one column of L_region at a time: L·a = column.
  for (let c = 0; c < d; c++) {
    for (let r = 0; r < d; r++) {
      let v = region.cholesky[r * d + c]!;
      for (let k = 0; k < r; k++) v -= l[r * d + k]! * transform[k * d + c]!;
      transform[r * d + c] = v / l[r * d + r]!;
    }
  }
  return { offset, transform };
}
