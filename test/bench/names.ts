import { DEGRADATIONS, degradedCorpus, formatOutcome, knowledgeBaseLexicon, knownNameOccurrences, measureResolution } from '../bench-support/degraded-names';

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
  return figures;
}
