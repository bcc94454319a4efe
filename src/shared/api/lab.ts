import { z } from 'zod';
import { fileFormatSchema, idSchema, sheetSchema, shortText, type ArgsOf } from './common';
import type { ApiMethod } from './methods';

/** Lab results measured on candidates and catalog products. */

export const labPropertySchema = z.string().trim().min(1, 'the property name is empty').max(100);

const labUnit = z.string().trim().max(40);

const labDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, 'not a calendar date');

/** What was measured: a candidate at a version (default its latest), or a catalog product. */
const labSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('candidate'), candidateId: idSchema, version: idSchema.optional() }).strict(),
  z.object({ kind: z.literal('product'), productId: idSchema }).strict(),
]);

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

/**
 * Which column of a file of past results holds what (header names); a role left out is found
 * by its usual headers (see `LAB_IMPORT_COLUMNS` in the service).
 */
const labImportMappingSchema = z
  .object({
    formulation: z.string().max(200).optional(),
    product: z.string().max(200).optional(),
    productId: z.string().max(200).optional(),
    candidate: z.string().max(200).optional(),
    candidateId: z.string().max(200).optional(),
    declaration: z.string().max(200).optional(),
    property: z.string().max(200).optional(),
    value: z.string().max(200).optional(),
    unit: z.string().max(200).optional(),
    date: z.string().max(200).optional(),
    notes: z.string().max(200).optional(),
  })
  .strict();

/** Where each role was read from in a file of past results (null: no such column). */
export type LabImportMapping = { [K in keyof z.infer<typeof labImportMappingSchema>]-?: string | null };

/** A row of a results file that was not imported: its line (CSV) or row (sheet), and why. */
export interface LabImportRejection {
  line: number;
  reason: string;
}

/** What an import of past results did: every row read is imported or rejected with its reason. */
export interface LabImportReport {
  source: string;
  format: 'csv' | 'xlsx';
  sheet: string | null;
  mapping: LabImportMapping;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  rejected: LabImportRejection[];
  /** Results attached to catalog products, to saved candidates, and candidates created from declarations. */
  onProducts: number;
  onCandidates: number;
  candidatesCreated: { id: number; name: string }[];
  /** Each property imported with its unit and how many results. */
  properties: { property: string; unit: string; results: number }[];
  elapsedMs: number;
}

/** The head of a results file read the way the import would, without writing. */
export interface LabImportPreview {
  format: 'csv' | 'xlsx';
  sheets: string[];
  sheet: string | null;
  header: string[];
  rows: string[][];
  mapping: LabImportMapping;
  /** What the import would fail on (a missing property or value column), or null. */
  problem: string | null;
}

export const labSchemas = {
  addLabResult: z
    .object({
      subject: labSubject,
      property: labPropertySchema,
      value: z.number().finite().refine((v) => Math.abs(v) < 1e300, 'the value is too large'),
      unit: labUnit.default(''),
      /** The day it was measured (YYYY-MM-DD); default today. */
      measuredOn: labDate.optional(),
      notes: z.string().max(5000).default(''),
    })
    .strict(),
  updateLabResult: z
    .object({
      id: idSchema,
      property: labPropertySchema.optional(),
      value: z.number().finite().refine((v) => Math.abs(v) < 1e300, 'the value is too large').optional(),
      unit: labUnit.optional(),
      measuredOn: labDate.optional(),
      notes: z.string().max(5000).optional(),
    })
    .strict()
    .refine((a) => [a.property, a.value, a.unit, a.measuredOn, a.notes].some((x) => x !== undefined), { message: 'give at least one of property, value, unit, measuredOn or notes to change' }),
  deleteLabResult: z.object({ id: idSchema }).strict(),
  listLabResults: z
    .object({
      candidateId: idSchema.optional(),
      productId: idSchema.optional(),
      /** Exact property name (case-insensitive). */
      property: labPropertySchema.optional(),
      limit: z.number().int().min(1).max(5000).default(500),
      offset: z.number().int().min(0).default(0),
    })
    .strict()
    .default({ limit: 500, offset: 0 }),
  labProperties: z.undefined(),
  labResultsCsv: z.object({ ids: z.array(idSchema).min(1).max(100_000).optional(), property: labPropertySchema.optional() }).strict().default({}),
  exportLabResultsCsv: z.object({ path: shortText(4096), ids: z.array(idSchema).min(1).max(100_000).optional(), property: labPropertySchema.optional() }).strict(),
  labResultsXlsx: z.object({ ids: z.array(idSchema).min(1).max(100_000).optional(), property: labPropertySchema.optional() }).strict().default({}),
  exportLabResultsXlsx: z.object({ path: shortText(4096), ids: z.array(idSchema).min(1).max(100_000).optional(), property: labPropertySchema.optional() }).strict(),
  importLabResults: z.object({ path: shortText(4096), format: fileFormatSchema, sheet: sheetSchema, mapping: labImportMappingSchema.optional() }).strict(),
  previewLabResults: z.object({ path: shortText(4096), format: fileFormatSchema, sheet: sheetSchema, mapping: labImportMappingSchema.optional() }).strict(),
  chooseLabResultsFile: z.undefined(),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof labSchemas>;

/** The lab slice of the {@link Api}. */
export interface LabApi {
  /** Records a measured result for a candidate (at a version) or a catalog product. */
  addLabResult(args: Args['addLabResult']): Promise<LabResult>;
  updateLabResult(args: Args['updateLabResult']): Promise<LabResult>;
  deleteLabResult(args: Args['deleteLabResult']): Promise<{ id: number }>;
  /** Results, newest measurement first, filtered by candidate, product or property. */
  listLabResults(args?: Args['listLabResults']): Promise<LabResultPage>;
  labProperties(): Promise<LabProperty[]>;
  /** Lab results as CSV text (all, or these ids, or one property). */
  labResultsCsv(args?: Args['labResultsCsv']): Promise<{ csv: string; rows: number }>;
  /** The same CSV written to `path` atomically (a path from `chooseExportPath` in the desktop app). */
  exportLabResultsCsv(args: Args['exportLabResultsCsv']): Promise<{ path: string; rows: number }>;
  /** Lab results as an Excel workbook (base64), for a browser download. */
  labResultsXlsx(args?: Args['labResultsXlsx']): Promise<{ base64: string; rows: number }>;
  /** The same workbook written to `path` atomically (a path from `chooseExportPath` in the desktop app). */
  exportLabResultsXlsx(args: Args['exportLabResultsXlsx']): Promise<{ path: string; rows: number }>;
  /**
   * Imports past results from a CSV file or an Excel sheet, all or nothing: every row is imported
   * or rejected with its line and reason. In the desktop app the path must come from
   * `chooseLabResultsFile`.
   */
  importLabResults(args: Args['importLabResults']): Promise<LabImportReport>;
  /** The head of a results file and how its columns would be read, without writing anything. */
  previewLabResults(args: Args['previewLabResults']): Promise<LabImportPreview>;
  /** The desktop app's Open dialog for a results file; null when cancelled. Only the Electron shell answers. */
  chooseLabResultsFile(): Promise<{ path: string } | null>;
}
