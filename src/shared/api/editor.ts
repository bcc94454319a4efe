import { z } from 'zod';
import type { BriefViolation } from '../briefs/brief';
import { briefRequestFields } from './briefs';
import type { AppliedBrief } from './generate';
import type { ConcentrationClass, IngredientFunction } from '../domain';
import { MAX_CANDIDATE_INGREDIENTS, type CandidateDetail, type CandidateIngredient, type CandidateProvenance } from './candidates';
import type { IngredientLookup } from './catalog';
import { idSchema, type ArgsOf } from './common';
import type { NeighbourEntry } from './explore';
import type { ApiMethod } from './methods';

/** The ingredient-list editor: live scores of a list, reading a pasted declaration, opening a list. */

/** One item of a list scored for the editor. */
export interface ScoredIngredient {
  /** 1-based position in the list as given. */
  position: number;
  /** The name as given (for ids: the ingredient's INCI name). */
  given: string;
  ingredientId: number | null;
  /** The canonical INCI name when the ingredient is known. */
  inci: string | null;
  /** How the given name was read (a degraded name: `truncated`, `botanical`, `typo`), as in {@link IngredientLookup}; null when unknown. */
  matchedBy: IngredientLookup['matchedBy'];
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
  /**
   * Predicted benefits (probability for 0/1 flags, original units for scores) from the model's list
   * predictor combined with its latent heads, each with the half-width of its 80 % interval
   * (`uncertainty`; null for a model saved before uncertainties); null when no model ran, see `modelProblem`.
   */
  benefits: { name: string; kind: 'flag' | 'score'; value: number; uncertainty: number | null }[] | null;
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
  /** The design brief the list was checked against and how it breaks it (1-based positions), null without one. */
  brief: { applied: AppliedBrief; violations: BriefViolation[] } | null;
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

export const editorSchemas = {
  scoreList: z
    .object({
      /** The list as typed, most concentrated first: names are read like a declaration's items… */
      ingredients: z.array(z.string().trim().min(1, 'an ingredient name is empty').max(500)).max(MAX_CANDIDATE_INGREDIENTS).optional(),
      /** …or ingredient ids. */
      ingredientIds: z.array(idSchema).max(MAX_CANDIDATE_INGREDIENTS).optional(),
      /** How many nearest catalog products to give, by latent distance and by overlap. */
      k: z.number().int().min(1).max(50).default(5),
      /** A design brief to check the list against (its violations come back with the scores). */
      ...briefRequestFields,
    })
    .strict()
    .refine((a) => (a.ingredients === undefined) !== (a.ingredientIds === undefined), { message: 'give exactly one of ingredients or ingredientIds' })
    .refine((a) => a.brief === undefined || a.briefRules === undefined, { message: 'give a saved brief or brief rules, not both', path: ['brief'] }),
  parseDeclaration: z.object({ text: z.string().max(20_000) }).strict(),
  editorSource: z
    .object({
      productId: idSchema.optional(),
      candidateId: idSchema.optional(),
      /** With candidateId: this version instead of the latest. */
      version: idSchema.optional(),
      generated: z.object({ runId: idSchema, rank: idSchema }).strict().optional(),
    })
    .strict()
    .refine((a) => [a.productId, a.candidateId, a.generated].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of productId, candidateId or generated' })
    .refine((a) => a.version === undefined || a.candidateId !== undefined, { message: 'a version needs a candidateId', path: ['version'] }),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof editorSchemas>;

/** The editor slice of the {@link Api}. */
export interface EditorApi {
  /**
   * Live scores of a list for the editor: each item resolved (unknown ones flagged with
   * suggestions), predicted benefits, ordering warnings, plausibility against the catalog,
   * structure, novelty and the nearest catalog products. Caches make a re-score after an edit cheap.
   */
  scoreList(args: Args['scoreList']): Promise<ListScore>;
  /** Reads a pasted declaration into ingredient names (the import's parser); refuses text that is no ingredient list. */
  parseDeclaration(args: Args['parseDeclaration']): Promise<ParsedDeclarationView>;
  /** The list of a catalog product, a saved candidate (any version) or a generated candidate, to open in the editor. */
  editorSource(args: Args['editorSource']): Promise<EditorSource>;
}
