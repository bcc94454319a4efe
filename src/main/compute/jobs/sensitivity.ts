import { normalGenerator } from '../../../shared/ml/linalg';
import { seededRandom } from '../../../shared/ml/random';
import { decodeTokens } from '../inference';
import type { ModelRef } from '../model-cache';
import type { JobHandler } from '../job';

/**
 * Seed 000's sensitivity analysis: for each latent dimension, resample it (from N(0, 1) and from
 * its empirical distribution over the catalog) in `baseCount` catalog codes, `resamples` times
 * each, and count the ingredients that change in the decoded list.
 */
export interface SensitivityJob extends ModelRef {
  kind: 'sensitivity';
  /** Catalog codes, n × latentDim row-major. */
  catalogCodes: Float32Array;
  latentDim: number;
  baseCount: number;
  resamples: number;
  seed: number;
}

export interface SensitivityResult {
  /** Per dimension: mean number of ingredients that changed, resampling from N(0, 1) / from the catalog. */
  normal: number[];
  empirical: number[];
  decodes: number;
}

export const sensitivityJob: JobHandler<SensitivityJob, SensitivityResult> = {
  kind: 'sensitivity',
  async run(job, context) {
    const m = await context.models.load(job);
    const D = job.latentDim;
    if (D !== m.model.shape.latent) throw new Error(`catalog codes have ${D} dimensions; this model has ${m.model.shape.latent}`);
    const n = job.catalogCodes.length / D;
    const rand = seededRandom(job.seed);
    const normal = normalGenerator(rand);
    const baseRows = Array.from({ length: Math.min(job.baseCount, n) }, () => Math.floor(rand() * n));
    const base = new Float32Array(baseRows.length * D);
    baseRows.forEach((r, i) => base.set(job.catalogCodes.subarray(r * D, (r + 1) * D), i * D));
    const baseLists = decodeTokens(m, base, baseRows.length).map((l) => new Set(l));
    const result: SensitivityResult = { normal: [], empirical: [], decodes: baseRows.length };
    const copies = baseRows.length * job.resamples;
    for (let d = 0; d < D; d++) {
      for (const source of ['normal', 'empirical'] as const) {
        context.throwIfCancelled();
        const codes = new Float32Array(copies * D);
        for (let i = 0; i < copies; i++) {
          const b = Math.floor(i / job.resamples);
          codes.set(base.subarray(b * D, (b + 1) * D), i * D);
          codes[i * D + d] = source === 'normal' ? normal() : job.catalogCodes[Math.floor(rand() * n) * D + d]!;
        }
        const lists = decodeTokens(m, codes, copies);
        let changed = 0;
        lists.forEach((list, i) => {
          const ref = baseLists[Math.floor(i / job.resamples)]!;
          const set = new Set(list);
          for (const t of set) if (!ref.has(t)) changed++;
          for (const t of ref) if (!set.has(t)) changed++;
        });
        result[source].push(changed / copies);
        result.decodes += copies;
      }
      context.reportStage('sensitivity', d + 1, D);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return result;
  },
};
