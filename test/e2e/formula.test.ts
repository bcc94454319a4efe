import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * Draft formulas in a real browser against the real services, on the sample catalog: the
 * editor's draft formula panel (phases, a total of 100 %, a percentage typed by hand and checked
 * live, Rebalance, the product type), saving a candidate with its formula, and the printable
 * formula sheet on the Shortlist with the saved percentages and its CSV download.
 */
let service: FormulatorService;
let page: Page;
let consoleErrors: string[] = [];

const TONER = 'Illustrative Zinc Mattifying Toner 374';
const TONER_LIST = ['Water', 'Hamamelis Virginiana Water', 'Glycerin', 'Alcohol Denat.', 'Trehalose', 'Phenoxyethanol', 'Disodium EDTA', 'Zinc PCA', 'Hydrolyzed Hyaluronic Acid'];

useBrowserApp(
  { prepare: async (s) => void (await s.loadSampleCatalog()), viewport: { width: 1440, height: 1000 }, acceptDownloads: true, timeout: 120_000 },
  async (app) => {
    ({ service, page, errors: consoleErrors } = app);
    await page.goto(app.server.url);
  },
);

const panel = (): Locator => page.getByTestId('editor-formula');
const formulaRow = (name: string): Locator => panel().locator(`[data-testid=formula-row][data-name="${name}"]`);
const percentOf = (name: string): Locator => page.getByLabel(`Percentage of ${name}`);
const total = () => page.getByTestId('formula-total').textContent();
/** Waits until the panel shows the estimate for the list as it is now. */
const estimated = () => expect.poll(async () => page.getByTestId('formula-progress').textContent(), { timeout: 10_000 }).toMatch(/Estimated in \d+ ms/);

describe('draft formulas', () => {
  it('shows the draft formula of the list in the editor, by phase, with a total of 100 %', async () => {
    await page.getByTestId('nav-editor').click();
    await page.getByTestId('editor-open').waitFor();
    await page.getByLabel('Search products and saved candidates').fill('Zinc Mattifying Toner 374');
    await page.getByRole('button', { name: `Edit product ${TONER}` }).click();
    await expect.poll(async () => page.getByTestId('editor-row-name').allTextContents()).toEqual(TONER_LIST);
    await estimated();
    expect(await page.getByTestId('formula-status').textContent()).toBe('Estimated: every rule holds');
    // Water phase (A) and cool-down (D): the toner has no oil or powder.
    expect(await panel().getByTestId('formula-phase').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-phase')))).toEqual(['A', 'D']);
    expect(await panel().getByTestId('formula-row').count()).toBe(TONER_LIST.length);
    expect(await total()).toBe('100.00');
    expect(await page.getByTestId('formula-total-problem').textContent()).toBe('');
    // The preservative with its legal maximum, and the 1 % line in words.
    expect(await formulaRow('Phenoxyethanol').locator('.limit').textContent()).toContain('≤ 1 % EU V/29');
    expect(await page.getByTestId('formula-line').textContent()).toMatch(/1 % line after position \d/);
    // What the panel shows is what the service estimates.
    const expected = await service.estimateFormula({ ingredients: TONER_LIST });
    const glycerin = expected.lines.find((l) => l.inci === 'Glycerin')!;
    expect(await percentOf('Glycerin').inputValue()).toBe(glycerin.estimate!.toFixed(2));
    expect(await page.getByTestId('editor-save-formula').locator('input').isChecked()).toBe(true);
  });

  it('checks a typed percentage live: the total, the order above the 1 % line and the legal maximum', async () => {
    const hamamelis = Number(await percentOf('Hamamelis Virginiana Water').inputValue());
    // Glycerin above the ingredient listed before it: the total is off and the order is broken.
    await percentOf('Glycerin').fill(String(hamamelis + 2));
    await expect.poll(async () => page.getByTestId('formula-total-problem').textContent()).toMatch(/^The total is [\d.]+ %, [\d.]+ % over 100 %/);
    expect(await formulaRow('Glycerin').getByTestId('formula-row-problem').textContent()).toContain('more than Hamamelis Virginiana Water');
    expect(await page.getByTestId('editor-save-formula-reason').textContent()).toMatch(/not now: the total is/);
    expect(await page.getByTestId('editor-save-formula').locator('input').isDisabled()).toBe(true);
    // Phenoxyethanol over its legal maximum of 1 % (and, above 1 %, more than Trehalose before it).
    await percentOf('Phenoxyethanol').fill('1.5');
    await expect.poll(async () => formulaRow('Phenoxyethanol').getByTestId('formula-row-problem').allTextContents()).toEqual([
      expect.stringMatching(/^above 1 % yet more than Trehalose \([\d.]+ %\), listed before it$/),
      'above its legal maximum of 1 % (EU V/29)',
    ]);
    await page.getByTestId('editor-formula').screenshot({ path: join(shots, 'formula-05-live-checks.png') });
    // Back to the estimate for it, and a Glycerin level that keeps the order: only the total is off.
    await page.getByRole('button', { name: 'Use the estimate for Phenoxyethanol' }).click();
    await percentOf('Glycerin').fill('6');
    await percentOf('Glycerin').press('Enter');
    await expect.poll(async () => panel().getByTestId('formula-row-problem').count()).toBe(0);
    expect(await page.getByTestId('formula-total-problem').textContent()).toMatch(/^The total is [\d.]+ %/);
    expect(await formulaRow('Glycerin').locator('.chip').first().textContent()).toBe('set by hand');
  });

  it('rebalances the others around the typed percentage', async () => {
    await page.getByTestId('formula-rebalance').click();
    await estimated();
    await expect.poll(total).toBe('100.00');
    expect(await percentOf('Glycerin').inputValue()).toBe('6.00');
    expect(await page.getByTestId('formula-total-problem').textContent()).toBe('');
    expect(await page.getByTestId('editor-save-formula').locator('input').isChecked()).toBe(true);
    // The service agrees: Glycerin held at 6 %, the rest re-estimated to make 100 %.
    const rebalanced = await service.estimateFormula({ ingredients: TONER_LIST, fixed: TONER_LIST.map((n) => (n === 'Glycerin' ? 6 : null)) });
    expect(await percentOf('Water').inputValue()).toBe(rebalanced.lines[0]!.estimate!.toFixed(2));
    await page.screenshot({ path: join(shots, 'formula-01-editor.png'), fullPage: true });
  });

  it('saves the candidate with its draft formula', async () => {
    await page.getByLabel('Name for a new candidate').fill('Toner formula');
    await page.getByLabel('Change note').fill('glycerin at 6 %');
    await page.getByRole('button', { name: 'Save as new candidate' }).click();
    await expect.poll(async () => page.getByTestId('editor-notice').textContent()).toBe('Saved as version 1 of “Toner formula”.');
    const saved = (await service.listCandidates({ search: 'Toner formula' })).items[0]!;
    const formula = (await service.estimateFormula({ candidateId: saved.id })).saved!;
    expect(formula.productType).toBe('leave-on');
    expect(formula.lines.map((l) => l.edited)).toEqual(TONER_LIST.map((n) => n === 'Glycerin'));
    expect(formula.lines[2]!.percent).toBe(6);
    expect(formula.lines.reduce((s, l) => s + l.percent, 0)).toBeCloseTo(100, 4);
    expect(formula.lines.map((l) => l.phase)).toEqual(['water', 'water', 'water', 'cool-down', 'water', 'cool-down', 'water', 'water', 'cool-down']);
  });

  it('opens the formula sheet of the saved version with the saved percentages, prints only the sheet, and downloads it', async () => {
    const saved = (await service.listCandidates({ search: 'Toner formula' })).items[0]!;
    const formula = (await service.estimateFormula({ candidateId: saved.id })).saved!;
    await page.getByTestId('nav-shortlist').click();
    await page.locator('[data-testid=shortlist-table] tbody tr[data-id]').filter({ hasText: 'Toner formula' }).locator('.name').click();
    await page.getByTestId('shortlist-formula-sheet').click();
    const sheet = page.getByTestId('formula-sheet');
    await sheet.waitFor();
    expect(await sheet.locator('h2').textContent()).toBe('Toner formula v1');
    expect(await page.getByTestId('formula-sheet-source').textContent()).toContain('the draft formula saved with this version');
    expect(await sheet.textContent()).toContain('Change note: “glycerin at 6 %”');
    const rows = sheet.getByTestId('formula-sheet-row');
    expect(await rows.count()).toBe(TONER_LIST.length);
    const shown = await rows.evaluateAll((trs) => trs.map((tr): [string | null, string | null | undefined] => [tr.getAttribute('data-name'), tr.querySelector('.pct')?.textContent]));
    const expected = formula.lines.map((l, i): [string | undefined, string] => [TONER_LIST[i], l.percent >= 1 ? l.percent.toFixed(2) : l.percent.toFixed(3)]);
    expect(new Map(shown)).toEqual(new Map(expected));
    expect(await sheet.locator('[data-name=Glycerin]').textContent()).toContain('set by hand');
    expect(await page.getByTestId('formula-sheet-total').textContent()).toBe('100.00');
    await page.screenshot({ path: join(shots, 'formula-02-sheet.png') });

    // Print: the browser's print, with only the sheet on the page.
    await page.evaluate(() => {
      (globalThis as unknown as { __printed: number }).__printed = 0;
      (globalThis as unknown as { print: () => void }).print = () => void (globalThis as unknown as { __printed: number }).__printed++;
    });
    await sheet.getByRole('button', { name: 'Print' }).click();
    expect(await page.evaluate(() => (globalThis as unknown as { __printed: number }).__printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav[aria-label=Views]').isVisible()).toBe(false);
    expect(await page.getByTestId('shortlist-table').isVisible()).toBe(false);
    expect(await sheet.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await sheet.locator('table').isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'formula-03-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    // The CSV download: the saved percentages by phase, then the notes.
    const [download] = await Promise.all([page.waitForEvent('download'), sheet.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('Toner-formula-v1-formula.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('phase,position,inci,percent,range_low,range_high,functions,limit,notes');
    expect(csv).toMatch(/A water phase,3,Glycerin,6,/);
    await expect.poll(async () => page.getByTestId('formula-sheet-notice').textContent()).toBe('Downloaded 9 ingredients as Toner-formula-v1-formula.csv.');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), sheet.getByRole('button', { name: 'Download XLSX' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('Toner-formula-v1-formula.xlsx');
    expect(readFileSync(await xlsx.path()).subarray(0, 2).toString()).toBe('PK');
    await sheet.getByRole('button', { name: 'Close' }).click();
    expect(await page.getByTestId('formula-sheet').count()).toBe(0);
    // Without the sheet, printing shows the view as it is.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('shortlist-table').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('takes up the saved formula when the candidate is opened in the editor', async () => {
    await page.getByRole('button', { name: 'Open in editor' }).click();
    await expect.poll(async () => page.getByTestId('editor-title').textContent()).toBe('Toner formula');
    await expect.poll(async () => percentOf('Glycerin').inputValue(), { timeout: 10_000 }).toBe('6.00');
    await estimated();
    expect(await total()).toBe('100.00');
    expect(await formulaRow('Glycerin').locator('.chip').first().textContent()).toBe('set by hand');
  });

  it('shows a relaxed estimate with its conflict and every kind of flag, and follows the product type', async () => {
    await page.getByText('Paste a whole declaration').click();
    await page.getByLabel('Declaration to paste').fill('Water, Glycerin, Foo Extract, Salicylic Acid, Cetearyl Alcohol, Zinc Oxide, Phenoxyethanol, Linalool, Tocopherol');
    await page.getByRole('button', { name: 'Replace the list' }).click();
    await expect.poll(async () => page.getByTestId('formula-status').textContent(), { timeout: 10_000 }).toBe('Relaxed: some typical ranges had to give way');
    await estimated();
    expect(await panel().getByTestId('formula-phase').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-phase')))).toEqual(['A', 'B', 'C', 'D']);
    expect(await page.getByTestId('formula-conflicts').textContent()).toContain('Zinc Oxide (position 6) would have to be typically at least 2 % yet below the 1 % line, at most 1 %');
    const chips = (name: string) => formulaRow(name).locator('.chip').allTextContents();
    expect(await chips('Foo Extract')).toEqual(['no typical level: wide range']);
    expect(await chips('Zinc Oxide')).toEqual(['outside typical range', 'pre-dispersed']);
    expect(await chips('Salicylic Acid')).toEqual(['at legal max']);
    expect(await chips('Linalool')).toEqual(['allergen']);
    expect(await total()).toBe('100.00');
    // Rinse-off: the allergen's labelling threshold is 0.01 % instead of 0.001 %.
    expect(await formulaRow('Linalool').locator('.range').textContent()).toMatch(/^\s*0\.0010–/);
    await panel().getByText('rinse-off').click();
    await expect.poll(async () => formulaRow('Linalool').locator('.range').textContent(), { timeout: 10_000 }).toMatch(/^\s*0\.010–/);
    expect(await panel().locator('.ptype label.on').textContent()).toContain('rinse-off');
    await page.screenshot({ path: join(shots, 'formula-04-relaxed.png'), fullPage: true });
  });

  it('logged no errors (including CSP violations) in the page', () => {
    expect(consoleErrors.join('\n')).toBe('');
  });
});
