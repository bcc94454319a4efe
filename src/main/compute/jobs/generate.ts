import { runGeneration, type GenerateInputs, type GenerateOutcome } from '../../generate/job';
import { decodePerSlot, encodeListsFlat, estimateListBenefits, forwardAll, predictCodes } from '../inference';
import type { ModelRef } from '../model-cache';
import { join } from 'node:path';
import { GENERATE_CACHE_FILE } from '../../generate/generate-cache';
import { listScorerSpec } from '../../generate/list-scorer';
import type { JobHandler } from '../job';

/**
 * The generate-and-filter job (see src/main/generate/job.ts): the catalog's codes and the same
 * products' ingredient-id lists in the same order, the knowledge base's facts by ingredient id,
 * the ingredient groups not to combine, and the run's parameters. Benefits are predicted from the
 * decoded lists as the editor predicts them (list predictor and heads, with uncertainties).
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
      // The editor's scoring of each list (a model saved before the list predictor keeps the heads at the sampled code).
      scorer: m.listPredictor
        ? {
            key: `${job.modelPath}#${job.manifestSha256}`,
            build: () => listScorerSpec(m.model.shape, m.model.getWeights(), m.benefits, m.listPredictor!),
            scoreLists: (lists) =>
              estimateListBenefits(m, lists, encodeListsFlat(m, lists)).map((estimates) => {
                const entries = Object.entries(estimates);
                const uncertain = entries.every(([, e]) => e.uncertainty !== null);
                return { values: Object.fromEntries(entries.map(([k, e]) => [k, e.value])), uncertainty: uncertain ? Object.fromEntries(entries.map(([k, e]) => [k, e.uncertainty!])) : null };
              }),
          }
        : undefined,
      cacheFile: join(job.modelPath, GENERATE_CACHE_FILE),
      work: context.sharedWork,
      isCancelled: () => context.isCancelled(),
    });
  },
};
