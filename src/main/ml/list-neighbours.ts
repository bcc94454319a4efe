import { selectSmallestByKey, sortByKey } from '../../shared/ml/decode';

/**
 * Nearest catalog lists by cosine similarity of tf-idf bags (each present token weighs its idf),
 * found through an inverted index: a query touches only the reference lists that share one of its
 * ingredients. Sibling products (one brand's line on one base) share most of their list and, often,
 * their benefit labels; the list predictor averages the labels of the nearest ones.
 */

/** The reference lists and what the similarity needs, built once per fitted predictor or loaded model. */
export interface NeighbourIndex {
  /** Per token, idf = ln(N / (1 + df)) + 1 over the reference lists. */
  idf: Float64Array;
  /** Per token, the reference lists holding it. */
  postings: Int32Array[];
  /** Per reference list, the Euclidean norm of its tf-idf bag. */
  norms: Float64Array;
  /**
   * Per token held by more than half the lists (water, glycerin …), the lists without it (else
   * null): a query adds such a token's weight to every list and takes it back from these, which
   * touches far fewer lists than its postings.
   */
  absent: (Int32Array | null)[];
}

/** Builds the index over reference token lists (tokens below `vocab`). */
export function buildNeighbourIndex(lists: readonly (readonly number[])[], vocab: number): NeighbourIndex {
  const df = new Float64Array(vocab);
  for (const list of lists) for (const t of new Set(list)) df[t]! += 1;
  const idf = df.map((d) => Math.log(lists.length / (1 + d)) + 1);
  const counts = new Int32Array(vocab);
  const postings = Array.from(df, (d) => new Int32Array(d));
  const norms = new Float64Array(lists.length);
  lists.forEach((list, row) => {
    let norm = 0;
    for (const t of new Set(list)) {
      postings[t]![counts[t]!++] = row;
      norm += idf[t]! ** 2;
    }
    norms[row] = Math.sqrt(norm);
  });
  const absent = postings.map((rows) => {
    if (rows.length * 2 <= lists.length) return null;
    const holds = new Uint8Array(lists.length);
    for (const row of rows) holds[row] = 1;
    const out = new Int32Array(lists.length - rows.length);
    let k = 0;
    for (let row = 0; row < lists.length; row++) if (!holds[row]) out[k++] = row;
    return out;
  });
  return { idf, postings, norms, absent };
}

/** Per index, reusable buffers over the reference lists: dot products, shared-token counts, rows and sort keys. */
const scratchOf = new WeakMap<NeighbourIndex, { dot: Float64Array; shared: Int32Array; rows: Int32Array; keys: Float64Array }>();

/**
 * Reference lists with a positive similarity to the query, most similar first (ties by row): all
 * of them, or the first `limit` (`complete` says whether that is all). The dot products accumulate
 * in a dense array over the reference lists (a query touches most of them through its base
 * ingredients); the first `limit` are selected before sorting. The generate job ranks 1,000
 * lists per run and the list predictor reads only the first few of each ranking.
 */
export function rankNeighbours(index: NeighbourIndex, query: readonly number[], limit = Infinity): { rows: Int32Array; similarity: Float64Array; complete: boolean } {
  const R = index.norms.length;
  let scratch = scratchOf.get(index);
  if (!scratch) {
    scratch = { dot: new Float64Array(R), shared: new Int32Array(R), rows: new Int32Array(R), keys: new Float64Array(R) };
    scratchOf.set(index, scratch);
  }
  const { dot, shared, keys } = scratch;
  // Tokens on most lists count for every list (base) and are taken back from the lists without them.
  let base = 0;
  let baseShared = 0;
  let queryNorm = 0;
  const V = index.idf.length;
  for (let q = 0; q < query.length; q++) {
    const t = query[q]!;
    if (!(t >= 0 && t < V)) continue;
    // A token repeated in the query counts once.
    let repeated = false;
    for (let e = 0; e < q && !repeated; e++) repeated = query[e] === t;
    if (repeated) continue;
    const w = index.idf[t]! * index.idf[t]!;
    queryNorm += w;
    const absent = index.absent[t];
    if (absent) {
      base += w;
      baseShared++;
      for (let k = 0; k < absent.length; k++) {
        const row = absent[k]!;
        dot[row]! -= w;
        shared[row]! -= 1;
      }
    } else {
      const postings = index.postings[t]!;
      for (let k = 0; k < postings.length; k++) {
        const row = postings[k]!;
        dot[row]! += w;
        shared[row]! += 1;
      }
    }
  }
  queryNorm = Math.sqrt(queryNorm);
  const rows = scratch.rows;
  let count = 0;
  for (let row = 0; row < R; row++) {
    if (baseShared + shared[row]! > 0) {
      rows[count] = row;
      keys[count++] = -((base + dot[row]!) / (queryNorm * index.norms[row]! || 1));
    }
    dot[row] = 0;
    shared[row] = 0;
  }
  const kept = Math.min(count, limit);
  if (kept < count) selectSmallestByKey(keys, rows, count, kept);
  sortByKey(keys, rows, kept);
  const similarity = new Float64Array(kept);
  for (let i = 0; i < kept; i++) similarity[i] = -keys[i]!;
  return { rows: rows.slice(0, kept), similarity, complete: kept === count };
}
