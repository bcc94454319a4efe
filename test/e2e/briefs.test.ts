import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * The brief builder in a real browser against the real services, on the sample catalog: write a
 * brief with autocomplete, classes, families (their members shown), length and category; see
 * live how many catalog products meet it and a rule the server refuses; save it, change it into
 * version 2, load version 1 back; and show the products that meet it in the Catalog.
 */
let service: FormulatorService;
let page: Page;
let consoleErrors: string[] = [];

useBrowserApp(
  { prepare: async (s) => void (await s.loadSampleCatalog()), viewport: { width: 1440, height: 1000 }, timeout: 120_000 },
  async (app) => {
    ({ service, page, errors: consoleErrors } = app);
    await page.goto(app.server.url);
  },
);

describe('the brief builder', () => {
  it('writes, checks live, saves and versions a brief, and shows the products that meet it', async () => {
    await page.getByTestId('nav-briefs').click();
    await page.getByTestId('brief-name').fill('Silicone-free serum');
    // Autocomplete over the knowledge base: typing part of a name offers the INCI names.
    await page.getByTestId('brief-include-input').fill('niacin');
    await expect.poll(async () => page.locator('#brief-ingredients option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).toContain('Niacinamide');
    await page.getByTestId('brief-include-input').fill('Niacinamide');
    await page.getByTestId('brief-include-add').click();
    await page.getByTestId('brief-class').selectOption('humectant');
    await page.getByTestId('brief-family-silicones').check();
    // A family's members, and why each belongs.
    const silicones = page.locator('.family', { has: page.getByTestId('brief-family-silicones') });
    await silicones.locator('summary').click();
    expect(await silicones.locator('.members').textContent()).toContain('Dimethicone');
    await page.getByTestId('brief-max').fill('25');
    await page.getByTestId('brief-category').selectOption('serum');
    // Live: the catalog products that meet it, as the server counts them.
    const expected = (await service.listProducts({ briefRules: { include: ['Niacinamide'], includeClasses: ['humectant'], freeFrom: ['silicones'], maxLength: 25, category: 'serum' }, limit: 1 })).total;
    expect(expected).toBeGreaterThan(0);
    await expect.poll(async () => page.getByTestId('brief-meeting').textContent(), { timeout: 10_000 }).toContain(`${expected} catalog product`);
    // A rule the server refuses shows before saving.
    await page.getByTestId('brief-exclude-input').fill('Niacinamide');
    await page.getByTestId('brief-exclude-add').click();
    await expect.poll(async () => page.getByTestId('brief-meeting').textContent(), { timeout: 10_000 }).toContain('Niacinamide is both required and excluded');
    await page.getByTestId('brief-exclude').getByRole('button', { name: 'Remove Niacinamide' }).click();
    await expect.poll(async () => page.getByTestId('brief-meeting').textContent(), { timeout: 10_000 }).toContain(`${expected} catalog product`);
    await page.getByTestId('brief-note').fill('first draft');
    await page.getByTestId('brief-save').click();
    await expect.poll(async () => page.getByTestId('brief-notice').textContent()).toContain('Saved "Silicone-free serum" as version 1.');
    const saved = await service.getBrief({ name: 'Silicone-free serum' });
    expect(saved.brief).toMatchObject({ include: ['Niacinamide'], includeClasses: ['humectant'], freeFrom: ['silicones'], maxLength: 25, category: 'serum' });
    // Nothing changed: nothing to save. A change: version 2.
    expect(await page.getByTestId('brief-save').isDisabled()).toBe(true);
    await page.getByTestId('brief-max').fill('20');
    await page.getByTestId('brief-save').click();
    await expect.poll(async () => page.getByTestId('brief-notice').textContent()).toContain('as version 2.');
    expect((await service.getBrief({ name: 'Silicone-free serum' })).brief.maxLength).toBe(20);
    // Version 1 back from the history, saved as version 3.
    await page.getByText('History (2 versions)').click();
    await page.getByRole('button', { name: 'load' }).first().click();
    await expect.poll(async () => page.getByTestId('brief-max').inputValue()).toBe('25');
    await page.getByTestId('brief-save').click();
    await expect.poll(async () => page.getByTestId('brief-notice').textContent()).toContain('as version 3.');
    await page.screenshot({ path: join(shots, 'briefs-01-builder.png'), fullPage: true });
    // The products that meet it, in the Catalog.
    await page.getByRole('button', { name: 'Show them in the Catalog' }).click();
    await expect.poll(async () => page.getByTestId('product-count').textContent(), { timeout: 10_000 }).toContain(`${expected} product`);
    expect(await page.getByTestId('catalog-brief').count()).toBe(1);
    await page.getByTestId('catalog-brief').getByRole('button').click();
    await expect.poll(async () => page.getByTestId('product-count').textContent()).not.toContain(`${expected} product`);
    expect(consoleErrors).toEqual([]);
  });
});
