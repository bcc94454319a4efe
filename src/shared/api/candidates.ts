import { z } from 'zod';
import { savedFormulaSchema } from './formula';
import { MAX_CANDIDATE_INGREDIENTS } from './common';
import { CANDIDATE_STATUSES, type CandidateStatus } from '../domain';
import { idSchema, shortText, type ArgsOf } from './common';
import type { ApiMethod } from './methods';

/** Saved candidates (the shortlist): versions, metadata, comparison and export. */

export { MAX_CANDIDATE_INGREDIENTS } from './common';

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
  modelId: idSchema.nullable().default(null),
  modelSha256: z.string().trim().min(1).max(128).nullable().default(null),
  /** Anything else worth keeping (seed, parameters, the optimiser's settings…), as JSON. */
  details: z.record(z.string().max(200), z.json()).default({}),
};

/** Where a saved list came from: a generation run and rank, an edited catalog product, an optimisation, or typed by hand. */
export const candidateProvenanceSchema = z
  .discriminatedUnion('source', [
    z.object({ source: z.literal('generated'), runId: idSchema, rank: idSchema, ...provenanceCommon }).strict(),
    z.object({ source: z.literal('edited-product'), productId: idSchema, ...provenanceCommon }).strict(),
    z.object({ source: z.literal('optimised'), ...provenanceCommon }).strict(),
    z.object({ source: z.literal('manual'), ...provenanceCommon }).strict(),
  ])
  .refine((p) => JSON.stringify(p.details).length <= 100_000, { message: 'provenance details are larger than 100,000 characters', path: ['details'] });

export type CandidateProvenance = z.output<typeof candidateProvenanceSchema>;

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

export const candidatesSchemas = {
  saveCandidate: z
    .object({
      /** Add a version to this candidate; without it a new candidate is created. */
      id: idSchema.optional(),
      name: shortText(200).optional(),
      /** The list as ingredient ids, most concentrated first… */
      ingredientIds: z.array(idSchema).min(1, 'an ingredient list needs at least one ingredient').max(MAX_CANDIDATE_INGREDIENTS).optional(),
      /** …or as a declaration ("Water, Glycerin, …") read through the ingredient lexicon. */
      declaration: z.string().max(20_000).optional(),
      changeNote: candidateChangeNote,
      notes: candidateNotes.optional(),
      tags: candidateTags.optional(),
      status: candidateStatus.optional(),
      rating: candidateRating.optional(),
      scores: candidateScores.default({}),
      reasons: z.array(z.string().max(1000)).max(200).default([]),
      provenance: candidateProvenanceSchema.prefault({ source: 'manual' }),
      /** A draft formula to keep with the version: one line per ingredient, 100 % in all (see the formula capability). */
      formula: savedFormulaSchema.optional(),
    })
    .strict()
    .refine((a) => (a.ingredientIds === undefined) !== (a.declaration === undefined), { message: 'give exactly one of ingredientIds or declaration' })
    .refine((a) => a.id !== undefined || a.name !== undefined, { message: 'a new candidate needs a name', path: ['name'] }),
  saveGeneratedCandidate: z
    .object({
      runId: idSchema,
      rank: idSchema,
      /** Add the generated list as a new version of this candidate instead of creating one. */
      id: idSchema.optional(),
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
  getCandidate: z.object({ id: idSchema }).strict(),
  updateCandidate: z
    .object({ id: idSchema, name: shortText(200).optional(), notes: candidateNotes.optional(), tags: candidateTags.optional(), status: candidateStatus.optional(), rating: candidateRating.optional() })
    .strict()
    .refine((a) => [a.name, a.notes, a.tags, a.status, a.rating].some((x) => x !== undefined), { message: 'give at least one of name, notes, tags, status or rating to change' }),
  deleteCandidate: z.object({ id: idSchema }).strict(),
  compareCandidates: z
    .object({
      a: idSchema,
      b: idSchema,
      /** Versions to compare (default: each candidate's latest); a = b with two versions compares a candidate's history. */
      versionA: idSchema.optional(),
      versionB: idSchema.optional(),
    })
    .strict(),
  exportCandidatesCsv: z
    .object({ ids: z.array(idSchema).min(1).max(10_000).optional(), path: shortText(4096) })
    .strict(),
  candidatesCsv: z.object({ ids: z.array(idSchema).min(1).max(10_000).optional() }).strict().default({}),
  exportCandidatesXlsx: z
    .object({ ids: z.array(idSchema).min(1).max(10_000).optional(), path: shortText(4096) })
    .strict(),
  candidatesXlsx: z.object({ ids: z.array(idSchema).min(1).max(10_000).optional() }).strict().default({}),
  chooseExportPath: z
    .object({ defaultName: z.string().trim().min(1).max(200).regex(/^[^/\\]+$/, 'a file name, not a path').default('shortlist.csv') })
    .strict()
    .default({ defaultName: 'shortlist.csv' }),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof candidatesSchemas>;

/** The candidates slice of the {@link Api}. */
export interface CandidatesApi {
  /** Saves a new candidate, or a new version of candidate `id`; the whole write or nothing. */
  saveCandidate(args: Args['saveCandidate']): Promise<CandidateDetail>;
  /** Saves a stored generated candidate (run and rank) with its scores, reasons and provenance. */
  saveGeneratedCandidate(args: Args['saveGeneratedCandidate']): Promise<CandidateDetail>;
  listCandidates(args?: Args['listCandidates']): Promise<CandidatePage>;
  getCandidate(args: Args['getCandidate']): Promise<CandidateDetail>;
  /** Changes name, notes, tags, status or rating; the list and its versions stay as they are. */
  updateCandidate(args: Args['updateCandidate']): Promise<CandidateSummary>;
  /** Deletes a candidate with all its versions. */
  deleteCandidate(args: Args['deleteCandidate']): Promise<DeletedCandidate>;
  compareCandidates(args: Args['compareCandidates']): Promise<CandidateComparison>;
  /** Writes the candidates (all when `ids` is omitted) as CSV to `path`, atomically. */
  exportCandidatesCsv(args: Args['exportCandidatesCsv']): Promise<{ path: string; rows: number }>;
  /** The same CSV as text, for a browser download. */
  candidatesCsv(args?: Args['candidatesCsv']): Promise<{ csv: string; rows: number }>;
  /** Writes the candidates as an Excel workbook (.xlsx) to `path`, atomically. */
  exportCandidatesXlsx(args: Args['exportCandidatesXlsx']): Promise<{ path: string; rows: number }>;
  /** The same workbook as base64, for a browser download. */
  candidatesXlsx(args?: Args['candidatesXlsx']): Promise<{ base64: string; rows: number }>;
  /**
   * Asks where to write an export with the desktop app's Save dialog and allows
   * `exportCandidatesCsv` to write there; null when the dialog was cancelled. Only the Electron
   * shell can answer: elsewhere it fails with `unsupported` (use `candidatesCsv`).
   */
  chooseExportPath(args?: Args['chooseExportPath']): Promise<{ path: string } | null>;
}
