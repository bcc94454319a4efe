import { combineEstimate, predictListTokens, type ListPredictor } from '../ml/list-predictor';
import type { BenefitSpec } from '../ml/benefit-spec';

/**
 * The generate job's benefit scoring of decoded lists, in plain JavaScript so that it runs on
 * whichever thread decodes a batch (the helper thread never loads TensorFlow.js). It is the
 * editor's scoring (src/main/compute/inference.ts, estimateListBenefits): the list encoded to its
 * latent mean, the benefit heads at that mean, combined with the list predictor and its
 * uncertainty. The encoder's first layer reads the list sparsely (a list holds a few dozen of the
 * vocabulary's thousands of tokens), which is what makes 1,000 lists cheap; the values agree with
 * the TensorFlow.js path to float32 rounding.
 */
export interface ListScorerSpec {
  vocab: number;
  hidden: number;
  latent: number;
  headHidden: number;
  /** Row-major weights as the model stores them; encW1 holds the token rows only (conditioning inputs are 0 here). */
  encW1: Float32Array;
  encB1: Float32Array;
  encWmu: Float32Array;
  encBmu: Float32Array;
  headW1: Float32Array;
  headB1: Float32Array;
  headW2: Float32Array;
  headB2: Float32Array;
  /** Head outputs per code (at least 1). */
  outputs: number;
  benefits: BenefitSpec[];
  listPredictor: ListPredictor;
}

export interface ListScore {
  values: Record<string, number>;
  /** Half-width of each benefit's 80 % interval (null when the predictor gives none). */
  uncertainty: Record<string, number> | null;
}

/** Scores token lists (the model's vocabulary, each token once, most concentrated first). */
export function scoreTokenLists(spec: ListScorerSpec, lists: readonly (readonly number[])[]): ListScore[] {
  const { hidden: H, latent: D, headHidden: Q, outputs: B, encW1, encB1, encWmu, encBmu, headW1, headB1, headW2, headB2 } = spec;
  const h = new Float64Array(H);
  const mu = new Float64Array(D);
  const q = new Float64Array(Q);
  const raw = new Float64Array(B);
  const predicted = predictListTokens(spec.listPredictor, lists);
  const lp = spec.listPredictor;
  const names = spec.benefits.map((b) => b.name);
  const out: ListScore[] = new Array(lists.length);
  for (let i = 0; i < lists.length; i++) {
    const tokens = lists[i]!;
    // Encoder: h = relu(b1 + Σ_j x_j W1[t_j]) with x_j = 1 − (j / (n − 1)) / 2, then μ = h·Wμ + bμ.
    for (let k = 0; k < H; k++) h[k] = encB1[k]!;
    const n = tokens.length;
    for (let j = 0; j < n; j++) {
      const x = 1 - (n <= 1 ? 0 : j / (n - 1)) / 2;
      const row = tokens[j]! * H;
      for (let k = 0; k < H; k++) h[k] = h[k]! + x * encW1[row + k]!;
    }
    // μ = relu(h)·Wμ + bμ; the heads at μ: relu(μ·W1 + b1)·W2 + b2.
    denseInto(mu, encBmu, h, encWmu, true);
    denseInto(q, headB1, mu, headW1, false);
    denseInto(raw, headB2, q, headW2, true);
    const values: Record<string, number> = {};
    const uncertainty: Record<string, number> = {};
    let certain = true;
    for (let b = 0; b < names.length; b++) {
      const e = combineEstimate(spec.benefits[b]!, predicted[i]![b]!, lp.benefits[b], raw[b]!, lp.headWeight);
      values[names[b]!] = e.value;
      if (e.uncertainty === null) certain = false;
      else uncertainty[names[b]!] = e.uncertainty;
    }
    out[i] = { values, uncertainty: certain ? uncertainty : null };
  }
  return out;
}

/** out = bias + f(input)·W (W row-major, input.length × out.length), f = relu or the identity. */
function denseInto(out: Float64Array, bias: Float32Array, input: Float64Array, weights: Float32Array, relu: boolean): void {
  const width = out.length;
  for (let c = 0; c < width; c++) out[c] = bias[c]!;
  for (let k = 0; k < input.length; k++) {
    const v = input[k]!;
    if (relu ? v <= 0 : v === 0) continue;
    const row = k * width;
    for (let c = 0; c < width; c++) out[c] = out[c]! + v * weights[row + c]!;
  }
}

/** The scorer's weights from a model's named weights (as JointVae.getWeights gives them). */
export function listScorerSpec(
  shape: { vocab: number; hidden: number; latent: number; headHidden: number; benefits: number },
  weights: readonly { name: string; values: Float32Array }[],
  benefits: BenefitSpec[],
  listPredictor: ListPredictor,
): ListScorerSpec {
  const byName = new Map(weights.map((w) => [w.name, w.values]));
  const get = (name: string) => {
    const v = byName.get(name);
    if (!v) throw new Error(`the model has no tensor "${name}" for list scoring`);
    return v;
  };
  return {
    vocab: shape.vocab,
    hidden: shape.hidden,
    latent: shape.latent,
    headHidden: shape.headHidden,
    encW1: get('enc_w1').slice(0, shape.vocab * shape.hidden),
    encB1: get('enc_b1'),
    encWmu: get('enc_wmu'),
    encBmu: get('enc_bmu'),
    headW1: get('head_w1'),
    headB1: get('head_b1'),
    headW2: get('head_w2'),
    headB2: get('head_b2'),
    outputs: Math.max(1, shape.benefits),
    benefits,
    listPredictor,
  };
}
