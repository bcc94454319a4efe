/**
 * CSV for spreadsheets: UTF-8 with a BOM (so Excel reads accents), every cell quoted when it
 * holds a delimiter, quote or line break, and any cell that a spreadsheet could read as a
 * formula (starting with = + - @, a tab or a carriage return or line feed) prefixed with an
 * apostrophe so it stays text.
 */

const FORMULA_START = /^[=+\-@\t\r\n]/;

/** One cell, neutralised and quoted as needed. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole document: header row first, CRLF line ends, BOM in front. */
export function toCsv(rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One cell of an export: text, a number, a boolean, or empty. */
export type TableCell = string | number | boolean | null | undefined;

/**
 * How a column's cells are typed in a workbook: text, numbers, dates (YYYY-MM-DD) or times
 * (ISO 8601, written in UTC). CSV writes every cell as text.
 */
export type ColumnType = 'text' | 'number' | 'date' | 'datetime';

/** An export as a table: a sheet name, typed columns and rows, written as CSV or as a workbook. */
export interface ExportTable {
  sheet: string;
  columns: { name: string; type: ColumnType }[];
  rows: TableCell[][];
}

/** The table as CSV: its column names as the header row (see {@link toCsv}). */
export function tableToCsv(table: ExportTable): string {
  return toCsv([table.columns.map((c) => c.name), ...table.rows]);
}
