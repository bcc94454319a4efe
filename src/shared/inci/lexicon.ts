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
  private readonly keysByLength = new Map<number, string[]>();
  private readonly suggestionCache = new Map<string, LexiconMatch | null>();

  constructor(entries: Iterable<LexiconEntry>) {
    for (const entry of entries) this.add(entry);
  }

  /** Adds (or re-adds) an entry. A name already claimed by another entry keeps its first owner. */
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
    let best: LexiconMatch | null = null;
    let bestDistance = max + 1;
    for (let len = key.length - max; len <= key.length + max; len++) {
      for (const candidate of this.keysByLength.get(len) ?? []) {
        const d = boundedEditDistance(key, candidate, Math.min(max, bestDistance - 1));
        if (d < bestDistance) {
          bestDistance = d;
          best = this.byKey.get(candidate) ?? null;
          if (d === 1) break;
        }
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
      const list = this.keysByLength.get(key.length);
      if (list) list.push(key);
      else this.keysByLength.set(key.length, [key]);
    }
  }
}
