import * as tf from '@tensorflow/tfjs-core';
import { slotPosition } from '../../shared/ml/decode';
import { decodeOrderedList, orderByPrecedence } from '../../shared/ml/order';
import { decodeConstrained, type DecodeConstraints } from '../../shared/ml/constrained-decode';
import { fillEncoderInput } from '../ml/model';
import { combineEstimate, predictListTokens, type BenefitEstimate } from '../ml/list-predictor';
import { benefitValue } from '../ml/train';
import type { LoadedModel } from './model-cache';

/**
 * What the jobs do with a loaded model: encode ingredient lists, predict the benefit heads,
 * decode codes (exactly, or slot by slot as the seed did). Codes travel as row-major
 * Float32Arrays (rows × latent dimensions).
 */

/** Latent means of ingredient lists, and how much of each list the vocabulary did not know. */
export interface EncodedLists {
  /** Latent means, one per list. */
  codes: number[][];
  /** Per list, how many ingredients the model's vocabulary did not know. */
  unknown: number[];
}

/** Encodes ingredient-id lists (each in declaration order) to their latent means. */
export function encodeLists(m: LoadedModel, lists: number[][]): EncodedLists {
  const V = m.index.size;
  const width = V + m.conditioning;
  const x = new Float32Array(lists.length * width);
  const unknown: number[] = [];
  lists.forEach((list, i) => {
    const tokens = m.index.encode(list);
    unknown.push(list.length - tokens.filter((t) => m.index.emittable[t]).length);
    fillEncoderInput(x.subarray(i * width, i * width + V), tokens);
  });
  const input = tf.tensor2d(x, [lists.length, width]);
  const { mu, logVar } = m.model.encode(input);
  const values = mu.dataSync();
  tf.dispose([input, mu, logVar]);
  const D = m.model.shape.latent;
  return { codes: lists.map((_, i) => Array.from(values.subarray(i * D, (i + 1) * D))), unknown };
}

/** The lists' latent means as one row-major matrix (for predicting or judging them at once). */
export function encodeListsFlat(m: LoadedModel, lists: number[][]): Float32Array {
  return Float32Array.from(encodeLists(m, lists).codes.flat());
}

/** Codes sent as rows, as one matrix; a row of the wrong length is refused with its size. */
export function codeRows(m: LoadedModel, codes: number[][]): Float32Array {
  const D = m.model.shape.latent;
  for (const c of codes) if (c.length !== D) throw new Error(`a latent code has ${c.length} values; this model has ${D} dimensions`);
  return Float32Array.from(codes.flat());
}

/** The benefit heads' raw outputs for codes (rows × D): rows × max(1, benefits), logits for flags, standardised values for scores. */
function headOutputs(m: LoadedModel, codes: Float32Array, count: number): Float32Array {
  const z = tf.tensor2d(codes, [count, m.model.shape.latent]);
  const out = m.model.predictBenefits(z);
  const values = out.dataSync() as Float32Array;
  tf.dispose([z, out]);
  return values;
}

/** Benefit-head outputs in the benefits' own terms: probability for flags, original units for scores. */
export function predictCodes(m: LoadedModel, codes: Float32Array, count: number): Record<string, number>[] {
  const values = headOutputs(m, codes, count);
  const B = Math.max(1, m.benefits.length);
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(
      m.benefits.map((spec, b) => {
        return [spec.name, benefitValue(spec, values[i * B + b]!)];
      }),
    ),
  );
}

/**
 * The benefits of ingredient lists as the app shows them: the model's list predictor combined
 * with the latent heads (on the lists' latent means `codes`), each with the half-width of its
 * 80 % interval. A model saved before the list predictor gives the heads' values and null
 * uncertainties. Scoring uses this wherever the list is known (the editor's scores); gradients
 * and code-only predictions (`predictCodes`) use the heads.
 */
export function estimateListBenefits(m: LoadedModel, lists: readonly number[][], codes: Float32Array): Record<string, BenefitEstimate>[] {
  const head = headOutputs(m, codes, lists.length);
  const B = Math.max(1, m.benefits.length);
  const lp = m.listPredictor && m.listPredictor.benefits.length === m.benefits.length ? m.listPredictor : null;
  const predicted = lp ? predictListTokens(lp, lists.map((list) => m.index.encode(list))) : null;
  return lists.map((_, i) =>
    Object.fromEntries(m.benefits.map((spec, b) => [spec.name, combineEstimate(spec, predicted?.[i]?.[b] ?? null, lp?.benefits[b], head[i * B + b]!, lp?.headWeight ?? 1)])),
  );
}

/** Runs the decoder over codes (rows × D) in batches, handing each row's logits and positions to `use`. */
function forEachDecoded(m: LoadedModel, codes: Float32Array, count: number, use: (logits: Float32Array, positions: Float32Array) => void): void {
  const D = m.model.shape.latent;
  const V = m.index.size;
  for (let start = 0; start < count; start += 512) {
    const n = Math.min(512, count - start);
    const z = tf.tensor2d(codes.subarray(start * D, (start + n) * D), [n, D]);
    const { logits, positions } = m.model.decode(z);
    const a = logits.dataSync() as Float32Array;
    const p = positions.dataSync() as Float32Array;
    tf.dispose([z, logits, positions]);
    for (let i = 0; i < n; i++) use(a.subarray(i * V, (i + 1) * V), p.subarray(i * V, (i + 1) * V));
  }
}

/** Decoder outputs for codes: logits and every position. */
export function forwardAll(m: LoadedModel, codes: Float32Array, count: number): { logits: Float32Array; positions: Float32Array } {
  const z = tf.tensor2d(codes, [count, m.model.shape.latent]);
  const { logits, positions } = m.model.decode(z);
  const out = { logits: logits.dataSync() as Float32Array, positions: positions.dataSync() as Float32Array };
  tf.dispose([z, logits, positions]);
  return out;
}

/**
 * Decodes codes (rows × D) to token lists with the exact unique decoder; under a design brief's
 * constraints (constrained-decode.ts) when given, the best list that obeys them.
 */
export function decodeTokens(m: LoadedModel, codes: Float32Array, count: number, constraints: DecodeConstraints | null = null): number[][] {
  const out: number[][] = [];
  forEachDecoded(m, codes, count, (a, p) => {
    if (!constraints) {
      out.push(decodeOrderedList(a, p, m.decoder, m.order));
      return;
    }
    const { indices } = decodeConstrained(a, p, m.decoder, constraints);
    out.push(m.order ? orderByPrecedence(indices, p, m.order) : indices);
  });
  return out;
}

/** Decodes codes (rows × D) to ingredient-id lists in concentration order (the exact unique decoder, under a brief's constraints when given). */
export function decodeIngredientIds(m: LoadedModel, codes: Float32Array, count: number, constraints: DecodeConstraints | null = null): number[][] {
  return decodeTokens(m, codes, count, constraints).map((list) => list.map((t) => m.index.ingredientIdOf(t)!));
}

/**
 * The seed's decoding, as a baseline: as many slots as the model expects ingredients (p > 0.5),
 * each filled independently with the token that maximises a − λ(r − μ)²; repeats and rare or
 * unknown buckets are allowed (null marks a bucket).
 */
export function decodePerSlot(m: LoadedModel, codes: Float32Array, count: number): (number | null)[][] {
  const V = m.index.size;
  const out: (number | null)[][] = [];
  forEachDecoded(m, codes, count, (a, p) => {
    let length = 0;
    for (let v = 0; v < V; v++) if (a[v]! > 0) length++;
    length = Math.max(1, Math.min(length, m.decoder.maxLength));
    const slots: (number | null)[] = [];
    for (let j = 0; j < length; j++) {
      const r = slotPosition(j, length, m.decoder.positionScale);
      let best = 0;
      let bestValue = -Infinity;
      for (let v = 0; v < V; v++) {
        const d = r - p[v]!;
        const value = a[v]! - m.decoder.lambda * d * d;
        if (value > bestValue) {
          bestValue = value;
          best = v;
        }
      }
      slots.push(m.index.emittable[best] ? m.index.ingredientIdOf(best)! : null);
    }
    out.push(slots);
  });
  return out;
}
