import { z } from 'zod';
import { INGREDIENT_FUNCTIONS, SKIN_BENEFITS, type CatalogSummary, type IngredientRecord, type ProductDetail, type ProductSummary } from '../domain';
import { fileFormatSchema, idSchema, sheetSchema, shortText, type ArgsOf } from './common';
import { briefRequestFields } from './briefs';
import type { DatabaseBackup } from './database';
import type { ApiMethod } from './methods';

/** The catalog: imported products, their ingredients, the knowledge base, and importing files. */

/** A skin benefit's name, with hyphens read as underscores (`anti-aging` is `anti_aging`). */
const benefitName = z
  .string()
  .transform((s) => s.replace(/-/g, '_'))
  .pipe(z.enum(SKIN_BENEFITS));

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

const columnMappingSchema = z.object({
  name: z.string().max(200).optional(),
  brand: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  /** Less specific category columns, read in this order where the row's `category` cell is empty. */
  categoryFallbacks: z.array(z.string().max(200)).max(20).optional(),
  ingredients: z.string().max(200).optional(),
  benefits: z.array(z.string().max(200)).max(200).optional(),
  ignore: z.array(z.string().max(200)).max(1000).optional(),
});

export type ColumnMapping = z.infer<typeof columnMappingSchema>;

const duplicatePolicySchema = z.enum(['keep', 'merge']);

export type DuplicatePolicy = z.infer<typeof duplicatePolicySchema>;

export interface ProductPage {
  total: number;
  items: ProductSummary[];
}

export interface IngredientLookup {
  query: string;
  match: IngredientRecord | null;
  /**
   * How the name was read: exactly, through the declaration parser (`parsed`: a percentage or a
   * parenthesised alternative around a known name), or as the one entry a degraded name allows
   * (`truncated`, `botanical` without the plant part, `typo`); null when unknown.
   */
  matchedBy: 'canonical' | 'synonym' | 'misspelling' | 'parsed' | 'truncated' | 'botanical' | 'typo' | null;
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

/** The role a column plays in an import. */
export type ColumnRole = 'ingredients' | 'name' | 'brand' | 'category' | 'category-fallback' | 'benefit' | 'field' | 'ignored';

/** How a sampled column reads as ingredient lists (the evidence the ingredients column is chosen on). */
export interface IngredientListEvidence {
  /** Rows sampled. */
  sampled: number;
  /** Sampled cells that read as ingredient lists (several items, most known or INCI-shaped). */
  lists: number;
  /** Items in those cells, and how many of them the knowledge base knows. */
  names: number;
  known: number;
}

/** What one column was taken for, and why, in words a person can check. */
export interface ColumnChoice {
  column: string;
  role: ColumnRole;
  reason: string;
  /** For columns scored as ingredient lists (the chosen one and any runner-up with lists in it). */
  evidence?: IngredientListEvidence;
}

/** The file formats a catalog (or a file of lab results) is read from. */
export type CatalogFileFormat = 'csv' | 'json' | 'xlsx';

export interface ImportReport {
  catalogId: number | null;
  source: string;
  format: CatalogFileFormat;
  encoding: string;
  delimiter: string | null;
  /** The worksheet read, for an Excel workbook (rejections' lines are its row numbers). */
  sheet?: string;
  mapping: Required<Pick<ColumnMapping, 'ingredients'>> & ColumnMapping;
  rowsRead: number;
  /** Rows imported = rows inserted as products + rows merged into an existing duplicate. */
  rowsImported: number;
  productsInserted: number;
  rowsMerged: number;
  rowsRejected: number;
  /**
   * Kit rows (a list literal alternating part headers and declarations) split into one product
   * per part, and the parts they became. Rejections and duplicates count per part, so
   * rowsImported + rowsRejected = rowsRead − rowsSplit + partsCreated.
   */
  rowsSplit: number;
  partsCreated: number;
  /** Every column's role and why, the ingredients column's first. */
  columns: ColumnChoice[];
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
  format: CatalogFileFormat;
  encoding: string;
  delimiter: string | null;
  /** For an Excel workbook: every sheet's name, and the one shown (the first unless one was chosen). */
  sheets?: string[];
  sheet?: string;
  header: string[];
  /** The first rows, each cell cut to 300 characters. */
  rows: string[][];
  /** How the columns would be read (the mapping given applied), or null with `problem`. */
  mapping: (Required<Pick<ColumnMapping, 'ingredients'>> & ColumnMapping & { benefits: string[]; extra: string[] }) | null;
  /** Every column's role and why (empty with `problem`); the ingredients column's first. */
  columns: ColumnChoice[];
  problem: string | null;
}

/** What deleting a catalog removed (or, for a dry run, would remove), and the backup taken first. */
export interface CatalogDeletion {
  catalog: CatalogSummary;
  dryRun: boolean;
  /** The checked backup taken just before the deletion (kind "manual": never rotated away); null for a dry run. */
  backup: DatabaseBackup | null;
  removed: { products: number; ingredientRows: number; benefitScores: number; productCodes: number };
  /** Lab results measured on the catalog's products: kept with their list and name, the product link cleared. */
  labResultsUnlinked: number;
  /** Models trained on the catalog: they keep encoding, decoding and generating, and say the catalog is gone. */
  models: { id: number; name: string }[];
  /** Catalogs left afterwards (the map, neighbours and generate use their products). */
  remainingCatalogs: number;
}

export const catalogSchemas = {
  listCatalogs: z.undefined(),
  renameCatalog: z.object({ id: idSchema, name: shortText(200) }).strict(),
  deleteCatalog: z.object({ id: idSchema, dryRun: z.boolean().default(false) }).strict(),
  listProducts: z
    .object({
      search: z.string().max(200).optional(),
      category: z.string().max(200).optional(),
      brand: z.string().max(200).optional(),
      ingredient: z.string().max(300).optional(),
      catalogId: idSchema.optional(),
      /** Only the products that meet this design brief (a saved one by name, or rules). */
      ...briefRequestFields,
      limit: z.number().int().min(1).max(1000).default(200),
      offset: z.number().int().min(0).default(0),
    })
    .strict()
    .refine((a) => a.brief === undefined || a.briefRules === undefined, { message: 'give a brief’s name or its rules, not both' }),
  listCategories: z.undefined(),
  listBrands: z.undefined(),
  getProduct: z.object({ id: idSchema }).strict(),
  lookupIngredient: z.object({ name: shortText(500) }).strict(),
  searchIngredients: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(100).default(20) }).strict(),
  saveIngredient: ingredientKnowledgeSchema.extend({ id: idSchema.optional() }).strict(),
  importCatalog: z
    .object({
      path: shortText(4096),
      format: fileFormatSchema,
      sheet: sheetSchema,
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
      format: fileFormatSchema,
      sheet: sheetSchema,
      mapping: columnMappingSchema.optional(),
      encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
      delimiter: z.enum([',', ';', '\t']).optional(),
    })
    .strict(),
  loadSampleCatalog: z.object({ duplicates: duplicatePolicySchema.default('merge') }).strict().default({ duplicates: 'merge' }),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof catalogSchemas>;

/** The catalog slice of the {@link Api}. */
export interface CatalogApi {
  listCatalogs(): Promise<CatalogSummary[]>;
  /** Gives a catalog a new name (models trained on it show the new name). */
  renameCatalog(args: Args['renameCatalog']): Promise<CatalogSummary>;
  /**
   * Deletes a catalog and its products in one transaction, after a checked backup; lab results,
   * candidates, generated runs and models are kept. `dryRun` only says what would be removed.
   */
  deleteCatalog(args: Args['deleteCatalog']): Promise<CatalogDeletion>;
  listProducts(args: Args['listProducts']): Promise<ProductPage>;
  listCategories(): Promise<{ category: string; count: number }[]>;
  /** Brands with their product counts, most products first, for the catalog's brand filter. */
  listBrands(): Promise<{ brand: string; count: number }[]>;
  getProduct(args: Args['getProduct']): Promise<ProductDetail>;
  lookupIngredient(args: Args['lookupIngredient']): Promise<IngredientLookup>;
  searchIngredients(args: Args['searchIngredients']): Promise<IngredientRecord[]>;
  saveIngredient(args: Args['saveIngredient']): Promise<IngredientRecord>;
  importCatalog(args: Args['importCatalog']): Promise<ImportReport>;
  /**
   * Asks the person for a catalog file with the system's Open dialog (desktop app only; null when
   * they cancel). Only a path chosen this way may be previewed or imported over IPC.
   */
  chooseImportFile(): Promise<{ path: string } | null>;
  /** The head of a catalog file read the way the import would, without writing anything. */
  previewImport(args: Args['previewImport']): Promise<ImportPreview>;
  loadSampleCatalog(args?: Args['loadSampleCatalog']): Promise<ImportReport>;
}
