import { COMPLETION_NOTE } from '../../shared/generated';
import { structuralGaps, type IngredientFacts } from '../../shared/ml/checks';
import { sigmoid } from '../../shared/ml/metrics';

/**
 * Completion of a decoded list by the structural rules: a list that holds water but no
 * preservative gets the model's most probable preservative, one where oils meet water without an
 * emulsifier gets its most probable emulsifier, each at its predicted position. The decoder keeps
 * the confident items, and a preservative system or an emulsifier is often below its confidence
 * line although every real formula of that kind carries one. Each addition is recorded with the
 * candidate (a "completed: …" note among its reasons), so a person sees what the job added.
 */

/** The functions completion can add, with why a list needs them. */
const NEEDS = [
  { gap: 'preservative', functions: ['preservative'], why: 'the list holds water' },
  { gap: 'emulsifier', functions: ['emulsifier'], why: 'oils meet water' },
] as const;

/** Tokens of each function completion can add, found once per catalog and model. */
export type FunctionalTokens = Record<(typeof NEEDS)[number]['gap'], Int32Array>;

/** The emittable tokens whose ingredient has each function completion may add. */
export function functionalTokens(ingredientIds: Int32Array, facts: ReadonlyMap<number, IngredientFacts>): FunctionalTokens {
  const pick = (functions: readonly string[]) => {
    const tokens: number[] = [];
    ingredientIds.forEach((id, t) => {
      if (id >= 0 && functions.some((f) => facts.get(id)?.functions.includes(f))) tokens.push(t);
    });
    return Int32Array.from(tokens);
  };
  return Object.fromEntries(NEEDS.map((n) => [n.gap, pick(n.functions)])) as FunctionalTokens;
}

/**
 * The decoded list (tokens, in predicted-position order) with each missing functional ingredient
 * added: the token of that function with the highest presence logit, inserted where its
 * predicted position falls. Returns the tokens and a note per addition.
 */
export function completeList(
  tokens: readonly number[],
  logits: ArrayLike<number>,
  positions: ArrayLike<number>,
  ingredientIds: Int32Array,
  facts: ReadonlyMap<number, IngredientFacts>,
  functional: FunctionalTokens,
  brief?: { allowed: Uint8Array; maxLength?: number },
): { tokens: number[]; notes: string[] } {
  const out = [...tokens];
  const notes: string[] = [];
  const fact = (id: number) => facts.get(id);
  for (const need of NEEDS) {
    if (!structuralGaps(out.map((t) => ingredientIds[t]!), fact)[need.gap]) continue;
    // A brief's length bound and exclusions hold for what completion adds too.
    if (brief?.maxLength !== undefined && out.length >= brief.maxLength) continue;
    const present = new Set(out);
    let best = -1;
    for (const t of functional[need.gap]) if (!present.has(t) && (!brief || brief.allowed[t]) && (best < 0 || logits[t]! > logits[best]!)) best = t;
    if (best < 0) continue;
    const at = out.findIndex((t) => positions[t]! > positions[best]!);
    out.splice(at < 0 ? out.length : at, 0, best);
    const name = fact(ingredientIds[best]!)?.name ?? `#${ingredientIds[best]}`;
    notes.push(`${COMPLETION_NOTE}added ${name} (${need.gap}, p = ${sigmoid(logits[best]!).toFixed(2)}), as ${need.why}`);
  }
  return { tokens: out, notes };
}
