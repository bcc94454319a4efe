import { DegradedNameIndex, endsAtSlash, nameTokens } from './degraded';
import { boundedEditDistance, ingredientKey } from './key';

/**
 * How a name was matched to a lexicon entry: exactly (`canonical`, `synonym`, a known
 * `misspelling`), or as the one entry a degraded name can stand for (`truncated` after a word
 * or a slash, `botanical` without its plant part, a `typo` within a small edit distance).
 */
export type MatchKind = 'canonical' | 'synonym' | 'misspelling' | DegradedMatchKind;

/** The match kinds of degraded names (see {@link IngredientLexicon.readDegraded}). */
export type DegradedMatchKind = 'truncated' | 'botanical' | 'typo';

/** A degraded name's reading: the one entry it stands for, or the names it could be (as suggestions, never merged). */
export interface NameReading {
  match: LexiconMatch | null;
  /** When `match` is null: the names the degraded name could stand for, best first. */
  candidates: string[];
}

const NO_READING: NameReading = { match: null, candidates: [] };

/** One knowledge-base ingredient as the lexicon indexes it. */
export interface LexiconEntry {
  id: number;
  inci: string;
  synonyms: readonly string[];
  misspellings: readonly string[];
}

/** The entry a name was matched to, and how. */
export interface LexiconMatch {
  id: number;
  inci: string;
  kind: MatchKind;
}

/**
 * An in-memory index from normalised names to ingredients: canonical INCI names, synonyms and
 * known misspellings. Built once per import (or per editor session) from the knowledge base.
 */
export class IngredientLexicon {
  private readonly byKey = new Map<string, LexiconMatch>();
  /** Every claimed key, and a trigram → key-index postings list to find near misses fast. */
  private readonly keys: string[] = [];
  private readonly trigramPostings = new Map<string, number[]>();
  /** How many distinct trigrams each key in `keys` has (the q-gram filter's bound counts distinct ones). */
  private readonly gramCounts: number[] = [];
  /** Key indices by key length: short keys can be within a few edits while sharing no trigram. */
  private readonly byLength: number[][] = [];
  /** The entry id owning each key in `keys` (negative: a name seen only in catalogs, see the constructor). */
  private readonly owners: number[] = [];
  /** The name each key in `keys` was made from (its words matter to a typo reading). */
  private readonly keyNames: string[] = [];
  private readonly suggestionCache = new Map<string, LexiconMatch | null>();
  private readonly readingCache = new Map<string, NameReading>();
  /** Display names by id: entries' canonical names, and catalog names under negative ids. */
  private readonly names = new Map<number, string>();
  /** Built on first use: most parses never meet a degraded name. */
  private degraded: DegradedNameIndex | null = null;
  private readonly entries: LexiconEntry[] = [];
  private readonly catalogNames: string[] = [];
  private readonly catalogKeys = new Set<string>();
  /** Scratch counter reused across suggestions (reset after each use). */
  private sharedCounts = new Int32Array(0);

  /**
   * `catalogNames` are ingredient names seen in imported catalogs but absent from the knowledge
   * base: never a match, they make a degraded name ambiguous ("Tremella Fuciformis" could be
   * a catalog's "Tremella Fuciformis Polysaccharide" as well as the knowledge base's extract).
   */
  constructor(entries: Iterable<LexiconEntry>, catalogNames: Iterable<string> = []) {
    for (const entry of entries) this.add(entry);
    for (const name of catalogNames) {
      const key = ingredientKey(name);
      if (!key || this.byKey.has(key) || this.catalogKeys.has(key)) continue;
      this.catalogKeys.add(key);
      const id = -(this.catalogNames.push(name));
      this.names.set(id, name);
      this.index(key, id, name);
    }
  }

  /**
   * Adds (or re-adds) an entry. A name already claimed by another entry keeps its first owner.
   * Build a new lexicon rather than adding to one already used for parsing: parse results are
   * memoised per lexicon instance.
   */
  add(entry: LexiconEntry): void {
    this.claim(entry.inci, entry, 'canonical');
    for (const s of entry.synonyms) this.claim(s, entry, 'synonym');
    for (const m of entry.misspellings) this.claim(m, entry, 'misspelling');
    this.names.set(entry.id, entry.inci);
    this.entries.push(entry);
    this.suggestionCache.clear();
    this.readingCache.clear();
    this.degraded = null;
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * Exact lookup by normalised key of `name`. A synonym naming only a plant ("Aloe Barbadensis"
   * of Aloe Barbadensis Leaf Extract) is no exact reading while other entries are parts of that
   * plant too (Aloe Barbadensis Leaf Juice): it is read as a degraded name, see {@link readDegraded}.
   */
  lookup(name: string): LexiconMatch | null {
    const key = ingredientKey(name);
    const match = key ? this.byKey.get(key) : undefined;
    if (!match) return null;
    if (match.kind !== 'synonym') return match;
    this.degraded ??= this.buildDegradedIndex();
    return this.degraded.plantsOf(key).some((id) => id !== match.id) ? null : match;
  }

  /**
   * The closest known name within a small edit distance, for "did you mean …?" hints.
   * Never used to merge silently: callers show it as a suggestion only.
   */
  suggest(name: string): LexiconMatch | null {
    const key = ingredientKey(name);
    if (key.length < 5) return null;
    const cached = this.suggestionCache.get(key);
    if (cached !== undefined) return cached;
    let best: LexiconMatch | null = null;
    let bestDistance = Infinity;
    for (const near of this.near(key, key.length >= 10 ? 2 : 1)) {
      const candidate = this.keys[near.index]!;
      const match = this.byKey.get(candidate);
      if (!match) continue;
      if (near.distance < bestDistance || (near.distance === bestDistance && best && candidate < ingredientKey(best.inci))) {
        bestDistance = near.distance;
        best = match;
      }
    }
    this.suggestionCache.set(key, best);
    return best;
  }

  /**
   * Reads a name no exact lookup knows as scrapers degrade names: cut after a few words or at a
   * slash, a botanical name without its plant part, or a typo. It resolves only when exactly one
   * entry allows the reading — for a typo, only when one entry is nearest by a clear margin,
   * never by changing a digit ("PEG-40" is not "PEG-45") and never in a short name, where one
   * edit often spells another real ingredient. Otherwise the possible names come back as
   * candidates, to be offered as suggestions.
   */
  readDegraded(name: string): NameReading {
    const key = ingredientKey(name);
    const exact = key ? this.lookup(name) : null;
    if (!key || (exact && !endsAtSlash(name))) return NO_READING;
    // Word readings take the words outside parentheses and a final slash; a typo reading takes the whole name too.
    const cacheKey = `${key}\u0000${nameTokens(name).join(' ')}${endsAtSlash(name) ? '/' : ''}`;
    const cached = this.readingCache.get(cacheKey);
    if (cached) return cached;
    let reading = exact ? this.readCutAfterExact(name, key, exact) : this.readUncached(name, key);
    // A name a catalog spells exactly is that catalog's ingredient, not a degraded other one: its readings are only suggestions.
    if (this.catalogKeys.has(key)) {
      const others = reading.match ? [reading.match.inci] : reading.candidates.filter((c) => ingredientKey(c) !== key);
      reading = { match: null, candidates: others };
    }
    this.readingCache.set(cacheKey, reading);
    return reading;
  }

  /** Names offered for an unknown `name`: the entries a degraded reading allows, else the nearest known name. */
  suggestions(name: string, limit = 5): string[] {
    const { candidates } = this.readDegraded(name);
    if (candidates.length) return candidates.slice(0, limit);
    const near = this.suggest(name);
    return near ? [near.inci] : [];
  }

  private readUncached(name: string, key: string): NameReading {
    this.degraded ??= this.buildDegradedIndex();
    const words = this.degraded.read(name);
    // A plant's name held back from its synonym's entry (see `lookup`) is still one of its readings.
    const shorthand = this.byKey.get(key);
    if (words) return this.resolveOne(shorthand ? [...new Set([...words.ids, shorthand.id])] : words.ids, words.kind, key);
    return this.readTypo(name, key, this.degraded);
  }

  /**
   * A known name followed by a slash ("Dimethicone/"): that name with a stray slash, or cut from
   * one that goes on after the slash (Dimethicone/Vinyl Dimethicone Crosspolymer). Several
   * readings, so only candidates; none but the name itself when no entry goes on there.
   */
  private readCutAfterExact(name: string, key: string, exact: LexiconMatch): NameReading {
    this.degraded ??= this.buildDegradedIndex();
    const words = this.degraded.read(name);
    if (!words) return NO_READING;
    const cut = this.resolveOne(words.ids, words.kind, key);
    return { match: null, candidates: [...(cut.match ? [cut.match.inci] : cut.candidates), exact.inci] };
  }

  private buildDegradedIndex(): DegradedNameIndex {
    const index = new DegradedNameIndex();
    for (const e of this.entries) {
      index.add(e.id, e.inci);
      for (const s of e.synonyms) index.add(e.id, s);
    }
    this.catalogNames.forEach((name, i) => index.add(-(i + 1), name));
    return index;
  }

  /**
   * One knowledge-base entry → its match; several (or a catalog name) → candidates: knowledge-base
   * names first, then names that begin like `key` ("Sodium Benzoate" before "Algin", which is
   * there through its synonym Sodium Alginate), then alphabetically.
   */
  private resolveOne(ids: readonly number[], kind: DegradedMatchKind, key: string): NameReading {
    if (ids.length === 1 && ids[0]! > 0) {
      const inci = this.names.get(ids[0]!)!;
      return { match: { id: ids[0]!, inci, kind }, candidates: [] };
    }
    const rank = (id: number) => (id > 0 ? 0 : 2) + (ingredientKey(this.names.get(id)!).startsWith(key) ? 0 : 1);
    const sorted = [...ids].sort((a, b) => rank(a) - rank(b) || this.names.get(a)!.localeCompare(this.names.get(b)!));
    return { match: null, candidates: sorted.map((id) => this.names.get(id)!) };
  }

  /**
   * A typo reading: the one entry clearly nearest, and only by an edit that does not spell
   * another substance (a digit, a vowel of a suffix, a syllable, another known word). The
   * shorter the name, the fewer letters a typo may bring in that the entry lacks: one changed
   * or added letter spells another word in a short name ("Agar" for "Atar"), two in a name
   * under ten letters (Mannose / Maltose, Dodecane / Undecane, Propane / Proline).
   */
  private readTypo(name: string, key: string, words: DegradedNameIndex): NameReading {
    const max = key.length >= TYPO_TWO_EDITS_FROM ? 2 : key.length >= TYPO_ONE_EDIT_FROM ? 1 : 0;
    if (max === 0) return NO_READING;
    // Nearest key per entry, looking one edit further than allowed to judge the margin.
    const byId = new Map<number, { index: number; distance: number }>();
    for (const near of this.near(key, max + 1)) {
      const id = this.owners[near.index]!;
      if (near.distance < (byId.get(id)?.distance ?? Infinity)) byId.set(id, near);
    }
    const ranked = [...byId].sort((a, b) => a[1].distance - b[1].distance);
    if (ranked.length === 0) return NO_READING;
    const [bestId, best] = ranked[0]!;
    const runnerUp = ranked[1]?.[1].distance ?? Infinity;
    // The checks compare with the nearest name itself, which may be a synonym ("CI 77891" of Titanium Dioxide).
    const near = this.keys[best.index]!;
    const clear =
      best.distance <= max &&
      runnerUp > best.distance + TYPO_MARGIN - 1 &&
      bestId > 0 &&
      numbersOf(this.keyNames[best.index]!) === numbersOf(name) &&
      !suffixVowelChanged(key, near, this.keyNames[best.index]!) &&
      !syllableApart(key, name, near, this.keyNames[best.index]!) &&
      foreignLetters(key, near) <= (key.length < TYPO_ANY_EDIT_FROM ? 0 : best.distance < 2 || key.length >= TYPO_ANY_TWO_EDITS_FROM ? 2 : 1) &&
      !words.changesAWord(name, this.keyNames[best.index]!);
    if (clear) return { match: { id: bestId, inci: this.names.get(bestId)!, kind: 'typo' }, candidates: [] };
    return { match: null, candidates: ranked.filter(([, n]) => n.distance <= max).map(([id]) => this.names.get(id)!) };
  }

  /** Every indexed key within `max` edits of `key`, with its distance. */
  private near(key: string, max: number): { index: number; distance: number }[] {
    const grams = trigrams(key);
    // q-gram filter: an edit removes at most 3 trigrams, so a key within `max` edits shares at
    // least (distinct trigrams of either key) - 3·max distinct trigrams with it. Counted on
    // distinct trigrams, since a repeated piece ("Dimethicone/Vinyl Dimethicone") is indexed once.
    // Where that bound is not positive a short key may share none with a near one ("Waetr",
    // "Water"): scan the keys of nearby lengths. Longer keys rarely do, and scanning them is slow.
    if (grams.size - 3 * max <= 0 && key.length <= SCAN_KEYS_UP_TO) return this.nearByLength(key, max);
    if (this.sharedCounts.length < this.keys.length) this.sharedCounts = new Int32Array(this.keys.length * 2);
    const counts = this.sharedCounts;
    const touched: number[] = [];
    for (const gram of grams) {
      const postings = this.trigramPostings.get(gram);
      if (!postings) continue;
      for (const index of postings) {
        if (counts[index] === 0) touched.push(index);
        counts[index]!++;
      }
    }
    const out: { index: number; distance: number }[] = [];
    for (const index of touched) {
      const count = counts[index]!;
      counts[index] = 0;
      const candidate = this.keys[index]!;
      if (Math.abs(candidate.length - key.length) > max) continue;
      if (count < Math.max(this.gramCounts[index]!, grams.size) - 3 * max) continue;
      const distance = boundedEditDistance(key, candidate, max);
      if (distance <= max) out.push({ index, distance });
    }
    return out;
  }

  /** `near` for short keys: every key within `max` of its length, checked exactly. */
  private nearByLength(key: string, max: number): { index: number; distance: number }[] {
    const out: { index: number; distance: number }[] = [];
    for (let length = Math.max(1, key.length - max); length <= key.length + max; length++) {
      for (const index of this.byLength[length] ?? []) {
        const distance = boundedEditDistance(key, this.keys[index]!, max);
        if (distance <= max) out.push({ index, distance });
      }
    }
    return out;
  }

  private claim(name: string, entry: LexiconEntry, kind: MatchKind): void {
    const key = ingredientKey(name);
    if (!key) return;
    const existing = this.byKey.get(key);
    if (existing && (existing.id !== entry.id || existing.kind === 'canonical')) return;
    this.byKey.set(key, { id: entry.id, inci: entry.inci, kind });
    if (!existing) this.index(key, entry.id, name);
  }

  private index(key: string, owner: number, name: string): void {
    const index = this.keys.push(key) - 1;
    this.owners.push(owner);
    this.keyNames.push(name);
    (this.byLength[key.length] ??= []).push(index);
    const grams = trigrams(key);
    this.gramCounts.push(grams.size);
    for (const gram of grams) {
      const list = this.trigramPostings.get(gram);
      if (list) list.push(index);
      else this.trigramPostings.set(gram, [index]);
    }
  }
}

/** Longest key whose near misses are found by scanning every key of a nearby length rather than by shared trigrams. */
const SCAN_KEYS_UP_TO = 8;
/**
 * Shortest key a typo is read in at all, shortest read with any one edit (not only a dropped or
 * swapped letter), and shortest read with two edits. Set on the degraded Sephora corpus against
 * the figure of `npm run bench names` that counts false merges of unlisted ingredients
 * (knowledge-base names read as another entry once their own is left out).
 */
const TYPO_ONE_EDIT_FROM = 4;
const TYPO_ANY_EDIT_FROM = 5;
const TYPO_TWO_EDITS_FROM = 7;
/** Shortest key read with two edits that both bring in a letter (two letters changed). */
const TYPO_ANY_TWO_EDITS_FROM = 10;
/** How many edits further the runner-up must be than the nearest entry for a typo to be read. */
const TYPO_MARGIN = 1;

/**
 * Whether `key` is `near` (the key of `nearName`) with only a vowel changed in place, among the
 * last three letters of a word: in chemical names that is rarely a typo and often another
 * substance (Octadecene / Octadecane, -ol / -al, -ate / -ite). Two vowels swapped
 * ("Propanedoil") keep the same vowels and are a typo, and so is a vowel changed earlier in a
 * word ("Sodiem", "Hudroxide").
 */
function suffixVowelChanged(key: string, near: string, nearName: string): boolean {
  if (key.length !== near.length || key.replace(VOWELS, '*') !== near.replace(VOWELS, '*')) return false;
  const vowels = (k: string) => (k.match(VOWELS) ?? []).sort().join('');
  if (vowels(key) === vowels(near)) return false;
  const ends = wordEnds(nearName);
  for (let i = 0; i < key.length; i++) {
    if (key[i] !== near[i] && ends.some((end) => i >= end - SUFFIX_LETTERS && i < end)) return true;
  }
  return false;
}

/** How many letters at the end of a word make its suffix (-ate, -ol, -ene). */
const SUFFIX_LETTERS = 3;

const VOWELS = /[aeiouy]/g;

/**
 * Whether one key is the other with two adjacent letters added at the start or the end of a
 * word: a syllable (Di-, VA) that names another substance. Inside a word ("Sodifkum") it is a typo.
 */
function syllableApart(a: string, aName: string, b: string, bName: string): boolean {
  const [long, longName, short] = a.length > b.length ? [a, aName, b] : [b, bName, a];
  if (long.length - short.length !== 2) return false;
  const ends = wordEnds(longName);
  const atWordEdge = (i: number) => i === 0 || ends.includes(i) || ends.includes(i + 2);
  for (let i = 0; i + 2 <= long.length; i++) if (atWordEdge(i) && long.slice(0, i) + long.slice(i + 2) === short) return true;
  return false;
}

/** Where each word of `name` ends in its key ("Sodium Citrate" → 6, 13). */
function wordEnds(name: string): number[] {
  const ends: number[] = [];
  let at = 0;
  for (const word of name.split(/[^A-Za-z0-9\u00C0-\u024F]+/)) {
    const length = ingredientKey(word).length;
    if (length === 0) continue;
    at += length;
    ends.push(at);
  }
  return ends;
}

/** How many letters of `key` (counted with repeats) `known` lacks: the letters a typo brought in. */
function foreignLetters(key: string, known: string): number {
  const left = [...known];
  let foreign = 0;
  for (const c of key) {
    const at = left.indexOf(c);
    if (at < 0) foreign++;
    else left.splice(at, 1);
  }
  return foreign;
}

/**
 * A name's numbers, each with a letter standing alone after it as its suffix ("PEG-90M" → "90m",
 * "SD Alcohol 40-B" → "40b"): a typo may not touch them (PEG-90M is not PEG-90). A letter that
 * begins a word after the number ("1,2-Hexanediol", "PEG-100 Stearate") is not part of it.
 */
function numbersOf(name: string): string {
  return (name.match(/\d+(?:[-\s]?[A-Za-z](?![A-Za-z]))?/g) ?? []).map(ingredientKey).join(' ');
}

/** Distinct overlapping 3-character pieces of a key. */
function trigrams(key: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= key.length; i++) out.add(key.slice(i, i + 3));
  return out;
}
