/**
 * A Gaussian process for Bayesian optimisation over latent codes (seeds 001–003): Matérn 5/2
 * kernel with one length scale, signal and noise variances chosen by maximising the log marginal
 * likelihood (type-II maximum likelihood), inputs standardised by a given centre and scale (the
 * catalog's codes), outputs standardised by the observations' mean and standard deviation.
 *
 * Sizes are those of a lab: tens to a few hundred measured formulations in tens of dimensions,
 * so plain Float64 arrays and an O(n³) Cholesky are the right tools. Every formula is tested
 * against a direct computation (test/shared/ml/gp.test.ts).
 */

export interface GpHyperparameters {
  /** Length scale in standardised input units. */
  lengthScale: number;
  /** Signal variance σf² and noise variance σn², in standardised output units. */
  signalVariance: number;
  noiseVariance: number;
}

export interface GpModel extends GpHyperparameters {
  n: number;
  d: number;
  /** Standardised inputs (n × d) and outputs. */
  x: Float64Array;
  y: Float64Array;
  centre: Float64Array;
  scale: Float64Array;
  yMean: number;
  yStd: number;
  /** Cholesky factor of K + σn²I (n × n, lower) and α = (K + σn²I)⁻¹ y. */
  l: Float64Array;
  alpha: Float64Array;
  logMarginalLikelihood: number;
}

/** Thrown when no hyper-parameters give a usable fit (the message says why). */
export class GpFitError extends Error {}

const SQRT5 = Math.sqrt(5);

/** Matérn 5/2 covariance at distance r: σf² (1 + √5 r/ℓ + 5r²/3ℓ²) exp(−√5 r/ℓ). */
export function matern52(r: number, lengthScale: number, signalVariance: number): number {
  const s = (SQRT5 * r) / lengthScale;
  return signalVariance * (1 + s + (s * s) / 3) * Math.exp(-s);
}

function distance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = a[i * d + k]! - b[j * d + k]!;
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Lower Cholesky factor of an n × n SPD matrix, or null when it is not positive definite. */
function choleskyOrNull(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}

/** Solves L v = b (forward). */
function forward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * v[k]!;
    v[i] = s / l[i * n + i]!;
  }
  return v;
}

/** Solves Lᵀ v = b (backward). */
function backward(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const v = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * v[k]!;
    v[i] = s / l[i * n + i]!;
  }
  return v;
}

interface Posterior {
  l: Float64Array;
  alpha: Float64Array;
  logMarginalLikelihood: number;
}

/** Cholesky of K + σn²I, α and the log marginal likelihood −½yᵀα − Σ log Lii − (n/2) log 2π; null when K is not definite. */
function posterior(x: Float64Array, y: Float64Array, n: number, d: number, h: GpHyperparameters): Posterior | null {
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    k[i * n + i] = h.signalVariance + h.noiseVariance;
    for (let j = 0; j < i; j++) {
      const v = matern52(distance(x, i, x, j, d), h.lengthScale, h.signalVariance);
      k[i * n + j] = v;
      k[j * n + i] = v;
    }
  }
  const l = choleskyOrNull(k, n);
  if (!l) return null;
  const alpha = backward(l, n, forward(l, n, y));
  let fit = 0;
  for (let i = 0; i < n; i++) fit += y[i]! * alpha[i]!;
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += Math.log(l[i * n + i]!);
  return { l, alpha, logMarginalLikelihood: -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI) };
}

/**
 * Bounds of the hyper-parameter search (standardised units), as natural logs. The length scale's
 * bounds are set per fit from the median pairwise distance of the inputs (¼× to 50×): with few
 * points in tens of dimensions the likelihood otherwise prefers a length scale far below every
 * distance, a GP that knows nothing between its observations and ranks every proposal the same.
 */
interface Bounds {
  lengthScale: readonly [number, number];
  signalVariance: readonly [number, number];
  noiseVariance: readonly [number, number];
}
const VARIANCE_BOUNDS = {
  signalVariance: [Math.log(0.05), Math.log(20)],
  noiseVariance: [Math.log(1e-4), Math.log(2)],
} as const;

/** Nelder–Mead minimisation of f over R^k from x0 with initial step `step`; returns the best point found. */
export function nelderMead(f: (x: number[]) => number, x0: number[], step: number, maxEvaluations: number): { x: number[]; value: number } {
  const k = x0.length;
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))].map((x) => ({ x, value: f(x) }));
  let evaluations = simplex.length;
  const combine = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i]! - v));
  while (evaluations < maxEvaluations) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0]!;
    const worst = simplex[k]!;
    if (Math.abs(worst.value - best.value) < 1e-9 * (1 + Math.abs(best.value))) break;
    const centroid = Array.from({ length: k }, (_, i) => simplex.slice(0, k).reduce((s, p) => s + p.x[i]!, 0) / k);
    const reflected = combine(centroid, worst.x, -1);
    const fr = f(reflected);
    evaluations++;
    if (fr < best.value) {
      const expanded = combine(centroid, worst.x, -2);
      const fe = f(expanded);
      evaluations++;
      simplex[k] = fe < fr ? { x: expanded, value: fe } : { x: reflected, value: fr };
    } else if (fr < simplex[k - 1]!.value) {
      simplex[k] = { x: reflected, value: fr };
    } else {
      const contracted = fr < worst.value ? combine(centroid, reflected, 0.5) : combine(centroid, worst.x, 0.5);
      const fc = f(contracted);
      evaluations++;
      if (fc < Math.min(fr, worst.value)) {
        simplex[k] = { x: contracted, value: fc };
      } else {
        simplex = simplex.map((p, i) => (i === 0 ? p : { x: combine(best.x, p.x, 0.5), value: f(combine(best.x, p.x, 0.5)) }));
        evaluations += k;
      }
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0]!;
}

function clampLog(v: number, [lo, hi]: readonly [number, number]): number {
  return Math.min(hi, Math.max(lo, v));
}

function hyper(theta: readonly number[], bounds: Bounds): GpHyperparameters {
  return {
    lengthScale: Math.exp(clampLog(theta[0]!, bounds.lengthScale)),
    signalVariance: Math.exp(clampLog(theta[1]!, bounds.signalVariance)),
    noiseVariance: Math.exp(clampLog(theta[2]!, bounds.noiseVariance)),
  };
}

export interface GpFitOptions {
  /** Input standardisation: x' = (x − centre) / scale, per dimension (e.g. the catalog codes' mean and standard deviation). */
  centre: ArrayLike<number>;
  scale: ArrayLike<number>;
  /** Fixed hyper-parameters instead of the marginal-likelihood search. */
  fixed?: GpHyperparameters;
}

/**
 * Fits the GP to n observations (x: n × d row-major). Hyper-parameters maximise the log
 * marginal likelihood: Nelder–Mead in log space from three length scales (½, 1 and 2 × the
 * median pairwise distance), within bounds (see `Bounds`). Throws GpFitError when fewer than two
 * observations are given, a value is not finite, or no hyper-parameters give a definite kernel.
 */
export function fitGp(xRaw: ArrayLike<number>, yRaw: ArrayLike<number>, d: number, options: GpFitOptions): GpModel {
  const n = yRaw.length;
  if (n < 2) throw new GpFitError(`a Gaussian process needs at least two observations; it was given ${n}`);
  if (xRaw.length !== n * d) throw new GpFitError(`the inputs hold ${xRaw.length} values, not ${n} × ${d}`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(yRaw[i])) throw new GpFitError(`observation ${i + 1} is not a finite number`);
  const centre = Float64Array.from(options.centre);
  const scale = Float64Array.from(options.scale, (s) => (s > 1e-12 ? s : 1));
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const v = (xRaw[i * d + k]! - centre[k]!) / scale[k]!;
      if (!Number.isFinite(v)) throw new GpFitError(`input ${i + 1} has a value that is not a finite number`);
      x[i * d + k] = v;
    }
  }
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += yRaw[i]!;
  yMean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (yRaw[i]! - yMean) ** 2;
  // All observations equal: nothing to standardise by; the GP then predicts that value with the prior's spread.
  const yStd = Math.sqrt(ss / Math.max(1, n - 1)) || 1;
  const y = Float64Array.from(yRaw, (v) => (v - yMean) / yStd);

  let best: { h: GpHyperparameters; post: Posterior } | null = null;
  if (options.fixed) {
    const post = posterior(x, y, n, d, options.fixed);
    if (post) best = { h: options.fixed, post };
  } else {
    const distances: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) distances.push(distance(x, i, x, j, d));
    distances.sort((a, b) => a - b);
    const median = distances[Math.floor(distances.length / 2)] || 1;
    const bounds: Bounds = { lengthScale: [Math.log(0.25 * median), Math.log(50 * median)], ...VARIANCE_BOUNDS };
    const objective = (theta: number[]) => {
      const post = posterior(x, y, n, d, hyper(theta, bounds));
      // Outside the bounds the search sees a gentle wall, so it comes back in.
      const wall = theta.reduce((s, v, i) => {
        const [lo, hi] = [bounds.lengthScale, bounds.signalVariance, bounds.noiseVariance][i]!;
        return s + (v < lo ? (lo - v) ** 2 : v > hi ? (v - hi) ** 2 : 0);
      }, 0);
      return post ? -post.logMarginalLikelihood + 10 * wall : 1e12;
    };
    for (const factor of [0.5, 1, 2]) {
      const found = nelderMead(objective, [Math.log(median * factor), 0, Math.log(0.05)], 1, 300);
      const h = hyper(found.x, bounds);
      const post = posterior(x, y, n, d, h);
      if (post && (!best || post.logMarginalLikelihood > best.post.logMarginalLikelihood)) best = { h, post };
    }
  }
  if (!best) throw new GpFitError('the Gaussian process could not be fitted: the kernel matrix is not positive definite for any hyper-parameters tried (are many measured formulations identical?)');
  return { ...best.h, n, d, x, y, centre, scale, yMean, yStd, l: best.post.l, alpha: best.post.alpha, logMarginalLikelihood: best.post.logMarginalLikelihood };
}

/** The same GP with extra observations (standardised outputs) and unchanged hyper-parameters: the kriging believer's fantasies. */
export function withObservations(gp: GpModel, xRaw: ArrayLike<number>, yStandardised: ArrayLike<number>): GpModel {
  const m = yStandardised.length;
  const n = gp.n + m;
  const d = gp.d;
  const x = new Float64Array(n * d);
  x.set(gp.x);
  for (let i = 0; i < m; i++) for (let k = 0; k < d; k++) x[(gp.n + i) * d + k] = (xRaw[i * d + k]! - gp.centre[k]!) / gp.scale[k]!;
  const y = new Float64Array(n);
  y.set(gp.y);
  y.set(Float64Array.from(yStandardised), gp.n);
  const post = posterior(x, y, n, d, gp);
  if (!post) throw new GpFitError('the Gaussian process could not take the pending proposals into account (its kernel matrix is not positive definite)');
  return { ...gp, n, x, y, l: post.l, alpha: post.alpha, logMarginalLikelihood: post.logMarginalLikelihood };
}

/** Posterior mean and variance of the latent function (standardised output units) at m raw points (m × d). */
export function predictStandardised(gp: GpModel, pointsRaw: ArrayLike<number>, m: number): { mean: Float64Array; variance: Float64Array } {
  const { n, d } = gp;
  const mean = new Float64Array(m);
  const variance = new Float64Array(m);
  const q = new Float64Array(d);
  const k = new Float64Array(n);
  for (let p = 0; p < m; p++) {
    for (let j = 0; j < d; j++) q[j] = (pointsRaw[p * d + j]! - gp.centre[j]!) / gp.scale[j]!;
    let mu = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = gp.x[i * d + j]! - q[j]!;
        s += t * t;
      }
      k[i] = matern52(Math.sqrt(s), gp.lengthScale, gp.signalVariance);
      mu += k[i]! * gp.alpha[i]!;
    }
    const v = forward(gp.l, n, k);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += v[i]! * v[i]!;
    mean[p] = mu;
    variance[p] = Math.max(1e-12, gp.signalVariance - explained);
  }
  return { mean, variance };
}

/** Standard normal density and distribution (Φ through erfc, accurate to about 1e-7 relative). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * log of the expected improvement over `best` (maximisation) of N(mean, sd²): EI = sd·h(z),
 * h(z) = φ(z) + zΦ(z), z = (mean − best − ξ)/sd. Far below the incumbent h is computed from its
 * asymptotic series, so the logarithm stays finite and ordered where EI itself underflows.
 */
export function logExpectedImprovement(mean: number, sd: number, best: number, xi = 0): number {
  const z = (mean - best - xi) / sd;
  let logH: number;
  if (z > -6) {
    logH = Math.log(Math.max(1e-300, normalPdf(z) + z * normalCdf(z)));
  } else {
    const z2 = z * z;
    logH = -0.5 * z2 - 0.5 * Math.log(2 * Math.PI) - Math.log(z2) + Math.log(1 - 3 / z2 + 15 / (z2 * z2));
  }
  return Math.log(sd) + logH;
}

/** The expected improvement itself (0 where it underflows). */
export function expectedImprovement(mean: number, sd: number, best: number, xi = 0): number {
  return Math.exp(logExpectedImprovement(mean, sd, best, xi));
}
