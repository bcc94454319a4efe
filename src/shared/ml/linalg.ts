/**
 * Small dense linear algebra for latent-space statistics (dimensions in the tens): mean and
 * covariance of codes, Cholesky factorisation, symmetric eigen-decomposition (PCA) and
 * multivariate-normal sampling. Row-major Float64Arrays; every routine is tested against a
 * formula or a reconstruction within a tolerance.
 */

/** Column means of an n × d row-major matrix. */
export function columnMeans(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const m = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) m[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) m[j]! /= Math.max(1, n);
  return m;
}

/** Sample covariance (divisor n − 1) of an n × d matrix. */
export function covariance(x: ArrayLike<number>, n: number, d: number, mean = columnMeans(x, n, d)): Float64Array {
  const c = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      for (let b = a; b < d; b++) c[a * d + b]! += ra * row[b]!;
    }
  }
  const div = Math.max(1, n - 1);
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      c[a * d + b]! /= div;
      c[b * d + a] = c[a * d + b]!;
    }
  }
  return c;
}

/**
 * Lower-triangular L with L·Lᵀ = A. A matrix that is only positive semi-definite (e.g. a
 * covariance of collinear codes) gets the smallest diagonal jitter that makes it definite;
 * the jitter used is returned.
 */
export function cholesky(a: ArrayLike<number>, d: number): { l: Float64Array; jitter: number } {
  let jitter = 0;
  const scale = Math.max(1e-12, ...Array.from({ length: d }, (_, i) => Math.abs(a[i * d + i]!)));
  for (let attempt = 0; attempt < 12; attempt++) {
    const l = new Float64Array(d * d);
    let ok = true;
    for (let i = 0; i < d && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = a[i * d + j]! + (i === j ? jitter : 0);
        for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
        if (i === j) {
          if (s <= 0) {
            ok = false;
            break;
          }
          l[i * d + i] = Math.sqrt(s);
        } else {
          l[i * d + j] = s / l[j * d + j]!;
        }
      }
    }
    if (ok) return { l, jitter };
    jitter = jitter === 0 ? scale * 1e-10 : jitter * 10;
  }
  throw new Error('the covariance matrix is not positive definite even with jitter');
}

/**
 * Eigenvalues (descending) and unit eigenvectors (as columns of a row-major d × d matrix) of
 * a symmetric matrix, by cyclic Jacobi rotations — exact to rounding for the small matrices here.
 */
export function symmetricEigen(a: ArrayLike<number>, d: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a as ArrayLike<number>);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p * d + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = m[p * d + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * d + q]! - m[p * d + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = m[k * d + p]!;
          const akq = m[k * d + q]!;
          m[k * d + p] = c * akp - s * akq;
          m[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = m[p * d + k]!;
          const aqk = m[q * d + k]!;
          m[p * d + k] = c * apk - s * aqk;
          m[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p]!;
          const vkq = v[k * d + q]!;
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => m[y * d + y]! - m[x * d + x]!);
  const values = Float64Array.from(order, (i) => m[i * d + i]!);
  const vectors = new Float64Array(d * d);
  order.forEach((col, j) => {
    // A fixed sign (largest component positive) makes projections reproducible.
    let big = 0;
    for (let k = 0; k < d; k++) if (Math.abs(v[k * d + col]!) > Math.abs(big)) big = v[k * d + col]!;
    const sign = big < 0 ? -1 : 1;
    for (let k = 0; k < d; k++) vectors[k * d + j] = sign * v[k * d + col]!;
  });
  return { values, vectors };
}

/** Standard normal variates from a uniform generator (Box–Muller, both outputs used). */
export function normalGenerator(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * Fills `out` with standard normal draws, the same sequence `normalGenerator(uniform)` gives,
 * without a call per number (the generate job draws 640,000 at a time).
 */
export function fillStandardNormal(out: Float32Array, uniform: () => number): void {
  const twoPi = 2 * Math.PI;
  for (let i = 0; i < out.length; i += 2) {
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(twoPi * v);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(twoPi * v);
  }
}

/**
 * n draws from N(mean, T² · L·Lᵀ) as an n × d row-major Float32Array (T = temperature).
 */
export function sampleMultivariateNormal(mean: ArrayLike<number>, l: ArrayLike<number>, d: number, n: number, normal: () => number, temperature = 1): Float32Array {
  const out = new Float32Array(n * d);
  const e = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) e[j] = normal();
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let k = 0; k <= r; k++) s += l[r * d + k]! * e[k]!;
      out[i * d + r] = mean[r]! + temperature * s;
    }
  }
  return out;
}
