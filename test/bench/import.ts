import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { once } from 'node:events';
import type { ImportReport } from '../../src/shared/api';
import { readIngredientLexicon } from '../../src/main/db/queries/ingredients';
import { importCatalog } from '../../src/main/import/importer';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { sephoraCsvPath } from '../data';
import { letDelayMonitorTick, tempDir } from '../helpers';

/** Import benchmarks: prints figures, asserts nothing about time (see README). */

export interface Row {
  label: string;
  brand: string;
  name: string;
  ingredients: string;
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Parses the public catalog just enough to resample its rows for a larger synthetic file (also the catalog-management benchmark). */
export function sephoraRows(): Row[] {
  const text = readFileSync(sephoraCsvPath(), 'utf8');
  const rows: Row[] = [];
  const re = /^([^,]*),([^,]*),("(?:[^"]|"")*"|[^,]*),[^,]*,[^,]*,("(?:[^"]|"")*"|[^,]*),/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const unq = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
    const ingredients = unq(m[4]!);
    if (ingredients.split(',').length > 5) rows.push({ label: m[1]!, brand: m[2]!, name: unq(m[3]!), ingredients });
  }
  return rows;
}

export async function benchImport(): Promise<Record<string, number | string>> {
  const { dir, cleanup } = tempDir('lf-bench-');
  const figures: Record<string, number | string> = {};
  try {
    let t = performance.now();
    const service = await FormulatorService.open({ databasePath: join(dir, 'bench.db'), resourcesDir: resolveResourcesDir() });
    figures['first open incl. knowledge-base load (ms)'] = Math.round(performance.now() - t);

    t = performance.now();
    const r = await service.importCatalog({ path: sephoraCsvPath() });
    figures['sephora_cosmetics.csv import (ms)'] = Math.round(performance.now() - t);
    figures['sephora rows read / imported / rejected'] = `${r.rowsRead} / ${r.rowsImported} / ${r.rowsRejected}`;
    figures['sephora rejected by reason'] = Object.entries(r.rejectedByReason).map(([k, v]) => `${k} ${v}`).join(', ');
    figures['sephora ingredient coverage (%)'] = ((100 * r.knownOccurrences) / r.ingredientOccurrences).toFixed(1);
    figures['sephora duplicates flagged'] = r.duplicates.length;

    // 50,000 rows resampled from the real catalog, each with a unique name.
    const rows = sephoraRows();
    const big = join(dir, 'big.csv');
    const out = createWriteStream(big);
    out.write('Label,Brand,Name,Ingredients\n');
    for (let i = 0; i < 50_000; i++) {
      const row = rows[(i * 7919) % rows.length]!;
      if (!out.write(`${quote(row.label)},${quote(row.brand)},${quote(`${row.name} #${i}`)},${quote(row.ingredients)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    // The app's way (the default): the import in its worker, on its own connection. RSS is the
    // whole process's, the worker thread's heap included.
    const measured = async (run: () => Promise<ImportReport>) => {
      const baseRss = process.memoryUsage().rss;
      let peakRss = baseRss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const started = performance.now();
      const report = await run();
      const elapsed = performance.now() - started;
      await letDelayMonitorTick();
      loop.disable();
      clearInterval(sampler);
      return { report, elapsed, rssMb: Math.round((peakRss - baseRss) / 1048576), loop: `${(loop.percentile(99) / 1e6).toFixed(1)} / ${(loop.max / 1e6).toFixed(1)}` };
    };
    const worker = await measured(() => service.importCatalog({ path: big }));
    figures['50k-row import (s)'] = (worker.elapsed / 1000).toFixed(2);
    figures['50k-row import rows/s'] = Math.round(worker.report.rowsRead / (worker.elapsed / 1000));
    figures['50k-row import imported'] = worker.report.rowsImported;
    figures['50k-row import peak RSS growth (MiB)'] = worker.rssMb;
    figures['50k-row import event-loop delay p99 / max (ms)'] = worker.loop;
    service.close();

    // For comparison only (not what the app does): the same import on the main thread, as before the worker.
    const other = await FormulatorService.open({ databasePath: join(dir, 'in-thread.db'), resourcesDir: resolveResourcesDir() });
    const inThread = await measured(() => importCatalog(other.db, readIngredientLexicon(other.db), { path: big }));
    figures['50k-row import on the main thread, not the default (s)'] = (inThread.elapsed / 1000).toFixed(2);
    figures['50k-row import on the main thread, not the default: event-loop delay p99 / max (ms)'] = inThread.loop;
    other.close();
  } finally {
    cleanup();
  }
  return figures;
}
