import type { BenefitPredictorSummary } from '../../shared/domain';
import { meanOf, rocAuc } from '../../shared/ml/metrics';
import { combineEstimate, predictListTokens, type ListPredictor } from './list-predictor';
import type { PreparedData } from './train';

/**
 * Held-out figures of the benefit predictor the app scores with: the list predictor alone, its
 * combination with the latent heads, and how honest the stated uncertainty is.
 */

/**
 * Evaluates on `rows` (held-out rows of `p`), given the heads' raw outputs for the same rows
 * (rows × benefits). `headWeight` defaults to the predictor's own.
 */
export function evaluateBenefitPredictor(p: PreparedData, predictor: ListPredictor, rows: readonly number[], headOut: Float32Array, headWeight = predictor.headWeight): BenefitPredictorSummary {
  const B = p.benefits.length;
  const lists = predictListTokens(predictor, rows.map((r) => p.lists[r]!));
  const listAucs: (number | null)[] = [];
  const combinedAucs: (number | null)[] = [];
  const brier: number[] = [];
  const flagUncertainty: number[] = [];
  const scoreUncertainty: number[] = [];
  let inside = 0;
  let scored = 0;
  p.benefits.forEach((spec, b) => {
    const listValues: number[] = [];
    const combined: number[] = [];
    const actual: number[] = [];
    rows.forEach((r, i) => {
      if (!p.mask[r * B + b]) return;
      const estimate = combineEstimate(spec, lists[i]![b]!, predictor.benefits[b], headOut[i * B + b]!, headWeight);
      const truth = spec.kind === 'flag' ? p.targets[r * B + b]! : p.targets[r * B + b]! * spec.std + spec.mean;
      listValues.push(lists[i]![b]!.mean);
      combined.push(estimate.value);
      actual.push(truth);
      if (spec.kind === 'flag') {
        brier.push((estimate.value - truth) ** 2);
        flagUncertainty.push(estimate.uncertainty ?? 0);
      } else {
        scored++;
        if (Math.abs(truth - estimate.value) <= (estimate.uncertainty ?? 0)) inside++;
        scoreUncertainty.push(estimate.uncertainty ?? 0);
      }
    });
    if (spec.kind !== 'flag') return;
    listAucs.push(rocAuc(listValues, actual));
    combinedAucs.push(rocAuc(combined, actual));
  });
  return {
    headWeight,
    listMeanFlagAuc: meanOf(listAucs),
    combinedMeanFlagAuc: meanOf(combinedAucs),
    intervalCoverage: scored ? inside / scored : null,
    flagBrier: meanOf(brier),
    meanFlagUncertainty: meanOf(flagUncertainty),
    meanScoreUncertainty: meanOf(scoreUncertainty),
  };
}
