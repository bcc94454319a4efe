import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import type { CatalogFileFormat, DuplicatePolicy, ImportRejection, ImportReport } from '../../shared/api';
import type { IngredientLexicon } from '../../shared/inci/lexicon';
import { splitKitParts } from '../../shared/inci/list-string';
import { parseInciDeclaration, type ParsedIngredient } from '../../shared/inci/parse';
import { ensureCatalogIngredient } from '../db/queries/ingredients';
import { nextId } from '../db/queries/products';
import { ImportError, SLICE_MS } from './catalog-file';
import { parseScore, type ResolvedMapping } from './columns';

/**
 * One catalog import in progress inside its transaction: rows become products (or merge into
 * duplicates) or rejections with their line and reason, and the report counts every one.
 */

/** What a run needs of the import's options. */
export interface ImportRunOptions {
  path: string;
  duplicates?: DuplicatePolicy;
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

/**
 * An ingredient list longer than this is rejected (the longest in the public catalog is 5,491
 * characters): parsing grows with the list, and a multi-megabyte cell is the wrong column or
 * a broken quote, not a declaration.
 */
export const MAX_DECLARATION_CHARS = 64 * 1024;
const MAX_REJECTIONS_LISTED = 10_000;
const MAX_WARNINGS_KEPT = 500;
const MAX_DUPLICATES_LISTED = 1000;
/** One import in progress: turns rows into products inside the open transaction. */
export class ImportRun {
  private catalogId = 0;
  private nextProductId = 0;
  private readonly unknown = new Map<string, { name: string; occurrences: number; suggestion: string | null }>();
  private readonly catalogIngredient = new Map<string, number>();
  private duplicateCount = 0;
  private lastYield = performance.now();
  private readonly sql;
  /** Benefit scores may be written "0,5": set for semicolon-separated files, where the comma is the decimal mark. */
  decimalComma = false;

  constructor(
    private readonly db: Database,
    /** The knowledge base's names (also what the columns are judged with). */
    readonly lexicon: IngredientLexicon,
    private readonly options: ImportRunOptions,
    readonly report: ImportReport,
  ) {
    this.sql = {
      insertCatalog: db.prepare(`INSERT INTO catalogs (id, name, source_path, format, imported_at, illustrative, report) VALUES (?, ?, ?, ?, ?, ?, '{}')`),
      insertProduct: db.prepare(
        `INSERT INTO products (id, catalog_id, name, brand, category, declaration, ingredients_hash, source_line, extra, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    // Numbered above every id a deleted catalog used (see nextId): an old id never names a new row.
    this.catalogId = nextId(this.db, 'catalogs');
    this.nextProductId = nextId(this.db, 'products');
    this.sql.insertCatalog.run(this.catalogId, o.catalogName ?? basename(o.path), o.path, this.report.format, new Date().toISOString(), o.illustrative ? 1 : 0);
  }

  /** Counts a rejected row; `ofRow: false` for a rejected kit part, whose row was counted once already. */
  reject(rejection: ImportRejection, ofRow = true): void {
    if (ofRow) this.report.rowsRead++;
    this.report.rowsRejected++;
    if (this.report.rejected.length < MAX_REJECTIONS_LISTED) this.report.rejected.push(rejection);
    this.report.rejectedByReason[rejection.code] = (this.report.rejectedByReason[rejection.code] ?? 0) + 1;
  }

  warn(line: number, message: string): void {
    if (this.report.warnings.length < MAX_WARNINGS_KEPT) this.report.warnings.push({ line, message });
  }

  /**
   * Parses one row and inserts (or merges) it. A kit (a list literal alternating part headers
   * and declarations) becomes one product per part, "<product> — <part>", each checked,
   * rejected or merged on its own, all with the row's source line.
   */
  accept(line: number, cells: (col: string) => string, mapping: ResolvedMapping, concentrations?: unknown): void {
    const declaration = cells(mapping.ingredients);
    const name = mapping.name ? cells(mapping.name).trim() : '';
    const displayName = name || `Unnamed product (line ${line})`;
    const parts = declaration.length <= MAX_DECLARATION_CHARS ? splitKitParts(declaration) : null;
    if (!parts) {
      this.acceptProduct(line, cells, mapping, declaration, displayName, true, concentrations);
      return;
    }
    this.report.rowsRead++;
    this.report.rowsSplit++;
    this.report.partsCreated += parts.length;
    if (concentrations !== undefined) this.warn(line, '"concentrations" cannot be matched to the parts of a kit; ignored');
    for (const part of parts) this.acceptProduct(line, cells, mapping, part.declaration, `${displayName} — ${part.name}`, false);
  }

  private acceptProduct(line: number, cells: (col: string) => string, mapping: ResolvedMapping, declaration: string, displayName: string, ofRow: boolean, concentrations?: unknown): void {
    if (declaration.length > MAX_DECLARATION_CHARS) {
      this.reject(
        {
          line,
          code: 'too-long',
          reason: `column "${mapping.ingredients}": the ingredient list is ${declaration.length.toLocaleString('en-US')} characters long, over the limit of ${MAX_DECLARATION_CHARS.toLocaleString('en-US')}; check the column and its quotes`,
          name: displayName,
        },
        ofRow,
      );
      return;
    }
    const parsed = parseInciDeclaration(declaration, this.lexicon);
    if (!parsed.ok) {
      this.reject({ line, code: parsed.code, reason: `column "${mapping.ingredients}": ${parsed.reason}`, name: displayName }, ofRow);
      return;
    }
    if (ofRow) this.report.rowsRead++;
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
      category: categoryOf(cells, mapping),
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
    const id = this.nextProductId++;
    this.sql.insertProduct.run(id, this.catalogId, p.name, p.brand, p.category, p.declaration, p.hash, p.line, JSON.stringify(p.extra), JSON.stringify(p.warnings));
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

/** The report of an import that has read nothing yet. */
export function emptyReport(source: string, format: CatalogFileFormat): ImportReport {
  return {
    catalogId: null, source, format, encoding: 'utf-8', delimiter: null, mapping: { ingredients: '' },
    rowsRead: 0, rowsImported: 0, productsInserted: 0, rowsMerged: 0, rowsRejected: 0, rowsSplit: 0, partsCreated: 0, columns: [], rejected: [], rejectedByReason: {},
    duplicates: [], duplicateCount: 0, warningCounts: {}, warnings: [], unknownIngredients: [], ingredientOccurrences: 0, knownOccurrences: 0, elapsedMs: 0,
  };
}

/** A row's category: its most specific non-empty category column (see categoryChain in column-headers.ts). */
function categoryOf(cells: (col: string) => string, mapping: ResolvedMapping): string {
  for (const col of mapping.category ? [mapping.category, ...mapping.categoryFallbacks] : []) {
    const value = cells(col).trim();
    if (value) return value;
  }
  return '';
}

/** Stops the import (and rolls it back) once the person cancelled it. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ImportError('import cancelled; nothing was imported');
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

