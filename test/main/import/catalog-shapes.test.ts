import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ColumnChoice, ImportReport } from '../../../src/shared/api';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { sephoraCsvPath } from '../../data';
import { openTestService } from '../../helpers';

/**
 * Catalogs in the shapes people have, each a fixture of test/fixtures/catalogs imported through
 * the real importer and the shipped knowledge base: the ingredients column found by content
 * whatever its header, list literals in every shape (kits split into parts), and the roles of
 * the other columns (identifiers, prices, counts, ratings are plain fields; flags and 0–1 or
 * 0–10 columns are scores; the most specific category wins).
 */
const fixture = (name: string) => join(process.cwd(), 'test', 'fixtures', 'catalogs', name);

let service: FormulatorService;
let close: () => Promise<void>;
let dir: string;
beforeEach(async () => {
  ({ service, close, dir } = await openTestService());
});
afterEach(() => close());

/** Each column's role, by column. */
const roles = (columns: readonly ColumnChoice[]) => Object.fromEntries(columns.map((c) => [c.column, c.role]));
const reasonOf = (report: ImportReport, column: string) => report.columns.find((c) => c.column === column)!.reason;

async function products(): Promise<{ name: string; brand: string; category: string; line: number | null }[]> {
  const page = await service.listProducts({ limit: 100 });
  return Promise.all(page.items.map(async (p) => {
    const d = await service.getProduct({ id: p.id });
    return { name: d.name, brand: d.brand, category: d.category, line: d.sourceLine };
  }));
}

describe('the ingredients column is found by content', () => {
  it('French "Composition" (semicolons, decimal commas) beats a prose column with commas', async () => {
    const report = await service.importCatalog({ path: fixture('composition-fr.csv') });
    expect([report.rowsRead, report.rowsImported, report.rowsRejected, report.delimiter]).toEqual([5, 4, 1, ';']);
    expect(report.mapping).toMatchObject({ ingredients: 'Composition', name: 'Nom', brand: 'Marque', category: 'Catégorie', benefits: ['Peau sèche', 'Peau grasse'] });
    expect(report.columns[0]).toMatchObject({ column: 'Composition', role: 'ingredients', evidence: { sampled: 5, lists: 4 } });
    expect(reasonOf(report, 'Composition')).toMatch(/^80 % of 5 sampled cells read as ingredient lists, 100 % of their names known/);
    expect(roles(report.columns)).toMatchObject({ Description: 'field', Prix: 'field', 'Peau sèche': 'benefit' });
    expect(reasonOf(report, 'Prix')).toBe('a price: never a benefit score unless the mapping says so');
    expect(report.rejected.map((r) => [r.line, r.name])).toEqual([[6, 'Échantillon']]);
  });

  it('German "Inhaltsstoffe": rating and review count stay plain fields, 0/1 and 0–10 columns are scores', async () => {
    const report = await service.importCatalog({ path: fixture('inhaltsstoffe-de.csv') });
    expect([report.rowsRead, report.rowsImported, report.rowsRejected]).toEqual([4, 4, 0]);
    expect(report.mapping).toMatchObject({ ingredients: 'Inhaltsstoffe', name: 'Produktname', brand: 'Hersteller', category: 'Kategorie', benefits: ['Trockene Haut', 'Feuchtigkeit'] });
    expect(roles(report.columns)).toMatchObject({ Preis: 'field', Bewertung: 'field', 'Anzahl Bewertungen': 'field', 'Trockene Haut': 'benefit', Feuchtigkeit: 'benefit' });
    expect(reasonOf(report, 'Bewertung')).toMatch(/^a rating or rank/);
    expect(reasonOf(report, 'Anzahl Bewertungen')).toMatch(/^a count/);
    expect(reasonOf(report, 'Trockene Haut')).toBe('0/1 flags: a score');
    expect(reasonOf(report, 'Feuchtigkeit')).toBe('numbers within 0–10 (3–9): a score');
    const cream = (await service.listProducts({ search: 'Nachtcreme' })).items[0]!;
    const detail = await service.getProduct({ id: cream.id });
    expect(detail.benefits.map((b) => [b.benefit, b.value])).toEqual([['Feuchtigkeit', 9], ['Trockene Haut', 1]]);
    expect(detail.extra).toEqual({ Preis: '18.5', Bewertung: '4.8', 'Anzahl Bewertungen': '2210' });
  });

  it('a header-less-looking "col7" holds the lists; ids, prices and counts by content are not scores', async () => {
    const report = await service.importCatalog({ path: fixture('numbered-columns.csv') });
    expect([report.rowsRead, report.rowsImported, report.rowsRejected]).toEqual([5, 4, 1]);
    expect(report.mapping).toMatchObject({ ingredients: 'col7', benefits: ['col6', 'col8'] });
    expect(report.mapping.name).toBeUndefined();
    expect(roles(report.columns)).toEqual({ col7: 'ingredients', col1: 'field', col2: 'field', col3: 'field', col4: 'field', col5: 'field', col6: 'benefit', col8: 'benefit' });
    expect(reasonOf(report, 'col7')).toMatch(/^80 % of 5 sampled cells read as ingredient lists, 100 % of their names known/);
    expect(reasonOf(report, 'col1')).toBe('numbers from 100,231–100,235, outside 0–10: not a score (a count, price or identifier)');
    expect(reasonOf(report, 'col5')).toBe('numbers from 3–22,980, outside 0–10: not a score (a count, price or identifier)');
    expect(reasonOf(report, 'col6')).toBe('numbers within 0–10 (0–9.5): a score');
    expect(report.rejected.map((r) => [r.line, r.code])).toEqual([[6, 'placeholder']]);
  });

  it('a column named "Ingredients" that holds claims loses to the column of real lists', async () => {
    const report = await service.importCatalog({ path: fixture('misleading-header.csv') });
    expect([report.rowsRead, report.rowsImported, report.rowsRejected]).toEqual([3, 3, 0]);
    expect(report.mapping).toMatchObject({ ingredients: 'Formula', name: 'Name', brand: 'Brand', category: 'Category', extra: ['Ingredients'] });
    expect(reasonOf(report, 'Formula')).toMatch(/^100 % of 3 sampled cells read as ingredient lists/);
  });

  it('the mapping still decides last', async () => {
    const report = await service.importCatalog({ path: fixture('numbered-columns.csv'), mapping: { ingredients: 'col7', name: 'col2', brand: 'col3', benefits: ['col8'] } });
    expect(report.mapping).toMatchObject({ ingredients: 'col7', name: 'col2', brand: 'col3', benefits: ['col8'] });
    expect(reasonOf(report, 'col7')).toMatch(/^chosen in the mapping; 80 % of 5 sampled cells/);
    expect((await products()).map((p) => p.name).sort()).toEqual(['Barrier Cream', 'Clear Toner', 'Hydra Serum', 'Vitamin Drops']);
  });

  it('a column the mapping gives a role is not detected for another one', async () => {
    const preview = await service.previewImport({ path: fixture('misleading-header.csv'), mapping: { category: 'Brand' } });
    expect(preview.mapping).toMatchObject({ ingredients: 'Formula', name: 'Name', brand: undefined, category: 'Brand', extra: ['Ingredients', 'Category'] });
    expect(preview.columns.find((c) => c.column === 'Brand')).toMatchObject({ role: 'category', reason: 'chosen in the mapping' });
  });

  it('the preview says why it chose the column', async () => {
    const preview = await service.previewImport({ path: fixture('misleading-header.csv') });
    expect(preview.mapping?.ingredients).toBe('Formula');
    expect(preview.columns[0]).toMatchObject({ column: 'Formula', role: 'ingredients', evidence: { sampled: 3, lists: 3, names: 16, known: 16 } });
    expect(preview.columns[0]!.reason).toBe('100 % of 3 sampled cells read as ingredient lists, 100 % of their names known');
  });
});

describe('list literals in every shape, kits split into parts', () => {
  it('a scraped CSV: one element per ingredient, a single-element declaration, kits of header and declaration', async () => {
    const report = await service.importCatalog({ path: fixture('python-lists-kits.csv') });
    // 6 rows; two kits became 2 + 3 parts; the kit's "Mask" part is shop text, rejected on its own.
    expect([report.rowsRead, report.rowsSplit, report.partsCreated, report.rowsImported, report.rowsRejected]).toEqual([6, 2, 5, 8, 1]);
    expect(report.rowsImported + report.rowsRejected).toBe(report.rowsRead - report.rowsSplit + report.partsCreated);
    expect(report.rejected).toEqual([
      { line: 5, code: 'shop-text', reason: 'column "full_ingredients": "Visit the Glowhaus boutique" is shop text, not an ingredient list', name: 'Trio Travel Set — Mask' },
    ]);
    // The travel set's cleanser and cream repeat products already read: duplicates per part.
    expect(report.duplicates.map((d) => [d.line, d.name, d.kind])).toEqual([
      [5, 'Trio Travel Set — Cleanser', 'same-ingredients'],
      [5, 'Trio Travel Set — Cream', 'same-ingredients'],
    ]);
    const byName = Object.fromEntries((await products()).map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual([
      'Clear Pads', 'Cloud Cream', 'Daily Duo Kit — Cleanser', 'Daily Duo Kit — Toner', 'Dew Serum', 'Lip Oil', 'Trio Travel Set — Cleanser', 'Trio Travel Set — Cream',
    ]);
    expect(byName['Daily Duo Kit — Toner']!.line).toBe(4);
    const toner = await service.getProduct({ id: (await service.listProducts({ search: 'Daily Duo Kit — Toner' })).items[0]!.id });
    expect(toner.ingredients.map((i) => i.inci)).toEqual(['Water', 'Glycerin', 'Niacinamide', 'Allantoin', 'Panthenol']);
    const cream = await service.getProduct({ id: (await service.listProducts({ search: 'Cloud Cream' })).items[0]!.id });
    expect(cream.ingredients.map((i) => i.inci)).toEqual(['Water', 'Glycerin', 'Cetearyl Alcohol', 'Dimethicone', 'Tocopherol', 'Phenoxyethanol']);
  });

  it('identifiers, counts, ratings, prices and shop flags stay plain fields; the most specific category wins per row', async () => {
    const report = await service.importCatalog({ path: fixture('python-lists-kits.csv') });
    expect(report.mapping).toMatchObject({
      ingredients: 'full_ingredients', name: 'product_name', brand: 'brand_name',
      category: 'tertiary_category', categoryFallbacks: ['secondary_category', 'primary_category'], benefits: [],
    });
    expect(roles(report.columns)).toMatchObject({
      product_id: 'field', loves_count: 'field', rating: 'field', reviews: 'field', price_usd: 'field', limited_edition: 'field', sephora_exclusive: 'field', highlights: 'field',
      tertiary_category: 'category', secondary_category: 'category-fallback', primary_category: 'category-fallback',
    });
    expect(reasonOf(report, 'limited_edition')).toMatch(/^a shop flag/);
    expect(reasonOf(report, 'product_id')).toMatch(/^an identifier/);
    const category = Object.fromEntries((await products()).map((p) => [p.name, p.category]));
    expect(category).toMatchObject({ 'Dew Serum': 'Face Serums', 'Daily Duo Kit — Toner': 'Value & Gift Sets', 'Clear Pads': 'Treatments', 'Lip Oil': 'Makeup' });
  });

  it('the mapping chooses the category levels, and fallbacks still fill empty cells', async () => {
    const report = await service.importCatalog({ path: fixture('python-lists-kits.csv'), mapping: { category: 'secondary_category', categoryFallbacks: ['primary_category'] } });
    expect(report.mapping).toMatchObject({ category: 'secondary_category', categoryFallbacks: ['primary_category'], extra: expect.arrayContaining(['tertiary_category']) });
    const category = Object.fromEntries((await products()).map((p) => [p.name, p.category]));
    expect(category).toMatchObject({ 'Dew Serum': 'Treatments', 'Cloud Cream': 'Moisturizers', 'Lip Oil': 'Makeup' });
  });

  it('a JSON catalog: arrays per ingredient, a single-element declaration, a kit; "Ingrédients" found by content', async () => {
    const report = await service.importCatalog({ path: fixture('list-shapes.json') });
    expect([report.rowsRead, report.rowsSplit, report.partsCreated, report.rowsImported, report.rowsRejected]).toEqual([4, 1, 3, 6, 0]);
    expect(report.mapping).toMatchObject({ ingredients: 'Ingrédients', name: 'title', brand: 'brand', category: 'product_type', benefits: ['hydration', 'soothing'] });
    expect(roles(report.columns)).toMatchObject({ id: 'field', sku: 'field', price: 'field' });
    expect(report.duplicates.map((d) => [d.line, d.name, d.kind])).toEqual([[3, 'Evening Kit — Eye Gel', 'same-ingredients']]);
    const names = (await products()).map((p) => p.name).sort();
    expect(names).toEqual(['Calm Mist', 'Evening Kit — Eye Gel', 'Evening Kit — Night Cream', 'Evening Kit — Oil Cleanser', 'Soft Cleanser', 'Water Gel']);
    const gel = await service.getProduct({ id: (await service.listProducts({ search: 'Water Gel' })).items[0]!.id });
    expect(gel.ingredients.map((i) => i.inci)).toEqual(['Water', 'Glycerin', 'Sodium Hyaluronate', 'Carbomer', 'Phenoxyethanol']);
    expect(gel.benefits.map((b) => [b.benefit, b.value])).toEqual([['hydration', 0.9], ['soothing', 0.4]]);
  });
});

describe('the public catalog without its header words', () => {
  it('sephora_cosmetics.csv with its header replaced by col1…col11 imports the same rows from the same column', async () => {
    const named = await service.importCatalog({ path: sephoraCsvPath() });
    const text = readFileSync(sephoraCsvPath(), 'utf8');
    const body = text.slice(text.indexOf('\n'));
    const path = join(dir, 'sephora-numbered.csv');
    writeFileSync(path, `${Array.from({ length: 11 }, (_, i) => `col${i + 1}`).join(',')}${body}`);
    const numbered = await service.importCatalog({ path });
    expect(numbered.mapping.ingredients).toBe('col6');
    expect([numbered.rowsRead, numbered.rowsImported, numbered.rowsRejected]).toEqual([named.rowsRead, named.rowsImported, named.rowsRejected]);
    expect(numbered.rejectedByReason).toEqual(named.rejectedByReason);
    // Price (3–23 in the sampled rows) reaches outside 0–10, so a plain field by content; the 0–5 rank
    // and the 0/1 skin types read as scores, as a header-less 0–5 column must.
    expect(numbered.mapping.benefits).toEqual(['col5', 'col7', 'col8', 'col9', 'col10', 'col11']);
    expect(numbered.columns.find((c) => c.column === 'col4')!.reason).toMatch(/^numbers from [\d.]+–[\d,.]+, outside 0–10: not a score/);
  });
});
