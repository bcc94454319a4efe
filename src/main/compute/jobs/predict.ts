import { codeRows, predictCodes } from '../inference';
import type { ModelRef } from '../model-cache';
import type { JobHandler } from '../job';

/** Benefit predictions of the heads for latent codes. */
export interface PredictJob extends ModelRef {
  kind: 'predict';
  codes: number[][];
}

export interface PredictResult {
  /** Per code: benefit name → predicted value (probability for 0/1 flags, original units for scores). */
  benefits: Record<string, number>[];
}

export const predictJob: JobHandler<PredictJob, PredictResult> = {
  kind: 'predict',
  async run(job, context) {
    const m = await context.models.load(job);
    return { benefits: predictCodes(m, codeRows(m, job.codes), job.codes.length) };
  },
};
