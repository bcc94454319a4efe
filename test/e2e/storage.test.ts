import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import { openServiceIn, tempDir } from '../helpers';
import { shots, useBrowserApp } from './harness';

/**
 * A data folder inside a synced folder, in a real browser: every view carries the notice saying
 * where the data is and why that is risky, with the move; the preview has no folder dialog, so
 * it says how to move from the command line instead. Screenshot: test-output/e2e/storage-notice.png.
 */
let page: Page;
let server: PreviewServer;
let errors: string[] = [];

useBrowserApp(
  {
    open: async () => {
      const folder = tempDir('lf-e2e-storage-');
      mkdirSync(join(folder.dir, 'Dropbox', 'lab'), { recursive: true });
      return openServiceIn(folder, join('Dropbox', 'lab', 'app.db'));
    },
    prepare: (service) => service.loadSampleCatalog(),
    timeout: 120_000,
  },
  (app) => {
    ({ page, server, errors } = app);
  },
);

describe('a database in a synced folder, in the window', () => {
  it('shows the notice with the reason, and in the preview says to move from the command line', async () => {
    await page.goto(server.url);
    const notice = page.getByTestId('storage-notice');
    await notice.waitFor();
    expect(await notice.getByRole('heading').textContent()).toBe('The database is in a Dropbox folder');
    expect((await notice.textContent())?.replace(/\s+/g, ' ')).toMatch(/The data folder is inside the Dropbox folder .*Dropbox: Dropbox copies the database and its -wal\/-shm files while the app writes them/);
    await page.getByTestId('nav-data').click();
    expect(await page.getByTestId('storage-location').textContent()).toMatch(/^Stored: inside the Dropbox folder /);
    await page.getByTestId('move-database').click();
    expect(await page.getByTestId('move-error').textContent()).toBe('choosing a folder needs the desktop app; on the command line: latent-formulator db move FOLDER');
    await page.screenshot({ path: join(shots, 'storage-notice.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
