import { PassThrough } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type ExcelJS from 'exceljs';
import type { ExportTable, TableCell, ColumnType } from '../shared/csv-write';
import { SLICE_MS } from './import/catalog-file';

/**
 * An export table as an Excel workbook (.xlsx), built with exceljs's streaming writer: one sheet
 * with a bold header row frozen in place, columns as wide as their content (within bounds),
 * numbers as numbers, dates and times as dates, and every text cell written as text, so a name
 * that starts with = + - @ stays the text it is and never becomes a formula.
 */

const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/** Rows measured for the column widths; past these the widths are settled. */
const WIDTH_SAMPLE = 2000;

/** The workbook's bytes; the caller writes them atomically (or offers them as a download). */
export async function tableToXlsx(table: ExportTable): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  // Loaded on first use: exceljs takes ~0.4 s to load, which every start of the app, the CLI and
  // the import worker would pay for a workbook most never read.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  const sheet = workbook.addWorksheet(table.sheet, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = table.columns.map((c, i) => ({ key: String(i), width: columnWidth(c.name, table.rows, i, c.type) }));
  const header = sheet.addRow(table.columns.map((c) => c.name));
  header.font = { bold: true };
  header.commit();
  const formats = table.columns.map((c) => styleOf(c.type).numFmt);
  // Rows are added in slices with the event loop let through between them: 50,000 rows held the
  // window for 1.9 s in one go.
  let slice = performance.now();
  for (const values of table.rows) {
    if (performance.now() - slice > SLICE_MS) {
      await yieldToEventLoop();
      slice = performance.now();
    }
    const row = sheet.addRow(values.map((cell, i) => typedCell(cell, table.columns[i]?.type ?? 'text')));
    formats.forEach((numFmt, i) => {
      if (numFmt) row.getCell(i + 1).numFmt = numFmt;
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}

/**
 * A cell typed for its column: a date or time column's ISO text becomes a Date (UTC), a number
 * column's number stays one; anything else is written as text, never as a formula (exceljs
 * writes a string as a string; only an object with a `formula` key makes a formula).
 */
function typedCell(cell: TableCell, type: ColumnType): ExcelJS.CellValue {
  if (cell === null || cell === undefined || cell === '') return null;
  if ((type === 'date' || type === 'datetime') && typeof cell === 'string') {
    const time = Date.parse(type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(cell) ? `${cell}T00:00:00Z` : cell);
    if (!Number.isNaN(time)) return new Date(time);
  }
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : String(cell);
  return typeof cell === 'boolean' ? cell : String(cell);
}

function styleOf(type: ColumnType): Partial<ExcelJS.Style> {
  if (type === 'date') return { numFmt: 'yyyy-mm-dd' };
  if (type === 'datetime') return { numFmt: 'yyyy-mm-dd hh:mm:ss' };
  return {};
}

function columnWidth(name: string, rows: readonly (readonly TableCell[])[], index: number, type: ColumnType): number {
  let widest = name.length;
  if (type === 'date') widest = Math.max(widest, 10);
  else if (type === 'datetime') widest = Math.max(widest, 19);
  for (let r = 0; r < rows.length && r < WIDTH_SAMPLE; r++) {
    const cell = rows[r]![index];
    if (cell !== null && cell !== undefined && type !== 'date' && type !== 'datetime') widest = Math.max(widest, String(cell).length);
  }
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
}
