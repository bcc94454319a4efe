import { beforeAll, describe, expect, it } from 'vitest';
import {
  degradedCorpus,
  heldOutReadings,
  knowledgeBaseEntries,
  knowledgeBaseLexicon,
  knownNameOccurrences,
  measureResolution,
  type Degradation,
  type KindOutcome,
} from '../../bench-support/degraded-names';

/**
 * Quality floor of reading degraded names, on a seeded corpus made from sephora_cosmetics.csv
 * (see test/bench-support/degraded-names.ts; `npm run bench names` prints the table). Floors sit
 * just under what the resolver reaches with this seed, so a change that reads fewer names right
 * or merges more wrongly fails here.
 */
const SEED = 13;
let table: Record<Degradation | 'all', KindOutcome>;

beforeAll(async () => {
  const occurrences = await knownNameOccurrences(knowledgeBaseLexicon());
  table = measureResolution(degradedCorpus(occurrences, SEED), knowledgeBaseLexicon());
}, 120_000);

const share = (o: KindOutcome, n: number) => n / o.names;

describe('degraded names from sephora_cosmetics.csv (seed 13)', () => {
  it('covers every known name occurrence of the catalog, each degraded one way', () => {
    expect(table.all.names).toBeGreaterThan(40_000);
    expect(table['no-plant-part'].names).toBeGreaterThan(1_000);
    expect(table.all.right + table.all.wrong + table.all.unknown).toBe(table.all.names);
  });

  it('reads lower-case names all right', () => {
    expect(share(table['lower-case'], table['lower-case'].right)).toBe(1);
  });

  it('reads typos right at least 91 % of the time and wrongly at most 0.2 %', () => {
    expect(share(table.typo, table.typo.right)).toBeGreaterThanOrEqual(0.91);
    expect(share(table.typo, table.typo.wrong)).toBeLessThanOrEqual(0.002);
  });

  it('reads truncated names and botanical names without the plant part where one reading exists', () => {
    expect(share(table.truncated, table.truncated.right)).toBeGreaterThanOrEqual(0.34);
    expect(share(table['no-plant-part'], table['no-plant-part'].right)).toBeGreaterThanOrEqual(0.54);
  });

  it('merges wrongly at most 1 %, almost only where the degraded text is itself another real name', () => {
    expect(share(table.all, table.all.right)).toBeGreaterThanOrEqual(0.81);
    expect(share(table.all, table.all.wrong)).toBeLessThanOrEqual(0.009);
    // Wrong readings the resolver itself chose (not an exact other name): at most 0.1 %.
    expect(share(table.all, table.all.wrong - table.all.collisions)).toBeLessThanOrEqual(0.001);
  });

  it('reads few real ingredients the knowledge base lacks as another entry', () => {
    // Each knowledge-base name read with its own entry left out (20 folds), as an unlisted
    // ingredient would be: 93 of 2,153 (4.3 %) are merged today, 50 of them as a name cut short
    // ("Camellia Sinensis Leaf" is the start of Camellia Sinensis Leaf Extract) and 35 as a typo.
    const held = heldOutReadings(knowledgeBaseEntries(), 20);
    expect(held.names).toBe(2153);
    expect(held.merged.typo).toBeLessThanOrEqual(36);
    expect(held.merged.truncated + held.merged.botanical + held.merged.typo).toBeLessThanOrEqual(94);
  });
});
