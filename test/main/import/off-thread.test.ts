import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../src/shared/api';
import { ImportError } from '../../../src/main/import/catalog-file';
import { ImportWorker, threadImportChannel, type ImportChannel } from '../../../src/main/import/off-thread';
import type { ImportProgress } from '../../../src/main/import/import-run';
import { resolveResourcesDir } from '../../../src/main/resources';
import { FormulatorService } from '../../../src/main/services/formulator-service';
import { sephoraCsvPath } from '../../data';
import { tempDir } from '../../helpers';

/** Imports run in a worker with their own connection: same results as in-thread, all or nothing, and the worker's death said plainly. */

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The services on a fresh file, with a count of the import workers started and hooks on each channel. */
async function openService(hooks: { onProgress?: (p: ImportProgress) => void; wrap?: (channel: ImportChannel) => ImportChannel } = {}) {
  const folder = tempDir('lf-offthread-');
  let started = 0;
  const service = await FormulatorService.open({
    databasePath: join(folder.dir, 'test.db'),
    resourcesDir: resolveResourcesDir(),
    onImportProgress: (p) => hooks.onProgress?.(p),
    importChannel: () => {
      started++;
      const channel = threadImportChannel();
      return hooks.wrap ? hooks.wrap(channel) : channel;
    },
  });
  cleanups.push(() => {
    service.close();
    folder.cleanup();
  });
  return { service, dir: folder.dir, started: () => started };
}

/** A report without what differs between two runs of the same import (its time, and its catalog's id). */
function comparable(report: ImportReport): Partial<ImportReport> {
  const { elapsedMs: _elapsed, catalogId: _id, ...rest } = report;
  return rest;
}

describe('imports off the main thread', () => {
  it('reads the public catalog exactly as the in-thread import does, in one worker kept for the next import', async () => {
    const { service, started } = await openService();
    const offThread = await service.importCatalog({ path: sephoraCsvPath() });
    const sample = await service.loadSampleCatalog();
    expect(started()).toBe(1);
    expect([offThread.rowsRead, offThread.rowsImported, offThread.rowsRejected]).toEqual([1472, 1255, 217]);
    expect(sample.rowsImported).toBeGreaterThan(400);
    expect((await service.getStatus()).productCount).toBe(offThread.productsInserted + sample.productsInserted);

    // An in-memory database has no file for a second connection: its imports run in-thread.
    const inThread = await FormulatorService.open({ databasePath: ':memory:', resourcesDir: resolveResourcesDir() });
    try {
      const report = await inThread.importCatalog({ path: sephoraCsvPath() });
      expect(comparable(offThread)).toEqual(comparable(report));
      const products = (s: FormulatorService, catalogId: number | null) =>
        s.db.prepare('SELECT name, brand, category, declaration, ingredients_hash, source_line FROM products WHERE catalog_id = ? ORDER BY id').all(catalogId);
      const written = products(service, offThread.catalogId);
      expect(written).toHaveLength(offThread.productsInserted);
      expect(written).toEqual(products(inThread, report.catalogId));
    } finally {
      inThread.close();
    }
  });

  it('keeps the import invisible to the app until it commits, and sends progress on the way', async () => {
    const seen: { rows: number; products: number }[] = [];
    const app: { db?: FormulatorService['db'] } = {};
    const { service } = await openService({
      onProgress: (p) => {
        // The app's own connection reads while the worker writes: it sees the database as it was.
        if (p.stage === 'reading') seen.push({ rows: p.rows, products: app.db!.prepare('SELECT count(*) AS n FROM products').pluck().get() as number });
      },
    });
    app.db = service.db;
    const report = await service.importCatalog({ path: sephoraCsvPath() });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((s) => s.rows > 0)).toBe(true);
    expect(seen.every((s) => s.products === 0)).toBe(true);
    expect((await service.getStatus()).productCount).toBe(report.productsInserted);
  });

  it('previews in the worker, beside an import in progress, as the in-thread preview does', async () => {
    const { service, started } = await openService();
    const importing = service.importCatalog({ path: sephoraCsvPath() });
    const preview = await service.previewImport({ path: sephoraCsvPath() });
    expect((await service.getStatus()).productCount).toBe(0);
    const inThread = await FormulatorService.open({ databasePath: ':memory:', resourcesDir: resolveResourcesDir() });
    try {
      expect(preview).toEqual(await inThread.previewImport({ path: sephoraCsvPath() }));
    } finally {
      inThread.close();
    }
    expect(preview.mapping?.ingredients).toBe('Ingredients');
    expect((await importing).rowsImported).toBe(1255);
    expect(started()).toBe(1);
  });

  it('deletes a catalog in the worker, after a backup checked there, and the app sees it gone at once', async () => {
    const asked: string[] = [];
    const { service } = await openService({
      wrap: (channel) => ({ ...channel, send: (message) => (asked.push(message.type), channel.send(message)) }),
    });
    const sephora = await service.importCatalog({ path: sephoraCsvPath() });
    const sample = await service.loadSampleCatalog();
    const deletion = await service.deleteCatalog({ id: sephora.catalogId! });
    // The checked backup taken first is written from the worker too.
    expect(asked).toEqual(['import', 'import', 'backup', 'delete-catalog']);
    expect(deletion.removed.products).toBe(sephora.productsInserted);
    expect(deletion.backup?.readable).toBe(true);
    expect((await service.listCatalogs()).map((c) => c.id)).toEqual([sample.catalogId]);
    expect((await service.getStatus()).productCount).toBe(sample.productsInserted);
  });

  it('gives a file’s own error in the same words as in-thread, and imports nothing', async () => {
    const { service, dir } = await openService();
    const path = join(dir, 'empty-rows.csv');
    writeFileSync(path, 'Name,Ingredients\n');
    await expect(service.importCatalog({ path })).rejects.toThrow(/empty-rows\.csv has a header \(line 1\) but no product rows\. Nothing was imported\./);
    expect((await service.getStatus()).productCount).toBe(0);
    expect(await service.listCatalogs()).toEqual([]);
  });

  it('says so when the worker dies mid-import, leaves the database as it was, and starts a fresh worker for the next import', async () => {
    let channels = 0;
    let killFirst: (() => void) | null = null;
    const { service, started } = await openService({
      wrap: (channel) => {
        channels++;
        if (channels === 1) killFirst = () => channel.kill();
        return channel;
      },
      onProgress: (p) => {
        if (p.stage === 'reading' && p.rows > 100) killFirst?.();
      },
    });
    await expect(service.importCatalog({ path: sephoraCsvPath() })).rejects.toThrow(/the import's worker stopped unexpectedly \(exit code \d+\)\. Nothing was imported; the database is as it was\./);
    expect((await service.getStatus()).productCount).toBe(0);
    expect(await service.listCatalogs()).toEqual([]);
    killFirst = null;
    const report = await service.importCatalog({ path: sephoraCsvPath() });
    expect(report.rowsImported).toBe(1255);
    expect(started()).toBe(2);
    expect((await service.getStatus()).productCount).toBe(report.productsInserted);
  });

  it('cancels on the caller’s signal, rolling back, and refuses a database whose schema changed under it', async () => {
    const { service, dir } = await openService();
    const worker = new ImportWorker();
    cleanups.push(() => worker.close());
    const database = { path: join(dir, 'test.db'), schemaVersion: (await service.getStatus()).schemaVersion };
    const controller = new AbortController();
    const cancelled = worker.run(database, { path: sephoraCsvPath(), signal: controller.signal, onProgress: (p) => p.rows > 100 && controller.abort() });
    await expect(cancelled).rejects.toThrow(new ImportError('import cancelled; nothing was imported'));
    expect((await service.getStatus()).productCount).toBe(0);

    await expect(worker.run({ ...database, schemaVersion: database.schemaVersion + 1 }, { path: sephoraCsvPath() })).rejects.toThrow(
      `the import failed: ${database.path} is at schema version ${database.schemaVersion}, not the ${database.schemaVersion + 1} the app opened; reopen the app. Nothing was imported.`,
    );
    const report = await worker.run(database, { path: sephoraCsvPath() });
    expect(report.rowsImported).toBe(1255);
  });
});
