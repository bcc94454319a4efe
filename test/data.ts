import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The public catalog the tests and benchmarks use, read from ../shared/data (never copied into
 * the project). `SEPHORA_CSV` points elsewhere. Missing data is an error, not a skip.
 */
export function sephoraCsvPath(): string {
  const path = process.env.SEPHORA_CSV ?? resolve(process.cwd(), '..', 'shared', 'data', 'sephora_cosmetics.csv');
  if (!existsSync(path)) throw new Error(`the test catalog is missing: ${path} (set SEPHORA_CSV)`);
  return path;
}

export const SHARED_DATA_DIR = (): string => join(sephoraCsvPath(), '..');
