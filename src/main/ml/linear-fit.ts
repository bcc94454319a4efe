import { sigmoid } from '../../shared/ml/metrics';

/**
 * L2-regularised linear models over sparse rows, every benefit at once: logistic regression for
 * 0/1 flags, least squares (ridge) for scores. Plain Float64Array arithmetic with the weights laid
 * out feature-major (feature × benefit), so a pass over a row touches one contiguous block per
 * ingredient; full-batch Nesterov-accelerated gradient descent with the step 1/L from the largest
 * eigenvalue of the rows' second moment (power iteration). Used by the list predictor.
 */

/** Sparse rows (CSR) of feature values. */
export interface SparseRows {
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
  features: number;
}

/** Targets of the fit: rows × benefits values and their presence mask (as PreparedData holds them). */
export interface FitTargets {
  targets: Float32Array;
  mask: Float32Array;
  kinds: readonly ('flag' | 'score')[];
}


/**
 * Weights (features + 1) × benefits, the last row the biases: minimises, per benefit, the mean
 * log-loss (flags) or half squared error (scores) over the labelled `rows` (row `rows[k]` counted
 * `multiplicity[k]` times) plus l2/2·|w|², the bias unpenalised. `start` warm-starts the descent
 * (a bootstrap member from the fit on all rows needs a fraction of the steps).
 */
export function fitLinear(X: SparseRows, t: FitTargets, rows: readonly number[], multiplicity: Float64Array, l2: number, iterations: number, start?: Float64Array): Float64Array {
  const F = X.features;
  const B = t.kinds.length;
  const size = (F + 1) * B;
  const total = new Float64Array(B);
  rows.forEach((row, k) => {
    for (let b = 0; b < B; b++) total[b]! += multiplicity[k]! * t.mask[row * B + b]!;
  });
  const lipschitz = largestEigenvalue(X, rows, multiplicity);
  const step = Float64Array.from({ length: B }, (_, b) => 1 / ((t.kinds[b] === 'flag' ? 0.25 : 1) * lipschitz + l2));
  const isFlag = Uint8Array.from(t.kinds, (k) => (k === 'flag' ? 1 : 0));
  let w = start ? start.slice() : new Float64Array(size);
  let previous = w.slice();
  const look = new Float64Array(size);
  const grad = new Float64Array(size);
  const z = new Float64Array(B);
  const err = new Float64Array(B);
  const biasBase = F * B;
  let momentumT = 1;
  for (let it = 0; it < iterations; it++) {
    const tNext = (1 + Math.sqrt(1 + 4 * momentumT * momentumT)) / 2;
    const momentum = (momentumT - 1) / tNext;
    for (let i = 0; i < size; i++) look[i] = w[i]! + momentum * (w[i]! - previous[i]!);
    grad.fill(0);
    for (let k = 0; k < rows.length; k++) {
      const c = multiplicity[k]!;
      if (c === 0) continue;
      const row = rows[k]!;
      const start = X.rowStart[row]!;
      const end = X.rowStart[row + 1]!;
      for (let b = 0; b < B; b++) z[b] = look[biasBase + b]!;
      for (let j = start; j < end; j++) {
        const base = X.columns[j]! * B;
        const v = X.values[j]!;
        for (let b = 0; b < B; b++) z[b]! += look[base + b]! * v;
      }
      for (let b = 0; b < B; b++) {
        const m = t.mask[row * B + b]!;
        const y = t.targets[row * B + b]!;
        err[b] = m && total[b] ? ((isFlag[b] ? sigmoid(z[b]!) : z[b]!) - y) * (c / total[b]!) : 0;
        grad[biasBase + b]! += err[b]!;
      }
      for (let j = start; j < end; j++) {
        const base = X.columns[j]! * B;
        const v = X.values[j]!;
        for (let b = 0; b < B; b++) grad[base + b]! += err[b]! * v;
      }
    }
    const next = previous;
    for (let base = 0; base < biasBase; base += B) {
      for (let b = 0; b < B; b++) next[base + b] = look[base + b]! - step[b]! * (grad[base + b]! + l2 * look[base + b]!);
    }
    for (let b = 0; b < B; b++) next[biasBase + b] = look[biasBase + b]! - step[b]! * grad[biasBase + b]!;
    previous = w;
    w = next;
    momentumT = tNext;
  }
  return w;
}

/** Raw outputs (logit or value) of weights from fitLinear for one sparse row, into `out` (length B). */
export function linearOutputs(X: SparseRows, row: number, w: Float64Array | Float32Array, B: number, out: Float64Array, offset = 0): void {
  const biasBase = offset + X.features * B;
  for (let b = 0; b < B; b++) out[b] = w[biasBase + b]!;
  for (let j = X.rowStart[row]!; j < X.rowStart[row + 1]!; j++) {
    const base = offset + X.columns[j]! * B;
    const v = X.values[j]!;
    for (let b = 0; b < B; b++) out[b]! += w[base + b]! * v;
  }
}

/** Largest eigenvalue of the weighted second moment of [x, 1] over `rows` (30 power steps, with a 5 % margin). */
function largestEigenvalue(X: SparseRows, rows: readonly number[], multiplicity: Float64Array): number {
  const F = X.features;
  let total = 0;
  for (const c of multiplicity) total += c;
  let v = new Float64Array(F + 1).fill(1 / Math.sqrt(F + 1));
  let lambda = 1;
  for (let it = 0; it < 30; it++) {
    const next = new Float64Array(F + 1);
    rows.forEach((row, k) => {
      const c = multiplicity[k]!;
      if (c === 0) return;
      let dot = v[F]!;
      for (let j = X.rowStart[row]!; j < X.rowStart[row + 1]!; j++) dot += v[X.columns[j]!]! * X.values[j]!;
      const s = (c * dot) / Math.max(1, total);
      next[F]! += s;
      for (let j = X.rowStart[row]!; j < X.rowStart[row + 1]!; j++) next[X.columns[j]!]! += s * X.values[j]!;
    });
    let norm = 0;
    for (const x of next) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm === 0) return 1;
    lambda = norm;
    v = next.map((x) => x / norm);
  }
  // Power iteration approaches from below; the margin keeps the step stable.
  return lambda * 1.05;
}
