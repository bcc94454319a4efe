import { describe, expect, it } from 'vitest';
import { categoryKey, matchCategory } from '../../../src/shared/briefs/categories';

describe('brief categories against the catalog\'s own names', () => {
  const sephora = ['Moisturizer', 'Cleanser', 'Face Mask', 'Treatment', 'Eye cream', 'Sun protect'];
  const sample = ['serum', 'moisturiser', 'cleanser', 'sunscreen', 'mask', 'toner', 'eye cream', 'exfoliant'];

  it('reduces names to one spelling: case, -ise/-ize, plurals, punctuation', () => {
    expect(categoryKey('Moisturisers')).toBe('moisturizer');
    expect(categoryKey('  Face-Masks ')).toBe('face mask');
    expect(categoryKey('Sun protect')).toBe('sun protect');
    expect(categoryKey('Glass')).toBe('glass');
  });

  it('finds the catalog category a chemist means, whatever the catalog calls it', () => {
    expect(matchCategory('moisturiser', sephora)).toBe('Moisturizer');
    expect(matchCategory('MOISTURIZERS', sample)).toBe('moisturiser');
    expect(matchCategory('sunscreen', sephora)).toBe('Sun protect');
    expect(matchCategory('SPF', sample)).toBe('sunscreen');
    expect(matchCategory('serum', sephora)).toBe('Treatment');
    expect(matchCategory('treatment', sample)).toBe('serum');
    expect(matchCategory('sheet masks', sephora)).toBe('Face Mask');
    expect(matchCategory('eye cream', sephora)).toBe('Eye cream');
    expect(matchCategory('face wash', sample)).toBe('cleanser');
  });

  it('finds nothing for an unknown or ambiguous name', () => {
    expect(matchCategory('lipstick', sephora)).toBeNull();
    expect(matchCategory('toner', sephora)).toBeNull();
    expect(matchCategory('', sephora)).toBeNull();
    // Two catalog categories of one kind: the name alone cannot choose.
    expect(matchCategory('cream', ['Day cream', 'Night cream'])).toBeNull();
    expect(matchCategory('night cream', ['Day cream', 'Night cream'])).toBe('Night cream');
  });
});
