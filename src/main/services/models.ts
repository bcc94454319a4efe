import { randomBytes } from 'node:crypto';
import { ApiFailure, type ApiParsedArgs, type DecodedLists, type EncodedLists } from '../../shared/api';
import type { ModelRecord } from '../../shared/domain';
import { parseInciDeclaration } from '../../shared/inci/parse';
import type { RunOptions } from '../compute/host';
import { getIngredientRecords } from '../db/queries/ingredients';
import { getActiveModel, insertModel, listModels, setActiveModel, type StoredModel } from '../db/queries/models';
import { getProduct } from '../db/queries/products';
import { presetConfig } from '../ml/config';
import { loadTrainingData } from '../ml/dataset';
import { refreshKnowledgeScores } from '../ml/knowledge-scores';
import { ModelFileError, loadModel } from '../ml/store';
import { trainabilityProblem } from '../ml/train';
import { modelPath, publicModel, requireActiveModel, requireModel, runModelJob } from './active-model';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { declarationIngredientIds, productIngredientIds } from './ingredient-names';

/** The models capability: training, the list of models, which one is active, and encoding and decoding with it. */
export const modelsHandlers: HandlersOf<'listModels' | 'getModel' | 'activateModel' | 'trainModel' | 'encodeLists' | 'decodeCodes'> = {
  async listModels(cx) {
    return listModels(cx.db).map(publicModel);
  },

  async getModel(cx, { id }) {
    return publicModel(requireModel(cx, id));
  },

  /** Makes a model active after verifying its files; a corrupt one is refused and nothing changes. */
  async activateModel(cx, { id }) {
    const model = requireModel(cx, id);
    verifyModelFiles(cx, model);
    await cx.exclusive(() => setActiveModel(cx.db, id));
    return publicModel({ ...model, active: true });
  },

  trainModel,
  encodeLists,
  decodeCodes,
};

/**
 * Trains a model in the compute process on the current catalog (knowledge-based scores are
 * refreshed first), saves it atomically and records it; the new model becomes active unless
 * `activate` is false. `hooks` carries progress and cancellation for in-process callers.
 */
export async function trainModel(cx: ServiceContext, args: ApiParsedArgs['trainModel'], hooks: RunOptions = {}): Promise<ModelRecord> {
  await cx.exclusive(() => refreshKnowledgeScores(cx.db));
  const data = loadTrainingData(cx.db, { catalogIds: args.catalogIds, benefitSources: args.benefitSources });
  const problem = trainabilityProblem(data);
  if (problem) throw new ApiFailure('untrainable', `cannot train: ${problem}`);
  const config = presetConfig(args.preset, { seed: args.seed });
  const createdAt = new Date();
  const folder = `model-${createdAt.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${args.seed}-${randomBytes(3).toString('hex')}`;
  const result = await cx.run(
    { kind: 'train', data, config, preset: args.preset, modelsDir: cx.modelsDir, folder },
    { kind: 'train', label: `Training a ${args.preset} model`, hooks },
  );
  const id = await cx.exclusive(() =>
    insertModel(
      cx.db,
      {
        name: args.name ?? `${args.preset} model, ${createdAt.toISOString().slice(0, 16).replace('T', ' ')}`,
        folder,
        manifestSha256: result.manifestSha256,
        createdAt: createdAt.toISOString(),
        preset: args.preset,
        seed: args.seed,
        backend: result.backend,
        trainMs: result.trainMs,
        epochs: result.epochs,
        vocabularyHash: result.vocabularyHash,
        vocabularySize: result.vocabularySize,
        config: { ...config },
        metrics: result.metrics,
        snapshot: data.snapshot,
      },
      result.vocabulary,
      args.activate || getActiveModel(cx.db) === null,
      { productIds: result.productIds, codes: result.codes, latentDim: result.latentDim },
    ),
  );
  return publicModel(requireModel(cx, id));
}

/** Latent means of declarations and/or catalog products under the active model. */
export async function encodeLists(cx: ServiceContext, { declarations, productIds }: ApiParsedArgs['encodeLists']): Promise<EncodedLists> {
  const model = requireActiveModel(cx);
  const lexicon = cx.lexicon();
  const lists: number[][] = [];
  for (const [i, text] of (declarations ?? []).entries()) {
    const result = parseInciDeclaration(text, lexicon);
    if (!result.ok) throw new ApiFailure('invalid-argument', `declaration ${i + 1}: ${result.reason}`);
    lists.push(declarationIngredientIds(cx, result.ingredients));
  }
  for (const id of productIds ?? []) {
    const product = getProduct(cx.db, id);
    if (!product) throw new ApiFailure('not-found', `there is no product with id ${id}`);
    lists.push(productIngredientIds(product));
  }
  const result = await runModelJob(cx, model, { kind: 'encode', lists });
  return { modelId: model.id, codes: result.codes, unknownCounts: result.unknown };
}

/** The most likely ingredient list of each latent code under the active model. */
export async function decodeCodes(cx: ServiceContext, { codes }: ApiParsedArgs['decodeCodes']): Promise<DecodedLists> {
  const model = requireActiveModel(cx);
  const result = await runModelJob(cx, model, { kind: 'decode', codes });
  const ids = [...new Set(result.lists.flat())];
  const names = new Map(getIngredientRecords(cx.db, ids).map((r) => [r.id, r.inci]));
  return { modelId: model.id, lists: result.lists.map((l) => ({ ingredients: l.map((id) => names.get(id) ?? `#${id}`) })) };
}

function verifyModelFiles(cx: ServiceContext, model: StoredModel): void {
  try {
    loadModel(modelPath(cx, model), model.manifestSha256);
  } catch (error) {
    if (error instanceof ModelFileError) throw new ApiFailure('model-file', `model ${model.id} ("${model.name}") cannot be used: ${error.message}. The active model was not changed.`);
    throw error;
  }
}
