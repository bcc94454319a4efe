import { describe, expect, it } from 'vitest';
import { interpolationPath } from '../../../src/shared/ml/interpolate';

describe('interpolationPath', () => {
  it('linear steps run evenly from a to b', () => {
    const p = interpolationPath([0, 0], [4, 8], 5, 'linear');
    expect(p.map((s) => s.t)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(p[1]!.code).toEqual([1, 2]);
    expect(p[4]!.code).toEqual([4, 8]);
  });

  it('slerp keeps the norm between two codes of equal norm and ends on them', () => {
    const p = interpolationPath([1, 0], [0, 1], 3, 'slerp');
    expect(p[0]!.code[0]).toBeCloseTo(1, 12);
    expect(p[2]!.code[1]).toBeCloseTo(1, 12);
    expect(Math.hypot(...p[1]!.code)).toBeCloseTo(1, 12);
    expect(p[1]!.code[0]).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('slerp falls back to linear for parallel codes', () => {
    expect(interpolationPath([1, 1], [2, 2], 3, 'slerp')[1]!.code).toEqual([1.5, 1.5]);
  });
});
