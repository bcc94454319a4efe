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
