import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * The candidate editor in a real browser against the real services, with a quick model on the
 * sample catalog: open a product, reorder (buttons, keyboard, drag), add and paste ingredients
 * with the live scores following, undo and redo, save with change notes and see the history,
 * and never lose unsaved changes silently. Prints the edit-to-scores times it saw.
 */
let dir: string;
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let consoleErrors: string[] = [];
/** Edit-to-scores times shown by the editor ("Updated N ms after the edit"). */
const latencies: number[] = [];

const TONER = 'Illustrative Zinc Mattifying Toner 374';
const TONER_LIST = ['Water', 'Hamamelis Virginiana Water', 'Glycerin', 'Alcohol Denat.', 'Trehalose', 'Phenoxyethanol', 'Disodium EDTA', 'Zinc PCA', 'Hydrolyzed Hyaluronic Acid'];

useBrowserApp(
  {
    importFromDataFolder: true,
    viewport: { width: 1440, height: 1000 },
    prepare: async (service) => {
      await service.loadSampleCatalog();
      await service.trainModel({ preset: 'quick', seed: 1 });
    },
    timeout: 180_000,
  },
  (app) => ({ service, dir, server, page, errors: consoleErrors } = app),
);

afterAll(async () => {
  if (latencies.length) {
    const sorted = [...latencies].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    process.stdout.write(`\neditor in Chromium: edit-to-scores ${latencies.length} edits, p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${sorted.at(-1)} ms (${latencies.join(', ')})\n`);
  }
});

const rows = () => page.getByTestId('editor-row');
const names = () => page.getByTestId('editor-row-name').allTextContents();
const benefit = (name: string) => page.getByTestId(`benefit-${name}`).textContent();
const row = (name: string): Locator => rows().filter({ has: page.getByTestId('editor-row-name').getByText(name, { exact: true }) });

/** Waits until the scores on screen belong to the list on screen, and records how long that took after an edit. */
async function scored(after: 'edit' | 'list opened' = 'edit'): Promise<void> {
  const status = page.getByTestId('score-status');
  await expect.poll(async () => status.textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^Updated \\d+ ms after the ${after}$`));
  if (after === 'edit') latencies.push(Number(/(\d+) ms/.exec((await status.textContent()) ?? '')![1]));
}

describe('the candidate editor', () => {
  it('opens a catalog product with its live scores', async () => {
    await page.goto(server.url);
    await page.getByTestId('nav-editor').click();
    await page.getByTestId('editor-open').waitFor();
    await page.getByLabel('Search products and saved candidates').fill('Zinc Mattifying Toner 374');
    await page.getByRole('button', { name: `Edit product ${TONER}` }).click();
    await expect.poll(names).toEqual(TONER_LIST);
    await scored('list opened');
    expect(await page.getByTestId('editor-title').textContent()).toBe(TONER);
    expect(await page.getByTestId('editor-novelty').textContent()).toMatch(/^0\.00\s+— closest catalog list: Illustrative Zinc Mattifying Toner 374 \(100 % of ingredients shared\)/);
    expect(await page.getByTestId('editor-warning-count').textContent()).toBe('0 ordering warnings');
    expect(await page.getByTestId('editor-benefits').count()).toBe(2);
    expect(await benefit('hydration')).toMatch(/^\d\.\d\d$/);
    // Each prediction states the half-width of its 80 % interval beside it.
    expect(await page.getByTestId('benefit-hydration-uncertainty').textContent()).toMatch(/^± \d\.\d\d$/);
    expect(await page.getByTestId('editor-near-latent').locator('li').first().textContent()).toContain(TONER);
    expect(await page.getByTestId('editor-unsaved').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'editor-01-opened.png'), fullPage: true });
  });

  it('reorders with buttons, keys and drag-and-drop, adds an ingredient, and the scores follow', async () => {
    const benefits = () => page.getByTestId('editor-benefits').allTextContents();
    const before = { benefits: await benefits(), plausibility: await page.getByTestId('editor-plausibility').textContent() };
    // The preservative to the top with its ↑ button, five times.
    for (let i = 0; i < 5; i++) {
      await page.getByRole('button', { name: 'Move Phenoxyethanol up' }).click();
    }
    await expect.poll(async () => (await names())[0]).toBe('Phenoxyethanol');
    await scored();
    const warnings = row('Phenoxyethanol').getByTestId('editor-row-warnings');
    await expect.poll(async () => warnings.textContent()).toContain('Phenoxyethanol is placed before Water');
    expect(await row('Water').getByTestId('editor-row-warnings').textContent()).toContain('Phenoxyethanol is placed before Water');
    expect(await page.getByTestId('editor-plausibility').textContent()).not.toBe(before.plausibility);
    expect(await page.getByTestId('editor-unsaved').textContent()).toBe('unsaved changes');

    // The keyboard: on Zinc PCA's handle, ↑ moves it above Disodium EDTA.
    await row('Zinc PCA').locator('[data-action="grab"]').focus();
    await page.keyboard.press('ArrowUp');
    await expect.poll(names).toEqual(['Phenoxyethanol', 'Water', 'Hamamelis Virginiana Water', 'Glycerin', 'Alcohol Denat.', 'Trehalose', 'Zinc PCA', 'Disodium EDTA', 'Hydrolyzed Hyaluronic Acid']);
    expect(await row('Zinc PCA').locator('[data-action="grab"]:focus').count()).toBe(1); // the focus moved with the row
    await scored();

    // Drag-and-drop: the preservative back down, dropped on the upper half of Disodium EDTA's row.
    const target = row('Disodium EDTA');
    const box = (await target.boundingBox())!;
    await row('Phenoxyethanol').locator('[data-action="grab"]').dragTo(target, { targetPosition: { x: 40, y: Math.max(2, box.height / 4) } });
    await expect.poll(names).toEqual(['Water', 'Hamamelis Virginiana Water', 'Glycerin', 'Alcohol Denat.', 'Trehalose', 'Zinc PCA', 'Phenoxyethanol', 'Disodium EDTA', 'Hydrolyzed Hyaluronic Acid']);
    await scored();

    // Add an ingredient through the autocomplete.
    await page.getByLabel('Add an ingredient').fill('niacinam');
    await page.getByRole('option', { name: /^Niacinamide/ }).first().waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await names()).at(-1)).toBe('Niacinamide');
    await scored();
    // Predictions moved with the edits, each change shown against the opened product.
    expect(await benefits()).not.toEqual(before.benefits);
    expect(await page.locator('[data-testid=editor-benefits] td.delta').allTextContents()).toContainEqual(expect.stringMatching(/^[+−]0\.\d\d$/));
    await page.screenshot({ path: join(shots, 'editor-02-edited.png'), fullPage: true });
  });

  it('flags an unknown ingredient with a suggestion; undo and redo by button and by Ctrl+Z / Ctrl+Shift+Z', async () => {
    const edited = await names();
    await page.getByLabel('Add an ingredient').fill('Zinc Oxyde');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await scored();
    const unknown = row('Zinc Oxyde');
    expect(await unknown.getByTestId('editor-unknown').textContent()).toBe('unknown ingredient');
    expect(await unknown.getByRole('button', { name: 'Zinc Oxide' }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'editor-03-unknown.png'), fullPage: true });
    await unknown.getByRole('button', { name: 'Zinc Oxide' }).click();
    await expect.poll(async () => (await names()).at(-1)).toBe('Zinc Oxide');
    await scored();

    await page.getByRole('button', { name: /Undo/ }).click();
    await expect.poll(async () => (await names()).at(-1)).toBe('Zinc Oxyde');
    await page.getByTestId('editor-title').click(); // focus outside text fields: the shortcuts are the list's
    await page.keyboard.press('Control+z');
    await expect.poll(names).toEqual(edited);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await names()).at(-1)).toBe('Zinc Oxyde');
    await page.getByRole('button', { name: /Redo/ }).click();
    await expect.poll(async () => (await names()).at(-1)).toBe('Zinc Oxide');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(names).toEqual(edited);
    await scored();
  });

  it('saves a new candidate with a change note, then a new version, and shows the history', async () => {
    await page.getByLabel('Name for a new candidate').fill('Toner with niacinamide');
    await page.getByLabel('Change note').fill('preservative after zinc PCA; added niacinamide');
    await page.getByRole('button', { name: 'Save as new candidate' }).click();
    await expect.poll(async () => page.getByTestId('editor-notice').textContent()).toBe('Saved as version 1 of “Toner with niacinamide”.');
    expect(await page.getByTestId('editor-unsaved').count()).toBe(0);
    expect(await page.getByTestId('editor-title').textContent()).toBe('Toner with niacinamide');

    await page.getByRole('button', { name: 'Remove Alcohol Denat.' }).click();
    await scored();
    await page.getByLabel('Change note').fill('no denatured alcohol');
    await page.getByRole('button', { name: 'Save as version 2 of “Toner with niacinamide”' }).click();
    await expect.poll(async () => page.getByTestId('editor-notice').textContent()).toBe('Saved as version 2 of “Toner with niacinamide”.');
    const history = page.getByTestId('editor-history').locator('li');
    await expect.poll(async () => history.count()).toBe(2);
    expect(await history.nth(0).textContent()).toContain('no denatured alcohol');
    expect(await history.nth(1).textContent()).toContain('preservative after zinc PCA; added niacinamide');
    await page.screenshot({ path: join(shots, 'editor-04-saved.png'), fullPage: true });

    const saved = (await service.listCandidates({ search: 'Toner with niacinamide' })).items[0]!;
    const detail = await service.getCandidate({ id: saved.id });
    expect(detail.versions.map((v) => [v.version, v.changeNote, v.ingredients.length])).toEqual([
      [1, 'preservative after zinc PCA; added niacinamide', 10],
      [2, 'no denatured alcohol', 9],
    ]);
    expect(detail.versions[1]!.ingredients.map((x) => x.inci)).toEqual(await names());
    expect(detail.versions[0]!.provenance).toMatchObject({ source: 'edited-product', details: { scoredWithModelId: expect.any(Number) } });
    expect(Object.keys(detail.versions[1]!.scores)).toEqual(expect.arrayContaining(['novelty', 'plausibility', 'predicted_hydration', 'uncertainty_hydration']));
  });

  it('asks before unsaved changes are replaced, and keeps them when told to', async () => {
    await page.getByRole('button', { name: 'Move Niacinamide up' }).click();
    const edited = await names();
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByLabel('Search products and saved candidates').fill('Centella Radiance Essence Toner 270');
    await page.getByRole('button', { name: /^Edit product Illustrative Centella Radiance Essence Toner 270/ }).click();
    const confirm = page.getByTestId('editor-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('“Toner with niacinamide” has unsaved changes');
    await page.screenshot({ path: join(shots, 'editor-05-confirm.png'), fullPage: true });
    await confirm.getByRole('button', { name: 'Keep editing' }).click();
    expect(await names()).toEqual(edited);
    expect(await page.getByTestId('editor-unsaved').count()).toBe(1);

    // Opening an older version goes through the same question; this time the changes go.
    await page.getByTestId('editor-history').getByRole('button', { name: 'Open' }).click();
    await confirm.getByRole('button', { name: 'Discard changes and open' }).click();
    await expect.poll(async () => (await names()).length).toBe(10);
    expect(await page.getByTestId('editor-unsaved').count()).toBe(0);
  });

  it('reads a pasted declaration, and shows catalog text as text', async () => {
    await page.getByText('Paste a whole declaration').click();
    await page.getByLabel('Declaration to paste').fill('Ingredients: Aqua (Water), Glycerin 5%, <img src=x onerror="window.__xss=1">, Niacinamide*, Phenoxyethanol. *organic. May contain: CI 77891');
    await page.getByRole('button', { name: 'Replace the list' }).click();
    await expect.poll(names).toEqual(['Water', 'Glycerin', '<img src=x onerror="window.__xss=1">', 'Niacinamide', 'Phenoxyethanol']);
    await scored();
    expect(await page.getByTestId('editor-notice').textContent()).toContain('Read 5 ingredients from the pasted text');
    expect(await row('<img src=x onerror="window.__xss=1">').getByTestId('editor-unknown').count()).toBe(1);
    await page.getByRole('button', { name: 'Save as version 3 of “Toner with niacinamide”' }).click();
    await expect.poll(async () => page.getByTestId('editor-notice').textContent()).toMatch(/^Not saved: "<img src=x onerror="window.__xss=1">" \(position 3\) is unknown/);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'editor-06-pasted.png'), fullPage: true });
  });

  it('shows a catalog product name as text, never as markup', async () => {
    const csv = join(dir, 'hostile.csv');
    writeFileSync(csv, 'Name,Ingredients\n"<b>Bold</b> serum","Water, Glycerin, Niacinamide, Phenoxyethanol"\n');
    await service.importCatalog({ path: csv });
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByLabel('Search products and saved candidates').fill('Bold');
    await page.getByRole('button', { name: 'Edit product <b>Bold</b> serum' }).click();
    await page.getByTestId('editor-confirm').getByRole('button', { name: 'Discard changes and open' }).click();
    await expect.poll(async () => page.getByTestId('editor-title').textContent()).toBe('<b>Bold</b> serum');
    expect(await page.locator('main b').count()).toBe(0);
    await scored('list opened');
  });

  it('says how a degraded name was read, and offers both readings of an ambiguous one', async () => {
    for (const name of ['Tocopherl', 'Squalne']) {
      await page.getByLabel('Add an ingredient').fill(name);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await scored();
    }
    expect(await row('Tocopherl').getByTestId('editor-read-as').textContent()).toBe('read as Tocopherol (a typo of the only near name)');
    expect(await row('Tocopherl').getByTestId('editor-unknown').count()).toBe(0);
    // Squalane and Squalene are one letter from "Squalne" and from each other: unknown, both offered.
    expect(await row('Squalne').getByTestId('editor-unknown').count()).toBe(1);
    expect(await row('Squalne').getByRole('button', { name: 'Squalane' }).count()).toBe(1);
    expect(await row('Squalne').getByRole('button', { name: 'Squalene' }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'editor-07-degraded-names.png'), fullPage: true });
  });

  it('checks the list against a saved design brief, live: the offending ingredient is marked and the list says why', async () => {
    await service.saveBrief({ name: 'Alcohol-free toner', brief: { freeFrom: ['drying-alcohols'], minLength: 5 } });
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByLabel('Search products and saved candidates').fill('Zinc Mattifying Toner 374');
    await page.getByRole('button', { name: `Edit product ${TONER}` }).click();
    const confirm = page.getByTestId('editor-confirm');
    if (await confirm.count()) await confirm.getByRole('button', { name: 'Discard changes and open' }).click();
    await expect.poll(names).toEqual(TONER_LIST);
    await scored('list opened');
    await page.getByTestId('editor-brief').focus();
    await expect.poll(async () => page.getByTestId('editor-brief').locator('option').allTextContents()).toContain('Alcohol-free toner (v1)');
    await page.getByTestId('editor-brief').selectOption('Alcohol-free toner');
    await expect.poll(async () => page.getByTestId('editor-brief-violations').textContent(), { timeout: 10_000 }).toContain('Alcohol Denat. is one of the drying (short-chain) alcohols');
    expect(await row('Alcohol Denat.').getByTestId('editor-brief-chip').count()).toBe(1);
    expect(await row('Glycerin').getByTestId('editor-brief-chip').count()).toBe(0);
    await page.getByRole('button', { name: 'Remove Alcohol Denat.' }).click();
    await expect.poll(async () => page.getByTestId('editor-brief-ok').count(), { timeout: 10_000 }).toBe(1);
    await page.screenshot({ path: join(shots, 'editor-08-brief.png'), fullPage: true });
  });

  it('logged no errors (including CSP violations) in the page', () => {
    expect(consoleErrors.join('\n')).toBe('');
  });
});
