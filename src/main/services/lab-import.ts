import { basename } from 'node:path';
import { ApiFailure, type LabImportMapping, type LabImportPreview, type LabImportReport } from '../../shared/api';
import { MANUAL_PROVENANCE } from '../../shared/candidates';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ImportError, SLICE_MS } from '../import/catalog-file';
import { readTableFile, type TableFile } from '../import/table-file';
import { cellText, columnLetters, type SheetCell, type SheetRecord } from '../import/xlsx';
import { saveCandidateVersion } from '../db/queries/candidates';
import { findCandidatesNamed, findCandidateWithList, findProductsNamed, insertLabResult, labProperties, type StoredLabResult } from '../db/queries/lab-results';
import { getProduct } from '../db/queries/products';
import { candidateAtVersion, resolveCandidateDeclaration } from './candidates';
import type { ServiceContext } from './context';
import { productIngredientIds } from './ingredient-names';

/**
 * Importing lab results measured before the app existed, from a CSV file or an Excel sheet. Each
 * row names its formulation (a candidate or a catalog product by id or name, or the ingredient
 * declaration itself), a property, a value, a unit, a date and notes. The whole file is read and
 * checked first, then written in one transaction under the write lock: every row is imported or
 * rejected with its line and reason, and a file that cannot be read imports nothing.
 *
 * A declaration that matches no saved candidate (same list, same order) becomes a new candidate
 * named after the file and row ("history.xlsx row 12"), provenance manual with the file and row
 * in its details, tagged "lab-import"; rows with the same list share it. It is not matched
 * against catalog products by list: a product is named by id or name.
 */

type Role = keyof LabImportMapping;

/** The headers each role is found by (compared lower-case, with _ and - read as spaces). */
export const LAB_IMPORT_COLUMNS: Record<Role, readonly string[]> = {
  candidateId: ['candidate id', 'candidateid'],
  candidate: ['candidate', 'candidate name'],
  productId: ['product id', 'productid'],
  product: ['product', 'product name'],
  formulation: ['formulation', 'formula', 'sample', 'name'],
  declaration: ['declaration', 'ingredients', 'inci', 'ingredient list', 'composition'],
  property: ['property', 'measured property', 'parameter', 'test'],
  value: ['value', 'result', 'measured value', 'measurement'],
  unit: ['unit', 'units'],
  date: ['date', 'measured on', 'measured', 'test date', 'measurement date'],
  notes: ['notes', 'note', 'comment', 'comments', 'remarks'],
};
/** The order in which a row's formulation columns are read: the first non-empty one decides. */
const SUBJECT_ROLES: readonly Role[] = ['candidateId', 'candidate', 'productId', 'product', 'formulation', 'declaration'];
/** The most rows one import takes: a history of measurements, not a catalog. */
export const MAX_LAB_IMPORT_ROWS = 100_000;
const MAX_REJECTIONS_LISTED = 10_000;
const NOTHING = ' Nothing was imported.';

/** Which header each role is read from: the mapping given, else the usual headers. */
export function resolveLabMapping(header: readonly string[], given: Partial<Record<Role, string>> | undefined): { mapping: LabImportMapping; problem: string | null } {
  const normal = (h: string) => h.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  const mapping = {} as LabImportMapping;
  for (const role of Object.keys(LAB_IMPORT_COLUMNS) as Role[]) {
    const named = given?.[role];
    if (named !== undefined) {
      if (!header.includes(named)) return { mapping, problem: `the mapping names column "${named}" for ${role}, but the header has no such column; columns are: ${header.map((h) => `"${h}"`).join(', ')}` };
      mapping[role] = named;
    } else {
      mapping[role] = header.find((h) => LAB_IMPORT_COLUMNS[role].includes(normal(h))) ?? null;
    }
  }
  const missing = (['property', 'value'] as const).filter((r) => mapping[r] === null);
  if (missing.length) return { mapping, problem: `no ${missing.join(' or ')} column in the header (columns: ${header.map((h) => `"${h}"`).join(', ')}); name it "${missing.join('" and "')}" or give a mapping` };
  if (SUBJECT_ROLES.every((r) => mapping[r] === null)) {
    return { mapping, problem: `no column names the formulation: add one of candidate_id, candidate, product_id, product, formulation or declaration (columns: ${header.map((h) => `"${h}"`).join(', ')})` };
  }
  return { mapping, problem: null };
}

/** The head of a results file and its column roles, without writing anything. */
export async function previewLabResultsFile(args: { path: string; format: 'auto' | 'csv' | 'json' | 'xlsx'; sheet?: string; mapping?: Partial<Record<Role, string>> }): Promise<LabImportPreview> {
  const table = await readTable(args, '');
  const { mapping, problem } = resolveLabMapping(table.header, args.mapping);
  const rows = table.rows.slice(0, 10).map((r) => table.header.map((_, i) => cellText(r.cells[i] ?? null).slice(0, 300)));
  return { format: table.format, sheets: table.sheets, sheet: table.sheet, header: table.header, rows, mapping, problem };
}

/** Reads, checks and stores a file of past results; see the module comment. */
export async function importLabResultsFile(
  cx: ServiceContext,
  args: { path: string; format: 'auto' | 'csv' | 'json' | 'xlsx'; sheet?: string; mapping?: Partial<Record<Role, string>> },
): Promise<LabImportReport> {
  const started = performance.now();
  const table = await readTable(args, NOTHING);
  const file = basename(args.path);
  const { mapping, problem } = resolveLabMapping(table.header, args.mapping);
  if (problem) throw new ApiFailure('import-failed', `${file}: ${problem}.${NOTHING}`);
  // One transaction that spans awaits (hence the write lock): rows are stored in slices of at
  // most SLICE_MS with the event loop free between them, and the whole file commits or none of it.
  return cx.exclusive(async () => {
    cx.db.exec('BEGIN IMMEDIATE');
    try {
      const run = new LabImportRun(cx, table, mapping, file);
      let sliceStart = performance.now();
      for (const row of table.rows) {
        run.add(row);
        if (performance.now() - sliceStart >= SLICE_MS) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
      const report = { ...run.finish(), elapsedMs: Math.round(performance.now() - started) };
      cx.db.exec('COMMIT');
      return report;
    } catch (error) {
      if (cx.db.inTransaction) cx.db.exec('ROLLBACK');
      throw error;
    }
  });
}

async function readTable(args: { path: string; format: 'auto' | 'csv' | 'json' | 'xlsx'; sheet?: string }, suffix: string): Promise<TableFile> {
  try {
    return await readTableFile(args.path, { format: args.format, sheet: args.sheet, maxRows: MAX_LAB_IMPORT_ROWS, suffix });
  } catch (error) {
    if (error instanceof ImportError) throw new ApiFailure('import-failed', error.message);
    throw error;
  }
}

/** One import in its transaction: resolves each row's formulation and unit, stores it or says why not. */
class LabImportRun {
  readonly report: LabImportReport;
  private readonly column: Map<Role, number>;
  /** Per property (lower case): its spelling and unit, from what is stored, else from the first row that gave it. */
  private readonly properties = new Map<string, { property: string; units: Set<string>; from: string; results: number }>();
  /** Candidates this import created, by list. */
  private readonly created = new Map<string, number>();
  /** Formulations already resolved in this import, by "candidate:id" or "product:id": a history measures the same ones again and again. */
  private readonly resolved = new Map<string, { subject: StoredLabResult['subject']; list: number[] }>();
  private readonly now = new Date().toISOString();

  constructor(
    private readonly cx: ServiceContext,
    private readonly table: TableFile,
    mapping: LabImportMapping,
    private readonly file: string,
  ) {
    this.column = new Map((Object.entries(mapping) as [Role, string | null][]).filter(([, h]) => h !== null).map(([r, h]) => [r, table.header.indexOf(h!)]));
    for (const p of labProperties(cx.db)) this.properties.set(p.property.toLowerCase(), { property: p.property, units: new Set(p.units), from: 'already stored', results: 0 });
    this.report = {
      source: file, format: table.format, sheet: table.sheet, mapping, rowsRead: 0, rowsImported: 0, rowsRejected: 0, rejected: [],
      onProducts: 0, onCandidates: 0, candidatesCreated: [], properties: [], elapsedMs: 0,
    };
  }

  add(row: SheetRecord): void {
    this.report.rowsRead++;
    try {
      this.store(row);
      this.report.rowsImported++;
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
      this.report.rowsRejected++;
      if (this.report.rejected.length < MAX_REJECTIONS_LISTED) this.report.rejected.push({ line: row.line, reason: error.message });
    }
  }

  /** The report once every row is added. */
  finish(): LabImportReport {
    this.report.properties = [...this.properties.values()].filter((p) => p.results > 0).map((p) => ({ property: p.property, unit: [...p.units][0] ?? '', results: p.results }));
    return this.report;
  }

  private store(row: SheetRecord): void {
    const where = (role: Role) => `column ${columnLetters(this.column.get(role)!)} ("${this.report.mapping[role]}")`;
    const cell = (role: Role): SheetCell => {
      const i = this.column.get(role);
      if (i === undefined) return null;
      const error = row.errors.find((e) => e.column === i);
      if (error) throw new RowRejected(`${where(role)}: the cell holds the error ${error.error}`);
      return row.cells[i] ?? null;
    };
    const text = (role: Role) => cellText(cell(role)).trim();

    const propertyText = text('property');
    if (!propertyText) throw new RowRejected(`${where('property')}: the property is empty`);
    if (propertyText.length > 100) throw new RowRejected(`${where('property')}: the property name is longer than 100 characters`);
    const value = readNumber(cell('value'));
    if (value === null) throw new RowRejected(`${where('value')}: "${text('value').slice(0, 40)}" is not a number`);
    const unit = text('unit');
    if (unit.length > 40) throw new RowRejected(`${where('unit')}: the unit is longer than 40 characters`);
    const measuredOn = readDate(cell('date'));
    if (this.column.has('date') && measuredOn === null) throw new RowRejected(`${where('date')}: "${text('date').slice(0, 40) || '(empty)'}" is not a date; write it as YYYY-MM-DD or as a spreadsheet date`);
    const notes = text('notes');
    if (notes.length > 5000) throw new RowRejected(`${where('notes')}: the notes are longer than 5,000 characters`);

    const known = this.properties.get(propertyText.toLowerCase());
    if (known && known.units.size > 0 && !known.units.has(unit)) {
      const units = [...known.units].map((u) => `"${u}"`).join(' or ');
      throw new RowRejected(`${where('unit')}: "${known.property}" is measured in ${units} (${known.from}), not "${unit}"; convert the value to one unit`);
    }
    const subject = this.subject(row, text, where);
    const property = known?.property ?? propertyText;
    insertLabResult(
      this.cx.db,
      { subject: subject.subject, ingredientIds: subject.list, property, value, unit, measuredOn: measuredOn ?? this.now.slice(0, 10), notes },
      this.now,
    );
    const entry = known ?? { property, units: new Set<string>(), from: `line ${row.line}`, results: 0 };
    entry.units.add(unit);
    entry.results++;
    this.properties.set(property.toLowerCase(), entry);
    if (subject.subject.kind === 'product') this.report.onProducts++;
    else this.report.onCandidates++;
  }

  /** The formulation the row names: the first non-empty formulation column decides. */
  private subject(row: SheetRecord, text: (role: Role) => string, where: (role: Role) => string): { subject: StoredLabResult['subject']; list: number[] } {
    const role = SUBJECT_ROLES.find((r) => this.column.has(r) && text(r) !== '');
    if (!role) throw new RowRejected(`no formulation: the ${SUBJECT_ROLES.filter((r) => this.column.has(r)).map(where).join(', ')} cell${SUBJECT_ROLES.length > 1 ? 's are' : ' is'} empty`);
    const value = text(role);
    const id = (label: string) => {
      if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw new RowRejected(`${where(role)}: "${value.slice(0, 40)}" is not a ${label} id (a positive whole number)`);
      return Number(value);
    };
    const unique = (ids: number[], kind: string): number | null => {
      if (ids.length > 1) throw new RowRejected(`${where(role)}: ${ids.length > 2 ? 'several' : 'two'} ${kind}s are named "${value}" (ids ${ids.join(', ')}); give the ${kind} id instead`);
      return ids[0] ?? null;
    };
    switch (role) {
      case 'candidateId':
        return this.candidate(id('candidate'), where(role));
      case 'productId':
        return this.product(id('product'), where(role));
      case 'candidate': {
        const found = unique(findCandidatesNamed(this.cx.db, value), 'candidate');
        if (found === null) throw new RowRejected(`${where(role)}: there is no candidate named "${value}"`);
        return this.candidate(found, where(role));
      }
      case 'product': {
        const found = unique(findProductsNamed(this.cx.db, value), 'product');
        if (found === null) throw new RowRejected(`${where(role)}: there is no catalog product named "${value}"`);
        return this.product(found, where(role));
      }
      case 'formulation': {
        const candidate = unique(findCandidatesNamed(this.cx.db, value), 'candidate');
        if (candidate !== null) return this.candidate(candidate, where(role));
        const product = unique(findProductsNamed(this.cx.db, value), 'product');
        if (product !== null) return this.product(product, where(role));
        if (!value.includes(',')) throw new RowRejected(`${where(role)}: "${value.slice(0, 60)}" names no candidate or catalog product, and is not an ingredient list`);
        return this.declaration(value, row, where(role));
      }
      default:
        return this.declaration(value, row, where(role));
    }
  }

  private candidate(id: number, where: string): { subject: StoredLabResult['subject']; list: number[] } {
    const known = this.resolved.get(`candidate:${id}`);
    if (known) return known;
    try {
      const { name, version } = candidateAtVersion(this.cx, id, undefined);
      const found = { subject: { kind: 'candidate' as const, candidateId: id, version: version.version, productId: null, name: `${name} v${version.version}` }, list: version.ingredients.map((x) => x.ingredientId) };
      this.resolved.set(`candidate:${id}`, found);
      return found;
    } catch (error) {
      if (error instanceof ApiFailure) throw new RowRejected(`${where}: ${error.message}`);
      throw error;
    }
  }

  private product(id: number, where: string): { subject: StoredLabResult['subject']; list: number[] } {
    const known = this.resolved.get(`product:${id}`);
    if (known) return known;
    const product = getProduct(this.cx.db, id);
    if (!product) throw new RowRejected(`${where}: there is no catalog product with id ${id}`);
    const list = productIngredientIds(product);
    if (list.length === 0) throw new RowRejected(`${where}: product ${id} (${product.name}) has no ingredient list to attach a result to`);
    const found = { subject: { kind: 'product' as const, candidateId: null, version: null, productId: id, name: `${product.brand} ${product.name}`.trim().slice(0, 300) }, list };
    this.resolved.set(`product:${id}`, found);
    return found;
  }

  /** A declaration: the saved candidate with this very list, one this import created, or a new candidate. */
  private declaration(declaration: string, row: SheetRecord, where: string): { subject: StoredLabResult['subject']; list: number[] } {
    let list: number[];
    try {
      list = resolveCandidateDeclaration(this.cx, declaration);
    } catch (error) {
      if (error instanceof ApiFailure) throw new RowRejected(`${where}: ${error.message.replace(/; nothing was saved$/, '')}`);
      throw error;
    }
    const key = JSON.stringify(list);
    let id = this.created.get(key) ?? findCandidateWithList(this.cx.db, list);
    if (id === null) {
      const name = `${this.file}${this.table.sheet ? ` (${this.table.sheet})` : ''} row ${row.line}`.slice(0, 200);
      const provenance = { ...MANUAL_PROVENANCE, details: { importedFrom: this.file, sheet: this.table.sheet, line: row.line } };
      id = saveCandidateVersion(
        this.cx.db,
        null,
        { name, notes: `Created from a declaration when importing past lab results from ${this.file}.`, tags: ['lab-import'] },
        { ingredientIds: list, changeNote: `imported from ${this.file}, row ${row.line}`, scores: {}, reasons: [], provenance },
        this.now,
      )!;
      this.created.set(key, id);
      this.report.candidatesCreated.push({ id, name });
    }
    return this.candidate(id, where);
  }
}

/** Why one row was not imported; the import goes on. */
class RowRejected extends Error {}

/** A number cell, or text that reads as one ("1.5", "1,5", "-2e3"); null otherwise. */
function readNumber(cell: SheetCell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) && Math.abs(cell) < 1e300 ? cell : null;
  if (typeof cell !== 'string') return null;
  let t = cell.trim();
  if (/^[+-]?\d+,\d+$/.test(t)) t = t.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) && Math.abs(v) < 1e300 ? v : null;
}

/** A date cell, or text as YYYY-MM-DD (a time after it is ignored), as YYYY-MM-DD; null otherwise. */
function readDate(cell: SheetCell): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(cell.trim());
  if (!m) return null;
  const t = new Date(`${m[1]}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === m[1] ? m[1]! : null;
}
