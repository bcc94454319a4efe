import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { activeLevelTitle, compactPercent, formatPercent } from '../../src/shared/formula/format';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * Draft formulas outside the editor, in a real browser against the real services: a catalog
 * product's page (collapsed to one line, opened by phase, the label's declared percentages kept,
 * the product type from the category and switched), and the estimated active levels of a
 * generate run's candidates. The sample catalog, a US-style sunscreen label that declares its
 * active (zinc oxide 10 %) and no other percentage, and a quick model.
 */
let service: FormulatorService;
let page: Page;
let consoleErrors: string[] = [];

const SUNSCREEN = 'Daily Mineral Sunscreen SPF 30';
const SUNSCREEN_LABEL =
  'Active Ingredients: Zinc Oxide 10%. Inactive Ingredients: Water, Caprylic/Capric Triglyceride, Glycerin, Niacinamide, Cetearyl Alcohol, Polyhydroxystearic Acid, Dimethicone, Phenoxyethanol, Tocopherol, Xanthan Gum';
/** A sample-catalog product whose every percentage is declared, one of them above its legal maximum. */
const SAMPLE_SUN = 'Illustrative Broad Spectrum Defence Sun Gel-Cream SPF 50 52';

useBrowserApp(
  {
    prepare: async (s, dir) => {
      await s.loadSampleCatalog();
      const csv = join(dir, 'sunscreen.csv');
      writeFileSync(csv, `Name,Brand,Category,Ingredients\n"${SUNSCREEN}","Test Lab","sunscreen","${SUNSCREEN_LABEL}"\n`);
      await s.importCatalog({ path: csv });
      await s.trainModel({ preset: 'quick', seed: 1 });
    },
    viewport: { width: 1440, height: 1000 },
    timeout: 180_000,
  },
  async (app) => {
    ({ service, page, errors: consoleErrors } = app);
    await page.goto(app.server.url);
  },
);

const formula = (): Locator => page.getByTestId('product-formula');
const summary = () => page.getByTestId('product-formula-summary').textContent();
const row = (name: string): Locator => formula().locator(`[data-testid=formula-row][data-name="${name}"]`);

async function openProduct(name: string): Promise<number> {
  await page.getByLabel('Search name or brand').fill(name);
  const first = page.locator('[data-testid=catalog-table] tbody tr').first();
  await expect.poll(async () => first.locator('td').first().textContent()).toBe(name);
  await first.click();
  await expect.poll(async () => page.getByTestId('product-detail').locator('h2').textContent()).toBe(name);
  return (await service.listProducts({ search: name })).items[0]!.id;
}

describe('draft formulas on the product page and in generate results', () => {
  it("shows a product's draft formula collapsed to one line: status, water and actives with their percentages", async () => {
    await page.getByTestId('catalog-table').waitFor();
    await openProduct(SUNSCREEN);
    await expect.poll(summary, { timeout: 10_000 }).toMatch(/^estimated/);
    const text = (await summary())!;
    expect(text).toContain('water 70.4 %');
    // Highest first: the declared zinc oxide, then the estimated niacinamide and tocopherol.
    expect(await page.getByTestId('product-formula-active').allTextContents()).toEqual(['Zinc Oxide 10 %', 'Niacinamide 4.4 %', 'Tocopherol 0.2 %']);
    expect(await page.getByTestId('product-formula-active').first().getAttribute('title')).toBe('Zinc Oxide: 10 %, declared on the label');
    expect(await page.getByTestId('product-formula-active').nth(1).getAttribute('title')).toBe('Niacinamide: estimated 4.4 % (range 2–10 %)');
    // Collapsed: the table waits until it is opened.
    expect(await formula().getAttribute('open')).toBeNull();
    expect(await formula().getByTestId('formula-table').isVisible()).toBe(false);
  });

  it('opens the formula by phase with the label’s declared figure kept and the others estimated around it', async () => {
    const id = (await service.listProducts({ search: SUNSCREEN })).items[0]!.id;
    await formula().locator('summary').click();
    await formula().getByTestId('formula-table').waitFor();
    expect(await formula().getByTestId('formula-status').textContent()).toBe('Estimated: every rule holds');
    expect(await formula().getByTestId('formula-product-type-from').textContent()).toContain('from the category “sunscreen”');
    expect(await formula().locator('.ptype label.on').textContent()).toContain('leave-on');
    expect(await page.getByTestId('product-formula-declared').textContent()).toBe('The label declares 1 of 11 percentages: they are kept as they are, and the others estimated around them.');
    expect(await formula().getByTestId('formula-phase').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-phase')))).toEqual(['A', 'B', 'C', 'D']);
    // Zinc oxide declared apart at 10 %: kept exactly, marked declared, its range nothing but 10 %.
    expect(await row('Zinc Oxide').locator('.pct-text').textContent()).toBe('10.00');
    expect(await row('Zinc Oxide').locator('.chip').allTextContents()).toEqual(['declared', 'pre-dispersed']);
    expect(await row('Zinc Oxide').locator('.range').textContent()).toContain('10.00–10.00');
    expect(await row('Zinc Oxide').locator('.limit').textContent()).toContain('≤ 25 % EU VI/30');
    expect(await row('Phenoxyethanol').locator('.limit').textContent()).toContain('≤ 1 % EU V/29');
    // Every percentage is the service's estimate for the product, and they make 100 %.
    const expected = await service.estimateFormula({ productId: id });
    const shown = await formula()
      .getByTestId('formula-row')
      .evaluateAll((trs) => trs.map((tr): [string | null, string | null | undefined] => [tr.getAttribute('data-name'), tr.querySelector('.pct-text')?.textContent]));
    expect(new Map(shown)).toEqual(new Map(expected.lines.map((l): [string | null, string] => [l.inci, formatPercent(l.estimate)])));
    expect(await formula().getByTestId('formula-total').textContent()).toBe('100.00');
    expect(await formula().getByTestId('formula-total-problem').textContent()).toBe('');
    await formula().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'formula-06-product.png') });
  });

  it('estimates again for rinse-off when the product type is switched, and back', async () => {
    await formula().getByText('rinse-off').click();
    await expect.poll(async () => formula().locator('.ptype label.on').textContent(), { timeout: 10_000 }).toContain('rinse-off');
    expect(await formula().getByTestId('formula-product-type-from').textContent()).not.toContain('from the category');
    expect(await row('Zinc Oxide').locator('.pct-text').textContent()).toBe('10.00');
    await formula().getByText('leave-on').click();
    await expect.poll(async () => formula().locator('.ptype label.on').textContent(), { timeout: 10_000 }).toContain('leave-on');
  });

  it("keeps every percentage a sample product's label declares, warns of one above its legal maximum, and shows only the latest product's formula", async () => {
    const id = await openProduct(SAMPLE_SUN);
    // Still open from the product before; the product's own formula, not the sunscreen's.
    await expect.poll(summary, { timeout: 10_000 }).toMatch(/^every percentage declared/);
    expect(await formula().getAttribute('open')).not.toBeNull();
    const product = await service.getProduct({ id });
    const declared = product.ingredients.filter((i) => i.section !== 'may-contain').map((i): [string | null, string] => [i.inci, formatPercent(i.percent)]);
    const shown = await formula()
      .getByTestId('formula-row')
      .evaluateAll((trs) => trs.map((tr): [string | null, string | null | undefined] => [tr.getAttribute('data-name'), tr.querySelector('.pct-text')?.textContent]));
    expect(new Map(shown)).toEqual(new Map(declared));
    expect(await row('Homosalate').locator('.chip').allTextContents()).toEqual(['declared', 'over legal max']);
    expect(await formula().getByTestId('formula-warnings').textContent()).toContain('Homosalate is declared at 8 %, above its legal maximum of 7.34 %');
    expect(await page.getByTestId('product-formula-declared').textContent()).toBe('The label declares every percentage: they are kept as they are.');

    // Two products asked for one after the other: the page ends on the second one's formula.
    await page.getByLabel('Search name or brand').fill('');
    const rows = page.locator('[data-testid=catalog-table] tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    await rows.nth(0).click();
    await rows.nth(1).click();
    const second = (await rows.nth(1).locator('td').first().textContent())!;
    await expect.poll(async () => page.getByTestId('product-detail').locator('h2').textContent()).toBe(second);
    const secondId = (await service.listProducts({ search: second })).items[0]!.id;
    const secondWater = (await service.estimateFormula({ productId: secondId })).lines.find((l) => l.inci === 'Water');
    await expect.poll(async () => formula().getByTestId('formula-row').count(), { timeout: 10_000 }).toBe((await service.getProduct({ id: secondId })).ingredients.filter((i) => i.section !== 'may-contain').length);
    if (secondWater) expect(await row('Water').locator('.pct-text').textContent()).toBe(formatPercent(secondWater.estimate ?? secondWater.declared));
  });

  it("shows the estimated actives of a generate run's candidates, with their ranges on hover", { timeout: 120_000 }, async () => {
    await page.getByTestId('nav-generate').click();
    await page.getByLabel('Samples (N)').fill('2000');
    await page.getByLabel('Candidates to decode (K)').fill('200');
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    const rows = page.locator('[data-testid=generate-table] tbody tr[data-rank]');
    await rows.first().waitFor({ timeout: 100_000 });
    await expect.poll(async () => page.getByTestId('generate-levels-progress').count(), { timeout: 20_000 }).toBe(0);
    const runId = Number(/Run (\d+)/.exec((await page.getByTestId('generate-summary').locator('h3').first().textContent()) ?? '')?.[1]);
    const listed = await service.listGeneratedCandidates({ runId, show: 'passed', limit: 50, activeLevels: true });
    expect(await rows.count()).toBe(listed.items.length);
    // Each row's cell is the service's estimate for that list, highest first, with each range in its tooltip.
    for (const c of listed.items.slice(0, 10)) {
      const cell = page.locator(`[data-testid=generate-table] tr[data-rank="${c.rank}"] [data-testid=generate-actives]`);
      // Highest first, the first two named, the rest counted.
      const sorted = [...c.formula!.actives].sort((x, y) => (y.percent ?? -1) - (x.percent ?? -1));
      const named = sorted.slice(0, 2);
      expect(await cell.locator('.level').evaluateAll((spans) => spans.map((s) => [s.querySelector('.name')?.textContent, s.querySelector('.pct')?.textContent ?? '']))).toEqual(named.map((a) => [a.inci, a.percent === null ? '' : compactPercent(a.percent)]));
      expect(await cell.locator('.level').evaluateAll((spans) => spans.map((s) => s.getAttribute('title')))).toEqual(named.map(activeLevelTitle));
      expect(await cell.getByTestId('generate-formula-mark').count()).toBe(c.formula!.status === 'estimated' ? 0 : 1);
      if (sorted.length > 2) expect(await cell.locator('.more').textContent()).toBe(`+${sorted.length - 2}`);
    }
    const withActive = listed.items.find((c) => c.formula!.actives.some((a) => a.percent !== null && a.low !== null))!;
    const title = await page.locator(`[data-testid=generate-table] tr[data-rank="${withActive.rank}"] [data-testid=generate-actives] .level`).first().getAttribute('title');
    expect(title).toMatch(/^.+: estimated [\d.]+ % \(range [\d.]+–[\d.]+ %\)$/);
    // The selected candidate's panel lists every active with its range.
    await page.locator(`[data-testid=generate-table] tr[data-rank="${withActive.rank}"] td.ingredients`).click();
    await expect.poll(async () => page.getByTestId('generate-candidate-actives').locator('tr').count()).toBe(withActive.formula!.actives.length);
    // A desktop window wide enough for the run's three benefit columns beside the new one.
    await page.setViewportSize({ width: 1600, height: 1000 });
    await page.getByTestId('generate-results').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'formula-07-generate.png') });
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  it('logged no errors (including CSP violations) in the page', () => {
    expect(consoleErrors.join('\n')).toBe('');
  });
});
