import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { CatalogFileFormat, ColumnMapping, ImportReport } from '../../shared/api';
import type { IngredientLexicon } from '../../shared/inci/lexicon';
import { checkFileUnchanged, detectFileFormat, fileIdentity, isBlankRecord, isFileSystemError, jsonCellText, jsonFailure, readFailure, refuseNonCsvHeader, ImportError, SAMPLE_ROWS, statCatalogFile, uniqueHeader, xlsxTextRecords } from './catalog-file';
import { readJsonCatalog, type JsonProduct } from './json-stream';
import { CsvError, readCsvRecords, type CsvFormat, type Delimiter, type TextEncodingName } from './csv';
import { resolveColumnMapping, type ResolvedMapping } from './columns';
import { checkAborted, emptyReport, ImportRun, type ImportRunOptions } from './import-run';
import { columnLetters, readXlsxRows, XlsxError, type SheetCellError, type WorkbookFacts } from './xlsx';

export type { ImportProgress } from './import-run';

/**
 * Catalog import: CSV or an Excel worksheet (both streamed) or JSON → parsed, validated products → one transaction.
 * Every row is either imported or rejected with its line and reason; nothing is half-written.
 */

/** An import's options: the file, how to read it, and the run's own options. */
export interface ImportOptions extends ImportRunOptions {
  format?: 'auto' | CatalogFileFormat;
  /** The worksheet of a workbook (the first when absent). */
  sheet?: string;
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
  const identity = await fileIdentity(options.path);
  const format = await detectFileFormat(options.path, options.format, ' Nothing was imported.');

  return runExclusive(async () => {
    const run = new ImportRun(db, lexicon, options, emptyReport(options.path, format));
    db.exec('BEGIN IMMEDIATE');
    try {
      run.begin();
      // Bytes read, where the whole file is read front to back (a workbook is read by its directory).
      let bytesRead: number | undefined;
      if (format === 'json') bytesRead = await readJsonRows(options, size, run);
      else {
        const { source, destroy } = format === 'xlsx' ? xlsxSource(options, run) : csvSource(options, run);
        await readTableRows(source, options, size, run, destroy);
        if (source.kind === 'csv') bytesRead = source.bytesRead();
      }
      checkAborted(options.signal);
      await checkFileUnchanged(options.path, identity, ' Nothing was imported.', bytesRead);
      const report = run.finish(Math.round(performance.now() - started));
      db.exec('COMMIT');
      options.onProgress?.({ stage: 'done', rows: report.rowsRead });
      return report;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      // A file that changed under the read explains whatever the reader then found wrong in it (a quote never closed, say).
      if (error instanceof ImportError) await checkFileUnchanged(options.path, identity, ' Nothing was imported.');
      throw error;
    }
  });
}

/** Rows of a table (a CSV file or a worksheet) as text records, with what the reader learned about the file. */
interface TableSource {
  kind: 'csv' | 'xlsx';
  records: AsyncIterable<{ fields: string[]; line: number; errors?: SheetCellError[] }>;
  /** Bytes of the file read so far, for progress. */
  bytesRead(): number;
  /** Where a line is, for messages: "cat.csv" or "cat.xlsx, sheet "Products"". */
  where: string;
  /** Refuses a header that shows the file is something else (CSV only). */
  checkHeader?(fields: readonly string[], line: number): void;
  /** Called once the sample is read and before the mapping is settled. */
  settled(): void;
  /** Turns the reader's own errors into an {@link ImportError}, or returns null for others. */
  failure(error: unknown): ImportError | null;
}

function csvSource(options: ImportOptions, run: ImportRun): { source: TableSource; destroy(): void } {
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
  const source: TableSource = {
    kind: 'csv',
    records: readCsvRecords(counted, { encoding: options.encoding, delimiter: options.delimiter }, format),
    bytesRead: () => bytesRead,
    where: file,
    checkHeader: (fields, line) => refuseNonCsvHeader(file, fields, line, ' Nothing was imported.'),
    settled: () => {
      run.decimalComma = format.delimiter === ';';
      run.report.encoding = format.encoding ?? 'utf-8';
      run.report.delimiter = format.delimiter ?? ',';
    },
    failure: (error) => (error instanceof CsvError ? new ImportError(`${file}, ${error.message}. Nothing was imported.`) : null),
  };
  return { source, destroy: () => stream.destroy() };
}

function xlsxSource(options: ImportOptions, run: ImportRun): { source: TableSource; destroy(): void } {
  const file = basename(options.path);
  const facts: WorkbookFacts = {};
  let bytesRead = 0;
  const rows = readXlsxRows(options.path, { sheet: options.sheet, onBytes: (b) => (bytesRead = b) }, facts);
  const source: TableSource = {
    kind: 'xlsx',
    records: xlsxTextRecords(rows),
    bytesRead: () => bytesRead,
    get where() {
      return `${file}, sheet "${facts.sheet ?? options.sheet ?? ''}"`;
    },
    settled: () => {
      run.report.sheet = facts.sheet;
      run.report.encoding = 'xlsx';
      run.report.delimiter = null;
    },
    failure: (error) => (error instanceof XlsxError ? new ImportError(`${error.message}. Nothing was imported.`) : null),
  };
  return { source, destroy: () => void rows.return(undefined) };
}

async function readTableRows(source: TableSource, options: ImportOptions, totalBytes: number, run: ImportRun, destroy: () => void): Promise<void> {
  let header: string[] | null = null;
  let headerLine = 1;
  let productRows = 0;
  let mapping: ResolvedMapping | null = null;
  let index: Map<string, number> | null = null;
  const buffered: { fields: string[]; line: number; errors?: SheetCellError[] }[] = [];

  const consume = (fields: string[], line: number, errors: SheetCellError[] | undefined): void => {
    if (isBlankRecord(fields) && !errors?.length) return;
    productRows++;
    if (fields.length > header!.length && fields.slice(header!.length).some((f) => f.trim() !== '')) {
      // A sheet may hold notes right of the table; a CSV row that is longer has lost a quote.
      if (source.kind === 'xlsx') run.warn(line, `cells right of the last headed column (${columnLetters(header!.length - 1)}) are ignored`);
    }
    if (source.kind === 'csv' && fields.length > header!.length && fields.slice(header!.length).some((f) => f.trim() !== '')) {
      run.reject({ line, code: 'too-many-fields', reason: `row has ${fields.length} fields but the header has ${header!.length}; check for an unquoted delimiter`, name: '' });
      return;
    }
    const mapped = [mapping!.ingredients, mapping!.name].filter((c): c is string => !!c);
    const broken = errors?.find((e) => mapped.includes(header![e.column] ?? ''));
    if (broken) {
      const column = header![broken.column]!;
      run.reject({ line, code: 'cell-error', reason: `${source.where}, row ${line}, column ${columnLetters(broken.column)} ("${column}"): the cell holds the error ${broken.error}`, name: '' });
      return;
    }
    for (const e of errors ?? []) run.warn(line, `column ${columnLetters(e.column)} ("${header![e.column] ?? ''}") holds the error ${e.error}; read as empty`);
    if (source.kind === 'csv' && fields.length < header!.length) run.warn(line, `row has ${fields.length} fields but the header has ${header!.length}; the missing cells were read as empty`);
    run.accept(line, (col) => fields[index!.get(col)!] ?? '', mapping!);
  };
  const settleMapping = async (): Promise<void> => {
    source.settled();
    const resolved = await resolveColumnMapping(header!, buffered.filter((r) => !isBlankRecord(r.fields)).map((r) => r.fields), options.mapping, { decimalComma: run.decimalComma, lexicon: run.lexicon });
    mapping = resolved.mapping;
    index = new Map(header!.map((h, i) => [h, i]));
    run.report.mapping = { ...mapping };
    run.report.columns = resolved.columns;
    for (const r of buffered.splice(0)) {
      consume(r.fields, r.line, r.errors);
      await run.breathe(source.bytesRead(), totalBytes);
    }
  };
  const mappingFailure = (error: unknown): ImportError | null =>
    error instanceof Error && error.name === 'MappingError' ? new ImportError(`${source.where}: ${error.message}. Nothing was imported.`) : null;

  try {
    for await (const record of source.records) {
      if (!header) {
        if (isBlankRecord(record.fields)) continue;
        source.checkHeader?.(record.fields, record.line);
        headerLine = record.line;
        header = uniqueHeader(record.fields, (message) => run.warn(headerLine, message));
        continue;
      }
      if (!mapping) {
        buffered.push(record);
        if (buffered.length >= SAMPLE_ROWS) await settleMapping();
      } else {
        consume(record.fields, record.line, record.errors);
      }
      await run.breathe(source.bytesRead(), totalBytes);
    }
  } catch (error) {
    destroy();
    const known = source.failure(error) ?? mappingFailure(error);
    if (known) throw known;
    if (isFileSystemError(error)) throw readFailure(options.path, error);
    throw error;
  }
  if (!header) throw new ImportError(`${source.where} is empty: no header line. Nothing was imported.`);
  if (!mapping) {
    try {
      await settleMapping();
    } catch (error) {
      throw mappingFailure(error) ?? error;
    }
  }
  if (productRows === 0) throw new ImportError(`${source.where} has a header (line ${headerLine}) but no product rows. Nothing was imported.`);
}

/**
 * A JSON catalog, streamed product by product (see json-stream.ts). The fields are judged on the
 * first products, as a table's columns on its first rows; a field first met later is kept as a
 * plain field, with a warning.
 */
async function readJsonRows(options: ImportOptions, totalBytes: number, run: ImportRun): Promise<number> {
  const report = run.report;
  const file = basename(options.path);
  let bytesRead = 0;
  const sample: JsonProduct[] = [];
  const keys = new Set<string>();
  let mapping: ResolvedMapping | null = null;
  report.encoding = 'utf-8';

  const consume = ({ value, index }: JsonProduct): void => {
    // For JSON, a product's "line" is its 1-based number in the array.
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      run.reject({ line: index, code: 'not-an-object', reason: `product ${index} is not an object`, name: '' });
      return;
    }
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      if (keys.has(k) || k === 'concentrations') continue;
      keys.add(k);
      mapping!.extra.push(k);
      run.warn(index, `the field "${k}" first appears in product ${index}, after the ${SAMPLE_ROWS} products the fields were judged on; kept as a plain field`);
    }
    run.accept(index, (col) => jsonCellText(record[col]), mapping!, record.concentrations);
  };
  const settle = async (): Promise<void> => {
    for (const p of sample) {
      if (p.value && typeof p.value === 'object' && !Array.isArray(p.value)) for (const k of Object.keys(p.value)) if (k !== 'concentrations') keys.add(k);
    }
    const header = [...keys];
    const rows = sample.map((p) => header.map((k) => jsonCellText((p.value as Record<string, unknown> | null)?.[k])));
    try {
      const resolved = await resolveColumnMapping(header, rows, options.mapping, { lexicon: run.lexicon });
      mapping = resolved.mapping;
      report.columns = resolved.columns;
    } catch (error) {
      throw new ImportError(`${file}: ${(error as Error).message}. Nothing was imported.`);
    }
    report.mapping = { ...mapping };
    for (const p of sample.splice(0)) {
      consume(p);
      await run.breathe(bytesRead, totalBytes);
    }
  };

  try {
    for await (const product of readJsonCatalog(options.path, (b) => (bytesRead = b))) {
      if (mapping) consume(product);
      else {
        sample.push(product);
        if (sample.length >= SAMPLE_ROWS) await settle();
      }
      await run.breathe(bytesRead, totalBytes);
    }
  } catch (error) {
    throw jsonFailure(options.path, error, '. Nothing was imported.');
  }
  if (!mapping) await settle();
  return bytesRead;
}
