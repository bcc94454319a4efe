import { codeRows, decodeIngredientIds } from '../inference';
import type { ModelRef } from '../model-cache';
import type { JobHandler } from '../job';

/** Decodes latent codes to ingredient lists with a saved model (the exact unique decoder). */
export interface DecodeJob extends ModelRef {
  kind: 'decode';
  codes: number[][];
}

export interface DecodeResult {
  /** Ingredient ids in concentration order, one list per code. */
  lists: number[][];
}

export const decodeJob: JobHandler<DecodeJob, DecodeResult> = {
  kind: 'decode',
  async run(job, context) {
    const m = await context.models.load(job);
    return { lists: decodeIngredientIds(m, codeRows(m, job.codes), job.codes.length) };
  },
};
