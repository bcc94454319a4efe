import type { BenefitEstimate } from '../../ml/list-predictor';
import { encodeLists, estimateListBenefits } from '../inference';
import type { ModelRef } from '../model-cache';
import type { JobHandler } from '../job';
import type { EncodeResult } from './encode';

/**
 * The editor's live scoring in one round trip: each list's latent mean and its benefits from the
 * model's list predictor combined with the heads (see estimateListBenefits), with uncertainties.
 */
export interface ScoreListsJob extends ModelRef {
  kind: 'score-lists';
  /** Ingredient-id lists, each in declaration order. */
  lists: number[][];
}

export interface ScoreListsResult extends EncodeResult {
  /** Per list: benefit name → predicted value and the half-width of its 80 % interval (null for a model saved before uncertainties). */
  benefits: Record<string, BenefitEstimate>[];
}

/** Encode and benefit predictions in one job: the editor re-scores a list after every edit. */
export const scoreListsJob: JobHandler<ScoreListsJob, ScoreListsResult> = {
  kind: 'score-lists',
  async run(job, context) {
    const m = await context.models.load(job);
    const encoded = encodeLists(m, job.lists);
    return { ...encoded, benefits: estimateListBenefits(m, job.lists, Float32Array.from(encoded.codes.flat())) };
  },
};
