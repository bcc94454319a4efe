import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../src/shared/api';
import { FormulatorService } from '../../../src/main/services/formulator-service';
import { previewCatalogFile } from '../../../src/main/import/preview';
import { tempDir, writeFixtureResources } from '../../helpers';

let dir: string;
let cleanup: () => void;
let service: FormulatorService;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir());
  service = await FormulatorService.open({ databasePath: join(dir, 'app.db'), resourcesDir: writeFixtureResources(dir) });
});
afterEach(() => {
  service.close();
  cleanup();
});

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const count = (table: string) => (service.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('importCatalog', () => {
  it('imports a CSV with a BOM and accounts for every row: read = imported + rejected', async () => {
    const path = file(
      'shop.csv',
      '\uFEFFLabel,Brand,Name,Price,Ingredients,Dry,Oily\n' +
        'Serum,Acme,Glow,30,"Water, Glycerin, Niacinamide",1,0\n' +
        'Cream,Acme,Rich,45,"Aqua (Water), Dimethicone, Glycerin, Tocopherol.",1,1\n' +
        'Mask,Acme,Mystery,20,Visit the Acme boutique,0,0\n' +
        'Mask,Acme,Blank,20,,0,0\n' +
        'Serum,Acme,Odd,12,"Water, Glycerine, Phenoxyethenol",0,1\n',
    );
    const report = await service.importCatalog({ path });
    expect(report.rowsRead).toBe(5);
    expect(report.rowsImported + report.rowsRejected).toBe(report.rowsRead);
    expect(report.productsInserted).toBe(3);
    expect(report.rejected.map((r) => [r.line, r.code, r.name])).toEqual([
      [4, 'shop-text', 'Mystery'],
      [5, 'empty', 'Blank'],
    ]);
    expect(report.rejected[0]!.reason).toContain('column "Ingredients"');
    expect(report.mapping).toMatchObject({ ingredients: 'Ingredients', name: 'Name', brand: 'Brand', category: 'Label', benefits: ['Dry', 'Oily'] });
    expect(report.encoding).toBe('utf-8');
    expect(report.warningCounts).toEqual({ misspelling: 1 });
    const rich = (await service.listProducts({ search: 'Rich' })).items[0]!;
    const detail = await service.getProduct({ id: rich.id });
    expect(detail.ingredients.map((i) => i.inci)).toEqual(['Water', 'Dimethicone', 'Glycerin', 'Tocopherol']);
    expect(detail.ingredients[0]!.functions).toEqual(['solvent']);
    expect(detail.benefits).toEqual([
      { benefit: 'Dry', value: 1, source: 'imported' },
      { benefit: 'Oily', value: 1, source: 'imported' },
    ]);
    expect(detail.extra).toEqual({ Price: '45' });
    expect(detail.sourceLine).toBe(3);
  });

  it('imports a catalog that has only an ingredients column', async () => {
    const report = await service.importCatalog({ path: file('bare.csv', 'INCI\n"Water, Glycerin"\n"Water, Niacinamide, Zinc Oxide"\n') });
    expect(report.productsInserted).toBe(2);
    const page = await service.listProducts({});
    expect(page.items.map((p) => [p.name, p.brand, p.ingredientCount])).toEqual([
      ['Unnamed product (line 2)', '', 2],
      ['Unnamed product (line 3)', '', 3],
    ]);
  });

  it('uses an explicit column mapping over auto-detection', async () => {
    const path = file('odd.tsv', 'Produkt\tHersteller\tZutaten\tScore\n"Gel"\tX\t"Water, Glycerin"\t0.7\n');
    const report = await service.importCatalog({ path, mapping: { name: 'Produkt', brand: 'Hersteller', ingredients: 'Zutaten', benefits: ['Score'] } });
    expect(report.delimiter).toBe('\t');
    const p = (await service.listProducts({})).items[0]!;
    expect([p.name, p.brand]).toEqual(['Gel', 'X']);
    expect((await service.getProduct({ id: p.id })).benefits).toEqual([{ benefit: 'Score', value: 0.7, source: 'imported' }]);
  });

  it('names the missing column when the mapping is wrong, and imports nothing', async () => {
    const path = file('m.csv', 'Name,Ingredients\nA,"Water, Glycerin"\n');
    await expect(service.importCatalog({ path, mapping: { ingredients: 'INCI list' } })).rejects.toThrow(
      /the mapping names column "INCI list" for ingredients, but the header has no such column; columns are: "Name", "Ingredients"/,
    );
    expect(count('products')).toBe(0);
    expect(count('catalogs')).toBe(0);
  });

  it('says what to do when there is no ingredients column', async () => {
    await expect(service.importCatalog({ path: file('n.csv', 'Name,Brand\nA,B\n') })).rejects.toThrow(/no ingredients column found in the header \(line 1\)/);
  });

  it('refuses a file without a header line, whose first product would be read as column names', async () => {
    const path = file('no-header.csv', 'Serum,Acme,"Water, Glycerin, Niacinamide",1\nCream,Acme,"Water, Dimethicone",0\n');
    await expect(service.importCatalog({ path })).rejects.toThrow(
      'no-header.csv: no ingredients column found in the header (line 1): line 1 reads as a product, not a header (its cell "Water, Glycerin, Niacinamide" is an ingredient list); add a first line naming the columns, e.g. Name,Brand,Ingredients. Nothing was imported.',
    );
    expect(count('catalogs')).toBe(0);
  });

  it('is all or nothing: a broken quote late in the file imports nothing', async () => {
    const good = Array.from({ length: 300 }, (_, i) => `P${i},"Water, Glycerin, Niacinamide"`).join('\n');
    const path = file('broken.csv', `Name,Ingredients\n${good}\nBad,"Water, Glycerin\n`);
    const error = await service.importCatalog({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiFailure);
    expect((error as Error).message).toBe('broken.csv, line 302: a quoted field opened on line 302 is never closed. Nothing was imported.');
    expect(count('products')).toBe(0);
    expect(count('catalogs')).toBe(0);
  });

  it('rejects a row with more fields than the header, naming the line', async () => {
    const report = await service.importCatalog({ path: file('wide.csv', 'Name,Ingredients\nA,"Water, Glycerin"\nB,Water,Glycerin,Extra\n') });
    expect(report.rejected).toEqual([
      { line: 3, code: 'too-many-fields', reason: 'row has 4 fields but the header has 2; check for an unquoted delimiter', name: '' },
    ]);
    expect(report.rowsRead).toBe(2);
  });

  it('flags duplicates and keeps them by default', async () => {
    const path = file('dup.csv', 'Brand,Name,Ingredients\nA,Gel,"Water, Glycerin"\na,GEL,"Water, Niacinamide"\nB,Other,"Aqua, Glycerine"\n');
    const report = await service.importCatalog({ path });
    expect(report.duplicates.map((d) => [d.line, d.kind, d.action])).toEqual([
      [3, 'same-brand-and-name', 'kept'],
      [4, 'same-ingredients', 'kept'],
    ]);
    expect(report.productsInserted).toBe(3);
  });

  it('merges duplicates when asked, including against products already in the database', async () => {
    const path = file('dup.csv', 'Brand,Name,Ingredients,Dry\nA,Gel,"Water, Glycerin",\nA,Gel,"Water, Glycerin",1\n');
    const first = await service.importCatalog({ path, duplicates: 'merge' });
    expect([first.productsInserted, first.rowsMerged, first.rowsImported]).toEqual([1, 1, 2]);
    const gel = (await service.listProducts({})).items[0]!;
    expect((await service.getProduct({ id: gel.id })).benefits).toEqual([{ benefit: 'Dry', value: 1, source: 'imported' }]);
    const again = await service.importCatalog({ path, duplicates: 'merge' });
    expect([again.productsInserted, again.rowsMerged]).toEqual([0, 2]);
    expect(again.duplicates[0]!.duplicateOf).toContain('already in the database');
    expect(count('products')).toBe(1);
  });

  it('reads semicolon-separated Windows-1252 with quoted newlines', async () => {
    const text = 'Nom;Ingrédients\r\nCrème;"Eau,\r\nGlycérine"\r\n';
    const bytes = Uint8Array.from([...text].map((c) => (c === 'é' ? 0xe9 : c === 'è' ? 0xe8 : c.charCodeAt(0))));
    const report = await service.importCatalog({ path: file('fr.csv', bytes) });
    expect([report.encoding, report.delimiter, report.productsInserted]).toEqual(['windows-1252', ';', 1]);
    const p = (await service.listProducts({})).items[0]!;
    expect(p.name).toBe('Crème');
    expect((await service.getProduct({ id: p.id })).ingredients.map((i) => i.inci)).toEqual(['Water', 'Glycerin']);
  });

  it('imports JSON with ingredient arrays and concentrations', async () => {
    const path = file(
      'c.json',
      JSON.stringify({ products: [{ name: 'J', ingredients: ['Water', 'Glycerin', 'Iron Oxides (CI 77491, CI 77492)'], concentrations: [90, 9.9, 0.1], hydration: 0.4 }] }),
    );
    const report = await service.importCatalog({ path });
    expect(report.format).toBe('json');
    const p = await service.getProduct({ id: (await service.listProducts({})).items[0]!.id });
    expect(p.ingredients.map((i) => [i.inci, i.percent, i.known])).toEqual([
      ['Water', 90, true], ['Glycerin', 9.9, true], ['Iron Oxides', 0.1, false],
    ]);
    expect(p.benefits).toEqual([{ benefit: 'hydration', value: 0.4, source: 'imported' }]);
  });

  it('refuses malformed JSON with a clear message', async () => {
    await expect(service.importCatalog({ path: file('bad.json', '{"products": [') })).rejects.toThrow(/bad\.json is not valid JSON .*Nothing was imported/);
    await expect(service.importCatalog({ path: file('bad2.json', '[{"name": "A", "ingredients": "Water"},\n{"name": "B", "ingredients": Water}]') })).rejects.toThrow(
      /^bad2\.json is not valid JSON \(product 2 \(line 2\): .+\)\. Nothing was imported\.$/,
    );
    await expect(service.importCatalog({ path: file('items.json', '{"items": []}') })).rejects.toThrow('items.json: expected an array of products, or an object with a "products" array. Nothing was imported.');
  });

  it('streams JSON: a field first met after the products the fields were judged on is kept as a plain field, with a warning', async () => {
    const products = Array.from({ length: 260 }, (_, i) => ({ name: `Stream ${i}`, ingredients: 'Water, Glycerin, Niacinamide', ...(i === 230 ? { spf: '30' } : {}) }));
    const report = await service.importCatalog({ path: file('late-field.json', JSON.stringify(products)) });
    expect(report.rowsImported).toBe(260);
    expect(report.warnings).toContainEqual({ line: 231, message: 'the field "spf" first appears in product 231, after the 200 products the fields were judged on; kept as a plain field' });
    const late = (await service.listProducts({ search: 'Stream 230' })).items[0]!;
    expect((await service.getProduct({ id: late.id })).extra).toEqual({ spf: '30' });
  });

  it('refuses a file that does not exist', async () => {
    await expect(service.importCatalog({ path: join(dir, 'nope.csv') })).rejects.toThrow(/does not exist/);
  });
});

describe('FormulatorService', () => {
  it('loads the sample catalog as an illustrative catalog', async () => {
    expect((await service.getStatus()).empty).toBe(true);
    const report = await service.loadSampleCatalog();
    expect(report.productsInserted).toBe(3);
    const catalogs = await service.listCatalogs();
    expect(catalogs).toMatchObject([{ name: 'Sample catalog (illustrative formulations)', productCount: 3, illustrative: true }]);
    expect((await service.getStatus()).empty).toBe(false);
    expect(await service.listCategories()).toEqual([
      { category: 'moisturiser', count: 1 },
      { category: 'serum', count: 1 },
      { category: 'sunscreen', count: 1 },
    ]);
  });

  it('lists brands for the catalog filter: case-insensitively grouped, empty brands left out', async () => {
    const csv = join(dir, 'brands.csv');
    writeFileSync(csv, 'Name,Brand,Ingredients\nOne,Acme,"Water, Glycerin"\nTwo,ACME,"Water, Squalane"\nThree,Other,"Water, Niacinamide"\nFour,,"Water, Panthenol"\n');
    await service.importCatalog({ path: csv });
    const brands = await service.listBrands();
    expect(brands.find((b) => b.brand.toLowerCase() === 'acme')?.count).toBe(2);
    expect(brands.find((b) => b.brand === 'Other')?.count).toBe(1);
    expect(brands.some((b) => b.brand === '')).toBe(false);
    expect((await service.listProducts({ brand: 'acme' })).items.map((p) => p.name).sort()).toEqual(['One', 'Two']);
  });

  it('rejects forged arguments with the field named', async () => {
    await expect(service.getProduct({ id: 'drop table' as unknown as number })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('field "id"') });
    await expect(service.listProducts({ limit: 10, evil: 1 } as never)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(service.getProduct({ id: 12345 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('looks ingredients up by synonym, misspelling and label text, and suggests near misses', async () => {
    expect(await service.lookupIngredient({ name: 'aqua' })).toMatchObject({ match: { inci: 'Water' }, matchedBy: 'synonym' });
    expect(await service.lookupIngredient({ name: 'Phenoxyethenol' })).toMatchObject({ match: { inci: 'Phenoxyethanol' }, matchedBy: 'misspelling' });
    expect(await service.lookupIngredient({ name: 'Zinc Oxide 17.1%' })).toMatchObject({ match: { inci: 'Zinc Oxide' }, matchedBy: 'parsed' });
    expect(await service.lookupIngredient({ name: 'Niacinamyde' })).toMatchObject({ match: null, suggestions: ['Niacinamide'] });
  });

  it('lets a user add an ingredient, which absorbs the same name seen earlier in a catalog', async () => {
    await service.importCatalog({ path: file('u.csv', 'Name,Ingredients\nA,"Water, Squalane, Glycerin"\n') });
    const before = await service.lookupIngredient({ name: 'Squalane' });
    expect(before.match?.origin).toBe('catalog');
    const saved = await service.saveIngredient({ inci: 'Squalane', functions: ['emollient'], synonyms: ['Olive Squalane'], concentration: 'above-1' });
    expect(saved).toMatchObject({ inci: 'Squalane', origin: 'user', functions: ['emollient'], synonyms: ['Olive Squalane'] });
    const p = await service.getProduct({ id: (await service.listProducts({})).items[0]!.id });
    expect(p.ingredients[1]).toMatchObject({ inci: 'Squalane', known: true, functions: ['emollient'] });
    expect((await service.lookupIngredient({ name: 'olive squalane' })).match?.id).toBe(saved.id);
  });

  it('keeps a user edit when the shipped knowledge base is synced again', async () => {
    const water = (await service.lookupIngredient({ name: 'Water' })).match!;
    await service.saveIngredient({ id: water.id, inci: 'Water', synonyms: ['Aqua', 'Eau', 'Purified Water'], functions: ['solvent'], note: 'my note' });
    service.close();
    service.db.close();
    const { syncKnowledgeBase } = await import('../../../src/main/db/queries/ingredients');
    const reopened = await FormulatorService.open({ databasePath: join(dir, 'app.db'), resourcesDir: join(dir, 'resources') });
    syncKnowledgeBase(reopened.db, { hash: 'changed', entries: [{ inci: 'Water', synonyms: ['Aqua'], functions: ['solvent'], note: 'shipped' }] });
    expect((await reopened.lookupIngredient({ name: 'Water' })).match).toMatchObject({ note: 'my note', origin: 'user' });
    service = reopened;
  });
});

describe('previewCatalogFile', () => {
  it('reads the head as the import would: encoding, delimiter, header, detected roles, first rows', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, 'semi.csv');
      writeFileSync(path, '\uFEFFProduct;Brand;INCI;Oily\nCream;Acme;"Aqua; Glycerin";1\nGel;Acme;Aqua;0\n');
      const preview = await previewCatalogFile({ path });
      expect(preview).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ';', header: ['Product', 'Brand', 'INCI', 'Oily'], problem: null });
      expect(preview.mapping).toMatchObject({ ingredients: 'INCI', name: 'Product', brand: 'Brand', benefits: ['Oily'] });
      expect(preview.rows).toEqual([
        ['Cream', 'Acme', 'Aqua; Glycerin', '1'],
        ['Gel', 'Acme', 'Aqua', '0'],
      ]);
    } finally {
      cleanup();
    }
  });

  it('names the problem and the columns when no ingredient column is found, and takes a mapping', async () => {
    const { dir, cleanup } = tempDir();
    try {
      // One item per cell reads as no list, and no header says ingredients: the person must choose.
      const path = join(dir, 'odd.csv');
      writeFileSync(path, 'Title,Formula\nCream,"Squalane"\n');
      const unmapped = await previewCatalogFile({ path });
      expect(unmapped.mapping).toBeNull();
      expect(unmapped.problem).toMatch(/"Title", "Formula"/);
      const mapped = await previewCatalogFile({ path, mapping: { ingredients: 'Formula' } });
      expect(mapped).toMatchObject({ problem: null, mapping: { ingredients: 'Formula', name: 'Title' } });
      await expect(previewCatalogFile({ path: join(dir, 'missing.csv') })).rejects.toThrow(/does not exist/);
    } finally {
      cleanup();
    }
  });
});
