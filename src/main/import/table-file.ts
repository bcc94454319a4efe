import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { checkFileUnchanged, detectFileFormat, fileIdentity, ImportError, isBlankRecord, isFileSystemError, readFailure, refuseNonCsvHeader, statCatalogFile, uniqueHeader } from './catalog-file';
import { CsvError, readCsvRecords } from './csv';
import { cellText, readXlsxRows, XlsxError, type SheetRecord, type WorkbookFacts } from './xlsx';

/**
 * A small table file read whole (a CSV file or one sheet of a workbook) for imports whose rows
 * are checked together before anything is written, such as past lab results. Catalogs, which
 * can be large, stream through importer.ts instead.
 */

/** A table read from a file: its header, its non-blank rows with their lines, and where it came from. */
export interface TableFile {
  format: 'csv' | 'xlsx';
  /** For a workbook: every sheet's name and the one read. */
  sheets: string[];
  sheet: string | null;
  header: string[];
  headerLine: number;
  rows: SheetRecord[];
}

/** Reads a CSV file or a sheet (the first unless `sheet` names one) of an Excel workbook; more than `maxRows` rows is refused. */
export async function readTableFile(path: string, options: { format?: 'auto' | 'csv' | 'json' | 'xlsx'; sheet?: string; maxRows: number; suffix: string }): Promise<TableFile> {
  const { suffix } = options;
  await statCatalogFile(path, suffix);
  const identity = await fileIdentity(path);
  const file = basename(path);
  const format = await detectFileFormat(path, options.format, suffix);
  if (format === 'json') throw new ImportError(`${file}: this import reads CSV files and Excel workbooks (.xlsx), not JSON.${suffix}`);
  const facts: WorkbookFacts = {};
  let records: AsyncIterable<SheetRecord>;
  let close = (): void => undefined;
  let bytesRead: number | undefined;
  if (format === 'xlsx') {
    records = readXlsxRows(path, { sheet: options.sheet }, facts);
  } else {
    const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
    close = () => stream.destroy();
    const chunks = (async function* () {
      bytesRead = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytesRead += chunk.length;
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
      }
    })();
    records = (async function* () {
      for await (const r of readCsvRecords(chunks)) yield { cells: r.fields, errors: [], line: r.line };
    })();
  }
  let header: string[] | null = null;
  let headerLine = 0;
  const rows: SheetRecord[] = [];
  try {
    for await (const record of records) {
      const text = record.cells.map(cellText);
      if (isBlankRecord(text) && record.errors.length === 0) continue;
      if (!header) {
        if (format === 'csv') refuseNonCsvHeader(file, text, record.line, suffix);
        header = uniqueHeader(text);
        headerLine = record.line;
        continue;
      }
      if (rows.length >= options.maxRows) throw new ImportError(`${file} has more than ${options.maxRows.toLocaleString('en-US')} rows, the most one import takes; split it into smaller files.${suffix}`);
      rows.push(record);
    }
  } catch (error) {
    // A file that changed under the read explains whatever the reader then found wrong in it.
    await checkFileUnchanged(path, identity, suffix);
    if (error instanceof CsvError) throw new ImportError(`${file}, ${error.message}.${suffix}`);
    if (error instanceof XlsxError) throw new ImportError(`${error.message}.${suffix}`);
    if (isFileSystemError(error)) throw readFailure(path, error);
    throw error;
  } finally {
    close();
  }
  await checkFileUnchanged(path, identity, suffix, bytesRead);
  const where = format === 'xlsx' ? `${file}, sheet "${facts.sheet ?? ''}"` : file;
  if (!header) throw new ImportError(`${where} is empty: no header row.${suffix}`);
  return { format, sheets: facts.sheets ?? [], sheet: facts.sheet ?? null, header, headerLine, rows };
}
