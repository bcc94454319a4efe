import { createReadStream } from 'node:fs';
import { loadKnowledgeFile } from '../../src/main/inci/knowledge';
import { readCsvRecords } from '../../src/main/import/csv';
import { knowledgeBasePath, resolveResourcesDir } from '../../src/main/resources';
import { isPlantPartWord } from '../../src/shared/inci/degraded';
import { IngredientLexicon, type DegradedMatchKind, type LexiconEntry } from '../../src/shared/inci/lexicon';
import { parseInciDeclaration } from '../../src/shared/inci/parse';
import { seededRandom } from '../../src/shared/ml/random';
import { sephoraCsvPath } from '../data';

/**
 * The degraded-name corpus: every ingredient name of sephora_cosmetics.csv whose identity is
 * known (it resolves exactly in the clean file) is degraded one way, as scrapers leave names —
 * lower case, cut short, plant part dropped, a typo — with a seeded generator, and read back
 * through the declaration parser the import uses. Shared by the quality-floor test and the bench.
 */

export const DEGRADATIONS = ['lower-case', 'truncated', 'no-plant-part', 'typo'] as const;
export type Degradation = (typeof DEGRADATIONS)[number];

export interface DegradedName {
  original: string;
  degraded: string;
  kind: Degradation;
  /** The knowledge-base id the clean name resolves to. */
  truthId: number;
}

export interface KindOutcome {
  names: number;
  right: number;
  wrong: number;
  unknown: number;
  /** Wrong readings where the degraded text is itself another known name, read exactly ("Sodium Hyaluronate Crosspolymer" cut to "Sodium Hyaluronate"): no resolver can tell. */
  collisions: number;
  /** Unknown names whose suggestions include the right ingredient. */
  suggested: number;
}

/** The shipped knowledge base's entries as the lexicon indexes them (ids are entry positions from 1). */
export function knowledgeBaseEntries(): LexiconEntry[] {
  const kb = loadKnowledgeFile(knowledgeBasePath(resolveResourcesDir()));
  return kb.entries.map((e, i) => ({ id: i + 1, inci: e.inci, synonyms: e.synonyms ?? [], misspellings: e.misspellings ?? [] }));
}

/** The shipped knowledge base as a lexicon, without a database. */
export function knowledgeBaseLexicon(): IngredientLexicon {
  return new IngredientLexicon(knowledgeBaseEntries());
}

/** Every product's exactly resolved ingredient names (with their ids), read from the public catalog. */
export async function knownNameOccurrences(lexicon: IngredientLexicon): Promise<{ name: string; id: number }[]> {
  const stream = createReadStream(sephoraCsvPath());
  const chunks = (async function* () {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
  })();
  const out: { name: string; id: number }[] = [];
  let column = -1;
  for await (const record of readCsvRecords(chunks, {})) {
    if (column < 0) {
      column = record.fields.findIndex((f) => f.trim().toLowerCase() === 'ingredients');
      if (column < 0) throw new Error('sephora_cosmetics.csv has no Ingredients column');
      continue;
    }
    const parsed = parseInciDeclaration(record.fields[column] ?? '', lexicon);
    if (!parsed.ok) continue;
    for (const x of parsed.ingredients) {
      const exact = x.match === 'canonical' || x.match === 'synonym' || x.match === 'misspelling';
      if (exact && x.ingredientId !== null) out.push({ name: x.raw.replace(/[\s.]+$/, ''), id: x.ingredientId });
    }
  }
  return out;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The ways `name` can be degraded (lower case always; the others where the name allows). */
export function applicableDegradations(name: string): Degradation[] {
  const words = name.split(/\s+/);
  const kinds: Degradation[] = ['lower-case', 'typo'];
  if (words.length > 1 || /\/./.test(name)) kinds.push('truncated');
  if (words.some((w, i) => i >= 2 && isPlantPartWord(w))) kinds.push('no-plant-part');
  return kinds;
}

/** Degrades `name` one way. Typos change letters only (a changed digit names another ingredient). */
export function degrade(name: string, kind: Degradation, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  switch (kind) {
    case 'lower-case':
      return name.toLowerCase();
    case 'truncated': {
      const slash = name.indexOf('/');
      if (slash > 0 && slash < name.length - 1 && random() < 0.5) return name.slice(0, slash + 1);
      const words = name.split(/\s+/);
      if (words.length < 2) return name.slice(0, slash + 1);
      return words.slice(0, 1 + Math.floor(random() * Math.min(3, words.length - 1))).join(' ');
    }
    case 'no-plant-part': {
      const words = name.split(/\s+/);
      const firstPart = words.findIndex((w, i) => i >= 2 && isPlantPartWord(w));
      // Either the genus and species alone ("Rosa Damascena") or the name without the part word.
      if (random() < 0.5) return words.slice(0, firstPart).join(' ');
      return words.filter((w, i) => i < 2 || !isPlantPartWord(w)).join(' ');
    }
    case 'typo': {
      let out = name;
      const edits = random() < 0.5 ? 1 : 2;
      for (let e = 0; e < edits; e++) {
        const letters = [...out].flatMap((c, i) => (/[a-z]/i.test(c) ? [i] : []));
        if (letters.length === 0) break;
        const i = pick(letters);
        const op = pick(['substitute', 'delete', 'insert', 'transpose'] as const);
        if (op === 'substitute') out = out.slice(0, i) + pick([...LETTERS].filter((c) => c !== out[i]!.toLowerCase())) + out.slice(i + 1);
        else if (op === 'delete') out = out.slice(0, i) + out.slice(i + 1);
        else if (op === 'insert') out = out.slice(0, i) + pick([...LETTERS]) + out.slice(i);
        else if (/[a-z]/i.test(out[i + 1] ?? '') && out[i] !== out[i + 1]) out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
        else e--;
      }
      return out;
    }
  }
}

/** The seeded corpus: each known name occurrence degraded one way, chosen at random among those that apply. */
export function degradedCorpus(occurrences: readonly { name: string; id: number }[], seed: number): DegradedName[] {
  const random = seededRandom(seed);
  return occurrences.map(({ name, id }) => {
    const kinds = applicableDegradations(name);
    const kind = kinds[Math.floor(random() * kinds.length)]!;
    return { original: name, degraded: degrade(name, kind, random), kind, truthId: id };
  });
}

/** Reads each degraded name as a one-item declaration and counts right, wrong and unknown, per kind and overall. */
export function measureResolution(corpus: readonly DegradedName[], lexicon: IngredientLexicon): Record<Degradation | 'all', KindOutcome> {
  const empty = (): KindOutcome => ({ names: 0, right: 0, wrong: 0, unknown: 0, collisions: 0, suggested: 0 });
  const table = { all: empty(), ...Object.fromEntries(DEGRADATIONS.map((k) => [k, empty()])) } as Record<Degradation | 'all', KindOutcome>;
  const truthName = new Map<number, string>();
  for (const x of corpus) {
    const parsed = parseInciDeclaration(x.degraded, lexicon);
    const item = parsed.ok && parsed.ingredients.length === 1 ? parsed.ingredients[0]! : null;
    const outcome = !item?.ingredientId ? 'unknown' : item.ingredientId === x.truthId ? 'right' : 'wrong';
    if (!truthName.has(x.truthId)) truthName.set(x.truthId, lexicon.lookup(x.original)?.inci ?? '');
    const collision = outcome === 'wrong' && (item!.match === 'canonical' || item!.match === 'synonym' || item!.match === 'misspelling');
    const suggested = outcome === 'unknown' && lexicon.suggestions(x.degraded, 5).includes(truthName.get(x.truthId)!);
    for (const row of [table.all, table[x.kind]]) {
      row.names++;
      row[outcome]++;
      if (suggested) row.suggested++;
      if (collision) row.collisions++;
    }
  }
  return table;
}

/** One line of the per-kind table: shares in per cent with one decimal. */
export function formatOutcome(o: KindOutcome): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, o.names)).toFixed(1)} %`;
  return `n=${o.names}  right ${pct(o.right)}  wrong ${pct(o.wrong)} (another real name: ${pct(o.collisions)}, excluding those: ${pct(o.wrong - o.collisions)})  unknown ${pct(o.unknown)} (right one suggested: ${pct(o.suggested)})`;
}

/** How knowledge-base names read once their own entry is gone (see {@link heldOutReadings}). */
export interface HeldOutOutcome {
  names: number;
  /** Read as another entry by a degraded reading, per kind: each would be a wrong merge of a real, unlisted ingredient. */
  merged: Record<DegradedMatchKind, number>;
  /** Read exactly as another entry (the name is also another entry's synonym): no resolver's doing. */
  exact: number;
}

/**
 * The false-merge risk for real ingredients the knowledge base lacks: the entries are split into
 * `folds` groups by position; each group is left out of the lexicon in turn and its canonical
 * names are read as one-item declarations. Any degraded reading of a left-out name merges a real
 * substance into another (Linolenic Acid read as a typo of Linoleic Acid).
 */
export function heldOutReadings(entries: readonly LexiconEntry[], folds: number): HeldOutOutcome {
  const out: HeldOutOutcome = { names: 0, merged: { truncated: 0, botanical: 0, typo: 0 }, exact: 0 };
  for (let fold = 0; fold < folds; fold++) {
    const lexicon = new IngredientLexicon(entries.filter((_, i) => i % folds !== fold));
    for (let i = fold; i < entries.length; i += folds) {
      out.names++;
      const parsed = parseInciDeclaration(entries[i]!.inci, lexicon);
      const match = parsed.ok && parsed.ingredients.length === 1 ? parsed.ingredients[0]!.match : null;
      if (match === 'truncated' || match === 'botanical' || match === 'typo') out.merged[match]++;
      else if (match) out.exact++;
    }
  }
  return out;
}
