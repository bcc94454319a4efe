import { encodeLists, type EncodedLists } from '../inference';
import type { ModelRef } from '../model-cache';
import type { JobHandler } from '../job';

/** Encodes ingredient lists with a saved model. */
export interface EncodeJob extends ModelRef {
  kind: 'encode';
  /** Ingredient-id lists, each in declaration order. */
  lists: number[][];
}

/** Each list's latent mean and its count of ingredients unknown to the model. */
export type EncodeResult = EncodedLists;

export const encodeJob: JobHandler<EncodeJob, EncodeResult> = {
  kind: 'encode',
  async run(job, context) {
    return encodeLists(await context.models.load(job), job.lists);
  },
};
