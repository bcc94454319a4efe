import { describe, expect, it } from 'vitest';
import { logSumExpRows } from '../../../src/main/generate/kernels';
import { seededRandom } from '../../../src/shared/ml/random';

/** log Σ exp in float64, the textbook way. */
function plainLse(row: ArrayLike<number>, skip = -1): number {
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) if (j !== skip) max = Math.max(max, row[j]!);
  let s = 0;
  for (let j = 0; j < row.length; j++) if (j !== skip) s += Math.exp(row[j]! - max);
  return max + Math.log(s);
}

describe('logSumExpRows', () => {
  it('agrees with the textbook log-sum-exp to 1e-6 over spreads typical of 64-dimensional kernels', () => {
    const r = seededRandom(4);
    const rows = 50;
    const n = 1255;
    for (const spread of [1, 10, 40, 200]) {
      const block = Float32Array.from({ length: rows * n }, () => -80 + spread * (r() - 0.5));
      const got = logSumExpRows(block, rows, n, null);
      for (let i = 0; i < rows; i++) expect(Math.abs(got[i]! - plainLse(block.subarray(i * n, (i + 1) * n)))).toBeLessThan(1e-6);
    }
  });

  it('leaves out the diagonal term for leave-one-out rows, offset by the block start', () => {
    // Row i's own term (column 5 + i) dominates; without it only the zeros remain: log(n − 1).
    const rows = 3;
    const n = 10;
    const block = new Float32Array(rows * n);
    for (let i = 0; i < rows; i++) block[i * n + 5 + i] = 50;
    const got = logSumExpRows(block, rows, n, 5);
    got.forEach((v) => expect(v).toBeCloseTo(Math.log(9), 12));
  });

  it('returns −∞ for a row with no terms left', () => {
    expect(logSumExpRows(new Float32Array([3]), 1, 1, 0)[0]).toBe(-Infinity);
  });
});
