import * as tf from '@tensorflow/tfjs-core';
import { targetsVerdict } from '../../../shared/ml/objective';
import { checkCandidate, type CatalogContextSpec, type CheckThresholds } from '../../generate/kernels';
import { nearestCatalogDistances, optimizeCodes, type GradientSettings, type HeadReading, type StopReason } from '../../optimize/gradient';
import { JobCancelled } from '../cancellation';
import { catalogChecks } from '../catalog-checks';
import type { BenefitEstimate } from '../../ml/list-predictor';
import { decodeIngredientIds, encodeListsFlat, estimateListBenefits, predictCodes } from '../inference';
import type { ModelRef } from '../model-cache';
import type { DecodeConstraints } from '../../../shared/ml/constrained-decode';
import type { JobHandler } from '../job';

/**
 * Gradient optimisation in the latent space from `rows` starts (one restart each), with the
 * objective's terms already resolved against the catalog (src/shared/ml/objective.ts) and the
 * optimiser's settings (the head readings excepted: the worker reads them off the model).
 */
export interface OptimizeJob extends ModelRef, Omit<GradientSettings, 'heads'> {
  kind: 'optimize';
  /** rows × latentDim, row-major. */
  starts: Float32Array;
  rows: number;
  /** The generate job's checks: a projected code whose list passes them (targets met, met again when encoded again) is preferred. */
  checks: { spec: CatalogContextSpec; thresholds: CheckThresholds };
  /** Catalog codes (n × latentDim), for the final codes' distance to the nearest one. */
  catalogCodes: Float32Array;
  /** κ of the penalty on uncertain predictions added to each projected code's objective (0: none). */
  uncertaintyPenalty: number;
  /** A design brief's constraints: every projection and every recorded code decodes under them (null: none). */
  constraints: DecodeConstraints | null;
}

/** Each restart's recorded path (decoded and predicted), and its final list encoded again. */
export interface OptimizeResult {
  restarts: {
    steps: number;
    stopReason: StopReason;
    path: { step: number; code: number[]; objective: number; benefits: Record<string, number>; ingredientIds: number[] }[];
    /** The benefits predicted for the final decoded list, encoded again (consistency). */
    reencodedBenefits: Record<string, number>;
    /** Every benefit of the final list as the editor scores it, with the half-width of its 80 % interval. */
    estimates: Record<string, BenefitEstimate>;
    /** κ·Σ w·u/std of the final list (0 without the penalty). */
    uncertaintyPenalty: number;
    /** The final code's distance to the nearest catalog code. */
    nearestDistance: number;
  }[];
}

/** Gradient optimisation from each start, then the recorded codes decoded and predicted, and each final list encoded again. */
export const optimizeJob: JobHandler<OptimizeJob, OptimizeResult> = {
  kind: 'optimize',
  async run(job, context) {
    const m = await context.models.load(job);
    const D = m.model.shape.latent;
    if (job.starts.length !== job.rows * D) throw new Error(`the starts have ${job.starts.length / Math.max(1, job.rows)} values each; this model has ${D} dimensions`);
    const heads: HeadReading[] = job.terms.map((t) => {
      const index = m.benefits.findIndex((b) => b.name === t.benefit);
      if (index < 0) throw new Error(`the model has no benefit head "${t.benefit}"`);
      const spec = m.benefits[index]!;
      return { index, flag: spec.kind === 'flag', scale: spec.std, offset: spec.mean };
    });
    const checks = catalogChecks(job.checks.spec);
    // The soft cycle reads the decoder's relative positions as the encoder does (1 − r/2).
    const cycle =
      m.decoder.positionScale.kind === 'relative'
        ? (z: tf.Tensor2D) =>
            tf.tidy(() => {
              const { logits, positions } = m.model.decode(z);
              let x = tf.mul(tf.sigmoid(logits), tf.sub(1, tf.mul(0.5, positions))) as tf.Tensor2D;
              if (m.conditioning > 0) x = tf.pad(x, [[0, 0], [0, m.conditioning]]);
              return m.model.encode(x).mu;
            })
        : null;
    // A sharpened sigmoid: many tokens at small probability must not add up to phantom ingredients.
    const softLength = (z: tf.Tensor2D) => tf.tidy(() => tf.sum(tf.sigmoid(tf.mul(4, m.model.decode(z).logits)), 1) as tf.Tensor1D);
    // The penalty on uncertain predictions: each list's terms as the editor scores them, their
    // interval half-widths in the terms' catalog units, weighted as the terms are.
    const uncertaintyOf = (estimates: Record<string, BenefitEstimate>) =>
      job.uncertaintyPenalty * job.terms.reduce((s, t) => s + (t.weight * (estimates[t.benefit]?.uncertainty ?? 0)) / (t.std > 1e-9 ? t.std : 1), 0);
    if (job.uncertaintyPenalty > 0 && !m.listPredictor) throw new Error('this model was saved before it had uncertainties; train it again to penalise uncertain predictions');
    const penalty =
      job.uncertaintyPenalty > 0 && m.listPredictor
        ? async (codes: Float32Array, rows: number) => {
            const lists = decodeIngredientIds(m, codes, rows, job.constraints);
            return Float64Array.from(estimateListBenefits(m, lists, encodeListsFlat(m, lists)), uncertaintyOf);
          }
        : undefined;
    const traces = await optimizeCodes({ predictBenefits: (z) => m.model.predictBenefits(z), cycle, softLength }, job.starts, job.rows, { ...job, heads }, {
      isCancelled: () => context.isCancelled(),
      cancel: () => new JobCancelled(job.kind),
      onProgress: (step) => context.reportStage('optimise', step, job.maxSteps),
      project: async (codes, rows) => encodeListsFlat(m, decodeIngredientIds(m, codes, rows, job.constraints)),
      penalty,
      judge: async (codes, rows) => {
        const lists = decodeIngredientIds(m, codes, rows, job.constraints);
        const here = predictCodes(m, codes, rows);
        const there = predictCodes(m, encodeListsFlat(m, lists), rows);
        return lists.map((list, i) => targetsVerdict(job.terms, here[i]!).met && targetsVerdict(job.terms, there[i]!).met && checkCandidate(checks, job.checks.thresholds, list, here[i]!).passed);
      },
    });
    // Every recorded code decoded (exact unique decoding) and predicted at once.
    const recorded = traces.flatMap((t) => t.path);
    const codes = new Float32Array(recorded.length * D);
    recorded.forEach((p, i) => codes.set(p.code, i * D));
    const lists = decodeIngredientIds(m, codes, recorded.length, job.constraints);
    const benefits = predictCodes(m, codes, recorded.length);
    // Consistency: each final list encoded again, and its benefits predicted from that code.
    let at = 0;
    const finals = traces.map((t) => (at += t.path.length) - 1);
    const finalLists = finals.map((i) => lists[i]!);
    const finalListCodes = encodeListsFlat(m, finalLists);
    const reencoded = predictCodes(m, finalListCodes, finals.length);
    const estimates = estimateListBenefits(m, finalLists, finalListCodes);
    const finalCodes = new Float32Array(finals.length * D);
    finals.forEach((i, r) => finalCodes.set(recorded[i]!.code, r * D));
    const distances = nearestCatalogDistances(finalCodes, finals.length, job.catalogCodes, D);
    let k = 0;
    return {
      restarts: traces.map((t, r) => ({
        steps: t.steps,
        stopReason: t.stopReason,
        path: t.path.map((p) => {
          const i = k++;
          return { step: p.step, code: Array.from(p.code), objective: p.objective, benefits: benefits[i]!, ingredientIds: lists[i]! };
        }),
        reencodedBenefits: reencoded[r]!,
        estimates: estimates[r]!,
        uncertaintyPenalty: penalty ? uncertaintyOf(estimates[r]!) : 0,
        nearestDistance: distances[r]!,
      })),
    };
  },
};
