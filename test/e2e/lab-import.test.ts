import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { writeCatalogWorkbook } from '../fixtures/workbooks';
import { shots, useBrowserApp } from './harness';

/**
 * Excel in a real browser against the real services: past lab results imported from a chosen
 * sheet of a workbook through "Import results…" (preview, sheet choice, report with the rejected
 * row), and the lab results and the shortlist downloaded as .xlsx beside the CSV.
 * Screenshots go to test-output/e2e/lab-import-*.png.
 */
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let consoleErrors: string[] = [];
let workbookPath = '';
let catalogPath = '';
/** What the stand-in Open dialog answers: the results workbook first, then the catalog workbook. */
let picked = (): string => workbookPath;

/** A workbook with a notes sheet first and the results on sheet "Results": two good rows and one with a text value. */
async function writeHistory(dir: string, productName: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Notes').addRow(['Viscosity panel, 2019']);
  const ws = wb.addWorksheet('Results');
  ws.addRow(['Formulation', 'Property', 'Value', 'Unit', 'Date', 'Notes']);
  ws.addRow([productName, 'Viscosity', 1500, 'mPa·s', new Date(Date.UTC(2019, 4, 2)), 'batch 1']);
  ws.addRow(['Water, Glycerin, Niacinamide', 'Viscosity', 900, 'mPa·s', new Date(Date.UTC(2019, 4, 3)), '']);
  ws.addRow([productName, 'Viscosity', 'thick', 'mPa·s', new Date(Date.UTC(2019, 4, 4)), '']);
  workbookPath = join(dir, 'history.xlsx');
  await wb.xlsx.writeFile(workbookPath);
}

useBrowserApp(
  {
    prepare: async (service, dir) => {
      await service.loadSampleCatalog();
      const product = (await service.listProducts({ limit: 1 })).items[0]!;
      await writeHistory(dir, `${product.brand} ${product.name}`);
      catalogPath = await writeCatalogWorkbook(dir);
      await service.saveCandidate({ name: '=1+1 serum', declaration: 'Water, Glycerin, Panthenol' });
    },
    importFromDataFolder: true,
    pickImportFile: () => picked(),
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  },
  (app) => ({ service, server, page, errors: consoleErrors } = app),
);

async function readWorkbook(path: string): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb.worksheets[0]!;
}

describe('Excel in the Lab & BO and Shortlist views', () => {
  it('imports past results from a chosen sheet with "Import results…", reporting the rejected row', { timeout: 60_000 }, async () => {
    await page.goto(server.url);
    await page.getByTestId('nav-lab').click();
    await expect.poll(() => page.getByTestId('lab-empty').count()).toBe(1);
    await page.getByTestId('lab-import').click();
    const panel = page.getByTestId('lab-import-panel');
    await panel.getByTestId('lab-import-choose').click();
    const sheet = panel.getByTestId('lab-import-sheet');
    await expect.poll(() => sheet.count(), { timeout: 15_000 }).toBe(1);
    expect(await sheet.locator('option').allTextContents()).toEqual(['Notes', 'Results']);
    // The first sheet holds no results: the panel says what is missing and will not import.
    await expect.poll(() => panel.getByRole('alert').textContent()).toContain('no property or value column');
    await sheet.selectOption('Results');
    await expect.poll(() => panel.getByTestId('lab-import-columns').textContent()).toContain('Formulation (name or list) ← “Formulation”');
    expect(await panel.getByTestId('lab-import-columns').textContent()).toContain('Date ← “Date”');
    await page.screenshot({ path: join(shots, 'lab-import-1-preview.png') });
    await panel.getByTestId('lab-import-run').click();
    await expect.poll(() => panel.getByTestId('lab-import-report').textContent()).toContain('3 rows read: 2 imported, 1 rejected');
    expect(await panel.getByTestId('lab-import-report').textContent()).toContain('(1 new from ingredient lists)');
    expect(await panel.getByTestId('lab-import-rejected').locator('tbody tr').textContent()).toMatch(/^4column C \("Value"\): "thick" is not a number$/);
    await expect.poll(() => page.getByTestId('lab-count').textContent()).toBe('2 results');
    await page.screenshot({ path: join(shots, 'lab-import-2-report.png') });
    const stored = (await service.listLabResults({ property: 'Viscosity' })).items;
    expect(stored.map((r) => [r.value, r.measuredOn, r.subject.kind])).toEqual([
      [900, '2019-05-03', 'candidate'],
      [1500, '2019-05-02', 'product'],
    ]);
  });

  it('downloads the lab results as .xlsx with typed cells beside the CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lab-export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^lab-results-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const sheet = await readWorkbook(await download.path());
    expect(sheet.name).toBe('Lab results');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toContain('measured_on');
    const values = [2, 3].map((r) => sheet.getRow(r).getCell(header.indexOf('value') + 1).value);
    expect(values.sort()).toEqual([1500, 900]);
    expect(sheet.getRow(2).getCell(header.indexOf('measured_on') + 1).value).toBeInstanceOf(Date);
    await expect.poll(() => page.getByTestId('lab-notice').textContent()).toContain('Downloaded 2 results as lab-results-');
  });

  it('downloads the selected candidates as .xlsx, a formula-like name kept as text', async () => {
    await page.getByTestId('nav-shortlist').click();
    const row = page.locator('[data-testid=shortlist-table] tbody tr', { hasText: '=1+1 serum' });
    await row.getByRole('checkbox').check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('shortlist-export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^shortlist-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const sheet = await readWorkbook(await download.path());
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const name = sheet.getRow(2).getCell(2);
    expect([name.value, name.type, name.formula]).toEqual(['=1+1 serum', ExcelJS.ValueType.String, undefined]);
    expect(consoleErrors).toEqual([]);
  });

  it('imports a catalog from the chosen sheet of a workbook through the import wizard', async () => {
    picked = () => catalogPath;
    await page.getByTestId('nav-catalog').click();
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    const sheet = page.getByTestId('import-sheet');
    await expect.poll(() => sheet.count(), { timeout: 15_000 }).toBe(1);
    expect(await sheet.locator('option').allTextContents()).toEqual(['Notes', 'Products']);
    await expect.poll(() => page.getByTestId('mapping-problem').textContent()).toContain('no ingredients column');
    await sheet.selectOption('Products');
    await expect.poll(() => page.getByTestId('import-preview').locator('tbody tr').count()).toBe(5);
    expect(await page.getByTestId('import-preview').locator('tbody tr').nth(1).textContent()).toContain('0012');
    await page.screenshot({ path: join(shots, 'lab-import-3-wizard-sheet.png') });
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toMatch(/^5 rows read · 3 imported/);
    expect(consoleErrors).toEqual([]);
  });
});
