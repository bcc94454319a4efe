import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ColumnMapping, ImportReport } from '../../shared/api';
import type { IngredientLexicon } from '../../shared/inci/lexicon';
import { isBlankRecord, isFileSystemError, readFailure, readJsonProducts, refuseNonCsvHeader, ImportError, jsonCellText, SAMPLE_ROWS, statCatalogFile, uniqueHeader, catalogFormat } from './catalog-file';
import { CsvError, readCsvRecords, type CsvFormat, type Delimiter, type TextEncodingName } from './csv';
import { resolveColumnMapping, type ResolvedMapping } from './columns';
import { checkAborted, emptyReport, ImportRun, type ImportRunOptions } from './import-run';

export type { ImportProgress } from './import-run';

/**
 * Catalog import: CSV (streamed) or JSON → parsed, validated products → one transaction.
 * Every row is either imported or rejected with its line and reason; nothing is half-written.
 */

/** An import's options: the file, how to read it, and the run's own options. */
export interface ImportOptions extends ImportRunOptions {
  format?: 'auto' | 'csv' | 'json';
  mapping?: ColumnMapping;
  encoding?: TextEncodingName;
  delimiter?: Delimiter;
}

/**
 * Imports a catalog file. `lexicon` is the knowledge base's name index; `runExclusive`
 * serialises the import with every other write of the app, because its single transaction
 * spans awaits: rows are parsed, checked and inserted as they stream in, so memory stays flat
 * and the event loop is never held for long, yet the import commits all at once or not at all.
 */
export async function importCatalog(
  db: Database,
  lexicon: IngredientLexicon,
  options: ImportOptions,
  runExclusive: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): Promise<ImportReport> {
  const started = performance.now();
  const size = await statCatalogFile(options.path, ' Nothing was imported.');
  const format = catalogFormat(options.path, options.format);

  return runExclusive(async () => {
    const run = new ImportRun(db, lexicon, options, emptyReport(options.path, format));
    db.exec('BEGIN IMMEDIATE');
    try {
      run.begin();
      if (format === 'csv') await readCsvRows(options, size, run);
      else await readJsonRows(options, size, run);
      checkAborted(options.signal);
      const report = run.finish(Math.round(performance.now() - started));
      db.exec('COMMIT');
      options.onProgress?.({ stage: 'done', rows: report.rowsRead });
      return report;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  });
}

async function readCsvRows(options: ImportOptions, totalBytes: number, run: ImportRun): Promise<void> {
  const report = run.report;
  const stream = createReadStream(options.path, { highWaterMark: 64 * 1024 });
  let bytesRead = 0;
  const counted = (async function* () {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    }
  })();
  const file = basename(options.path);
  const format: Partial<CsvFormat> = {};
  let header: string[] | null = null;
  let headerLine = 1;
  let productRows = 0;
  let mapping: ResolvedMapping | null = null;
  let index: Map<string, number> | null = null;
  const buffered: { fields: string[]; line: number }[] = [];

  const consume = (fields: string[], line: number): void => {
    if (isBlankRecord(fields)) return;
    productRows++;
    if (fields.length > header!.length && fields.slice(header!.length).some((f) => f.trim() !== '')) {
      run.reject({ line, code: 'too-many-fields', reason: `row has ${fields.length} fields but the header has ${header!.length}; check for an unquoted delimiter`, name: '' });
      return;
    }
    if (fields.length < header!.length) run.warn(line, `row has ${fields.length} fields but the header has ${header!.length}; the missing cells were read as empty`);
    run.accept(line, (col) => fields[index!.get(col)!] ?? '', mapping!);
  };
  const settleMapping = async (): Promise<void> => {
    run.decimalComma = format.delimiter === ';';
    const resolved = await resolveColumnMapping(header!, buffered.filter((r) => !isBlankRecord(r.fields)).map((r) => r.fields), options.mapping, { decimalComma: run.decimalComma, lexicon: run.lexicon });
    mapping = resolved.mapping;
    index = new Map(header!.map((h, i) => [h, i]));
    report.mapping = { ...mapping };
    report.columns = resolved.columns;
    for (const r of buffered.splice(0)) {
      consume(r.fields, r.line);
      await run.breathe(bytesRead, totalBytes);
    }
  };

  try {
    for await (const record of readCsvRecords(counted, { encoding: options.encoding, delimiter: options.delimiter }, format)) {
      if (!header) {
        if (isBlankRecord(record.fields)) continue;
        refuseNonCsvHeader(file, record.fields, record.line, ' Nothing was imported.');
        headerLine = record.line;
        header = uniqueHeader(record.fields, (message) => run.warn(headerLine, message));
        continue;
      }
      if (!mapping) {
        buffered.push(record);
        if (buffered.length >= SAMPLE_ROWS) await settleMapping();
      } else {
        consume(record.fields, record.line);
      }
      await run.breathe(bytesRead, totalBytes);
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof CsvError) throw new ImportError(`${file}, ${error.message}. Nothing was imported.`);
    if (error instanceof Error && error.name === 'MappingError') throw new ImportError(`${file}: ${error.message}. Nothing was imported.`);
    if (isFileSystemError(error)) throw readFailure(options.path, error);
    throw error;
  }
  if (!header) throw new ImportError(`${file} is empty: no header line. Nothing was imported.`);
  if (!mapping) {
    try {
      await settleMapping();
    } catch (error) {
      if (error instanceof Error && error.name === 'MappingError') throw new ImportError(`${file}: ${error.message}. Nothing was imported.`);
      throw error;
    }
  }
  if (productRows === 0) throw new ImportError(`${file} has a header (line ${headerLine}) but no product rows. Nothing was imported.`);
  report.encoding = format.encoding ?? 'utf-8';
  report.delimiter = format.delimiter ?? ',';
}

async function readJsonRows(options: ImportOptions, totalBytes: number, run: ImportRun): Promise<void> {
  const report = run.report;
  const file = basename(options.path);
  const rows = await readJsonProducts(options.path, '. Nothing was imported.');
  const keys: string[] = [];
  for (const row of rows) {
    if (row && typeof row === 'object' && !Array.isArray(row)) for (const k of Object.keys(row)) if (!keys.includes(k) && k !== 'concentrations') keys.push(k);
  }
  const sample = rows.slice(0, SAMPLE_ROWS).map((r) => keys.map((k) => jsonCellText((r as Record<string, unknown>)?.[k])));
  let mapping: ResolvedMapping;
  try {
    const resolved = await resolveColumnMapping(keys, sample, options.mapping, { lexicon: run.lexicon });
    mapping = resolved.mapping;
    report.columns = resolved.columns;
  } catch (error) {
    throw new ImportError(`${file}: ${(error as Error).message}. Nothing was imported.`);
  }
  report.mapping = { ...mapping };
  report.encoding = 'utf-8';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const line = i + 1; // for JSON, the product's 1-based index in the array
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      run.reject({ line, code: 'not-an-object', reason: `product ${line} is not an object`, name: '' });
      continue;
    }
    const record = row as Record<string, unknown>;
    run.accept(line, (col) => jsonCellText(record[col]), mapping, record.concentrations);
    await run.breathe(undefined, totalBytes);
  }
}

