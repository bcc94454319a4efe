import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeListsFlat, estimateListBenefits } from '../../../src/main/compute/inference';
import { ModelCache } from '../../../src/main/compute/model-cache';
import { initBackend } from '../../../src/main/ml/backend';
import { presetConfig } from '../../../src/main/ml/config';
import { fitListPredictor, listPredictorWeights } from '../../../src/main/ml/list-predictor';
import { JointVae, type ModelShape } from '../../../src/main/ml/model';
import { saveModel } from '../../../src/main/ml/store';
import { prepareData } from '../../../src/main/ml/train';
import { tempDir } from '../../helpers';
import { syntheticTrainingData } from '../ml/fixtures';

/**
 * Benefit estimates as the jobs give them, from a saved model: with its list predictor every
 * value carries an uncertainty; a model saved before the list predictor still scores (heads
 * alone) and states none.
 */

let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  await initBackend();
});
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const data = syntheticTrainingData(90);
const config = presetConfig('quick', { seed: 2 });
const prepared = prepareData(data, config);
const shape: ModelShape = { vocab: prepared.index.size, conditioning: 0, latent: 4, hidden: 8, headHidden: 4, benefits: prepared.benefits.length };

async function saved(folder: string, withListPredictor: boolean): Promise<{ modelPath: string; manifestSha256: string }> {
  const model = JointVae.initialise(shape, 5);
  const part = withListPredictor ? listPredictorWeights(await fitListPredictor(prepared, { seed: 2, members: 3 })) : null;
  const out = saveModel(dir, folder, {
    vocabulary: prepared.vocabulary,
    weights: [...model.getWeights(), ...(part?.weights ?? [])],
    manifest: {
      createdAt: '2026-01-01T00:00:00.000Z', shape, config, benefits: prepared.benefits, maxLength: prepared.maxLength, backend: 'wasm',
      vocabularyHash: prepared.vocabulary.hash, ...(part ? { listPredictor: part.manifest } : {}),
    },
  });
  model.dispose();
  return { modelPath: out.path, manifestSha256: out.manifestSha256 };
}

describe('estimateListBenefits', () => {
  const lists = data.products.slice(0, 4).map((p) => p.ingredients);

  it('gives every benefit a value in its range and an uncertainty when the model has a list predictor', async () => {
    const cache = new ModelCache();
    try {
      const m = await cache.load(await saved('with', true));
      expect(m.listPredictor).not.toBeNull();
      const estimates = estimateListBenefits(m, lists, encodeListsFlat(m, lists));
      expect(estimates).toHaveLength(4);
      for (const e of estimates) {
        expect(e['Dry']!.value).toBeGreaterThanOrEqual(0);
        expect(e['Dry']!.value).toBeLessThanOrEqual(1);
        expect(e['Dry']!.uncertainty).toBeGreaterThanOrEqual(0);
        expect(e['score']!.uncertainty).toBeGreaterThan(0);
        expect(e['score']!.value).toBeGreaterThanOrEqual(0); // the score's 0–1 range holds
      }
    } finally {
      cache.disposeAll();
    }
  });

  it('falls back to the heads with no uncertainty for a model saved before the list predictor', async () => {
    const cache = new ModelCache();
    try {
      const m = await cache.load(await saved('before', false));
      expect(m.listPredictor).toBeNull();
      const estimates = estimateListBenefits(m, lists, encodeListsFlat(m, lists));
      expect(estimates.every((e) => e['Dry']!.uncertainty === null && e['score']!.uncertainty === null)).toBe(true);
      expect(estimates.every((e) => e['Dry']!.value > 0 && e['Dry']!.value < 1)).toBe(true);
    } finally {
      cache.disposeAll();
    }
  });
});
