/**
 * The draft-formula solver: an exact method for the small quadratic programme behind every
 * percentage estimate (docs/model-design.md, "Draft formulas").
 *
 *   minimise   Σ w_i (x_i − t_i)²
 *   subject to Σ x_i = total,   lo_i ≤ x_i ≤ hi_i,
 *              x_c1 ≥ x_c2 ≥ … ≥ x_cm   for the items of one chain (the part of an INCI list
 *                                        above the 1 % line, in label order).
 *
 * Items outside the chain (below the line, or declared in a separate "active" section) only have
 * their bounds. The method:
 * 1. Monotone envelopes: an item of the chain can never be lower than any bound below it, nor
 *    higher than any bound above it: L_k = max_{j ≥ k} lo_j, U_k = min_{j ≤ k} hi_j. The problem is
 *    feasible exactly when L_k ≤ U_k for every k and Σ L ≤ total ≤ Σ U (the segment from L to U
 *    is monotone, bounded, and its sum passes through every value between).
 * 2. Lagrange multiplier λ for the total: for fixed λ the problem separates into the chain, whose
 *    solution is the weighted isotonic regression of the shifted targets t_i + λ / (2 w_i) within
 *    [L, U] (pool-adjacent-violators generalised to separable convex terms, whose blocks take
 *    the clipped weighted mean), and the free items, each clipped to its own bounds.
 * 3. The total of that solution is continuous and non-decreasing in λ; bisection finds the λ at
 *    which it equals the required total.
 * Tests check the result against HiGHS's QP solver on random problems (test/shared/formula).
 */

export interface SolverItem {
  /** What the estimate aims at (the usual use level). */
  target: number;
  /** Weight of the squared deviation; > 0. */
  weight: number;
  lo: number;
  hi: number;
}

export interface SolverProblem {
  items: SolverItem[];
  /** Indexes into items, in order: each must be ≥ the next. */
  chain: number[];
  total: number;
}

/** Why a problem has no solution, as the indexes of the items whose bounds conflict. */
export type Infeasibility =
  | { kind: 'bounds'; item: number }
  /** `upper` comes before `lower` in the chain, and upper's maximum is below lower's minimum. */
  | { kind: 'order'; upper: number; lower: number }
  /** Even every item at its minimum exceeds the total ('over') or at its maximum falls short. */
  | { kind: 'total'; side: 'over' | 'under'; sum: number };

export type SolverResult =
  | { feasible: true; x: Float64Array; objective: number }
  | { feasible: false; reason: Infeasibility };

const TOLERANCE = 1e-9;

interface Envelope {
  lower: Float64Array;
  upper: Float64Array;
  /** For each item, the item whose bound set its envelope value (to explain conflicts). */
  lowerFrom: Int32Array;
  upperFrom: Int32Array;
}

/** L and U of step 1, for every item (free items keep their own bounds). */
export function envelope(problem: SolverProblem): Envelope {
  const n = problem.items.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  const lowerFrom = new Int32Array(n);
  const upperFrom = new Int32Array(n);
  problem.items.forEach((item, i) => {
    lower[i] = item.lo;
    upper[i] = item.hi;
    lowerFrom[i] = i;
    upperFrom[i] = i;
  });
  const chain = problem.chain;
  for (let k = 1; k < chain.length; k++) {
    const here = chain[k]!;
    const above = chain[k - 1]!;
    if (upper[above]! < upper[here]!) {
      upper[here] = upper[above]!;
      upperFrom[here] = upperFrom[above]!;
    }
  }
  for (let k = chain.length - 2; k >= 0; k--) {
    const here = chain[k]!;
    const below = chain[k + 1]!;
    if (lower[below]! > lower[here]!) {
      lower[here] = lower[below]!;
      lowerFrom[here] = lowerFrom[below]!;
    }
  }
  return { lower, upper, lowerFrom, upperFrom };
}

/** The first reason the problem has no solution, or null when it has one. */
export function infeasibility(problem: SolverProblem, env = envelope(problem)): Infeasibility | null {
  for (let i = 0; i < problem.items.length; i++) {
    const item = problem.items[i]!;
    if (item.lo > item.hi + TOLERANCE) return { kind: 'bounds', item: i };
  }
  for (let i = 0; i < problem.items.length; i++) {
    if (env.lower[i]! > env.upper[i]! + TOLERANCE) return { kind: 'order', upper: env.upperFrom[i]!, lower: env.lowerFrom[i]! };
  }
  let low = 0;
  let high = 0;
  for (let i = 0; i < problem.items.length; i++) {
    low += env.lower[i]!;
    high += env.upper[i]!;
  }
  const slack = TOLERANCE * Math.max(1, problem.total);
  if (low > problem.total + slack) return { kind: 'total', side: 'over', sum: low };
  if (high < problem.total - slack) return { kind: 'total', side: 'under', sum: high };
  return null;
}

/**
 * Weighted isotonic (non-increasing) regression of values y over the chain under the envelope's
 * bounds, written to `out`. Pool-adjacent-violators generalised to separable convex terms (each
 * term a weighted square restricted to [L, U]): a block's value is the minimiser of its terms'
 * sum, the weighted mean of its y clipped to the tightest bounds in the block; adjacent blocks
 * out of order are merged until none is.
 */
function chainSolution(chain: number[], y: Float64Array, w: Float64Array, env: Envelope, out: Float64Array, work: BlockWork): void {
  const { sum, weight, lower, upper, value, size } = work;
  let blocks = 0;
  for (const i of chain) {
    sum[blocks] = y[i]! * w[i]!;
    weight[blocks] = w[i]!;
    lower[blocks] = env.lower[i]!;
    upper[blocks] = env.upper[i]!;
    value[blocks] = Math.min(upper[blocks]!, Math.max(lower[blocks]!, y[i]!));
    size[blocks] = 1;
    blocks++;
    // Non-increasing order: a block above must not be smaller than the one below it.
    while (blocks > 1 && value[blocks - 2]! < value[blocks - 1]!) {
      const a = blocks - 2;
      const b = blocks - 1;
      sum[a] = sum[a]! + sum[b]!;
      weight[a] = weight[a]! + weight[b]!;
      lower[a] = Math.max(lower[a]!, lower[b]!);
      upper[a] = Math.min(upper[a]!, upper[b]!);
      value[a] = Math.min(upper[a]!, Math.max(lower[a]!, sum[a]! / weight[a]!));
      size[a] = size[a]! + size[b]!;
      blocks--;
    }
  }
  let k = 0;
  for (let b = 0; b < blocks; b++) {
    for (let s = 0; s < size[b]!; s++) out[chain[k++]!] = value[b]!;
  }
}

interface BlockWork {
  sum: Float64Array;
  weight: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  value: Float64Array;
  size: Int32Array;
}

function blockWork(length: number): BlockWork {
  return {
    sum: new Float64Array(length),
    weight: new Float64Array(length),
    lower: new Float64Array(length),
    upper: new Float64Array(length),
    value: new Float64Array(length),
    size: new Int32Array(length),
  };
}

/** Solves the problem exactly (to floating-point bisection precision), or says why it cannot be. */
export function solve(problem: SolverProblem): SolverResult {
  const env = envelope(problem);
  const reason = infeasibility(problem, env);
  if (reason) return { feasible: false, reason };
  const n = problem.items.length;
  const inChain = new Uint8Array(n);
  for (const i of problem.chain) inChain[i] = 1;
  const w = new Float64Array(n);
  const t = new Float64Array(n);
  problem.items.forEach((item, i) => {
    w[i] = item.weight;
    t[i] = item.target;
  });
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const work = blockWork(problem.chain.length);
  const at = (lambda: number): number => {
    for (let i = 0; i < n; i++) y[i] = t[i]! + lambda / (2 * w[i]!);
    chainSolution(problem.chain, y, w, env, x, work);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (!inChain[i]) x[i] = Math.min(env.upper[i]!, Math.max(env.lower[i]!, y[i]!));
      sum += x[i]!;
    }
    return sum;
  };
  // Bracket λ: widen until the total is crossed (it is, since ΣL ≤ total ≤ ΣU).
  let lowLambda = -1;
  let highLambda = 1;
  for (let guard = 0; at(lowLambda) > problem.total && guard < 200; guard++) lowLambda *= 2;
  for (let guard = 0; at(highLambda) < problem.total && guard < 200; guard++) highLambda *= 2;
  for (let iteration = 0; iteration < 200; iteration++) {
    const middle = (lowLambda + highLambda) / 2;
    if (middle === lowLambda || middle === highLambda) break;
    if (at(middle) < problem.total) lowLambda = middle;
    else highLambda = middle;
  }
  const sumLow = at(lowLambda);
  const xLow = Float64Array.from(x);
  const sumHigh = at(highLambda);
  // Interpolate between the two brackets so the total is met exactly.
  const share = sumHigh > sumLow ? (problem.total - sumLow) / (sumHigh - sumLow) : 1;
  let objective = 0;
  for (let i = 0; i < n; i++) {
    x[i] = xLow[i]! + share * (x[i]! - xLow[i]!);
    objective += w[i]! * (x[i]! - t[i]!) ** 2;
  }
  return { feasible: true, x, objective };
}

/**
 * The interval of values item i can take in some solution of the constraints (whatever the
 * objective): the smallest and largest x_i such that the rest can still be completed. With item i
 * at v, the chain items above it must be ≥ v and those below ≤ v, so the least and greatest totals
 * the others can reach are monotone in v; each end is found by bisection. Null when infeasible.
 */
export function feasibleRange(problem: SolverProblem, item: number, env = envelope(problem)): [number, number] | null {
  if (infeasibility(problem, env)) return null;
  const position = problem.chain.indexOf(item);
  const n = problem.items.length;
  const minTotal = (v: number): number => {
    let sum = v;
    for (let i = 0; i < n; i++) if (i !== item) sum += env.lower[i]!;
    if (position >= 0) for (let k = 0; k < position; k++) sum += Math.max(0, v - env.lower[problem.chain[k]!]!);
    return sum;
  };
  const maxTotal = (v: number): number => {
    let sum = v;
    for (let i = 0; i < n; i++) if (i !== item) sum += env.upper[i]!;
    if (position >= 0) for (let k = position + 1; k < problem.chain.length; k++) sum -= Math.max(0, env.upper[problem.chain[k]!]! - v);
    return sum;
  };
  const lo = env.lower[item]!;
  const hi = env.upper[item]!;
  const total = problem.total;
  // Largest v in [lo, hi] with minTotal(v) ≤ total; smallest with maxTotal(v) ≥ total.
  let top = hi;
  if (minTotal(hi) > total) {
    let a = lo;
    let b = hi;
    for (let i = 0; i < 100 && b - a > 1e-12 * Math.max(1, b); i++) {
      const m = (a + b) / 2;
      if (minTotal(m) <= total) a = m;
      else b = m;
    }
    top = a;
  }
  let bottom = lo;
  if (maxTotal(lo) < total) {
    let a = lo;
    let b = hi;
    for (let i = 0; i < 100 && b - a > 1e-12 * Math.max(1, b); i++) {
      const m = (a + b) / 2;
      if (maxTotal(m) >= total) b = m;
      else a = m;
    }
    bottom = b;
  }
  return [bottom, Math.max(bottom, top)];
}
