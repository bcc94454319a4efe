import type { IngredientListEvidence } from '../../shared/api';
import type { IngredientLexicon } from '../../shared/inci/lexicon';
import { joinListDeclarations, parsePythonList, splitTopLevelItems } from '../../shared/inci/list-string';

/**
 * What a column's sampled cells look like, so roles are decided by content and not only by a
 * header: does it read as ingredient lists, and is it a column of numbers (in what range)?
 */

/**
 * The last word of an ingredient name as INCI spells them: chemical endings, plant parts and
 * the usual nouns ("Sodium Benzoate", "Rosa Canina Fruit Oil", "CI 77491", "PEG-40").
 */
const INCI_ENDING =
  /(ate|ite|ide|ine|in|ol|ols|ene|one|ane|yl|ium|ose|ase|ic|acid|oil|extract|water|aqua|eau|butter|wax|gum|powder|juice|ferment|filtrate|lysate|peptide|peptides|protein|mer|silica|mica|talc|clay|kaolin|fragrance|parfum|aroma|flavor|glycol|glycerin|ester|esters|salt|seed|leaf|root|flower|fruit|bark|peel|stem|cell|cells|culture|complex|oxide|oxides|lake|\d+[a-z]?)$/i;
/** Characters an ingredient name is written with (no sentence punctuation, no URLs). */
const NAME_CHARS = /^[\p{L}\p{N} ,.\-/()'&+%*:[\]]+$/u;
const PERCENT_OR_MARKERS = /\(?\s*\d{1,3}(?:[.,]\d+)?\s*%\s*\)?|[*†‡.]+$/g;

/** The first items of a list decide its shape: later ones are not read, so a very long cell costs no more than this. */
const MAX_JUDGED_ITEMS = 60;

/** The first items of a cell, flattened: a list literal's elements (and the declarations they hold), or the cell split at its separators. */
function cellItems(cell: string): string[] {
  const listed = parsePythonList(cell);
  const text = listed ? joinListDeclarations(listed) : cell;
  // One ingredient per line is a list too (the parser splits at line breaks as well).
  const flat = text.replace(/^\s*(?:full\s+)?ingredients?\s*:\s*/i, '').replace(/\s*[\r\n]+\s*/g, ', ');
  const items: string[] = [];
  for (const raw of splitTopLevelItems(flat)) {
    let item = raw.trim();
    if (/[%*†‡.]/.test(item)) item = item.replace(PERCENT_OR_MARKERS, '').trim();
    if (item.startsWith('-') || item.startsWith('•')) item = item.replace(/^[\s\-•]+/, '');
    if (item !== '') items.push(item);
    if (items.length === MAX_JUDGED_ITEMS) break;
  }
  return items;
}

/** True for an item that looks like an ingredient name: short, name characters only, and a typical last word. */
function looksLikeInciName(item: string): boolean {
  if (item.length > 90 || !NAME_CHARS.test(item)) return false;
  const words = item.split(/\s+/);
  if (words.length > 8) return false;
  const last = words[words.length - 1]!.replace(/[()[\]]/g, '');
  return INCI_ENDING.test(last) || /^ci ?\d{5}$/i.test(item);
}

/**
 * Cells longer than this are not read to judge a column (they count as no list): nearly four
 * times the longest declaration of the public catalog (5,491 characters), so a real list is
 * read, while a column of long documents costs nothing to judge.
 */
const MAX_JUDGED_CELL = 20_000;

/**
 * How many of `cells` read as ingredient lists: at least two items, of which at least 60 % are
 * known to the knowledge base or shaped like INCI names. `lexicon` is optional (without it
 * only the shape counts). Lookups are exact, never fuzzy, so judging a column stays cheap.
 */
export function ingredientListEvidence(cells: readonly string[], lexicon?: IngredientLexicon): IngredientListEvidence {
  const evidence: IngredientListEvidence = { sampled: cells.length, lists: 0, names: 0, known: 0 };
  for (const cell of cells) {
    if (cell.length > MAX_JUDGED_CELL || !/[,;\n]/.test(cell)) continue;
    const items = cellItems(cell);
    if (items.length < 2) continue;
    let known = 0;
    let plausible = 0;
    for (const item of items) {
      const isKnown = lexicon && (lexicon.lookup(item) ?? (item.includes('(') ? lexicon.lookup(item.replace(/\s*\([^()]*\)/g, '')) : null));
      if (isKnown) known++;
      if (isKnown || looksLikeInciName(item)) plausible++;
    }
    if (plausible / items.length < 0.6) continue;
    evidence.lists++;
    evidence.names += items.length;
    evidence.known += known;
  }
  return evidence;
}

/** A column's numbers: how many cells hold one, their range, and whether any cell is text. */
export interface NumericProfile {
  numbers: number;
  text: number;
  min: number;
  max: number;
  integers: boolean;
}

/** Profiles the numbers of a column's cells (empty cells are skipped). */
export function numericProfile(cells: readonly string[], readNumber: (cell: string) => number | null | undefined): NumericProfile {
  const p: NumericProfile = { numbers: 0, text: 0, min: Infinity, max: -Infinity, integers: true };
  for (const cell of cells) {
    const v = readNumber(cell);
    if (v === null) continue;
    if (v === undefined) {
      p.text++;
      continue;
    }
    p.numbers++;
    p.min = Math.min(p.min, v);
    p.max = Math.max(p.max, v);
    if (!Number.isInteger(v)) p.integers = false;
  }
  return p;
}

/** A number for a message with thousands grouped ("22,980", "9.5"), without Intl (whose first use takes a while). */
export function groupDigits(n: number): string {
  const [whole, fraction] = String(n).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** A share as a whole percentage for a message ("96 %"). */
export function percent(part: number, whole: number): string {
  return `${whole === 0 ? 0 : Math.round((100 * part) / whole)} %`;
}
