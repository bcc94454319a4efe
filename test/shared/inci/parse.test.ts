import { describe, expect, it } from 'vitest';
import { IngredientLexicon } from '../../../src/shared/inci/lexicon';
import { parseInciDeclaration, type ParseResult } from '../../../src/shared/inci/parse';

const lexicon = new IngredientLexicon([
  { id: 1, inci: 'Water', synonyms: ['Aqua', 'Eau'], misspellings: [] },
  { id: 2, inci: 'Glycerin', synonyms: ['Glycerine'], misspellings: [] },
  { id: 3, inci: 'Niacinamide', synonyms: ['Vitamin B3'], misspellings: [] },
  { id: 4, inci: 'PEG-100 Stearate', synonyms: [], misspellings: [] },
  { id: 5, inci: 'Phenoxyethanol', synonyms: [], misspellings: ['Phenoxyethenol'] },
  { id: 6, inci: 'Zinc Oxide', synonyms: ['CI 77947'], misspellings: [] },
  { id: 7, inci: 'Iron Oxides', synonyms: [], misspellings: [] },
  { id: 8, inci: 'Titanium Dioxide', synonyms: ['CI 77891'], misspellings: [] },
  { id: 9, inci: 'Mica', synonyms: ['CI 77019'], misspellings: [] },
  { id: 10, inci: '1,2-Hexanediol', synonyms: [], misspellings: [] },
  { id: 11, inci: 'Rosa Damascena Flower Oil', synonyms: [], misspellings: [] },
  { id: 12, inci: 'Tocopherol', synonyms: ['Vitamin E'], misspellings: [] },
  { id: 13, inci: 'Butyrospermum Parkii Butter', synonyms: ['Shea Butter'], misspellings: [] },
  { id: 14, inci: 'Caprylic/Capric Triglyceride', synonyms: [], misspellings: [] },
  { id: 15, inci: 'Octinoxate', synonyms: ['Ethylhexyl Methoxycinnamate'], misspellings: [] },
]);

function names(result: ParseResult): string[] {
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.ingredients.map((i) => i.name);
}

function parse(text: string) {
  return parseInciDeclaration(text, lexicon);
}

describe('parseInciDeclaration', () => {
  it('keeps commas inside parentheses and brackets', () => {
    expect(names(parse('Water, Iron Oxides (CI 77491, CI 77492, CI 77499), Glycerin, Mica [CI 77019, Titanium Dioxide]'))).toEqual([
      'Water', 'Iron Oxides', 'Glycerin', 'Mica',
    ]);
  });

  it('reads Water (Aqua, Eau), Water/Aqua/Eau and Aqua (Water) as Water', () => {
    expect(names(parse('Water (Aqua, Eau), Glycerin'))).toEqual(['Water', 'Glycerin']);
    expect(names(parse('Water/Aqua/Eau, Glycerin'))).toEqual(['Water', 'Glycerin']);
    expect(names(parse('Aqua (Water), Glycerin'))).toEqual(['Water', 'Glycerin']);
    expect(names(parse('Aqua/Water/Eau, Glycerin'))).toEqual(['Water', 'Glycerin']);
  });

  it('strips trailing periods and footnote markers', () => {
    const r = parse('Water, Glycerin*, Rosa Damascena Flower Oil†, Niacinamide**, Tocopherol✝.');
    expect(names(r)).toEqual(['Water', 'Glycerin', 'Rosa Damascena Flower Oil', 'Niacinamide', 'Tocopherol']);
  });

  it('records percentages and removes them from the name', () => {
    const r = parse('Zinc Oxide 17.1%, Water, Niacinamide (5%), Glycerin');
    if (!r.ok) throw new Error(r.reason);
    expect(r.ingredients.map((i) => [i.name, i.percent])).toEqual([
      ['Zinc Oxide', 17.1], ['Water', null], ['Niacinamide', 5], ['Glycerin', null],
    ]);
  });

  it('reads Active ingredients: … Inactive ingredients: … sections', () => {
    const r = parse('Active Ingredients: Zinc Oxide 10%, Octinoxate 7.5%. Inactive Ingredients: Water, Glycerin.');
    if (!r.ok) throw new Error(r.reason);
    expect(r.ingredients.map((i) => [i.name, i.section, i.percent])).toEqual([
      ['Zinc Oxide', 'active', 10], ['Octinoxate', 'active', 7.5], ['Water', 'main', null], ['Glycerin', 'main', null],
    ]);
  });

  it('treats actives listed before an Inactive ingredients heading as actives', () => {
    const r = parse('Octinoxate 7.5%, Zinc Oxide 3%. Inactive Ingredients: Water, Glycerin');
    if (!r.ok) throw new Error(r.reason);
    expect(r.ingredients.map((i) => [i.name, i.section])).toEqual([
      ['Octinoxate', 'active'], ['Zinc Oxide', 'active'], ['Water', 'main'], ['Glycerin', 'main'],
    ]);
  });

  it('keeps and marks May contain colourant sections', () => {
    const r = parse('Water, Glycerin, Phenoxyethanol. May Contain (+/-): Mica, CI 77891, Iron Oxides (CI 77491).');
    if (!r.ok) throw new Error(r.reason);
    expect(r.ingredients.map((i) => [i.name, i.section])).toEqual([
      ['Water', 'main'], ['Glycerin', 'main'], ['Phenoxyethanol', 'main'],
      ['Mica', 'may-contain'], ['Titanium Dioxide', 'may-contain'], ['Iron Oxides', 'may-contain'],
    ]);
  });

  it('keeps and marks [+/- …] colourant sections', () => {
    const r = parse('Water, Glycerin, [+/- Mica, Titanium Dioxide (CI 77891), Iron Oxides (CI 77491, CI 77492)]');
    if (!r.ok) throw new Error(r.reason);
    expect(r.ingredients.map((i) => [i.name, i.section])).toEqual([
      ['Water', 'main'], ['Glycerin', 'main'], ['Mica', 'may-contain'], ['Titanium Dioxide', 'may-contain'], ['Iron Oxides', 'may-contain'],
    ]);
  });

  it('reads Python-list strings', () => {
    expect(names(parse("['Water', 'Glycerin', 'Niacinamide']"))).toEqual(['Water', 'Glycerin', 'Niacinamide']);
    expect(names(parse(`["Water", "Caprylic/Capric Triglyceride", "Iron Oxides (CI 77491, CI 77492)"]`))).toEqual([
      'Water', 'Caprylic/Capric Triglyceride', 'Iron Oxides',
    ]);
  });

  it('splits on line breaks and semicolons', () => {
    expect(names(parse('Water\nGlycerin; Niacinamide\r\nTocopherol'))).toEqual(['Water', 'Glycerin', 'Niacinamide', 'Tocopherol']);
  });

  it('keeps the first of a repeated ingredient and warns', () => {
    const r = parse('Water, Glycerin, Aqua, Niacinamide');
    if (!r.ok) throw new Error(r.reason);
    expect(names(r)).toEqual(['Water', 'Glycerin', 'Niacinamide']);
    expect(r.warnings.filter((w) => w.code === 'repeated').map((w) => w.message)).toEqual([
      '"Water" is listed again as item 3; kept the first (position 1)',
    ]);
  });

  it('matches case, whitespace and hyphen variants', () => {
    expect(names(parse('WATER,  peg 100 stearate , Peg-100  Stearate,GLYCERINE'))).toEqual(['Water', 'PEG-100 Stearate', 'Glycerin']);
  });

  it('maps known synonyms and misspellings through the knowledge base', () => {
    const r = parse('Aqua, Vitamin B3, Phenoxyethenol, Shea Butter');
    if (!r.ok) throw new Error(r.reason);
    expect(names(r)).toEqual(['Water', 'Niacinamide', 'Phenoxyethanol', 'Butyrospermum Parkii Butter']);
    expect(r.ingredients.map((i) => i.match)).toEqual(['synonym', 'synonym', 'misspelling', 'synonym']);
    expect(r.warnings.map((w) => w.code)).toEqual(['misspelling']);
  });

  it('suggests an unknown near-miss but never merges it', () => {
    const r = parse('Water, Niacinamyde, Glycerin');
    if (!r.ok) throw new Error(r.reason);
    expect(r.ingredients.map((i) => [i.name, i.ingredientId])).toEqual([['Water', 1], ['Niacinamyde', null], ['Glycerin', 2]]);
    expect(r.warnings).toEqual([{ code: 'unknown', message: 'unknown ingredient "Niacinamyde" — did you mean "Niacinamide"?', suggestion: 'Niacinamide' }]);
  });

  it('reads parenthesised common names in botanical INCI names', () => {
    expect(names(parse('Water, Butyrospermum Parkii (Shea) Butter, Glycerin'))).toEqual(['Water', 'Butyrospermum Parkii Butter', 'Glycerin']);
  });

  it('does not split 1,2-Hexanediol at its comma, even written "1, 2-Hexanediol"', () => {
    expect(names(parse('Water, 1,2-Hexanediol, Glycerin'))).toEqual(['Water', '1,2-Hexanediol', 'Glycerin']);
    expect(names(parse('Water, 1, 2-Hexanediol, Glycerin'))).toEqual(['Water', '1,2-Hexanediol', 'Glycerin']);
  });

  it('splits a percentage glued to the next name', () => {
    const r = parse('Zinc Oxide 12%Titanium Dioxide 1.6%Water, Glycerin');
    if (!r.ok) throw new Error(r.reason);
    expect(r.ingredients.map((i) => [i.name, i.percent])).toEqual([
      ['Zinc Oxide', 12], ['Titanium Dioxide', 1.6], ['Water', null], ['Glycerin', null],
    ]);
  });

  it('drops a kit label before a list', () => {
    const r = parse('The Charcoal Mask: Water, Glycerin, Niacinamide');
    expect(names(r)).toEqual(['Water', 'Glycerin', 'Niacinamide']);
  });

  it('drops a shop disclaimer after the list', () => {
    const r = parse('Water, Glycerin, Phenoxyethanol Please be aware that ingredient lists may change or vary from time to time.');
    if (!r.ok) throw new Error(r.reason);
    expect(names(r)).toEqual(['Water', 'Glycerin', 'Phenoxyethanol']);
    expect(r.warnings.map((w) => w.code)).toContain('disclaimer-dropped');
  });

  it('drops organic-farming footnotes', () => {
    expect(names(parse('Water, Glycerin*, Tocopherol. *Ingredients from organic farming'))).toEqual(['Water', 'Glycerin', 'Tocopherol']);
  });

  it('rejects shop text', () => {
    expect(parse('Visit the Dior boutique')).toMatchObject({ ok: false, code: 'shop-text' });
  });

  it('rejects placeholders', () => {
    expect(parse('No Info')).toMatchObject({ ok: false, code: 'placeholder' });
    expect(parse('#NAME?')).toMatchObject({ ok: false, code: 'placeholder' });
    expect(parse('   ')).toMatchObject({ ok: false, code: 'empty' });
  });

  it('rejects marketing descriptions', () => {
    const r = parse('-Niacinamide: reduces the look of pores. -Zinc PCA: helps control oil.');
    expect(r).toMatchObject({ ok: false, code: 'description' });
    if (!r.ok) expect(r.reason).toContain('not an INCI list');
  });

  it('keeps the real list that follows marketing bullets', () => {
    const r = parse('-Witch Hazel: Tightens pores. -Sage Extract: Purifies skin. Step one: Water, Glycerin, Niacinamide, Tocopherol, Zinc Oxide');
    if (!r.ok) throw new Error(r.reason);
    expect(names(r)).toEqual(['Water', 'Glycerin', 'Niacinamide', 'Tocopherol', 'Zinc Oxide']);
    expect(r.warnings.map((w) => w.code)).toContain('label-dropped');
  });

  it('splits on "(and)" joins', () => {
    expect(names(parse('Water** (and) Glycerin* (and) Niacinamide**. *Organic. **Natural.'))).toEqual(['Water', 'Glycerin', 'Niacinamide']);
  });

  it('accepts a single-material product such as a pure oil, even if unknown', () => {
    const r = parse('Calophyllum Tacamahaca Seed oil.');
    if (!r.ok) throw new Error(r.reason);
    expect(r.ingredients.map((i) => [i.name, i.ingredientId])).toEqual([['Calophyllum Tacamahaca Seed oil', null]]);
  });

  it('rejects a single unrecognised item', () => {
    expect(parse('* Hadasei-3')).toMatchObject({ ok: false, code: 'single-unknown' });
  });

  it('accepts a single known ingredient (a pure oil)', () => {
    expect(names(parse('100% Rosa Damascena Flower Oil.'))).toEqual(['Rosa Damascena Flower Oil']);
  });

  it('survives an unclosed bracket by splitting at every comma', () => {
    const r = parse('Water, Iron Oxides (CI 77491, Glycerin, Niacinamide');
    if (!r.ok) throw new Error(r.reason);
    expect(names(r)).toContain('Glycerin');
    expect(r.warnings.map((w) => w.code)).toContain('unbalanced-brackets');
  });
});
