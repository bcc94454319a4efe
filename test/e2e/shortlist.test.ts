import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * The Generate and Shortlist views in a real browser against the real services: empty states,
 * a small generate job run from the UI, sorting and each check's reasons, saving two
 * candidates, editing their notes, tags, status and rating, filtering, history, comparison,
 * the CSV download and deletion. Screenshots go to test-output/e2e/shortlist-*.png.
 */
const FORMULA_NOTE = '=SUM(A1:A2) keep at pH 5.5, "batch" 2';
const HOSTILE_NOTE = '<img src=x onerror="window.__xss=1"> check the preservative';
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let runId: number;
let consoleErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: join(shots, `shortlist-${name}.png`) });
const resultRows = () => page.locator('[data-testid=generate-table] tbody tr[data-rank]');
const shortlistRows = () => page.locator('[data-testid=shortlist-table] tbody tr[data-id]');
const row = (name: string) => shortlistRows().filter({ has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });
const shownRanks = async () => (await resultRows().evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-rank')))));

useBrowserApp({ prepare: (service) => service.loadSampleCatalog(), acceptDownloads: true }, (app) => ({ service, server, page, errors: consoleErrors } = app));

describe('generate and shortlist in the browser', () => {
  it('says how to train a model, and how to save a first candidate', async () => {
    await page.goto(server.url);
    await page.getByTestId('nav-generate').click();
    await expect.poll(() => page.getByTestId('generate-no-model').textContent()).toContain('latent-formulator train --preset quick');
    await shot('01-no-model');
    await page.getByTestId('nav-shortlist').click();
    await expect.poll(() => page.getByTestId('shortlist-empty').textContent()).toContain('Save to shortlist');
    await shot('02-empty');
  });

  it('runs a small generate job from the UI and shows stage timings, the quality panel and the baselines', { timeout: 240_000 }, async () => {
    await service.trainModel({ preset: 'quick', seed: 1 });
    await page.reload();
    await page.getByTestId('nav-generate').click();
    await page.getByLabel('Samples (N)').fill('2000');
    await page.getByLabel('Candidates to decode (K)').fill('200');
    const started = Date.now();
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    await resultRows().first().waitFor({ timeout: 120_000 });
    console.log(`generate job N 2,000 / K 200 from the UI: ${Date.now() - started} ms (click to first row)`);
    runId = Number(/Run (\d+)/.exec((await page.getByTestId('generate-summary').locator('h3').first().textContent()) ?? '')?.[1]);
    expect(runId).toBeGreaterThan(0);
    expect(await page.getByTestId('generate-counts').textContent()).toMatch(/^\s*2,000 sampled → [\d,]+ above the density floor →\s+200 decoded → \d+ passed/);
    const stages = await page.getByTestId('generate-timings').locator('td:first-child').allTextContents();
    expect(stages).toEqual(expect.arrayContaining(['fit', 'sample and density', 'decode and check', 'quality', 'baselines', 'whole job, as the app sees it']));
    const quality = page.getByTestId('generate-quality');
    expect(await quality.locator('thead th').count()).toBe(4); // measure, this run, two baselines
    expect(await quality.locator('tbody td:first-child').allTextContents()).toEqual([
      'Validity', 'Uniqueness', 'Passed every check', 'Novelty (mean / median)', 'Internal diversity', 'Frequency divergence', 'Plausibility (median)', 'Length (median)', 'Structure checks passed',
    ]);
    expect(await quality.locator('tbody tr').nth(6).textContent()).toMatch(/\(catalog \d\.\d{3}\)/);
    expect(await quality.locator('tbody tr').nth(7).textContent()).toMatch(/\d+(\.5)? \(catalog \d+(\.5)?; JS \d\.\d{3}\)/);
    expect(await quality.locator('tbody tr').nth(8).textContent()).toMatch(/\d+\.\d % \(catalog \d+\.\d %; completed \d+\.\d %\)/);
    // It went through the activity bar's tracking (progress and Cancel), and finished.
    expect((await service.getActivity()).finished[0]).toMatchObject({ kind: 'generate', state: 'done' });
    const passed = (await service.listGeneratedCandidates({ runId, show: 'passed' })).total;
    expect(await page.getByTestId('generate-page').textContent()).toContain(`of ${passed}`);
    await shot('03-generate');
  });

  it('sorts the results by novelty and expands a row to every check with its reasons', async () => {
    await page.getByRole('button', { name: 'Rejected', exact: true }).click();
    await page.getByRole('button', { name: /^Novelty/ }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: /Novelty/ }).getAttribute('aria-sort')).toBe('descending');
    const expected = (await service.listGeneratedCandidates({ runId, show: 'rejected', sortBy: 'novelty', limit: 50 })).items;
    await expect.poll(shownRanks).toEqual(expected.map((c) => c.rank));
    const novelty = expected.map((c) => c.novelty);
    expect(novelty).toEqual([...novelty].sort((a, b) => b - a));

    await page.getByRole('button', { name: `Show the checks of rank ${expected[0]!.rank}` }).click();
    const checks = page.getByTestId('generate-checks');
    await checks.waitFor();
    const lines = await checks.locator('ul.checks > li > strong').allTextContents();
    expect(lines.slice(0, 4)).toEqual(['Valid list', 'Novelty', 'Ordering plausibility', 'Structure']);
    expect(await checks.locator('[aria-label=failed]').count()).toBeGreaterThan(0);
    const reasons = await checks.locator('ul.checks ul li').allTextContents();
    for (const reason of expected[0]!.reasons) expect(reasons).toContain(reason.replace(/^(order|completed): /, ''));
    await page.getByTestId('generate-results').evaluate((el) => el.scrollIntoView());
    await shot('04-checks');

    await page.getByRole('button', { name: /^Novelty/ }).click();
    await expect.poll(() => page.getByRole('columnheader', { name: /Novelty/ }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(async () => (await shownRanks())[0]).toBe((await service.listGeneratedCandidates({ runId, show: 'rejected', sortBy: 'novelty', descending: false, limit: 1 })).items[0]!.rank);
  });

  it('saves two candidates to the shortlist and opens one in the editor', async () => {
    await page.getByRole('button', { name: 'Passed', exact: true }).click();
    await page.getByRole('button', { name: /^Rank/ }).click();
    await expect.poll(shownRanks).toEqual(expect.arrayContaining([1, 2]));
    for (const rank of [1, 2]) {
      await page.locator(`[data-testid=generate-table] tr[data-rank="${rank}"] td.ingredients`).click();
      await expect.poll(() => page.getByTestId('generate-candidate').locator('h3').textContent()).toContain(`Rank ${rank}`);
      await page.getByRole('button', { name: 'Save to shortlist' }).click();
      await expect.poll(() => page.getByTestId('generate-saved').textContent()).toBe(`Saved as “Run ${runId} #${rank}”`);
    }
    const saved = await service.listCandidates();
    expect(saved.items.map((c) => [c.name, c.provenance.source])).toEqual([
      [`Run ${runId} #2`, 'generated'],
      [`Run ${runId} #1`, 'generated'],
    ]);
    await page.getByRole('button', { name: 'Open in editor' }).click();
    await page.getByTestId('view-editor').waitFor();
    // The run is still there on coming back.
    await page.getByTestId('nav-generate').click();
    await expect.poll(() => page.getByTestId('generate-saved').textContent()).toBe(`Saved as “Run ${runId} #2”`);
  });

  it('edits notes, tags, status and rating in place, and filters by each', async () => {
    await page.getByTestId('nav-shortlist').click();
    await expect.poll(() => shortlistRows().count()).toBe(2);
    const first = `Run ${runId} #1`;
    const second = `Run ${runId} #2`;
    await row(first).locator('.name').click();
    const detail = page.getByTestId('shortlist-detail');
    await expect.poll(() => detail.locator('input.name').inputValue()).toBe(first);
    await detail.getByLabel('Notes').fill(FORMULA_NOTE);
    await detail.getByLabel('Notes').blur();
    await expect.poll(() => page.getByTestId('notes-hint').textContent()).toBe('Saved');
    await detail.getByLabel(`Add a tag to ${first}`).fill('night serum');
    await detail.getByLabel(`Add a tag to ${first}`).press('Enter');
    await expect.poll(() => row(first).locator('.chip').allTextContents()).toEqual(['night serum']);
    await row(first).getByLabel(`Status of ${first}`).selectOption('in-lab');
    await row(first).getByRole('button', { name: `Rate ${first} 4 of 5` }).click();
    await expect.poll(async () => (await service.getCandidate({ id: (await service.listCandidates({ search: first })).items[0]!.id })).rating).toBe(4);
    const edited = (await service.listCandidates({ tag: 'night serum' })).items[0]!;
    expect(edited).toMatchObject({ name: first, notes: FORMULA_NOTE, tags: ['night serum'], status: 'in-lab', rating: 4, version: 1 });

    // A note with markup in it stays text.
    await row(second).locator('.name').click();
    await expect.poll(() => detail.locator('input.name').inputValue()).toBe(second);
    await detail.getByLabel('Notes').fill(HOSTILE_NOTE);
    await detail.getByLabel('Notes').blur();
    await expect.poll(() => row(second).locator('.preview').textContent()).toBe(HOSTILE_NOTE);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();

    const count = () => page.getByTestId('shortlist-count').textContent();
    await page.getByLabel('Filter by tag').fill('night serum');
    await expect.poll(count).toMatch(/^1 candidate\b/);
    await page.getByLabel('Filter by tag').fill('');
    await page.getByLabel('Filter by status').selectOption('in-lab');
    await expect.poll(count).toMatch(/^1 candidate\b/);
    expect(await shortlistRows().locator('.name').allTextContents()).toEqual([first]);
    await page.getByLabel('Filter by status').selectOption('');
    await page.getByLabel('Minimum rating').selectOption({ label: '★★★★★ or more' });
    await expect.poll(() => page.locator('[data-testid=shortlist-table] tbody').textContent()).toContain('No saved candidate matches these filters');
    await page.getByLabel('Minimum rating').selectOption({ label: '★★★★ or more' });
    await expect.poll(count).toMatch(/^1 candidate\b/);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await page.getByLabel('Search name or notes').fill('preservative');
    await expect.poll(() => shortlistRows().locator('.name').allTextContents()).toEqual([second]);
    await page.getByLabel('Search name or notes').fill('');
    await expect.poll(count).toMatch(/^2 candidates\b/);
    await row(first).locator('.name').click();
    await shot('05-edited');
  });

  it('shows a candidate’s version history and compares two candidates side by side', async () => {
    const byName = new Map((await service.listCandidates()).items.map((c) => [c.name, c]));
    const a = byName.get(`Run ${runId} #1`)!;
    const b = byName.get(`Run ${runId} #2`)!;
    await service.saveGeneratedCandidate({ runId, rank: 3, id: a.id, changeNote: 'try the third-ranked list' });
    await page.getByTestId('nav-generate').click();
    await page.getByTestId('nav-shortlist').click();
    const versions = page.getByTestId('shortlist-versions');
    await expect.poll(() => versions.locator('summary strong').allTextContents()).toEqual(['Version 2', 'Version 1']);
    expect(await versions.textContent()).toContain('“try the third-ranked list”');
    await versions.getByRole('button', { name: 'Compare with version 2' }).click();
    const compare = page.getByTestId('shortlist-compare');
    await expect.poll(() => compare.locator('h3').textContent()).toMatch(/\(version 1\)\s*vs\s*.*\(version 2\)/);
    await compare.getByRole('button', { name: 'Close comparison' }).click();

    await row(a.name).getByRole('checkbox').check();
    await row(b.name).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Compare 2' }).click();
    // A is the one listed first: the most recently changed (a, which just got version 2).
    expect(await shortlistRows().locator('.name').allTextContents()).toEqual([a.name, b.name]);
    const expected = await service.compareCandidates({ a: a.id, b: b.id });
    expect(await compare.locator('h3').textContent()).toMatch(new RegExp(`^${a.name} \\(version 2\\)\\s*vs\\s*${b.name} \\(version 1\\)$`));
    await expect.poll(() => compare.getByTestId('compare-summary').textContent()).toContain(
      `${expected.shared.length} shared · ${expected.onlyInA.length} only in A · ${expected.onlyInB.length} only in B`,
    );
    expect(await compare.getByTestId('compare-a').locator('li').count()).toBe(expected.a.ingredients.length);
    expect(await compare.getByTestId('compare-b').locator('li').count()).toBe(expected.b.ingredients.length);
    expect(await compare.getByTestId('compare-a').locator('li', { hasText: 'only in A' }).count()).toBe(expected.onlyInA.length);
    expect(await compare.getByTestId('compare-scores').locator('tbody tr').first().textContent()).toMatch(/^score/);
    await shot('06-compare');
  });

  it('exports the selected candidates as a CSV download: BOM, header, notes and tags, formulas neutralised', async () => {
    const ids = (await service.listCandidates()).items.map((c) => c.id);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export 2 to CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^shortlist-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toBe((await service.candidatesCsv({ ids })).csv);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^id,name,version,status,rating,tags,notes,ingredients,score_logDensity,score_novelty,score_plausibility,/);
    expect(lines.filter(Boolean)).toHaveLength(3);
    expect(text).toContain(`,in-lab,4,night serum,"'=SUM(A1:A2) keep at pH 5.5, ""batch"" 2",`);
    expect(text).toContain('"<img src=x onerror=""window.__xss=1""> check the preservative"');
    await expect.poll(() => page.getByTestId('shortlist-notice').textContent()).toMatch(/^Downloaded 2 candidates as shortlist-/);
    await shot('07-export');
  });

  it('deletes a candidate only after confirmation', async () => {
    const second = `Run ${runId} #2`;
    await row(second).locator('.name').click();
    const detail = page.getByTestId('shortlist-detail');
    await expect.poll(() => detail.locator('input.name').inputValue()).toBe(second);
    await detail.getByRole('button', { name: 'Delete…' }).click();
    await detail.getByRole('button', { name: 'Keep it' }).click();
    expect((await service.listCandidates()).total).toBe(2);
    await detail.getByRole('button', { name: 'Delete…' }).click();
    expect(await detail.getByRole('alertdialog').textContent()).toContain(`Delete “${second}” and its 1 version?`);
    await shot('08-delete');
    await detail.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => page.getByTestId('shortlist-notice').textContent()).toBe(`Deleted “${second}” and its 1 version.`);
    expect((await service.listCandidates()).items.map((c) => c.name)).toEqual([`Run ${runId} #1`]);
    await expect.poll(() => page.getByTestId('shortlist-count').textContent()).toMatch(/^1 candidate, 1 selected/);
  });

  it('says what is wrong with the parameters, centres on a product found by search, and cancels a long job', { timeout: 120_000 }, async () => {
    const runs = () => (service.db.prepare(`SELECT count(*) AS n FROM generation_runs`).get() as { n: number }).n;
    await page.getByTestId('nav-generate').click();
    await page.getByLabel('Samples (N)').fill('100');
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('N (samples) must be at least K (candidates to decode)');
    await page.getByLabel('Samples (N)').fill('');
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Cannot generate: fill in Samples (N).');

    await page.getByLabel('Centre on a product').fill('Illustrative Centella');
    const product = (await service.listProducts({ search: 'Illustrative Centella', limit: 8 })).items[0]!;
    await page.getByRole('option', { name: /Illustrative Centella/ }).first().click();
    await expect.poll(() => page.getByTestId('generate-centre').textContent()).toContain(`Around ${product.name}`);
    await page.getByLabel('Samples (N)').fill('2000');
    const before = runs();
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    await expect.poll(runs, { timeout: 60_000 }).toBe(before + 1);
    const stored = service.db.prepare(`SELECT params FROM generation_runs ORDER BY id DESC LIMIT 1`).get() as { params: string };
    expect(JSON.parse(stored.params).centreProductId).toBe(product.id);
    await expect.poll(async () => (await page.getByTestId('generate-summary').locator('h3').first().textContent())?.trim()).toBe(`Run ${before + 1}`);

    // A long job shows its progress in the activity bar, and Cancel stops it with nothing stored.
    await page.getByLabel('Samples (N)').fill('200000');
    await page.getByLabel('Candidates to decode (K)').fill('20000');
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    const bar = page.getByTestId('activity-bar');
    await expect.poll(() => bar.textContent(), { timeout: 30_000 }).toContain('Generating 200,000 samples');
    await shot('09-cancel');
    await bar.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'cancelled' }).textContent(), { timeout: 60_000 }).toContain('Generation cancelled; nothing was stored.');
    expect(runs()).toBe(before + 1);
    expect((await service.getActivity()).finished[0]).toMatchObject({ kind: 'generate', state: 'cancelled' });
  });

  it('runs a generate job under a saved design brief chosen in the form: every list obeys it and the run says so', { timeout: 120_000 }, async () => {
    await service.saveBrief({ name: 'Niacinamide serum', brief: { include: ['Niacinamide'], freeFrom: ['silicones', 'fragrance'], maxLength: 26 } });
    await page.getByTestId('nav-generate').click();
    await page.getByLabel('Samples (N)').fill('2000');
    await page.getByLabel('Candidates to decode (K)').fill('200');
    await page.getByTestId('generate-brief').focus();
    await expect.poll(async () => page.getByTestId('generate-brief').locator('option').allTextContents()).toContain('Niacinamide serum (v1)');
    await page.getByTestId('generate-brief').selectOption('Niacinamide serum');
    await page.getByRole('button', { name: 'Generate candidates' }).click();
    await expect.poll(() => page.getByTestId('generate-brief-applied').textContent(), { timeout: 60_000 }).toContain('Every list obeys the brief Niacinamide serum v1');
    const id = Number(/Run (\d+)/.exec((await page.getByTestId('generate-summary').locator('h3').first().textContent()) ?? '')?.[1]);
    const all = (await service.listGeneratedCandidates({ runId: id, limit: 1000 })).items;
    expect(all).toHaveLength(200);
    for (const c of all) {
      expect(c.ingredients).toContain('Niacinamide');
      expect(c.ingredients.length).toBeLessThanOrEqual(26);
      expect(c.ingredients.filter((n) => /methicone|siloxane|^fragrance$|^parfum/i.test(n))).toEqual([]);
    }
    await shot('10-brief');
  });

  it('logged no errors (including CSP violations) in the page', () => {
    expect(consoleErrors.join('\n')).toBe('');
  });
});
