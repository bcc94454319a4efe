import { join } from 'node:path';
import { ApiFailure } from '../../shared/api';
import type { ModelRecord } from '../../shared/domain';
import type { ComputeJob, JobOf, ResultOf } from '../compute/protocol';
import { getActiveModel, getModel, type StoredModel } from '../db/queries/models';
import type { ServiceContext, TrackedAs } from './context';

/** The kinds of compute job that work on a model's files. */
type ModelJobKind = Extract<ComputeJob, { modelPath: string }>['kind'];

/** A compute job of kind K without the fields naming the model's files (`runModelJob` adds those). */
export type ModelJob<K extends ModelJobKind = ModelJobKind> = K extends ModelJobKind ? Omit<JobOf<K>, 'modelPath' | 'manifestSha256'> & { kind: K } : never;

/** The model with `id`, or a `not-found` failure. */
export function requireModel(cx: ServiceContext, id: number): StoredModel {
  const model = getModel(cx.db, id);
  if (!model) throw new ApiFailure('not-found', `there is no model with id ${id}`);
  return model;
}

/** The active model, or a `no-model` failure telling the person to train one. */
export function requireActiveModel(cx: ServiceContext): StoredModel {
  const model = getActiveModel(cx.db);
  if (!model) throw new ApiFailure('no-model', 'no model is active yet: train one first (latent-formulator train)');
  return model;
}

/** The folder holding a model's files. */
export function modelPath(cx: ServiceContext, model: StoredModel): string {
  return join(cx.modelsDir, model.folder);
}

/** The record without storage details. */
export function publicModel(m: StoredModel): ModelRecord {
  const { folder: _folder, manifestSha256: _sha, ...rest } = m;
  return rest;
}

/**
 * Runs a job on `model`'s files in the compute process (which checks them against the manifest's
 * sha256), tracked as an activity when `tracked` is given; failures arrive as `ApiFailure`s.
 */
export function runModelJob<K extends ModelJobKind>(cx: ServiceContext, model: StoredModel, job: ModelJob<K>, tracked?: TrackedAs): Promise<ResultOf<K>> {
  // The spread puts back exactly the two fields ModelJob<K> leaves out, so this is JobOf<K> again.
  return cx.run({ ...job, modelPath: modelPath(cx, model), manifestSha256: model.manifestSha256 } as JobOf<K>, tracked);
}
