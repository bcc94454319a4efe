import { describe, expect, it } from 'vitest';
import { acquisition, candidatePool, fitOnCatalogScale, selectBatch, DEFAULT_PROPOSAL_SETTINGS } from '../../../src/main/optimize/bayes';
import { latentStatistics } from '../../../src/shared/ml/latent';
import { fitGp } from '../../../src/shared/ml/gp';

/** The batch choice over a candidate set: EI with the prior penalty, spread by the kriging believer. */
const settings = { ...DEFAULT_PROPOSAL_SETTINGS, batch: 3, seed: 1 };
const unit = { centre: [0, 0], scale: [1, 1] };
// Measured: a bump rising toward (1.5, 0).
const measured = [
  [-1, 0],
  [0, 0],
  [1, 0],
  [0, 1],
  [0, -1],
];
const f = (p: number[]) => -((p[0]! - 1.5) ** 2) - p[1]! ** 2;
const gp = fitGp(measured.flat(), measured.map(f), 2, unit);
const best = Math.max(...measured.map(f).map((v) => (v - gp.yMean) / gp.yStd));

describe('Bayesian optimisation batches', () => {
  it('takes the candidate with the highest acquisition first', () => {
    const candidates = [
      [-2, 0],
      [1.4, 0.1],
      [0, 2],
      [1.6, -0.1],
    ];
    const flat = Float32Array.from(candidates.flat());
    const at = acquisition(gp, flat, 4, best, settings);
    const chosen = selectBatch(gp, flat, 4, best, { ...settings, batch: 1 });
    expect(chosen[0]!.index).toBe(Array.from(at.value).indexOf(Math.max(...at.value)));
    expect([1, 3]).toContain(chosen[0]!.index);
    expect(chosen[0]!.expectedImprovement).toBeCloseTo(Math.exp(at.logEi[chosen[0]!.index]!), 10);
  });

  it('spreads a batch: after a believed point, its twin is worth less than a distinct point', () => {
    // Two near-identical candidates at the promising end, one distinct candidate elsewhere that is also promising.
    const flat = Float32Array.from([1.5, 0, 1.501, 0.001, 1.3, 0.9, -3, 3]);
    const chosen = selectBatch(gp, flat, 4, best, { ...settings, batch: 2 });
    expect(chosen).toHaveLength(2);
    expect(new Set(chosen.map((c) => c.index)).size).toBe(2);
    expect(chosen.map((c) => c.index)).not.toEqual(expect.arrayContaining([0, 1]));
  });

  it('weights EI by the prior: a strong prior weight prefers the candidate nearer the origin', () => {
    const flat = Float32Array.from([1.45, 0.2, 4, 0]);
    const weak = selectBatch(gp, flat, 2, best, { ...settings, batch: 1, priorWeight: 0 });
    const strong = selectBatch(gp, flat, 2, best, { ...settings, batch: 1, priorWeight: 50 });
    expect(strong[0]!.index).toBe(0);
    const at = acquisition(gp, flat, 2, best, { priorWeight: 0, xi: settings.xi });
    expect(weak[0]!.index).toBe(at.value[0]! >= at.value[1]! ? 0 : 1);
  });

  it('penalises the GP’s uncertainty when asked: a strong penalty prefers the candidate it is surer of', () => {
    // A candidate among the measured points (small σ) and one far from them (large σ).
    const flat = Float32Array.from([0.9, 0.05, 3.5, 2.5]);
    const plain = acquisition(gp, flat, 2, best, { priorWeight: 0, xi: settings.xi });
    const careful = acquisition(gp, flat, 2, best, { priorWeight: 0, xi: settings.xi, uncertaintyPenalty: 5 });
    expect(plain.sd[0]!).toBeLessThan(plain.sd[1]!);
    for (const i of [0, 1]) expect(careful.value[i]!).toBeCloseTo(plain.value[i]! - 5 * plain.sd[i]!, 10);
    expect(selectBatch(gp, flat, 2, best, { ...settings, batch: 1, priorWeight: 0, uncertaintyPenalty: 50 })[0]!.index).toBe(0);
  });

  it('builds the pool from catalog draws and local draws around the best measured codes, reproducibly', () => {
    const catalog = Float32Array.from({ length: 200 * 2 }, (_, i) => Math.sin(i * 12.9898) * 2);
    const stats = latentStatistics(catalog, 200, 2);
    const codes = Float32Array.from(measured.flat());
    const y = measured.map(f);
    const small = { ...settings, poolSize: 10, localSize: 4, anchors: 2 };
    const pool = candidatePool(stats, { codes, y }, small);
    expect(pool.length).toBe((10 + 2 * 4) * 2);
    expect(candidatePool(stats, { codes, y }, small)).toEqual(pool);
    // The first local draw around each anchor is the anchor itself: the best measured codes, (1, 0) then (0, 0).
    expect(Array.from(pool.subarray(20, 22))).toEqual([1, 0]);
    expect(Array.from(pool.subarray(28, 30))).toEqual([0, 0]);
    const fitted = fitOnCatalogScale(codes, y, stats);
    expect(fitted.scale[0]).toBeCloseTo(Math.sqrt(stats.variance[0]!), 10);
  });
});
