import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { readCsvRecords } from '../../src/main/import/csv';
import { insertLabResult } from '../../src/main/db/queries/lab-results';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { letDelayMonitorTick, tempDir } from '../helpers';
import { writeSyntheticCatalog } from '../reliability/synth-catalog';

/**
 * Excel benchmarks (prints figures, asserts nothing about time): a 50,000-row synthetic catalog
 * as a workbook imported through the streaming reader (with the event loop's delay during it,
 * beside the same rows as CSV), 50,000 lab results exported as .xlsx (beside CSV), and that
 * workbook imported back as past results.
 */

const ROWS = 50_000;

/** The synthetic CSV catalog rewritten as a workbook (benefit scores as numbers), streamed. */
async function csvToXlsx(csvPath: string, xlsxPath: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxPath, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('Catalog');
  const chunks = (async function* () {
    for await (const chunk of createReadStream(csvPath) as AsyncIterable<Buffer>) yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
  })();
  let header = true;
  for await (const record of readCsvRecords(chunks)) {
    sheet.addRow(header ? record.fields : record.fields.map((f, i) => (i >= 4 && f !== '' && !Number.isNaN(Number(f)) ? Number(f) : f))).commit();
    header = false;
  }
  sheet.commit();
  await workbook.commit();
}

/** Runs `fn` with the event loop's delay measured; returns its result, seconds and the delay's p99 / max. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; loop: string }> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t) / 1000;
  await letDelayMonitorTick();
  loop.disable();
  return { value, seconds, loop: `${(loop.percentile(99) / 1e6).toFixed(1)} / ${(loop.max / 1e6).toFixed(1)}` };
}

/** The 'xlsx' bench section's figures. */
export async function benchXlsx(): Promise<Record<string, number | string>> {
  const { dir, cleanup } = tempDir('lf-bench-xlsx-');
  const figures: Record<string, number | string> = {};
  try {
    const service = await FormulatorService.open({ databasePath: join(dir, 'bench.db'), resourcesDir: resolveResourcesDir() });
    const csv = join(dir, 'synthetic.csv');
    const xlsx = join(dir, 'synthetic.xlsx');
    await writeSyntheticCatalog(csv, ROWS);
    await csvToXlsx(csv, xlsx);
    figures['synthetic catalog: rows / CSV MiB / XLSX MiB'] = `${ROWS} / ${(statSync(csv).size / 1048576).toFixed(1)} / ${(statSync(xlsx).size / 1048576).toFixed(1)}`;

    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const fromXlsx = await measured(() => service.importCatalog({ path: xlsx, catalogName: 'xlsx' }));
    clearInterval(sampler);
    figures['50k-row XLSX catalog import (s)'] = fromXlsx.seconds.toFixed(2);
    figures['50k-row XLSX catalog import rows read / imported'] = `${fromXlsx.value.rowsRead} / ${fromXlsx.value.rowsImported}`;
    figures['50k-row XLSX catalog import event-loop delay p99 / max (ms)'] = fromXlsx.loop;
    figures['50k-row XLSX catalog import peak RSS growth (MiB)'] = Math.round((peakRss - baseRss) / 1048576);
    const fromCsv = await measured(() => service.importCatalog({ path: csv, catalogName: 'csv', duplicates: 'keep' }));
    figures['same rows as CSV, for comparison (s)'] = fromCsv.seconds.toFixed(2);
    figures['same rows as CSV event-loop delay p99 / max (ms)'] = fromCsv.loop;

    // 50,000 lab results on the imported products, stored directly (this measures the export, not the recording).
    const products = (service.db.prepare(`SELECT id, ingredients_hash FROM products WHERE catalog_id = ? ORDER BY id LIMIT ?`).all(fromXlsx.value.catalogId, ROWS) as { id: number }[]).map((p) => p.id);
    const lists = new Map<number, number[]>();
    for (const id of products.slice(0, 2000)) lists.set(id, (service.db.prepare(`SELECT ingredient_id AS i FROM product_ingredients WHERE product_id = ? ORDER BY position`).all(id) as { i: number }[]).map((r) => r.i));
    const measuredIds = [...lists.keys()];
    const now = new Date().toISOString();
    service.db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const productId = measuredIds[i % measuredIds.length]!;
        const day = new Date(Date.UTC(2015, 0, 1) + (i % 3000) * 86_400_000).toISOString().slice(0, 10);
        insertLabResult(service.db, { subject: { kind: 'product', candidateId: null, version: null, productId, name: `product ${productId}` }, ingredientIds: lists.get(productId)!, property: 'Viscosity', value: 500 + (i % 997), unit: 'mPa·s', measuredOn: day, notes: i % 5 === 0 ? '=not a formula' : '' }, now);
      }
    })();
    const out = join(dir, 'results.xlsx');
    const exportXlsx = await measured(() => service.exportLabResultsXlsx({ path: out }));
    figures['50k lab results XLSX export (s)'] = exportXlsx.seconds.toFixed(2);
    figures['50k lab results XLSX export event-loop delay max (ms)'] = exportXlsx.loop.split(' / ')[1]!;
    figures['50k lab results XLSX size (MiB)'] = (statSync(out).size / 1048576).toFixed(1);
    const exportCsv = await measured(() => service.exportLabResultsCsv({ path: join(dir, 'results.csv') }));
    figures['50k lab results CSV export, for comparison (s)'] = exportCsv.seconds.toFixed(2);
    figures['50k lab results CSV export event-loop delay max (ms)'] = exportCsv.loop.split(' / ')[1]!;

    // The exported workbook read back as past results (product_id names each formulation).
    const again = await measured(() => service.importLabResults({ path: out }));
    figures['50k-row XLSX lab results import (s)'] = again.seconds.toFixed(2);
    figures['50k-row XLSX lab results import rows read / imported / rejected'] = `${again.value.rowsRead} / ${again.value.rowsImported} / ${again.value.rowsRejected}`;
    figures['50k-row XLSX lab results import event-loop delay p99 / max (ms)'] = again.loop;
    await service.compute.close();
    service.close();
  } finally {
    cleanup();
  }
  return figures;
}
