import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/** The optimisation view in a real browser against the real services (sample catalog, quick model). */
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let consoleErrors: string[] = [];

useBrowserApp({ prepare: (service) => service.loadSampleCatalog(), viewport: { width: 1440, height: 1000 }, timeout: 60_000 }, (app) => ({ service, server, page, errors: consoleErrors } = app));

describe('the optimisation view', () => {
  it('asks for a model first', async () => {
    await page.goto(server.url);
    await page.getByTestId('nav-optimize').click();
    await expect.poll(() => page.getByTestId('view-optimize').textContent()).toContain('Optimisation needs a trained model');
  });

  it('builds an objective, runs restarts with progress, and shows each verdict', { timeout: 120_000 }, async () => {
    await service.trainModel({ preset: 'quick', seed: 3 });
    await page.reload();
    await page.getByTestId('nav-optimize').click();
    const goal = page.getByLabel('Term 1 goal');
    await goal.waitFor();
    await page.getByLabel('Term 1 benefit').selectOption('hydration');
    // A target without its value blocks the run and says why.
    await goal.selectOption('target');
    await expect.poll(() => page.getByTestId('view-optimize').textContent()).toContain('Term 1: give the value to hit.');
    expect(await page.getByTestId('opt-run').isDisabled()).toBe(true);
    await goal.selectOption('maximize');
    await page.getByRole('button', { name: 'Add a benefit' }).click();
    await page.getByLabel('Term 2 benefit').selectOption('soothing');
    await page.getByLabel('Term 2 weight').fill('0.5');
    await page.getByLabel('Restarts').fill('3');
    await page.getByLabel('Max steps').fill('50');
    await page.getByTestId('opt-run').click();
    await expect.poll(() => page.getByTestId('opt-summary').textContent(), { timeout: 90_000 }).toMatch(/of 3 restarts succeeded/);
    // One row per distinct final list, with how many runs ended on it: the counts add up to the restarts.
    const summary = (await page.getByTestId('opt-summary').textContent())!;
    const distinct = Number(/ended on (\d+) distinct list/.exec(summary)![1]);
    const rows = page.locator('[data-testid=opt-restarts] tbody tr');
    expect(await rows.count()).toBe(distinct);
    const runs = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[1]!.textContent)));
    expect(runs.reduce((a, b) => a + b, 0)).toBe(3);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td.list')!.textContent));
    expect(new Set(shown).size).toBe(distinct);
    const finished = (await service.getActivity()).finished.find((a) => a.kind === 'optimize');
    expect(finished).toMatchObject({ state: 'done', label: 'Optimising maximize hydration, maximize soothing' });
    await page.locator('[data-testid=opt-map] .js-plotly-plot').waitFor();
    await page.locator('[data-testid=opt-objective] .js-plotly-plot').waitFor();
    expect(await page.getByTestId('opt-step').textContent()).toMatch(/Verdict.*hydration/s);
    await page.screenshot({ path: join(shots, 'optimize-01-result.png'), fullPage: true });
  });

  it('shows another restart, plays its path, and saves it as a candidate with its provenance', { timeout: 60_000 }, async () => {
    const rows = page.locator('[data-testid=opt-restarts] tbody tr');
    // The sample catalog's three restarts end on three lists (kept apart by default): the second row is another restart.
    expect(await rows.count()).toBe(3);
    const restart = Number(await rows.nth(1).getAttribute('data-index')) + 1;
    const start = (await rows.nth(1).locator('td').nth(2).textContent())!;
    await rows.nth(1).locator('td').first().click();
    await expect.poll(() => rows.nth(1).getAttribute('class')).toContain('selected');
    await expect.poll(() => page.getByRole('heading', { level: 3, name: new RegExp(`Restart ${restart}: its path`) }).count()).toBe(1);
    await page.getByTestId('opt-play').click();
    await expect.poll(() => page.getByTestId('opt-step').textContent()).toMatch(/At step 0:/);
    await page.getByLabel('Name for saved candidates').fill('Hydration push');
    await rows.nth(1).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain(`Saved restart ${restart} as “Hydration push”`);
    const saved = (await service.listCandidates({ search: 'Hydration push' })).items[0]!;
    expect(start).toMatch(/^random draw \d \(seed 1\)$/);
    expect(saved.provenance).toMatchObject({ source: 'optimised', details: { start } });
    expect(await rows.nth(1).textContent()).toContain('saved');
  });

  it('logged no errors (including CSP violations) in the page', () => {
    expect(consoleErrors.join('\n')).toBe('');
  });
});
