import { encodeLists, predictCodes } from '../inference';
import type { ModelRef } from '../model-cache';
import type { JobHandler } from '../job';
import type { EncodeResult } from './encode';

/**
 * The editor's live scoring in one round trip: each list's latent mean and the benefit heads'
 * predictions for it.
 */
export interface ScoreListsJob extends ModelRef {
  kind: 'score-lists';
  /** Ingredient-id lists, each in declaration order. */
  lists: number[][];
}

export interface ScoreListsResult extends EncodeResult {
  /** Per list: benefit name → predicted value (as PredictResult). */
  benefits: Record<string, number>[];
}

/** Encode and benefit heads in one job: the editor re-scores a list after every edit. */
export const scoreListsJob: JobHandler<ScoreListsJob, ScoreListsResult> = {
  kind: 'score-lists',
  async run(job, context) {
    const m = await context.models.load(job);
    const encoded = encodeLists(m, job.lists);
    return { ...encoded, benefits: predictCodes(m, Float32Array.from(encoded.codes.flat()), job.lists.length) };
  },
};
