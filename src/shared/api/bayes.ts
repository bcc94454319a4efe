import { z } from 'zod';
import { briefRequestFields } from './briefs';
import type { CandidateProvenance } from './candidates';
import type { AppliedBrief } from './generate';
import { seedSchema, type ArgsOf } from './common';
import { labPropertySchema } from './lab';
import type { ApiMethod } from './methods';

/** Bayesian optimisation: proposals of new formulations from lab results. */

/** One proposed formulation of a Bayesian optimisation batch. */
export interface BatchProposal {
  /** 1 = chosen first (the batch's order). */
  rank: number;
  code: number[];
  ingredientIds: number[];
  ingredients: string[];
  /** In the property's unit, for the goal (a minimised property: the expected decrease). */
  expectedImprovement: number;
  /** The GP's prediction of the property at the list's code (the property's own sign and unit). */
  mean: number;
  sd: number;
  benefits: Record<string, number>;
  novelty: number;
  plausibility: number;
  checksPassed: boolean;
  reasons: string[];
  /** Ready for `saveCandidate`. */
  provenance: CandidateProvenance;
}

export interface BatchProposalResult {
  modelId: number;
  property: string;
  unit: string;
  goal: 'maximize' | 'minimize';
  /** Results used, and the distinct formulations they measured. */
  results: number;
  formulations: number;
  best: { value: number; subject: string };
  /** The fitted GP (standardised units: inputs by the catalog codes' spread, outputs by the results'). */
  gp: { lengthScale: number; signalVariance: number; noiseVariance: number; logMarginalLikelihood: number };
  method: string;
  proposals: BatchProposal[];
  /**
   * The candidate set EI was maximised over: codes decoded, distinct lists not measured yet, and
   * those passing the generate checks (the candidates; all new lists when none passes: usedUnchecked).
   */
  pool: { codes: number; distinctNew: number; passed: number; usedUnchecked: boolean };
  /** The design brief every proposal obeys, null for none. */
  brief: AppliedBrief | null;
  timingsMs: { total: number; fit: number; search: number };
}

export const bayesSchemas = {
  proposeBatch: z
    .object({
      /** The measured property to optimise (at least two results needed, all in one unit). */
      property: labPropertySchema,
      goal: z.enum(['maximize', 'minimize']).default('maximize'),
      /** Formulations to propose at once (spread by the kriging believer). */
      batch: z.number().int().min(1).max(8).default(4),
      /** λ of the prior penalty on the acquisition: log EI − λ·½‖z‖². */
      priorWeight: z.number().min(0).max(100).default(0.05),
      /** EI's exploration margin, in standard deviations of the measured values. */
      xi: z.number().min(0).max(10).default(0.01),
      /**
       * κ: penalises proposals the GP is unsure of, a(x) = log EI − λ·½‖z‖² − κ·σ(x) (σ the GP's
       * standard deviation in standard deviations of the measured values). 0 (default): none.
       */
      uncertaintyPenalty: z.number().min(0).max(100).default(0),
      seed: seedSchema.default(1),
      minNovelty: z.number().min(0).max(1).default(0.3),
      minPlausibility: z.number().min(0).max(1).default(0.5),
      /** A design brief every proposal obeys: the candidate pool is decoded under its hard constraints. */
      ...briefRequestFields,
    })
    .strict()
    .refine((a) => a.brief === undefined || a.briefRules === undefined, { message: 'give a saved brief or brief rules, not both', path: ['brief'] }),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof bayesSchemas>;

/** The bayes slice of the {@link Api}. */
export interface BayesApi {
  /**
   * Bayesian optimisation from lab results: a GP (Matérn 5/2, ML-II) over the measured lists'
   * codes, and `batch` new lists proposed by expected improvement with the prior penalty over a
   * pool of decoded, checked lists, spread by the kriging believer; each with EI and mean ± sd.
   */
  proposeBatch(args: Args['proposeBatch']): Promise<BatchProposalResult>;
}
