import * as tf from '@tensorflow/tfjs-core';
// tf.grad needs the gradient registry (the compute process loads it with the backend; this module may run alone).
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { normalGenerator } from '../../shared/ml/linalg';
import { repulsionPenalty, type ResolvedTerm } from '../../shared/ml/objective';
import { seededRandom } from '../../shared/ml/random';

/**
 * Gradient-based optimisation in the latent space (seeds 001–003), run in the compute process:
 * Adam on a batch of codes (one row per restart) against the objective of
 * src/shared/ml/objective.ts — the benefit heads' terms, the prior penalty and the manifold guard —
 * with each restart stopped on its own when its objective stops changing, its gradient vanishes,
 * or the step limit is reached.
 */

/** How a benefit head's raw output becomes the benefit's value (as `predict` reports it). */
export interface HeadReading {
  /** Index of the head's output column. */
  index: number;
  /** Flags: probability = sigmoid(raw). Scores: value = raw·scale + offset. */
  flag: boolean;
  scale: number;
  offset: number;
}

export interface GradientSettings {
  terms: readonly ResolvedTerm[];
  /** One head reading per term, in the same order. */
  heads: readonly HeadReading[];
  priorWeight: number;
  guard: ManifoldGuard | null;
  /** Share of the benefit terms read through the decode–encode cycle (0: the heads at z only). */
  cycleWeight: number;
  /**
   * The catalog's usual list lengths [lo, hi]: a penalty (lo + 1 − L)² below and (L − hi + 1)²
   * above, on the expected decoded length L — the structural check's length rule, made smooth.
   */
  lengthRange: [number, number] | null;
  maxSteps: number;
  learningRate: number;
  /** A restart stops when its objective changes by less than `tolerance·(1 + |objective|)` for `patience` steps in a row… */
  tolerance: number;
  patience: number;
  /** …or when its gradient's norm falls below this. */
  gradientTolerance: number;
  /** Every this many steps the codes are projected (decoded and encoded again) and recorded for the path. */
  projectEvery: number;
  /** A restart also stops when this many projections in a row have not improved its best. */
  patienceProjections: number;
  /** Keeps restarts apart so that they end on different lists (null: independent restarts). */
  diversity: RestartDiversity | null;
}

/**
 * Restarts that maximise the same benefit fall into the same few optima. With this, restart r,
 * once it holds a success (any time, without a judge), is pushed away from the best projected
 * codes of the restarts before it by the repulsion μ·Σ_{j<r} exp(−‖W(z − b_j)‖² / 2h²)
 * (src/shared/ml/objective.ts, in the catalog's whitened units), and its best is chosen with it;
 * a projection that lands on an earlier restart's best code is nudged off it (the repulsion has
 * no gradient there); and each restart ends on its best projected code that no earlier restart
 * ended on, when it has one that is no worse a success. Pushing only restarts that already hold
 * a success keeps every success independent restarts find (pushing all of them lost 2–4 of 100
 * on the benchmark). Restart 0 is never pushed: the single best result is unchanged.
 */
export interface RestartDiversity {
  /** μ, on the scale of the benefit terms (one catalog standard deviation of a benefit). */
  weight: number;
  /** h, in whitened units. */
  bandwidth: number;
  /** W = L⁻¹ (D × D, row-major), L the Cholesky factor of the catalog codes' covariance. */
  whitening: Float32Array;
  /** L itself: a nudge is scale·L·e, e standard normal. */
  cholesky: Float32Array;
  nudge: number;
  /** Seeds the nudges. */
  seed: number;
}

/**
 * Keeps codes where the decoder has seen data. `density`: a penalty μ·max(0, floor − log p(z))²
 * where p is the Gaussian KDE of the catalog's whitened codes (whitened: w = W(z − mean), W = L⁻¹)
 * and the floor a quantile of the catalog's own leave-one-out log densities. `nearest-code`: a
 * penalty μ·max(0, d(z) − radius)² on the distance to the nearest catalog code.
 */
export type ManifoldGuard =
  | { kind: 'density'; whitening: Float32Array; mean: Float32Array; catalogWhite: Float32Array; bandwidth: number; floor: number; weight: number }
  | { kind: 'nearest-code'; catalogCodes: Float32Array; radius: number; weight: number };

/** The guard's catalog as tensors (made once per run). */
interface GuardTensors {
  references: tf.Tensor2D;
  squaredNorms: tf.Tensor2D;
  whitening: tf.Tensor2D | null;
  mean: tf.Tensor1D | null;
}

/** What the optimiser needs of the model: the benefit heads and, optionally, the soft decode–encode cycle. */
export interface OptimizedModel {
  predictBenefits: (z: tf.Tensor2D) => tf.Tensor2D;
  /** z ↦ the encoder's mean for z's soft decoding (presence probability × the position weight the encoder reads). */
  cycle: ((z: tf.Tensor2D) => tf.Tensor2D) | null;
  /** z ↦ the expected length of z's decoded list (sum of presence probabilities), R values. */
  softLength: ((z: tf.Tensor2D) => tf.Tensor1D) | null;
}

export type StopReason = 'objective-converged' | 'gradient-vanished' | 'step-limit';

export interface RestartTrace {
  steps: number;
  stopReason: StopReason;
  /** The projected codes met (start, every `projectEvery` steps, the stop) and, last, the best of them (successes first). */
  path: { step: number; code: Float32Array; objective: number }[];
}

/** The objective per row (R) for codes z (R × D), as a tensor: lower is better. */
export function objectiveRows(
  model: OptimizedModel,
  z: tf.Tensor2D,
  settings: Pick<GradientSettings, 'terms' | 'heads' | 'priorWeight' | 'guard' | 'cycleWeight' | 'lengthRange'>,
  catalog: GuardTensors | null,
): tf.Tensor1D {
  return tf.tidy(() => {
    let total = tf.mul(settings.priorWeight * 0.5, tf.sum(tf.square(z), 1)) as tf.Tensor1D;
    // The terms on the heads at z and, weighted by `cycleWeight`, at the code of z's soft
    // decoding encoded again: what the written-down list will predict.
    const readings: [tf.Tensor2D, number][] = [];
    if (settings.cycleWeight < 1) readings.push([model.predictBenefits(z), 1 - settings.cycleWeight]);
    if (settings.cycleWeight > 0 && model.cycle) readings.push([model.predictBenefits(model.cycle(z)), settings.cycleWeight]);
    else if (settings.cycleWeight > 0) readings.push([model.predictBenefits(z), settings.cycleWeight]);
    for (const [raw, share] of readings) settings.terms.forEach((term, i) => {
      const head = settings.heads[i]!;
      const column = tf.reshape(tf.slice(raw, [0, head.index], [-1, 1]), [-1]);
      const value = head.flag ? tf.sigmoid(column) : tf.add(tf.mul(column, head.scale), head.offset);
      const std = term.std > 1e-9 ? term.std : 1;
      let loss: tf.Tensor;
      if (term.goal === 'maximize') loss = tf.mul(-term.weight / std, tf.sub(value, term.mean));
      else if (term.goal === 'minimize') loss = tf.mul(term.weight / std, tf.sub(value, term.mean));
      else loss = tf.mul(term.weight, tf.square(tf.div(tf.sub(value, term.bar), std)));
      total = tf.add(total, tf.mul(share, loss));
    });
    if (settings.lengthRange && model.softLength) {
      const length = model.softLength(z);
      const [lo, hi] = settings.lengthRange;
      const short = tf.relu(tf.sub(lo + 1, length));
      const long = tf.relu(tf.sub(length, Math.max(lo + 1, hi - 1)));
      total = tf.add(total, tf.add(tf.square(short), tf.square(long)));
    }
    const guard = settings.guard;
    if (guard && catalog) {
      // ‖x − c‖² = ‖x‖² + ‖c‖² − 2 x·c for every catalog point c (whitened for the density guard).
      const x = catalog.whitening && catalog.mean ? tf.matMul(tf.sub(z, catalog.mean), catalog.whitening, false, true) : z;
      const xx = tf.sum(tf.square(x), 1, true);
      const d2 = tf.relu(tf.sub(tf.add(xx, catalog.squaredNorms), tf.mul(2, tf.matMul(x, catalog.references, false, true))));
      let shortfall: tf.Tensor;
      if (guard.kind === 'density') {
        const n = catalog.references.shape[0];
        const D = catalog.references.shape[1];
        const h = guard.bandwidth;
        const logDensity = tf.add(tf.logSumExp(tf.mul(-1 / (2 * h * h), d2), 1), -Math.log(n) - D * Math.log(h * Math.sqrt(2 * Math.PI)));
        shortfall = tf.relu(tf.sub(guard.floor, logDensity));
      } else {
        const nearest = tf.sqrt(tf.add(tf.min(d2, 1), 1e-12));
        shortfall = tf.relu(tf.sub(nearest, guard.radius));
      }
      total = tf.add(total, tf.mul(guard.weight, tf.square(shortfall)));
    }
    return total as tf.Tensor1D;
  });
}

/**
 * The repulsion of each row of z (R × D) from `anchors` (R × D): row r from the anchors j < r
 * whose `mask[r][j]` is 1, μ·Σ exp(−‖W(z_r − a_j)‖² / 2h²); the anchors are constants.
 */
export function repulsionRows(z: tf.Tensor2D, anchors: tf.Tensor2D, mask: tf.Tensor2D, whitening: tf.Tensor2D, diversity: Pick<RestartDiversity, 'weight' | 'bandwidth'>): tf.Tensor1D {
  return tf.tidy(() => {
    const x = tf.matMul(z, whitening, false, true);
    const a = tf.matMul(anchors, whitening, false, true);
    const d2 = tf.relu(tf.sub(tf.add(tf.sum(tf.square(x), 1, true), tf.reshape(tf.sum(tf.square(a), 1), [1, -1])), tf.mul(2, tf.matMul(x, a, false, true))));
    const kernel = tf.mul(tf.exp(tf.mul(-1 / (2 * diversity.bandwidth * diversity.bandwidth), d2)), mask);
    return tf.mul(diversity.weight, tf.sum(kernel, 1)) as tf.Tensor1D;
  });
}

/**
 * Runs Adam from each start (R × D) until each restart stops. Every `projectEvery` steps (and when
 * a restart stops) its code is projected onto what the model can write down: decoded to a list
 * and that list encoded again (`project`). The search continues from the projected code, and each
 * restart ends at the projected code with the best objective it met — a code whose list, encoded
 * again, lands where the objective was measured, so the heads cannot be fooled by directions the
 * decoder ignores. `isCancelled` is checked every step (throwing `cancel()`'s error).
 */
export async function optimizeCodes(
  model: OptimizedModel,
  starts: Float32Array,
  rows: number,
  settings: GradientSettings,
  hooks: {
    isCancelled: () => boolean;
    cancel: () => Error;
    onProgress: (step: number) => void;
    project: (codes: Float32Array, rows: number) => Promise<Float32Array>;
    /** Whether each projected code would be a success (targets, consistency, checks); such codes are preferred. */
    judge?: (codes: Float32Array, rows: number) => Promise<boolean[]>;
    /** A term added to each projected code's objective that has no gradient (the penalty on uncertain predictions). */
    penalty?: (codes: Float32Array, rows: number) => Promise<Float64Array>;
  },
): Promise<RestartTrace[]> {
  const D = starts.length / rows;
  const z = Float32Array.from(starts);
  const m = new Float32Array(z.length);
  const v = new Float32Array(z.length);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const active = new Array<boolean>(rows).fill(true);
  const quiet = new Array<number>(rows).fill(0);
  const previous = new Array<number>(rows).fill(Number.NaN);
  const age = new Array<number>(rows).fill(0);
  /** Projections since a restart's best projected objective last improved. */
  const stale = new Array<number>(rows).fill(0);
  const best: { code: Float32Array; objective: number; step: number; ok: boolean }[] = Array.from({ length: rows }, () => ({ code: new Float32Array(D), objective: Infinity, step: 0, ok: false }));
  const traces: RestartTrace[] = Array.from({ length: rows }, () => ({ steps: 0, stopReason: 'step-limit' as StopReason, path: [] }));
  const catalog = settings.guard ? guardTensors(settings.guard, D) : null;
  /** Every projected code each restart met, with its objective and verdict: the ends it may choose from. */
  const met: { code: Float32Array; objective: number; step: number; ok: boolean }[][] = Array.from({ length: rows }, () => []);
  const diversity = settings.diversity && rows > 1 ? settings.diversity : null;
  const whitening = diversity ? tf.tensor2d(diversity.whitening, [D, D]) : null;
  const nudge = diversity ? normalGenerator(seededRandom(diversity.seed)) : null;
  /** The earlier restarts' best codes as anchors, and which of them push each row (j < r, once j has a best). */
  const anchorTensors = () => {
    const anchors = new Float32Array(rows * D);
    const mask = new Float32Array(rows * rows);
    let pushes = 0;
    best.forEach((b, j) => {
      if (!Number.isFinite(b.objective)) return;
      anchors.set(b.code, j * D);
      for (let r = j + 1; r < rows; r++) {
        if (!searching(r)) continue;
        mask[r * rows + j] = 1;
        pushes++;
      }
    });
    // No restart pushed yet (none holds a success): no repulsion to compute.
    return pushes === 0 ? null : { anchors: tf.tensor2d(anchors, [rows, D]), mask: tf.tensor2d(mask, [rows, rows]) };
  };
  /**
   * Whether restart r is being kept apart: once it holds a success (with a judge), so that the
   * push never costs a restart the success it would find on its own; it then looks for another.
   */
  const searching = (r: number) => !hooks.judge || best[r]!.ok;
  /** The repulsion restart r's code meets from the best codes of the restarts before it. */
  const pushed = (r: number, code: Float32Array) =>
    diversity && searching(r) ? repulsionPenalty(code, best.slice(0, r).filter((b) => Number.isFinite(b.objective)).map((b) => b.code), diversity.whitening, diversity.bandwidth, diversity.weight) : 0;
  const lossRows = (x: tf.Tensor2D) => {
    const base = objectiveRows(model, x, settings, catalog);
    const pushing = diversity && whitening ? anchorTensors() : null;
    if (!diversity || !whitening || !pushing) return base;
    return tf.add(base, repulsionRows(x, pushing.anchors, pushing.mask, whitening, diversity)) as tf.Tensor1D;
  };
  const lossSum = (x: tf.Tensor) => tf.sum(lossRows(x as tf.Tensor2D));
  const objectives = (codes: Float32Array, count: number) =>
    tf.tidy(() => objectiveRows(model, tf.tensor2d(codes, [count, D]), settings, catalog).dataSync() as Float32Array);
  /** Projects the given rows, keeps each one's best projected code, and restarts them from it. */
  const projectRows = async (which: number[], step: number) => {
    if (which.length === 0) return;
    const codes = new Float32Array(which.length * D);
    which.forEach((r, i) => codes.set(z.subarray(r * D, (r + 1) * D), i * D));
    const projected = await hooks.project(codes, which.length);
    const values = Float64Array.from(objectives(projected, which.length));
    if (hooks.penalty) {
      const extra = await hooks.penalty(projected, which.length);
      extra.forEach((v, i) => (values[i] = values[i]! + v));
    }
    const verdicts = hooks.judge ? await hooks.judge(projected, which.length) : which.map(() => true);
    which.forEach((r, i) => {
      const code = projected.slice(i * D, (i + 1) * D);
      const ok = verdicts[i]!;
      const b = best[r]!;
      traces[r]!.path.push({ step, code, objective: values[i]! });
      // Better: a success over a failure, else a lower objective (by more than the tolerance to count
      // as progress); kept apart, the objective with the repulsion from the earlier restarts' bests now.
      const here = values[i]! + pushed(r, code);
      const there = Number.isFinite(b.objective) ? b.objective + pushed(r, b.code) : b.objective;
      const clearlyLower = here < there - settings.tolerance * (1 + Math.abs(there));
      if ((ok && !b.ok) || (ok === b.ok && clearlyLower)) {
        best[r] = { code, objective: values[i]!, step, ok };
        stale[r] = 0;
      } else if (ok === b.ok && here < there) {
        best[r] = { code, objective: values[i]!, step, ok };
        stale[r] = stale[r]! + 1;
      } else stale[r] = stale[r]! + 1;
      // Projections that no longer improve the best: this restart has converged.
      if (active[r] && stale[r]! >= settings.patienceProjections) {
        active[r] = false;
        traces[r]!.steps = step;
        traces[r]!.stopReason = 'objective-converged';
      }
      met[r]!.push({ code, objective: values[i]!, step, ok });
      z.set(code, r * D);
      // On an earlier restart's best code the repulsion has no gradient: nudge the search off it.
      if (diversity && nudge && searching(r) && best.some((b, j) => j < r && sameCode(b.code, code))) {
        const e = Array.from({ length: D }, () => nudge());
        for (let a = 0; a < D; a++) {
          let shift = 0;
          for (let c = 0; c <= a; c++) shift += diversity.cholesky[a * D + c]! * e[c]!;
          z[r * D + a] = code[a]! + diversity.nudge * shift;
        }
      }
      m.fill(0, r * D, (r + 1) * D);
      v.fill(0, r * D, (r + 1) * D);
      age[r] = 0;
      quiet[r] = 0;
      previous[r] = Number.NaN;
    });
  };
  try {
    await projectRows([...Array(rows).keys()], 0);
    for (let step = 1; step <= settings.maxSteps; step++) {
      if (hooks.isCancelled()) throw hooks.cancel();
      const { values, gradient } = tf.tidy(() => {
        const x = tf.tensor2d(z, [rows, D]);
        const g = tf.grad(lossSum)(x);
        return { values: lossRows(x).dataSync() as Float32Array, gradient: g.dataSync() as Float32Array };
      });
      const stopping: number[] = [];
      const projecting: number[] = [];
      for (let r = 0; r < rows; r++) {
        if (!active[r]) continue;
        const objective = values[r]!;
        let norm = 0;
        for (let d = 0; d < D; d++) norm += gradient[r * D + d]! * gradient[r * D + d]!;
        norm = Math.sqrt(norm);
        const change = Math.abs(objective - previous[r]!);
        quiet[r] = change < settings.tolerance * (1 + Math.abs(objective)) ? quiet[r]! + 1 : 0;
        previous[r] = objective;
        let stop: StopReason | null = null;
        if (norm < settings.gradientTolerance) stop = 'gradient-vanished';
        else if (quiet[r]! >= settings.patience) stop = 'objective-converged';
        else if (step === settings.maxSteps) stop = 'step-limit';
        if (stop) {
          active[r] = false;
          traces[r]!.steps = step;
          traces[r]!.stopReason = stop;
          stopping.push(r);
          continue;
        }
        // Adam, bias-corrected, on this restart's row only (moments restart after a projection).
        const t = ++age[r]!;
        const lr = (settings.learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        for (let d = 0; d < D; d++) {
          const i = r * D + d;
          const g = gradient[i]!;
          m[i] = beta1 * m[i]! + (1 - beta1) * g;
          v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
          z[i] = z[i]! - (lr * m[i]!) / (Math.sqrt(v[i]!) + 1e-8);
        }
        if (step % settings.projectEvery === 0) projecting.push(r);
      }
      await projectRows([...stopping, ...projecting], step);
      if (step % 10 === 0) hooks.onProgress(step);
      if (!active.some(Boolean)) break;
    }
    // Each restart ends at its best projected code (recorded last, so the path ends there); kept
    // apart, at its best one that no earlier restart ended on, unless that would lose a success.
    const ends: Float32Array[] = [];
    best.forEach((b, r) => {
      let end = b;
      if (diversity && ends.some((e) => sameCode(e, b.code))) {
        const fresh = met[r]!.filter((p) => p.ok === b.ok && !ends.some((e) => sameCode(e, p.code)));
        for (const p of fresh) if (end === b || p.objective < end.objective) end = p;
      }
      ends.push(end.code);
      traces[r]!.path.push({ step: traces[r]!.steps, code: end.code, objective: end.objective });
    });
  } finally {
    if (catalog) tf.dispose([catalog.references, catalog.squaredNorms, ...(catalog.whitening ? [catalog.whitening] : []), ...(catalog.mean ? [catalog.mean] : [])]);
    if (whitening) whitening.dispose();
  }
  return traces;
}

function guardTensors(guard: ManifoldGuard, D: number): GuardTensors {
  const points = guard.kind === 'density' ? guard.catalogWhite : guard.catalogCodes;
  const references = tf.tensor2d(points, [points.length / D, D]);
  return {
    references,
    squaredNorms: tf.tidy(() => tf.reshape(tf.sum(tf.square(references), 1), [1, -1]) as tf.Tensor2D),
    whitening: guard.kind === 'density' ? tf.tensor2d(guard.whitening, [D, D]) : null,
    mean: guard.kind === 'density' ? tf.tensor1d(guard.mean) : null,
  };
}

/** Whether two projected codes are the same list's code (encoding one list twice agrees to float rounding). */
function sameCode(a: Float32Array, b: Float32Array): boolean {
  for (let d = 0; d < a.length; d++) if (Math.abs(a[d]! - b[d]!) > 1e-4) return false;
  return true;
}

/** Distance from each code (rows × D) to the nearest catalog code (n × D). */
export function nearestCatalogDistances(codes: Float32Array, rows: number, catalogCodes: Float32Array, D: number): Float64Array {
  const n = catalogCodes.length / D;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let d = 0; d < D; d++) {
        const diff = codes[r * D + d]! - catalogCodes[j * D + d]!;
        s += diff * diff;
        if (s >= best) break;
      }
      if (s < best) best = s;
    }
    out[r] = Math.sqrt(best);
  }
  return out;
}
