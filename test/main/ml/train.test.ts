import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/ml/backend';
import { presetConfig } from '../../../src/main/ml/config';
import { evaluateModel } from '../../../src/main/ml/evaluate';
import { JointVae } from '../../../src/main/ml/model';
import { benefitValue, prepareData, scoreRange, TrainingCancelled, trainJointVae, trainabilityProblem } from '../../../src/main/ml/train';
import { syntheticTrainingData } from './fixtures';

const config = presetConfig('quick', { hidden: 32, latentDim: 8, headHidden: 8, maxEpochs: 30, maxSteps: 10_000, patience: 30, batchSize: 16, minCount: 2, seed: 3 });

beforeAll(async () => {
  expect((await initBackend()).name).toBe('wasm');
});

describe('trainJointVae', () => {
  it('learns: held-out loss falls and decoded lists are valid and close to the truth', async () => {
    const data = syntheticTrainingData();
    const out = await trainJointVae(data, config);
    const first = out.history[0]!;
    const last = out.history[out.history.length - 1]!;
    expect(last.validation.reconstruction).toBeLessThan(first.validation.reconstruction * 0.8);
    const { metrics: m, codes } = await evaluateModel(out.model, out.prepared, config);
    expect(codes.rows).toBe(data.products.length);
    expect(codes.mu).toHaveLength(data.products.length * 8);
    expect(m.train.validShare).toBe(1);
    expect(m.heldOut.validShare).toBe(1);
    expect(m.train.jaccard).toBeGreaterThan(0.5);
    expect(m.benefits.find((b) => b.name === 'Dry')?.auc).toBeGreaterThan(0.8);
    expect(m.klPerDimension).toHaveLength(8);
    out.model.dispose();
  });

  it('is deterministic for a seed and leaks no tensors', async () => {
    const data = syntheticTrainingData(45);
    const short = { ...config, maxEpochs: 3 };
    const before = tf.memory().numTensors;
    const a = await trainJointVae(data, short);
    const wa = a.model.getWeights();
    a.model.dispose();
    const b = await trainJointVae(data, short);
    const wb = b.model.getWeights();
    b.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < wa.length; i++) expect(Array.from(wb[i]!.values)).toEqual(Array.from(wa[i]!.values));
    const c = await trainJointVae(data, { ...short, seed: 4 });
    expect(Array.from(c.model.getWeights()[0]!.values)).not.toEqual(Array.from(wa[0]!.values));
    c.model.dispose();
  });

  it('stops when cancelled, disposing its tensors', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    await expect(trainJointVae(syntheticTrainingData(45), config, { isCancelled: () => ++calls > 3 })).rejects.toBeInstanceOf(TrainingCancelled);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a catalog too small or too uniform, saying why', () => {
    expect(trainabilityProblem(syntheticTrainingData(10))).toMatch(/has 10 products .* at least 30/);
    const uniform = syntheticTrainingData(60);
    for (const p of uniform.products) p.ingredients = [1, 2, 3];
    expect(trainabilityProblem(uniform)).toMatch(/only 1 distinct ingredient lists/);
  });

  it('rebuilds a model from its weights and refuses misshapen ones', () => {
    const shape = { vocab: 10, conditioning: 0, latent: 4, hidden: 6, headHidden: 3, benefits: 2 };
    const m = JointVae.initialise(shape, 1);
    const weights = m.getWeights();
    const copy = JointVae.fromWeights(shape, weights);
    expect(copy.getWeights().map((w) => Array.from(w.values))).toEqual(weights.map((w) => Array.from(w.values)));
    expect(() => JointVae.fromWeights({ ...shape, vocab: 11 }, weights)).toThrow(/tensor "enc_w1" has shape 10×6, expected 11×6/);
    m.dispose();
    copy.dispose();
  });
});

describe('benefit values in their own terms', () => {
  it('holds a score to the range its column lives in, and reads a flag as a probability', () => {
    expect(scoreRange([0.1, 0.9, 0.4])).toEqual([0, 1]);
    expect(scoreRange([2, 7.5])).toEqual([0, 10]);
    expect(scoreRange([-3, 12])).toEqual([-3, 12]);
    expect(scoreRange([])).toBeUndefined();
    const score = { name: 'anti-acne', kind: 'score' as const, mean: 0.3, std: 0.2, range: [0, 1] as [number, number] };
    // A head output 2.07 standard deviations below the mean would read −0.114: held at 0.
    expect(benefitValue(score, -2.07)).toBe(0);
    expect(benefitValue(score, 10)).toBe(1);
    expect(benefitValue(score, 1)).toBeCloseTo(0.5, 12);
    // A model saved before ranges were kept reads as it did.
    expect(benefitValue({ ...score, range: undefined }, -2.07)).toBeCloseTo(-0.114, 12);
    expect(benefitValue({ name: 'Dry', kind: 'flag', mean: 0, std: 1 }, 0)).toBe(0.5);
  });

  it('keeps each score column’s range from the training rows', () => {
    const data = syntheticTrainingData();
    data.benefits.firmness = 'score';
    data.products.forEach((p, i) => (p.benefits.firmness = (i % 10) / 10));
    const prepared = prepareData(data, config);
    expect(prepared.benefits.find((b) => b.name === 'firmness')?.range).toEqual([0, 1]);
    expect(prepared.benefits.filter((b) => b.kind === 'flag').every((b) => b.range === undefined)).toBe(true);
  });
});
