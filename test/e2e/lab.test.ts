import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * Lab results and Bayesian optimisation in a real browser against the real services (sample
 * catalog, quick model): results recorded, corrected and deleted on a candidate's page, the
 * Lab & BO view's table and CSV download, a proposed batch and two proposals accepted as candidates.
 * Screenshots go to test-output/e2e/lab-*.png.
 */
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let consoleErrors: string[] = [];
let candidateId: number;

useBrowserApp({ prepare: (service) => service.loadSampleCatalog(), viewport: { width: 1440, height: 1000 }, acceptDownloads: true, timeout: 60_000 }, (app) => ({ service, server, page, errors: consoleErrors } = app));

describe('lab results on a candidate page', () => {
  it('records results on a version, refuses an empty value, corrects one and deletes one', { timeout: 120_000 }, async () => {
    await service.trainModel({ preset: 'quick', seed: 3 });
    const candidate = await service.saveCandidate({ name: 'Lab serum', declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    await service.saveCandidate({ id: candidate.id, declaration: 'Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol', changeNote: 'more panthenol' });
    candidateId = candidate.id;

    await page.goto(server.url);
    await page.getByTestId('nav-shortlist').click();
    await page.locator(`[data-testid=shortlist-table] tbody tr[data-id="${candidateId}"] .name`).click();
    const panel = page.getByTestId('shortlist-detail').getByTestId('lab-results');
    await expect.poll(() => panel.getByTestId('lab-none').count()).toBe(1);
    const form = panel.getByTestId('lab-add');
    const pad = (n: number) => String(n).padStart(2, '0');
    const now = new Date();
    expect(await form.getByLabel('Measured on').inputValue()).toBe(`${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`);
    expect(await form.getByLabel('Version measured').locator('option:checked').textContent()).toBe('v2 (latest)');

    // No value: the form says what is missing and records nothing.
    await form.getByLabel('Property').fill('Hydration');
    await form.getByRole('button', { name: 'Add result' }).click();
    await expect.poll(() => form.getByTestId('lab-error').textContent()).toContain('Give the measured value');
    expect((await service.listLabResults({ candidateId })).total).toBe(0);

    // On version 1, dated and annotated.
    await form.getByLabel('Value').fill('41.5');
    await form.getByLabel('Unit').fill('a.u.');
    await form.getByLabel('Measured on').fill('2026-11-30');
    await form.getByLabel('Version measured').selectOption('1');
    await form.getByLabel('Comments').fill('n=3 panel');
    await form.getByRole('button', { name: 'Add result' }).click();
    await expect.poll(() => form.getByTestId('lab-message').textContent()).toContain('Recorded Hydration = 41.5 a.u. on Lab serum v1');
    expect(await form.getByTestId('lab-error').count()).toBe(0);
    const rows = panel.locator('[data-testid=lab-table] tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/Hydration.*n=3 panel.*41\.5 a\.u\..*2026-11-30.*v1/s);

    // The property, unit, date and version stay filled in for the next result; the latest version is one pick away.
    expect(await form.getByLabel('Property').inputValue()).toBe('Hydration');
    expect(await form.getByLabel('Measured on').inputValue()).toBe('2026-11-30');
    await form.getByLabel('Version measured').selectOption({ label: 'v2 (latest)' });
    await form.getByLabel('Measured on').fill('2026-12-01');
    await form.getByLabel('Value').fill('47');
    await form.getByRole('button', { name: 'Add result' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().textContent()).toMatch(/47 a\.u\..*2026-12-01.*v2/s);

    // A third result, deleted after confirming.
    await form.getByLabel('Property').fill('pH');
    await form.getByLabel('Value').fill('5.5');
    await form.getByLabel('Unit').fill('');
    await form.getByRole('button', { name: 'Add result' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    await panel.getByRole('button', { name: /^Delete the pH result/ }).click();
    await panel.getByRole('alertdialog', { name: 'Confirm deletion' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => rows.count()).toBe(2);

    // Corrected in place: an emptied value is refused, a new one saved.
    const first = (await service.listLabResults({ candidateId })).items.find((r) => r.value === 41.5)!;
    await panel.getByRole('button', { name: 'Edit the Hydration result of 2026-11-30' }).click();
    const editing = panel.locator(`tr.editing[data-id="${first.id}"]`);
    await editing.getByLabel('Value').fill('');
    await editing.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editing.getByTestId('lab-edit-error').textContent()).toContain('Give the measured value');
    await editing.getByLabel('Value').fill('42.5');
    await editing.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => panel.locator(`tr[data-id="${first.id}"]`).textContent()).toContain('42.5 a.u.');
    const stored = await service.listLabResults({ candidateId });
    expect(stored.total).toBe(2);
    expect(stored.items.map((r) => [r.value, r.subject.version, r.measuredOn, r.notes])).toEqual(
      expect.arrayContaining([
        [42.5, 1, '2026-11-30', 'n=3 panel'],
        [47, 2, '2026-12-01', ''],
      ]),
    );
    await page.screenshot({ path: join(shots, 'lab-01-candidate.png'), fullPage: true });
  });
});

describe('the Lab & BO view', () => {
  it('lists every result by property and downloads them as CSV', { timeout: 60_000 }, async () => {
    // Ten measured catalog products: the value rewards glycerin high in the list.
    const products = (await service.listProducts({ limit: 10 })).items;
    for (const p of products) {
      const detail = await service.getProduct({ id: p.id });
      const at = detail.ingredients.findIndex((x) => x.inci === 'Glycerin');
      await service.addLabResult({ subject: { kind: 'product', productId: p.id }, property: 'Hydration', value: at < 0 ? 30 : 50 - 2 * at, unit: 'a.u.', measuredOn: '2026-10-01' });
    }
    await service.addLabResult({ subject: { kind: 'product', productId: products[0]!.id }, property: 'Viscosity', value: 3200, unit: 'mPa·s' });

    await page.getByTestId('nav-lab').click();
    await expect.poll(() => page.getByTestId('lab-count').textContent()).toBe('13 results');
    await page.getByTestId('lab-filter').selectOption('Hydration');
    await expect.poll(() => page.getByTestId('lab-count').textContent()).toBe('12 results');
    expect(await page.locator('[data-testid=lab-all] tbody tr').count()).toBe(12);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lab-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^lab-results-hydration-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.split('\n')[0]).toContain('measured_on');
    expect(text).toContain('Lab serum v1');
    await expect.poll(() => page.getByTestId('lab-notice').textContent()).toContain('Downloaded 12 results');
  });

  it('says when a property has too few results', { timeout: 60_000 }, async () => {
    await page.getByTestId('bo-property').selectOption('Viscosity');
    await page.getByTestId('bo-propose').click();
    await expect.poll(() => page.getByTestId('bo-error').textContent()).toContain('needs at least two lab results for "Viscosity"; there is one');
  });

  it('proposes a batch with EI and mean ± sd, and accepts two proposals as candidates', { timeout: 180_000 }, async () => {
    await page.getByTestId('bo-property').selectOption('Hydration');
    expect(await page.getByTestId('bo-prefix').inputValue()).toBe('BO Hydration');
    await page.getByTestId('bo-goal').selectOption('maximize');
    await page.getByTestId('bo-batch').fill('3');
    await page.getByTestId('bo-propose').click();
    await expect.poll(async () => (await page.getByTestId('bo-summary').textContent())?.replace(/\s+/g, ' '), { timeout: 150_000 }).toMatch(/3 proposals for higher Hydration, from 12 results/);
    expect(await page.getByTestId('bo-error').count()).toBe(0);
    const finished = (await service.getActivity()).finished.find((a) => a.kind === 'propose');
    expect(finished).toMatchObject({ state: 'done' });
    const rows = page.locator('[data-testid=bo-proposals] tbody tr[data-rank]');
    expect(await rows.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      const cells = await rows.nth(i).locator('td').allTextContents();
      expect(cells[1]).toBe(String(i + 1));
      expect(Number(cells[2])).toBeGreaterThanOrEqual(0);
      expect(cells[3]).toMatch(/^-?[\d.e+-]+ ± [\d.e+-]+ a\.u\.$/);
      expect(cells[6]).toMatch(/^[✓✗]$/);
    }
    await rows.nth(0).getByRole('button', { name: 'Details' }).click();
    await expect.poll(() => page.locator('[data-testid=bo-proposals] tr.detail-row').textContent()).toMatch(/ingredients:.*Checks:/s);
    await page.screenshot({ path: join(shots, 'lab-02-proposals.png'), fullPage: true });

    await page.getByLabel('Tick proposal 1').check();
    await page.getByLabel('Tick proposal 3').check();
    await page.getByTestId('bo-accept').click();
    await expect.poll(() => page.getByTestId('bo-message').textContent()).toBe('Saved “BO Hydration 1”, “BO Hydration 3” to the shortlist.');
    expect(await rows.nth(0).textContent()).toContain('saved');
    expect(await rows.nth(1).textContent()).not.toContain('saved');
    expect(await rows.nth(2).textContent()).toContain('saved');
    const saved = (await service.listCandidates({ search: 'BO Hydration' })).items;
    expect(saved.map((c) => c.name).sort()).toEqual(['BO Hydration 1', 'BO Hydration 3']);
    for (const c of saved) {
      expect(c.provenance).toMatchObject({ source: 'optimised', details: { property: 'Hydration', goal: 'maximize', results: 12 } });
      expect(Object.keys(c.scores)).toEqual(expect.arrayContaining(['novelty', 'plausibility', 'predicted_Hydration', 'sd_Hydration', 'expected_improvement']));
    }
    await page.screenshot({ path: join(shots, 'lab-03-accepted.png'), fullPage: true });
  });

  it('records a result on a catalog product from its page', { timeout: 60_000 }, async () => {
    await page.getByTestId('nav-catalog').click();
    await page.locator('[data-testid=catalog-table] tbody tr').first().click();
    const panel = page.getByTestId('product-detail').getByTestId('lab-results');
    await panel.waitFor();
    const form = panel.getByTestId('lab-add');
    await form.getByLabel('Property').fill('Viscosity');
    await form.getByLabel('Value').fill('2900');
    await form.getByLabel('Unit').fill('mPa·s');
    await form.getByRole('button', { name: 'Add result' }).click();
    await expect.poll(() => form.getByTestId('lab-message').textContent()).toContain('Recorded Viscosity = 2900 mPa·s');
    expect((await service.listLabResults({ property: 'Viscosity' })).total).toBe(2);
    await page.screenshot({ path: join(shots, 'lab-04-product.png'), fullPage: true });
  });

  it('logged no errors (including CSP violations) in the page', () => {
    expect(consoleErrors.join('\n')).toBe('');
  });
});
