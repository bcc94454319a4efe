import { z } from 'zod';
import {
  CANDIDATE_STATUSES,
  INGREDIENT_FUNCTIONS,
  SKIN_BENEFITS,
  type CandidateStatus,
  type CatalogSummary,
  type ConcentrationClass,
  type IngredientFunction,
  type IngredientRecord,
  type ModelRecord,
  type ProductDetail,
  type ProductSummary,
} from './domain';
import type { ApiMethod } from './api-methods';
import { MANUAL_PROVENANCE } from './candidates';

/**
 * The API contract between the renderer and the services: argument schemas (validated at every
 * boundary — IPC, HTTP preview, CLI) and result types. One object implements it in main.
 */

const benefitName = z
  .string()
  .transform((s) => s.replace(/-/g, '_'))
  .pipe(z.enum(SKIN_BENEFITS));

const shortText = (max: number) => z.string().trim().min(1).max(max);

/** One knowledge-base entry as written in the shipped file or entered by a user. */
export const ingredientKnowledgeSchema = z.object({
  inci: shortText(300),
  synonyms: z.array(shortText(300)).max(100).default([]),
  misspellings: z.array(shortText(300)).max(100).default([]),
  functions: z.array(z.enum(INGREDIENT_FUNCTIONS)).max(8).default([]),
  concentration: z.enum(['above-1', 'below-1']).nullable().default(null),
  benefits: z.array(benefitName).max(9).default([]),
  note: z.string().max(1000).default(''),
});

export const columnMappingSchema = z.object({
  name: z.string().max(200).optional(),
  brand: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  ingredients: z.string().max(200).optional(),
  benefits: z.array(z.string().max(200)).max(200).optional(),
  ignore: z.array(z.string().max(200)).max(1000).optional(),
});
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const duplicatePolicySchema = z.enum(['keep', 'merge']);
export type DuplicatePolicy = z.infer<typeof duplicatePolicySchema>;

/** The longest ingredient list a candidate may hold. */
export const MAX_CANDIDATE_INGREDIENTS = 300;

const candidateId = z.number().int().positive();

/** "in lab", "In_Lab" and "in-lab" all mean `in-lab`. */
const candidateStatus = z
  .string()
  .transform((s) => s.trim().toLowerCase().replace(/[\s_]+/g, '-'))
  .pipe(z.enum(CANDIDATE_STATUSES));

/** Tags are joined with "; " in the export and typed comma-separated on the command line. */
const candidateTag = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^,;\t\r\n]+$/, 'a tag cannot hold commas, semicolons, tabs or line breaks')
  .transform((s) => s.replace(/\s+/g, ' '));
const candidateTags = z.array(candidateTag).max(50);
const candidateRating = z.number().int().min(0).max(5).nullable();
const candidateNotes = z.string().max(20_000);
const candidateChangeNote = z.string().trim().max(1000).default('');
const candidateScores = z
  .record(z.string().trim().min(1).max(100), z.number().finite())
  .refine((r) => Object.keys(r).length <= 200, { message: 'at most 200 scores' });

const provenanceCommon = {
  /** The model involved, if any: its id and manifest sha256 (ids can be reused after a reset). */
  modelId: z.number().int().positive().nullable().default(null),
  modelSha256: z.string().trim().min(1).max(128).nullable().default(null),
  /** Anything else worth keeping (seed, parameters, the optimiser's settings…), as JSON. */
  details: z.record(z.string().max(200), z.json()).default({}),
};

/** Where a saved list came from: a generation run and rank, an edited catalog product, an optimisation, or typed by hand. */
export const candidateProvenanceSchema = z
  .discriminatedUnion('source', [
    z.object({ source: z.literal('generated'), runId: z.number().int().positive(), rank: z.number().int().positive(), ...provenanceCommon }).strict(),
    z.object({ source: z.literal('edited-product'), productId: z.number().int().positive(), ...provenanceCommon }).strict(),
    z.object({ source: z.literal('optimised'), ...provenanceCommon }).strict(),
    z.object({ source: z.literal('manual'), ...provenanceCommon }).strict(),
  ])
  .refine((p) => JSON.stringify(p.details).length <= 100_000, { message: 'provenance details are larger than 100,000 characters', path: ['details'] });
export type CandidateProvenance = z.output<typeof candidateProvenanceSchema>;

/** Columns a stored run's candidates sort by; `benefit:<name>` sorts by that predicted benefit. */
export const GENERATED_SORT_COLUMNS = ['rank', 'score', 'novelty', 'plausibility', 'logDensity'] as const;
export type GeneratedSortKey = (typeof GENERATED_SORT_COLUMNS)[number] | `benefit:${string}`;

/** Which of a run's decoded candidates to list: all, those that passed every check, or the rejected ones. */
export const GENERATED_SHOW = ['all', 'passed', 'rejected'] as const;
export type GeneratedShow = (typeof GENERATED_SHOW)[number];

/** Lab results: what was measured (a candidate at a version, default its latest; or a catalog product). */
const labResultId = z.number().int().positive();
const labProperty = z.string().trim().min(1, 'the property name is empty').max(100);
const labUnit = z.string().trim().max(40);
const labDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'not a calendar date');
const labSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('candidate'), candidateId: z.number().int().positive(), version: z.number().int().positive().optional() }).strict(),
  z.object({ kind: z.literal('product'), productId: z.number().int().positive() }).strict(),
]);

export const apiSchemas = {
  getStatus: z.undefined(),
  getActivity: z.undefined(),
  cancelActivity: z.object({ id: z.number().int().positive() }).strict(),
  listCatalogs: z.undefined(),
  listProducts: z
    .object({
      search: z.string().max(200).optional(),
      category: z.string().max(200).optional(),
      brand: z.string().max(200).optional(),
      ingredient: z.string().max(300).optional(),
      catalogId: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).default(0),
    })
    .strict(),
  listCategories: z.undefined(),
  listBrands: z.undefined(),
  getProduct: z.object({ id: z.number().int().positive() }).strict(),
  lookupIngredient: z.object({ name: shortText(500) }).strict(),
  searchIngredients: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100).default(20) }).strict(),
  saveIngredient: ingredientKnowledgeSchema.extend({ id: z.number().int().positive().optional() }).strict(),
  importCatalog: z
    .object({
      path: shortText(4096),
      format: z.enum(['auto', 'csv', 'json']).default('auto'),
      mapping: columnMappingSchema.optional(),
      duplicates: duplicatePolicySchema.default('keep'),
      encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
      delimiter: z.enum([',', ';', '\t']).optional(),
      catalogName: z.string().max(200).optional(),
    })
    .strict(),
  chooseImportFile: z.undefined(),
  previewImport: z
    .object({
      path: shortText(4096),
      format: z.enum(['auto', 'csv', 'json']).default('auto'),
      mapping: columnMappingSchema.optional(),
      encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
      delimiter: z.enum([',', ';', '\t']).optional(),
    })
    .strict(),
  loadSampleCatalog: z.object({ duplicates: duplicatePolicySchema.default('merge') }).strict().default({ duplicates: 'merge' }),
  listModels: z.undefined(),
  getModel: z.object({ id: z.number().int().positive() }).strict(),
  activateModel: z.object({ id: z.number().int().positive() }).strict(),
  trainModel: z
    .object({
      preset: z.enum(['quick', 'full']).default('quick'),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
      name: z.string().trim().min(1).max(200).optional(),
      catalogIds: z.array(z.number().int().positive()).max(1000).optional(),
      benefitSources: z.array(z.enum(['imported', 'knowledge'])).min(1).max(2).optional(),
      activate: z.boolean().default(true),
    })
    .strict(),
  encodeLists: z
    .object({
      declarations: z.array(z.string().max(20_000)).max(10_000).optional(),
      productIds: z.array(z.number().int().positive()).max(100_000).optional(),
    })
    .strict()
    .refine((a) => (a.declarations?.length ?? 0) + (a.productIds?.length ?? 0) > 0, { message: 'give declarations or productIds' }),
  decodeCodes: z.object({ codes: z.array(z.array(z.number().finite()).min(1).max(1024)).min(1).max(10_000) }).strict(),
  neighbours: z
    .object({
      productId: z.number().int().positive().optional(),
      declaration: z.string().min(1).max(20_000).optional(),
      candidate: z.object({ runId: z.number().int().positive(), rank: z.number().int().positive() }).strict().optional(),
      k: z.number().int().min(1).max(100).default(10),
    })
    .strict()
    .refine((a) => [a.productId, a.declaration, a.candidate].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of productId, declaration or candidate' }),
  whitespace: z
    .object({
      k: z.number().int().min(1).max(500).default(10),
      bandwidth: z.number().positive().max(100).optional(),
      bandwidthMethod: z.enum(['scott', 'cross-validation']).default('scott'),
      /** How many gaps between supported products to find and decode (0: none). */
      gaps: z.number().int().min(0).max(100).default(0),
    })
    .strict()
    .default({ k: 10, bandwidthMethod: 'scott', gaps: 0 }),
  interpolate: z
    .object({
      fromProductId: z.number().int().positive(),
      toProductId: z.number().int().positive(),
      steps: z.number().int().min(2).max(50).default(7),
      method: z.enum(['linear', 'slerp']).default('linear'),
    })
    .strict(),
  sensitivity: z
    .object({
      baseCount: z.number().int().min(5).max(500).default(40),
      resamples: z.number().int().min(1).max(100).default(8),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    })
    .strict()
    .default({ baseCount: 40, resamples: 8, seed: 1 }),
  generate: z
    .object({
      n: z.number().int().min(1).max(200_000).default(10_000),
      k: z.number().int().min(1).max(20_000).default(1_000),
      temperature: z.number().positive().max(5).default(1),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
      centreProductId: z.number().int().positive().optional(),
      densityFloorQuantile: z.number().min(0).max(0.99).default(0.05),
      minNovelty: z.number().min(0).max(1).default(0.3),
      minPlausibility: z.number().min(0).max(1).default(0.5),
      benefitThresholds: z.record(z.string().max(200), z.number().finite()).default({}),
      shortlist: z.number().int().min(1).max(1000).default(50),
      baselines: z.boolean().default(false),
    })
    .strict()
    .refine((a) => a.n >= a.k, { message: 'N (samples) must be at least K (candidates to decode)', path: ['n'] }),
  density: z
    .object({ productId: z.number().int().positive().optional(), declaration: z.string().min(1).max(20_000).optional() })
    .strict()
    .refine((a) => (a.productId === undefined) !== (a.declaration === undefined), { message: 'give exactly one of productId or declaration' }),
  latentMap: z
    .object({
      method: z.enum(['pca', 'umap']).default('pca'),
      components: z.tuple([z.number().int().min(0).max(1023), z.number().int().min(0).max(1023)]).default([0, 1]),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    })
    .strict()
    .default({ method: 'pca', components: [0, 1], seed: 1 }),
  saveCandidate: z
    .object({
      /** Add a version to this candidate; without it a new candidate is created. */
      id: candidateId.optional(),
      name: shortText(200).optional(),
      /** The list as ingredient ids, most concentrated first… */
      ingredientIds: z.array(z.number().int().positive()).min(1, 'an ingredient list needs at least one ingredient').max(MAX_CANDIDATE_INGREDIENTS).optional(),
      /** …or as a declaration ("Water, Glycerin, …") read through the ingredient lexicon. */
      declaration: z.string().max(20_000).optional(),
      changeNote: candidateChangeNote,
      notes: candidateNotes.optional(),
      tags: candidateTags.optional(),
      status: candidateStatus.optional(),
      rating: candidateRating.optional(),
      scores: candidateScores.default({}),
      reasons: z.array(z.string().max(1000)).max(200).default([]),
      provenance: candidateProvenanceSchema.default(MANUAL_PROVENANCE),
    })
    .strict()
    .refine((a) => (a.ingredientIds === undefined) !== (a.declaration === undefined), { message: 'give exactly one of ingredientIds or declaration' })
    .refine((a) => a.id !== undefined || a.name !== undefined, { message: 'a new candidate needs a name', path: ['name'] }),
  saveGeneratedCandidate: z
    .object({
      runId: z.number().int().positive(),
      rank: z.number().int().positive(),
      /** Add the generated list as a new version of this candidate instead of creating one. */
      id: candidateId.optional(),
      name: shortText(200).optional(),
      changeNote: candidateChangeNote,
      notes: candidateNotes.optional(),
      tags: candidateTags.optional(),
      status: candidateStatus.optional(),
      rating: candidateRating.optional(),
    })
    .strict(),
  listCandidates: z
    .object({
      /** Text contained in the name or the notes (case-insensitive). */
      search: z.string().max(200).optional(),
      tag: candidateTag.optional(),
      status: candidateStatus.optional(),
      minRating: z.number().int().min(0).max(5).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).default(0),
    })
    .strict()
    .default({ limit: 200, offset: 0 }),
  getCandidate: z.object({ id: candidateId }).strict(),
  updateCandidate: z
    .object({ id: candidateId, name: shortText(200).optional(), notes: candidateNotes.optional(), tags: candidateTags.optional(), status: candidateStatus.optional(), rating: candidateRating.optional() })
    .strict()
    .refine((a) => [a.name, a.notes, a.tags, a.status, a.rating].some((x) => x !== undefined), { message: 'give at least one of name, notes, tags, status or rating to change' }),
  deleteCandidate: z.object({ id: candidateId }).strict(),
  compareCandidates: z
    .object({
      a: candidateId,
      b: candidateId,
      /** Versions to compare (default: each candidate's latest); a = b with two versions compares a candidate's history. */
      versionA: z.number().int().positive().optional(),
      versionB: z.number().int().positive().optional(),
    })
    .strict(),
  exportCandidatesCsv: z
    .object({ ids: z.array(candidateId).min(1).max(10_000).optional(), path: shortText(4096) })
    .strict(),
  candidatesCsv: z.object({ ids: z.array(candidateId).min(1).max(10_000).optional() }).strict().default({}),
  scoreList: z
    .object({
      /** The list as typed, most concentrated first: names are read like a declaration's items… */
      ingredients: z.array(z.string().trim().min(1, 'an ingredient name is empty').max(500)).max(MAX_CANDIDATE_INGREDIENTS).optional(),
      /** …or ingredient ids. */
      ingredientIds: z.array(z.number().int().positive()).max(MAX_CANDIDATE_INGREDIENTS).optional(),
      /** How many nearest catalog products to give, by latent distance and by overlap. */
      k: z.number().int().min(1).max(50).default(5),
    })
    .strict()
    .refine((a) => (a.ingredients === undefined) !== (a.ingredientIds === undefined), { message: 'give exactly one of ingredients or ingredientIds' }),
  parseDeclaration: z.object({ text: z.string().max(20_000) }).strict(),
  editorSource: z
    .object({
      productId: z.number().int().positive().optional(),
      candidateId: candidateId.optional(),
      /** With candidateId: this version instead of the latest. */
      version: z.number().int().positive().optional(),
      generated: z.object({ runId: z.number().int().positive(), rank: z.number().int().positive() }).strict().optional(),
    })
    .strict()
    .refine((a) => [a.productId, a.candidateId, a.generated].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of productId, candidateId or generated' })
    .refine((a) => a.version === undefined || a.candidateId !== undefined, { message: 'a version needs a candidateId', path: ['version'] }),
  listGeneratedCandidates: z
    .object({
      runId: z.number().int().positive(),
      show: z.enum(GENERATED_SHOW).default('all'),
      sortBy: z.union([z.enum(GENERATED_SORT_COLUMNS), z.templateLiteral(['benefit:', z.string().min(1).max(200)])]).default('rank'),
      /** Default: rank ascending (best first), every other column descending (highest first). */
      descending: z.boolean().optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).default(0),
    })
    .strict(),
  chooseExportPath: z
    .object({ defaultName: z.string().trim().min(1).max(200).regex(/^[^/\\]+$/, 'a file name, not a path').default('shortlist.csv') })
    .strict()
    .default({ defaultName: 'shortlist.csv' }),
  mapProducts: z.undefined(),
  latentStatistics: z.undefined(),
  projectCodes: z
    .object({
      codes: z.array(z.array(z.number().finite()).min(1).max(1024)).min(1).max(1000),
      /** The map to place them on: PCA (these components) or the UMAP of this seed, as `latentMap` drew it. */
      method: z.enum(['pca', 'umap']).default('pca'),
      components: z.tuple([z.number().int().min(0).max(1023), z.number().int().min(0).max(1023)]).default([0, 1]),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    })
    .strict(),
  mapGenerated: z
    .object({
      /** A run of the active model; without it, the active model's latest run. */
      runId: z.number().int().positive().optional(),
      method: z.enum(['pca', 'umap']).default('pca'),
      components: z.tuple([z.number().int().min(0).max(1023), z.number().int().min(0).max(1023)]).default([0, 1]),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
      /** How many of the run's passing candidates, best first. */
      limit: z.number().int().min(1).max(1000).default(50),
    })
    .strict()
    .default({ method: 'pca', components: [0, 1], seed: 1, limit: 50 }),
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
          floorQuantile: z.number().min(0).max(1).default(0.25),
          radiusQuantile: z.number().min(0).max(1).default(0.95),
          weight: z.number().min(0).max(1000).default(10),
        })
        .strict()
        .default({ kind: 'density', floorQuantile: 0.25, radiusQuantile: 0.95, weight: 10 }),
      start: z
        .discriminatedUnion('kind', [
          /** Draws from the normal fitted to the catalog's codes. */
          z.object({ kind: z.literal('random'), seed: z.number().int().min(0).max(2 ** 31 - 1).default(1) }).strict(),
          z.object({ kind: z.literal('product'), productId: z.number().int().positive(), seed: z.number().int().min(0).max(2 ** 31 - 1).default(1) }).strict(),
          z.object({ kind: z.literal('candidate'), candidateId, version: z.number().int().positive().optional(), seed: z.number().int().min(0).max(2 ** 31 - 1).default(1) }).strict(),
        ])
        .default({ kind: 'random', seed: 1 }),
      /** Starts run side by side; with a product or candidate, the first is its code and the others jitter around it. */
      restarts: z.number().int().min(1).max(64).default(8),
      maxSteps: z.number().int().min(1).max(5000).default(300),
      learningRate: z.number().min(1e-4).max(1).default(0.05),
      /** Share of the benefit terms read through the soft decode–encode cycle (what the decoded list will predict) rather than at the code itself. */
      cycleWeight: z.number().min(0).max(1).default(0.5),
      /** Every this many steps each code is projected: decoded, and the list encoded again; the search goes on from there. */
      projectEvery: z.number().int().min(1).max(1000).default(25),
      /** The generate job's checks the final lists must pass. */
      minNovelty: z.number().min(0).max(1).default(0.3),
      minPlausibility: z.number().min(0).max(1).default(0.5),
    })
    .strict(),
  addLabResult: z
    .object({
      subject: labSubject,
      property: labProperty,
      value: z.number().finite().refine((v) => Math.abs(v) < 1e300, 'the value is too large'),
      unit: labUnit.default(''),
      /** The day it was measured (YYYY-MM-DD); default today. */
      measuredOn: labDate.optional(),
      notes: z.string().max(5000).default(''),
    })
    .strict(),
  updateLabResult: z
    .object({
      id: labResultId,
      property: labProperty.optional(),
      value: z.number().finite().refine((v) => Math.abs(v) < 1e300, 'the value is too large').optional(),
      unit: labUnit.optional(),
      measuredOn: labDate.optional(),
      notes: z.string().max(5000).optional(),
    })
    .strict()
    .refine((a) => [a.property, a.value, a.unit, a.measuredOn, a.notes].some((x) => x !== undefined), { message: 'give at least one of property, value, unit, measuredOn or notes to change' }),
  deleteLabResult: z.object({ id: labResultId }).strict(),
  listLabResults: z
    .object({
      candidateId: candidateId.optional(),
      productId: z.number().int().positive().optional(),
      /** Exact property name (case-insensitive). */
      property: labProperty.optional(),
      limit: z.number().int().min(1).max(5000).default(500),
      offset: z.number().int().min(0).default(0),
    })
    .strict()
    .default({ limit: 500, offset: 0 }),
  labProperties: z.undefined(),
  labResultsCsv: z.object({ ids: z.array(labResultId).min(1).max(100_000).optional(), property: labProperty.optional() }).strict().default({}),
  exportLabResultsCsv: z.object({ path: shortText(4096), ids: z.array(labResultId).min(1).max(100_000).optional(), property: labProperty.optional() }).strict(),
  proposeBatch: z
    .object({
      /** The measured property to optimise (at least two results needed, all in one unit). */
      property: labProperty,
      goal: z.enum(['maximize', 'minimize']).default('maximize'),
      /** Formulations to propose at once (spread by the kriging believer). */
      batch: z.number().int().min(1).max(8).default(4),
      /** λ of the prior penalty on the acquisition: log EI − λ·½‖z‖². */
      priorWeight: z.number().min(0).max(100).default(0.05),
      /** EI's exploration margin, in standard deviations of the measured values. */
      xi: z.number().min(0).max(10).default(0.01),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
      minNovelty: z.number().min(0).max(1).default(0.3),
      minPlausibility: z.number().min(0).max(1).default(0.5),
    })
    .strict(),
  getDatabaseStatus: z.undefined(),
  backupNow: z.undefined(),
  restoreBackup: z
    .object({
      /** A file name exactly as `getDatabaseStatus` lists it in `backups`; anything else is refused. */
      file: z
        .string()
        .min(1)
        .max(255)
        .regex(/^[^/\\\0]+$/, 'a backup file name as listed by getDatabaseStatus, not a path'),
    })
    .strict(),
  dismissRecovery: z.undefined(),
} satisfies Record<ApiMethod, z.ZodType>;

export type ApiArgs = { [M in ApiMethod]: z.input<(typeof apiSchemas)[M]> };
export type ApiParsedArgs = { [M in ApiMethod]: z.output<(typeof apiSchemas)[M]> };

export interface AppStatus {
  databasePath: string;
  schemaVersion: number;
  productCount: number;
  catalogCount: number;
  ingredientCount: number;
  knowledgeBaseEntries: number;
  /** True on a fresh database: the UI offers the sample catalog. */
  empty: boolean;
  appVersion: string;
  /** The active model, with the TensorFlow.js backend it was trained on. */
  activeModel: { id: number; name: string; backend: string; heldOutJaccard: number } | null;
}

export interface ProductPage {
  total: number;
  items: ProductSummary[];
}

export interface IngredientLookup {
  query: string;
  match: IngredientRecord | null;
  matchedBy: 'canonical' | 'synonym' | 'misspelling' | 'parsed' | null;
  /** Closest known names when there is no exact match (never merged silently). */
  suggestions: string[];
  /** How many catalog products list it. */
  productCount: number;
}

export interface ImportRejection {
  line: number;
  code: string;
  reason: string;
  name: string;
}

export interface ImportDuplicate {
  line: number;
  name: string;
  kind: 'same-brand-and-name' | 'same-ingredients';
  duplicateOf: string;
  action: 'kept' | 'merged';
}

export interface ImportReport {
  catalogId: number | null;
  source: string;
  format: 'csv' | 'json';
  encoding: string;
  delimiter: string | null;
  mapping: Required<Pick<ColumnMapping, 'ingredients'>> & ColumnMapping;
  rowsRead: number;
  /** Rows imported = rows inserted as products + rows merged into an existing duplicate. */
  rowsImported: number;
  productsInserted: number;
  rowsMerged: number;
  rowsRejected: number;
  /** The first 10,000 rejected rows; `rowsRejected` counts them all. */
  rejected: ImportRejection[];
  rejectedByReason: Record<string, number>;
  /** The first 1,000 duplicates; `duplicateCount` counts them all. */
  duplicates: ImportDuplicate[];
  duplicateCount: number;
  warningCounts: Record<string, number>;
  /** The first warnings, each with its line. */
  warnings: { line: number; message: string }[];
  unknownIngredients: { name: string; occurrences: number; suggestion: string | null }[];
  ingredientOccurrences: number;
  knownOccurrences: number;
  elapsedMs: number;
}

export interface ImportPreview {
  format: 'csv' | 'json';
  encoding: string;
  delimiter: string | null;
  header: string[];
  /** The first rows, each cell cut to 300 characters. */
  rows: string[][];
  /** How the columns would be read (the mapping given applied), or null with `problem`. */
  mapping: (Required<Pick<ColumnMapping, 'ingredients'>> & ColumnMapping & { benefits: string[]; extra: string[] }) | null;
  problem: string | null;
}

export interface EncodedLists {
  modelId: number;
  codes: number[][];
  /** Per list: ingredients the model's vocabulary does not know (they do not shape the code). */
  unknownCounts: number[];
}

export interface DecodedLists {
  modelId: number;
  lists: { ingredients: string[] }[];
}

export interface NeighbourEntry {
  productId: number;
  name: string;
  brand: string;
  /** Distance between whitened latent codes (Mahalanobis distance of the raw codes). */
  distance: number | null;
  jaccard: number;
  weightedJaccard: number;
  shared: string[];
  onlyInQuery: string[];
  onlyInProduct: string[];
}

export interface NeighboursResult {
  modelId: number;
  query: { productId: number | null; ingredients: string[] };
  /** The k nearest catalog products in latent space. */
  byLatent: NeighbourEntry[];
  /** The k catalog products with the highest position-weighted ingredient overlap. */
  byOverlap: NeighbourEntry[];
}

export interface WhitespaceResult {
  modelId: number;
  products: number;
  bandwidth: number;
  bandwidthRule: string;
  /** With cross-validation: each candidate bandwidth and its mean leave-one-out log density. */
  bandwidthScores?: { bandwidth: number; meanLogDensity: number }[];
  /** Leave-one-out log densities of the catalog: 5th, 50th and 95th percentiles. */
  logDensityPercentiles: { p5: number; p50: number; p95: number };
  /** The k products in the sparsest regions (candidate outliers), sparsest first. */
  sparsest: { productId: number; name: string; brand: string; logDensity: number }[];
  /**
   * Whitespace between supported products: midpoints of neighbouring, well-supported products
   * (both above the 25th density percentile) where the density dips below both ends, deepest
   * dip first, each decoded to its most likely list.
   */
  gaps: {
    between: [{ productId: number; name: string }, { productId: number; name: string }];
    midpointLogDensity: number;
    depth: number;
    ingredients: string[];
    benefits: Record<string, number>;
  }[];
}

export interface DensityResult {
  modelId: number;
  /** Log density under the catalog KDE (leave-one-out for a catalog product), Scott's bandwidth. */
  logDensity: number;
  /** Share of catalog products with a lower (leave-one-out) density: 0 = sparser than all. */
  percentile: number;
  bandwidth: number;
}

export interface LatentMap {
  modelId: number;
  method: 'pca' | 'umap';
  /** PCA: the two components shown and the share of variance each explains (null for UMAP). */
  components: [number, number] | null;
  explained: [number, number] | null;
  points: { productId: number; x: number; y: number }[];
}

export interface InterpolationResult {
  modelId: number;
  method: 'linear' | 'slerp';
  steps: { t: number; code: number[]; ingredients: string[]; benefits: Record<string, number> }[];
}

export interface SensitivityReport {
  modelId: number;
  baseCount: number;
  resamples: number;
  seed: number;
  decodes: number;
  elapsedMs: number;
  /** Dimensions ordered by sensitivity (N(0, 1) resampling), most sensitive first. */
  dimensions: {
    dimension: number;
    variance: number;
    /** Mean number of ingredients changed when the dimension is resampled from N(0, 1) / from the catalog. */
    sensitivityNormal: number;
    sensitivityEmpirical: number;
    /** Pearson correlations of this dimension with every other one, over the catalog's codes. */
    correlations: number[];
  }[];
}

export interface GeneratedCandidateView {
  rank: number;
  ingredients: string[];
  passed: boolean;
  score: number;
  novelty: number;
  plausibility: number;
  logDensity: number;
  benefits: Record<string, number>;
  nearestProduct: { id: number; name: string } | null;
  reasons: string[];
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
}

/** One page of a stored run's decoded candidates; `total` counts every candidate shown by the filter. */
export interface GeneratedCandidatePage {
  runId: number;
  total: number;
  items: GeneratedCandidateView[];
}

/** One ingredient of a saved list; its position is its index + 1. */
export interface CandidateIngredient {
  ingredientId: number;
  inci: string;
}

/** A saved candidate with its latest version. */
export interface CandidateSummary {
  id: number;
  name: string;
  notes: string;
  tags: string[];
  status: CandidateStatus;
  rating: number | null;
  createdAt: string;
  /** Last change of the metadata or the list. */
  updatedAt: string;
  /** The latest version's number (versions count from 1), when it was saved, and its contents. */
  version: number;
  versionSavedAt: string;
  ingredients: CandidateIngredient[];
  scores: Record<string, number>;
  provenance: CandidateProvenance;
}

/** One saved version of a candidate's list. */
export interface CandidateVersion {
  version: number;
  createdAt: string;
  changeNote: string;
  ingredients: CandidateIngredient[];
  /** Scores captured when the version was saved (predicted benefits, novelty, plausibility…). */
  scores: Record<string, number>;
  /** Notes from the checks that ran on the list (for generated lists: the generation's reasons). */
  reasons: string[];
  provenance: CandidateProvenance;
}

/** A candidate with its whole history, oldest version first. */
export interface CandidateDetail extends CandidateSummary {
  versions: CandidateVersion[];
}

/** One page of saved candidates; `total` counts every match. */
export interface CandidatePage {
  total: number;
  items: CandidateSummary[];
}

/** An ingredient in both compared lists, with its 1-based position in each. */
export interface ComparedIngredient extends CandidateIngredient {
  positionA: number;
  positionB: number;
}

/** How candidate B's list differs from A's, and their scores side by side. */
export interface CandidateComparison {
  a: { id: number; name: string; version: number; ingredients: CandidateIngredient[] };
  b: { id: number; name: string; version: number; ingredients: CandidateIngredient[] };
  /** In A's order. */
  shared: ComparedIngredient[];
  onlyInA: (CandidateIngredient & { position: number })[];
  onlyInB: (CandidateIngredient & { position: number })[];
  /** The fewest shared ingredients that must move to turn A's order into B's. */
  moved: ComparedIngredient[];
  jaccard: number;
  weightedJaccard: number;
  /** Every score name in either version, sorted; null where a version has no such score. */
  scores: { name: string; a: number | null; b: number | null }[];
}

/** What `deleteCandidate` removed. */
export interface DeletedCandidate {
  id: number;
  name: string;
  versions: number;
}

export type ActivityKind = 'train' | 'generate' | 'sensitivity' | 'map' | 'import' | 'optimize' | 'propose';

/** One long operation: what it is, how far it got, and (training) its losses per epoch. */
export interface ActivityView {
  id: number;
  kind: ActivityKind;
  label: string;
  startedAt: string;
  elapsedMs: number;
  /** The current stage (e.g. 'training', 'decode'), null before the first report. */
  stage: string | null;
  done: number;
  total: number;
  losses: { epoch: number; train: number; validation: number }[];
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Why it failed or was cancelled. */
  message: string | null;
}

export interface ActivityState {
  running: ActivityView[];
  /** The last few finished, most recent first. */
  finished: ActivityView[];
}

/** One item of a list scored for the editor. */
export interface ScoredIngredient {
  /** 1-based position in the list as given. */
  position: number;
  /** The name as given (for ids: the ingredient's INCI name). */
  given: string;
  ingredientId: number | null;
  /** The canonical INCI name when the ingredient is known. */
  inci: string | null;
  /**
   * `known`: in the knowledge base; `catalog-only`: seen in an imported catalog but without
   * knowledge-base facts (no functions, no concentration class); `unknown`: neither.
   */
  status: 'known' | 'catalog-only' | 'unknown';
  /** For an unknown or catalog-only name: the closest knowledge-base names ("did you mean …?"). */
  suggestions: string[];
  /** 1-based position of the earlier item this one repeats (a list holds each ingredient once), or null. */
  repeatOf: number | null;
  /** Whether the active model has a token of its own for it (null without a model); others are read as a rare-ingredient bucket, if at all. */
  inModel: boolean | null;
  functions: IngredientFunction[];
  concentration: ConcentrationClass;
}

/** An ordering problem of a scored list, naming the ingredients concerned by 1-based position. */
export interface ListOrderingWarning {
  kind: 'reversed-pair' | 'one-percent-rule' | 'base-not-first';
  positions: number[];
  message: string;
}

/** Everything the editor shows about a list, recomputed after each edit (see `scoreList`). */
export interface ListScore {
  ingredients: ScoredIngredient[];
  /** The model that predicted the benefits and placed the list in latent space, if any. */
  model: { id: number; name: string } | null;
  /** Predicted benefits (probability for 0/1 flags, original units for scores); null when no model ran, see `modelProblem`. */
  benefits: { name: string; kind: 'flag' | 'score'; value: number }[] | null;
  /**
   * Why there are no benefits or latent neighbours: `no-model` (none trained or active),
   * `compute-busy` (a long job holds the compute process), `no-codes`, `empty-list`, or a
   * compute failure's code.
   */
  modelProblem: { code: string; message: string } | null;
  /** Mean catalog support of the list's pairwise order (0–1) over the ingredients the catalog knows, and the catalog's own median. */
  plausibility: { score: number; catalogMedian: number };
  /** Ordering warnings, strongest first (at most 200; `orderingWarningCount` counts them all). */
  ordering: ListOrderingWarning[];
  orderingWarningCount: number;
  /** Preservation, emulsification, length and incompatible combinations. */
  structure: { ok: boolean; reasons: string[] };
  /** 1 − the highest ingredient-set Jaccard to any catalog product (0: the list of an existing product). */
  novelty: { value: number; nearest: { productId: number; name: string; brand: string; jaccard: number } | null };
  /** Nearest catalog products; `byLatent` is null without a model. */
  neighbours: { byLatent: NeighbourEntry[] | null; byOverlap: NeighbourEntry[] };
  /** Time spent in the service, of which in the compute process (null: not called, or answered from the cache). */
  timingsMs: { total: number; compute: number | null };
}

/** A pasted declaration read into ingredient names for the editor. */
export interface ParsedDeclarationView {
  ingredients: { name: string; raw: string; ingredientId: number | null; known: boolean; percent: number | null }[];
  /** Items of a "may contain" section, left out of the list. */
  mayContain: string[];
  /** What the parser changed or could not read (dropped labels, repeats, unknown names). */
  warnings: string[];
}

/** A list to open in the editor, with where it came from. */
export interface EditorSource {
  /** What to call it: the product's or candidate's name, or "Run 3 #5". */
  title: string;
  ingredients: CandidateIngredient[];
  /** Provenance for a list saved from it (a candidate's: that version's). */
  provenance: CandidateProvenance;
  /** For a candidate: the whole candidate and the version opened. */
  candidate: CandidateDetail | null;
  version: number | null;
}

/** The contract every implementation (services, IPC proxy, HTTP proxy) fulfils. */
export interface Api {
  getStatus(): Promise<AppStatus>;
  /** Long operations in progress (with progress and training losses) and the last few finished. */
  getActivity(): Promise<ActivityState>;
  /** Asks a running long operation to stop; `cancelled` is false when it had already finished. */
  cancelActivity(args: ApiArgs['cancelActivity']): Promise<{ cancelled: boolean }>;
  listCatalogs(): Promise<CatalogSummary[]>;
  listProducts(args: ApiArgs['listProducts']): Promise<ProductPage>;
  listCategories(): Promise<{ category: string; count: number }[]>;
  /** Brands with their product counts, most products first, for the catalog's brand filter. */
  listBrands(): Promise<{ brand: string; count: number }[]>;
  getProduct(args: ApiArgs['getProduct']): Promise<ProductDetail>;
  lookupIngredient(args: ApiArgs['lookupIngredient']): Promise<IngredientLookup>;
  searchIngredients(args: ApiArgs['searchIngredients']): Promise<IngredientRecord[]>;
  saveIngredient(args: ApiArgs['saveIngredient']): Promise<IngredientRecord>;
  importCatalog(args: ApiArgs['importCatalog']): Promise<ImportReport>;
  /**
   * Asks the person for a catalog file with the system's Open dialog (desktop app only; null when
   * they cancel). Only a path chosen this way may be previewed or imported over IPC.
   */
  chooseImportFile(): Promise<{ path: string } | null>;
  /** The head of a catalog file read the way the import would, without writing anything. */
  previewImport(args: ApiArgs['previewImport']): Promise<ImportPreview>;
  loadSampleCatalog(args?: ApiArgs['loadSampleCatalog']): Promise<ImportReport>;
  listModels(): Promise<ModelRecord[]>;
  getModel(args: ApiArgs['getModel']): Promise<ModelRecord>;
  activateModel(args: ApiArgs['activateModel']): Promise<ModelRecord>;
  trainModel(args: ApiArgs['trainModel']): Promise<ModelRecord>;
  encodeLists(args: ApiArgs['encodeLists']): Promise<EncodedLists>;
  decodeCodes(args: ApiArgs['decodeCodes']): Promise<DecodedLists>;
  neighbours(args: ApiArgs['neighbours']): Promise<NeighboursResult>;
  whitespace(args?: ApiArgs['whitespace']): Promise<WhitespaceResult>;
  latentMap(args?: ApiArgs['latentMap']): Promise<LatentMap>;
  interpolate(args: ApiArgs['interpolate']): Promise<InterpolationResult>;
  sensitivity(args?: ApiArgs['sensitivity']): Promise<SensitivityReport>;
  generate(args?: ApiArgs['generate']): Promise<GenerateReport>;
  density(args: ApiArgs['density']): Promise<DensityResult>;
  /** Saves a new candidate, or a new version of candidate `id`; the whole write or nothing. */
  saveCandidate(args: ApiArgs['saveCandidate']): Promise<CandidateDetail>;
  /** Saves a stored generated candidate (run and rank) with its scores, reasons and provenance. */
  saveGeneratedCandidate(args: ApiArgs['saveGeneratedCandidate']): Promise<CandidateDetail>;
  listCandidates(args?: ApiArgs['listCandidates']): Promise<CandidatePage>;
  getCandidate(args: ApiArgs['getCandidate']): Promise<CandidateDetail>;
  /** Changes name, notes, tags, status or rating; the list and its versions stay as they are. */
  updateCandidate(args: ApiArgs['updateCandidate']): Promise<CandidateSummary>;
  /** Deletes a candidate with all its versions. */
  deleteCandidate(args: ApiArgs['deleteCandidate']): Promise<DeletedCandidate>;
  compareCandidates(args: ApiArgs['compareCandidates']): Promise<CandidateComparison>;
  /** Writes the candidates (all when `ids` is omitted) as CSV to `path`, atomically. */
  exportCandidatesCsv(args: ApiArgs['exportCandidatesCsv']): Promise<{ path: string; rows: number }>;
  /** The same CSV as text, for a browser download. */
  candidatesCsv(args?: ApiArgs['candidatesCsv']): Promise<{ csv: string; rows: number }>;
  /**
   * Live scores of a list for the editor: each item resolved (unknown ones flagged with
   * suggestions), predicted benefits, ordering warnings, plausibility against the catalog,
   * structure, novelty and the nearest catalog products. Caches make a re-score after an edit cheap.
   */
  scoreList(args: ApiArgs['scoreList']): Promise<ListScore>;
  /** Reads a pasted declaration into ingredient names (the import's parser); refuses text that is no ingredient list. */
  parseDeclaration(args: ApiArgs['parseDeclaration']): Promise<ParsedDeclarationView>;
  /** The list of a catalog product, a saved candidate (any version) or a generated candidate, to open in the editor. */
  editorSource(args: ApiArgs['editorSource']): Promise<EditorSource>;
  /**
   * A stored run's decoded candidates (passed and rejected, each with its reasons), filtered,
   * sorted (ties by rank) and paged; ranks are those `saveGeneratedCandidate` takes.
   */
  listGeneratedCandidates(args: ApiArgs['listGeneratedCandidates']): Promise<GeneratedCandidatePage>;
  /**
   * Asks where to write an export with the desktop app's Save dialog and allows
   * `exportCandidatesCsv` to write there; null when the dialog was cancelled. Only the Electron
   * shell can answer: elsewhere it fails with `unsupported` (use `candidatesCsv`).
   */
  chooseExportPath(args?: ApiArgs['chooseExportPath']): Promise<{ path: string } | null>;
  /** Names, top ingredients, benefit scores and latent density of every product on the map. */
  mapProducts(): Promise<MapProducts>;
  /** Per-dimension variance and PCA explained shares of the active model's catalog codes. */
  latentStatistics(): Promise<LatentStatisticsView>;
  /** Places arbitrary codes (interpolation steps, candidates) on the map: PCA, or a UMAP (its fit reused, the codes placed by its transform). */
  projectCodes(args: ApiArgs['projectCodes']): Promise<ProjectedCodes>;
  /** The best passing candidates of a generate run (default: the active model's latest), on the PCA or UMAP map; null when there is no run. */
  mapGenerated(args?: ApiArgs['mapGenerated']): Promise<MapGenerated | null>;
  /**
   * Gradient optimisation of latent codes against the benefit heads, with the prior penalty and
   * the manifold guard, from random draws, a product or a saved candidate; every restart's path
   * decoded, and each final list judged: targets met, still met when encoded again, checks passed.
   */
  optimize(args: ApiArgs['optimize']): Promise<OptimizationResult>;
  /** Records a measured result for a candidate (at a version) or a catalog product. */
  addLabResult(args: ApiArgs['addLabResult']): Promise<LabResult>;
  updateLabResult(args: ApiArgs['updateLabResult']): Promise<LabResult>;
  deleteLabResult(args: ApiArgs['deleteLabResult']): Promise<{ id: number }>;
  /** Results, newest measurement first, filtered by candidate, product or property. */
  listLabResults(args?: ApiArgs['listLabResults']): Promise<LabResultPage>;
  labProperties(): Promise<LabProperty[]>;
  /** Lab results as CSV text (all, or these ids, or one property). */
  labResultsCsv(args?: ApiArgs['labResultsCsv']): Promise<{ csv: string; rows: number }>;
  /** The same CSV written to `path` atomically (a path from `chooseExportPath` in the desktop app). */
  exportLabResultsCsv(args: ApiArgs['exportLabResultsCsv']): Promise<{ path: string; rows: number }>;
  /**
   * Bayesian optimisation from lab results: a GP (Matérn 5/2, ML-II) over the measured lists'
   * codes, and `batch` new lists proposed by expected improvement with the prior penalty over a
   * pool of decoded, checked lists, spread by the kriging believer; each with EI and mean ± sd.
   */
  proposeBatch(args: ApiArgs['proposeBatch']): Promise<BatchProposalResult>;
  /** The start-up check's finding (a damaged database moved to the quarantine, until the person decides) and the backups. */
  getDatabaseStatus(): Promise<DatabaseStatus>;
  /** Writes a backup now with SQLite's online backup API, checked before it is listed. */
  backupNow(): Promise<DatabaseBackup>;
  /**
   * Replaces the database with one of the listed backups: the backup is checked, the current
   * files are moved into the quarantine (never deleted), and the app continues on the restored data.
   */
  restoreBackup(args: ApiArgs['restoreBackup']): Promise<RestoredBackup>;
  /** The person keeps the new database after a damaged one was moved aside: the notice goes away (the quarantined files stay). */
  dismissRecovery(): Promise<{ dismissed: number }>;
}

/** A backup file of the database, with what it holds. */
export interface DatabaseBackup {
  /** The file name in the backups folder (what `restoreBackup` takes). */
  file: string;
  /** `rolling`: taken automatically (the newest few are kept); `manual`: "Back up now"; `pre-migration`: before a schema upgrade. */
  kind: 'rolling' | 'manual' | 'pre-migration';
  createdAt: string;
  bytes: number;
  /** False when the file cannot be read as a database (it cannot be restored). */
  readable: boolean;
  schemaVersion: number | null;
  /** Counts in the backup (null where its schema has no such table). */
  products: number | null;
  candidates: number | null;
}

/** A damaged database found at start-up and moved aside, while the person has not decided what to do. */
export interface DatabaseRecovery {
  /** The quarantine folder holding the files exactly as they were found. */
  quarantinedTo: string;
  reason: string;
  detectedAt: string;
  /** What SQLite's check reported (its lines, or the error that stopped it). */
  details: string[];
  files: { name: string; bytes: number; sha256: string }[];
}

export interface DatabaseStatus {
  databasePath: string;
  backupsFolder: string;
  recovery: DatabaseRecovery | null;
  /** Newest first. */
  backups: DatabaseBackup[];
  /** How many rolling backups are kept, and how often one is taken while the data changes. */
  policy: { keepRolling: number; intervalMinutes: number };
  /** The last automatic or manual backup of this session, with its time, or its error. */
  lastBackup: { at: string; file: string | null; ms: number; error: string | null } | null;
}

export interface RestoredBackup {
  file: string;
  /** Where the files that were in use went (the quarantine). */
  previousMovedTo: string;
  schemaVersion: number;
  products: number;
  candidates: number;
}

/** One catalog product as the latent map shows it (hover, colour, selection). */
export interface MapProduct {
  productId: number;
  name: string;
  brand: string;
  category: string;
  /** The first five ingredients of its list (without "may contain"), most concentrated first. */
  topIngredients: string[];
  ingredientCount: number;
  /** Benefit scores under the model's names: imported `hydration`, knowledge-based `kb:hydration`. */
  benefits: Record<string, number>;
  /** Leave-one-out log density under the catalog KDE in the full latent space (Scott's bandwidth). */
  logDensity: number;
}

/** Every product with a code under the active model, in the order of `latentMap`'s points. */
export interface MapProducts {
  modelId: number;
  /** Every benefit name some product has a score for, sorted. */
  benefitNames: string[];
  /** The KDE bandwidth behind `logDensity` (whitened units). */
  bandwidth: number;
  products: MapProduct[];
}

/** Summary statistics of the active model's catalog codes. */
export interface LatentStatisticsView {
  modelId: number;
  products: number;
  latentDim: number;
  /** Variance of each latent dimension over the catalog's codes (dimension order). */
  variance: number[];
  /** Share of the total variance along each principal component, largest first. */
  explained: number[];
}

/** Codes projected with the same PCA projection as `latentMap` (same mean, same axes). */
export interface ProjectedCodes {
  modelId: number;
  method: 'pca' | 'umap';
  /** The PCA components (null on a UMAP map). */
  components: [number, number] | null;
  points: { x: number; y: number }[];
}

/** A generate run's passing candidates placed on the map (PCA or UMAP). */
export interface MapGenerated {
  runId: number;
  modelId: number;
  createdAt: string;
  /** Candidates of the run that passed every check (the points are the best `limit` of them). */
  passed: number;
  method: 'pca' | 'umap';
  /** The PCA components (null on a UMAP map). */
  components: [number, number] | null;
  /** `rank` is the stored rank in the run (as `neighbours({ candidate })` and the editor take it). */
  points: { rank: number; x: number; y: number; score: number | null; ingredients: string[]; ingredientCount: number }[];
}

/** Error with a stable code that crosses the API boundary intact. */
export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** Validates arguments for `method`; throws ApiFailure('invalid-argument') naming the field. */
export function parseApiArgs<M extends ApiMethod>(method: M, args: unknown): ApiParsedArgs[M] {
  const result = apiSchemas[method].safeParse(args);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.length ? `field "${issue.path.join('.')}"` : 'the argument';
    throw new ApiFailure('invalid-argument', `${method}: ${where}: ${issue.message}`);
  }
  return result.data as ApiParsedArgs[M];
}

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
    /** Distance to the nearest catalog code (latent units). */
    nearestDistance: number;
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

/** One measured result on a formulation. */
export interface LabResult {
  id: number;
  subject: {
    kind: 'candidate' | 'product';
    /** Null once the candidate or product has been deleted (the result and its list stay). */
    candidateId: number | null;
    version: number | null;
    productId: number | null;
    /** The name it had when the result was recorded. */
    name: string;
  };
  /** The measured list, most concentrated first. */
  ingredientIds: number[];
  ingredients: string[];
  property: string;
  value: number;
  unit: string;
  measuredOn: string;
  notes: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabResultPage {
  items: LabResult[];
  total: number;
}

/** A measured property: how many results and formulations, in which units, and the range. */
export interface LabProperty {
  property: string;
  units: string[];
  results: number;
  formulations: number;
  min: number;
  max: number;
}

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
  timingsMs: { total: number; fit: number; search: number };
}

export interface OptimizationResult {
  modelId: number;
  terms: OptimizationTerm[];
  priorWeight: number;
  /** The guard as applied: the density floor (log density) or the radius (latent units), from the catalog quantile. */
  guard: { kind: 'density' | 'nearest-code'; quantile: number; floor: number | null; radius: number | null; weight: number } | null;
  restarts: OptimizationRestart[];
  /** Index of the best restart: successful ones first, then the lowest objective. */
  best: number;
  successes: number;
  timingsMs: { total: number; compute: number };
}
