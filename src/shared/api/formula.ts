import { z } from 'zod';
import { PHASES, PREPARATIONS, PRODUCT_TYPES, type Formula, type FormulaLine, type Phase, type ProductType } from '../formula/estimate';
import { idSchema, MAX_CANDIDATE_INGREDIENTS, shortText, type ArgsOf } from './common';
import type { ApiMethod } from './methods';

/** Draft formulas (issue 16): estimated percentages with ranges, phases and legal limits, saved with a candidate version, and the formula sheet. */

const percent = z.number().min(0).max(100);

/** The list a formula is for: a saved candidate (a version, default the latest), a catalog product, or names as typed. */
const formulaSource = {
  candidateId: idSchema.optional(),
  version: idSchema.optional(),
  productId: idSchema.optional(),
  ingredients: z.array(shortText(300)).min(1).max(MAX_CANDIDATE_INGREDIENTS).optional(),
};
const oneSource = (a: { candidateId?: number; productId?: number; ingredients?: string[] }) => [a.candidateId, a.productId, a.ingredients].filter((x) => x !== undefined).length === 1;

/** A draft formula as the chemist keeps it with a candidate version: each ingredient's percentage and phase. */
export const savedFormulaSchema = z
  .object({
    productType: z.enum(PRODUCT_TYPES),
    lines: z
      .array(
        z
          .object({
            percent,
            phase: z.enum(PHASES),
            /** Typed by the chemist rather than taken from the estimate. */
            edited: z.boolean().default(false),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_CANDIDATE_INGREDIENTS),
    note: z.string().trim().max(1000).default(''),
  })
  .strict();
export type SavedFormula = z.infer<typeof savedFormulaSchema>;

export const formulaSchemas = {
  estimateFormula: z
    .object({
      ...formulaSource,
      /** Percentages to hold fixed, by position (null: estimate it), in place of the label's declared figures: the chemist's edits, or a label with a figure hidden. */
      fixed: z.array(percent.nullable()).max(MAX_CANDIDATE_INGREDIENTS).optional(),
      /** Leave-on or rinse-off (legal limits and allergen thresholds depend on it); default from the category. */
      productType: z.enum(PRODUCT_TYPES).optional(),
    })
    .strict()
    .refine(oneSource, { message: 'give exactly one of candidateId, productId or ingredients' }),
  formulaSheet: z.object({ candidateId: idSchema, version: idSchema.optional(), productType: z.enum(PRODUCT_TYPES).optional() }).strict(),
  formulaFile: z.object({ candidateId: idSchema, version: idSchema.optional(), format: z.enum(['csv', 'xlsx']) }).strict(),
  exportFormula: z.object({ candidateId: idSchema, version: idSchema.optional(), format: z.enum(['csv', 'xlsx']), path: shortText(4096) }).strict(),
  setUseLevel: z
    .object({ ingredient: shortText(300), min: z.number().positive().max(100), usual: z.number().positive().max(100), max: z.number().positive().max(100), phase: z.enum(PHASES), prep: z.enum(PREPARATIONS).nullable().default(null) })
    .strict()
    .refine((a) => a.min <= a.usual && a.usual <= a.max, { message: 'a use level needs min ≤ usual ≤ max' }),
  addInHouseLimit: z.object({ ingredient: shortText(300), max: z.number().positive().max(100), applies: z.enum(['all', ...PRODUCT_TYPES]).default('all'), condition: z.string().trim().max(1000).default('') }).strict(),
  deleteInHouseLimit: z.object({ id: idSchema }).strict(),
  /** The window as a PDF (its print styles: an open formula sheet prints alone), through a Save dialog; the desktop app answers this itself. */
  printToPdf: z.object({ defaultName: shortText(300) }).strict(),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof formulaSchemas>;

/** One ingredient of a draft formula, with what the app knows of it. */
export interface DraftLine extends FormulaLine {
  ingredientId: number | null;
  /** The knowledge base's INCI name (null when unknown). */
  inci: string | null;
  functions: string[];
}

export interface PhaseTotal {
  phase: Phase;
  letter: string;
  name: string;
  /** Sum of the estimates (or saved percentages) of the phase's ingredients. */
  percent: number;
  positions: number[];
}

/** A draft formula for one list, as every view shows it. */
export interface DraftFormula extends Omit<Formula, 'lines'> {
  source: { kind: 'candidate' | 'product' | 'list'; title: string; category: string | null; candidateId: number | null; version: number | null; productId: number | null };
  /** Why the product type is what it is: asked for, read from the category, or the default (leave-on, the stricter). */
  productTypeFrom: 'given' | 'category' | 'default';
  lines: DraftLine[];
  phases: PhaseTotal[];
  labelling: { threshold: number; annex: string };
  /** The formula saved with the candidate version, if any (its percentages replace the estimate's on the sheet). */
  saved: SavedFormula | null;
  timingsMs: { total: number };
}

/** The formula sheet of a candidate version: the draft by phase, with name, version, brief, warnings and provenance. */
export interface FormulaSheet {
  title: string;
  candidateId: number;
  version: number;
  createdAt: string;
  changeNote: string;
  brief: { name: string | null; version: number | null; summary: string[] } | null;
  provenance: string[];
  formula: DraftFormula;
  /** The percentages the sheet prints: the saved formula's where there is one, else the estimate's. */
  percentFrom: 'saved' | 'estimate';
  rows: { phase: string; position: number; inci: string; percent: number | null; low: number | null; high: number | null; functions: string; limit: string; notes: string }[];
}

/** The formula slice of the {@link Api}. */
export interface FormulaApi {
  /**
   * Estimates the draft formula of a list: a percentage per ingredient with the range the rules
   * allow, grouped by phase (see src/shared/formula/estimate.ts). A list no formula can obey comes
   * back 'infeasible' with the conflicting rules named; unknown ingredients get a wide range and a flag.
   */
  estimateFormula(args: Args['estimateFormula']): Promise<DraftFormula>;
  formulaSheet(args: Args['formulaSheet']): Promise<FormulaSheet>;
  /** The formula sheet as CSV text or an XLSX workbook in base64 (the web preview offers it as a download). */
  formulaFile(args: Args['formulaFile']): Promise<{ fileName: string; csv?: string; base64?: string }>;
  /** Writes the formula sheet to `path` atomically (desktop app: a path its Save dialog chose). */
  exportFormula(args: Args['exportFormula']): Promise<{ path: string }>;
  /** The chemist's own use level for an ingredient, replacing the shipped one. */
  setUseLevel(args: Args['setUseLevel']): Promise<{ ingredient: string }>;
  /** An in-house maximum for an ingredient, applied with the law's (the lower wins). */
  addInHouseLimit(args: Args['addInHouseLimit']): Promise<{ id: number; ingredient: string }>;
  deleteInHouseLimit(args: Args['deleteInHouseLimit']): Promise<{ deleted: boolean }>;
  /**
   * Saves the window as a PDF (Electron's printToPDF with the print styles) to a file chosen in
   * the Save dialog; null when the dialog was cancelled. Only the desktop app can: elsewhere it
   * fails with `unsupported` (use the browser's print, which can also save a PDF).
   */
  printToPdf(args: Args['printToPdf']): Promise<{ path: string } | null>;
}

export type { ProductType };
