import { describe, expect, it } from 'vitest';
import { cholesky, columnMeans, covariance, fillStandardNormal, normalGenerator, sampleMultivariateNormal, symmetricEigen } from '../../../src/shared/ml/linalg';
import { seededRandom } from '../../../src/shared/ml/random';

const matmulT = (l: Float64Array, d: number) => {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) out[i * d + j]! += l[i * d + k]! * l[j * d + k]!;
  return out;
};

describe('linear algebra', () => {
  const A = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3]);

  it('mean and covariance match the textbook formulas', () => {
    const x = [1, 2, 3, 6, 5, 10];
    expect(Array.from(columnMeans(x, 3, 2))).toEqual([3, 6]);
    // var(1,3,5) = 4, var(2,6,10) = 16, cov = 8
    expect(Array.from(covariance(x, 3, 2))).toEqual([4, 8, 8, 16]);
  });

  it('cholesky reconstructs the matrix', () => {
    const { l, jitter } = cholesky(A, 3);
    expect(jitter).toBe(0);
    matmulT(l, 3).forEach((v, i) => expect(v).toBeCloseTo(A[i]!, 12));
  });

  it('cholesky adds the smallest jitter to a semi-definite matrix', () => {
    const { l, jitter } = cholesky([1, 1, 1, 1], 2);
    expect(jitter).toBeGreaterThan(0);
    expect(jitter).toBeLessThan(1e-6);
    expect(matmulT(l, 2)[3]).toBeCloseTo(1, 6);
  });

  it('eigen-decomposition satisfies A·v = λ·v with sorted values', () => {
    const { values, vectors } = symmetricEigen(A, 3);
    expect(values[0]).toBeGreaterThanOrEqual(values[1]!);
    expect(values[1]).toBeGreaterThanOrEqual(values[2]!);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let k = 0; k < 3; k++) av += A[i * 3 + k]! * vectors[k * 3 + j]!;
        expect(av).toBeCloseTo(values[j]! * vectors[i * 3 + j]!, 10);
      }
    }
    // [[2,1],[1,2]] has eigenvalues 3 and 1.
    expect(Array.from(symmetricEigen([2, 1, 1, 2], 2).values)).toEqual([expect.closeTo(3, 12), expect.closeTo(1, 12)]);
  });

  it('multivariate normal samples have the requested mean and covariance', () => {
    const { l } = cholesky(A, 3);
    const n = 40_000;
    const x = sampleMultivariateNormal([1, -2, 0.5], l, 3, n, normalGenerator(seededRandom(9)));
    const m = columnMeans(x, n, 3);
    [1, -2, 0.5].forEach((v, i) => expect(m[i]).toBeCloseTo(v, 1));
    covariance(x, n, 3).forEach((v, i) => expect(Math.abs(v - A[i]!)).toBeLessThan(0.12));
    const hot = covariance(sampleMultivariateNormal([0, 0, 0], l, 3, n, normalGenerator(seededRandom(9)), 0.5), n, 3);
    expect(hot[0]).toBeCloseTo(A[0]! * 0.25, 1);
  });

  it('fills a buffer with the same normal draws as the generator, odd lengths included', () => {
    const one = normalGenerator(seededRandom(5));
    const expected = Float32Array.from({ length: 7 }, () => one());
    const got = new Float32Array(7);
    fillStandardNormal(got, seededRandom(5));
    expect(Array.from(got)).toEqual(Array.from(expected));
  });
});
