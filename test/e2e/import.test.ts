import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startPreviewServer, type PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * The import wizard in a real browser against the real services: choose a file (the desktop
 * app's Open dialog, stood in for by the preview's hook), see which column holds the ingredient
 * lists and why, change a role, import, read the report with the rejected rows and the kit split
 * into parts, save it as CSV; and the preview's
 * typed path when there is no dialog.
 */
let dir: string;
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let picked: string | null = null;
let consoleErrors: string[] = [];

useBrowserApp({ importFromDataFolder: true, pickImportFile: () => picked, acceptDownloads: true }, (app) => ({ service, dir, server, page, errors: consoleErrors } = app));

describe('import wizard in the browser', () => {
  it('finds the ingredient column by content and says why, takes a mapping, splits a kit, and reports the rejected rows', async () => {
    picked = join(dir, 'lab-catalog.csv');
    writeFileSync(
      picked,
      [
        'Title;Maker;Formula;Dry skin',
        'Night Cream;Acme;"Aqua; Glycerin; Cetearyl Alcohol; Phenoxyethanol";1',
        'Empty Row;Acme;;0',
        'Toner;Acme;"Aqua; Niacinamide; Glycerin";0',
        '=HYPERLINK("x");Acme;"Aqua; Glycerin";1',
        "Duo;Acme;\"['Cleanser:', 'Aqua, Glycerin, Cocamidopropyl Betaine', 'Serum:', 'Aqua, Niacinamide, Panthenol']\";0",
      ].join('\n'),
    );
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Import CSV…' }).click();
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await page.getByTestId('import-preview').waitFor();
    // No header says "ingredients": the column is found by what its cells hold.
    await expect.poll(() => page.getByTestId('ingredients-reason').textContent()).toMatch(/^Ingredients: column 'Formula' — 80 % of 5 sampled cells read as ingredient lists, \d+ % of their names known$/);
    expect(await page.getByTestId('mapping-problem').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid=import-preview] th').allTextContents()).toEqual(['TitleProduct name', 'MakerBrand', 'FormulaIngredient list', 'Dry skinBenefit score']);
    await page.screenshot({ path: join(shots, 'import-01-detected.png') });
    // The mapping decides last: "Maker" as the category is no longer the brand.
    await page.getByLabel('Category').selectOption('Maker');
    await expect.poll(() => page.locator('[data-testid=import-preview] th').allTextContents()).toEqual(['TitleProduct name', 'MakerCategory', 'FormulaIngredient list', 'Dry skinBenefit score']);
    await page.screenshot({ path: join(shots, 'import-02-mapped.png') });
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toMatch(/^5 rows read · 5 imported \(5 new, 0 merged\) · 1 rejected/);
    expect(await page.getByTestId('import-kits').textContent()).toMatch(/^1 row was a kit, split into 2 products/);
    expect(await page.getByTestId('import-ingredients-reason').textContent()).toMatch(/^Ingredients: column 'Formula' — 80 % of 5 sampled cells/);
    const rejected = await page.locator('[data-testid=import-rejected] tbody tr').allTextContents();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(/^3Empty Row.*ingredient/i);
    await page.screenshot({ path: join(shots, 'import-03-report.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-report').click()]);
    const saved = readFileSync(await download.path(), 'utf8');
    expect(saved.startsWith('\uFEFFkind,line,code,reason or suggestion,name\r\n')).toBe(true);
    expect(saved).toMatch(/rejected row,3,[^,]+,.*,Empty Row/);
    expect(saved).toMatch(/\r\ncolumn,,ingredients,"80 % of 5 sampled cells read as ingredient lists, [^"]*",Formula\r\n/);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('catalog-table').waitFor();
    await expect.poll(() => page.getByTestId('product-count').textContent()).toMatch(/^5 products/);
    expect((await service.listProducts({ search: 'Duo — Serum' })).items[0]).toMatchObject({ name: 'Duo — Serum', category: 'Acme', brand: '' });
    // A formula-looking name is text in the app, never evaluated.
    expect((await service.listProducts({ search: 'HYPERLINK' })).items[0]?.name).toBe('=HYPERLINK("x")');
  });

  it('imports nothing when the dialog is cancelled, and refuses a file outside the import folders', async () => {
    picked = null;
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await expect.poll(() => page.getByTestId('import-wizard').textContent()).toContain('Choose a file…');
    expect(await page.getByTestId('import-preview').count()).toBe(0);
    picked = '/etc/hostname';
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/outside the folders/);
  });

  it('offers a typed path in a preview without a file dialog', async () => {
    const bare = await startPreviewServer({ api: service, staticDir: join(process.cwd(), 'out', 'renderer'), importRoots: [dir] });
    try {
      const other = join(dir, 'second.csv');
      writeFileSync(other, 'Name,Ingredients\nSerum,"Water, Glycerin, Niacinamide"\n');
      await page.goto(bare.url);
      await page.getByRole('button', { name: 'Import…' }).click();
      await page.getByRole('button', { name: 'Choose a file…' }).click();
      await page.getByTestId('import-path').fill(other);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByTestId('import-run').click();
      await expect.poll(() => page.getByTestId('import-summary').textContent()).toMatch(/^1 rows read · 1 imported/);
    } finally {
      await bare.close();
    }
  });

  it('logged no errors (including CSP violations) in the page', () => {
    // The refused file above answers 403, which the browser logs; nothing else may appear.
    expect(consoleErrors.filter((e) => !/status of 403 \(Forbidden\)/.test(e)).join('\n')).toBe('');
    expect(consoleErrors.filter((e) => /status of 403/.test(e))).toHaveLength(1);
  });
});
