import { z } from 'zod';

/**
 * Pieces every capability's slice of the API contract uses: the error that crosses the boundary,
 * the argument types derived from a slice's schemas, and schemas shared across slices.
 */

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

/** The arguments a caller may pass to each method of a slice (defaults not yet applied). */
export type ArgsOf<S extends Record<string, z.ZodType>> = { [M in keyof S]: z.input<S[M]> };
/** The arguments each method of a slice receives once validated (defaults applied). */
export type ParsedArgsOf<S extends Record<string, z.ZodType>> = { [M in keyof S]: z.output<S[M]> };

/** Trimmed, non-empty text of at most `max` characters. */
export const shortText = (max: number) => z.string().trim().min(1).max(max);

/** A random seed: a non-negative 31-bit integer, so every seeded routine accepts it. */
export const seedSchema = z.number().int().min(0).max(2 ** 31 - 1);

/** A positive integer id of a stored row. */
export const idSchema = z.number().int().positive();

/** A file format named by the caller, or `auto`: by content (a ZIP archive is a workbook) and extension. */
export const fileFormatSchema = z.enum(['auto', 'csv', 'json', 'xlsx']).default('auto');

/** The worksheet of a workbook to read (by name); the first sheet when absent. */
export const sheetSchema = z.string().min(1).max(200).optional();

/** The longest ingredient list a candidate may hold. */
export const MAX_CANDIDATE_INGREDIENTS = 300;
