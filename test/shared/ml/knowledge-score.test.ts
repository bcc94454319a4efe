import { describe, expect, it } from 'vitest';
import { knowledgeScores } from '../../../src/shared/ml/knowledge-score';

describe('knowledgeScores', () => {
  it('weights a tagged ingredient by its position', () => {
    const top = knowledgeScores(3, (i) => (i === 0 ? ['hydration'] : []));
    const tail = knowledgeScores(30, (i) => (i === 29 ? ['hydration'] : []));
    expect(top.hydration).toBeCloseTo(0.6, 3);
    expect(tail.hydration).toBeCloseTo(0.6 * Math.exp(-29 / 8), 3);
    expect(top.brightening).toBe(0);
  });

  it('combines several tagged ingredients without exceeding 1', () => {
    const s = knowledgeScores(3, () => ['soothing']);
    // 1 − (1 − 0.6)(1 − 0.6e^{−1/8})(1 − 0.6e^{−2/8})
    const expected = 1 - 0.4 * (1 - 0.6 * Math.exp(-1 / 8)) * (1 - 0.6 * Math.exp(-2 / 8));
    expect(s.soothing).toBeCloseTo(expected, 3);
    expect(s.soothing).toBeLessThan(1);
  });

  it('ignores tags that are not skin benefits', () => {
    expect(knowledgeScores(1, () => ['sparkle']).hydration).toBe(0);
  });
});
