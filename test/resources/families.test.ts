import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFamilies, loadKnowledgeFile } from '../../src/main/inci/knowledge';
import { familiesPath, knowledgeBasePath, resolveResourcesDir } from '../../src/main/resources';
import { familyMembership, type CompiledFamily } from '../../src/shared/briefs/families';

/** The shipped free-from families: each rule tested on names that belong and names that must not. */
const families = loadFamilies(familiesPath(resolveResourcesDir()));
const kb = loadKnowledgeFile(knowledgeBasePath(resolveResourcesDir()));
const byName = new Map(kb.entries.map((e) => [e.inci, e]));
const family = (id: string): CompiledFamily => families.find((f) => f.id === id)!;
/** As the app sees an ingredient: the knowledge base's entry when it has one, else the bare name (scraped spellings, new ingredients). */
const member = (id: string, name: string) => familyMembership(family(id), byName.get(name) ?? { inci: name }) !== null;

const cases: Record<string, { in: string[]; out: string[] }> = {
  silicones: {
    in: ['Dimethicone', 'Cyclopentasiloxane', 'Amodimethicone', 'Phenyl Trimethicone', 'Trimethylsiloxysilicate', 'Polysilicone-11', 'Dimethiconol', 'Caprylyl Methicone', 'Bis-Stearyl Dimethicone', 'Cyclomethicone'],
    out: ['Silica', 'Sodium Silicate', 'Magnesium Aluminum Silicate', 'Glycerin', 'Squalane'],
  },
  parabens: { in: ['Methylparaben', 'Propylparaben', 'Butylparaben', 'Sodium Methylparaben', 'Ethylparaben'], out: ['Phenoxyethanol', 'Benzoic Acid', 'Sodium Benzoate'] },
  'sulfate-surfactants': {
    in: ['Sodium Lauryl Sulfate', 'Sodium Laureth Sulfate', 'Ammonium Lauryl Sulfate', 'Ammonium Laureth Sulfate', 'Sodium Coco-Sulfate', 'TEA-Lauryl Sulfate', 'Sodium Myreth Sulfate', 'Sodium Trideceth Sulfate'],
    out: ['Magnesium Sulfate', 'Zinc Sulfate', 'Sodium Lauryl Sulfoacetate', 'Sodium C14-16 Olefin Sulfonate', 'Disodium Laureth Sulfosuccinate', 'Sodium Cocoyl Isethionate', 'Chondroitin Sulfate', 'Cocamidopropyl Betaine'],
  },
  fragrance: { in: ['Fragrance', 'Parfum', 'Parfum (Fragrance)', 'Aroma'], out: ['Sucralose', 'Bisabolol', 'Glycerin', 'Water'] },
  'fragrance-allergens': {
    in: ['Limonene', 'Linalool', 'Citronellol', 'Geraniol', 'Benzyl Alcohol', 'Coumarin', 'Hexyl Cinnamal', 'Butylphenyl Methylpropional', 'Evernia Prunastri Extract', 'Vanillin', 'Menthol', 'Camphor', 'Linalyl Acetate'],
    out: ['Phenoxyethanol', 'Ethylhexylglycerin', 'Benzoic Acid', 'Sodium Benzoate', 'Niacinamide'],
  },
  'essential-oils': {
    in: ['Lavandula Angustifolia Oil', 'Melaleuca Alternifolia Leaf Oil', 'Citrus Limon Peel Oil', 'Rosmarinus Officinalis Leaf Oil', 'Mentha Piperita Oil', 'Eucalyptus Globulus Leaf Oil', 'Pelargonium Graveolens Flower Oil', 'Santalum Album Oil', 'Tea Tree Oil', 'Lavandula Angustifolia (Lavender) Oil'],
    out: ['Helianthus Annuus Seed Oil', 'Simmondsia Chinensis Seed Oil', 'Argania Spinosa Kernel Oil', 'Olea Europaea Fruit Oil', 'Rosa Canina Fruit Oil', 'Squalane', 'Mineral Oil', 'Calendula Officinalis Flower Oil'],
  },
  'drying-alcohols': { in: ['Alcohol', 'Alcohol Denat.', 'SD Alcohol 40-B', 'Isopropyl Alcohol'], out: ['Cetyl Alcohol', 'Cetearyl Alcohol', 'Stearyl Alcohol', 'Behenyl Alcohol', 'Benzyl Alcohol', 'Phenethyl Alcohol', 'Lanolin Alcohol'] },
  ethoxylated: {
    in: ['PEG-100 Stearate', 'PEG-40 Hydrogenated Castor Oil', 'Ceteareth-20', 'Steareth-21', 'Polysorbate 20', 'Poloxamer 407', 'Laureth-7', 'Sodium Laureth Sulfate', 'PEG/PPG-18/18 Dimethicone', 'C12-14 Pareth-12'],
    out: ['Glyceryl Stearate', 'Polyglyceryl-4 Caprate', 'Cetearyl Olivate', 'Sorbitan Olivate', 'Sodium Lauryl Sulfate', 'Lecithin'],
  },
  'mineral-oil-petrolatum': { in: ['Mineral Oil', 'Paraffinum Liquidum', 'Petrolatum', 'Paraffin', 'Microcrystalline Wax', 'Ozokerite', 'Ceresin'], out: ['Squalane', 'Isohexadecane', 'Hydrogenated Polyisobutene', 'Cera Alba'] },
  'formaldehyde-releasers': { in: ['DMDM Hydantoin', 'Imidazolidinyl Urea', 'Diazolidinyl Urea', 'Quaternium-15', '2-Bromo-2-Nitropropane-1,3-Diol', 'Sodium Hydroxymethylglycinate'], out: ['Phenoxyethanol', 'Urea', 'Hydantoin', 'Allantoin', 'Methylisothiazolinone'] },
  'organic-uv-filters': {
    in: ['Butyl Methoxydibenzoylmethane', 'Ethylhexyl Methoxycinnamate', 'Octocrylene', 'Benzophenone-3', 'Homosalate', 'Ethylhexyl Salicylate', 'Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine', 'Avobenzone', 'Diethylamino Hydroxybenzoyl Hexyl Benzoate', 'Ethylhexyl Triazone'],
    out: ['Zinc Oxide', 'Titanium Dioxide', 'Tocopherol', 'Niacinamide'],
  },
  'animal-derived': {
    in: ['Lanolin', 'Cera Alba', 'Beeswax', 'Honey', 'Mel', 'Carmine', 'Hydrolyzed Collagen', 'Snail Secretion Filtrate', 'Hydrolyzed Silk', 'Royal Jelly Extract', 'Milk', 'Keratin'],
    out: ['Lactic Acid', 'Sodium Lactate', 'Soy Milk', 'Silybum Marianum Extract', 'Albizia Julibrissin Bark Extract', 'Squalane', 'Glycerin', 'Candelilla Cera'],
  },
};

describe('free-from families', () => {
  it('ships the twelve families a free-from claim needs, each with a description', () => {
    expect(families.map((f) => f.id).sort()).toEqual(Object.keys(cases).sort());
    for (const f of families) expect(f.description.length).toBeGreaterThan(30);
  });

  for (const [id, { in: members, out }] of Object.entries(cases)) {
    it(`${id}: decides membership by its rule`, () => {
      expect(members.filter((n) => !member(id, n))).toEqual([]);
      expect(out.filter((n) => member(id, n))).toEqual([]);
    });
  }

  it('says why an ingredient belongs: listed, a name pattern, or its functional class', () => {
    expect(familyMembership(family('parabens'), { inci: 'Methylparaben' })).toMatch(/matches \/paraben/);
    expect(familyMembership(family('mineral-oil-petrolatum'), { inci: 'Mineral Oil' })).toBe('listed');
    expect(familyMembership(family('silicones'), { inci: 'Some New Silicone Resin X', functions: ['silicone'] })).toMatch(/matches|classes it as silicone/);
    expect(familyMembership(family('silicones'), { inci: 'Novel Film Former', functions: ['silicone'] })).toBe('the knowledge base classes it as silicone');
    expect(familyMembership(family('parabens'), { inci: 'Nipagin', synonyms: ['Methylparaben'] })).toMatch(/Methylparaben matches/);
  });

  it('covers the knowledge base: every family has members in it', () => {
    for (const f of families) expect(kb.entries.filter((e) => familyMembership(f, e) !== null).length, f.id).toBeGreaterThanOrEqual(4);
  });

  it('refuses a family file with a bad pattern or a repeated id, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'families-'));
    const write = (families: unknown[]) => {
      const path = join(dir, `f${Math.random()}.json`);
      writeFileSync(path, JSON.stringify({ version: 1, notice: 'test', families }));
      return path;
    };
    const ok = { id: 'a', name: 'A', description: 'a family', rule: { patterns: ['x'] } };
    expect(() => loadFamilies(write([{ ...ok, rule: { patterns: ['(unclosed'] } }]))).toThrow(/family "a": the pattern "\(unclosed" is not a valid regular expression/);
    expect(() => loadFamilies(write([ok, ok]))).toThrow(/the id "a" is used twice/);
    expect(() => loadFamilies(write([{ ...ok, rule: { functions: ['magic'] } }]))).toThrow(/families\.0\.rule\.functions\.0/);
  });
});
