import { promises as fs } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { openZipPart, readZipParts } from './zip-directory';

/**
 * A streaming reader for Excel workbooks (.xlsx), built on exceljs's WorkbookReader: one sheet's
 * rows come out one at a time with typed cells (numbers stay numbers, dates are dates, text is
 * never coerced, a formula reads as its cached result, rich text is flattened), so a sheet of
 * any length is read with flat memory.
 */

/** One cell as the sheet types it; `null` for an empty cell. */
export type SheetCell = string | number | boolean | Date | null;

/** A cell holding a spreadsheet error (#N/A, #DIV/0!…), kept apart so no reader takes it for text. */
export interface SheetCellError {
  /** 0-based column index. */
  column: number;
  error: string;
}

/** One row of a sheet: its cells from column A, and its 1-based row number. */
export interface SheetRecord {
  cells: SheetCell[];
  errors: SheetCellError[];
  line: number;
}

/** What the reader learned about the workbook once it reached the sheet: every sheet's name and the one read. */
export interface WorkbookFacts {
  sheets?: string[];
  sheet?: string;
}

/** A workbook that cannot be read, or has no such sheet; the message names the file. */
export class XlsxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XlsxError';
  }
}

/** The ZIP local-file signature every .xlsx starts with. */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
/** The OLE2 signature of the old binary .xls (and other Office 97 files). */
const OLE_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0];

/** What the first bytes of a file say it is: a ZIP archive (as .xlsx is), an old binary Office file, or neither. */
export async function sniffContainer(path: string): Promise<'zip' | 'ole' | 'other'> {
  const handle = await fs.open(path, 'r');
  try {
    const head = new Uint8Array(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    const startsWith = (sig: number[]) => bytesRead >= sig.length && sig.every((b, i) => head[i] === b);
    return startsWith(ZIP_SIGNATURE) ? 'zip' : startsWith(OLE_SIGNATURE) ? 'ole' : 'other';
  } finally {
    await handle.close();
  }
}

/** Column letters of a 0-based index (0 → A, 26 → AA), as a spreadsheet names it. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/**
 * A cell as text, for readers that take text (the catalog import): a number as JavaScript
 * writes it (no locale, no rounding), a date as YYYY-MM-DD (with the time when it has one),
 * a boolean as TRUE/FALSE, text as it is.
 */
export function cellText(cell: SheetCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  const iso = cell.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

/**
 * Streams the rows of one sheet: `sheet` by name, or the workbook's first sheet. `facts` is
 * filled in when the sheet is reached (every sheet's name, and the one read). `onBytes` hears
 * how many bytes of the file were read so far, for progress. Throws {@link XlsxError} for a
 * file that is not a workbook or has no such sheet.
 */
export async function* readXlsxRows(path: string, options: { sheet?: string; onBytes?: (bytes: number) => void } = {}, facts: WorkbookFacts = {}): AsyncGenerator<SheetRecord> {
  const file = basename(path);
  const book = await readWorkbookPart(path);
  facts.sheets = book.sheets.map((s) => s.name);
  const wanted = options.sheet ?? facts.sheets[0];
  if (wanted === undefined) throw new XlsxError(`${file} is a ZIP archive but lists no worksheet: is it an Excel workbook (.xlsx)?`);
  const sheet = book.sheets.find((s) => s.name === wanted);
  if (!sheet) throw new XlsxError(`${file} has no sheet named "${wanted}"; its sheets are ${facts.sheets.map((n) => `"${n}"`).join(', ')}`);
  facts.sheet = wanted;
  const target = book.rels.find((r) => r.Id === sheet.rId)?.Target ?? '';
  const sheetNo = /^worksheets\/sheet(\d+)\.xml$/.exec(target)?.[1];
  let source: Readable | null = null;
  try {
    // exceljs's streaming reader meets the archive's parts in stored order and intermittently
    // loses one (exceljs issue 3064: the workbook part, shared strings or styles, whichever
    // comes last). Its parsers are fed here instead, each part read from the ZIP directory:
    // styles and shared strings whole (exceljs caches them anyway), then the one sheet streamed.
    // Loaded on first use: exceljs takes ~0.4 s to load, which every start of the app, the CLI and
    // the import worker would pay for a workbook most never read.
    const { default: excel } = await import('exceljs');
    const reader = new excel.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
    const internals = reader as unknown as ReaderInternals;
    Object.assign(internals, { model: { sheets: book.sheets }, workbookRels: book.rels, properties: { model: { date1904: book.date1904 } } });
    // Streamed in chunks like the sheet, so a large shared-strings part never holds the event loop.
    const styles = await openZipPart(path, 'xl/styles.xml');
    if (styles) await internals._parseStyles(styles);
    const strings = await openZipPart(path, 'xl/sharedStrings.xml');
    if (strings) for await (const event of internals._parseSharedStrings(strings)) void event;
    source = sheetNo ? await openZipPart(path, `xl/${target}`, options.onBytes) : null;
    if (!source) throw new XlsxError(`${file}: the sheet "${wanted}" is listed but its part is missing; the workbook is damaged`);
    const worksheet = internals._parseWorksheet(source, sheetNo!).next().value?.value;
    if (!worksheet) throw new XlsxError(`${file}: the sheet "${wanted}" cannot be read`);
    for await (const row of worksheet) yield recordOf(row, book.date1904);
  } catch (error) {
    if (error instanceof XlsxError) throw error;
    throw new XlsxError(`${file} is not a readable Excel workbook (.xlsx): ${(error as Error).message}`);
  } finally {
    // Also when the caller stops early (a preview reads only the head of the sheet).
    source?.destroy();
  }
}

/** The parts of exceljs's WorkbookReader this module drives (see readXlsxRows). */
interface ReaderInternals {
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: Readable, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

interface WorkbookPart {
  /** Dates count from 1904 (old Mac workbooks), not 1900. */
  date1904: boolean;
  sheets: { name: string; id: number; rId: string; state: string }[];
  rels: { Id: string; Target: string; Type: string }[];
}

/** The sheets (name, id, relationship) and the workbook's relationships, as exceljs models them. */
async function readWorkbookPart(path: string): Promise<WorkbookPart> {
  const file = basename(path);
  let parts: Map<string, Buffer>;
  try {
    parts = await readZipParts(path, ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels']);
  } catch (error) {
    // Said in full: the file may be named .csv, and a chemist should learn it is no text at all.
    throw new XlsxError(`${file} starts as a ZIP archive (binary, not a text CSV file), but is not a readable Excel workbook (.xlsx): ${(error as Error).message}`);
  }
  const workbook = parts.get('xl/workbook.xml')?.toString('utf8');
  const rels = parts.get('xl/_rels/workbook.xml.rels')?.toString('utf8');
  if (!workbook || !rels) throw new XlsxError(`${file} is a ZIP archive but not an Excel workbook (.xlsx): it has no workbook part; an OpenDocument (.ods) or other archive must be saved as .xlsx or CSV first`);
  const attributes = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1]!.replace(/^\w+:(?=id$)/, 'r:'), decodeXml(m[2]!)]));
  const sheets = [...workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)].map((m) => {
    const a = attributes(m[0]);
    return { name: a.name ?? '', id: Number(a.sheetId), rId: a['r:id'] ?? '', state: a.state ?? 'visible' };
  });
  const relations = [...rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)].map((m) => {
    const a = attributes(m[0]);
    // exceljs matches targets relative to xl/ ("worksheets/sheet1.xml"); some writers give "/xl/worksheets/…".
    return { Id: a.Id ?? '', Type: a.Type ?? '', Target: (a.Target ?? '').replace(/^\/?xl\//, '') };
  });
  const workbookPr = /<(?:\w+:)?workbookPr\b[^>]*>/.exec(workbook)?.[0];
  const date1904 = workbookPr ? ['1', 'true'].includes(attributes(workbookPr).date1904 ?? '') : false;
  return { date1904, sheets, rels: relations };
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[\da-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (e[0] !== '#') return named[e.toLowerCase()]!;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** Typed cells of one row, formulas as their results, errors set apart. */
function recordOf(row: ExcelJS.Row, date1904: boolean): SheetRecord {
  const cells: SheetCell[] = [];
  const errors: SheetCellError[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    const column = col - 1;
    while (cells.length < column) cells.push(null);
    const typed = typedValue(cell.value, cell.numFmt, date1904);
    if (typed.error !== undefined) {
      errors.push({ column, error: typed.error });
      cells.push(null);
    } else {
      cells.push(typed.value);
    }
  });
  return { cells, errors, line: row.number };
}

function typedValue(value: ExcelJS.CellValue, numFmt: string | undefined, date1904: boolean): { value: SheetCell; error?: string } {
  if (value === null || value === undefined) return { value: null };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return { value };
  const v = value as unknown as Record<string, unknown>;
  if ('error' in v) return { value: null, error: String(v.error) };
  if ('richText' in v && Array.isArray(v.richText)) return { value: (v.richText as { text?: string }[]).map((r) => r.text ?? '').join('') };
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    if (result === undefined || result === null) return { value: null };
    if (typeof result === 'number') {
      // The reader parses every cached result as a number: an error result reads as NaN.
      if (Number.isNaN(result)) return { value: null, error: '#VALUE (the formula\'s cached result is an error)' };
      return { value: isDateFormat(numFmt) ? excelDate(result, date1904) : result };
    }
    return typedValue(result as ExcelJS.CellValue, numFmt, date1904);
  }
  if ('text' in v) return typedValue(v.text as ExcelJS.CellValue, numFmt, date1904);
  return { value: JSON.stringify(v) };
}

function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return /[ymdhsb]/i.test(numFmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}
