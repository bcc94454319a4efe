import { baseNotFirst, onePercentBreaks, type IngredientFacts } from '../../src/shared/ml/checks';
import type { IngredientRecord } from '../../src/shared/domain';

/**
 * A synthetic lab for the Bayesian-optimisation benchmark: it scores an ingredient list the way
 * a barrier-repair panel for sensitive skin might, from knowledge-base facts the model never
 * sees as a target. Per ingredient, by position i (0 = most concentrated), weight 1/(1 + 0.25 i):
 *   +1.0 barrier-repair benefit, +0.6 soothing, +0.3 emollient, −0.6 fragrance or allergen.
 * Interactions: +0.8 for a humectant in the first five together with an emollient in the first
 * eight; +0.6 for two or more distinct barrier-repair ingredients. Penalties for an implausible
 * order: −0.4 per break of the 1 % rule, −1 when a list with water does not start with its base,
 * −1 for a list of fewer than five ingredients. Higher is better.
 */
export class SyntheticOracle {
  private readonly records: Map<number, IngredientRecord>;

  constructor(records: readonly IngredientRecord[]) {
    this.records = new Map(records.map((r) => [r.id, r]));
  }

  private facts = (id: number): IngredientFacts | undefined => {
    const r = this.records.get(id);
    return r ? { name: r.inci, functions: r.functions, concentration: r.concentration } : undefined;
  };

  score(list: readonly number[]): number {
    let value = 0;
    let barrier = 0;
    let humectantEarly = false;
    let emollientEarly = false;
    list.forEach((id, i) => {
      const r = this.records.get(id);
      if (!r) return;
      const w = 1 / (1 + 0.25 * i);
      let c = 0;
      if (r.benefits.includes('barrier_repair')) {
        c += 1;
        barrier++;
      }
      if (r.benefits.includes('soothing')) c += 0.6;
      if (r.functions.includes('emollient')) c += 0.3;
      if (r.functions.includes('fragrance') || r.functions.includes('fragrance-allergen')) c -= 0.6;
      value += w * c;
      if (i < 5 && r.functions.includes('humectant')) humectantEarly = true;
      if (i < 8 && r.functions.includes('emollient')) emollientEarly = true;
    });
    if (humectantEarly && emollientEarly) value += 0.8;
    if (barrier >= 2) value += 0.6;
    value -= 0.4 * onePercentBreaks(list, this.facts).length;
    if (baseNotFirst(list, this.facts)) value -= 1;
    if (list.length < 5) value -= 1;
    return value;
  }
}
