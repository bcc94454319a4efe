import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelVocabulary } from '../../../src/main/db/queries/models';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import type { ModelRecord } from '../../../src/shared/domain';
import { openTestService, openTrainedTestService, type TrainedTestService } from '../../helpers';

/**
 * Training and using models through the service, on the shipped sample catalog. The quick model
 * is trained once for the file (openTrainedTestService); no test relies on another having run.
 */
let trained: TrainedTestService;
let service: FormulatorService;
let first: ModelRecord;

beforeAll(async () => {
  trained = await openTrainedTestService();
  ({ service, model: first } = trained);
}, 120_000);
afterAll(() => trained?.close());

describe('models through the service', () => {
  it('refuses to train an empty or tiny catalog before starting, saying why', async () => {
    // A fresh, empty database: the trained one below would not do.
    const { service, close } = await openTestService();
    try {
      await expect(service.trainModel({ preset: 'quick' })).rejects.toMatchObject({ code: 'untrainable', message: expect.stringContaining('at least 30 are needed') });
      expect(await service.listModels()).toEqual([]);
    } finally {
      await close();
    }
  });

  it('trains the quick preset on the sample catalog and records it as active, with metrics and backend', async () => {
    // Trained by openTrainedTestService (sample catalog, quick preset, seed 7), its progress reports recorded.
    const { epochs } = trained;
    expect(epochs[0]).toBe(1);
    expect(first).toMatchObject({ active: true, preset: 'quick', seed: 7, backend: 'wasm' });
    expect(first.metrics.heldOut.validShare).toBe(1);
    expect(first.metrics.train.jaccard).toBeGreaterThan(0.3);
    expect(first.snapshot.products).toBe(432);
    // Sample products carry imported scores and knowledge-based ones: both are learned.
    expect(first.metrics.benefits.map((b) => b.name)).toEqual(expect.arrayContaining(['hydration', 'kb:hydration']));
    // The list predictor benefits are scored with, measured on the held-out products (the sample
    // catalog has scores only: no flag AUC or Brier score).
    expect(first.metrics.benefitPredictor).toMatchObject({ headWeight: 0.25, combinedMeanFlagAuc: null, flagBrier: null });
    expect(first.metrics.benefitPredictor!.intervalCoverage).toBeGreaterThan(0.7);
    expect(first.metrics.benefitPredictor!.meanScoreUncertainty).toBeGreaterThan(0);
    const knowledge = service.db.prepare(`SELECT count(*) AS n FROM benefit_scores WHERE source = 'knowledge'`).get() as { n: number };
    expect(knowledge.n).toBe(432 * 9);
    const vocabulary = getModelVocabulary(service.db, first.id)!;
    expect(vocabulary).toHaveLength(first.vocabularySize);
    expect(vocabulary[0]).toEqual({ name: 'Water', ingredientId: expect.any(Number) });
  });

  it('encodes products and declarations and decodes codes to unique, known ingredient lists', async () => {
    const encoded = await service.encodeLists({ productIds: [1], declarations: ['Water, Glycerin, Niacinamide, Phenoxyethanol'] });
    expect(encoded.modelId).toBe(first.id);
    expect(encoded.codes).toHaveLength(2);
    const decoded = await service.decodeCodes({ codes: encoded.codes });
    for (const list of decoded.lists) {
      expect(list.ingredients.length).toBeGreaterThan(2);
      expect(new Set(list.ingredients).size).toBe(list.ingredients.length);
      expect(list.ingredients.some((n) => n.startsWith('<') || n.startsWith('#'))).toBe(false);
    }
    await expect(service.decodeCodes({ codes: [[1, 2]] })).rejects.toThrow(/this model has 32 dimensions/);
  });

  it('keeps the previous model active when asked to activate a corrupted one', async () => {
    const second = await service.trainModel({ preset: 'quick', seed: 8, activate: false });
    expect(second.active).toBe(false);
    const folder = readdirSync(service.modelsDir).find((f) => f.includes('-8-'))!;
    const path = join(service.modelsDir, folder, 'weights.bin');
    const bytes = readFileSync(path);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(path, bytes);
    await expect(service.activateModel({ id: second.id })).rejects.toMatchObject({ code: 'model-file', message: expect.stringContaining('The active model was not changed') });
    const models = await service.listModels();
    expect(models.find((m) => m.active)?.id).toBe(first.id);
    expect((await service.encodeLists({ productIds: [2] })).modelId).toBe(first.id);
  });
});
