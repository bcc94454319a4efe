import { describe, expect, it } from 'vitest';
import { IngredientLexicon } from '../../../src/shared/inci/lexicon';
import { ingredientListEvidence } from '../../../src/main/import/column-content';
import { categoryChain, listingFactKind } from '../../../src/main/import/column-headers';
import { resolveColumnMapping } from '../../../src/main/import/columns';
import { ingredientKey } from '../../../src/shared/inci/key';

const lexicon = new IngredientLexicon(
  ['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol', 'Dimethicone', 'Tocopherol', 'Squalane'].map((inci, i) => ({ id: i + 1, inci, synonyms: [], misspellings: [] })),
);

describe('judging a column by its cells', () => {
  it('counts one ingredient per line as a list', () => {
    expect(ingredientListEvidence(['Water\nGlycerin\nNiacinamide', 'Water\r\nSqualane'], lexicon)).toEqual({ sampled: 2, lists: 2, names: 5, known: 5 });
  });

  it('does not count tags, prose or single names as lists', () => {
    const cells = ["['Vegan', 'Without Parabens', 'Clean at Sephora']", 'A light cream that hydrates, plumps, and smooths skin.', 'Water', 'Oil-free, non-comedogenic, vegan'];
    expect(ingredientListEvidence(cells, lexicon).lists).toBe(0);
  });

  it('counts INCI-shaped names the knowledge base does not know', () => {
    expect(ingredientListEvidence(['Rosa Canina Fruit Oil, Bisabolol, Sodium Benzoate, CI 77491'])).toEqual({ sampled: 1, lists: 1, names: 4, known: 0 });
  });
});

describe('resolveColumnMapping', () => {
  const rows = (n: number, make: (i: number) => string[]) => Array.from({ length: n }, (_, i) => make(i));

  it('breaks a near tie by the header: "Key ingredients" and "INCI" both hold lists in every row', async () => {
    const { mapping, columns } = await resolveColumnMapping(['Key ingredients', 'INCI'], rows(10, () => ['Niacinamide, Squalane', 'Water, Glycerin, Niacinamide, Squalane']), {}, { lexicon });
    expect(mapping).toMatchObject({ ingredients: 'INCI', extra: ['Key ingredients'] });
    expect(columns[0]!.reason).toBe('100 % of 10 sampled cells read as ingredient lists, 100 % of their names known; ahead of "Key ingredients" (a near tie) by its header');
  });

  it('breaks a near tie between unnamed columns by the longer lists', async () => {
    const { mapping, columns } = await resolveColumnMapping(['c1', 'c2'], rows(10, () => ['Niacinamide, Squalane', 'Water, Glycerin, Niacinamide, Squalane']), {}, { lexicon });
    expect(mapping.ingredients).toBe('c2');
    expect(columns[0]!.reason).toMatch(/; ahead of "c1" \(a near tie\) by longer lists$/);
  });

  it('lets a column of lists win over a header that says ingredients but holds few', async () => {
    const sample = rows(10, (i) => [i === 0 ? 'Water, Glycerin' : 'See the packaging', 'Water, Glycerin, Dimethicone, Tocopherol']);
    const { mapping, columns } = await resolveColumnMapping(['Ingredients', 'Formula'], sample, {}, { lexicon });
    expect(mapping).toMatchObject({ ingredients: 'Formula', extra: ['Ingredients'] });
    expect(columns[0]!.reason).toBe('100 % of 10 sampled cells read as ingredient lists, 100 % of their names known; next best "Ingredients" at 10 %');
  });

  it('takes a column by its header when no cell is a list of several items', async () => {
    const { mapping, columns } = await resolveColumnMapping(['Name', 'Zutaten'], [['Öl', 'Squalane']], {}, { lexicon });
    expect(mapping.ingredients).toBe('Zutaten');
    expect(columns[0]!.reason).toBe('by its header; no sampled cell reads as an ingredient list of several items');
  });

  it('keeps numbers outside 0–10 and listing facts out of the scores, and 0/1, 0–1 and 0–10 columns in', async () => {
    const header = ['INCI', 'reviews', 'hydration', 'Oily', 'score10', 'col9', 'ranking'];
    const sample = rows(5, (i) => ['Water, Glycerin', String(3 + i), String(i / 5), String(i % 2), String(2 * i), String(1000 * (i + 1)), String(i)]);
    const { mapping } = await resolveColumnMapping(header, sample, {}, { lexicon });
    expect(mapping.benefits).toEqual(['hydration', 'Oily', 'score10']);
    expect(mapping.extra).toEqual(['reviews', 'col9', 'ranking']);
    expect((await resolveColumnMapping(header, sample, { benefits: ['reviews'] }, { lexicon })).mapping.benefits).toEqual(['reviews']);
  });
});

describe('column headers', () => {
  it('orders category levels most specific first, a generic category last', () => {
    const header = ['category', 'primary_category', 'tertiary_category', 'secondary_category', 'Label'];
    expect(categoryChain(header, header.map(ingredientKey))).toEqual(['tertiary_category', 'secondary_category', 'primary_category', 'category']);
    const plain = ['Label', 'Type'];
    expect(categoryChain(plain, plain.map(ingredientKey))).toEqual(['Label']);
    const sub = ['Category', 'Subcategory'];
    expect(categoryChain(sub, sub.map(ingredientKey))).toEqual(['Subcategory', 'Category']);
  });

  it('names identifiers, prices, counts, ratings, sizes and shop flags, and not skin types or benefits', () => {
    expect(['product_id', 'sku', 'EAN code', 'price_usd', 'loves_count', 'reviews', 'rating', 'Rank', 'size', 'limited_edition', 'sephora_exclusive', 'productID'].map(listingFactKind)).toEqual([
      'an identifier', 'an identifier', 'an identifier', 'a price', 'a count', 'a count', 'a rating or rank', 'a rating or rank', 'a size or date', 'a shop flag', 'a shop flag', 'an identifier',
    ]);
    expect(['Dry', 'Oily', 'hydration_score', 'anti_aging', 'Combination'].map(listingFactKind)).toEqual([null, null, null, null, null]);
  });
});
