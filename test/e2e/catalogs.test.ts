import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * Managing catalogs in the browser: renaming one inline (Cancel, Save, Undo), deleting one after
 * a confirmation that says what goes and that a backup is taken, and the Model view saying the
 * model's catalog is gone. The sample catalog (id 1) has a quick model trained on it alone; a
 * second shop (id 2, 10 products) is imported after.
 */
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let consoleErrors: string[] = [];

useBrowserApp(
  {
    timeout: 180_000,
    prepare: async (service) => {
      await service.loadSampleCatalog();
      await service.trainModel({ preset: 'quick', seed: 3, catalogIds: [1], name: 'Sample model' });
      await service.importCatalog({ path: join(__dirname, '../fixtures/catalogs/second-shop.csv'), catalogName: 'Second shop' });
    },
  },
  (app) => ({ service, server, page, errors: consoleErrors } = app),
);

const row = (name: string) => page.getByTestId('catalog-source').filter({ hasText: name });

describe('catalog management in the browser', () => {
  it('renames a catalog inline: Escape cancels, Save renames, Undo puts the old name back', async () => {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Catalogs…' }).click();
    await expect.poll(() => page.getByTestId('catalog-source').count()).toBe(2);

    await row('Second shop').getByRole('button', { name: 'Rename' }).click();
    const input = page.getByLabel('New name of the catalog');
    await input.fill('Shop B');
    await input.press('Escape');
    await expect.poll(() => row('Second shop').count()).toBe(1);
    expect((await service.listCatalogs()).map((c) => c.name)).toEqual(['Sample catalog (illustrative formulations)', 'Second shop']);

    await row('Second shop').getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name of the catalog').fill('Shop B');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row('Shop B').count()).toBe(1);
    expect((await service.listCatalogs())[1]!.name).toBe('Shop B');
    await page.screenshot({ path: join(shots, 'catalogs-01-renamed.png') });

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => (await service.listCatalogs())[1]!.name).toBe('Second shop');
    await expect.poll(() => row('Second shop').count()).toBe(1);
  });

  it('deletes a catalog only after a confirmation that names what goes, with a backup taken first', async () => {
    await row('Sample catalog').getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByTestId('catalog-delete-confirm');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    expect(text).toContain('Delete the catalog “Sample catalog (illustrative formulations)”?');
    expect(text).toContain('Removed: 432 products');
    expect(text).toContain('“Sample model” trained on it keeps encoding, decoding and generating');
    expect(text).toContain('A backup of the whole database is taken and checked first');
    await page.screenshot({ path: join(shots, 'catalogs-02-confirm.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await service.listCatalogs()).length).toBe(2);

    await row('Sample catalog').getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Back up and delete' }).click();
    const done = page.getByTestId('catalog-deleted');
    await done.waitFor();
    const file = /(\S+\.manual\.\S+\.bak)/.exec((await done.textContent()) ?? '')?.[1];
    expect((await service.getDatabaseStatus()).backups.find((b) => b.file === file)).toMatchObject({ kind: 'manual', products: 442 });
    expect((await service.listCatalogs()).map((c) => c.name)).toEqual(['Second shop']);
    await expect.poll(() => page.getByTestId('catalog-source').count()).toBe(1);
    await expect.poll(() => page.getByTestId('product-count').textContent()).toMatch(/^10 products/);
    await page.screenshot({ path: join(shots, 'catalogs-03-deleted.png') });
  });

  it('shows in the Model view what the model was trained on, and that its catalog is gone', async () => {
    await page.getByTestId('nav-model').click();
    const cell = page.getByTestId('trained-on').first();
    await cell.waitFor();
    expect(await cell.textContent()).toContain('"Sample catalog (illustrative formulations)" (432 products, catalog deleted)');
    expect(await cell.textContent()).toContain('the map and neighbours use the catalogs that remain');
    await page.screenshot({ path: join(shots, 'catalogs-04-model.png') });
    expect(consoleErrors).toEqual([]);
  });
});
