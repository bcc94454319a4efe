import { runGeneration, type GenerateInputs, type GenerateOutcome } from '../../generate/job';
import { decodePerSlot, forwardAll, predictCodes } from '../inference';
import type { ModelRef } from '../model-cache';
import type { JobHandler } from '../job';

/**
 * The generate-and-filter job (see src/main/generate/job.ts): the catalog's codes and the same
 * products' ingredient-id lists in the same order, the knowledge base's facts by ingredient id,
 * the ingredient groups not to combine, and the run's parameters.
 */
export interface GenerateJob extends ModelRef, Pick<GenerateInputs, 'params' | 'catalogCodes' | 'latentDim' | 'catalogLists' | 'facts' | 'incompatible'> {
  kind: 'generate';
}

export const generateJob: JobHandler<GenerateJob, GenerateOutcome> = {
  kind: 'generate',
  async run(job, context) {
    const m = await context.models.load(job);
    if (job.latentDim !== m.model.shape.latent) throw new Error(`catalog codes have ${job.latentDim} dimensions; this model has ${m.model.shape.latent}`);
    return runGeneration({
      params: job.params,
      catalogCodes: job.catalogCodes,
      latentDim: job.latentDim,
      catalogLists: job.catalogLists,
      facts: job.facts,
      incompatible: job.incompatible,
      decoder: m.decoder,
      forward: (codes, count) => forwardAll(m, codes, count),
      decodePerSlot: (codes, count) => decodePerSlot(m, codes, count),
      predict: (codes, count) => predictCodes(m, codes, count),
      work: context.sharedWork,
      isCancelled: () => context.isCancelled(),
    });
  },
};
