import { SKIN_BENEFITS, type SkinBenefit } from '../domain';

/**
 * The knowledge-based benefit scorer: a product's score for a benefit grows with the number of
 * ingredients the knowledge base tags with that benefit and with how high they stand in the
 * list (position as a proxy for concentration):
 *
 *   score_b = 1 − Π_{i tagged b} (1 − STRENGTH · exp(−position_i / DECAY))
 *
 * so one tagged active near the top gives ~0.6, a trace at the end of a long list ~0.03, and
 * several tagged ingredients combine without exceeding 1. Written to benefit_scores with
 * source 'knowledge'; catalogs without benefit columns train on these.
 */

export const KNOWLEDGE_SCORE_STRENGTH = 0.6;
export const KNOWLEDGE_SCORE_DECAY = 8;

/** `benefitsOf(i)` lists the benefits of the ingredient at 0-based position i. */
export function knowledgeScores(length: number, benefitsOf: (position: number) => readonly string[]): Record<SkinBenefit, number> {
  const missing = Object.fromEntries(SKIN_BENEFITS.map((b) => [b, 1])) as Record<SkinBenefit, number>;
  for (let i = 0; i < length; i++) {
    const weight = KNOWLEDGE_SCORE_STRENGTH * Math.exp(-i / KNOWLEDGE_SCORE_DECAY);
    for (const b of benefitsOf(i)) if (b in missing) missing[b as SkinBenefit] *= 1 - weight;
  }
  return Object.fromEntries(SKIN_BENEFITS.map((b) => [b, Math.round((1 - missing[b]) * 1000) / 1000])) as Record<SkinBenefit, number>;
}
