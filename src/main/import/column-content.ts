import type { IngredientListEvidence } from '../../shared/api';
import { tidyName } from '../../shared/inci/key';
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

/** The items of a cell, flattened: a list literal's elements (and the declarations they hold), or the cell split at its separators. */
function cellItems(cell: string): string[] {
  const listed = parsePythonList(cell);
  const text = listed ? joinListDeclarations(listed) : cell;
  // One ingredient per line is a list too (the parser splits at line breaks as well).
  return splitTopLevelItems(text.replace(/^\s*(?:full\s+)?ingredients?\s*:\s*/i, '').replace(/\s*[\r\n]+\s*/g, ', '))
    .map((item) => tidyName(item.replace(PERCENT_OR_MARKERS, '').replace(/^[\s\-•]+/, '')))
    .filter((item) => item !== '');
}

/** True for an item that looks like an ingredient name: short, name characters only, and a typical last word. */
function looksLikeInciName(item: string): boolean {
  if (item.length > 90 || !NAME_CHARS.test(item)) return false;
  const words = item.split(' ');
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
      const isKnown = lexicon?.lookup(item) ?? lexicon?.lookup(item.replace(/\s*\([^()]*\)/g, ''));
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

/** A share as a whole percentage for a message ("96 %"). */
export function percent(part: number, whole: number): string {
  return `${whole === 0 ? 0 : Math.round((100 * part) / whole)} %`;
}
