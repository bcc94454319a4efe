import * as tf from '@tensorflow/tfjs-core';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ModelConfig } from './config';
import type { TrainingData } from './dataset';
import { slotPosition, type PositionScale } from '../../shared/ml/decode';
import { MAX_ORDER_LISTS, PairOrderCounts } from '../../shared/ml/order';
import { seededRandom, shuffle } from '../../shared/ml/random';
import { JointVae, fillEncoderInput, type ModelShape, type NamedWeights } from './model';
import { VocabularyIndex, buildVocabulary, type Vocabulary } from './vocab';
import { TrainingCancelled, type BenefitSpec } from './benefit-spec';

export { benefitValue, TrainingCancelled, type BenefitSpec } from './benefit-spec';

/**
 * Training of the joint model, run inside the compute process. Deterministic for a given seed
 * and backend: the split, shuffling, input dropout, initial weights and the reparameterisation
 * noise all derive from `config.seed`.
 */

/** The range a score column's values live in (see BenefitSpec.range). */
export function scoreRange(values: readonly number[]): [number, number] | undefined {
  if (values.length === 0) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo >= 0 && hi <= 1) return [0, 1];
  if (lo >= 0 && hi <= 10) return [0, 10];
  return [lo, hi];
}

export interface LossBreakdown {
  total: number;
  reconstruction: number;
  position: number;
  kl: number;
  benefit: number;
}

export interface TrainProgress {
  epoch: number;
  maxEpochs: number;
  beta: number;
  train: LossBreakdown;
  validation: LossBreakdown;
  bestEpoch: number;
  elapsedMs: number;
  /** Upper bound: early stopping usually ends sooner. */
  etaMs: number;
}

export interface TrainHooks {
  onProgress?: (progress: TrainProgress) => void;
  isCancelled?: () => boolean;
}


/** Everything derived from the catalog that training and evaluation share. */
export interface PreparedData {
  index: VocabularyIndex;
  vocabulary: Vocabulary;
  productIds: number[];
  lists: number[][];
  benefits: BenefitSpec[];
  /** N × B targets (scores standardised) and their presence mask. */
  targets: Float32Array;
  mask: Float32Array;
  trainRows: number[];
  heldOutRows: number[];
  maxLength: number;
  /** Share of ingredient occurrences that fell into a rare bucket. */
  bucketRate: number;
  positionScale: PositionScale;
  /** 1 for tokens of ingredients usually used below 1 % (where a list's 1 % line falls), from the knowledge base. */
  belowLine: Uint8Array;
  /** Pairwise order counts of the training lists (emittable tokens), when the config orders by them. */
  order: PairOrderCounts | null;
}

export interface TrainOutcome {
  model: JointVae;
  prepared: PreparedData;
  shape: ModelShape;
  epochsRun: number;
  bestEpoch: number;
  history: TrainProgress[];
  trainMs: number;
}

/** Checks that the catalog can be trained on at all; returns the problem in words, or null. */
export function trainabilityProblem(data: TrainingData): string | null {
  if (data.products.length < 30) return `the catalog has ${data.products.length} products with ingredient lists; at least 30 are needed to train`;
  const distinct = new Set(data.products.map((p) => p.ingredients.join(',')));
  if (distinct.size < 20) return `the catalog has only ${distinct.size} distinct ingredient lists; at least 20 are needed for a latent space to mean anything`;
  const vocabulary = new Set(data.products.flatMap((p) => p.ingredients));
  if (vocabulary.size < 10) return `the catalog uses only ${vocabulary.size} different ingredients; at least 10 are needed`;
  return null;
}

/** How a model's list positions are scaled (see PositionScale), from its config and longest training list. */
export function positionScaleOf(config: Pick<ModelConfig, 'positionScale'>, maxLength: number): PositionScale {
  return config.positionScale === 'log' ? { kind: 'log', maxLength } : { kind: 'relative' };
}

export function prepareData(data: TrainingData, config: ModelConfig): PreparedData {
  const vocabulary = buildVocabulary(data.products, data.ingredients, config.minCount, config.rareStrategy);
  const index = new VocabularyIndex(vocabulary, new Map(data.ingredients.map((i) => [i.id, i])));
  const lists = data.products.map((p) => index.encode(p.ingredients));
  let occurrences = 0;
  let bucketed = 0;
  for (const l of lists) {
    occurrences += l.length;
    bucketed += l.filter((t) => !index.emittable[t]).length;
  }

  const { trainRows, heldOutRows } = splitRows(lists.length, config);

  const names = Object.keys(data.benefits);
  const B = names.length;
  const targets = new Float32Array(lists.length * B);
  const mask = new Float32Array(lists.length * B);
  const benefits: BenefitSpec[] = names.map((name, b) => {
    const kind = data.benefits[name]!;
    const trainValues = trainRows.map((r) => data.products[r]!.benefits[name]).filter((v): v is number => v !== undefined);
    const mean = kind === 'score' && trainValues.length ? trainValues.reduce((a, c) => a + c, 0) / trainValues.length : 0;
    const variance = kind === 'score' && trainValues.length ? trainValues.reduce((a, c) => a + (c - mean) ** 2, 0) / trainValues.length : 1;
    const std = kind === 'score' ? Math.sqrt(variance) || 1 : 1;
    data.products.forEach((p, i) => {
      const v = p.benefits[name];
      if (v === undefined) return;
      targets[i * B + b] = (v - mean) / std;
      mask[i * B + b] = 1;
    });
    // From the training rows only, like the standardisation.
    const range = kind === 'score' ? scoreRange(trainValues) : undefined;
    return range ? { name, kind, mean, std, range } : { name, kind, mean, std };
  });
  const maxLength = Math.max(2, ...lists.map((l) => l.length));
  const positionScale = positionScaleOf(config, maxLength);
  const concentration = new Map(data.ingredients.map((i) => [i.id, i.concentration]));
  const belowLine = Uint8Array.from(vocabulary.tokens, (t) => (t.ingredientId !== null && concentration.get(t.ingredientId) === 'below-1' ? 1 : 0));
  const order = config.orderByCatalog ? orderCountsOf(lists, trainRows, index.emittable, config.seed) : null;
  return { belowLine, order, positionScale, index, vocabulary, productIds: data.products.map((p) => p.id), lists, benefits, targets, mask, trainRows, heldOutRows, maxLength, bucketRate: occurrences ? bucketed / occurrences : 0 };
}

/**
 * The seeded split: product rows shuffled, then the first `holdout` share held out, or with
 * `crossValidation` the rows at shuffled positions ≡ fold (mod folds), so the folds of one seed
 * partition the catalog and every product is held out exactly once.
 */
export function splitRows(count: number, config: Pick<ModelConfig, 'seed' | 'holdout' | 'crossValidation'>): { trainRows: number[]; heldOutRows: number[] } {
  const rand = seededRandom(config.seed * 7919 + 17);
  const rows = shuffle(Array.from({ length: count }, (_, i) => i), rand);
  const cv = config.crossValidation;
  if (cv) {
    if (!(Number.isInteger(cv.folds) && cv.folds >= 2 && Number.isInteger(cv.fold) && cv.fold >= 0 && cv.fold < cv.folds)) {
      throw new Error(`cross-validation fold ${cv.fold} of ${cv.folds} is not a fold: folds must be an integer ≥ 2 and fold 0 … folds − 1`);
    }
    const held = rows.filter((_, i) => i % cv.folds === cv.fold);
    const train = rows.filter((_, i) => i % cv.folds !== cv.fold);
    return { trainRows: train.sort((a, b) => a - b), heldOutRows: held.sort((a, b) => a - b) };
  }
  const heldOutCount = Math.max(1, Math.round(rows.length * config.holdout));
  return { heldOutRows: rows.slice(0, heldOutCount).sort((a, b) => a - b), trainRows: rows.slice(heldOutCount).sort((a, b) => a - b) };
}

/**
 * The pairwise order counts of the training lists' emittable tokens (what a decoded list can
 * hold), from a seeded sample of at most MAX_ORDER_LISTS lists.
 */
function orderCountsOf(lists: readonly number[][], trainRows: readonly number[], emittable: Uint8Array, seed: number): PairOrderCounts {
  const rows = trainRows.length > MAX_ORDER_LISTS ? shuffle([...trainRows], seededRandom(seed * 31 + 5)).slice(0, MAX_ORDER_LISTS) : trainRows;
  return PairOrderCounts.fromLists(rows.map((r) => lists[r]!.filter((t) => emittable[t])), emittable.length);
}

interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  r: tf.Tensor2D;
  t: tf.Tensor2D;
  m: tf.Tensor2D;
}

/**
 * Dense batch tensors; `dropout` hides whole ingredients from the encoder only. With
 * `conditioning`, the benefit targets are encoder inputs too, unless `hideTargets` (used when
 * measuring the benefit heads, which must not see the answer).
 */
export function makeBatch(p: PreparedData, rows: readonly number[], conditioning: boolean, dropout = 0, rand?: () => number, hideTargets = false): Batch {
  const V = p.index.size;
  const B = p.benefits.length;
  const inputWidth = V + (conditioning ? B : 0);
  const x = new Float32Array(rows.length * inputWidth);
  const y = new Float32Array(rows.length * V);
  const r = new Float32Array(rows.length * V);
  const t = new Float32Array(rows.length * Math.max(1, B));
  const m = new Float32Array(rows.length * Math.max(1, B));
  rows.forEach((row, i) => {
    const tokens = p.lists[row]!;
    const n = tokens.length;
    const kept = dropout > 0 && rand ? tokens.filter(() => rand() >= dropout) : tokens;
    fillEncoderInput(x.subarray(i * inputWidth, i * inputWidth + V), kept.length ? kept : tokens);
    tokens.forEach((tok, j) => {
      y[i * V + tok] = 1;
      r[i * V + tok] = slotPosition(j, n, p.positionScale);
    });
    for (let b = 0; b < B; b++) {
      t[i * B + b] = p.targets[row * B + b]!;
      m[i * B + b] = p.mask[row * B + b]!;
      if (conditioning && !hideTargets) x[i * inputWidth + V + b] = p.mask[row * B + b]! ? p.targets[row * B + b]! : 0;
    }
  });
  return {
    x: tf.tensor2d(x, [rows.length, inputWidth]),
    y: tf.tensor2d(y, [rows.length, V]),
    r: tf.tensor2d(r, [rows.length, V]),
    t: tf.tensor2d(t, [rows.length, Math.max(1, B)]),
    m: tf.tensor2d(m, [rows.length, Math.max(1, B)]),
  };
}

function disposeBatch(b: Batch): void {
  tf.dispose([b.x, b.y, b.r, b.t, b.m]);
}

/** The loss terms, each averaged over the batch; `noiseSeed` null means z = μ (evaluation). */
function lossTerms(model: JointVae, batch: Batch, flagMask: tf.Tensor, config: ModelConfig, beta: number, noiseSeed: number | null): Record<keyof LossBreakdown, tf.Scalar> {
  const n = batch.x.shape[0];
  const { mu, logVar } = model.encode(batch.x);
  const z = noiseSeed === null ? mu : tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.randomNormal(mu.shape, 0, 1, 'float32', noiseSeed)));
  const { logits, positions } = model.decode(z as tf.Tensor2D);
  // Bernoulli log-likelihood of presence, in the numerically stable form.
  const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, batch.y)), tf.softplus(tf.neg(tf.abs(logits))));
  const reconstruction = tf.div(tf.sum(bce), n) as tf.Scalar;
  const position = tf.div(tf.mul(tf.sum(tf.mul(batch.y, tf.squaredDifference(positions, batch.r))), config.rankWeight), n) as tf.Scalar;
  const kl = tf.div(tf.mul(tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1))), 0.5), n) as tf.Scalar;
  const out = model.predictBenefits(noiseSeed !== null && config.headInput === 'sample' ? (z as tf.Tensor2D) : mu);
  const flagLoss = tf.add(tf.sub(tf.relu(out), tf.mul(out, batch.t)), tf.softplus(tf.neg(tf.abs(out))));
  const scoreLoss = tf.squaredDifference(out, batch.t);
  const perEntry = tf.add(tf.mul(flagLoss, flagMask), tf.mul(scoreLoss, tf.sub(1, flagMask)));
  const benefit = tf.div(tf.sum(tf.mul(perEntry, batch.m)), tf.maximum(tf.sum(batch.m), 1)) as tf.Scalar;
  const total = tf.addN([reconstruction, position, tf.mul(kl, beta), tf.mul(benefit, config.benefitWeight)]) as tf.Scalar;
  return { total, reconstruction, position, kl, benefit };
}

function stackTerms(terms: Record<keyof LossBreakdown, tf.Scalar>): tf.Tensor1D {
  return tf.stack([terms.total, terms.reconstruction, terms.position, terms.kl, terms.benefit]) as tf.Tensor1D;
}

/** Reads the stacked terms (one small sync read) and disposes them. */
function readTerms(stacked: tf.Tensor1D): LossBreakdown {
  const values = stacked.dataSync();
  stacked.dispose();
  return { total: values[0]!, reconstruction: values[1]!, position: values[2]!, kl: values[3]!, benefit: values[4]! };
}

function addInto(sum: LossBreakdown, x: LossBreakdown, weight: number): void {
  for (const k of Object.keys(sum) as (keyof LossBreakdown)[]) sum[k] += x[k] * weight;
}

const zeroLoss = (): LossBreakdown => ({ total: 0, reconstruction: 0, position: 0, kl: 0, benefit: 0 });

/** Trains, keeping the weights of the epoch with the lowest held-out loss. */
export async function trainJointVae(data: TrainingData, config: ModelConfig, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const started = performance.now();
  const prepared = prepareData(data, config);
  const B = prepared.benefits.length;
  const shape: ModelShape = {
    vocab: prepared.index.size,
    conditioning: config.conditionOnBenefits ? B : 0,
    latent: config.latentDim,
    hidden: config.hidden,
    headHidden: config.headHidden,
    benefits: B,
    positionTower: config.positionTower,
  };
  const rate = new Float32Array(shape.vocab);
  for (const row of prepared.trainRows) for (const t of prepared.lists[row]!) rate[t]! += 1 / prepared.trainRows.length;
  const model = JointVae.initialise(shape, config.seed, rate);
  const flagMask = tf.tensor2d(
    Float32Array.from({ length: Math.max(1, B) }, (_, b) => (prepared.benefits[b]?.kind === 'flag' ? 1 : 0)),
    [1, Math.max(1, B)],
  );
  const optimizer = tf.train.adam(config.learningRate);
  const rand = seededRandom(config.seed * 104729 + 3);
  const history: TrainProgress[] = [];
  let best = { loss: Infinity, epoch: 0, weights: null as NamedWeights[] | null };
  let step = 0;
  let epoch = 0;
  const batchesPerEpoch = Math.ceil(prepared.trainRows.length / config.batchSize);
  const maxEpochs = Math.max(1, Math.min(config.maxEpochs, Math.ceil(config.maxSteps / batchesPerEpoch)));
  try {
    for (epoch = 1; epoch <= maxEpochs; epoch++) {
      const beta = config.beta * Math.min(1, epoch / Math.max(1, config.betaWarmupEpochs));
      const order = shuffle([...prepared.trainRows], rand);
      const trainSum = zeroLoss();
      for (let start = 0; start < order.length; start += config.batchSize) {
        if (hooks.isCancelled?.()) throw new TrainingCancelled();
        const rows = order.slice(start, start + config.batchSize);
        const batch = makeBatch(prepared, rows, config.conditionOnBenefits, config.inputDropout, rand);
        const seed = config.seed * 1_000_003 + ++step;
        let terms: LossBreakdown = zeroLoss();
        optimizer.minimize(() => {
          const t = lossTerms(model, batch, flagMask, config, beta, seed);
          terms = readTerms(stackTerms(t));
          return t.total;
        }, false, model.variables);
        disposeBatch(batch);
        addInto(trainSum, terms, rows.length / order.length);
        // Let cancellation and other messages in between batches.
        await yieldToEventLoop();
      }
      const validation = evaluateLoss(model, prepared, prepared.heldOutRows, flagMask, config, config.beta);
      if (validation.total < best.loss) best = { loss: validation.total, epoch, weights: model.getWeights() };
      const elapsedMs = performance.now() - started;
      const progress: TrainProgress = {
        epoch, maxEpochs, beta, train: trainSum, validation, bestEpoch: best.epoch,
        elapsedMs: Math.round(elapsedMs), etaMs: Math.round((elapsedMs / epoch) * (maxEpochs - epoch)),
      };
      history.push(progress);
      hooks.onProgress?.(progress);
      if (epoch - best.epoch >= config.patience) break;
    }
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    flagMask.dispose();
    optimizer.dispose();
  }
  if (best.weights) model.setWeights(best.weights);
  return { model, prepared, shape, epochsRun: Math.min(epoch, maxEpochs), bestEpoch: best.epoch, history, trainMs: Math.round(performance.now() - started) };
}

/** Loss on the given rows with z = μ and no dropout. */
export function evaluateLoss(model: JointVae, p: PreparedData, rows: readonly number[], flagMask: tf.Tensor, config: ModelConfig, beta: number): LossBreakdown {
  const sum = zeroLoss();
  for (let start = 0; start < rows.length; start += 256) {
    const chunk = rows.slice(start, start + 256);
    const batch = makeBatch(p, chunk, config.conditionOnBenefits);
    const terms = readTerms(tf.tidy(() => stackTerms(lossTerms(model, batch, flagMask, config, beta, null))));
    disposeBatch(batch);
    addInto(sum, terms, chunk.length / rows.length);
  }
  return sum;
}
