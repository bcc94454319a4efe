import { describe, expect, it } from 'vitest';
import { erfc, expectedImprovement, fitGp, logExpectedImprovement, matern52, nelderMead, normalCdf, normalPdf, predictStandardised, withObservations, GpFitError } from '../../../src/shared/ml/gp';
import { seededRandom } from '../../../src/shared/ml/random';

/** Dense helpers written the slow, obvious way, to check the GP's formulas against. */
function kernelMatrix(x: number[][], l: number, s2: number, noise: number): number[][] {
  return x.map((a, i) => x.map((b, j) => matern52(Math.hypot(...a.map((v, k) => v - b[k]!)), l, s2) + (i === j ? noise : 0)));
}
function solve(a: number[][], b: number[]): number[] {
  // Gaussian elimination with partial pivoting.
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}
function logDet(a: number[][]): number {
  // via LU without pivoting (SPD matrices)
  const n = a.length;
  const m = a.map((r) => [...r]);
  let s = 0;
  for (let c = 0; c < n; c++) {
    s += Math.log(m[c]![c]!);
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return s;
}

const unit = (d: number) => ({ centre: new Array(d).fill(0), scale: new Array(d).fill(1) });

describe('the Matérn 5/2 kernel and the normal functions', () => {
  it('matches the closed form and its limits', () => {
    expect(matern52(0, 2, 1.5)).toBe(1.5);
    const r = 0.7;
    const l = 1.3;
    const s = (Math.sqrt(5) * r) / l;
    expect(matern52(r, l, 2)).toBeCloseTo(2 * (1 + s + (5 * r * r) / (3 * l * l)) * Math.exp(-s), 12);
    expect(matern52(50, 1, 1)).toBeLessThan(1e-40);
  });

  it('erfc and Φ agree with known values to 1e-7', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(1)).toBeCloseTo(0.157299207050285, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalPdf(0)).toBeCloseTo(0.398942280401433, 12);
  });
});

describe('expected improvement', () => {
  it('equals the integral of max(0, f − best) under N(mean, sd²)', () => {
    for (const [mean, sd, best] of [
      [0.3, 0.5, 0.1],
      [-1, 0.2, 0],
      [2, 1.5, 2.5],
    ] as const) {
      let integral = 0;
      const h = sd / 2000;
      for (let f = mean - 10 * sd; f < mean + 10 * sd; f += h) integral += Math.max(0, f - best) * (normalPdf((f - mean) / sd) / sd) * h;
      expect(expectedImprovement(mean, sd, best)).toBeCloseTo(integral, 4);
    }
  });

  it('stays finite and ordered far below the incumbent, where EI underflows', () => {
    const values = [-8, -12, -20, -40].map((m) => logExpectedImprovement(m, 1, 0));
    for (const v of values) expect(Number.isFinite(v)).toBe(true);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    // Both sides of the switch to the asymptotic series agree: log h falls with slope about |z| = 6 there.
    const step = logExpectedImprovement(-5.999, 1, 0) - logExpectedImprovement(-6.001, 1, 0);
    expect(step).toBeGreaterThan(0.012 - 0.004);
    expect(step).toBeLessThan(0.012 + 0.004);
    // At z = −6 the exact value is log(φ(6) − 6Φ(−6)) = −22.5789.
    expect(logExpectedImprovement(-6.001, 1, 0)).toBeCloseTo(-22.5789 - 0.006, 1);
  });
});

describe('the Gaussian process', () => {
  const rand = seededRandom(5);
  const x = Array.from({ length: 12 }, () => [rand() * 4 - 2, rand() * 4 - 2]);
  const f = (p: number[]) => Math.sin(p[0]!) + 0.5 * Math.cos(2 * p[1]!);
  const y = x.map(f);

  it('computes the posterior and the marginal likelihood as the textbook formulas do', () => {
    const h = { lengthScale: 1.1, signalVariance: 0.8, noiseVariance: 0.01 };
    const gp = fitGp(x.flat(), y, 2, { ...unit(2), fixed: h });
    const mean = y.reduce((a, b) => a + b) / y.length;
    const std = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / (y.length - 1));
    const ys = y.map((v) => (v - mean) / std);
    const k = kernelMatrix(x, h.lengthScale, h.signalVariance, h.noiseVariance);
    const alpha = solve(k, ys);
    const expectedLml = -0.5 * ys.reduce((s, v, i) => s + v * alpha[i]!, 0) - 0.5 * logDet(k) - (ys.length / 2) * Math.log(2 * Math.PI);
    expect(gp.logMarginalLikelihood).toBeCloseTo(expectedLml, 8);
    const q = [0.3, -0.4];
    const kq = x.map((p) => matern52(Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!), h.lengthScale, h.signalVariance));
    const { mean: mu, variance } = predictStandardised(gp, q, 1);
    expect(mu[0]).toBeCloseTo(kq.reduce((s, v, i) => s + v * alpha[i]!, 0), 8);
    expect(variance[0]).toBeCloseTo(h.signalVariance - kq.reduce((s, v, i) => s + v * solve(k, kq)[i]!, 0), 8);
  });

  it('chooses hyper-parameters with a higher marginal likelihood than fixed guesses, and predicts held-out points', () => {
    const gp = fitGp(x.flat(), y, 2, unit(2));
    for (const guess of [
      { lengthScale: 0.2, signalVariance: 1, noiseVariance: 0.05 },
      { lengthScale: 5, signalVariance: 1, noiseVariance: 0.05 },
      { lengthScale: 1, signalVariance: 1, noiseVariance: 0.5 },
    ]) {
      expect(gp.logMarginalLikelihood).toBeGreaterThan(fitGp(x.flat(), y, 2, { ...unit(2), fixed: guess }).logMarginalLikelihood);
    }
    const test = Array.from({ length: 20 }, () => [rand() * 3 - 1.5, rand() * 3 - 1.5]);
    const { mean } = predictStandardised(gp, test.flat(), test.length);
    const errors = test.map((p, i) => Math.abs(mean[i]! * gp.yStd + gp.yMean - f(p)));
    const baseline = test.map((p) => Math.abs(gp.yMean - f(p)));
    expect(errors.reduce((a, b) => a + b)).toBeLessThan(0.5 * baseline.reduce((a, b) => a + b));
  });

  it('keeps the length scale within ¼× to 50× the median distance (few points in many dimensions)', () => {
    const r = seededRandom(9);
    const d = 32;
    const pts = Array.from({ length: 12 }, () => Array.from({ length: d }, () => r() * 2 - 1));
    const gp = fitGp(pts.flat(), pts.map((p) => r() + p[0]!), d, { centre: new Array(d).fill(0), scale: new Array(d).fill(1) });
    const dist: number[] = [];
    for (let i = 0; i < pts.length; i++) for (let j = 0; j < i; j++) dist.push(Math.hypot(...pts[i]!.map((v, k) => v - pts[j]![k]!)));
    dist.sort((a, b) => a - b);
    const median = dist[Math.floor(dist.length / 2)]!;
    expect(gp.lengthScale).toBeGreaterThanOrEqual(0.25 * median * (1 - 1e-9));
    expect(gp.lengthScale).toBeLessThanOrEqual(50 * median * (1 + 1e-9));
  });

  it('standardises inputs by the given centre and scale', () => {
    const scaled = x.map((p) => [p[0]! * 10 + 3, p[1]! * 10 - 7]);
    const a = fitGp(x.flat(), y, 2, { ...unit(2), fixed: { lengthScale: 1, signalVariance: 1, noiseVariance: 0.01 } });
    const b = fitGp(scaled.flat(), y, 2, { centre: [3, -7], scale: [10, 10], fixed: { lengthScale: 1, signalVariance: 1, noiseVariance: 0.01 } });
    expect(b.logMarginalLikelihood).toBeCloseTo(a.logMarginalLikelihood, 8);
  });

  it('takes fantasy observations without changing its hyper-parameters (the kriging believer)', () => {
    const gp = fitGp(x.flat(), y, 2, unit(2));
    const q = [0.1, 0.2];
    const before = predictStandardised(gp, q, 1);
    const after = withObservations(gp, q, [before.mean[0]!]);
    const again = predictStandardised(after, q, 1);
    expect(after.lengthScale).toBe(gp.lengthScale);
    expect(again.mean[0]).toBeCloseTo(before.mean[0]!, 2);
    expect(again.variance[0]).toBeLessThan(before.variance[0]! / 2);
  });

  it('refuses fewer than two observations and values that are not finite, saying why', () => {
    expect(() => fitGp([0, 0], [1], 2, unit(2))).toThrow(GpFitError);
    expect(() => fitGp([0, 0], [1], 2, unit(2))).toThrow('at least two observations; it was given 1');
    expect(() => fitGp([0, 0, 1, 1], [1, Number.NaN], 2, unit(2))).toThrow('observation 2 is not a finite number');
  });

  it('fits equal values and repeated inputs (noise absorbs them)', () => {
    const gp = fitGp([0, 0, 0, 0, 1, 1], [2, 2.2, 3], 2, unit(2));
    expect(Number.isFinite(gp.logMarginalLikelihood)).toBe(true);
    const flat = fitGp([0, 0, 1, 1], [5, 5], 2, unit(2));
    expect(flat.yStd).toBe(1);
    expect(predictStandardised(flat, [0.5, 0.5], 1).mean[0]).toBeCloseTo(0, 6);
  });
});

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const found = nelderMead((p) => (1 - p[0]!) ** 2 + 100 * (p[1]! - p[0]! ** 2) ** 2, [-1.2, 1], 0.5, 2000);
    expect(found.x[0]).toBeCloseTo(1, 2);
    expect(found.x[1]).toBeCloseTo(1, 2);
  });
});
