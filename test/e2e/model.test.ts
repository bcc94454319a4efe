import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { shots, useBrowserApp } from './harness';

/**
 * The Model view in a real browser against the real services: training with live progress and
 * a loss chart, cancelling a run, the list of models with their metrics, activating one.
 */
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let consoleErrors: string[] = [];

useBrowserApp({ prepare: (service) => service.loadSampleCatalog({ duplicates: 'merge' }) }, (app) => ({ service, server, page, errors: consoleErrors } = app));

describe('model view in the browser', () => {
  it('trains a quick model with live progress and a loss chart, then lists it as active', async () => {
    await page.goto(server.url);
    await page.getByTestId('nav-model').click();
    await expect.poll(() => page.getByTestId('view-model').textContent()).toContain('No model yet');
    await page.getByTestId('train-button').click();
    await page.getByTestId('activity-bar').waitFor();
    await page.getByTestId('train-progress').waitFor();
    await page.getByTestId('loss-chart').waitFor();
    await page.screenshot({ path: join(shots, 'model-01-training.png') });
    const rows = page.locator('[data-testid=models-table] tbody tr');
    await expect.poll(() => rows.count(), { timeout: 120_000 }).toBe(1);
    await expect.poll(() => rows.first().textContent()).toMatch(/quick.*wasm.*active/);
    await expect.poll(() => page.getByTestId('model-status').textContent()).toMatch(/backend wasm/);
    // The finished run's losses stay on the chart: one point per epoch trained.
    expect(await page.locator('[data-testid=loss-chart] polyline').count()).toBe(2);
    await page.screenshot({ path: join(shots, 'model-02-trained.png') });
  }, 180_000);

  it('cancels a training run: the activity ends as cancelled and no model is added', async () => {
    await page.getByLabel('Full').check();
    await page.getByTestId('train-button').click();
    await page.getByTestId('train-progress').waitFor();
    await page.getByRole('button', { name: 'Cancel training' }).click();
    await expect.poll(() => page.getByTestId('view-model').textContent(), { timeout: 30_000 }).toMatch(/Last training run: cancelled/);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/cancel/i);
    expect(await page.locator('[data-testid=models-table] tbody tr').count()).toBe(1);
    expect((await service.getActivity()).finished[0]).toMatchObject({ kind: 'train', state: 'cancelled' });
  }, 60_000);

  it('activates another model from the list', async () => {
    await service.trainModel({ preset: 'quick', seed: 2, name: 'second model', activate: false });
    await page.reload();
    await page.getByTestId('nav-model').click();
    const second = page.locator('[data-testid=models-table] tbody tr', { hasText: 'second model' });
    await second.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => second.textContent()).toContain('active');
    await expect.poll(() => page.getByTestId('model-status').textContent()).toContain('second model');
    await page.screenshot({ path: join(shots, 'model-03-activated.png') });
  }, 120_000);

  it('logged no errors (including CSP violations) in the page', () => {
    expect(consoleErrors.join('\n')).toBe('');
  });
});
