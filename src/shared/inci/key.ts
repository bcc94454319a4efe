/**
 * Name normalisation for ingredient matching.
 *
 * Labels spell the same ingredient many ways ("PEG-100 Stearate", "Peg 100 stearate",
 * "peg100stearate", "Glycérine"), so matching happens on a compact key: accents removed,
 * lower-case, and every character other than a–z and 0–9 deleted.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ALNUM = /[^a-z0-9]/g;
// eslint-disable-next-line no-control-regex -- the ASCII range is the point
const ASCII = /^[\x00-\x7f]*$/;

/** The compact matching key of an ingredient name. */
export function ingredientKey(name: string): string {
  // Most names are plain ASCII: skip the (comparatively slow) Unicode decomposition for them.
  const folded = ASCII.test(name) ? name : name.normalize('NFKD').replace(COMBINING_MARKS, '');
  return folded.toLowerCase().replace(NON_ALNUM, '');
}

/** Tidies a name for display: single spaces, no space before punctuation, trimmed. */
export function tidyName(name: string): string {
  return name
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.)\]/])/g, '$1')
    .replace(/([([/])\s+/g, '$1')
    .trim();
}

/** The name without its parenthesised or bracketed parts, nested ones included ("Butyrospermum Parkii (Shea) Butter" → "Butyrospermum Parkii  Butter"). */
export function stripParentheses(name: string): string {
  let out = name;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\s*[([][^()[\]]*[)\]]/g, ' ');
  }
  return out;
}

/**
 * Bounded Levenshtein distance with adjacent transpositions (optimal string alignment).
 * Returns `max + 1` as soon as the distance is known to exceed `max`, which keeps
 * near-miss searches over thousands of names cheap.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  // Three rows reused across calls: near-miss searches call this thousands of times per name.
  if (rows[0]!.length <= n) for (let r = 0; r < 3; r++) rows[r] = new Int32Array(2 * (n + 1));
  let [prev2, prev, cur] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

const rows: Int32Array[] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
