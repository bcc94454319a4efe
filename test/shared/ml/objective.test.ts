import { describe, expect, it } from 'vitest';
import { guardPenalty, objectiveValue, priorPenalty, quantile, repulsionPenalty, targetsVerdict, termLoss, termVerdict, type ResolvedTerm } from '../../../src/shared/ml/objective';

const term = (over: Partial<ResolvedTerm>): ResolvedTerm => ({ benefit: 'hydration', goal: 'maximize', weight: 1, mean: 0.5, std: 0.2, bar: 0.8, tolerance: 0, ...over });

describe('the optimisation objective', () => {
  it('prices each goal on the catalog scale', () => {
    // maximise: −w·(v − mean)/std = −2·(0.9 − 0.5)/0.2 = −4
    expect(termLoss(term({ weight: 2 }), 0.9)).toBeCloseTo(-4, 12);
    // minimise: +w·(v − mean)/std = (0.3 − 0.5)/0.2 = −1
    expect(termLoss(term({ goal: 'minimize' }), 0.3)).toBeCloseTo(-1, 12);
    // target: w·((v − t)/std)² = 3·((0.7 − 0.6)/0.2)² = 0.75
    expect(termLoss(term({ goal: 'target', bar: 0.6, weight: 3 }), 0.7)).toBeCloseTo(0.75, 12);
    // a benefit with no spread over the catalog is not divided by zero
    expect(termLoss(term({ std: 0 }), 0.9)).toBeCloseTo(-0.4, 12);
  });

  it('has the prior penalty −log N(z | 0, I) up to its constant, and a guard that is zero inside its radius', () => {
    expect(priorPenalty([3, 4])).toBe(12.5);
    expect(guardPenalty(1.5, 2, 10)).toBe(0);
    expect(guardPenalty(2.5, 2, 10)).toBeCloseTo(2.5, 12); // 10·0.5²
    const value = objectiveValue([term({}), term({ benefit: 'soothing', goal: 'minimize' })], { hydration: 0.9, soothing: 0.3 }, [3, 4], 0.1, { distance: 2.5, radius: 2, weight: 10 });
    expect(value).toBeCloseTo(-2 + -1 + 1.25 + 2.5, 12);
  });

  it('says whether each term is met, and why', () => {
    expect(termVerdict(term({}), 0.85)).toEqual({ met: true, reason: 'hydration 0.850 ≥ 0.800 (maximise)' });
    expect(termVerdict(term({ goal: 'minimize', bar: 0.2 }), 0.25)).toEqual({ met: false, reason: 'hydration 0.250 > 0.200 (minimise)' });
    expect(termVerdict(term({ goal: 'target', bar: 0.6, tolerance: 0.05 }), 0.64).met).toBe(true);
    expect(termVerdict(term({ goal: 'target', bar: 0.6, tolerance: 0.05 }), 0.66).met).toBe(false);
    expect(termVerdict(term({}), undefined)).toEqual({ met: false, reason: 'hydration: no prediction' });
    expect(targetsVerdict([term({}), term({ benefit: 'soothing' })], { hydration: 0.9, soothing: 0.1 }).met).toBe(false);
  });

  it('repels a restart from earlier restarts\' codes with a Gaussian kernel on the whitened distance', () => {
    // W = diag(2, 1): z − a₁ = (1, 0) whitens to (2, 0), ‖·‖² = 4, kernel exp(−4 / 2·1²) = e⁻²; z = a₂: kernel 1.
    expect(repulsionPenalty([1, 0], [[0, 0], [1, 0]], [2, 0, 0, 1], 1, 3)).toBeCloseTo(3 * (Math.exp(-2) + 1), 12);
    // Wider kernel: exp(−4 / 2·2²) = e^−0.5; no earlier restarts, no penalty.
    expect(repulsionPenalty([1, 0], [[0, 0]], [2, 0, 0, 1], 2, 1)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(repulsionPenalty([1, 0], [], [2, 0, 0, 1], 1, 3)).toBe(0);
  });

  it('interpolates quantiles between order statistics', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantile([5], 0.1)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
