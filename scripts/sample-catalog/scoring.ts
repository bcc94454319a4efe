/**
 * Benefit scores of a sample product, derived from what went in and at what level, plus a
 * little seeded noise so the latent space has texture.
 */
import { entryOf } from './formula';
import type { Rng } from './rng';
import { BENEFITS, type Benefit } from './vocabulary';

/**
 * Scores each benefit from content and level. Each ingredient contributes its strength scaled
 * by sqrt(level / max level) (diminishing returns), contributions combine like independent
 * probabilities, rinse-off products keep only part of the effect, and a little seeded noise
 * keeps neighbouring formulas from sharing identical scores.
 */
export function scoreBenefits(names: string[], levels: number[], rinseOff: boolean, rng: Rng): Record<Benefit, number> {
  const out = {} as Record<Benefit, number>;
  for (const b of BENEFITS) {
    let remaining = 1;
    names.forEach((n, idx) => {
      const e = entryOf(n);
      const s = e.benefits[b];
      if (!s) return;
      const effect = Math.min(0.95, s * Math.sqrt(Math.min(1.5, levels[idx]! / e.max)));
      remaining *= 1 - effect;
    });
    let score = 1 - remaining;
    if (b === 'uv_protection' && score > 0) score = Math.min(0.98, score * 1.05);
    if (rinseOff) score *= b === 'exfoliation' || b === 'oil_control' || b === 'anti_acne' ? 0.6 : 0.4;
    if (score > 0.02) score += rng.range(-0.05, 0.05);
    out[b] = Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;
  }
  return out;
}
