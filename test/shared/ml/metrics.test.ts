import { describe, expect, it } from 'vitest';
import { jaccard, kendallTauShared, meanAbsoluteError, meanOf, rocAuc } from '../../../src/shared/ml/metrics';

describe('metrics', () => {
  it('jaccard of sets', () => {
    expect(jaccard([1, 2, 3], [2, 3, 4])).toBeCloseTo(2 / 4);
    expect(jaccard([1, 2], [1, 2])).toBe(1);
    expect(jaccard([1], [2])).toBe(0);
    expect(jaccard([], [])).toBe(1);
  });

  it('kendall tau over shared items', () => {
    expect(kendallTauShared([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(kendallTauShared([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // Shared 1,2,3; pairs (1,2) concordant, (1,3) discordant, (2,3) discordant → (1 − 2) / 3.
    expect(kendallTauShared([1, 2, 9, 3], [3, 1, 8, 2])).toBeCloseTo(-1 / 3);
    expect(kendallTauShared([1, 5], [1, 6])).toBeNull();
  });

  it('roc auc with ties counted half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5);
    expect(rocAuc([1, 2, 3], [1, 1, 1])).toBeNull();
  });

  it('mae and mean ignoring nulls', () => {
    expect(meanAbsoluteError([1, 2, 3], [1, 3, 1])).toBeCloseTo(1);
    expect(meanOf([1, null, 3])).toBe(2);
    expect(meanOf([null])).toBeNull();
  });
});
