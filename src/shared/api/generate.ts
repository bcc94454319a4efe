import { z } from 'zod';
import type { Brief } from '../briefs/brief';
import { briefRequestFields } from './briefs';
import { idSchema, seedSchema, type ArgsOf } from './common';
import type { ApiMethod } from './methods';

/** Generate-and-filter jobs and their stored runs. */

/** Columns a stored run's candidates sort by; `benefit:<name>` sorts by that predicted benefit. */
const GENERATED_SORT_COLUMNS = ['rank', 'score', 'novelty', 'plausibility', 'logDensity'] as const;

export type GeneratedSortKey = (typeof GENERATED_SORT_COLUMNS)[number] | `benefit:${string}`;

/** Which of a run's decoded candidates to list: all, those that passed every check, or the rejected ones. */
const GENERATED_SHOW = ['all', 'passed', 'rejected'] as const;

export type GeneratedShow = (typeof GENERATED_SHOW)[number];

export interface GeneratedCandidateView {
  rank: number;
  ingredients: string[];
  passed: boolean;
  score: number;
  novelty: number;
  plausibility: number;
  logDensity: number;
  benefits: Record<string, number>;
  /**
   * Half-width of each benefit's 80 % interval (the list predictor's, as the editor shows it);
   * absent for a run made with a model saved before uncertainties, or before runs stored them.
   */
  uncertainty?: Record<string, number>;
  nearestProduct: { id: number; name: string } | null;
  /** With a brief's category: the category the catalog's bag-of-ingredients classifier reads the list as, and its probability. */
  readsAs?: { category: string; probability: number };
  reasons: string[];
  /**
   * Asked for with `listGeneratedCandidates({ activeLevels: true })`: the draft formula's status and
   * the estimated levels of the list's actives (actives, UV filters, vitamins, exfoliants, peptides).
   */
  formula?: { status: 'estimated' | 'relaxed' | 'infeasible'; actives: { inci: string; percent: number | null; low: number | null; high: number | null }[] };
}

/** The quality panel of a generate run (MOSES/GuacaMol style). */
export interface GenerationQuality {
  /** Share of decoded lists with no repeated ingredient and no unknown/bucket token. */
  validLists: number;
  /** Share passing every check. */
  passedAllChecks: number;
  /** Distinct lists among the decoded candidates. */
  uniqueness: number;
  meanNovelty: number;
  medianNovelty: number;
  medianPlausibility: number;
  /**
   * The catalog's own median ordering plausibility, each product scored leave-one-out (without
   * its own order in the precedence counts), as a generated list is scored.
   */
  catalogMedianPlausibility: number;
  /** Mean pairwise Jaccard distance between candidates. */
  internalDiversity: number;
  /** Jensen–Shannon divergence (bits) between candidate and catalog ingredient frequencies. */
  frequencyDivergence: number;
  /**
   * The decoded lists' lengths against the catalog's: medians, the catalog's 5th percentile
   * (shorter lists rank only when the request allows them), and the Jensen–Shannon divergence
   * (bits) of the two length distributions in bins of 5. Absent in runs stored before.
   */
  lengths?: { median: number; catalogMedian: number; catalogP5: number; divergence: number };
  /**
   * Completeness: the share of decoded lists passing the structural checks (preservative with
   * water, emulsifier when oils meet water, length range, compatibility), the catalog's own share,
   * and the share the job completed with a missing preservative or emulsifier. Absent before.
   */
  structure?: { passed: number; catalogPassed: number; completed: number };
}

export interface GenerateReport {
  runId: number;
  modelId: number;
  backend: string;
  params: Record<string, unknown>;
  /** Wall time of each stage in the compute process. */
  timingsMs: Record<string, number>;
  /** The whole job as the app sees it: request, every stage, the ranked shortlist back. */
  totalMs: number;
  /** Storing the run and every candidate afterwards. */
  savedMs: number;
  /**
   * Threads that shared the JavaScript work, each one's busy time in the shared stages, and the
   * time the compute thread waited for samples drawn by the helper.
   */
  work: { threads: number; batches: number; helperBatches: number; mainMs: number; helperMs: number; sampleWaitMs: number };
  densityFloor: number;
  /** `densityReferences`: catalog codes the density used as kernels (a seeded subset above 10,000; absent in older runs). */
  counts: { sampled: number; aboveFloor: number; decoded: number; passed: number; densityReferences?: number };
  quality: GenerationQuality;
  /** The best candidates that passed every check, best first. */
  shortlist: GeneratedCandidateView[];
  /** The same checks on the seed's decoding and on recombined catalog products. */
  baselines: { name: string; candidates: number; quality: GenerationQuality }[];
  /** The design brief every decoded list obeys (a saved brief's name and version, or rules given inline), null for none. */
  brief: AppliedBrief | null;
  /**
   * With a brief's category: the decoded lists the catalog's category classifier reads as that
   * category, before the check that rejects the others.
   */
  category?: { category: string; decoded: number; readAsCategory: number };
}

/** A brief as a job applied it: its rules, and where they came from. */
export interface AppliedBrief {
  /** The saved brief's name and version; null for rules given with the request. */
  name: string | null;
  version: number | null;
  rules: Brief;
}

/** One page of a stored run's decoded candidates; `total` counts every candidate shown by the filter. */
export interface GeneratedCandidatePage {
  runId: number;
  total: number;
  items: GeneratedCandidateView[];
}

export const generateSchemas = {
  generate: z
    .object({
      n: z.number().int().min(1).max(200_000).default(10_000),
      k: z.number().int().min(1).max(20_000).default(1_000),
      temperature: z.number().positive().max(5).default(1),
      seed: seedSchema.default(1),
      centreProductId: idSchema.optional(),
      densityFloorQuantile: z.number().min(0).max(0.99).default(0.05),
      minNovelty: z.number().min(0).max(1).default(0.3),
      minPlausibility: z.number().min(0).max(1).default(0.5),
      benefitThresholds: z.record(z.string().max(200), z.number().finite()).default({}),
      shortlist: z.number().int().min(1).max(1000).default(50),
      baselines: z.boolean().default(false),
      /** Let lists shorter than the catalog's 5th percentile of length pass and rank (off: they are rejected). */
      allowShortLists: z.boolean().default(false),
      /** Add the model's most probable preservative or emulsifier where the structural rules miss one. */
      completeStructure: z.boolean().default(true),
      /** A saved design brief (its newest version), or its rules, that every decoded list obeys: decoded under its hard constraints. */
      ...briefRequestFields,
    })
    .strict()
    .refine((a) => a.n >= a.k, { message: 'N (samples) must be at least K (candidates to decode)', path: ['n'] })
    .refine((a) => a.brief === undefined || a.briefRules === undefined, { message: 'give a saved brief or brief rules, not both', path: ['brief'] }),
  listGeneratedCandidates: z
    .object({
      runId: idSchema,
      show: z.enum(GENERATED_SHOW).default('all'),
      sortBy: z.union([z.enum(GENERATED_SORT_COLUMNS), z.templateLiteral(['benefit:', z.string().min(1).max(200)])]).default('rank'),
      /** Default: rank ascending (best first), every other column descending (highest first). */
      descending: z.boolean().optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).default(0),
      /** Add each listed candidate's draft-formula status and estimated active levels (`formula`). */
      activeLevels: z.boolean().default(false),
    })
    .strict(),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof generateSchemas>;

/** The generate slice of the {@link Api}. */
export interface GenerateApi {
  generate(args?: Args['generate']): Promise<GenerateReport>;
  /**
   * A stored run's decoded candidates (passed and rejected, each with its reasons), filtered,
   * sorted (ties by rank) and paged; ranks are those `saveGeneratedCandidate` takes.
   */
  listGeneratedCandidates(args: Args['listGeneratedCandidates']): Promise<GeneratedCandidatePage>;
}
