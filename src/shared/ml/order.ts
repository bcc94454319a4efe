/**
 * The order of a decoded list. The exact decoder (decode.ts) chooses the set of ingredients and
 * places it in the order of the predicted positions μ(v | z), which are a function of the code
 * alone. Order agreement with real lists rises when that order is re-ranked with what the
 * catalog says about each pair: how often the training lists put `a` before `b` (the chemistry of
 * the 1 % line and the labelling rules is in those counts). Measured with 5-fold CV in
 * docs/model-design.md ("order" rows).
 *
 * Each ingredient x of the set scores Σ_y σ(w · logit P(x before y) + s · (μ_y − μ_x)) over the
 * other members y, a soft Copeland count that combines the catalog's pairwise odds with the
 * model's position gap; the list is sorted by that score (ties by μ, then token).
 */

import { decodeUniqueList, type DecodeOptions } from './decode';
import { sigmoid } from './metrics';

/** Pair counts are kept for at most this many training lists (a seeded sample beyond it), bounding memory and file size. */
export const MAX_ORDER_LISTS = 5000;

/** How strongly each source weighs in the re-ranking (measured; see the module comment). */
export interface OrderWeights {
  /** s: weight of the model's position gap μ_y − μ_x (positions in [0, 1]). */
  positionSlope: number;
  /** w: weight of the catalog's log-odds that x precedes y. */
  catalogWeight: number;
}

export const DEFAULT_ORDER_WEIGHTS: OrderWeights = { positionSlope: 8, catalogWeight: 1 };

/**
 * How often each pair of tokens appears in each order in the training lists, stored sparsely:
 * sorted keys min·V + max with the two counts, so a catalog of any vocabulary size costs only
 * the pairs that really co-occur. Pairs seen once only are dropped (a single list says little
 * about a pair, and they are most of the table).
 */
export class PairOrderCounts {
  private constructor(
    readonly vocabularySize: number,
    private readonly keys: Float64Array,
    /** Times the smaller token came first. */
    private readonly lowFirst: Uint16Array,
    /** Times the larger token came first. */
    private readonly highFirst: Uint16Array,
  ) {}

  /** Counts the pairs of `lists` (token indices in list order) below `vocabularySize`. */
  static fromLists(lists: readonly (readonly number[])[], vocabularySize: number): PairOrderCounts {
    const V = vocabularySize;
    const counts = new Map<number, number>();
    for (const list of lists) {
      for (let i = 0; i < list.length; i++) {
        const a = list[i]!;
        for (let j = i + 1; j < list.length; j++) {
          const b = list[j]!;
          if (a === b) continue;
          // Packed as lowFirst · 65536 + highFirst (each saturating at 65535).
          const key = a < b ? a * V + b : b * V + a;
          const packed = counts.get(key) ?? 0;
          const low = Math.floor(packed / 65536);
          const high = packed % 65536;
          counts.set(key, a < b ? Math.min(65535, low + 1) * 65536 + high : low * 65536 + Math.min(65535, high + 1));
        }
      }
    }
    const kept = [...counts].filter(([, packed]) => Math.floor(packed / 65536) + (packed % 65536) >= 2).sort((x, y) => x[0] - y[0]);
    const keys = new Float64Array(kept.length);
    const lowFirst = new Uint16Array(kept.length);
    const highFirst = new Uint16Array(kept.length);
    kept.forEach(([key, packed], i) => {
      keys[i] = key;
      lowFirst[i] = Math.floor(packed / 65536);
      highFirst[i] = packed % 65536;
    });
    return new PairOrderCounts(V, keys, lowFirst, highFirst);
  }

  /** Pairs stored. */
  get size(): number {
    return this.keys.length;
  }

  /** [times a came before b, times b came before a]. */
  counts(a: number, b: number): [number, number] {
    if (a === b) return [0, 0];
    const key = a < b ? a * this.vocabularySize + b : b * this.vocabularySize + a;
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = this.keys[mid]!;
      if (k === key) return a < b ? [this.lowFirst[mid]!, this.highFirst[mid]!] : [this.highFirst[mid]!, this.lowFirst[mid]!];
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return [0, 0];
  }

  /** Smoothed probability that `a` comes before `b`: (n(a<b) + 1) / (n + 2). */
  probability(a: number, b: number): number {
    const [ab, ba] = this.counts(a, b);
    return (ab + 1) / (ab + ba + 2);
  }

  /** The table as bytes: a header (format tag, V, pair count) then keys, then both count arrays. */
  toBytes(): Uint8Array {
    const n = this.keys.length;
    const out = new Uint8Array(16 + n * 8 + n * 4);
    const view = new DataView(out.buffer);
    view.setUint32(0, FORMAT_TAG, true);
    view.setUint32(4, this.vocabularySize, true);
    view.setFloat64(8, n, true);
    out.set(new Uint8Array(this.keys.buffer, this.keys.byteOffset, n * 8), 16);
    out.set(new Uint8Array(this.lowFirst.buffer, this.lowFirst.byteOffset, n * 2), 16 + n * 8);
    out.set(new Uint8Array(this.highFirst.buffer, this.highFirst.byteOffset, n * 2), 16 + n * 10);
    return out;
  }

  /** Reads {@link toBytes}' output; throws saying what does not fit. */
  static fromBytes(bytes: Uint8Array, vocabularySize: number): PairOrderCounts {
    if (bytes.length < 16) throw new Error('the pair-order table is shorter than its header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== FORMAT_TAG) throw new Error('the pair-order table has an unknown format');
    if (view.getUint32(4, true) !== vocabularySize) throw new Error(`the pair-order table is for ${view.getUint32(4, true)} tokens, the model has ${vocabularySize}`);
    const n = view.getFloat64(8, true);
    if (!Number.isInteger(n) || bytes.length !== 16 + n * 12) throw new Error('the pair-order table does not match its length');
    // Copies into aligned arrays (the file's bytes may start at any offset).
    const copy = bytes.slice(16);
    return new PairOrderCounts(
      vocabularySize,
      new Float64Array(copy.buffer, 0, n),
      new Uint16Array(copy.buffer, n * 8, n),
      new Uint16Array(copy.buffer, n * 10, n),
    );
  }
}

const FORMAT_TAG = 0x4f524431; // "ORD1"

/** What the re-ranking reads of the catalog: the smoothed probability that `a` is listed before `b`. */
export interface PairOdds {
  probability(a: number, b: number): number;
}

/**
 * Re-ranks a decoded set (see the module comment); returns a new array. `pairs` is the model's
 * stored counts (token indices) or, in the generate job, the catalog's own precedence table read
 * through the tokens' ingredient ids.
 */
export function orderByPrecedence(items: readonly number[], positions: ArrayLike<number>, pairs: PairOdds, weights: OrderWeights = DEFAULT_ORDER_WEIGHTS): number[] {
  const n = items.length;
  if (n < 2) return [...items];
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = items[i]!;
    for (let j = i + 1; j < n; j++) {
      const y = items[j]!;
      const p = pairs.probability(x, y);
      const logit = weights.catalogWeight * Math.log(p / (1 - p)) + weights.positionSlope * (positions[y]! - positions[x]!);
      const xFirst = sigmoid(logit);
      score[i]! += xFirst;
      score[j]! += 1 - xFirst;
    }
  }
  return items
    .map((token, i) => ({ token, s: score[i]!, mu: positions[token]! }))
    .sort((a, b) => b.s - a.s || a.mu - b.mu || a.token - b.token)
    .map((e) => e.token);
}

/**
 * A list as the app shows it: the exact decoder's set, re-ranked with the model's pair-order
 * counts when it has them (models saved before keep the decoder's order).
 */
export function decodeOrderedList(logits: ArrayLike<number>, positions: ArrayLike<number>, options: DecodeOptions, order: PairOrderCounts | null | undefined): number[] {
  const { indices } = decodeUniqueList(logits, positions, options);
  return order ? orderByPrecedence(indices, positions, order) : indices;
}
