import * as tf from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from '@tensorflow/tfjs-core/dist/engine';
import { seededRandom } from '../../shared/ml/random';

/**
 * The joint model: a VAE over ingredient lists with benefit heads on the latent mean
 * (seed 001's joint VAE + predictor). Written with tfjs-core ops and explicit variables so that
 * initialisation is seeded, weights serialise to plain arrays, and every backend runs it.
 *
 *   encoder  x (V [+ B]) → relu(hidden) → μ, log σ²  (D each)
 *   decoder  z (D) → relu(hidden) → presence logits a (V), positions μ_pos = sigmoid(·) (V)
 *   heads    μ (D) → relu(headHidden) → one output per benefit (logit for flags, standardised
 *            value for scores)
 *
 * Input x_v = 1 − r_v / 2 for an ingredient at relative position r_v ∈ [0, 1], 0 if absent: the
 * encoder sees both which ingredients are present and their order.
 */

export interface ModelShape {
  vocab: number;
  /** Extra encoder inputs (benefit conditioning), 0 when off. */
  conditioning: number;
  latent: number;
  hidden: number;
  headHidden: number;
  benefits: number;
  /** A separate hidden layer for the position output. */
  positionTower?: boolean;
}

export interface NamedWeights {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface Encoded {
  mu: tf.Tensor2D;
  logVar: tf.Tensor2D;
}

export interface Decoded {
  logits: tf.Tensor2D;
  positions: tf.Tensor2D;
}

/**
 * x · W with a hand-written gradient. tfjs-wasm runs a product on XNNPACK only when neither
 * operand is flagged as transposed; matMul's own gradient uses transposed products, which fall
 * back to a naive loop ~20× slower. Explicit transposes keep every product on the fast path.
 */
export const dense = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor2D;
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g)];
    },
  };
}) as CustomGradientFunc<tf.Tensor2D>) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

const PARAMS = [
  'enc_w1', 'enc_b1', 'enc_wmu', 'enc_bmu', 'enc_wlv', 'enc_blv',
  'dec_w1', 'dec_b1', 'dec_wp', 'dec_bp', 'dec_wr', 'dec_br',
  'head_w1', 'head_b1', 'head_w2', 'head_b2',
  'pos_w1', 'pos_b1',
] as const;
type ParamName = (typeof PARAMS)[number];

/** The parameters a model of this shape has (the position tower is optional). */
function paramNames(shape: ModelShape): ParamName[] {
  return PARAMS.filter((p) => shape.positionTower || !p.startsWith('pos_'));
}

export class JointVae {
  private constructor(
    readonly shape: ModelShape,
    private readonly vars: Record<ParamName, tf.Variable>,
  ) {}

  /** Glorot-uniform weights from a seed; presence biases start at the tokens' log-odds. */
  static initialise(shape: ModelShape, seed: number, presenceRate?: Float32Array): JointVae {
    const rand = seededRandom(seed);
    const glorot = (rows: number, cols: number): tf.Tensor => {
      const limit = Math.sqrt(6 / (rows + cols));
      const values = new Float32Array(rows * cols);
      for (let i = 0; i < values.length; i++) values[i] = (rand() * 2 - 1) * limit;
      return tf.tensor2d(values, [rows, cols]);
    };
    const zeros = (n: number) => tf.zeros([n]);
    const input = shape.vocab + shape.conditioning;
    const presenceBias = presenceRate
      ? tf.tensor1d(presenceRate.map((p) => Math.log(Math.max(p, 1e-4) / Math.max(1 - p, 1e-4))))
      : zeros(shape.vocab);
    const init: Record<ParamName, tf.Tensor> = {
      enc_w1: glorot(input, shape.hidden),
      enc_b1: zeros(shape.hidden),
      enc_wmu: glorot(shape.hidden, shape.latent),
      enc_bmu: zeros(shape.latent),
      enc_wlv: glorot(shape.hidden, shape.latent),
      enc_blv: zeros(shape.latent),
      dec_w1: glorot(shape.latent, shape.hidden),
      dec_b1: zeros(shape.hidden),
      dec_wp: glorot(shape.hidden, shape.vocab),
      dec_bp: presenceBias,
      dec_wr: glorot(shape.hidden, shape.vocab),
      dec_br: zeros(shape.vocab),
      head_w1: glorot(shape.latent, shape.headHidden),
      head_b1: zeros(shape.headHidden),
      head_w2: glorot(shape.headHidden, Math.max(1, shape.benefits)),
      head_b2: zeros(Math.max(1, shape.benefits)),
      pos_w1: shape.positionTower ? glorot(shape.latent, shape.hidden) : zeros(0),
      pos_b1: zeros(shape.positionTower ? shape.hidden : 0),
    };
    return new JointVae(shape, toVariables(init, paramNames(shape)));
  }

  /** Rebuilds a model from saved weights; throws naming the first missing or misshapen tensor. */
  static fromWeights(shape: ModelShape, weights: readonly NamedWeights[]): JointVae {
    const byName = new Map(weights.map((w) => [w.name, w]));
    const reference = JointVae.initialise(shape, 0);
    const init = {} as Record<ParamName, tf.Tensor>;
    try {
      for (const name of paramNames(shape)) {
        const w = byName.get(name);
        const expected = reference.vars[name].shape;
        if (!w) throw new Error(`the model file has no tensor "${name}"`);
        if (w.shape.join('x') !== expected.join('x')) throw new Error(`tensor "${name}" has shape ${w.shape.join('×')}, expected ${expected.join('×')}`);
        init[name] = tf.tensor(w.values, w.shape);
      }
    } finally {
      reference.dispose();
    }
    return new JointVae(shape, toVariables(init, paramNames(shape)));
  }

  get variables(): tf.Variable[] {
    return paramNames(this.shape).map((p) => this.vars[p]);
  }

  encode(x: tf.Tensor2D): Encoded {
    return tf.tidy(() => {
      const v = this.vars;
      const h = tf.relu(tf.add(dense(x, v.enc_w1 as tf.Tensor2D), v.enc_b1)) as tf.Tensor2D;
      const mu = tf.add(dense(h, v.enc_wmu as tf.Tensor2D), v.enc_bmu) as tf.Tensor2D;
      // Bounded log-variance keeps exp() finite early in training.
      const logVar = tf.clipByValue(tf.add(dense(h, v.enc_wlv as tf.Tensor2D), v.enc_blv), -8, 8) as tf.Tensor2D;
      return { mu, logVar };
    });
  }

  decode(z: tf.Tensor2D): Decoded {
    return tf.tidy(() => {
      const v = this.vars;
      const g = tf.relu(tf.add(dense(z, v.dec_w1 as tf.Tensor2D), v.dec_b1)) as tf.Tensor2D;
      const logits = tf.add(dense(g, v.dec_wp as tf.Tensor2D), v.dec_bp) as tf.Tensor2D;
      const gp = this.shape.positionTower ? (tf.relu(tf.add(dense(z, v.pos_w1 as tf.Tensor2D), v.pos_b1)) as tf.Tensor2D) : g;
      const positions = tf.sigmoid(tf.add(dense(gp, v.dec_wr as tf.Tensor2D), v.dec_br)) as tf.Tensor2D;
      return { logits, positions };
    });
  }

  /** Benefit head outputs from latent means: logits for flags, standardised values for scores. */
  predictBenefits(mu: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const v = this.vars;
      const q = tf.relu(tf.add(dense(mu, v.head_w1 as tf.Tensor2D), v.head_b1)) as tf.Tensor2D;
      return tf.add(dense(q, v.head_w2 as tf.Tensor2D), v.head_b2) as tf.Tensor2D;
    });
  }

  /** Current weights as plain arrays (for saving, and for keeping the best epoch). */
  getWeights(): NamedWeights[] {
    return paramNames(this.shape).map((name) => ({ name, shape: [...this.vars[name].shape], values: this.vars[name].dataSync() as Float32Array }));
  }

  setWeights(weights: readonly NamedWeights[]): void {
    tf.tidy(() => {
      for (const w of weights) this.vars[w.name as ParamName].assign(tf.tensor(w.values, w.shape));
    });
  }

  dispose(): void {
    for (const p of paramNames(this.shape)) this.vars[p].dispose();
  }
}

/** tfjs variable names are global: number each model instance. */
let instanceCounter = 0;

function toVariables(init: Record<ParamName, tf.Tensor>, names: readonly ParamName[]): Record<ParamName, tf.Variable> {
  const out = {} as Record<ParamName, tf.Variable>;
  const instance = ++instanceCounter;
  for (const name of PARAMS) {
    if (!names.includes(name)) {
      init[name]?.dispose();
      continue;
    }
    out[name] = tf.variable(init[name], true, `jvae${instance}_${name}`);
    init[name].dispose();
  }
  return out;
}

/** Encoder input row for a token list: 1 − r/2 at each present token, r its relative position. */
export function fillEncoderInput(row: Float32Array, tokens: readonly number[], offset = 0): void {
  const n = tokens.length;
  tokens.forEach((t, j) => {
    row[offset + t] = 1 - (n <= 1 ? 0 : j / (n - 1)) / 2;
  });
}
