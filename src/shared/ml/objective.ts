/**
 * The objective of latent-space optimisation (seeds 001–003), as pure rules: what each benefit
 * term asks for, when it counts as met, and the value of the whole objective for given predicted
 * benefits and a latent code. The compute process evaluates the same formulas on tensors to take
 * gradients; these plain versions define them and are what the tests check against.
 *
 * Every term is measured on the catalog's own scale: `u = (v − mean) / std`, where mean and std
 * are those of the benefit's predictions over the catalog's codes, so weights are comparable
 * across benefits whatever their units.
 *
 *   maximise   −w·u
 *   minimise   +w·u
 *   target     +w·((v − t) / std)²
 *   prior      +λ·½‖z‖²                   (−log N(z | 0, I) up to its constant, seed 001 eq. 1)
 *   guard      +μ·max(0, d(z) − r)²       (d: distance to the nearest catalog code)
 *   repulsion  +ρ·Σ_j exp(−‖W(z − b_j)‖² / 2h²)   (b_j: earlier restarts' best codes; W whitens)
 *
 * The optimiser minimises the sum.
 */

/** The default weight ρ keeping restarts apart (the optimize request's `diversity`), measured by `npm run bench optimize`. */
export const DEFAULT_DIVERSITY = 1;

/** The repulsion's kernel width h, in whitened units (see {@link repulsionPenalty}). */
export const REPULSION_BANDWIDTH = 1;

export type ObjectiveGoal = 'maximize' | 'minimize' | 'target';

/** One benefit term, resolved against the catalog (its scale and the bar for "met"). */
export interface ResolvedTerm {
  benefit: string;
  goal: ObjectiveGoal;
  weight: number;
  /** The benefit's predicted mean and standard deviation over the catalog's codes. */
  mean: number;
  std: number;
  /** maximize: met when v ≥ bar; minimize: met when v ≤ bar; target: the target value. */
  bar: number;
  /** target only: met when |v − bar| ≤ tolerance. */
  tolerance: number;
}

/** The prior penalty −log N(z | 0, I) without its constant: ½‖z‖². */
export function priorPenalty(z: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += z[i]! * z[i]!;
  return 0.5 * s;
}

/** One term's contribution to the objective (to be minimised) for predicted value v. */
export function termLoss(term: ResolvedTerm, v: number): number {
  const std = term.std > 1e-9 ? term.std : 1;
  if (term.goal === 'maximize') return -term.weight * ((v - term.mean) / std);
  if (term.goal === 'minimize') return term.weight * ((v - term.mean) / std);
  const d = (v - term.bar) / std;
  return term.weight * d * d;
}

/** The manifold guard's penalty for a code at distance d from the nearest catalog code. */
export function guardPenalty(distance: number, radius: number, weight: number): number {
  const over = Math.max(0, distance - radius);
  return weight * over * over;
}

/**
 * Restart r's repulsion from the best codes of the restarts before it (issue 14): a Gaussian
 * kernel of width h on the whitened distance (W = L⁻¹, D × D row-major), weight ρ. Restarts
 * maximising the same benefit otherwise collapse onto a few optima.
 */
export function repulsionPenalty(z: ArrayLike<number>, anchors: readonly ArrayLike<number>[], whitening: ArrayLike<number>, bandwidth: number, weight: number): number {
  const D = z.length;
  let total = 0;
  for (const a of anchors) {
    let s = 0;
    for (let i = 0; i < D; i++) {
      let w = 0;
      for (let k = 0; k < D; k++) w += whitening[i * D + k]! * (z[k]! - a[k]!);
      s += w * w;
    }
    total += Math.exp(-s / (2 * bandwidth * bandwidth));
  }
  return weight * total;
}

/** The whole objective (lower is better). */
export function objectiveValue(
  terms: readonly ResolvedTerm[],
  benefits: Readonly<Record<string, number>>,
  z: ArrayLike<number>,
  priorWeight: number,
  guard: { distance: number; radius: number; weight: number } | null,
): number {
  let total = priorWeight * priorPenalty(z);
  for (const t of terms) total += termLoss(t, benefits[t.benefit]!);
  if (guard) total += guardPenalty(guard.distance, guard.radius, guard.weight);
  return total;
}

/** Whether a term is met by predicted value v, and a sentence saying so. */
export function termVerdict(term: ResolvedTerm, v: number | undefined): { met: boolean; reason: string } {
  if (v === undefined || !Number.isFinite(v)) return { met: false, reason: `${term.benefit}: no prediction` };
  const value = v.toFixed(3);
  if (term.goal === 'maximize') {
    const met = v >= term.bar;
    return { met, reason: `${term.benefit} ${value} ${met ? '≥' : '<'} ${term.bar.toFixed(3)} (maximise)` };
  }
  if (term.goal === 'minimize') {
    const met = v <= term.bar;
    return { met, reason: `${term.benefit} ${value} ${met ? '≤' : '>'} ${term.bar.toFixed(3)} (minimise)` };
  }
  const met = Math.abs(v - term.bar) <= term.tolerance;
  return { met, reason: `${term.benefit} ${value} is ${met ? 'within' : 'outside'} ${term.bar.toFixed(3)} ± ${term.tolerance.toFixed(3)} (target)` };
}

/** All terms' verdicts for a set of predicted benefits. */
export function targetsVerdict(terms: readonly ResolvedTerm[], benefits: Readonly<Record<string, number>>): { met: boolean; reasons: string[] } {
  const verdicts = terms.map((t) => termVerdict(t, benefits[t.benefit]));
  return { met: verdicts.every((v) => v.met), reasons: verdicts.map((v) => v.reason) };
}

/** The q-quantile (0–1) of values, by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  return quantileOfSorted([...values].sort((a, b) => a - b), q);
}

/** {@link quantile} of values already sorted ascending (several quantiles of one set sort it once). */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
