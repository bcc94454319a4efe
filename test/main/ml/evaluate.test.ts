import { describe, expect, it } from 'vitest';
import { reconstruction } from '../../../src/main/ml/evaluate';

describe('reconstruction metrics', () => {
  // Tokens 0–3 are usually above 1 %, 4–7 below (the 1 % line of a true list falls before its first of those); 8 is a bucket.
  const emittable = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0]);
  const belowLine = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1, 0]);
  const prior = (t: number) => t / 10;

  it('splits order agreement at the true list’s 1 % line: fixed order above, free order below', () => {
    const truth = [[0, 1, 2, 8, 4, 5, 6]];
    // Above the line in the right order; below it reversed.
    const decoded = [[0, 1, 2, 6, 5, 4]];
    const m = reconstruction(decoded, truth, emittable, prior, belowLine);
    expect(m.kendallTauAboveLine).toBe(1);
    expect(m.kendallTauBelowLine).toBe(-1);
    // Over all 15 shared pairs: 3 above, 3 below reversed, 9 across the line right.
    expect(m.kendallTau).toBeCloseTo((12 - 3) / 15, 12);
    expect(m.jaccard).toBe(1); // the bucket is left out of the truth
    expect(m.meanDecodedLength).toBe(6);
    expect(m.meanTrueLength).toBe(7);
    expect(m.validShare).toBe(1);
  });

  it('has no τ where fewer than two shared ingredients fall on a side', () => {
    const m = reconstruction([[3, 0, 4]], [[0, 3, 4, 5]], emittable, prior, belowLine);
    expect(m.kendallTauAboveLine).toBe(-1);
    expect(m.kendallTauBelowLine).toBeNull();
  });
});
