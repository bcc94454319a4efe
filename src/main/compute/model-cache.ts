import type { PairOrderCounts } from '../../shared/ml/order';
import type { DecoderSpec } from '../generate/kernels';
import { initBackend } from '../ml/backend';
import { listPredictorFromWeights, type ListPredictor } from '../ml/list-predictor';
import { decodeOptions } from '../ml/evaluate';
import { JointVae } from '../ml/model';
import { loadModel } from '../ml/store';
import type { BenefitSpec } from '../ml/train';
import { VocabularyIndex } from '../ml/vocab';

/** A saved model as jobs name it: its folder and the manifest hash it must still have. */
export interface ModelRef {
  modelPath: string;
  manifestSha256: string;
}

/** A saved model loaded into the compute process, with the settings its decoding needs. */
export interface LoadedModel {
  model: JointVae;
  index: VocabularyIndex;
  conditioning: number;
  benefits: BenefitSpec[];
  /** The model's decoding settings (λ, longest list, position scale, length prior) with each token's ingredient id. */
  decoder: DecoderSpec;
  /** The training lists' pair-order counts that re-rank decoded lists; null for models saved before. */
  order: PairOrderCounts | null;
  /** The list predictor benefits are scored with; null for a model saved before it (heads alone, no uncertainty). */
  listPredictor: ListPredictor | null;
}

/**
 * The compute process's loaded models, by folder and manifest hash: loading verifies and
 * rebuilds a model (hundreds of ms), and the editor scores a list after every edit. A model
 * whose manifest changed has another key, so a stale copy is never used.
 */
export class ModelCache {
  private readonly models = new Map<string, LoadedModel>();

  /** The model saved at `ref`, loaded once (the backend is initialised first). */
  async load(ref: ModelRef): Promise<LoadedModel> {
    const key = `${ref.modelPath}#${ref.manifestSha256}`;
    const cached = this.models.get(key);
    if (cached) return cached;
    await initBackend();
    const saved = loadModel(ref.modelPath, ref.manifestSha256);
    const index = new VocabularyIndex(saved.vocabulary);
    // The stored config's decoding settings (a model saved before the length prior has none).
    const options = decodeOptions(saved.manifest.config, saved.manifest.maxLength, index.emittable);
    const entry: LoadedModel = {
      model: JointVae.fromWeights(saved.manifest.shape, saved.weights),
      index,
      benefits: saved.manifest.benefits,
      conditioning: saved.manifest.shape.conditioning,
      decoder: { ...options, ingredientIds: tokenIngredientIds(index), reorder: Boolean(saved.order) },
      order: saved.order ?? null,
      listPredictor: saved.manifest.listPredictor ? listPredictorFromWeights(saved.manifest.listPredictor, saved.weights) : null,
    };
    this.models.set(key, entry);
    return entry;
  }

  /** Frees every loaded model's tensors (the process is shutting down). */
  disposeAll(): void {
    for (const m of this.models.values()) m.model.dispose();
    this.models.clear();
  }
}

/** Each token's ingredient id (−1 for buckets, never emitted). */
function tokenIngredientIds(index: VocabularyIndex): Int32Array {
  const ingredientIds = new Int32Array(index.size);
  for (let t = 0; t < index.size; t++) ingredientIds[t] = index.emittable[t] ? (index.ingredientIdOf(t) ?? -1) : -1;
  return ingredientIds;
}
