import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../../src/main/ml/config';
import { fitLinear, type SparseRows } from '../../../src/main/ml/linear-fit';
import { buildNeighbourIndex, rankNeighbours } from '../../../src/main/ml/list-neighbours';
import {
  Z80, combineEstimate, fitListPredictor, listPredictorFromWeights, listPredictorWeights, predictListTokens, residualSdFor,
} from '../../../src/main/ml/list-predictor';
import { prepareData, type BenefitSpec } from '../../../src/main/ml/train';
import { rocAuc } from '../../../src/shared/ml/metrics';
import { syntheticTrainingData } from './fixtures';

/** One feature x and the intercept, every row labelled. */
function oneFeature(xs: readonly number[]): SparseRows {
  return { rowStart: Int32Array.from({ length: xs.length + 1 }, (_, i) => i), columns: new Int32Array(xs.length), values: Float64Array.from(xs), features: 1 };
}

describe('fitLinear', () => {
  it('reaches the closed-form ridge solution with an unpenalised intercept', () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const ys = [1.1, 2.9, 5.2, 7.1, 8.8, 11.2];
    const l2 = 0.1;
    const w = fitLinear(oneFeature(xs), { targets: Float32Array.from(ys), mask: new Float32Array(6).fill(1), kinds: ['score'] }, [0, 1, 2, 3, 4, 5], new Float64Array(6).fill(1), l2, 2000);
    // Minimiser of (1/2n)Σ(wx + b − y)² + (l2/2)w²: w = cov(x, y) / (var(x) + l2), b = ȳ − w x̄ (population moments).
    const mx = xs.reduce((a, b) => a + b) / 6;
    const my = ys.reduce((a, b) => a + b) / 6;
    const cov = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / 6;
    const variance = xs.reduce((a, x) => a + (x - mx) ** 2, 0) / 6;
    const slope = cov / (variance + l2);
    expect(w[0]).toBeCloseTo(slope, 5);
    expect(w[1]).toBeCloseTo(my - slope * mx, 5);
  });

  it('sets the logistic gradient to zero: mean predicted probability equals the mean label', () => {
    const xs = [0, 0, 1, 1, 2, 2, 3, 3];
    const ys = [0, 0, 0, 1, 0, 1, 1, 1];
    const w = fitLinear(oneFeature(xs), { targets: Float32Array.from(ys), mask: new Float32Array(8).fill(1), kinds: ['flag'] }, xs.map((_, i) => i), new Float64Array(8).fill(1), 0.01, 3000);
    const p = xs.map((x) => 1 / (1 + Math.exp(-(w[0]! * x + w[1]!))));
    expect(p.reduce((a, b) => a + b) / 8).toBeCloseTo(0.5, 4);
    expect(w[0]).toBeGreaterThan(0);
  });
});

describe('residualSdFor', () => {
  it('finds the smallest noise whose interval covers the asked share', () => {
    const residuals = Array.from({ length: 100 }, (_, i) => (i - 49.5) / 10); // −4.95 … 4.95
    const s = residualSdFor(residuals, new Array(100).fill(0), 0.8);
    const inside = residuals.filter((r) => Math.abs(r) <= Z80 * s).length;
    expect(inside).toBe(80);
    // The 80th-smallest |r| is 3.95: the interval's half-width lands on it.
    expect(Z80 * s).toBeCloseTo(3.95, 6);
  });

  it('adds no noise when the spreads alone cover the share', () => {
    expect(residualSdFor([0.1, -0.2, 0.3], [1, 1, 1], 0.8)).toBe(0);
    expect(residualSdFor([], [], 0.8)).toBe(0);
  });
});

describe('rankNeighbours', () => {
  it('ranks reference lists by tf-idf cosine, ignoring lists that share nothing', () => {
    const index = buildNeighbourIndex([[0, 1, 2], [0, 3], [4]], 5);
    const idf = (df: number) => Math.log(3 / (1 + df)) + 1;
    const { rows, similarity } = rankNeighbours(index, [0, 1]);
    expect(Array.from(rows)).toEqual([0, 1]);
    const q = Math.sqrt(idf(2) ** 2 + idf(1) ** 2);
    expect(similarity[0]).toBeCloseTo((idf(2) ** 2 + idf(1) ** 2) / (q * Math.sqrt(idf(2) ** 2 + 2 * idf(1) ** 2)), 10);
    expect(similarity[1]).toBeCloseTo(idf(2) ** 2 / (q * Math.sqrt(idf(2) ** 2 + idf(1) ** 2)), 10);
  });
});

describe('combineEstimate', () => {
  const flag: BenefitSpec = { name: 'Dry', kind: 'flag', mean: 0, std: 1 };
  const score: BenefitSpec = { name: 'kb:hydration', kind: 'score', mean: 0.3, std: 0.2, range: [0, 1] };

  it('mixes the list probability with the head and states the members’ 80 % spread', () => {
    const e = combineEstimate(flag, { mean: 0.8, spread: 0.1 }, { name: 'Dry', kind: 'flag', prior: 0.5, residualSd: 0 }, 0, 0.25);
    expect(e.value).toBeCloseTo(0.75 * 0.8 + 0.25 * 0.5, 12);
    expect(e.uncertainty).toBeCloseTo(Z80 * 0.75 * 0.1, 12);
  });

  it('gives a score in its units and range, with spread and residual noise', () => {
    const e = combineEstimate(score, { mean: -2, spread: 0.3 }, { name: score.name, kind: 'score', prior: 0, residualSd: 0.4 }, -2, 0);
    expect(e.value).toBe(0); // 0.3 − 2 × 0.2 = −0.1, held to the 0–1 range
    expect(e.uncertainty).toBeCloseTo(Z80 * Math.sqrt(0.3 ** 2 + 0.4 ** 2) * 0.2, 12);
  });

  it('falls back to the head with no uncertainty for a model saved before the list predictor', () => {
    expect(combineEstimate(flag, null, undefined, 0, 0.25)).toEqual({ value: 0.5, uncertainty: null });
    expect(combineEstimate(score, null, undefined, 1, 0.25)).toEqual({ value: 0.5, uncertainty: null });
  });
});

describe('fitListPredictor', () => {
  const data = syntheticTrainingData(150);
  const prepared = prepareData(data, presetConfig('quick', { seed: 3, minCount: 2 }));

  it('predicts a held-out flag that depends on the formula family, probabilities within 0–1', async () => {
    const p = await fitListPredictor(prepared, { seed: 3 });
    const held = prepared.heldOutRows;
    const predicted = predictListTokens(p, held.map((r) => prepared.lists[r]!));
    const b = prepared.benefits.findIndex((s) => s.name === 'Dry');
    const B = prepared.benefits.length;
    const values = predicted.map((row) => row[b]!.mean);
    expect(rocAuc(values, held.map((r) => prepared.targets[r * B + b]!))).toBeGreaterThan(0.95);
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(predicted.every((row) => row.every((x) => x.spread >= 0 && Number.isFinite(x.spread)))).toBe(true);
    // The random 0–1 score is noise: its residual noise is near its own spread (≈ 1 standardised).
    expect(p.benefits.find((s) => s.name === 'score')!.residualSd).toBeGreaterThan(0.5);
  });

  it('is deterministic for a seed and survives the model file round trip', async () => {
    const a = await fitListPredictor(prepared, { seed: 3, members: 3 });
    const b = await fitListPredictor(prepared, { seed: 3, members: 3 });
    expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    const { manifest, weights } = listPredictorWeights(a);
    const restored = listPredictorFromWeights(JSON.parse(JSON.stringify(manifest)) as typeof manifest, weights);
    const lists = prepared.heldOutRows.map((r) => prepared.lists[r]!);
    expect(predictListTokens(restored, lists)).toEqual(predictListTokens(a, lists));
    expect(() => listPredictorFromWeights(manifest, weights.filter((w) => w.name !== 'list_in_bag'))).toThrow(/no tensor "list_in_bag"/);
  });
});

describe('neighbour ranking', () => {
  it('gives the same first rows with a limit as the whole ranking, ties by row, and says when it is complete', async () => {
    const { buildNeighbourIndex, rankNeighbours } = await import('../../../src/main/ml/list-neighbours');
    const { seededRandom } = await import('../../../src/shared/ml/random');
    const r = seededRandom(3);
    // 300 reference lists over 40 tokens, with repeated lists so that similarities tie.
    const lists = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? [0, 1, 2, 3] : Array.from({ length: 3 + Math.floor(r() * 8) }, () => Math.floor(r() * 40))));
    const index = buildNeighbourIndex(lists, 40);
    for (let q = 0; q < 50; q++) {
      const query = q % 5 === 0 ? [0, 1, 2, 3] : Array.from({ length: 2 + Math.floor(r() * 10) }, () => Math.floor(r() * 40));
      const full = rankNeighbours(index, query);
      expect(full.complete).toBe(true);
      for (let j = 1; j < full.rows.length; j++) {
        const before = full.similarity[j - 1]!;
        const now = full.similarity[j]!;
        expect(before > now || (before === now && full.rows[j - 1]! < full.rows[j]!)).toBe(true);
      }
      for (const limit of [1, 5, 17]) {
        const part = rankNeighbours(index, query, limit);
        expect(Array.from(part.rows)).toEqual(Array.from(full.rows.subarray(0, limit)));
        expect(Array.from(part.similarity)).toEqual(Array.from(full.similarity.subarray(0, limit)));
        expect(part.complete).toBe(full.rows.length <= limit);
      }
    }
  });
});
