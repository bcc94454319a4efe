import { boundedEditDistance, ingredientKey } from './key';

/** How a name was matched to a lexicon entry. */
export type MatchKind = 'canonical' | 'synonym' | 'misspelling';

export interface LexiconEntry {
  id: number;
  inci: string;
  synonyms: readonly string[];
  misspellings: readonly string[];
}

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
  private readonly suggestionCache = new Map<string, LexiconMatch | null>();
  /** Scratch counter reused across suggestions (reset after each use). */
  private sharedCounts = new Int32Array(0);

  constructor(entries: Iterable<LexiconEntry>) {
    for (const entry of entries) this.add(entry);
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
    this.suggestionCache.clear();
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Exact lookup by normalised key of `name`. */
  lookup(name: string): LexiconMatch | null {
    const key = ingredientKey(name);
    return key ? (this.byKey.get(key) ?? null) : null;
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
    const max = key.length >= 10 ? 2 : 1;
    // q-gram filter: each edit destroys at most 3 trigrams, so a key within `max` edits shares at
    // least (trigrams of the longer key) - 3·max of them. Only those candidates get the exact check.
    if (this.sharedCounts.length < this.keys.length) this.sharedCounts = new Int32Array(this.keys.length * 2);
    const counts = this.sharedCounts;
    const touched: number[] = [];
    for (const gram of trigrams(key)) {
      const postings = this.trigramPostings.get(gram);
      if (!postings) continue;
      for (const index of postings) {
        if (counts[index] === 0) touched.push(index);
        counts[index]!++;
      }
    }
    let best: LexiconMatch | null = null;
    let bestDistance = max + 1;
    for (const index of touched) {
      const count = counts[index]!;
      counts[index] = 0;
      const candidate = this.keys[index]!;
      if (Math.abs(candidate.length - key.length) > max) continue;
      if (count < Math.max(candidate.length, key.length) - 2 - 3 * max) continue;
      const d = boundedEditDistance(key, candidate, Math.min(max, bestDistance - 1));
      if (d < bestDistance || (d === bestDistance && best && candidate < ingredientKey(best.inci))) {
        bestDistance = d;
        best = this.byKey.get(candidate) ?? null;
      }
    }
    this.suggestionCache.set(key, best);
    return best;
  }

  private claim(name: string, entry: LexiconEntry, kind: MatchKind): void {
    const key = ingredientKey(name);
    if (!key) return;
    const existing = this.byKey.get(key);
    if (existing && (existing.id !== entry.id || existing.kind === 'canonical')) return;
    this.byKey.set(key, { id: entry.id, inci: entry.inci, kind });
    if (!existing) {
      const index = this.keys.push(key) - 1;
      for (const gram of trigrams(key)) {
        const list = this.trigramPostings.get(gram);
        if (list) list.push(index);
        else this.trigramPostings.set(gram, [index]);
      }
    }
  }
}

/** Distinct overlapping 3-character pieces of a key. */
function trigrams(key: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= key.length; i++) out.add(key.slice(i, i + 3));
  return out;
}
