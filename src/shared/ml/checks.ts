/**
 * Checks of a generated ingredient list, each with reasons a chemist can read: ordering
 * plausibility (learned pairwise precedence plus the 1 % rule of the knowledge base), novelty
 * against the catalog, and structural rules (preservation, emulsification, length).
 * Lists are arrays of integer ids (vocabulary tokens); facts come from the knowledge base.
 */

export interface IngredientFacts {
  name: string;
  functions: readonly string[];
  concentration: 'above-1' | 'below-1' | null;
}

/**
 * How often each ingredient precedes each other one in the catalog. Ids are mapped to a dense
 * index and counts kept in one typed array, so a lookup is two array reads; ingredients not in
 * the table count as never seen.
 */
export class PrecedenceTable {
  private readonly index = new Map<number, number>();
  private readonly before: Uint16Array;
  private readonly size: number;

  constructor(lists: readonly (readonly number[])[], ids?: Iterable<number>) {
    for (const id of ids ?? lists.flat()) if (!this.index.has(id)) this.index.set(id, this.index.size);
    this.size = this.index.size;
    this.before = new Uint16Array(this.size * this.size);
    for (const list of lists) {
      const dense = list.map((id) => this.index.get(id)).filter((x): x is number => x !== undefined);
      for (let i = 0; i < dense.length; i++) {
        const row = dense[i]! * this.size;
        for (let j = i + 1; j < dense.length; j++) {
          const k = row + dense[j]!;
          if (this.before[k]! < 65535) this.before[k]!++;
        }
      }
    }
  }

  /** Smoothed probability that `a` is listed before `b`: (n(a<b) + 1) / (n(a<b) + n(b<a) + 2). */
  probability(a: number, b: number): number {
    const [ab, ba] = this.counts(a, b);
    return (ab + 1) / (ab + ba + 2);
  }

  /** Count of catalog lists that put `a` before `b` and the reverse. */
  counts(a: number, b: number): [number, number] {
    const x = this.index.get(a);
    const y = this.index.get(b);
    if (x === undefined || y === undefined) return [0, 0];
    return [this.before[x * this.size + y]!, this.before[y * this.size + x]!];
  }

  /**
   * Every ordered pair of a list at once (ids mapped once, then plain array reads): the sum of
   * the smoothed probabilities of the list's orders, the number of pairs, and the pairs that
   * the catalog never puts in this order but at least 3 products reverse. `inTable`: the list
   * is one of the table's own (a catalog product), so its own order is left out of the counts
   * (leave-one-out), scoring it as a new list would be scored.
   */
  pairSummary(list: readonly number[], inTable = false): { sum: number; pairs: number; doubtful: { p: number; a: number; b: number }[] } {
    const dense = list.map((id) => this.index.get(id) ?? -1);
    const { before, size } = this;
    let sum = 0;
    let pairs = 0;
    const doubtful: { p: number; a: number; b: number }[] = [];
    for (let i = 0; i < dense.length; i++) {
      const x = dense[i]!;
      for (let j = i + 1; j < dense.length; j++) {
        const y = dense[j]!;
        const ab = x < 0 || y < 0 ? 0 : Math.max(0, before[x * size + y]! - (inTable && x !== y ? 1 : 0));
        const ba = x < 0 || y < 0 ? 0 : before[y * size + x]!;
        const p = (ab + 1) / (ab + ba + 2);
        sum += p;
        pairs++;
        if (ba >= 3 && ab === 0) doubtful.push({ p, a: list[i]!, b: list[j]! });
      }
    }
    return { sum, pairs, doubtful };
  }
}

export interface PlausibilityResult {
  /** Mean over all ordered pairs of the catalog probability of that order, in [0, 1]. */
  score: number;
  reasons: string[];
}

/**
 * Ordering plausibility: the mean, over every pair in the list, of how often the catalog puts
 * them in this order; the worst-supported pairs and any 1 % rule breaks become reasons. A
 * catalog product (`inTable`) is scored leave-one-out, without its own order.
 */
export function orderingPlausibility(list: readonly number[], table: PrecedenceTable, facts: (id: number) => IngredientFacts | undefined, inTable = false): PlausibilityResult {
  const { sum, pairs, doubtful } = table.pairSummary(list, inTable);
  const reasons: string[] = [];
  doubtful
    .sort((x, y) => x.p - y.p)
    .slice(0, 3)
    .forEach(({ a, b }) => {
      const [, ba] = table.counts(a, b);
      reasons.push(`${facts(a)?.name ?? a} is placed before ${facts(b)?.name ?? b}, but ${ba} catalog products list it after`);
    });
  // The 1 % rule: ingredients usually used below 1 % should not precede ones usually above it.
  const earlyTrace = onePercentBreaks(list, facts)[0];
  if (earlyTrace !== undefined) reasons.push(onePercentMessage(list, earlyTrace, facts));
  const baseMissing = baseNotFirst(list, facts);
  if (baseMissing) reasons.push(baseNotFirstMessage(list, facts));
  const penalty = (earlyTrace !== undefined ? 0.1 : 0) + (baseMissing ? 0.1 : 0);
  return { score: Math.max(0, (pairs ? sum / pairs : 1) - penalty), reasons };
}

/**
 * Breaks of the 1 % rule: every ingredient usually used below 1 % that is listed before the last
 * ingredient usually used above it, as 0-based positions (`trace` before `above`), in list order.
 */
export function onePercentBreaks(list: readonly number[], facts: (id: number) => IngredientFacts | undefined): { trace: number; above: number }[] {
  const above = list.map((id) => facts(id)?.concentration).lastIndexOf('above-1');
  const breaks: { trace: number; above: number }[] = [];
  for (let i = 0; i < above; i++) if (facts(list[i]!)?.concentration === 'below-1') breaks.push({ trace: i, above });
  return breaks;
}

function onePercentMessage(list: readonly number[], b: { trace: number; above: number }, facts: (id: number) => IngredientFacts | undefined): string {
  return `${facts(list[b.trace]!)?.name} (usually below 1 %) comes before ${facts(list[b.above]!)?.name} (usually above 1 %)`;
}

/** True for a list with water whose first ingredient is neither water nor another base (a solvent or an above-1 % ingredient). */
export function baseNotFirst(list: readonly number[], facts: (id: number) => IngredientFacts | undefined): boolean {
  const first = list[0] !== undefined ? facts(list[0]) : undefined;
  const hasWater = list.some((id) => /^water$/i.test(facts(id)?.name ?? ''));
  return !!(hasWater && first && !/^water$/i.test(first.name) && !first.functions.includes('solvent') && first.concentration !== 'above-1');
}

function baseNotFirstMessage(list: readonly number[], facts: (id: number) => IngredientFacts | undefined): string {
  return `an aqueous list that does not start with water or another base (${facts(list[0]!)?.name} first)`;
}

/** One way a list's order departs from catalog practice, naming the ingredients concerned. */
export interface OrderingWarning {
  kind: 'reversed-pair' | 'one-percent-rule' | 'base-not-first';
  /** 0-based positions in the list of the ingredients concerned (for a pair: the earlier one first). */
  positions: number[];
  message: string;
}

/**
 * Every ordering problem of a list, each tied to its ingredients (the editor marks them): pairs
 * the catalog orders the other way (at least `minReversed` products list them reversed and at
 * most `maxAgreeShare` of those listing both agree with this order), strongest evidence first;
 * every break of the 1 % rule; and an aqueous list that does not start with its base.
 * `orderingPlausibility` reports the same rules as reasons, the worst few only.
 */
export function orderingWarnings(
  list: readonly number[],
  table: PrecedenceTable,
  facts: (id: number) => IngredientFacts | undefined,
  options: { minReversed?: number; maxAgreeShare?: number } = {},
): OrderingWarning[] {
  const minReversed = options.minReversed ?? 3;
  const maxAgreeShare = options.maxAgreeShare ?? 0.1;
  const name = (i: number) => facts(list[i]!)?.name ?? `#${list[i]}`;
  const pairs: (OrderingWarning & { reversed: number })[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [agree, reversed] = table.counts(list[i]!, list[j]!);
      if (reversed >= minReversed && agree <= maxAgreeShare * (agree + reversed)) {
        const before = agree === 0 ? 'none before' : `${agree} before`;
        pairs.push({ kind: 'reversed-pair', positions: [i, j], reversed, message: `${name(i)} is placed before ${name(j)}, but ${reversed} catalog products list it after (${before})` });
      }
    }
  }
  pairs.sort((a, b) => b.reversed - a.reversed || a.positions[0]! - b.positions[0]! || a.positions[1]! - b.positions[1]!);
  const warnings: OrderingWarning[] = pairs.map(({ kind, positions, message }) => ({ kind, positions, message }));
  for (const b of onePercentBreaks(list, facts)) warnings.push({ kind: 'one-percent-rule', positions: [b.trace, b.above], message: onePercentMessage(list, b, facts) });
  if (baseNotFirst(list, facts)) warnings.push({ kind: 'base-not-first', positions: [0], message: baseNotFirstMessage(list, facts) });
  return warnings;
}

export interface StructureResult {
  ok: boolean;
  reasons: string[];
}

/** A pair of ingredient groups not to combine in one product, by ingredient id. */
export interface IncompatibleGroups {
  a: ReadonlySet<number>;
  b: ReadonlySet<number>;
  reason: string;
}

/**
 * Structural rules: preservation when water is present, an emulsifier when oils meet water,
 * length within the catalog's range, and no combination from the incompatibility list.
 */
export function structuralChecks(
  list: readonly number[],
  facts: (id: number) => IngredientFacts | undefined,
  lengthRange: [number, number],
  incompatible: readonly IncompatibleGroups[] = [],
): StructureResult {
  const reasons: string[] = [];
  for (const pair of incompatible) {
    const x = list.find((id) => pair.a.has(id));
    const y = list.find((id) => pair.b.has(id));
    if (x !== undefined && y !== undefined) reasons.push(`${facts(x)?.name ?? x} with ${facts(y)?.name ?? y}: ${pair.reason}`);
  }
  const gaps = structuralGaps(list, facts);
  if (gaps.preservative) reasons.push('contains water but no preservative');
  if (gaps.emulsifier) reasons.push('oils and water without an emulsifier');
  if (list.length < lengthRange[0]) reasons.push(`only ${list.length} ingredients (catalog lists have at least ${lengthRange[0]})`);
  if (list.length > lengthRange[1]) reasons.push(`${list.length} ingredients (catalog lists have at most ${lengthRange[1]})`);
  return { ok: reasons.length === 0, reasons };
}

/**
 * The functional ingredients a list lacks by the structural rules: a preservative when it holds
 * water, an emulsifier (or a surfactant) when oils meet water. The generate job fills them in
 * (src/main/generate/completion.ts); structuralChecks reports them.
 */
export function structuralGaps(list: readonly number[], facts: (id: number) => IngredientFacts | undefined): { preservative: boolean; emulsifier: boolean } {
  const has = (fn: string) => list.some((id) => facts(id)?.functions.includes(fn));
  const hasWater = list.some((id) => /^water$/i.test(facts(id)?.name ?? ''));
  const oily = list.some((id) => {
    const f = facts(id);
    return !!f && (f.functions.includes('occlusive') || (f.functions.includes('emollient') && !f.functions.includes('humectant')));
  });
  return { preservative: hasWater && !has('preservative'), emulsifier: hasWater && oily && !has('emulsifier') && !has('surfactant') };
}

/** Finds, for a list, the catalog list with the highest Jaccard (inverted index on ids). */
export class NoveltyIndex {
  private readonly postings = new Map<number, number[]>();
  private readonly sizes: number[];
  /** Scratch counters per catalog row, reset after each query. */
  private readonly shared: Int32Array;

  constructor(lists: readonly (readonly number[])[]) {
    this.sizes = lists.map((l) => new Set(l).size);
    this.shared = new Int32Array(lists.length);
    lists.forEach((list, row) => {
      for (const id of new Set(list)) {
        const p = this.postings.get(id);
        if (p) p.push(row);
        else this.postings.set(id, [row]);
      }
    });
  }


  /** The nearest catalog list by Jaccard: its row and the similarity (novelty = 1 − similarity). */
  nearest(list: readonly number[]): { row: number; jaccard: number } {
    const counts = this.shared;
    const touched: number[] = [];
    const set = new Set(list);
    for (const id of set) {
      for (const row of this.postings.get(id) ?? []) {
        if (counts[row] === 0) touched.push(row);
        counts[row]!++;
      }
    }
    let best = { row: -1, jaccard: 0 };
    for (const row of touched) {
      const s = counts[row]!;
      counts[row] = 0;
      const j = s / (set.size + this.sizes[row]! - s);
      if (j > best.jaccard || (j === best.jaccard && row < best.row)) best = { row, jaccard: j };
    }
    return best;
  }
}

/**
 * Distance between two ingredient-frequency distributions (how often each id occurs across a
 * set of lists): Jensen–Shannon divergence in bits, 0 for identical, 1 for disjoint.
 */
export function frequencyDivergence(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  const freq = (lists: readonly (readonly number[])[]) => {
    const m = new Map<number, number>();
    let total = 0;
    for (const l of lists) {
      for (const id of l) m.set(id, (m.get(id) ?? 0) + 1);
      total += l.length;
    }
    return { m, total: Math.max(1, total) };
  };
  const fa = freq(a);
  const fb = freq(b);
  let js = 0;
  for (const id of new Set([...fa.m.keys(), ...fb.m.keys()])) js += jensenShannonTerm((fa.m.get(id) ?? 0) / fa.total, (fb.m.get(id) ?? 0) / fb.total);
  return js;
}

/** One outcome's part of the Jensen–Shannon divergence (bits) of two distributions giving it probabilities p and q. */
function jensenShannonTerm(p: number, q: number): number {
  const mid = (p + q) / 2;
  return (p > 0 ? 0.5 * p * Math.log2(p / mid) : 0) + (q > 0 ? 0.5 * q * Math.log2(q / mid) : 0);
}

/** Width of the length bins of {@link lengthDivergence}, in ingredients. */
const LENGTH_BIN = 5;

/**
 * Jensen–Shannon divergence (bits) between two sets of list lengths, in bins of 5 ingredients
 * (the last bin holds 100 and more): 0 when they follow the same distribution. A random sample
 * of 50 catalog lists scores about 0.05–0.09 against its catalog (the noise of 50 values).
 */
export function lengthDivergence(a: readonly number[], b: readonly number[]): number {
  const bins = 100 / LENGTH_BIN + 1;
  const histogram = (lengths: readonly number[]) => {
    const h = new Float64Array(bins);
    for (const l of lengths) h[Math.min(bins - 1, Math.floor(Math.max(0, l - 1) / LENGTH_BIN))]! += 1 / Math.max(1, lengths.length);
    return h;
  };
  const p = histogram(a);
  const q = histogram(b);
  let js = 0;
  for (let i = 0; i < bins; i++) js += jensenShannonTerm(p[i]!, q[i]!);
  return js;
}

/** Mean pairwise Jaccard distance over (up to `maxPairs` seeded-sampled) pairs of lists. */
export function internalDiversity(lists: readonly (readonly number[])[], maxPairs: number, random: () => number): number {
  const n = lists.length;
  if (n < 2) return 0;
  // Each list as its sorted distinct ids, all in one array: a pair's overlap is one merge.
  const starts = new Int32Array(n + 1);
  const sorted = lists.map((l) => Int32Array.from(new Set(l)).sort());
  sorted.forEach((l, i) => (starts[i + 1] = starts[i]! + l.length));
  const ids = new Int32Array(starts[n]!);
  sorted.forEach((l, i) => ids.set(l, starts[i]!));
  const distance = (i: number, j: number) => {
    let x = starts[i]!;
    let y = starts[j]!;
    const xEnd = starts[i + 1]!;
    const yEnd = starts[j + 1]!;
    let s = 0;
    while (x < xEnd && y < yEnd) {
      const a = ids[x]!;
      const b = ids[y]!;
      if (a < b) x++;
      else if (a > b) y++;
      else {
        s++;
        x++;
        y++;
      }
    }
    const u = xEnd - starts[i]! + (yEnd - starts[j]!) - s;
    return u === 0 ? 0 : 1 - s / u;
  };
  const all = (n * (n - 1)) / 2;
  let sum = 0;
  let count = 0;
  if (all <= maxPairs) {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        sum += distance(i, j);
        count++;
      }
    }
  } else {
    while (count < maxPairs) {
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      if (i === j) continue;
      sum += distance(i, j);
      count++;
    }
  }
  return sum / count;
}
