import { describe, expect, it } from 'vitest';
import { inverseLowerTriangular, jitteredStarts, nearestOtherDistances, randomStarts, resolveTerms } from '../../../src/main/optimize/plan';
import { latentStatistics } from '../../../src/shared/ml/latent';

describe('planning an optimisation', () => {
  it('resolves terms on the catalog scale, with the default bars', () => {
    const values = Array.from({ length: 11 }, (_, i) => i / 10); // 0, 0.1, …, 1
    const [max, min, target] = resolveTerms(
      [
        { benefit: 'a', goal: 'maximize', weight: 1 },
        { benefit: 'a', goal: 'minimize', weight: 2 },
        { benefit: 'a', goal: 'target', target: 0.4, weight: 1 },
      ],
      new Map([['a', values]]),
    );
    expect(max!.mean).toBeCloseTo(0.5, 12);
    expect(max!.std).toBeCloseTo(Math.sqrt(0.11), 12); // sample standard deviation of 0…1 in tenths
    expect(max!.bar).toBeCloseTo(0.9, 12); // 90th percentile
    expect(min!.bar).toBeCloseTo(0.1, 12); // 10th percentile
    expect(target!.bar).toBe(0.4);
    expect(target!.tolerance).toBeCloseTo(0.25 * Math.sqrt(0.11), 12);
    expect(resolveTerms([{ benefit: 'a', goal: 'maximize', weight: 1, threshold: 0.7 }], new Map([['a', values]]))[0]!.bar).toBe(0.7);
    expect(() => resolveTerms([{ benefit: 'b', goal: 'maximize', weight: 1 }], new Map([['a', values]]))).toThrow('no catalog predictions for "b"');
  });

  it('inverts a lower-triangular matrix', () => {
    const l = [2, 0, 0, 1, 3, 0, -1, 0.5, 4];
    const w = inverseLowerTriangular(l, 3);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += l[r * 3 + k]! * w[k * 3 + c]!;
        expect(s).toBeCloseTo(r === c ? 1 : 0, 12);
      }
    }
  });

  it('finds each code’s nearest other code', () => {
    const d = nearestOtherDistances([0, 0, 3, 4, 0, 1], 3, 2);
    expect(d[0]).toBe(1);
    expect(d[1]).toBeCloseTo(Math.hypot(3, 3), 12);
    expect(d[2]).toBe(1);
  });

  it('draws starts from the catalog’s fitted normal, and jitters around a given code', () => {
    // A catalog with mean (1, −2) and variances 4 and 0.25.
    const codes: number[] = [];
    for (let i = 0; i < 400; i++) codes.push(1 + 2 * Math.sin(i * 1.7), -2 + 0.5 * Math.cos(i * 2.3));
    const stats = latentStatistics(Float64Array.from(codes), 400, 2);
    const draws = randomStarts(stats, 4000, 3);
    const mean = [0, 1].map((d) => draws.filter((_, i) => i % 2 === d).reduce((s, v) => s + v, 0) / 4000);
    expect(mean[0]).toBeCloseTo(stats.mean[0]!, 1);
    expect(mean[1]).toBeCloseTo(stats.mean[1]!, 1);
    expect(Array.from(randomStarts(stats, 3, 3))).toEqual(Array.from(randomStarts(stats, 3, 3))); // seeded
    const around = jitteredStarts([0.5, 0.5], stats, 3, 1);
    expect(Array.from(around.subarray(0, 2))).toEqual([0.5, 0.5]);
    expect(Array.from(around.subarray(2, 4))).not.toEqual([0.5, 0.5]);
  });
});
