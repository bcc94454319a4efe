import { z } from 'zod';
import { idSchema, shortText, type ArgsOf } from './common';
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
}
