import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * The renderer in a real browser against the real services: the first-run empty state, the
 * sample catalog, filtering, and a product's detail with each ingredient's functions.
 */
let dir: string;
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let consoleErrors: string[] = [];

useBrowserApp({ importFromDataFolder: true }, (app) => ({ service, dir, server, page, errors: consoleErrors } = app));

describe('catalog in the browser', () => {
  it('offers the sample catalog on first run and lists it after loading', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'No catalog yet' }).waitFor();
    await page.screenshot({ path: join(shots, '01-empty.png') });
    await page.getByRole('button', { name: 'Load sample catalog' }).click();
    await page.getByTestId('catalog-table').waitFor();
    const countText = await page.getByTestId('product-count').textContent();
    const total = Number(/(\d+) products/.exec(countText ?? '')?.[1]);
    expect(total).toBeGreaterThanOrEqual(400);
    expect(await page.locator('[data-testid=catalog-table] tbody tr').count()).toBeGreaterThan(100);
    await page.screenshot({ path: join(shots, '02-catalog.png') });
  });

  it('filters by category and ingredient, and shows a product with its ingredient functions', async () => {
    const count = () => page.getByTestId('product-count').textContent();
    await page.getByLabel('Category').selectOption('serum');
    await expect.poll(count).toMatch(/^54 products/);
    await page.getByLabel('Contains ingredient').fill('niacinamide');
    await expect.poll(count).not.toMatch(/^54 products/);
    const withIngredient = Number((await count())!.match(/^(\d+)/)![1]);
    const brands = await service.listBrands();
    expect(brands.map((b) => b.brand)).toContain('Sample Lab B');
    await page.getByLabel('Brand', { exact: true }).selectOption('Sample Lab B');
    const brandCells = page.locator('[data-testid=catalog-table] tbody tr td:nth-child(2)');
    await expect.poll(async () => Number((await count())!.match(/^(\d+)/)![1])).toBeLessThan(withIngredient);
    expect(new Set(await brandCells.allTextContents())).toEqual(new Set(['Sample Lab B']));
    await page.getByLabel('Brand', { exact: true }).selectOption('');
    await expect.poll(count).toMatch(new RegExp(`^${withIngredient} products`));
    const firstRow = page.locator('[data-testid=catalog-table] tbody tr').first();
    await expect.poll(async () => (await firstRow.locator('td').nth(2).textContent())?.trim()).toBe('serum');
    await firstRow.click();
    const detail = page.getByTestId('product-detail');
    await detail.waitFor();
    const items = await detail.locator('ol.ingredients li').allTextContents();
    expect(items.length).toBeGreaterThan(3);
    expect(items.some((t) => /Niacinamide/.test(t))).toBe(true);
    expect(items[0]).toMatch(/Water.*solvent/);
    await page.screenshot({ path: join(shots, '03-detail.png') });
  });

  it('renders a hostile product name as text, never as markup', async () => {
    const csv = join(dir, 'hostile.csv');
    writeFileSync(csv, 'Name,Ingredients\n"<img src=x onerror=""window.__xss=1"">","Water, Glycerin"\n');
    await service.importCatalog({ path: csv });
    await page.getByLabel('Category').selectOption('');
    await page.getByLabel('Contains ingredient').fill('');
    await page.getByLabel('Search name or brand').fill('<img');
    const row = page.locator('[data-testid=catalog-table] tbody tr').first();
    await expect.poll(async () => row.locator('td').first().textContent()).toBe('<img src=x onerror="window.__xss=1">');
    await row.click();
    await page.getByTestId('product-detail').getByRole('heading', { level: 2 }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
  });

  it('shows the active model and its compute backend', async () => {
    await expect.poll(async () => page.getByTestId('model-status').textContent()).toContain('No model trained yet');
    await service.trainModel({ preset: 'quick', seed: 1 });
    await page.reload();
    await expect.poll(async () => page.getByTestId('model-status').textContent()).toMatch(/Model: quick model, .* · backend wasm/);
    await page.screenshot({ path: join(shots, '04-model-status.png') });
  });

  it("shows a product's nearest neighbours and opens one, then offers it to the editor", async () => {
    await page.getByLabel('Search name or brand').fill('');
    await page.getByLabel('Category').selectOption('serum');
    await page.locator('[data-testid=catalog-table] tbody tr').first().click();
    const neighbours = page.getByTestId('product-neighbours');
    await expect.poll(() => neighbours.locator('ol').first().locator('li').count()).toBe(5);
    expect(await neighbours.locator('ol').nth(1).locator('li').count()).toBe(5);
    const first = neighbours.locator('ol').first().locator('li button').first();
    const name = (await first.textContent())?.trim();
    await first.click();
    await expect.poll(() => page.getByTestId('product-detail').getByRole('heading', { level: 2 }).textContent()).toBe(name);
    await page.screenshot({ path: join(shots, '05-neighbours.png') });
    await page.getByTestId('open-in-editor').click();
    await expect.poll(() => page.getByTestId('nav-editor').getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.getByTestId('editor-title').textContent()).toBe(name);
  });

  it('logged no errors (including CSP violations) in the page', () => {
    expect(consoleErrors.join('\n')).toBe('');
  });
});
