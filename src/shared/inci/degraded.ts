import { ingredientKey, stripParentheses } from './key';

/**
 * Readings of ingredient names as scrapers leave them: cut after a few words or at a slash
 * ("Caprylic/", "Tremella Fuciformis"), or botanical names without the plant part ("Rosa
 * Damascena", "Rosa Damascena Extract"). A name is read one way only when exactly one entry
 * allows that reading; otherwise every entry that does is returned, as suggestions.
 */

/** Words naming the part of a plant an extract or oil comes from. */
export const PLANT_PARTS: ReadonlySet<string> = new Set([
  'aerial', 'bark', 'berry', 'blossom', 'bran', 'bud', 'buds', 'bulb', 'callus', 'cone', 'flower', 'flowers', 'fruit', 'germ', 'herb',
  'hull', 'husk', 'kernel', 'leaf', 'leaves', 'meristem', 'needle', 'nut', 'peel', 'petal', 'pulp', 'rhizome', 'rind', 'root',
  'roots', 'seed', 'seeds', 'shell', 'shoot', 'sprout', 'stem', 'stems', 'thallus', 'tuber', 'twig', 'wood',
]);

/** Whether a word of a name (possibly "Leaf/Stem") names plant parts only. */
export function isPlantPartWord(word: string): boolean {
  const pieces = word.split('/').map(ingredientKey).filter(Boolean);
  return pieces.length > 0 && pieces.every((p) => PLANT_PARTS.has(p));
}

/** The matching keys of a name's words: parenthesised parts dropped, split at spaces and slashes. */
export function nameTokens(name: string): string[] {
  return nameWords(name).map(ingredientKey);
}

/** A name's words as written, in the order and number of {@link nameTokens}. */
function nameWords(name: string): string[] {
  return stripParentheses(name).split(/[\s/]+/).filter((w) => ingredientKey(w));
}

/** Whether a word is written as an abbreviation (MEA, RNA, HCl, EOP) rather than a word (Gum, Oil). */
function isAbbreviation(word: string): boolean {
  return (word.match(/[A-Z]/g) ?? []).length >= 2;
}

/** Whether a name ends in a slash outside parentheses ("Caprylic/"): it was cut there. */
export function endsAtSlash(name: string): boolean {
  return /\/\s*$/.test(stripParentheses(name));
}

/** How a degraded name was read. */
export type DegradedKind = 'truncated' | 'botanical';

/** The entries (by id) a degraded key can stand for. */
export interface DegradedReadings {
  kind: DegradedKind;
  ids: readonly number[];
}

/**
 * Word-prefix and part-less keys of every name, each with the set of entries that claim it.
 * Ids are the lexicon's; names seen only in catalogs take negative ids, so they make a reading
 * ambiguous without ever being a reading the knowledge base resolves to.
 */
export class DegradedNameIndex {
  private readonly prefixes = new Map<string, Set<number>>();
  /** The word prefixes followed by a slash in the name ("Caprylic" of "Caprylic/Capric Triglyceride", not of "Caprylic Acid"). */
  private readonly slashPrefixes = new Map<string, Set<number>>();
  private readonly partless = new Map<string, Set<number>>();
  /** Every word of every name: a typo that spells one of them spells another ingredient's word. */
  private readonly words = new Set<string>();

  /** Adds a name (canonical or synonym) of entry `id`. */
  add(id: number, name: string): void {
    const tokens = nameTokens(name);
    for (const t of tokens) this.words.add(t);
    // Word prefixes: "Caprylic", "Caprylic Capric" of "Caprylic/Capric Triglyceride".
    for (let n = 1; n < tokens.length; n++) claim(this.prefixes, tokens.slice(0, n).join(''), id);
    const cuts = stripParentheses(name).split('/');
    for (let n = 1; n < cuts.length; n++) claim(this.slashPrefixes, nameTokens(cuts.slice(0, n).join('/')).join(''), id);
    const firstPart = tokens.findIndex((t, i) => i >= 2 && PLANT_PARTS.has(t));
    if (firstPart < 0) return;
    // "Rosa Damascena Flower Oil" → "Rosa Damascena Oil" and "Rosa Damascena".
    claim(this.partless, tokens.filter((t, i) => i < 2 || !PLANT_PARTS.has(t)).join(''), id);
    claim(this.partless, tokens.slice(0, firstPart).join(''), id);
  }

  /**
   * The entries a name can stand for: first as a botanical name without its plant part, then as
   * a name cut after a word or a slash. Null when no entry allows either reading.
   */
  read(name: string): DegradedReadings | null {
    const key = nameTokens(name).join('');
    if (!key) return null;
    const botanical = this.partless.get(key);
    // A name that ends in a slash was cut there: only names that go on after a slash can be meant.
    const truncated = (endsAtSlash(name) ? this.slashPrefixes : this.prefixes).get(key);
    if (!botanical && !truncated) return null;
    // "Zea Mays" reads as any Zea Mays entry, with a plant part ("Zea Mays Germ Oil") or without ("Zea Mays Starch").
    return { kind: botanical ? 'botanical' : 'truncated', ids: [...new Set([...(botanical ?? []), ...(truncated ?? [])])] };
  }

  /** The entries (by id) whose names without their plant part have the key `key` ("aloebarbadensis"). */
  plantsOf(key: string): readonly number[] {
    const ids = this.partless.get(key);
    return ids ? [...ids] : [];
  }

  /**
   * Whether reading `name` as `known` (a few edits apart) would change a word into another word
   * some name uses ("Sodium Nitrate" is no typo of Sodium Citrate), or change a letter of an
   * abbreviation of three letters or fewer ("Cocamide MEA" / "DEA", "Sodium RNA" / "DNA"; "Xanthan
   * Gum" / "Gim" is a typo): both name another
   * substance more often than they are a typo.
   */
  changesAWord(name: string, known: string): boolean {
    const a = nameTokens(name);
    const b = nameTokens(known);
    if (a.length !== b.length) return false;
    const written = nameWords(known);
    return a.some((word, i) => word !== b[i] && (this.words.has(word) || (isAbbreviation(written[i]!) && letterChangedInShortWord(word, b[i]!))));
  }
}


/** Longest word in which one changed letter is read as another substance rather than a typo. */
const SHORT_WORD = 3;

/** Whether `word` is the short `known` with a letter changed (MEA / DEA), not added, dropped or swapped ("Oil" / "Oli", "Otil"). */
function letterChangedInShortWord(word: string, known: string): boolean {
  if (known.length > SHORT_WORD || word.length !== known.length) return false;
  return [...word].sort().join('') !== [...known].sort().join('');
}

function claim(map: Map<string, Set<number>>, key: string, id: number): void {
  if (!key) return;
  const set = map.get(key);
  if (set) set.add(id);
  else map.set(key, new Set([id]));
}
