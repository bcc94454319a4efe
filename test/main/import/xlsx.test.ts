import { writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { getLexiconEntries } from '../../../src/main/db/queries/ingredients';
import { importCatalog } from '../../../src/main/import/importer';
import { cellText, columnLetters, readXlsxRows } from '../../../src/main/import/xlsx';
import { IngredientLexicon } from '../../../src/shared/inci/lexicon';
import { countRows, openTestService } from '../../helpers';
import { writeCatalogWorkbook, writeSheet } from '../../fixtures/workbooks';

let dir: string;
let close: () => Promise<void>;
let service: FormulatorService;

beforeEach(async () => ({ service, dir, close } = await openTestService({ fixtureResources: true })));
afterEach(() => close());

describe('readXlsxRows', () => {
  it('types cells as the sheet does: text stays text, numbers numbers, dates dates, formulas their result', async () => {
    const path = await writeCatalogWorkbook(dir);
    const rows = [];
    for await (const r of readXlsxRows(path, { sheet: 'Products' })) rows.push(r);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows[2]!.cells).toEqual(['Acme', 'Rich', '0012', new Date(Date.UTC(2023, 4, 17)), 'Aqua (Water), Dimethicone, Glycerin', 0.5, 1]);
    expect(rows[3]!.cells.slice(0, 5)).toEqual(['Acme', 'Bold Serum', 'A-3', null, 'Water, Niacinamide']);
    expect(rows[4]!.errors).toEqual([{ column: 4, error: '#N/A' }]);
  });

  it('reads a workbook whose workbook part is stored last, every time, with its strings and dates (the stream races of exceljs issue 3064)', async () => {
    const path = await writeCatalogWorkbook(dir);
    for (let i = 0; i < 50; i++) {
      const rows = [];
      for await (const r of readXlsxRows(path, { sheet: 'Products' })) rows.push(r);
      expect(rows).toHaveLength(6);
      expect(rows[2]!.cells.slice(2, 4)).toEqual(['0012', new Date(Date.UTC(2023, 4, 17))]);
    }
  });

  it('reads dates of a workbook counting from 1904, and a formula\'s date result, as the same days', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('Dates');
    ws.addRow(['day', 'formula day']);
    ws.getCell('A2').value = new Date(Date.UTC(2021, 6, 14));
    ws.getCell('A2').numFmt = 'yyyy-mm-dd';
    // 2021-07-14 is serial 44391 counting from 1900, 42929 from 1904.
    ws.getCell('B2').value = { formula: 'A2', result: 42929 } as ExcelJS.CellFormulaValue;
    ws.getCell('B2').numFmt = 'yyyy-mm-dd';
    const path = join(dir, 'mac.xlsx');
    await wb.xlsx.writeFile(path);
    const rows = [];
    for await (const r of readXlsxRows(path)) rows.push(r);
    expect(rows[1]!.cells.map(cellText)).toEqual(['2021-07-14', '2021-07-14']);
  });

  it('writes cells as text without locale or coercion', () => {
    expect([cellText('0012'), cellText(0.1), cellText(1e21), cellText(true), cellText(null)]).toEqual(['0012', '0.1', '1e+21', 'TRUE', '']);
    expect(cellText(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(cellText(new Date(Date.UTC(2024, 1, 29, 13, 5, 9)))).toBe('2024-02-29T13:05:09');
    expect([columnLetters(0), columnLetters(25), columnLetters(26), columnLetters(701)]).toEqual(['A', 'Z', 'AA', 'ZZ']);
  });
});

describe('importCatalog from an Excel workbook', () => {
  it('imports the chosen sheet through the CSV path: same mapping, report and rejections with sheet, row and column', async () => {
    const path = await writeCatalogWorkbook(dir);
    const report = await service.importCatalog({ path, sheet: 'Products' });
    expect(report.format).toBe('xlsx');
    expect(report.sheet).toBe('Products');
    expect(report.rowsRead).toBe(5);
    expect(report.rowsImported + report.rowsRejected).toBe(report.rowsRead);
    expect(report.productsInserted).toBe(3);
    expect(report.mapping).toMatchObject({ ingredients: 'Ingredients', name: 'Name', brand: 'Brand', benefits: ['Dry', 'Oily'] });
    expect(report.rejected.map((r) => [r.line, r.code])).toEqual([
      [5, 'cell-error'],
      [6, 'shop-text'],
    ]);
    expect(report.rejected[0]!.reason).toBe('catalog.xlsx, sheet "Products", row 5, column E ("Ingredients"): the cell holds the error #N/A');
    const rich = (await service.listProducts({ search: 'Rich' })).items[0]!;
    const detail = await service.getProduct({ id: rich.id });
    expect(detail.extra).toEqual({ Code: '0012', Launched: '2023-05-17' });
    expect(detail.benefits).toEqual([
      { benefit: 'Dry', value: 0.5, source: 'imported' },
      { benefit: 'Oily', value: 1, source: 'imported' },
    ]);
    expect(detail.sourceLine).toBe(3);
    const serum = (await service.listProducts({ search: 'Bold Serum' })).items[0]!;
    expect((await service.getProduct({ id: serum.id })).ingredients.map((i) => i.inci)).toEqual(['Water', 'Niacinamide']);
  });

  it('reads the first sheet when none is chosen, and names the sheets when the chosen one is missing', async () => {
    const path = await writeCatalogWorkbook(dir);
    await expect(service.importCatalog({ path })).rejects.toThrow(/catalog\.xlsx, sheet "Notes": .*no ingredients column/);
    await expect(service.importCatalog({ path, sheet: 'Sheet1' })).rejects.toThrow('catalog.xlsx has no sheet named "Sheet1"; its sheets are "Notes", "Products". Nothing was imported.');
    expect(countRows(service.db, 'catalogs')).toBe(0);
  });

  it('previews a workbook with the names of its sheets', async () => {
    const path = await writeCatalogWorkbook(dir);
    const first = await service.previewImport({ path });
    expect(first.sheets).toEqual(['Notes', 'Products']);
    expect(first.sheet).toBe('Notes');
    const chosen = await service.previewImport({ path, sheet: 'Products' });
    expect(chosen.format).toBe('xlsx');
    expect(chosen.header).toEqual(['Brand', 'Name', 'Code', 'Launched', 'Ingredients', 'Dry', 'Oily']);
    expect(chosen.rows[1]).toEqual(['Acme', 'Rich', '0012', '2023-05-17', 'Aqua (Water), Dimethicone, Glycerin', '0.5', '1']);
    expect(chosen.mapping?.ingredients).toBe('Ingredients');
  });

  it('detects a workbook by content whatever its name, and refuses an old .xls and a fake .xlsx', async () => {
    const path = await writeSheet(dir, 'exported.csv', 'Data', [['Name', 'INCI'], ['Gel', 'Water, Glycerin']]);
    const report = await service.importCatalog({ path });
    expect([report.format, report.productsInserted]).toEqual(['xlsx', 1]);
    const ole = join(dir, 'old.xls');
    writeFileSync(ole, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    await expect(service.importCatalog({ path: ole })).rejects.toThrow(/old\.xls is an old binary Excel file \(\.xls\).*save it as an Excel workbook \(\.xlsx\) or as CSV/);
    const fake = join(dir, 'fake.xlsx');
    writeFileSync(fake, 'Name,INCI\nGel,"Water, Glycerin"\n');
    await expect(service.importCatalog({ path: fake })).rejects.toThrow(/fake\.xlsx is named as an Excel workbook but is not one/);
  });

  it('is all or nothing: a workbook cut short imports nothing', async () => {
    const rows = [['Name', 'INCI'], ...Array.from({ length: 2000 }, (_, i) => [`P${i}`, 'Water, Glycerin, Niacinamide'])];
    const path = await writeSheet(dir, 'big.xlsx', 'Data', rows);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(service.importCatalog({ path })).rejects.toThrow(/big\.xlsx.*Nothing was imported\./);
    expect(countRows(service.db, 'products')).toBe(0);
    expect(countRows(service.db, 'catalogs')).toBe(0);
  });

  it('stops when cancelled, closing the workbook and writing nothing', async () => {
    const rows = [['Name', 'INCI'], ...Array.from({ length: 20_000 }, (_, i) => [`P${i}`, 'Water, Glycerin, Niacinamide, Panthenol'])];
    const path = await writeSheet(dir, 'long.xlsx', 'Data', rows);
    const controller = new AbortController();
    const reports: number[] = [];
    const error = await importCatalog(service.db, new IngredientLexicon(getLexiconEntries(service.db)), {
      path,
      signal: controller.signal,
      onProgress: (p) => {
        reports.push(p.rows);
        controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('import cancelled; nothing was imported');
    expect(reports.length).toBeGreaterThan(0);
    expect(countRows(service.db, 'products')).toBe(0);
    expect(countRows(service.db, 'catalogs')).toBe(0);
  });
});
