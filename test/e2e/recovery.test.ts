import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { openServiceIn, tempDir, type OpenedTestService } from '../helpers';
import { shots, useBrowserApp } from './harness';

/**
 * A damaged database in a real browser: the preview is started on a database file cut in half
 * (with a backup beside it); the window must say what happened and where the files went, offer
 * the latest backup, restore it after a confirmation, and list backups in the Data view.
 * Screenshots go to test-output/e2e/recovery-*.png.
 */
let dir: string;
let service: FormulatorService;
let server: PreviewServer;
let page: Page;
let consoleErrors: string[] = [];
let quarantinedTo: string;

/** An element's text as a reader sees it (the markup's line breaks and indentation collapsed). */
const text = async (locator: Locator) => ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
const shot = (name: string) => page.screenshot({ path: join(shots, `recovery-${name}.png`), fullPage: true });

/** The services on a database file cut in half, with a backup of the whole one beside it. */
async function openDamaged(): Promise<OpenedTestService> {
  const folder = tempDir('lf-e2e-recovery-');
  try {
    const path = join(folder.dir, 'app.db');
    const first = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
    await first.loadSampleCatalog();
    await first.saveCandidate({ name: 'Glow serum', declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    await first.backupNow();
    first.close();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    return await openServiceIn(folder, 'app.db');
  } catch (error) {
    folder.cleanup();
    throw error;
  }
}

useBrowserApp({ open: openDamaged, viewport: { width: 1300, height: 900 }, timeout: 120_000 }, (app) => {
  ({ dir, service, server, page, errors: consoleErrors } = app);
  quarantinedTo = service.startup.quarantined!.folder;
});

describe('a damaged database in the window', () => {
  it('says what happened and where the files went, and offers the latest backup', async () => {
    expect(quarantinedTo).toContain(join(dir, 'quarantine'));
    await page.goto(server.url);
    const notice = page.getByTestId('recovery-notice');
    await notice.waitFor();
    expect(await notice.getByRole('heading').textContent()).toBe('The database was damaged and has been set aside');
    expect(await text(notice.getByRole('alert'))).toMatch(/^At start-up on .* the database failed its check: SQLite found the file damaged while checking it \("database disk image is malformed"\)\. Nothing was deleted: its files were moved, exactly as they were, to$/);
    expect(await page.getByTestId('recovery-folder').textContent()).toBe(quarantinedTo);
    expect(await text(page.getByTestId('recovery-restore'))).toMatch(/^Restore the backup from \d{4}-\d\d-\d\d \d\d:\d\d \(432 products, 1 candidate\)…$/);
    expect(await page.getByTestId('recovery-keep').textContent()).toBe('Keep the empty database');
    // The rest of the window is the empty database's.
    expect(await page.getByTestId('status').textContent()).toContain('0 products');
    await shot('01-notice');
  });

  it('asks before restoring, focusing the question, and can be cancelled', async () => {
    await page.getByTestId('recovery-restore').click();
    const confirm = page.getByTestId('restore-confirm');
    await confirm.waitFor();
    expect(await text(confirm)).toMatch(/^Restore the backup from .* \(432 products, 1 candidate\)\? The database in use now is moved to the quarantine folder as well, so nothing is lost\. Restore it Cancel$/);
    // Page code as a string: it runs in the browser, where these tests' Node types do not apply.
    expect(await page.evaluate('document.activeElement?.textContent?.trim()')).toBe('Restore it');
    await shot('02-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('recovery-restore').waitFor();
    expect(await page.getByTestId('status').textContent()).toContain('0 products');
  });

  it('restores the backup: the catalog is back and the notice is gone', async () => {
    await page.getByTestId('recovery-restore').click();
    await page.getByTestId('restore-confirm').getByRole('button', { name: 'Restore it' }).click();
    await expect.poll(() => page.getByTestId('database-message').textContent(), { timeout: 20_000 }).toContain('Restored');
    expect(await page.getByTestId('database-message').textContent()).toContain('432 products, 1 candidate.');
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('432 products');
    await expect.poll(() => page.getByTestId('recovery-notice').count()).toBe(0);
    expect((await service.getStatus()).productCount).toBe(432);
    await shot('03-restored');
  });

  it('lists the backups in the Data view and backs up by hand', async () => {
    await page.getByTestId('nav-data').click();
    const rows = page.locator('[data-testid=backups-table] tbody tr');
    await rows.first().waitFor();
    const before = await rows.count();
    expect(await rows.first().textContent()).toContain('432 products, 1 candidate');
    await page.getByTestId('backup-now').click();
    await expect.poll(() => page.getByTestId('database-message').textContent()).toContain('Backed up at');
    await expect.poll(() => rows.count()).toBe(before + 1);
    expect(await rows.first().locator('td').nth(1).textContent()).toBe('backed up by hand');
    expect(await page.getByTestId('last-backup').textContent()).toMatch(/Last backup .* \(\d+ ms\)/);
    await shot('04-data-view');
    expect(consoleErrors.join('\n')).toBe('');
  });
});
