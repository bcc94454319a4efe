import { describe, expect, it } from 'vitest';
import { IngredientLexicon } from '../../../src/shared/inci/lexicon';
import { splitKitParts } from '../../../src/shared/inci/list-string';
import { parseInciDeclaration } from '../../../src/shared/inci/parse';

const lexicon = new IngredientLexicon([
  { id: 1, inci: 'Water', synonyms: ['Aqua'], misspellings: [] },
  { id: 2, inci: 'Glycerin', synonyms: [], misspellings: [] },
  { id: 3, inci: 'Niacinamide', synonyms: [], misspellings: [] },
  { id: 4, inci: 'Iron Oxides', synonyms: [], misspellings: [] },
  { id: 5, inci: '1,2-Hexanediol', synonyms: [], misspellings: [] },
]);

function names(text: string): string[] {
  const result = parseInciDeclaration(text, lexicon);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.ingredients.map((i) => i.name);
}

describe('list literals in every shape', () => {
  it('reads one element per ingredient, keeping commas inside an element', () => {
    expect(names("['Water', 'Glycerin', 'Iron Oxides (CI 77491, CI 77492)', '1,2-Hexanediol']")).toEqual(['Water', 'Glycerin', 'Iron Oxides', '1,2-Hexanediol']);
  });

  it('reads a single element holding a whole comma-separated declaration', () => {
    expect(names("['Water, Glycerin, Niacinamide, 1,2-Hexanediol.']")).toEqual(['Water', 'Glycerin', 'Niacinamide', '1,2-Hexanediol']);
    expect(names('["Aqua, Glycerin"]')).toEqual(['Water', 'Glycerin']);
  });

  it('reads a kit parsed whole as the union of its parts, without the part headers', () => {
    expect(names("['Cleanser:', 'Water, Glycerin', 'Toner:', 'Water, Niacinamide']")).toEqual(['Water', 'Glycerin', 'Niacinamide']);
  });
});

describe('splitKitParts', () => {
  it('splits a kit of alternating part headers and declarations', () => {
    expect(splitKitParts("['Cleanser:', 'Water, Glycerin', 'Toner:', 'Water, Niacinamide']")).toEqual([
      { name: 'Cleanser', declaration: 'Water, Glycerin' },
      { name: 'Toner', declaration: 'Water, Niacinamide' },
    ]);
  });

  it('splits elements that open with their part label', () => {
    expect(splitKitParts('["Mini Cleanser: Water, Glycerin", "Mini Toner: Water, Niacinamide"]')).toEqual([
      { name: 'Mini Cleanser', declaration: 'Water, Glycerin' },
      { name: 'Mini Toner', declaration: 'Water, Niacinamide' },
    ]);
  });

  it('keeps a part that is not a list, for the parser to reject', () => {
    expect(splitKitParts("['Cleanser:', 'Water, Glycerin', 'Mask:', 'Visit the boutique', 'Toner:', 'Water, Niacinamide']")?.map((p) => p.name)).toEqual(['Cleanser', 'Mask', 'Toner']);
  });

  it('is not a kit: a declaration, one element per ingredient, a single element, plain text', () => {
    expect(splitKitParts("['Water', 'Glycerin', 'Niacinamide']")).toBeNull();
    expect(splitKitParts("['Water, Glycerin, Niacinamide']")).toBeNull();
    expect(splitKitParts("['Cleanser:', 'Water', 'Glycerin']")).toBeNull();
    expect(splitKitParts("['Cleanser:', 'Water, Glycerin']")).toBeNull();
    expect(splitKitParts('Cleanser: Water, Glycerin. Toner: Water, Niacinamide')).toBeNull();
  });
});
