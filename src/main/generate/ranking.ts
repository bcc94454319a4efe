import { quantileOfSorted } from '../../shared/ml/objective';

/**
 * Length-fair ranking of the generate job's candidates. A short list scores well on every
 * measure for the wrong reasons: its few pairs are easy to order (one ingredient: plausibility
 * 1.0) and it shares little with any full formula (high novelty), so ranking by score alone put
 * 13-ingredient lists first on a catalog whose median is 33. The score shrinks plausibility
 * toward the catalog's median by the number of pairs (kernels.ts), and the ranking compares each
 * list only with lists of similar length: the catalog's lengths are cut at their deciles, and the
 * i-th best passed list of a band is ranked at (i + ½) / (the band's share of the catalog), so the
 * shortlist takes every band in the catalog's proportion, best first within each.
 */

/** How many length bands the ranking compares lists within (the catalog's deciles). */
const LENGTH_BANDS = 10;

/** The catalog's list lengths as the ranking and the quality panel use them. */
export interface CatalogLengths {
  /** The 5th percentile: shorter lists rank only when the request allows them. */
  p5: number;
  median: number;
  /** Band cut points, ascending: a list of length L is in band #{cuts ≤ L}. */
  cuts: number[];
  /** Each band's share of the catalog's lists. */
  shares: number[];
}

/** Percentiles and length bands of the catalog's lists. */
export function catalogLengths(lists: readonly (readonly number[])[]): CatalogLengths {
  const lengths = lists.map((l) => l.length).sort((a, b) => a - b);
  const cuts = [...new Set(Array.from({ length: LENGTH_BANDS - 1 }, (_, i) => quantileOfSorted(lengths, (i + 1) / LENGTH_BANDS)))].filter((c) => Number.isFinite(c));
  const bands: Pick<CatalogLengths, 'cuts'> = { cuts };
  const shares = new Array<number>(cuts.length + 1).fill(0);
  for (const l of lengths) shares[lengthBand(l, bands)]! += 1 / lengths.length;
  return { p5: lengths.length ? quantileOfSorted(lengths, 0.05) : 0, median: lengths.length ? quantileOfSorted(lengths, 0.5) : 0, cuts, shares };
}

/** The band of a list of `length` ingredients. */
export function lengthBand(length: number, lengths: Pick<CatalogLengths, 'cuts'>): number {
  let band = 0;
  while (band < lengths.cuts.length && length >= lengths.cuts[band]!) band++;
  return band;
}

/** What the ranking reads of a candidate. */
export interface Rankable {
  passed: boolean;
  score: number;
  ingredientIds: readonly number[];
}

/**
 * The candidates in rank order: passed lists first, interleaved across the catalog's length
 * bands in proportion to their shares (best score first within a band), then the rejected ones
 * by score. Ties keep the input order (the sort is stable).
 */
export function rankLengthFair<T extends Rankable>(candidates: readonly T[], lengths: CatalogLengths): T[] {
  const passed = candidates.filter((c) => c.passed);
  const rejected = candidates.filter((c) => !c.passed).sort((a, b) => b.score - a.score);
  const byBand = new Map<number, T[]>();
  for (const c of passed) {
    const band = lengthBand(c.ingredientIds.length, lengths);
    const members = byBand.get(band);
    if (members) members.push(c);
    else byBand.set(band, [c]);
  }
  const keyed: { c: T; key: number }[] = [];
  for (const [band, members] of byBand) {
    // A band the catalog never fills (possible only when lists fall outside its lengths) ranks last.
    const share = lengths.shares[band] || 1e-9;
    members.sort((a, b) => b.score - a.score).forEach((c, i) => keyed.push({ c, key: (i + 0.5) / share }));
  }
  keyed.sort((a, b) => a.key - b.key || b.c.score - a.c.score);
  return [...keyed.map((k) => k.c), ...rejected];
}
