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
  return { idf, postings, norms };
}

/** Reference lists with a positive similarity to the query, most similar first (ties by row). */
export function rankNeighbours(index: NeighbourIndex, query: readonly number[]): { rows: Int32Array; similarity: Float64Array } {
  const dot = new Map<number, number>();
  let queryNorm = 0;
  for (const t of new Set(query)) {
    const idf = index.idf[t];
    if (idf === undefined) continue;
    queryNorm += idf * idf;
    for (const row of index.postings[t]!) dot.set(row, (dot.get(row) ?? 0) + idf * idf);
  }
  queryNorm = Math.sqrt(queryNorm);
  const found = [...dot].map(([row, d]) => ({ row, s: d / (queryNorm * index.norms[row]! || 1) })).sort((a, b) => b.s - a.s || a.row - b.row);
  return { rows: Int32Array.from(found, (f) => f.row), similarity: Float64Array.from(found, (f) => f.s) };
}
