/**
 * Reading a brief's category against the categories a catalog actually uses: catalogs name them
 * differently ("Moisturizer", "moisturiser", "Face cream"; "Sun protect", "Sunscreen", "SPF"), so
 * a name matches a catalog category when the two are the same word (case, spelling variants
 * -ise/-ize and a plural aside) or both are among the names of one kind of product below.
 */

/** Names of one kind of product, as catalogs and chemists write them (normalised by categoryKey). */
const KINDS: readonly (readonly string[])[] = [
  ['moisturizer', 'moisturiser', 'moisturizing cream', 'face cream', 'cream', 'day cream', 'night cream', 'lotion', 'face lotion', 'hydrator', 'emulsion', 'gel cream'],
  ['cleanser', 'face wash', 'facial cleanser', 'cleansing', 'wash', 'cleansing oil', 'cleansing balm', 'cleansing gel', 'cleansing foam', 'makeup remover', 'micellar water'],
  ['sun protect', 'sun protection', 'sunscreen', 'sun screen', 'sunblock', 'spf', 'sun care', 'suncare', 'sun'],
  ['treatment', 'serum', 'face serum', 'essence', 'ampoule', 'booster', 'concentrate'],
  ['face mask', 'mask', 'sheet mask', 'masque', 'peel', 'exfoliator'],
  ['eye cream', 'eye', 'eye care', 'eye treatment', 'eye serum', 'eye gel'],
  ['toner', 'tonic', 'face mist', 'mist', 'lotion tonique'],
  ['face oil', 'oil', 'facial oil'],
  ['lip', 'lip balm', 'lip care', 'lip treatment'],
];

/** A category name reduced for comparison: lower case, letters and single spaces, -ise → -ize, no plural s. */
export function categoryKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => w.replace(/([^s])s$/, '$1').replace(/is(er|ing|ed|e)$/, 'iz$1'))
    .join(' ');
}

const KIND_OF = new Map<string, number>();
KINDS.forEach((names, k) => names.forEach((n) => KIND_OF.set(categoryKey(n), k)));

/** The catalog category `name` means (one of `available`), or null when none or more than one does. */
export function matchCategory(name: string, available: readonly string[]): string | null {
  const key = categoryKey(name);
  if (!key) return null;
  const exact = available.filter((c) => categoryKey(c) === key);
  if (exact.length === 1) return exact[0]!;
  const kind = KIND_OF.get(key);
  if (kind === undefined) return null;
  const same = available.filter((c) => KIND_OF.get(categoryKey(c)) === kind);
  return same.length === 1 ? same[0]! : null;
}
