import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/main/ml/backend';
import { presetConfig } from '../../../src/main/ml/config';
import { loadTrainingData } from '../../../src/main/ml/dataset';
import { decodeCodes, decodeOptions, encodeRows, evaluateModel, type ModelMetrics } from '../../../src/main/ml/evaluate';
import { trainJointVae, type TrainOutcome } from '../../../src/main/ml/train';
import { jaccard, meanOf } from '../../../src/shared/ml/metrics';
import { openTestService, type OpenedTestService } from '../../helpers';

/**
 * Quality floor of the decoded lists' length (issue 14 §1): the quick preset (the app's default)
 * on the shipped sample catalog, seed 1, decoded as the app decodes (the model's length prior).
 * Floors sit just under the measured figures, so a change that quietly shortens lists fails.
 */
describe('decoded list length, quick preset', () => {
  let opened: OpenedTestService;
  let trained: TrainOutcome;
  let metrics: ModelMetrics;
  const config = presetConfig('quick', { seed: 1 });

  beforeAll(async () => {
    opened = await openTestService({ sampleCatalog: true });
    await initBackend();
    trained = await trainJointVae(loadTrainingData(opened.service.db), config);
    metrics = (await evaluateModel(trained.model, trained.prepared, config)).metrics;
  }, 120_000);

  afterAll(async () => {
    trained?.model.dispose();
    await opened?.close();
  });

  it('decodes held-out lists to at least 0.9 of their true length, all valid', () => {
    const { meanDecodedLength, meanTrueLength, validShare } = metrics.heldOut;
    // Measured: 21.4 of 21.9 (0.98); without the prior 0.44.
    expect(meanDecodedLength / meanTrueLength).toBeGreaterThanOrEqual(0.95);
    expect(meanDecodedLength / meanTrueLength).toBeLessThanOrEqual(1.05);
    expect(validShare).toBe(1);
  });

  it('owes the length to the prior: without it the same model decodes much shorter lists, sharing fewer ingredients with the truth', async () => {
    const p = trained.prepared;
    const codes = await encodeRows(trained.model, p, p.heldOutRows, config);
    const { lengthPrior: _, ...plain } = decodeOptions(config, p.maxLength, p.index.emittable);
    const without = await decodeCodes(trained.model, codes.mu, p.heldOutRows.length, plain);
    const ratio = meanOf(without.map((l) => l.length))! / metrics.heldOut.meanTrueLength;
    expect(ratio).toBeLessThan(0.6);
    const truth = p.heldOutRows.map((r) => p.lists[r]!.filter((t) => p.index.emittable[t]));
    const jaccardWithout = meanOf(without.map((l, i) => jaccard(l, truth[i]!)))!;
    // Measured: 0.356 with the prior, 0.286 without.
    expect(metrics.heldOut.jaccard).toBeGreaterThan(0.33);
    expect(metrics.heldOut.jaccard).toBeGreaterThan(jaccardWithout);
  });
});

describe('a model’s decoding settings', () => {
  it('come from its stored config; a model saved before the length prior decodes without one, as it did', () => {
    const allowed = Uint8Array.from([1, 0, 1]);
    const { lengthPrior: _, ...saved } = presetConfig('quick');
    expect(decodeOptions(saved, 40, allowed)).toEqual({ lambda: 4, maxLength: 40, positionScale: { kind: 'relative' }, allowed });
    expect(decodeOptions(presetConfig('quick'), 40, allowed)).toEqual({ lambda: 4, maxLength: 40, positionScale: { kind: 'relative' }, allowed, lengthPrior: { kind: 'expected-count', sd: 0.5 } });
    expect(decodeOptions({ ...saved, positionScale: 'log' }, 40, allowed).positionScale).toEqual({ kind: 'log', maxLength: 40 });
  });
});
