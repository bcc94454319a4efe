/**
 * Evaluation measures for decoded lists and benefit predictions. Pure functions over plain
 * arrays, each checked against worked examples in the tests.
 */

/** |A ∩ B| / |A ∪ B| of two ingredient sets; 1 for two empty sets. */
export function jaccard(a: readonly number[], b: readonly number[]): number {
  const setA = new Set(a);
  const setB = new Set(b);
  let shared = 0;
  for (const x of setA) if (setB.has(x)) shared++;
  const union = setA.size + setB.size - shared;
  return union === 0 ? 1 : shared / union;
}

/**
 * Kendall's τ-a between the orders two lists give to the ingredients they share; null when they
 * share fewer than two (no pair to compare).
 */
export function kendallTauShared(a: readonly number[], b: readonly number[]): number | null {
  const posB = new Map(b.map((x, i) => [x, i]));
  const shared = a.filter((x) => posB.has(x));
  const n = shared.length;
  if (n < 2) return null;
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // In `a`, shared[i] precedes shared[j]; compare with their order in `b`.
      if (posB.get(shared[i]!)! < posB.get(shared[j]!)!) concordant++;
      else discordant++;
    }
  }
  return (concordant - discordant) / ((n * (n - 1)) / 2);
}

/**
 * Area under the ROC curve (the probability that a random positive scores above a random
 * negative, ties counting half); null when only one class is present.
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number | null {
  const pairs = scores.map((s, i) => ({ s, y: labels[i]! > 0.5 ? 1 : 0 })).sort((x, y) => x.s - y.s);
  const positives = pairs.filter((p) => p.y === 1).length;
  const negatives = pairs.length - positives;
  if (positives === 0 || negatives === 0) return null;
  // Mann–Whitney U from average ranks (ties share their mean rank).
  let rankSumPositives = 0;
  for (let i = 0; i < pairs.length; ) {
    let j = i;
    while (j + 1 < pairs.length && pairs[j + 1]!.s === pairs[i]!.s) j++;
    const meanRank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (pairs[k]!.y === 1) rankSumPositives += meanRank;
    i = j + 1;
  }
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean absolute error; null for no values. */
export function meanAbsoluteError(predicted: readonly number[], actual: readonly number[]): number | null {
  if (predicted.length === 0) return null;
  let s = 0;
  for (let i = 0; i < predicted.length; i++) s += Math.abs(predicted[i]! - actual[i]!);
  return s / predicted.length;
}

/** Arithmetic mean ignoring nulls; null when nothing is left. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const kept = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return kept.length ? kept.reduce((a, b) => a + b, 0) / kept.length : null;
}

/** The logistic function 1 / (1 + e^−z): a logit as a probability. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function sampleSd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i]! - mean) ** 2;
  return Math.sqrt(s / (n - 1));
}
