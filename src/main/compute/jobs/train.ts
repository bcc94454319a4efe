import { initBackend } from '../../ml/backend';
import type { ModelConfig } from '../../ml/config';
import type { TrainingData } from '../../ml/dataset';
import { evaluateModel, type ModelMetrics } from '../../ml/evaluate';
import { fitListPredictor, listPredictorWeights } from '../../ml/list-predictor';
import { saveModel } from '../../ml/store';
import { trainJointVae, trainabilityProblem, type TrainProgress } from '../../ml/train';
import type { JobHandler } from '../job';

/** Trains a model on the catalog and saves it (atomically) under `modelsDir/folder`. */
export interface TrainJob {
  kind: 'train';
  data: TrainingData;
  config: ModelConfig;
  preset: string;
  modelsDir: string;
  folder: string;
}

/** The saved model, its metrics and history, and the training products' latent means. */
export interface TrainResult {
  folder: string;
  manifestSha256: string;
  backend: string;
  trainMs: number;
  epochs: number;
  bestEpoch: number;
  vocabularyHash: string;
  vocabularySize: number;
  vocabulary: { name: string; ingredientId: number | null }[];
  metrics: ModelMetrics;
  history: TrainProgress[];
  /** Latent means of every training product: `productIds[i]` has codes[i·D … (i+1)·D). */
  productIds: number[];
  codes: Float32Array;
  latentDim: number;
}

/** Data a model cannot be trained on (too few products, say): reported as `untrainable`. */
class UntrainableData extends Error {}

export const trainJob: JobHandler<TrainJob, TrainResult, 'untrainable'> = {
  kind: 'train',
  storageAction: 'saving the trained model',
  failureCode: (error) => (error instanceof UntrainableData ? 'untrainable' : null),
  async run(job, context) {
    const problem = trainabilityProblem(job.data);
    if (problem) throw new UntrainableData(problem);
    const backend = await initBackend();
    const outcome = await trainJointVae(job.data, job.config, {
      onProgress: (progress) => context.reportTraining(progress),
      isCancelled: () => context.isCancelled(),
    });
    try {
      context.throwIfCancelled();
      // The list predictor the app scores benefits with, on the same training rows as the VAE.
      const listStarted = performance.now();
      const listPredictor = await fitListPredictor(outcome.prepared, { seed: job.config.seed }, { isCancelled: () => context.isCancelled() });
      const listPredictorMs = performance.now() - listStarted;
      context.throwIfCancelled();
      const { metrics, codes } = await evaluateModel(outcome.model, outcome.prepared, job.config, listPredictor);
      context.throwIfCancelled();
      const listPart = listPredictorWeights(listPredictor);
      const saved = saveModel(job.modelsDir, job.folder, {
        vocabulary: outcome.prepared.vocabulary,
        weights: [...outcome.model.getWeights(), ...listPart.weights],
        order: outcome.prepared.order,
        manifest: {
          listPredictor: listPart.manifest,
          createdAt: new Date().toISOString(),
          shape: outcome.shape,
          config: job.config,
          benefits: outcome.prepared.benefits,
          maxLength: outcome.prepared.maxLength,
          backend: backend.name,
          vocabularyHash: outcome.prepared.vocabulary.hash,
        },
      });
      return {
        folder: job.folder,
        manifestSha256: saved.manifestSha256,
        backend: backend.name,
        trainMs: Math.round(outcome.trainMs + listPredictorMs),
        epochs: outcome.epochsRun,
        bestEpoch: outcome.bestEpoch,
        vocabularyHash: outcome.prepared.vocabulary.hash,
        vocabularySize: outcome.prepared.vocabulary.tokens.length,
        vocabulary: outcome.prepared.vocabulary.tokens,
        metrics,
        history: outcome.history,
        productIds: outcome.prepared.productIds,
        codes: codes.mu,
        latentDim: codes.dims,
      };
    } finally {
      outcome.model.dispose();
    }
  },
};
