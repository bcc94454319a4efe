import { describe, expect, it } from 'vitest';
import { cholesky, normalGenerator, sampleMultivariateNormal } from '../../../src/shared/ml/linalg';
import { kdeLogDensity, latentStatistics, projectPca, scottBandwidth, whiten } from '../../../src/shared/ml/latent';
import { seededRandom } from '../../../src/shared/ml/random';

describe('latent statistics', () => {
  const cov = [9, 0, 0, 0, 1, 0.5, 0, 0.5, 1];
  const n = 5000;
  const codes = sampleMultivariateNormal([1, 2, 3], cholesky(cov, 3).l, 3, n, normalGenerator(seededRandom(4)));
  const s = latentStatistics(codes, n, 3);

  it('finds the mean, variances and the dominant principal axis', () => {
    [1, 2, 3].forEach((m, i) => expect(s.mean[i]).toBeCloseTo(m, 1));
    expect(s.variance[0]).toBeCloseTo(9, 0);
    expect(Math.abs(s.pcaVectors[0]!)).toBeGreaterThan(0.99); // first axis ≈ dimension 0
    expect(s.explained[0]).toBeGreaterThan(0.75);
    expect(s.explained.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('projects onto principal axes with the variance of their eigenvalues', () => {
    const p = projectPca(codes, n, s);
    let v0 = 0;
    for (let i = 0; i < n; i++) v0 += p[i * 2]! ** 2;
    expect(v0 / (n - 1)).toBeCloseTo(s.pcaValues[0]!, 0);
  });

  it('whitens to unit covariance', () => {
    const w = whiten(codes, n, s);
    const ws = latentStatistics(w, n, 3);
    ws.covariance.forEach((v, i) => expect(v).toBeCloseTo(i % 4 === 0 ? 1 : 0, 6));
  });

  it('KDE matches the closed form for one reference point and ranks outliers lowest', () => {
    const h = 0.5;
    const ref = Float64Array.from([0, 0]);
    const q = Float64Array.from([1, 0]);
    // log N([1,0]; 0, h²I) = −|x|²/(2h²) − d·log(h√(2π))
    expect(kdeLogDensity(q, 1, ref, 1, 2, h)[0]).toBeCloseTo(-1 / (2 * h * h) - 2 * Math.log(h * Math.sqrt(2 * Math.PI)), 12);
    const points = Float64Array.from([0, 0, 0.1, 0, 0, 0.1, 5, 5]);
    const loo = kdeLogDensity(points, 4, points, 4, 2, 0.5, true);
    expect(Array.from(loo).indexOf(Math.min(...loo))).toBe(3);
    // A predicate leaves any kernels out; with only point 0 kept the result is its closed form.
    const only0 = kdeLogDensity(q, 1, points, 4, 2, h, (_q, i) => i !== 0)[0];
    expect(only0).toBeCloseTo(-1 / (2 * h * h) - 2 * Math.log(h * Math.sqrt(2 * Math.PI)), 12);
  });

  it("uses Scott's rule", () => {
    expect(scottBandwidth(1000, 6)).toBeCloseTo(1000 ** (-1 / 10), 12);
  });
});

describe('category regions', () => {
  it('fits a shrunk normal to a subset and samples it exactly through the catalog\'s whitening', async () => {
    const { regionNormal, whitenedRegion } = await import('../../../src/shared/ml/latent');
    const d = 3;
    const n = 3000;
    const all = sampleMultivariateNormal([0, 0, 0], cholesky([4, 1, 0, 1, 2, 0.3, 0, 0.3, 1], d).l, d, n, normalGenerator(seededRandom(9)));
    const stats = latentStatistics(all, n, d);
    // The subset: codes with a large first coordinate.
    const rows = Array.from({ length: n }, (_, i) => i).filter((i) => all[i * d]! > 2);
    const region = regionNormal(all, rows, stats);
    const subsetMean = rows.reduce((s, r) => s + all[r * d]!, 0) / rows.length;
    expect(region.mean[0]).toBeCloseTo(subsetMean, 10);
    // Shrunk towards the catalog: with m codes in d dimensions, weights m/(m+d) and d/(m+d).
    expect(region.cholesky[0]! ** 2).toBeLessThan(stats.covariance[0]!);
    // y = offset + A·e in whitened space is x = μ_region + L_region·e in latent space.
    const { offset, transform } = whitenedRegion(region, stats);
    const e = [0.3, -1.2, 0.7];
    const y = [0, 1, 2].map((r) => offset[r]! + [0, 1, 2].reduce((s, c) => s + (c <= r ? transform[r * d + c]! * e[c]! : 0), 0));
    const x = [0, 1, 2].map((r) => stats.mean[r]! + [0, 1, 2].reduce((s, c) => s + (c <= r ? stats.cholesky[r * d + c]! * y[c]! : 0), 0));
    const expected = [0, 1, 2].map((r) => region.mean[r]! + [0, 1, 2].reduce((s, c) => s + (c <= r ? region.cholesky[r * d + c]! * e[c]! : 0), 0));
    x.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 9));
    expect(() => regionNormal(all, [], stats)).toThrow();
  });
});
