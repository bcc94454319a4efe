import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ImportPreview } from '../../shared/api';
import { readJsonCatalog } from './json-stream';
import { detectFileFormat, ImportError, isBlankRecord, isFileSystemError, jsonCellText, jsonFailure, readFailure, refuseNonCsvHeader, SAMPLE_ROWS, SLICE_MS, statCatalogFile, uniqueHeader, xlsxTextRecords } from './catalog-file';
import { readXlsxRows, XlsxError, type WorkbookFacts } from './xlsx';
import { CsvError, readCsvRecords, type CsvFormat } from './csv';
import { MappingError, resolveColumnMapping } from './columns';
import type { IngredientLexicon } from '../../shared/inci/lexicon';
import type { ImportOptions } from './importer';

const PREVIEW_ROWS = 10;

/**
 * Reads the head of a catalog file the way the import will (encoding, delimiter, header,
 * column roles) without writing anything; a problem the import would fail on is returned as
 * `problem`, with the columns present, so the wizard can offer a mapping. `lexicon` (the
 * knowledge base's names) lets the ingredients column be judged by how many names it knows.
 */
export async function previewCatalogFile(options: Pick<ImportOptions, 'path' | 'format' | 'sheet' | 'mapping' | 'encoding' | 'delimiter'>, lexicon?: IngredientLexicon): Promise<ImportPreview> {
  await statCatalogFile(options.path, '');
  const file = basename(options.path);
  const format = await detectFileFormat(options.path, options.format, '');
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s);
  const settle = async (header: string[], sample: string[][], base: Omit<ImportPreview, 'mapping' | 'columns' | 'problem' | 'header' | 'rows'>): Promise<ImportPreview> => {
    const rows = sample.slice(0, PREVIEW_ROWS).map((r) => header.map((_, i) => cut(r[i] ?? '')));
    try {
      const { mapping, columns } = await resolveColumnMapping(header, sample, options.mapping, { decimalComma: base.delimiter === ';', lexicon });
      return { ...base, header, rows, mapping, columns, problem: null };
    } catch (error) {
      if (!(error instanceof MappingError)) throw error;
      return { ...base, header, rows, mapping: null, columns: [], problem: error.message };
    }
  };
  if (format === 'json') {
    const objects: Record<string, unknown>[] = [];
    try {
      // The first products only: leaving the loop stops the stream.
      for await (const { value } of readJsonCatalog(options.path)) {
        if (value && typeof value === 'object' && !Array.isArray(value)) objects.push(value as Record<string, unknown>);
        if (objects.length >= SAMPLE_ROWS) break;
      }
    } catch (error) {
      throw jsonFailure(options.path, error, '');
    }
    const header = [...new Set(objects.flatMap((o) => Object.keys(o)))].filter((k) => k !== 'concentrations');
    return settle(header, objects.map((o) => header.map((k) => jsonCellText(o[k]))), { format, encoding: 'utf-8', delimiter: null });
  }
  if (format === 'xlsx') {
    const facts: WorkbookFacts = {};
    const { header, sample } = await readSample(xlsxTextRecords(readXlsxRows(options.path, { sheet: options.sheet }, facts)), () => undefined, (error) =>
      error instanceof XlsxError ? new ImportError(error.message) : null,
    );
    if (!header) throw new ImportError(`${file}, sheet "${facts.sheet ?? ''}" is empty: no header row`);
    return { ...(await settle(header, sample, { format, encoding: 'xlsx', delimiter: null })), sheets: facts.sheets ?? [], sheet: facts.sheet ?? '' };
  }
  const stream = createReadStream(options.path, { highWaterMark: 64 * 1024 });
  const chunks = (async function* () {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
  })();
  const found: Partial<CsvFormat> = {};
  const { header, sample } = await readSample(
    readCsvRecords(chunks, { encoding: options.encoding, delimiter: options.delimiter }, found),
    (fields, line) => refuseNonCsvHeader(file, fields, line, ''),
    (error) => (error instanceof CsvError ? new ImportError(`${file}, ${error.message}`) : null),
    () => stream.destroy(),
  ).catch((error: unknown) => {
    throw isFileSystemError(error) ? readFailure(options.path, error) : error;
  });
  if (!header) throw new ImportError(`${file} is empty: no header line`);
  return settle(header, sample, { format, encoding: found.encoding ?? 'utf-8', delimiter: found.delimiter ?? ',' });
}

/** The header and the first {@link SAMPLE_ROWS} non-blank rows of a table, yielding to the event loop now and then. */
async function readSample(
  records: AsyncIterable<{ fields: string[]; line: number }>,
  checkHeader: (fields: readonly string[], line: number) => void,
  failure: (error: unknown) => ImportError | null,
  close: () => void = () => undefined,
): Promise<{ header: string[] | null; sample: string[][] }> {
  let header: string[] | null = null;
  const sample: string[][] = [];
  let lastYield = performance.now();
  try {
    for await (const record of records) {
      if (!header) {
        if (isBlankRecord(record.fields)) continue;
        checkHeader(record.fields, record.line);
        header = uniqueHeader(record.fields);
        continue;
      }
      // Thousands of blank lines come from one chunk without a wait for the disk: yield now and then.
      if (performance.now() - lastYield >= SLICE_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (isBlankRecord(record.fields)) continue;
      sample.push(record.fields);
      if (sample.length >= SAMPLE_ROWS) break;
    }
  } catch (error) {
    throw failure(error) ?? error;
  } finally {
    close();
  }
  return { header, sample };
}
