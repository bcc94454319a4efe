import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { letDelayMonitorTick, tempDir } from '../helpers';
import { sephoraRows } from './import';

/**
 * Catalog management benchmarks: deleting a 50,000-product catalog (the checked backup first, then
 * the one transaction, with the event-loop delay it causes), and the one-off encoding of the
 * remaining products for a model whose catalog was deleted. Prints figures, asserts nothing.
 */
export async function benchCatalogs(): Promise<Record<string, number | string>> {
  const { dir, cleanup } = tempDir('lf-bench-');
  const figures: Record<string, number | string> = {};
  const service = await FormulatorService.open({ databasePath: join(dir, 'bench.db'), resourcesDir: resolveResourcesDir() });
  try {
    await service.loadSampleCatalog();
    const model = await service.trainModel({ preset: 'quick', seed: 1, catalogIds: [1] });
    const rows = sephoraRows();
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const lines = Array.from({ length: 50_000 }, (_, i) => {
      const row = rows[(i * 7919) % rows.length]!;
      return [row.label, row.brand, `${row.name} #${i}`, row.ingredients].map(quote).join(',');
    });
    const big = join(dir, 'big.csv');
    writeFileSync(big, `Label,Brand,Name,Ingredients\n${lines.join('\n')}\n`);
    const imported = await service.importCatalog({ path: big, catalogName: 'big' });
    figures['products (sample + resampled sephora)'] = 432 + imported.productsInserted;

    let t = performance.now();
    const sample = await service.deleteCatalog({ id: 1 });
    figures['delete the 432-product sample catalog incl. backup (ms)'] = Math.round(performance.now() - t);
    figures['  sample: of which the checked backup (ms)'] = await lastBackupMs(service);
    figures['  sample: backup size (MiB)'] = (sample.backup!.bytes / 1048576).toFixed(1);

    t = performance.now();
    const map = await service.latentMap({ method: 'pca' });
    figures[`first map after the model's catalog went: encode and store ${map.points.length} codes (ms)`] = Math.round(performance.now() - t);
    t = performance.now();
    await service.latentMap({ method: 'pca' });
    figures['the map again, codes stored (ms)'] = Math.round(performance.now() - t);
    figures['model still active'] = (await service.getModel({ id: model.id })).active ? 'yes' : 'no';

    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    t = performance.now();
    const removed = await service.deleteCatalog({ id: 2 });
    const elapsed = performance.now() - t;
    await letDelayMonitorTick();
    loop.disable();
    figures['delete the 50k-product catalog incl. backup (ms)'] = Math.round(elapsed);
    figures['  50k: of which the checked backup (ms)'] = await lastBackupMs(service);
    figures['  50k: rows removed: products / ingredient rows / scores / codes'] = `${removed.removed.products} / ${removed.removed.ingredientRows} / ${removed.removed.benefitScores} / ${removed.removed.productCodes}`;
    figures['  50k: event-loop delay during it, p99 / max (ms)'] = `${(loop.percentile(99) / 1e6).toFixed(1)} / ${(loop.max / 1e6).toFixed(1)}`;
  } finally {
    await service.compute.close();
    service.close();
    cleanup();
  }
  return figures;
}

async function lastBackupMs(service: FormulatorService): Promise<number> {
  return Math.round((await service.getDatabaseStatus()).lastBackup?.ms ?? Number.NaN);
}
