import { sigmoid } from '../../shared/ml/metrics';
import type { BenefitKind } from './dataset';

/**
 * What a benefit head predicts and how its raw output reads, and the error a cancelled training
 * throws: kept apart from train.ts (and TensorFlow.js) so that the list predictor and the generate
 * job's list scoring can run on the compute process's helper thread, which never loads it.
 */

export interface BenefitSpec {
  name: string;
  kind: BenefitKind;
  /** Standardisation of score targets (flags: mean 0, std 1). */
  mean: number;
  std: number;
  /**
   * The range a score's prediction is held to: 0–1 or 0–10 when the training values lie within
   * it, else the range observed in training. Absent for flags (a probability) and in models saved before.
   */
  range?: [number, number];
}

/** A benefit head's raw output in the benefit's own terms: a probability for a flag, a score in its units and range. */
export function benefitValue(spec: BenefitSpec, raw: number): number {
  if (spec.kind === 'flag') return sigmoid(raw);
  const value = raw * spec.std + spec.mean;
  return spec.range ? Math.min(spec.range[1], Math.max(spec.range[0], value)) : value;
}

export class TrainingCancelled extends Error {
  constructor() {
    super('training was cancelled; nothing was saved');
    this.name = 'TrainingCancelled';
  }
}
