import { promises as fs } from 'node:fs';
import { basename, extname } from 'node:path';
import type { CatalogFileFormat } from '../../shared/api';
import { formatBytes } from '../../shared/format-bytes';
import { JsonCatalogError } from './json-stream';
import { cellText, sniffContainer, type SheetRecord } from './xlsx';

/**
 * Reading a catalog file, shared by the import and its preview: the size limit, plain messages
 * for file-system errors, the header checks and the JSON reader.
 */

/** A problem with the whole file (unreadable, not a catalog): nothing was imported. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** Rows read to settle the columns' roles (and shown by the preview) before any product is stored. */
export const SAMPLE_ROWS = 200;
/**
 * The largest catalog file imported, CSV or JSON: 512 MiB, refused up front with its size and
 * this limit named. The CSV reader streams with flat memory, so this is not about memory: a
 * catalog is a list of products a person curates (the public Sephora file is 1.1 MB for 1,472
 * products, so 512 MiB is some 650,000 of them, ten times the 50,000 the model, the map and the
 * lists are built and measured for). A bigger file is almost always the wrong file (an export of
 * something else, a log, a disk image), and importing it would hold the database's write lock
 * for many minutes. JSON is streamed too (json-stream.ts), one product at a time.
 */
export const MAX_CATALOG_BYTES = 512 * 1024 * 1024;
/** Longest stretch of synchronous work before the importer yields to the event loop. */
export const SLICE_MS = 20;

/** Checks a catalog path before reading: a readable file within {@link MAX_CATALOG_BYTES}. Returns its size. */
export async function statCatalogFile(path: string, suffix: string): Promise<number> {
  const stat = await fs.stat(path).catch((error: unknown) => {
    throw readFailure(path, error);
  });
  if (stat.isDirectory()) throw new ImportError(`${path} is a folder, not a file; choose the catalog file inside it`);
  if (!stat.isFile()) throw new ImportError(`${path} is not a regular file`);
  if (stat.size > MAX_CATALOG_BYTES) {
    throw new ImportError(
      `${basename(path)} is ${formatBytes(stat.size)} (${stat.size.toLocaleString('en-US')} bytes); the largest catalog file the app imports is ${formatBytes(MAX_CATALOG_BYTES)}. Split it into smaller files and import each.${suffix}`,
    );
  }
  return stat.size;
}

/** What identifies a file's content without reading it: enough to notice it changed while it was read. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
}

/** The identity of the file at `path` now (a read failure is said as an ImportError). */
export async function fileIdentity(path: string): Promise<FileIdentity> {
  const s = await fs.stat(path).catch((error: unknown) => {
    throw readFailure(path, error);
  });
  return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, dev: s.dev };
}

/**
 * Refuses a file that changed while it was read: removed, replaced by another file, or
 * written to (its size or modification time differ from `before`, or fewer bytes were read than
 * it had), as when a download, a sync tool or an export is still writing it. What was read is
 * then not the file as it is or as it was, so nothing of it may be imported. `suffix` ends the message.
 */
export async function checkFileUnchanged(path: string, before: FileIdentity, suffix: string, bytesRead?: number): Promise<void> {
  const now = await fs.stat(path).catch(() => null);
  const again = ` Wait until whatever writes it (a download, a sync tool, an export) has finished, and import it again.${suffix}`;
  if (!now) throw new ImportError(`${path} was removed or moved while it was being read, so what was read may not be all of it.${again}`);
  if (now.ino !== before.ino || now.dev !== before.dev) throw new ImportError(`${path} was replaced by another file while it was being read.${again}`);
  if (now.size !== before.size) {
    throw new ImportError(`${path} changed while it was being read: it was ${before.size.toLocaleString('en-US')} bytes when the import began and is ${now.size.toLocaleString('en-US')} bytes now.${again}`);
  }
  if (bytesRead !== undefined && bytesRead !== before.size) {
    throw new ImportError(`${path} changed while it was being read: ${bytesRead.toLocaleString('en-US')} of its ${before.size.toLocaleString('en-US')} bytes could be read.${again}`);
  }
  if (now.mtimeMs !== before.mtimeMs) throw new ImportError(`${path} was written to while it was being read (its modification time changed).${again}`);
}

/** A file-system error while opening or reading a catalog, said plainly. */
export function readFailure(path: string, error: unknown): ImportError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ImportError(`cannot read ${path}: the file does not exist`);
  if (code === 'EACCES' || code === 'EPERM') return new ImportError(`cannot read ${path}: permission denied; check that your account may read the file`);
  return new ImportError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
}

/** True for an error of the file system (an errno code and a syscall), not of the file's contents. */
export function isFileSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** A blank line, or a row of empty cells (spreadsheets export trailing ones): not a product. */
export function isBlankRecord(fields: readonly string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

/**
 * Refuses a header line that shows the file is not a CSV catalog: JSON (a first cell that opens
 * an object or array) or binary data (control characters, which no header line holds).
 */
export function refuseNonCsvHeader(file: string, fields: readonly string[], line: number, suffix: string): void {
  const first = fields[0] ?? '';
  if (/^\s*(\{\s*("|$)|\[\s*(\{|\[|"|\d|$))/.test(first)) {
    throw new ImportError(`${file} holds JSON, not CSV (line ${line} starts with "${first.trim().slice(0, 1)}"); give it a .json name or choose the JSON format, and import it again.${suffix}`);
  }
  if (fields.some((f) => /[^\P{Cc}\t\n\r]/u.test(f))) {
    throw new ImportError(`${file}, line ${line}: the header holds control characters, so this is binary data, not a text CSV file; is it the right file?${suffix}`);
  }
}

/** Makes header names unique and non-empty ("Name", "Name (2)", "Column 4"); `onRepeat` hears of each renamed repeat. */
export function uniqueHeader(raw: readonly string[], onRepeat?: (message: string) => void): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    let name = h.trim() || `Column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1) {
      const renamed = `${name} (${n})`;
      onRepeat?.(`column ${i + 1} repeats the header "${name}"; read as "${renamed}"`);
      name = renamed;
    }
    return name;
  });
}

/** A failure while streaming a JSON catalog, said as an {@link ImportError} (`suffix` ends the message); other errors pass through. */
export function jsonFailure(path: string, error: unknown, suffix: string): unknown {
  if (error instanceof JsonCatalogError) {
    return new ImportError(error.kind === 'syntax' ? `${basename(path)} is not valid JSON (${error.message})${suffix}` : `${basename(path)}: ${error.message}${suffix}`);
  }
  return isFileSystemError(error) ? readFailure(path, error) : error;
}

/**
 * The format asked for, or else by content and extension: a ZIP archive is an Excel workbook
 * (whatever its name), a `.json` file is JSON, anything else CSV. An old binary .xls, and a
 * file named .xlsx that is no ZIP archive, are refused with what to do.
 */
export async function detectFileFormat(path: string, format: 'auto' | CatalogFileFormat | undefined, suffix: string): Promise<CatalogFileFormat> {
  if (format && format !== 'auto') return format;
  const container = await sniffContainer(path).catch((error: unknown) => {
    throw readFailure(path, error);
  });
  const file = basename(path);
  const ext = extname(path).toLowerCase();
  if (container === 'zip') return 'xlsx';
  if (container === 'ole') {
    throw new ImportError(`${file} is an old binary Excel file (.xls) or another Office 97 document, which the app does not read; open it in a spreadsheet program, save it as an Excel workbook (.xlsx) or as CSV, and import that.${suffix}`);
  }
  if (ext === '.xlsx' || ext === '.xlsm') {
    throw new ImportError(`${file} is named as an Excel workbook but is not one (an .xlsx file is a ZIP archive, and this file does not start like one); if it is a CSV file renamed, choose the CSV format.${suffix}`);
  }
  return ext === '.json' ? 'json' : 'csv';
}

/** A workbook's rows as the text records the CSV reader yields: typed cells as text, error cells set apart. */
export async function* xlsxTextRecords(records: AsyncIterable<SheetRecord>): AsyncGenerator<{ fields: string[]; line: number; errors: SheetRecord['errors'] }> {
  for await (const r of records) yield { fields: r.cells.map(cellText), line: r.line, errors: r.errors };
}

/**
 * A JSON product's value as the cell text the importer reads: a list of names is joined as a
 * declaration, or written as a Python-style list when a name holds a comma (so a list of whole
 * declarations, or a kit of headers and declarations, keeps its elements apart).
 */
export function jsonCellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    return v.every((x) => typeof x === 'string' && !x.includes(','))
      ? v.join(', ')
      : `[${v.map((x) => `'${String(x).replace(/'/g, "\\'")}'`).join(', ')}]`;
  }
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
