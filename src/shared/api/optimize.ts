import { z } from 'zod';
import { DEFAULT_DIVERSITY } from '../ml/objective';
import { briefRequestFields } from './briefs';
import type { CandidateProvenance } from './candidates';
import type { AppliedBrief } from './generate';
import { idSchema, seedSchema, type ArgsOf } from './common';
import type { ApiMethod } from './methods';

/** Gradient optimisation of latent codes against the benefit heads. */

/**
 * The density guard's floor: the 10th percentile of the catalog's own log densities. With it and
 * the terms read wholly through the decode–encode cycle, 99 % of 100 runs on the quick model
 * succeed (57 % with the 25th percentile and half the terms at the code); `npm run bench optimize`.
 */
export const DEFAULT_GUARD_FLOOR_QUANTILE = 0.1;

/** An objective term resolved against the catalog: its scale, and what counts as met. */
export interface OptimizationTerm {
  benefit: string;
  goal: 'maximize' | 'minimize' | 'target';
  weight: number;
  /** The benefit's predicted mean and standard deviation over the catalog's codes. */
  mean: number;
  std: number;
  /** maximize: met at ≥ bar; minimize: met at ≤ bar; target: the target. */
  bar: number;
  /** target: met within ± tolerance. */
  tolerance: number;
}

/** One restart of an optimisation: its path and how its final list is judged. */
export interface OptimizationRestart {
  /** Where it started: "random draw 3", "product 12", "product 12, jittered". */
  start: string;
  steps: number;
  stopReason: 'objective-converged' | 'gradient-vanished' | 'step-limit';
  /** Recorded steps (the first, every few, the last), each decoded with its predicted benefits: for the map. */
  path: { step: number; code: number[]; objective: number; benefits: Record<string, number>; ingredients: string[] }[];
  final: {
    code: number[];
    objective: number;
    ingredientIds: number[];
    ingredients: string[];
    benefits: Record<string, number>;
    /** Benefits predicted for the final list encoded again. */
    reencodedBenefits: Record<string, number>;
    /**
     * Every benefit as the editor scores the final list (the list predictor with the heads) and the
     * half-width of its 80 % interval (null for a model saved before uncertainties).
     */
    estimates: Record<string, { value: number; uncertainty: number | null }>;
    /** The uncertainty term in the objective: κ·Σ w·u/std over the terms (0 unless asked for). */
    uncertaintyPenalty: number;
    /** Distance to the nearest catalog code (latent units). */
    nearestDistance: number;
    /** Log density under the catalog KDE (whitened codes, Scott's bandwidth): the density guard's scale; catalog products' own figures are in explore's density. */
    logDensity: number;
    targetsMet: boolean;
    consistent: boolean;
    checksPassed: boolean;
    /** All three. */
    success: boolean;
    novelty: number;
    plausibility: number;
    /** Each term's verdict, the consistency verdicts, and the checks' reasons. */
    reasons: string[];
  };
  /** Ready for `saveCandidate`: the model, the objective and this restart's settings. */
  provenance: CandidateProvenance;
}

export interface OptimizationResult {
  modelId: number;
  terms: OptimizationTerm[];
  priorWeight: number;
  /** The guard as applied: the density floor (log density) or the radius (latent units), from the catalog quantile. */
  guard: { kind: 'density' | 'nearest-code'; quantile: number; floor: number | null; radius: number | null; weight: number } | null;
  /** The weight that kept restarts apart (0: independent restarts). */
  diversity: number;
  /** κ of the penalty on uncertain predictions (0: none). */
  uncertaintyPenalty: number;
  /** The design brief every list obeys, null for none. */
  brief: AppliedBrief | null;
  restarts: OptimizationRestart[];
  /**
   * The distinct final lists: the restarts that ended on each (indices, first the best of them),
   * best list first (successful ones, then the lowest objective).
   */
  distinct: { restarts: number[] }[];
  /** Index of the best restart: successful ones first, then the lowest objective. */
  best: number;
  successes: number;
  timingsMs: { total: number; compute: number };
}

export const optimizeSchemas = {
  optimize: z
    .object({
      /** What to ask of the benefit heads (seed 002's multi-criteria objective). */
      terms: z
        .array(
          z
            .object({
              benefit: z.string().trim().min(1).max(200),
              goal: z.enum(['maximize', 'minimize', 'target']),
              /** `target` goals: the value to hit. */
              target: z.number().finite().optional(),
              weight: z.number().positive().max(100).default(1),
              /** maximize / minimize: the value that counts as met (default: the catalog's 90th / 10th percentile of the prediction). */
              threshold: z.number().finite().optional(),
              /** target: how close counts as met (default: a quarter of the catalog's standard deviation of the prediction). */
              tolerance: z.number().positive().finite().optional(),
            })
            .strict()
            .refine((t) => t.goal !== 'target' || t.target !== undefined, { message: 'a target term needs a target value', path: ['target'] }),
        )
        .min(1, 'give at least one benefit term')
        .max(20),
      /** λ of the prior penalty λ·½‖z‖² (seed 001, eq. 1). */
      priorWeight: z.number().min(0).max(100).default(0.05),
      /**
       * The manifold guard. `density` (default): a penalty where the catalog KDE's log density
       * falls below the `floorQuantile` of the catalog's own (leave-one-out); `nearest-code`: a
       * penalty beyond the `radiusQuantile` of the catalog's nearest-code distances.
       */
      guard: z
        .object({
          kind: z.enum(['density', 'nearest-code', 'none']).default('density'),
          floorQuantile: z.number().min(0).max(1).default(DEFAULT_GUARD_FLOOR_QUANTILE),
          radiusQuantile: z.number().min(0).max(1).default(0.95),
          weight: z.number().min(0).max(1000).default(10),
        })
        .strict()
        .default({ kind: 'density', floorQuantile: DEFAULT_GUARD_FLOOR_QUANTILE, radiusQuantile: 0.95, weight: 10 }),
      start: z
        .discriminatedUnion('kind', [
          /** Draws from the normal fitted to the catalog's codes. */
          z.object({ kind: z.literal('random'), seed: seedSchema.default(1) }).strict(),
          z.object({ kind: z.literal('product'), productId: idSchema, seed: seedSchema.default(1) }).strict(),
          z.object({ kind: z.literal('candidate'), candidateId: idSchema, version: idSchema.optional(), seed: seedSchema.default(1) }).strict(),
        ])
        .default({ kind: 'random', seed: 1 }),
      /**
       * Keeps restarts apart so that they end on different lists: each restart is pushed away from
       * the best codes of the restarts before it with this weight (one catalog standard deviation of
       * a benefit per unit), nudged off an earlier restart's list when it lands on one, and ends on its
       * best list that no earlier restart ended on (never at the cost of a success). 0: independent
       * restarts, which maximising the same benefit tend to end on a few lists.
       */
      diversity: z.number().min(0).max(100).default(DEFAULT_DIVERSITY),
      /**
       * κ: penalises uncertain predictions. Each projected list's terms are scored as the editor
       * scores them, and κ·Σ w·u/std (u the half-width of the 80 % interval, std the benefit's
       * catalog spread) is added to its objective, so each restart ends on a list whose prediction
       * the model is surer of. 0 (default): no penalty. Needs a model with a list predictor.
       */
      uncertaintyPenalty: z.number().min(0).max(100).default(0),
      /** Starts run side by side; with a product or candidate, the first is its code and the others jitter around it. */
      restarts: z.number().int().min(1).max(64).default(8),
      maxSteps: z.number().int().min(1).max(5000).default(300),
      learningRate: z.number().min(1e-4).max(1).default(0.05),
      /** Share of the benefit terms read through the soft decode–encode cycle (what the decoded list will predict) rather than at the code itself. */
      cycleWeight: z.number().min(0).max(1).default(1),
      /** Every this many steps each code is projected: decoded, and the list encoded again; the search goes on from there. */
      projectEvery: z.number().int().min(1).max(1000).default(25),
      /** The generate job's checks the final lists must pass. */
      minNovelty: z.number().min(0).max(1).default(0.3),
      minPlausibility: z.number().min(0).max(1).default(0.5),
      /** A design brief every projection and final list obeys (decoded under its hard constraints). */
      ...briefRequestFields,
    })
    .strict()
    .refine((a) => a.brief === undefined || a.briefRules === undefined, { message: 'give a saved brief or brief rules, not both', path: ['brief'] }),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof optimizeSchemas>;

/** The optimize slice of the {@link Api}. */
export interface OptimizeApi {
  /**
   * Gradient optimisation of latent codes against the benefit heads, with the prior penalty and
   * the manifold guard, from random draws, a product or a saved candidate; every restart's path
   * decoded, and each final list judged: targets met, still met when encoded again, checks passed.
   */
  optimize(args: Args['optimize']): Promise<OptimizationResult>;
}
