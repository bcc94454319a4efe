import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { nearestCatalogDistances, objectiveRows, optimizeCodes, repulsionRows, type GradientSettings, type OptimizedModel, type RestartDiversity } from '../../../src/main/optimize/gradient';
import { kdeLogDensity } from '../../../src/shared/ml/latent';
import { objectiveValue, repulsionPenalty, type ResolvedTerm } from '../../../src/shared/ml/objective';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A linear "benefit head": raw = z·A (D × B), read as scores with value = raw (scale 1, offset 0). */
function linearModel(a: number[][]): OptimizedModel {
  const weights = tf.tensor2d(a);
  return { predictBenefits: (z) => tf.matMul(z, weights), cycle: null, softLength: null };
}

const term = (over: Partial<ResolvedTerm>): ResolvedTerm => ({ benefit: 'b0', goal: 'maximize', weight: 1, mean: 0, std: 1, bar: 1, tolerance: 0, ...over });

const base: Omit<GradientSettings, 'terms' | 'heads'> = {
  priorWeight: 1,
  guard: null,
  cycleWeight: 0,
  lengthRange: null,
  maxSteps: 2000,
  learningRate: 0.05,
  tolerance: 1e-9,
  patience: 20,
  gradientTolerance: 1e-5,
  projectEvery: 1_000_000,
  patienceProjections: 4,
  diversity: null,
};
const hooks = { isCancelled: () => false, cancel: () => new Error('cancelled'), onProgress: () => {}, project: async (codes: Float32Array) => codes };

describe('gradient optimisation in the latent space', () => {
  it('evaluates the objective on tensors as the plain formulas do, guards included', () => {
    const model = linearModel([
      [1, 0.5],
      [-2, 1],
    ]);
    const terms = [term({ weight: 2, mean: 0.1, std: 0.5 }), term({ benefit: 'b1', goal: 'target', bar: 0.3, std: 2 })];
    const heads = [
      { index: 0, flag: false, scale: 1, offset: 0 },
      { index: 1, flag: true, scale: 1, offset: 0 },
    ];
    const z = [0.4, -0.3];
    const raw = [0.4 * 1 + -0.3 * -2, 0.4 * 0.5 + -0.3 * 1];
    const benefits = { b0: raw[0]!, b1: 1 / (1 + Math.exp(-raw[1]!)) };
    const catalog = [1, 1, -1, 0.5, 0, 2];
    const nearest = nearestCatalogDistances(Float32Array.from(z), 1, Float32Array.from(catalog), 2)[0]!;
    const settings = { terms, heads, priorWeight: 0.3, cycleWeight: 0, lengthRange: null, guard: { kind: 'nearest-code' as const, catalogCodes: Float32Array.from(catalog), radius: 0.5, weight: 4 } };
    const before = tf.memory().numTensors;
    const got = tf.tidy(() => objectiveRows(model, tf.tensor2d([z]), settings, guardOf(settings.guard)).dataSync()[0]!);
    expect(got).toBeCloseTo(objectiveValue(terms, benefits, z, 0.3, { distance: nearest, radius: 0.5, weight: 4 }), 4);
    // The density guard: identity whitening, so the KDE is the plain one on the catalog codes.
    const floor = -1;
    const density = { kind: 'density' as const, whitening: Float32Array.from([1, 0, 0, 1]), mean: Float32Array.from([0, 0]), catalogWhite: Float32Array.from(catalog), bandwidth: 0.8, floor, weight: 4 };
    const logDensity = kdeLogDensity(Float64Array.from(z), 1, Float64Array.from(catalog), 3, 2, 0.8)[0]!;
    const withDensity = tf.tidy(() => objectiveRows(model, tf.tensor2d([z]), { ...settings, guard: density }, guardOf(density)).dataSync()[0]!);
    expect(withDensity).toBeCloseTo(objectiveValue(terms, benefits, z, 0.3, null) + 4 * Math.max(0, floor - logDensity) ** 2, 4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reaches the known optimum of a linear benefit under the prior penalty, and stops on its own', async () => {
    // Maximise v = a·z with penalty λ·½‖z‖²: the optimum is z* = (w/std)·a/λ.
    const a = [0.6, -0.8, 0.3];
    const model = linearModel(a.map((x) => [x]));
    const settings: GradientSettings = { ...base, terms: [term({ weight: 1.5, std: 0.5 })], heads: [{ index: 0, flag: false, scale: 1, offset: 0 }], priorWeight: 2 };
    const before = tf.memory().numTensors;
    const [trace] = await optimizeCodes(model, new Float32Array(3), 1, settings, hooks);
    const best = trace!.path.at(-1)!;
    a.forEach((x, d) => expect(best.code[d]).toBeCloseTo(((1.5 / 0.5) * x) / 2, 2));
    expect(trace!.stopReason).not.toBe('step-limit');
    expect(trace!.steps).toBeLessThan(2000);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs restarts side by side, each from its own start, and keeps the best projected code', async () => {
    const model = linearModel([[1], [0]]);
    const settings: GradientSettings = { ...base, terms: [term({ goal: 'target', bar: 2 })], heads: [{ index: 0, flag: false, scale: 1, offset: 0 }], priorWeight: 0, projectEvery: 5 };
    // A projection that snaps the second coordinate to zero, as decoding and encoding again would lose it.
    const snap = async (codes: Float32Array) => codes.map((v, i) => (i % 2 === 1 ? 0 : v));
    const traces = await optimizeCodes(model, Float32Array.from([0, 5, -3, -5]), 2, settings, { ...hooks, project: snap });
    for (const t of traces) {
      expect(t.path[0]!.step).toBe(0);
      const best = t.path.at(-1)!;
      expect(best.code[0]).toBeCloseTo(2, 1);
      expect(best.code[1]).toBe(0);
      expect(best.objective).toBe(Math.min(...t.path.map((p) => p.objective)));
    }
  });

  it('computes the repulsion on tensors as the plain formula does, each row only from the earlier anchors it is masked to', () => {
    const whitening = [1.5, 0, -0.5, 2];
    const z = [
      [0.2, 0.1],
      [1, -0.4],
      [0.3, 0.5],
    ];
    const anchors = [
      [0, 0],
      [0.8, -0.2],
      [9, 9],
    ];
    // Row 0 has no earlier restart; row 1 is pushed by anchor 0; row 2 by anchors 0 and 1 (anchor 2 is its own).
    const mask = [
      [0, 0, 0],
      [1, 0, 0],
      [1, 1, 0],
    ];
    const before = tf.memory().numTensors;
    const got = tf.tidy(() => Array.from(repulsionRows(tf.tensor2d(z), tf.tensor2d(anchors), tf.tensor2d(mask), tf.tensor2d(whitening, [2, 2]), { weight: 0.7, bandwidth: 0.6 }).dataSync()));
    expect(got[0]).toBe(0);
    expect(got[1]).toBeCloseTo(repulsionPenalty(z[1]!, [anchors[0]!], whitening, 0.6, 0.7), 5);
    expect(got[2]).toBeCloseTo(repulsionPenalty(z[2]!, [anchors[0]!, anchors[1]!], whitening, 0.6, 0.7), 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ends restarts that collapse onto one optimum on distinct codes when kept apart, each still near the optimum, the first unmoved', async () => {
    // Maximise v = z₀ under the prior ½‖z‖²: the optimum is (1, 0). The projection rounds to a grid
    // of 0.25, as decoding to a list and encoding again lands on one of finitely many codes.
    const model = linearModel([[1], [0]]);
    const settings: GradientSettings = { ...base, terms: [term({})], heads: [{ index: 0, flag: false, scale: 1, offset: 0 }], priorWeight: 1, projectEvery: 10, maxSteps: 400 };
    const grid = async (codes: Float32Array) => codes.map((v) => Math.round(v * 4) / 4 + 0); // + 0: no −0
    const starts = Float32Array.from([-1, -1, 2, 1, 0, 2, 1, -2, -2, 0.5, 0.5, 0.5]);
    const ends = async (diversity: RestartDiversity | null) => {
      const traces = await optimizeCodes(model, starts, 6, { ...settings, diversity }, { ...hooks, project: grid });
      return traces.map((t) => Array.from(t.path.at(-1)!.code));
    };
    const distinct = (codes: number[][]) => new Set(codes.map((c) => c.join(','))).size;
    const before = tf.memory().numTensors;
    const independent = await ends(null);
    expect(distinct(independent)).toBe(1);
    expect(independent[0]).toEqual([1, 0]);
    const apart = await ends({ weight: 0.2, bandwidth: 0.25, whitening: Float32Array.from([1, 0, 0, 1]), cholesky: Float32Array.from([1, 0, 0, 1]), nudge: 0.25, seed: 4 });
    expect(distinct(apart)).toBe(6);
    expect(apart[0]).toEqual([1, 0]);
    // Pushed apart, not away: every end's objective −z₀ + ½‖z‖² is within 0.2 of the optimum's (−0.5).
    for (const [a, b] of apart) expect(-a! + 0.5 * (a! * a! + b! * b!)).toBeLessThanOrEqual(-0.3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pushes a restart apart only once it holds a success, so kept apart every restart still ends on one', async () => {
    // The same collapse, judged: a code succeeds when z₀ ≥ 0.75. A restart pushed before it found a
    // success could miss the one it would find alone; pushed after, it keeps that success at worst.
    const model = linearModel([[1], [0]]);
    const settings: GradientSettings = { ...base, terms: [term({})], heads: [{ index: 0, flag: false, scale: 1, offset: 0 }], priorWeight: 1, projectEvery: 10, maxSteps: 400 };
    const grid = async (codes: Float32Array) => codes.map((v) => Math.round(v * 4) / 4 + 0);
    const judge = async (codes: Float32Array, rows: number) => Array.from({ length: rows }, (_, r) => codes[r * 2]! >= 0.75);
    const starts = Float32Array.from([-1, -1, 2, 1, 0, 2, 1, -2, -2, 0.5, 0.5, 0.5]);
    const diversity: RestartDiversity = { weight: 0.2, bandwidth: 0.25, whitening: Float32Array.from([1, 0, 0, 1]), cholesky: Float32Array.from([1, 0, 0, 1]), nudge: 0.25, seed: 4 };
    const traces = await optimizeCodes(model, starts, 6, { ...settings, diversity }, { ...hooks, project: grid, judge });
    const ends = traces.map((t) => Array.from(t.path.at(-1)!.code));
    for (const [a] of ends) expect(a).toBeGreaterThanOrEqual(0.75);
    expect(new Set(ends.map((c) => c.join(','))).size).toBeGreaterThanOrEqual(5); // independent restarts: 1
    expect(ends[0]).toEqual([1, 0]);
  });

  it('stops at once when cancelled, with the error the caller chose', async () => {
    const model = linearModel([[1]]);
    const settings: GradientSettings = { ...base, terms: [term({})], heads: [{ index: 0, flag: false, scale: 1, offset: 0 }] };
    let calls = 0;
    await expect(optimizeCodes(model, new Float32Array(1), 1, settings, { ...hooks, isCancelled: () => ++calls > 3, cancel: () => new Error('stop here') })).rejects.toThrow('stop here');
  });
});

/** The guard's tensors, as optimizeCodes makes them (built here to evaluate one objective). */
function guardOf(guard: GradientSettings['guard']) {
  if (!guard) return null;
  const points = guard.kind === 'density' ? guard.catalogWhite : guard.catalogCodes;
  const references = tf.tensor2d(points, [points.length / 2, 2]);
  return {
    references,
    squaredNorms: tf.reshape(tf.sum(tf.square(references), 1), [1, -1]) as tf.Tensor2D,
    whitening: guard.kind === 'density' ? tf.tensor2d(guard.whitening, [2, 2]) : null,
    mean: guard.kind === 'density' ? tf.tensor1d(guard.mean) : null,
  };
}
