import { KNOWLEDGE_SCORE_DECAY } from './knowledge-score';

/**
 * Ingredient-overlap similarity between two lists, for nearest-neighbour lookups and novelty:
 * plain set Jaccard, and a position-weighted variant in which an ingredient counts with weight
 * exp(−position / 8) (the knowledge scores' concentration proxy), compared with the weighted
 * Jaccard (Ruzicka) similarity Σ min(wA, wB) / Σ max(wA, wB). Two lists sharing their first
 * ingredients are closer than two sharing only trace ingredients.
 */

export interface Overlap<T> {
  jaccard: number;
  weightedJaccard: number;
  shared: T[];
  onlyInFirst: T[];
  onlyInSecond: T[];
}

/** The weight of the ingredient at 0-based `position`. */
export function positionWeight(position: number): number {
  return Math.exp(-position / KNOWLEDGE_SCORE_DECAY);
}

export function compareLists<T>(a: readonly T[], b: readonly T[]): Overlap<T> {
  const wa = new Map<T, number>();
  const wb = new Map<T, number>();
  a.forEach((x, i) => wa.has(x) || wa.set(x, positionWeight(i)));
  b.forEach((x, i) => wb.has(x) || wb.set(x, positionWeight(i)));
  const shared: T[] = [];
  const onlyInFirst: T[] = [];
  let minSum = 0;
  let maxSum = 0;
  for (const [x, w] of wa) {
    const v = wb.get(x);
    if (v === undefined) {
      onlyInFirst.push(x);
      maxSum += w;
    } else {
      shared.push(x);
      minSum += Math.min(w, v);
      maxSum += Math.max(w, v);
    }
  }
  const onlyInSecond: T[] = [];
  for (const [x, w] of wb) {
    if (!wa.has(x)) {
      onlyInSecond.push(x);
      maxSum += w;
    }
  }
  const union = wa.size + wb.size - shared.length;
  return {
    jaccard: union === 0 ? 1 : shared.length / union,
    weightedJaccard: maxSum === 0 ? 1 : minSum / maxSum,
    shared,
    onlyInFirst,
    onlyInSecond,
  };
}

/**
 * The position-weighted Jaccard of one query list against every list of a catalog at once, by
 * an inverted index: Σ max = W_query + W_list − Σ min, so only shared ingredients are visited
 * (the same values as `compareLists`, without building two maps per catalog list).
 */
export class OverlapIndex {
  private readonly postings = new Map<number, { rows: number[]; weights: number[] }>();
  private readonly totals: Float64Array;
  private readonly minSums: Float64Array;

  constructor(lists: readonly (readonly number[])[]) {
    this.totals = new Float64Array(lists.length);
    this.minSums = new Float64Array(lists.length);
    lists.forEach((list, row) => {
      firstWeights(list).forEach((w, id) => {
        this.totals[row]! += w;
        const p = this.postings.get(id);
        if (p) {
          p.rows.push(row);
          p.weights.push(w);
        } else this.postings.set(id, { rows: [row], weights: [w] });
      });
    });
  }

  /** Weighted Jaccard of `query` with each catalog list, by row. */
  weightedJaccards(query: readonly number[]): Float64Array {
    const mins = this.minSums.fill(0);
    let total = 0;
    firstWeights(query).forEach((wq, id) => {
      total += wq;
      const p = this.postings.get(id);
      if (!p) return;
      for (let i = 0; i < p.rows.length; i++) mins[p.rows[i]!]! += Math.min(wq, p.weights[i]!);
    });
    const out = new Float64Array(mins.length);
    for (let row = 0; row < out.length; row++) {
      const max = total + this.totals[row]! - mins[row]!;
      out[row] = max === 0 ? 1 : mins[row]! / max;
    }
    return out;
  }
}

/** Each item's weight at its first position (a repeat counts once, as in `compareLists`). */
function firstWeights(list: readonly number[]): Map<number, number> {
  const weights = new Map<number, number>();
  list.forEach((x, i) => weights.has(x) || weights.set(x, positionWeight(i)));
  return weights;
}
