import type { ColumnChoice, ColumnMapping, IngredientListEvidence } from '../../shared/api';
import { ingredientKey } from '../../shared/inci/key';
import type { IngredientLexicon } from '../../shared/inci/lexicon';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { SLICE_MS } from './catalog-file';
import { groupDigits, ingredientListEvidence, numericProfile, percent } from './column-content';
import { categoryChain, listingFactKind } from './column-headers';

/**
 * Decides which column is which: ingredients (the only one required, found by content), name,
 * brand, category (with less specific fallbacks), benefit scores and the rest, kept as plain
 * fields; and says why for each column. The mapping given by the person decides last.
 */

export type ResolvedMapping = Required<Pick<ColumnMapping, 'ingredients'>> & ColumnMapping & { benefits: string[]; extra: string[]; categoryFallbacks: string[] };

/** A mapping with every column's role and the reason for it. */
export interface ColumnResolution {
  mapping: ResolvedMapping;
  columns: ColumnChoice[];
}

const INGREDIENTS_HEADER =
  /^(ingredients?|ingredientes|ingredienti|ingredienser|zutaten|inhaltsstoffe|inci|incilist|incinames?|ingredientlist|ingredientslist|fullingredients|composition|zusammensetzung|declaration|ingredientdeclaration|ingredientsinci)$/;
const ROLE_PATTERNS: Record<'name' | 'brand', RegExp> = {
  name: /^(name|productname|product|title|producttitle|itemname|nom|nomduproduit|produit|nombre|produkt|produktname)$/,
  brand: /^(brand|brandname|manufacturer|maker|vendor|company|marque|marca|marke|hersteller)$/,
};

/** Cells looked at to judge columns: 200 rows of up to 250 columns, fewer rows when there are more columns. */
const SAMPLE_CELL_BUDGET = 50_000;
/** Ingredient-list shares this close count as a tie, which the header breaks. */
const TIE = 0.05;

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const DECIMAL_COMMA_NUMBER = /^[-+]?\d*,\d+$/;

/**
 * Reads a benefit cell: a number, or null for an empty cell; undefined for text that is not a
 * number. With `decimalComma` (semicolon-separated files, where the comma is the decimal mark)
 * "0,5" reads as 0.5.
 */
export function parseScore(cell: string | undefined, decimalComma = false): number | null | undefined {
  const t = (cell ?? '').trim();
  if (t === '') return null;
  if (NUMBER.test(t)) return Number(t);
  return decimalComma && DECIMAL_COMMA_NUMBER.test(t) ? Number(t.replace(',', '.')) : undefined;
}

/** The header's columns for a message: quoted, the first 30, each cut to 60 characters, control characters shown as "?". */
function columnList(header: readonly string[]): string {
  const shown = header.slice(0, 30).map((h) => `"${(h.length > 60 ? `${h.slice(0, 59)}…` : h).replace(/\p{Cc}/gu, '?')}"`);
  return header.length > 30 ? `${shown.join(', ')} and ${header.length - 30} more` : shown.join(', ');
}

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** What judging columns needs besides the header and the sample. */
export interface ColumnOptions {
  decimalComma?: boolean;
  /** The knowledge base's names: a list whose names it knows reads more surely as ingredients. */
  lexicon?: IngredientLexicon;
}

/** The evidence in words: "96 % of 200 sampled cells read as ingredient lists, 71 % of their names known". */
function describeEvidence(e: IngredientListEvidence): string {
  return `${percent(e.lists, e.sampled)} of ${e.sampled} sampled cells read as ingredient lists, ${percent(e.known, e.names)} of their names known`;
}

/**
 * Picks the ingredients column: the one whose cells most often read as ingredient lists; among
 * near ties (within {@link TIE}) one whose header says ingredients, then the one with more known
 * names. With no list in any column, a header that says ingredients decides alone.
 */
function chooseIngredients(header: readonly string[], keys: readonly string[], evidence: readonly IngredientListEvidence[]): { column: string; reason: string } | null {
  const share = (i: number) => (evidence[i]!.sampled ? evidence[i]!.lists / evidence[i]!.sampled : 0);
  const knownShare = (i: number) => (evidence[i]!.names ? evidence[i]!.known / evidence[i]!.names : 0);
  // 2: the header says ingredients ("INCI", "Composition"); 1: it mentions them ("Key ingredients").
  const named = (i: number) => (INGREDIENTS_HEADER.test(keys[i]!) ? 2 : keys[i]!.includes('ingredient') || keys[i]!.includes('inci') ? 1 : 0);
  const perList = (i: number) => (evidence[i]!.lists ? evidence[i]!.names / evidence[i]!.lists : 0);
  const withLists = header.map((_, i) => i).filter((i) => evidence[i]!.lists > 0);
  if (withLists.length > 0) {
    const best = Math.max(...withLists.map(share));
    const tied = withLists.filter((i) => share(i) >= best - TIE);
    tied.sort((a, b) => named(b) - named(a) || knownShare(b) - knownShare(a) || perList(b) - perList(a) || share(b) - share(a) || a - b);
    const i = tied[0]!;
    const runnerUp = withLists.filter((j) => j !== i).sort((a, b) => share(b) - share(a))[0];
    const by = (j: number) => (named(i) > named(j) ? 'its header' : knownShare(i) > knownShare(j) ? 'more known names' : perList(i) > perList(j) ? 'longer lists' : 'its place in the header');
    const tieNote = tied.length > 1 ? `; ahead of "${header[tied[1]!]}" (a near tie) by ${by(tied[1]!)}` : '';
    const other = runnerUp !== undefined && !tied.includes(runnerUp) ? `; next best "${header[runnerUp]}" at ${percent(evidence[runnerUp]!.lists, evidence[runnerUp]!.sampled)}` : '';
    return { column: header[i]!, reason: `${describeEvidence(evidence[i]!)}${tieNote}${other}` };
  }
  const i = keys.findIndex((_, n) => named(n) === 2);
  const j = i >= 0 ? i : keys.findIndex((_, n) => named(n) === 1);
  return j >= 0 ? { column: header[j]!, reason: `by its header; no sampled cell reads as an ingredient list of several items` } : null;
}

/**
 * Resolves the mapping from the header and a sample of rows; explicit `override` entries win.
 * Throws MappingError naming the missing or unknown column and listing the columns present.
 * Judging the columns' cells yields to the event loop now and then, so a wide sample of long
 * lists never holds the window.
 */
export async function resolveColumnMapping(
  header: readonly string[],
  sample: readonly (readonly string[])[],
  override: ColumnMapping = {},
  options: ColumnOptions = {},
): Promise<ColumnResolution> {
  const present = (col: string | undefined, field: string): string | undefined => {
    if (col === undefined) return undefined;
    if (!header.includes(col)) {
      throw new MappingError(`the mapping names column "${col}" for ${field}, but the header has no such column; columns are: ${columnList(header)}`);
    }
    return col;
  };
  const keys = header.map((h) => ingredientKey(h));
  // A very wide file is judged on fewer rows, so the work stays bounded (at least 20 rows).
  const rows = sample.slice(0, Math.max(20, Math.floor(SAMPLE_CELL_BUDGET / Math.max(1, header.length))));
  const cellsOf = (i: number) => rows.map((r) => r[i] ?? '');
  const evidence: IngredientListEvidence[] = [];
  let lastYield = performance.now();
  for (let i = 0; i < header.length; i++) {
    evidence.push(ingredientListEvidence(cellsOf(i), options.lexicon));
    if (performance.now() - lastYield >= SLICE_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  }
  const reasons = new Map<string, ColumnChoice>();
  const choose = (column: string, role: ColumnChoice['role'], reason: string) => reasons.set(column, { column, role, reason });

  // A header cell that is itself an ingredient list means the file has no header line: its first
  // product would be read as column names and lost.
  const listInHeader = header.find((h) => ingredientListEvidence([h], options.lexicon).lists > 0);
  if (listInHeader !== undefined) {
    throw new MappingError(
      `no ingredients column found in the header (line 1): line 1 reads as a product, not a header (its cell "${listInHeader.length > 60 ? `${listInHeader.slice(0, 59)}…` : listInHeader}" is an ingredient list); add a first line naming the columns, e.g. Name,Brand,Ingredients`,
    );
  }
  const overridden = present(override.ingredients, 'ingredients');
  const detected = overridden ? null : chooseIngredients(header, keys, evidence);
  const ingredients = overridden ?? detected?.column;
  if (!ingredients) {
    throw new MappingError(
      `no ingredients column found in the header (line 1) or the sampled rows: no header says ingredients and no sampled cell reads as an ingredient list of several items; choose the column in the mapping. Columns are: ${columnList(header)}`,
    );
  }
  choose(ingredients, 'ingredients', overridden ? `chosen in the mapping; ${describeEvidence(evidence[header.indexOf(ingredients)]!)}` : detected!.reason);
  reasons.get(ingredients)!.evidence = evidence[header.indexOf(ingredients)];

  const ignored = new Set(override.ignore ?? []);
  const taken = new Set<string>([ingredients]);
  // A column the mapping gives a role is never detected for another one.
  const claimed = new Set([override.name, override.brand, override.category, ...(override.categoryFallbacks ?? []), ...(override.benefits ?? [])]);
  const free = (col: string | undefined): col is string => col !== undefined && !taken.has(col) && !ignored.has(col);
  const pick = (field: 'name' | 'brand'): string | undefined => {
    const col = override[field] !== undefined ? present(override[field], field) : header.find((h, i) => ROLE_PATTERNS[field].test(keys[i]!) && !claimed.has(h));
    if (!free(col)) return undefined;
    taken.add(col);
    choose(col, field, override[field] !== undefined ? 'chosen in the mapping' : 'by its header');
    return col;
  };
  const name = pick('name');
  const brand = pick('brand');

  const chain = override.category !== undefined
    ? [present(override.category, 'category')!, ...(override.categoryFallbacks ?? []).map((c) => present(c, 'a category fallback')!)]
    : categoryChain(header, keys).filter((c) => !claimed.has(c));
  const categories = chain.filter(free);
  const category = categories[0];
  const categoryFallbacks = categories.slice(1);
  categories.forEach((col, n) => {
    taken.add(col);
    const why = override.category !== undefined ? 'chosen in the mapping' : 'by its header';
    if (n === 0) choose(col, 'category', categories.length > 1 ? `${why}; the most specific of ${categories.map((c) => `"${c}"`).join(', ')}, which are read in turn where a row's cell is empty` : why);
    else choose(col, 'category-fallback', `${why}; read where ${categories.slice(0, n).map((c) => `"${c}"`).join(' and ')} ${n > 1 ? 'are' : 'is'} empty`);
  });

  let benefits: string[];
  if (override.benefits) {
    benefits = override.benefits.map((b) => present(b, 'a benefit score')!).filter((b) => !taken.has(b));
    for (const b of benefits) choose(b, 'benefit', 'chosen in the mapping');
  } else {
    benefits = header.filter((h, i) => free(h) && !claimed.has(h) && judgeNumbers(h, cellsOf(i), options.decimalComma ?? false, choose));
  }
  for (const b of benefits) taken.add(b);
  for (const h of header) {
    if (ignored.has(h)) choose(h, 'ignored', 'ignored in the mapping');
    else if (!taken.has(h) && !reasons.has(h)) choose(h, 'field', 'kept as a plain field');
  }
  const extra = header.filter((h) => !taken.has(h) && !ignored.has(h));
  const columns = [reasons.get(ingredients)!, ...header.filter((h) => h !== ingredients).map((h) => reasons.get(h)!)];
  return { mapping: { ingredients, name, brand, category, categoryFallbacks, benefits, extra, ignore: [...ignored] }, columns };
}

/**
 * Decides whether a column holds benefit scores (returns true) or a plain field, and records
 * why: listing facts named by the header (identifiers, prices, counts, ratings, ranks, sizes,
 * shop flags) never are; otherwise a column of numbers is a score when they are 0/1 flags or
 * lie within 0–1 or 0–10, and a plain field when any number lies outside (prices, counts, years).
 */
function judgeNumbers(column: string, cells: readonly string[], decimalComma: boolean, choose: (column: string, role: ColumnChoice['role'], reason: string) => void): boolean {
  const profile = numericProfile(cells, (c) => parseScore(c, decimalComma));
  const fact = listingFactKind(column);
  if (fact) {
    choose(column, 'field', `${fact}: never a benefit score unless the mapping says so`);
    return false;
  }
  if (profile.numbers === 0 || profile.text > 0) return false;
  const range = `${groupDigits(profile.min)}–${groupDigits(profile.max)}`;
  if (profile.min < 0 || profile.max > 10) {
    choose(column, 'field', `numbers from ${range}, outside 0–10: not a score (a count, price or identifier)`);
    return false;
  }
  const flags = profile.integers && profile.min >= 0 && profile.max <= 1;
  choose(column, 'benefit', flags ? '0/1 flags: a score' : profile.max <= 1 ? `numbers within 0–1 (${range}): a score` : `numbers within 0–10 (${range}): a score`);
  return true;
}
