import { describe, expect, it } from 'vitest';
import { benefitNames, formatScore, listChanges } from '../../src/shared/interpolation-steps';

describe('interpolation steps', () => {
  it('lists what a step added and removed, in each list\'s own order', () => {
    expect(listChanges(['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol'], ['Water', 'Squalane', 'Glycerin', 'Phenoxyethanol', 'Tocopherol'])).toEqual({
      added: ['Squalane', 'Tocopherol'],
      removed: ['Niacinamide'],
    });
    expect(listChanges(['Water'], ['Water'])).toEqual({ added: [], removed: [] });
    expect(listChanges([], ['Water'])).toEqual({ added: ['Water'], removed: [] });
  });

  it('separates the catalog\'s benefit columns from the knowledge-based scores', () => {
    const steps: { benefits: Record<string, number> }[] = [{ benefits: { hydration: 0.4, 'kb:hydration': 0.5, soothing: 0.1 } }, { benefits: { 'kb:soothing': 0.2, hydration: 0.3 } }];
    expect(benefitNames(steps, false)).toEqual(['hydration', 'soothing']);
    expect(benefitNames(steps, true)).toEqual(['kb:hydration', 'kb:soothing']);
  });

  it('prints a score that rounds to zero as 0.00, never -0.00', () => {
    expect(formatScore(-0.004)).toBe('0.00');
    expect(formatScore(-0.006)).toBe('-0.01');
    expect(formatScore(0.456)).toBe('0.46');
    expect(formatScore(undefined)).toBe('–');
  });
});
