import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { basename, extname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import type { ColumnMapping, DuplicatePolicy, ImportDuplicate, ImportRejection, ImportReport } from '../../shared/contract';
import { IngredientLexicon, type LexiconEntry } from '../../shared/inci/lexicon';
import { parseInciDeclaration, type ParsedIngredient } from '../../shared/inci/parse';
import { ensureCatalogIngredient } from '../db/queries/ingredients';
import { CsvError, readCsvRecords, type CsvFormat, type Delimiter, type TextEncodingName } from './csv';
import { parseScore, resolveColumnMapping, type ResolvedMapping } from './columns';

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
  /** Index of the earlier row in this import it merges into, when merging. */
  mergeInto?: number;
  /** Existing product id it merges into, when merging. */
  mergeIntoExisting?: number;
}

const SAMPLE_ROWS = 200;
const WRITE_BATCH = 500;
const MAX_JSON_BYTES = 512 * 1024 * 1024;
const MAX_WARNINGS_KEPT = 500;

/**
 * Imports a catalog file. `lexiconEntries` is the knowledge base's name index; `runExclusive`
 * serialises the write with every other write of the app (the transaction spans awaits).
 */
export async function importCatalog(
  db: Database,
  lexiconEntries: Iterable<LexiconEntry>,
  options: ImportOptions,
  runExclusive: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): Promise<ImportReport> {
  const started = performance.now();
  const stat = await fs.stat(options.path).catch(() => null);
  if (!stat) throw new ImportError(`cannot read ${options.path}: the file does not exist`);
  if (!stat.isFile()) throw new ImportError(`${options.path} is not a file`);
  const format = options.format && options.format !== 'auto' ? options.format : extname(options.path).toLowerCase() === '.json' ? 'json' : 'csv';
  const lexicon = new IngredientLexicon(lexiconEntries);
  const report = emptyReport(options.path, format);
  const products: PreparedProduct[] = [];

  const accept = (line: number, cells: (col: string) => string, mapping: ResolvedMapping, concentrations?: unknown): void => {
    report.rowsRead++;
    const declaration = cells(mapping.ingredients);
    const name = mapping.name ? cells(mapping.name).trim() : '';
    const displayName = name || `Unnamed product (line ${line})`;
    const parsed = parseInciDeclaration(declaration, lexicon);
    if (!parsed.ok) {
      reject(report, { line, code: parsed.code, reason: `column "${mapping.ingredients}": ${parsed.reason}`, name: displayName });
      return;
    }
    const warnings = parsed.warnings.map((w) => w.message);
    applyConcentrations(parsed.ingredients, concentrations, warnings);
    const benefits = new Map<string, number>();
    for (const col of mapping.benefits) {
      const v = parseScore(cells(col));
      if (v === undefined) warnings.push(`benefit column "${col}" holds "${cells(col).slice(0, 40)}", which is not a number; left empty`);
      else if (v !== null) benefits.set(col, v);
    }
    const extra: Record<string, string> = {};
    for (const col of mapping.extra) {
      const v = cells(col);
      if (v !== '') extra[col] = v;
    }
    for (const w of parsed.warnings) report.warningCounts[w.code] = (report.warningCounts[w.code] ?? 0) + 1;
    for (const w of warnings) if (report.warnings.length < MAX_WARNINGS_KEPT) report.warnings.push({ line, message: w });
    products.push({
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
  };

  if (format === 'csv') await readCsvRows(options, stat.size, report, accept);
  else await readJsonRows(options, stat.size, report, accept);
  checkAborted(options.signal);

  findDuplicates(db, products, options.duplicates ?? 'keep', report);
  tallyIngredients(products, report);

  await runExclusive(() => writeProducts(db, products, report, options));
  report.rowsRejected = report.rejected.length;
  report.rowsImported = report.productsInserted + report.rowsMerged;
  report.elapsedMs = Math.round(performance.now() - started);
  options.onProgress?.({ stage: 'done', rows: report.rowsRead });
  return report;
}

function emptyReport(source: string, format: 'csv' | 'json'): ImportReport {
  return {
    catalogId: null, source, format, encoding: 'utf-8', delimiter: null, mapping: { ingredients: '' },
    rowsRead: 0, rowsImported: 0, productsInserted: 0, rowsMerged: 0, rowsRejected: 0, rejected: [], rejectedByReason: {},
    duplicates: [], warningCounts: {}, warnings: [], unknownIngredients: [], ingredientOccurrences: 0, knownOccurrences: 0, elapsedMs: 0,
  };
}

function reject(report: ImportReport, rejection: ImportRejection): void {
  report.rejected.push(rejection);
  report.rejectedByReason[rejection.code] = (report.rejectedByReason[rejection.code] ?? 0) + 1;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ImportError('import cancelled; nothing was imported');
}

/** Makes header names unique and non-empty ("Name", "Name (2)", "Column 4"). */
function uniqueHeader(raw: readonly string[], report: ImportReport): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    let name = h.trim() || `Column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1) {
      const renamed = `${name} (${n})`;
      report.warnings.push({ line: 1, message: `column ${i + 1} repeats the header "${name}"; read as "${renamed}"` });
      name = renamed;
    }
    return name;
  });
}

async function readCsvRows(
  options: ImportOptions,
  totalBytes: number,
  report: ImportReport,
  accept: (line: number, cells: (col: string) => string, mapping: ResolvedMapping) => void,
): Promise<void> {
  const stream = createReadStream(options.path, { highWaterMark: 64 * 1024 });
  let bytesRead = 0;
  const counted = (async function* () {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    }
  })();
  const format: Partial<CsvFormat> = {};
  let header: string[] | null = null;
  let mapping: ResolvedMapping | null = null;
  let index: Map<string, number> | null = null;
  const buffered: { fields: string[]; line: number }[] = [];

  const consume = (fields: string[], line: number): void => {
    if (fields.length === 1 && fields[0]!.trim() === '') return; // blank line
    if (fields.length > header!.length && fields.slice(header!.length).some((f) => f.trim() !== '')) {
      report.rowsRead++;
      reject(report, { line, code: 'too-many-fields', reason: `row has ${fields.length} fields but the header has ${header!.length}; check for an unquoted delimiter`, name: '' });
      return;
    }
    accept(line, (col) => fields[index!.get(col)!] ?? '', mapping!);
  };
  const settleMapping = (): void => {
    mapping = resolveColumnMapping(header!, buffered.map((r) => r.fields.map((f) => f)), options.mapping);
    index = new Map(header!.map((h, i) => [h, i]));
    report.mapping = { ...mapping };
    for (const r of buffered.splice(0)) consume(r.fields, r.line);
  };

  try {
    let sinceYield = 0;
    for await (const record of readCsvRecords(counted, { encoding: options.encoding, delimiter: options.delimiter }, format)) {
      if (!header) {
        header = uniqueHeader(record.fields, report);
        continue;
      }
      if (!mapping) {
        buffered.push(record);
        if (buffered.length >= SAMPLE_ROWS) settleMapping();
      } else {
        consume(record.fields, record.line);
      }
      if (++sinceYield >= 250) {
        sinceYield = 0;
        options.onProgress?.({ stage: 'reading', rows: report.rowsRead, bytesRead, totalBytes });
        checkAborted(options.signal);
        await yieldToEventLoop();
      }
    }
  } catch (error) {
    stream.destroy();
    if (error instanceof CsvError) throw new ImportError(`${basename(options.path)}, ${error.message}. Nothing was imported.`);
    if (error instanceof Error && error.name === 'MappingError') throw new ImportError(`${basename(options.path)}: ${error.message}. Nothing was imported.`);
    throw error;
  }
  if (!header) throw new ImportError(`${basename(options.path)} is empty: no header line. Nothing was imported.`);
  if (!mapping) {
    try {
      settleMapping();
    } catch (error) {
      throw new ImportError(`${basename(options.path)}: ${(error as Error).message}. Nothing was imported.`);
    }
  }
  report.encoding = format.encoding ?? 'utf-8';
  report.delimiter = format.delimiter ?? ',';
}

async function readJsonRows(
  options: ImportOptions,
  totalBytes: number,
  report: ImportReport,
  accept: (line: number, cells: (col: string) => string, mapping: ResolvedMapping, concentrations?: unknown) => void,
): Promise<void> {
  const file = basename(options.path);
  if (totalBytes > MAX_JSON_BYTES) throw new ImportError(`${file} is larger than 512 MiB; split it or convert it to CSV, which is read in a stream`);
  let text = await fs.readFile(options.path, 'utf8');
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
      report.rowsRead++;
      reject(report, { line, code: 'not-an-object', reason: `product ${line} is not an object`, name: '' });
      continue;
    }
    const record = row as Record<string, unknown>;
    accept(line, (col) => asText(record[col]), mapping, record.concentrations);
    if (i % 500 === 499) {
      options.onProgress?.({ stage: 'reading', rows: report.rowsRead, totalBytes });
      checkAborted(options.signal);
      await yieldToEventLoop();
    }
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

/** Flags (and, with `merge`, folds) rows that repeat an earlier row or an existing product. */
function findDuplicates(db: Database, products: PreparedProduct[], policy: DuplicatePolicy, report: ImportReport): void {
  const byName = new Map<string, number>();
  const byHash = new Map<string, number>();
  const existingByName = db.prepare(`SELECT id, name FROM products WHERE lower(brand) = lower(?) AND lower(name) = lower(?) LIMIT 1`);
  const existingByHash = db.prepare(`SELECT id, name FROM products WHERE ingredients_hash = ? LIMIT 1`);
  products.forEach((p, i) => {
    const nameKey = p.name.startsWith('Unnamed product (line') ? null : `${p.brand.toLowerCase()}\u0000${p.name.toLowerCase()}`;
    let kind: ImportDuplicate['kind'] | null = null;
    let of: string | null = null;
    let earlier: number | undefined;
    let existing: { id: number; name: string } | undefined;
    if (nameKey) {
      earlier = byName.get(nameKey);
      existing = earlier === undefined ? (existingByName.get(p.brand, p.name) as { id: number; name: string } | undefined) : undefined;
      if (earlier !== undefined || existing) kind = 'same-brand-and-name';
    }
    if (!kind) {
      earlier = byHash.get(p.hash);
      existing = earlier === undefined ? (existingByHash.get(p.hash) as { id: number; name: string } | undefined) : undefined;
      if (earlier !== undefined || existing) kind = 'same-ingredients';
    }
    if (kind) {
      of = earlier !== undefined ? `"${products[earlier]!.name}" (line ${products[earlier]!.line})` : `"${existing!.name}" (product ${existing!.id}, already in the database)`;
      report.duplicates.push({ line: p.line, name: p.name, kind, duplicateOf: of, action: policy === 'merge' ? 'merged' : 'kept' });
      if (policy === 'merge') {
        if (earlier !== undefined) p.mergeInto = products[earlier]!.mergeInto ?? earlier;
        else p.mergeIntoExisting = existing!.id;
        return;
      }
    }
    if (nameKey && !byName.has(nameKey)) byName.set(nameKey, i);
    if (!byHash.has(p.hash)) byHash.set(p.hash, i);
  });
}

function tallyIngredients(products: readonly PreparedProduct[], report: ImportReport): void {
  const unknown = new Map<string, { name: string; occurrences: number; suggestion: string | null }>();
  for (const p of products) {
    if (p.mergeInto !== undefined || p.mergeIntoExisting !== undefined) continue;
    for (const ing of p.ingredients) {
      report.ingredientOccurrences++;
      if (ing.ingredientId !== null) report.knownOccurrences++;
      else {
        const u = unknown.get(ing.key) ?? { name: ing.name, occurrences: 0, suggestion: null };
        u.occurrences++;
        unknown.set(ing.key, u);
      }
    }
  }
  for (const p of products) {
    for (const w of p.warnings) {
      const m = /^unknown ingredient "(.*)" — did you mean "(.*)"\?$/.exec(w);
      if (m) for (const u of unknown.values()) if (u.name === m[1]) u.suggestion = m[2]!;
    }
  }
  report.unknownIngredients = [...unknown.values()].sort((a, b) => b.occurrences - a.occurrences).slice(0, 100);
}

/** Writes everything in ONE transaction, in batches that let the event loop breathe between them. */
async function writeProducts(db: Database, products: PreparedProduct[], report: ImportReport, options: ImportOptions): Promise<void> {
  const insertCatalog = db.prepare(`INSERT INTO catalogs (name, source_path, format, imported_at, illustrative, report) VALUES (?, ?, ?, ?, ?, '{}')`);
  const insertProduct = db.prepare(
    `INSERT INTO products (catalog_id, name, brand, category, declaration, ingredients_hash, source_line, extra, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertItem = db.prepare(`INSERT INTO product_ingredients (product_id, position, ingredient_id, raw, percent, section) VALUES (?, ?, ?, ?, ?, ?)`);
  const insertScore = db.prepare(`INSERT OR IGNORE INTO benefit_scores (product_id, benefit, value, source) VALUES (?, ?, ?, 'imported')`);
  const mergeExtra = db.prepare(`UPDATE products SET extra = json_patch(?, extra) WHERE id = ?`);
  const updateReport = db.prepare(`UPDATE catalogs SET report = ? WHERE id = ?`);
  const catalogIngredient = new Map<string, number>();
  const productIds: number[] = new Array<number>(products.length);

  db.exec('BEGIN IMMEDIATE');
  try {
    const catalogId = Number(
      insertCatalog.run(options.catalogName ?? basename(options.path), options.path, report.format, new Date().toISOString(), options.illustrative ? 1 : 0).lastInsertRowid,
    );
    report.catalogId = catalogId;
    for (let start = 0; start < products.length; start += WRITE_BATCH) {
      checkAborted(options.signal);
      for (let i = start; i < Math.min(products.length, start + WRITE_BATCH); i++) {
        const p = products[i]!;
        const target = p.mergeInto !== undefined ? productIds[p.mergeInto]! : p.mergeIntoExisting;
        if (target !== undefined) {
          for (const [benefit, value] of p.benefits) insertScore.run(target, benefit, value);
          mergeExtra.run(JSON.stringify(p.extra), target);
          report.rowsMerged++;
          continue;
        }
        const id = Number(
          insertProduct.run(catalogId, p.name, p.brand, p.category, p.declaration, p.hash, p.line, JSON.stringify(p.extra), JSON.stringify(p.warnings)).lastInsertRowid,
        );
        productIds[i] = id;
        p.ingredients.forEach((ing, position) => {
          let ingredientId = ing.ingredientId;
          if (ingredientId === null) {
            ingredientId = catalogIngredient.get(ing.key) ?? ensureCatalogIngredient(db, ing.name, ing.key);
            catalogIngredient.set(ing.key, ingredientId);
          }
          insertItem.run(id, position + 1, ingredientId, ing.raw, ing.percent, ing.section);
        });
        for (const [benefit, value] of p.benefits) insertScore.run(id, benefit, value);
        report.productsInserted++;
      }
      options.onProgress?.({ stage: 'writing', rows: Math.min(products.length, start + WRITE_BATCH) });
      await yieldToEventLoop();
    }
    report.rowsRejected = report.rejected.length;
    report.rowsImported = report.productsInserted + report.rowsMerged;
    updateReport.run(JSON.stringify({ ...report, warnings: report.warnings.slice(0, 100) }), catalogId);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    report.catalogId = null;
    report.productsInserted = 0;
    report.rowsMerged = 0;
    throw error;
  }
}
