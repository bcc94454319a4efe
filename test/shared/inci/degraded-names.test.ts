import { describe, expect, it } from 'vitest';
import { IngredientLexicon } from '../../../src/shared/inci/lexicon';
import { parseInciDeclaration } from '../../../src/shared/inci/parse';

/** Names as scrapers leave them, read against a small knowledge base: one reading resolves, several stay unknown with suggestions. */
/** Entry ids are positions from 1 (Water = 1, Butylene Glycol = 2, …). */
const NAMES = [
  'Water',
  'Butylene Glycol',
  'Caprylic/Capric Triglyceride',
  'Caprylic/Capric Glycerides',
  'Rosa Damascena Flower Oil',
  'Rosa Damascena Flower Water',
  'Tremella Fuciformis Extract',
  'Camellia Sinensis Leaf Extract',
  'Methylparaben',
  'Ethylparaben',
  'PEG-40 Hydrogenated Castor Oil',
  'PEG-45 Hydrogenated Castor Oil',
  'Ethylhexylglycerin',
  'Octadecane',
  'Dimethicone',
  'Methicone',
  'Sodium Hyaluronate',
  'Sodium Benzoate',
  'Glycerin',
  'Cetearyl Dimethicone',
  'Dimethicone/Vinyl Dimethicone Crosspolymer',
  'Propanediol',
  'Mica',
  'Sodium Citrate',
  'Potassium Nitrate',
  'Cocamide MEA',
  'Maltose',
  'Leuconostoc/Radish Root Ferment Filtrate',
  'Leuconostoc Ferment Filtrate',
  'PEG-100 Stearate',
  'Xanthan Gum',
];
const SYNONYMS: Record<string, string[]> = { Water: ['Aqua'], 'Camellia Sinensis Leaf Extract': ['Green Tea Extract'] };
const lexicon = new IngredientLexicon(
  NAMES.map((inci, i) => ({ id: i + 1, inci, synonyms: SYNONYMS[inci] ?? [], misspellings: [] })),
  ['Tremella Fuciformis Polysaccharide'],
);

/** The one item of a one-name declaration, as the import and the editor read it. */
function read(name: string) {
  const parsed = parseInciDeclaration(`${name}, Water`, lexicon);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { item: parsed.ingredients[0]!, warnings: parsed.warnings };
}

describe('reading names as scrapers leave them', () => {
  it('resolves a lower-case name', () => {
    expect(read('butylene glycol').item).toMatchObject({ ingredientId: 2, match: 'canonical' });
  });

  it('resolves a name truncated after a slash when one entry begins that way', () => {
    expect(read('Butylene Glycol/').item).toMatchObject({ ingredientId: 2 });
    expect(read('Camellia Sinensis Leaf').item).toMatchObject({ ingredientId: 8, match: 'truncated', name: 'Camellia Sinensis Leaf Extract' });
  });

  it('reads a name cut at a slash as the one entry that goes on after a slash there', () => {
    expect(read('Leuconostoc/').item).toMatchObject({ ingredientId: 28, match: 'truncated', name: 'Leuconostoc/Radish Root Ferment Filtrate' });
    // Cut after the word, it could be either.
    expect(read('Leuconostoc').item.ingredientId).toBeNull();
    expect(lexicon.suggestions('Leuconostoc')).toEqual(['Leuconostoc Ferment Filtrate', 'Leuconostoc/Radish Root Ferment Filtrate']);
    // Two entries go on after "Caprylic/": still unknown.
    expect(read('Caprylic/').item.ingredientId).toBeNull();
  });

  it('reads a name cut inside its parenthesised part as the name before the bracket', () => {
    expect(read('Glycerin (Vegetable').item).toMatchObject({ ingredientId: 19, match: 'canonical' });
    expect(read('Camellia Sinensis Leaf (Green').item).toMatchObject({ ingredientId: 8, match: 'truncated' });
    // What stands before the bracket must itself be read one way.
    expect(read('Sodium (Na').item.ingredientId).toBeNull();
  });

  it('keeps a known name followed by a slash unknown when another entry goes on after that slash', () => {
    // "Dimethicone/" is Dimethicone with a stray slash, or Dimethicone/Vinyl Dimethicone Crosspolymer cut short.
    expect(read('Dimethicone/').item).toMatchObject({ ingredientId: null, match: null });
    expect(lexicon.suggestions('Dimethicone/')).toEqual(['Dimethicone/Vinyl Dimethicone Crosspolymer', 'Dimethicone']);
    // Nothing goes on after "Glycerin/": the name itself.
    expect(read('Glycerin/').item).toMatchObject({ ingredientId: 19, match: 'canonical' });
  });

  it('reads a synonym naming only a plant as a degraded name when several entries are parts of it', () => {
    const aloe = (inci: string, synonyms: string[] = []) => ({ inci, synonyms, misspellings: [] });
    const both = new IngredientLexicon([
      { id: 1, ...aloe('Aloe Barbadensis Leaf Extract', ['Aloe Barbadensis', 'Aloe Vera Extract']) },
      { id: 2, ...aloe('Aloe Barbadensis Leaf Juice') },
    ]);
    expect(both.lookup('Aloe Barbadensis')).toBeNull();
    expect(both.readDegraded('Aloe Barbadensis')).toEqual({ match: null, candidates: ['Aloe Barbadensis Leaf Extract', 'Aloe Barbadensis Leaf Juice'] });
    // Other synonyms stay exact, and so does the plant's name when one entry is all the knowledge base has of it.
    expect(both.lookup('Aloe Vera Extract')).toMatchObject({ id: 1, kind: 'synonym' });
    const one = new IngredientLexicon([{ id: 1, ...aloe('Aloe Barbadensis Leaf Extract', ['Aloe Barbadensis']) }]);
    expect(one.lookup('Aloe Barbadensis')).toMatchObject({ id: 1, kind: 'synonym' });
    // The synonym's own entry stays a reading when the plant's name belongs to another entry.
    const cherry = new IngredientLexicon([
      { id: 1, ...aloe('Prunus Serrulata Flower Extract', ['Cherry Blossom Extract']) },
      { id: 2, ...aloe('Prunus Yedoensis Leaf Extract', ['Cherry Blossom Leaf Extract']) },
    ]);
    expect(cherry.readDegraded('Cherry Blossom Extract').candidates).toEqual(['Prunus Serrulata Flower Extract', 'Prunus Yedoensis Leaf Extract']);
  });

  it('keeps an ambiguous truncated name unknown with suggestions', () => {
    const { item, warnings } = read('Caprylic/Capric');
    expect(item).toMatchObject({ ingredientId: null, match: null });
    const unknown = warnings.find((w) => w.code === 'unknown')!;
    expect(unknown.message).toContain('"Caprylic/Capric Glycerides" or "Caprylic/Capric Triglyceride"');
    expect(lexicon.readDegraded('Sodium').candidates).toEqual(['Sodium Benzoate', 'Sodium Citrate', 'Sodium Hyaluronate']);
  });

  it('keeps a truncated name unknown when a catalog-only name shares the prefix', () => {
    expect(lexicon.readDegraded('Tremella Fuciformis')).toEqual({ match: null, candidates: ['Tremella Fuciformis Extract', 'Tremella Fuciformis Polysaccharide'] });
    // …and a catalog name spelled exactly is that ingredient, not a degraded other one (which is only suggested).
    expect(lexicon.readDegraded('Tremella Fuciformis Polysaccharide')).toEqual({ match: null, candidates: [] });
    const withCatalogRose = new IngredientLexicon([{ id: 1, inci: 'Rosa Damascena Flower Oil', synonyms: [], misspellings: [] }], ['Rosa Damascena']);
    expect(withCatalogRose.readDegraded('Rosa Damascena')).toEqual({ match: null, candidates: ['Rosa Damascena Flower Oil'] });
  });

  it('resolves a botanical name without its plant part when one entry matches', () => {
    expect(read('Rosa Damascena Oil').item).toMatchObject({ ingredientId: 5, match: 'botanical' });
    expect(read('Camellia Sinensis Extract').item).toMatchObject({ ingredientId: 8, match: 'botanical' });
    expect(read('Rosa Damascena Oil').warnings.map((w) => w.code)).toContain('botanical');
  });

  it('keeps a botanical name with several plant parts unknown with the parts as suggestions', () => {
    expect(read('Rosa Damascena').item.ingredientId).toBeNull();
    expect(lexicon.suggestions('Rosa Damascena')).toEqual(['Rosa Damascena Flower Oil', 'Rosa Damascena Flower Water']);
  });

  it('resolves a typo when one entry is clearly nearest', () => {
    expect(read('Ethylhexylglycerine').item).toMatchObject({ ingredientId: 13, match: 'typo' });
    expect(read('Ethyhexylglicerin').item).toMatchObject({ ingredientId: 13, match: 'typo' });
    expect(read('Glycern').item).toMatchObject({ ingredientId: 19, match: 'typo' });
  });

  it('reads a typo in a name that repeats a word', () => {
    // Not "Dimethicone" (its first slash piece): the whole name, one letter off.
    expect(read('Dimethicone/Vinyl Dgmethicone Crosspolymer').item).toMatchObject({ ingredientId: 21, match: 'typo' });
  });

  it('reads a typo that leaves a short name no three letters in a row of the right one', () => {
    expect(read('Waetr').item).toMatchObject({ ingredientId: 1, match: 'typo' });
  });

  it('reads two swapped vowels as a typo, and a changed vowel only before the end of a word', () => {
    expect(read('Propanedoil').item).toMatchObject({ ingredientId: 22, match: 'typo' });
    expect(read('Sodium Hyaloronate').item).toMatchObject({ ingredientId: 17, match: 'typo' });
    // The last three letters make the suffix: -iol / -iel, -ate / -ite name other substances.
    expect(read('Propanediel').item.ingredientId).toBeNull();
    expect(lexicon.suggestions('Propanediel')).toEqual(['Propanediol']);
    expect(read('Sodium Hyaluronite').item.ingredientId).toBeNull();
  });

  it('reads a typo in the word after a number, which is no suffix of the number', () => {
    expect(read('PEG-100 Sftearate').item).toMatchObject({ ingredientId: 30, match: 'typo' });
    expect(read('PEG-100 tStearate').item).toMatchObject({ ingredientId: 30, match: 'typo' });
  });

  it('reads a changed letter in a short word as a typo, but not in a short abbreviation', () => {
    expect(read('Xanthan Gxm').item).toMatchObject({ ingredientId: 31, match: 'typo' });
    expect(read('Cocamide DEA').item.ingredientId).toBeNull();
  });

  it('reads a letter added, dropped or swapped in a word of three letters as a typo', () => {
    expect(read('PEG-40 Hydrogenated Castor Otil').item).toMatchObject({ ingredientId: 11, match: 'typo' });
    expect(read('PEG-40 Hydrogenated Castor Oli').item).toMatchObject({ ingredientId: 11, match: 'typo' });
    expect(read('PEG-40 Hydrogenated Castor Oel').item.ingredientId).toBeNull();
  });

  it('keeps a typo unknown when two entries are as near', () => {
    // "Mthylparaben" is one edit from Methylparaben and one from Ethylparaben.
    expect(read('Mthylparaben').item.ingredientId).toBeNull();
    expect(lexicon.readDegraded('Mthylparaben').candidates).toEqual(expect.arrayContaining(['Methylparaben', 'Ethylparaben']));
  });

  it('never reads a typo by changing a digit, a vowel of a suffix or a syllable', () => {
    expect(read('PEG-41 Hydrogenated Castor Oil').item.ingredientId).toBeNull();
    expect(read('PEG-40M Hydrogenated Castor Oil').item.ingredientId).toBeNull();
    expect(read('Octadecene').item.ingredientId).toBeNull();
    expect(lexicon.readDegraded('Octadecene').candidates).toEqual(['Octadecane']);
    // Two letters apart, but "Di-" makes another substance: offered, not merged.
    expect(read('Cetearyl Methicone').item.ingredientId).toBeNull();
    expect(lexicon.suggestions('Cetearyl Methicone')).toEqual(['Cetearyl Dimethicone']);
    // Two letters inside a word are a typo, not a syllable.
    expect(read('Sodifkum Hyaluronate').item).toMatchObject({ ingredientId: 17, match: 'typo' });
  });

  it('reads a typo in a four-letter name only with a letter dropped or two swapped', () => {
    expect(read('Watr').item).toMatchObject({ ingredientId: 1, match: 'typo' });
    expect(read('Mcia').item).toMatchObject({ ingredientId: 23, match: 'typo' });
    // One letter changed in a short name often spells another word: offered, not merged.
    expect(read('Mida').item.ingredientId).toBeNull();
    expect(lexicon.suggestions('Mida')).toEqual(['Mica']);
  });

  it('never reads a typo in a name of three letters', () => {
    expect(read('Aqa').item.ingredientId).toBeNull();
    expect(read('Mca').item.ingredientId).toBeNull();
  });

  it('reads two edits from seven letters on, but two changed letters only from ten', () => {
    expect(read('Glicern').item).toMatchObject({ ingredientId: 19, match: 'typo' });
    // Mannose is another sugar, two letters from Maltose: offered, not merged.
    expect(read('Mannose').item.ingredientId).toBeNull();
    expect(lexicon.suggestions('Mannose')).toEqual(['Maltose']);
    expect(read('Sodiun Hyaluronafe').item).toMatchObject({ ingredientId: 17, match: 'typo' });
  });

  it('never reads a typo that spells another known word or changes a word of three letters', () => {
    // "Nitrate" is a word of Potassium Nitrate: Sodium Nitrate is another salt, not a misspelt citrate.
    expect(read('Sodium Nitrate').item.ingredientId).toBeNull();
    expect(lexicon.readDegraded('Sodium Nitrate').candidates).toEqual(['Sodium Citrate']);
    expect(read('Cocamide DEA').item.ingredientId).toBeNull();
    expect(lexicon.readDegraded('Cocamide DEA').candidates).toEqual(['Cocamide MEA']);
    // The same edits in words nothing else uses are typos.
    expect(read('Sodium Cltrate').item).toMatchObject({ ingredientId: 24, match: 'typo' });
    expect(read('Cocamde MEA').item).toMatchObject({ ingredientId: 26, match: 'typo' });
  });

  it('prefers the degraded reading of the name to a parenthesised alternative', () => {
    const tocopherylLexicon = new IngredientLexicon([
      { id: 1, inci: 'Tocopheryl Acetate', synonyms: [], misspellings: [] },
      { id: 2, inci: 'Tocopherol', synonyms: ['Vitamin E'], misspellings: [] },
    ]);
    const parsed = parseInciDeclaration('Tocpheryl Acetate (Vitamin E), Tocopherol', tocopherylLexicon);
    expect(parsed.ok && parsed.ingredients.map((x) => [x.ingredientId, x.match])).toEqual([[1, 'typo'], [2, 'canonical']]);
  });
});
