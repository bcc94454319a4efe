import * as tf from '@tensorflow/tfjs-core';
import type { ModelMetricsSummary, ReconstructionSummary } from '../../shared/domain';
import type { DecodeOptions, PositionScale } from '../../shared/ml/decode';
import { decodeOrderedList, type PairOrderCounts } from '../../shared/ml/order';
import { jaccard, kendallTauShared, meanAbsoluteError, meanOf, rocAuc } from '../../shared/ml/metrics';
import type { ModelConfig } from './config';
import { evaluateBenefitPredictor } from './evaluate-benefits';
import type { ListPredictor } from './list-predictor';
import type { JointVae } from './model';
import { benefitValue, makeBatch, positionScaleOf, type PreparedData } from './train';

/**
 * Metrics of a trained model, computed on the training rows and on the held-out rows:
 * decoded lists (exact unique decoding from the latent mean) against the true lists, benefit
 * heads against their targets, and the latent space's use of its dimensions.
 */

/** Reconstruction metrics and the full metric set are the shared domain types. */
export type ReconstructionMetrics = ReconstructionSummary;
export type ModelMetrics = ModelMetricsSummary;
export type BenefitMetric = ModelMetricsSummary['benefits'][number];

export interface LatentCodes {
  mu: Float32Array;
  logVar: Float32Array;
  rows: number;
  dims: number;
}

/** Latent means and log-variances of the given rows (chunked to bound memory). */
export async function encodeRows(model: JointVae, p: PreparedData, rows: readonly number[], config: ModelConfig, hideTargets = false): Promise<LatentCodes> {
  const D = model.shape.latent;
  const mu = new Float32Array(rows.length * D);
  const logVar = new Float32Array(rows.length * D);
  for (let start = 0; start < rows.length; start += 256) {
    const chunk = rows.slice(start, start + 256);
    const batch = makeBatch(p, chunk, config.conditionOnBenefits, 0, undefined, hideTargets);
    const enc = model.encode(batch.x);
    mu.set(await enc.mu.data(), start * D);
    logVar.set(await enc.logVar.data(), start * D);
    tf.dispose([enc.mu, enc.logVar, batch.x, batch.y, batch.r, batch.t, batch.m]);
  }
  return { mu, logVar, rows: rows.length, dims: D };
}

/** Decodes latent codes (rows × D) to token lists with the exact unique decoder and the model's decoding settings, re-ranked by its pair-order counts when it has them. */
export async function decodeCodes(model: JointVae, codes: Float32Array, count: number, options: DecodeOptions, order?: PairOrderCounts | null): Promise<number[][]> {
  const D = model.shape.latent;
  const V = model.shape.vocab;
  const out: number[][] = [];
  for (let start = 0; start < count; start += 256) {
    const n = Math.min(256, count - start);
    const z = tf.tensor2d(codes.subarray(start * D, (start + n) * D), [n, D]);
    const { logits, positions } = model.decode(z);
    const a = await logits.data();
    const m = await positions.data();
    tf.dispose([z, logits, positions]);
    for (let i = 0; i < n; i++) {
      out.push(decodeOrderedList(a.subarray(i * V, (i + 1) * V), m.subarray(i * V, (i + 1) * V), options, order));
    }
  }
  return out;
}

/**
 * A model's decoder settings, from its stored config and longest training list: the one source
 * for evaluation, the app's decoding and the generate job (src/main/compute/model-cache.ts).
 */
export function decodeOptions(config: Pick<ModelConfig, 'rankWeight' | 'positionScale' | 'lengthPrior'>, maxLength: number, allowed: Uint8Array): DecodeOptions & { positionScale: PositionScale; allowed: Uint8Array } {
  return { lambda: config.rankWeight, maxLength, positionScale: positionScaleOf(config, maxLength), allowed, ...(config.lengthPrior ? { lengthPrior: config.lengthPrior } : {}) };
}

/** Set, order and length agreement of decoded lists with the true ones (rare buckets left out of the truth). */
export function reconstruction(decoded: number[][], truth: number[][], emittable: Uint8Array, priorPosition: (token: number) => number, belowLine: Uint8Array): ReconstructionMetrics {
  const jac: number[] = [];
  const taus: (number | null)[] = [];
  const above: (number | null)[] = [];
  const below: (number | null)[] = [];
  const priorTaus: (number | null)[] = [];
  let valid = 0;
  decoded.forEach((d, i) => {
    const t = truth[i]!.filter((tok) => emittable[tok]);
    jac.push(jaccard(d, t));
    taus.push(kendallTauShared(d, t));
    const line = t.findIndex((tok) => belowLine[tok]);
    const cut = line < 0 ? t.length : line;
    const aboveSet = new Set(t.slice(0, cut));
    above.push(kendallTauShared(d.filter((tok) => aboveSet.has(tok)), t.slice(0, cut)));
    below.push(kendallTauShared(d.filter((tok) => !aboveSet.has(tok)), t.slice(cut)));
    const shared = new Set(t);
    priorTaus.push(kendallTauShared(d.filter((tok) => shared.has(tok)).sort((a, b) => priorPosition(a) - priorPosition(b) || a - b), t));
    if (new Set(d).size === d.length && d.every((tok) => emittable[tok])) valid++;
  });
  return {
    products: decoded.length,
    jaccard: meanOf(jac) ?? 0,
    kendallTau: meanOf(taus),
    kendallTauPriorOrder: meanOf(priorTaus),
    kendallTauAboveLine: meanOf(above),
    kendallTauBelowLine: meanOf(below),
    validShare: decoded.length ? valid / decoded.length : 1,
    meanDecodedLength: meanOf(decoded.map((d) => d.length)) ?? 0,
    meanTrueLength: meanOf(truth.map((t) => t.length)) ?? 0,
  };
}

/**
 * Metrics, plus the latent means of every product (rows in `p.productIds` order) for storage.
 * With the model's list predictor, also the held-out figures of the combined benefit predictor.
 */
export async function evaluateModel(model: JointVae, p: PreparedData, config: ModelConfig, listPredictor?: ListPredictor): Promise<{ metrics: ModelMetrics; codes: LatentCodes }> {
  const all = p.lists.map((_, i) => i);
  const codes = await encodeRows(model, p, all, config);
  const D = codes.dims;
  const emittable = p.index.emittable;
  const decoded = await decodeCodes(model, codes.mu, all.length, decodeOptions(config, p.maxLength, emittable), p.order);
  const pick = (rows: number[]) => ({ d: rows.map((r) => decoded[r]!), t: rows.map((r) => p.lists[r]!) });
  const tr = pick(p.trainRows);
  const ho = pick(p.heldOutRows);
  // Mean relative position of each token over the training lists (the prior-order baseline).
  const positionSum = new Float64Array(p.index.size);
  const positionCount = new Float64Array(p.index.size);
  for (const r of p.trainRows) {
    const list = p.lists[r]!;
    list.forEach((tok, j) => {
      positionSum[tok]! += list.length > 1 ? j / (list.length - 1) : 0;
      positionCount[tok]! += 1;
    });
  }
  const priorPosition = (tok: number) => (positionCount[tok]! ? positionSum[tok]! / positionCount[tok]! : 0.5);

  // Benefit heads on held-out latent means, encoded without the targets as inputs.
  const B = p.benefits.length;
  const benefits: BenefitMetric[] = [];
  let benefitPredictor: ModelMetrics['benefitPredictor'];
  if (B > 0) {
    const held = await encodeRows(model, p, p.heldOutRows, config, true);
    const muTensor = tf.tensor2d(held.mu, [p.heldOutRows.length, D]);
    const outTensor = model.predictBenefits(muTensor);
    const out = await outTensor.data();
    tf.dispose([muTensor, outTensor]);
    if (listPredictor) benefitPredictor = evaluateBenefitPredictor(p, listPredictor, p.heldOutRows, out as Float32Array);
    p.benefits.forEach((spec, b) => {
      const predicted: number[] = [];
      const actual: number[] = [];
      p.heldOutRows.forEach((r, i) => {
        if (!p.mask[r * B + b]) return;
        // Scores as the app shows them (held to their range); flags as logits, which rank alike.
        predicted.push(spec.kind === 'flag' ? out[i * B + b]! : benefitValue(spec, out[i * B + b]!));
        actual.push(spec.kind === 'flag' ? p.targets[r * B + b]! : p.targets[r * B + b]! * spec.std + spec.mean);
      });
      benefits.push({
        name: spec.name,
        kind: spec.kind,
        auc: spec.kind === 'flag' ? rocAuc(predicted, actual) : null,
        mae: spec.kind === 'score' ? meanAbsoluteError(predicted, actual) : null,
      });
    });
  }

  // KL per dimension and active units over all products.
  const N = all.length;
  const klPerDimension: number[] = [];
  let activeUnits = 0;
  for (let d = 0; d < D; d++) {
    let kl = 0;
    let mean = 0;
    for (let i = 0; i < N; i++) {
      const m = codes.mu[i * D + d]!;
      const lv = codes.logVar[i * D + d]!;
      kl += 0.5 * (m * m + Math.exp(lv) - 1 - lv);
      mean += m;
    }
    mean /= N;
    let variance = 0;
    for (let i = 0; i < N; i++) variance += (codes.mu[i * D + d]! - mean) ** 2;
    variance /= N;
    klPerDimension.push(kl / N);
    if (variance > 0.01) activeUnits++;
  }
  const metrics: ModelMetrics = {
    train: reconstruction(tr.d, tr.t, emittable, priorPosition, p.belowLine),
    heldOut: reconstruction(ho.d, ho.t, emittable, priorPosition, p.belowLine),
    benefits,
    meanFlagAuc: meanOf(benefits.filter((b) => b.kind === 'flag').map((b) => b.auc)),
    klPerDimension,
    activeUnits,
    bucketRate: p.bucketRate,
    ...(benefitPredictor ? { benefitPredictor } : {}),
  };
  return { metrics, codes };
}
