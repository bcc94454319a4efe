import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { basename, extname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import type { ColumnMapping, DuplicatePolicy, ImportPreview, ImportRejection, ImportReport } from '../../shared/contract';
import type { IngredientLexicon } from '../../shared/inci/lexicon';
import { parseInciDeclaration, type ParsedIngredient } from '../../shared/inci/parse';
import { ensureCatalogIngredient } from '../db/queries/ingredients';
import { CsvError, readCsvRecords, type CsvFormat, type Delimiter, type TextEncodingName } from './csv';
import { parseScore, resolveColumnMapping, type ResolvedMapping } from './columns';
import { formatBytes } from '../../shared/format-bytes';

/**
 * Catalog import: CSV (streamed) or JSON → parsed, validated products → one transaction.
 * Every row is either imported or rejected with its line and reason; nothing is half-written.
 */

export interface ImportOptions {
  path: string;
  format?: 'auto' | 'csv' | 'json';
  mapping?: ColumnMapping;
  duplicates?: DuplicatePolicy;
  encoding?: TextEncodingName;
  delimiter?: Delimiter;
  catalogName?: string;
  illustrative?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface ImportProgress {
  stage: 'reading' | 'writing' | 'done';
  rows: number;
  bytesRead?: number;
  totalBytes?: number;
}

/** A problem with the whole file (unreadable, not a catalog): nothing was imported. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

interface PreparedProduct {
  line: number;
  name: string;
  brand: string;
  category: string;
  declaration: string;
  ingredients: ParsedIngredient[];
  benefits: Map<string, number>;
  extra: Record<string, string>;
  warnings: string[];
  hash: string;
}

const SAMPLE_ROWS = 200;
/**
 * The largest catalog file imported, CSV or JSON: 512 MiB, refused up front with its size and
 * this limit named. The CSV reader streams with flat memory, so this is not about memory: a
 * catalog is a list of products a person curates (the public Sephora file is 1.1 MB for 1,472
 * products, so 512 MiB is some 650,000 of them, ten times the 50,000 the model, the map and the
 * lists are built and measured for). A bigger file is almost always the wrong file (an export of
 * something else, a log, a disk image), and importing it would hold the database's write lock
 * for many minutes. JSON is parsed whole, so it needs a limit anyway.
 */
export const MAX_CATALOG_BYTES = 512 * 1024 * 1024;
/**
 * An ingredient list longer than this is rejected (the longest in the public catalog is 5,491
 * characters): parsing grows with the list, and a multi-megabyte cell is the wrong column or
 * a broken quote, not a declaration.
 */
export const MAX_DECLARATION_CHARS = 64 * 1024;
const MAX_REJECTIONS_LISTED = 10_000;
const MAX_WARNINGS_KEPT = 500;
const MAX_DUPLICATES_LISTED = 1000;
/** Longest stretch of synchronous work before the importer yields to the event loop. */
const SLICE_MS = 20;

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
  const format = options.format && options.format !== 'auto' ? options.format : extname(options.path).toLowerCase() === '.json' ? 'json' : 'csv';

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

/** One import in progress: turns rows into products inside the open transaction. */
class ImportRun {
  private catalogId = 0;
  private readonly unknown = new Map<string, { name: string; occurrences: number; suggestion: string | null }>();
  private readonly catalogIngredient = new Map<string, number>();
  private duplicateCount = 0;
  private lastYield = performance.now();
  private readonly sql;
  /** Benefit scores may be written "0,5": set for semicolon-separated files, where the comma is the decimal mark. */
  decimalComma = false;

  constructor(
    private readonly db: Database,
    private readonly lexicon: IngredientLexicon,
    private readonly options: ImportOptions,
    readonly report: ImportReport,
  ) {
    this.sql = {
      insertCatalog: db.prepare(`INSERT INTO catalogs (name, source_path, format, imported_at, illustrative, report) VALUES (?, ?, ?, ?, ?, '{}')`),
      insertProduct: db.prepare(
        `INSERT INTO products (catalog_id, name, brand, category, declaration, ingredients_hash, source_line, extra, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertItem: db.prepare(`INSERT INTO product_ingredients (product_id, position, ingredient_id, raw, percent, section) VALUES (?, ?, ?, ?, ?, ?)`),
      insertScore: db.prepare(`INSERT OR IGNORE INTO benefit_scores (product_id, benefit, value, source) VALUES (?, ?, ?, 'imported')`),
      mergeExtra: db.prepare(`UPDATE products SET extra = json_patch(?, extra) WHERE id = ?`),
      byName: db.prepare(`SELECT id, name, catalog_id AS catalogId, source_line AS line FROM products WHERE lower(brand) = lower(?) AND lower(name) = lower(?) ORDER BY id LIMIT 1`),
      byHash: db.prepare(`SELECT id, name, catalog_id AS catalogId, source_line AS line FROM products WHERE ingredients_hash = ? ORDER BY id LIMIT 1`),
      updateReport: db.prepare(`UPDATE catalogs SET report = ? WHERE id = ?`),
    };
  }

  begin(): void {
    const o = this.options;
    this.catalogId = Number(this.sql.insertCatalog.run(o.catalogName ?? basename(o.path), o.path, this.report.format, new Date().toISOString(), o.illustrative ? 1 : 0).lastInsertRowid);
  }

  reject(rejection: ImportRejection): void {
    this.report.rowsRead++;
    this.report.rowsRejected++;
    if (this.report.rejected.length < MAX_REJECTIONS_LISTED) this.report.rejected.push(rejection);
    this.report.rejectedByReason[rejection.code] = (this.report.rejectedByReason[rejection.code] ?? 0) + 1;
  }

  warn(line: number, message: string): void {
    if (this.report.warnings.length < MAX_WARNINGS_KEPT) this.report.warnings.push({ line, message });
  }

  /** Parses one row and inserts (or merges) it. */
  accept(line: number, cells: (col: string) => string, mapping: ResolvedMapping, concentrations?: unknown): void {
    const declaration = cells(mapping.ingredients);
    const name = mapping.name ? cells(mapping.name).trim() : '';
    const displayName = name || `Unnamed product (line ${line})`;
    if (declaration.length > MAX_DECLARATION_CHARS) {
      this.reject({
        line,
        code: 'too-long',
        reason: `column "${mapping.ingredients}": the ingredient list is ${declaration.length.toLocaleString('en-US')} characters long, over the limit of ${MAX_DECLARATION_CHARS.toLocaleString('en-US')}; check the column and its quotes`,
        name: displayName,
      });
      return;
    }
    const parsed = parseInciDeclaration(declaration, this.lexicon);
    if (!parsed.ok) {
      this.reject({ line, code: parsed.code, reason: `column "${mapping.ingredients}": ${parsed.reason}`, name: displayName });
      return;
    }
    this.report.rowsRead++;
    const warnings = parsed.warnings.map((w) => w.message);
    applyConcentrations(parsed.ingredients, concentrations, warnings);
    const benefits = new Map<string, number>();
    for (const col of mapping.benefits) {
      const v = parseScore(cells(col), this.decimalComma);
      if (v === undefined) warnings.push(`benefit column "${col}" holds "${cells(col).slice(0, 40)}", which is not a number; left empty`);
      else if (v !== null) benefits.set(col, v);
    }
    const extra: Record<string, string> = {};
    for (const col of mapping.extra) {
      const v = cells(col);
      if (v !== '') extra[col] = v;
    }
    for (const w of parsed.warnings) {
      this.report.warningCounts[w.code] = (this.report.warningCounts[w.code] ?? 0) + 1;
      if (w.code === 'unknown') this.noteUnknown(w.message, w.suggestion ?? null);
    }
    for (const w of warnings) this.warn(line, w);
    this.store({
      line,
      name: displayName,
      brand: mapping.brand ? cells(mapping.brand).trim() : '',
      category: mapping.category ? cells(mapping.category).trim() : '',
      declaration,
      ingredients: parsed.ingredients,
      benefits,
      extra,
      warnings,
      hash: hashIngredients(parsed.ingredients),
    });
  }

  /** Yields to the event loop when this slice of synchronous work has run long enough. */
  async breathe(bytesRead?: number, totalBytes?: number): Promise<void> {
    if (performance.now() - this.lastYield < SLICE_MS) return;
    this.options.onProgress?.({ stage: 'reading', rows: this.report.rowsRead, bytesRead, totalBytes });
    checkAborted(this.options.signal);
    await yieldToEventLoop();
    this.lastYield = performance.now();
  }

  finish(elapsedMs: number): ImportReport {
    const r = this.report;
    r.catalogId = this.catalogId;
    r.rowsImported = r.productsInserted + r.rowsMerged;
    r.duplicateCount = this.duplicateCount;
    r.unknownIngredients = [...this.unknown.values()].sort((a, b) => b.occurrences - a.occurrences).slice(0, 100);
    r.elapsedMs = elapsedMs;
    this.sql.updateReport.run(JSON.stringify({ ...r, warnings: r.warnings.slice(0, 100) }), this.catalogId);
    return r;
  }

  private noteUnknown(message: string, suggestion: string | null): void {
    const name = /^unknown ingredient "(.*?)"/.exec(message)?.[1];
    if (!name) return;
    const u = this.unknown.get(name) ?? { name, occurrences: 0, suggestion };
    u.occurrences++;
    this.unknown.set(name, u);
  }

  private store(p: PreparedProduct): void {
    const r = this.report;
    type Match = { id: number; name: string; catalogId: number; line: number | null };
    const named = !p.name.startsWith('Unnamed product (line');
    const sameName = named ? (this.sql.byName.get(p.brand, p.name) as Match | undefined) : undefined;
    const duplicate = sameName ?? (this.sql.byHash.get(p.hash) as Match | undefined);
    if (duplicate) {
      this.duplicateCount++;
      const policy = this.options.duplicates ?? 'keep';
      if (r.duplicates.length < MAX_DUPLICATES_LISTED) {
        r.duplicates.push({
          line: p.line,
          name: p.name,
          kind: sameName ? 'same-brand-and-name' : 'same-ingredients',
          duplicateOf: duplicate.catalogId === this.catalogId ? `"${duplicate.name}" (line ${duplicate.line})` : `"${duplicate.name}" (product ${duplicate.id}, already in the database)`,
          action: policy === 'merge' ? 'merged' : 'kept',
        });
      }
      if (policy === 'merge') {
        for (const [benefit, value] of p.benefits) this.sql.insertScore.run(duplicate.id, benefit, value);
        this.sql.mergeExtra.run(JSON.stringify(p.extra), duplicate.id);
        r.rowsMerged++;
        return;
      }
    }
    const id = Number(
      this.sql.insertProduct.run(this.catalogId, p.name, p.brand, p.category, p.declaration, p.hash, p.line, JSON.stringify(p.extra), JSON.stringify(p.warnings))
        .lastInsertRowid,
    );
    p.ingredients.forEach((ing, position) => {
      r.ingredientOccurrences++;
      let ingredientId = ing.ingredientId;
      if (ingredientId === null) {
        ingredientId = this.catalogIngredient.get(ing.key) ?? ensureCatalogIngredient(this.db, ing.name, ing.key);
        this.catalogIngredient.set(ing.key, ingredientId);
      } else {
        r.knownOccurrences++;
      }
      this.sql.insertItem.run(id, position + 1, ingredientId, ing.raw, ing.percent, ing.section);
    });
    for (const [benefit, value] of p.benefits) this.sql.insertScore.run(id, benefit, value);
    r.productsInserted++;
  }
}

function emptyReport(source: string, format: 'csv' | 'json'): ImportReport {
  return {
    catalogId: null, source, format, encoding: 'utf-8', delimiter: null, mapping: { ingredients: '' },
    rowsRead: 0, rowsImported: 0, productsInserted: 0, rowsMerged: 0, rowsRejected: 0, rejected: [], rejectedByReason: {},
    duplicates: [], duplicateCount: 0, warningCounts: {}, warnings: [], unknownIngredients: [], ingredientOccurrences: 0, knownOccurrences: 0, elapsedMs: 0,
  };
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ImportError('import cancelled; nothing was imported');
}

/** Checks a catalog path before reading: a readable file within {@link MAX_CATALOG_BYTES}. Returns its size. */
async function statCatalogFile(path: string, suffix: string): Promise<number> {
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

/** A file-system error while opening or reading a catalog, said plainly. */
function readFailure(path: string, error: unknown): ImportError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ImportError(`cannot read ${path}: the file does not exist`);
  if (code === 'EACCES' || code === 'EPERM') return new ImportError(`cannot read ${path}: permission denied; check that your account may read the file`);
  return new ImportError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
}

function isFileSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** A blank line, or a row of empty cells (spreadsheets export trailing ones): not a product. */
function isBlankRecord(fields: readonly string[]): boolean {
  return fields.every((f) => f.trim() === '');
}

/**
 * Refuses a header line that shows the file is not a CSV catalog: JSON (a first cell that opens
 * an object or array) or binary data (control characters, which no header line holds).
 */
function refuseNonCsvHeader(file: string, fields: readonly string[], line: number, suffix: string): void {
  const first = fields[0] ?? '';
  if (/^\s*(\{\s*("|$)|\[\s*(\{|\[|"|\d|$))/.test(first)) {
    throw new ImportError(`${file} holds JSON, not CSV (line ${line} starts with "${first.trim().slice(0, 1)}"); give it a .json name or choose the JSON format, and import it again.${suffix}`);
  }
  if (fields.some((f) => /[^\P{Cc}\t\n\r]/u.test(f))) {
    throw new ImportError(`${file}, line ${line}: the header holds control characters, so this is binary data, not a text CSV file; is it the right file?${suffix}`);
  }
}

/** Makes header names unique and non-empty ("Name", "Name (2)", "Column 4"); `onRepeat` hears of each renamed repeat. */
function uniqueHeader(raw: readonly string[], onRepeat?: (message: string) => void): string[] {
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
    mapping = resolveColumnMapping(header!, buffered.map((r) => r.fields), options.mapping, { decimalComma: run.decimalComma });
    index = new Map(header!.map((h, i) => [h, i]));
    report.mapping = { ...mapping };
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
  let text = await fs.readFile(options.path, 'utf8').catch((error: unknown) => {
    throw readFailure(options.path, error);
  });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`${file} is not valid JSON (${(error as Error).message}). Nothing was imported.`);
  }
  const rows = Array.isArray(json) ? json : (json as { products?: unknown })?.products;
  if (!Array.isArray(rows)) throw new ImportError(`${file}: expected an array of products, or an object with a "products" array. Nothing was imported.`);
  const keys: string[] = [];
  for (const row of rows) {
    if (row && typeof row === 'object' && !Array.isArray(row)) for (const k of Object.keys(row)) if (!keys.includes(k) && k !== 'concentrations') keys.push(k);
  }
  const asText = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) {
      // A list of names: joined as a declaration, or as a Python-style list when a name holds a comma.
      return v.every((x) => typeof x === 'string' && !x.includes(','))
        ? v.join(', ')
        : `[${v.map((x) => `'${String(x).replace(/'/g, "\\'")}'`).join(', ')}]`;
    }
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  const sample = rows.slice(0, SAMPLE_ROWS).map((r) => keys.map((k) => asText((r as Record<string, unknown>)?.[k])));
  let mapping: ResolvedMapping;
  try {
    mapping = resolveColumnMapping(keys, sample, options.mapping);
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
    run.accept(line, (col) => asText(record[col]), mapping, record.concentrations);
    await run.breathe(undefined, totalBytes);
  }
}

/** Attaches per-ingredient percentages given as a parallel array (the JSON format's `concentrations`). */
function applyConcentrations(ingredients: ParsedIngredient[], concentrations: unknown, warnings: string[]): void {
  if (concentrations === undefined) return;
  if (!Array.isArray(concentrations) || concentrations.length !== ingredients.length || !concentrations.every((c) => typeof c === 'number' && c >= 0 && c <= 100)) {
    warnings.push('"concentrations" must be a list of numbers (0–100), one per ingredient; ignored');
    return;
  }
  concentrations.forEach((c, i) => (ingredients[i]!.percent = c as number));
}

function hashIngredients(ingredients: readonly ParsedIngredient[]): string {
  return createHash('sha1').update(ingredients.map((i) => i.key).join('|')).digest('hex');
}

const PREVIEW_ROWS = 10;

/**
 * Reads the head of a catalog file the way the import will (encoding, delimiter, header,
 * column roles) without writing anything; a problem the import would fail on is returned as
 * `problem`, with the columns present, so the wizard can offer a mapping.
 */
export async function previewCatalogFile(options: Pick<ImportOptions, 'path' | 'format' | 'mapping' | 'encoding' | 'delimiter'>): Promise<ImportPreview> {
  await statCatalogFile(options.path, '');
  const file = basename(options.path);
  const format = options.format && options.format !== 'auto' ? options.format : extname(options.path).toLowerCase() === '.json' ? 'json' : 'csv';
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s);
  const settle = (header: string[], sample: string[][], base: Omit<ImportPreview, 'mapping' | 'problem' | 'header' | 'rows'>): ImportPreview => {
    const rows = sample.slice(0, PREVIEW_ROWS).map((r) => header.map((_, i) => cut(r[i] ?? '')));
    try {
      return { ...base, header, rows, mapping: resolveColumnMapping(header, sample, options.mapping, { decimalComma: base.delimiter === ';' }), problem: null };
    } catch (error) {
      return { ...base, header, rows, mapping: null, problem: (error as Error).message };
    }
  };
  if (format === 'json') {
    let text = await fs.readFile(options.path, 'utf8').catch((error: unknown) => {
      throw readFailure(options.path, error);
    });
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ImportError(`${file} is not valid JSON (${(error as Error).message})`);
    }
    const products = Array.isArray(json) ? json : (json as { products?: unknown })?.products;
    if (!Array.isArray(products)) throw new ImportError(`${file}: expected an array of products, or an object with a "products" array`);
    const objects = products.filter((p): p is Record<string, unknown> => !!p && typeof p === 'object' && !Array.isArray(p)).slice(0, SAMPLE_ROWS);
    const header = [...new Set(objects.flatMap((o) => Object.keys(o)))].filter((k) => k !== 'concentrations');
    const text2 = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));
    return settle(header, objects.map((o) => header.map((k) => text2(o[k]))), { format, encoding: 'utf-8', delimiter: null });
  }
  const stream = createReadStream(options.path, { highWaterMark: 64 * 1024 });
  const chunks = (async function* () {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
  })();
  const found: Partial<CsvFormat> = {};
  let header: string[] | null = null;
  const sample: string[][] = [];
  let lastYield = performance.now();
  try {
    for await (const record of readCsvRecords(chunks, { encoding: options.encoding, delimiter: options.delimiter }, found)) {
      if (!header) {
        if (isBlankRecord(record.fields)) continue;
        refuseNonCsvHeader(file, record.fields, record.line, '');
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
    if (error instanceof CsvError) throw new ImportError(`${file}, ${error.message}`);
    if (isFileSystemError(error)) throw readFailure(options.path, error);
    throw error;
  } finally {
    stream.destroy();
  }
  if (!header) throw new ImportError(`${file} is empty: no header line`);
  return settle(header, sample, { format, encoding: found.encoding ?? 'utf-8', delimiter: found.delimiter ?? ',' });
}
