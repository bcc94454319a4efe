import {
  DEGRADATIONS,
  degradedCorpus,
  formatOutcome,
  heldOutReadings,
  knowledgeBaseEntries,
  knowledgeBaseLexicon,
  knownNameOccurrences,
  measureResolution,
} from '../bench-support/degraded-names';

/** Degraded-name resolution on the seeded sephora corpus: the per-kind table (shares, not times). */
export async function benchNames(): Promise<Record<string, string>> {
  const occurrences = await knownNameOccurrences(knowledgeBaseLexicon());
  const figures: Record<string, string> = {};
  for (const seed of [13, 14]) {
    const lexicon = knowledgeBaseLexicon();
    const started = performance.now();
    const table = measureResolution(degradedCorpus(occurrences, seed), lexicon);
    const ms = performance.now() - started;
    for (const kind of ['all', ...DEGRADATIONS] as const) figures[`seed ${seed}, ${kind}`] = formatOutcome(table[kind]);
    figures[`seed ${seed}, µs per name read (parse, suggestions)`] = ((1000 * ms) / table.all.names).toFixed(0);
  }
  // Real ingredients the knowledge base lacks: its own names, each read with its entry left out.
  const held = heldOutReadings(knowledgeBaseEntries(), HELD_OUT_FOLDS);
  const pct = (n: number) => `${((100 * n) / held.names).toFixed(1)} %`;
  const merged = held.merged.truncated + held.merged.botanical + held.merged.typo;
  figures[`knowledge-base names read as another entry once left out (${HELD_OUT_FOLDS} folds)`] =
    `n=${held.names}  merged ${pct(merged)} (truncated ${held.merged.truncated}, botanical ${held.merged.botanical}, typo ${held.merged.typo})  exact synonym of another entry ${pct(held.exact)}`;
  return figures;
}

/** Folds of the left-out reading: 20 gives the same counts as leaving entries out one by one (±1), 100 times faster. */
const HELD_OUT_FOLDS = 20;
