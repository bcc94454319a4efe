import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startPreviewServer } from '../../src/main/preview/server';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import type { ModelMetricsSummary } from '../../src/shared/domain';
import { launchChromium } from '../e2e/browser';
import { measureMapInteraction, type MapInteraction } from '../e2e/map-points';
import { letDelayMonitorTick, tempDir } from '../helpers';
import { computePids, rssMb } from './proc';
import { writeSyntheticCatalog } from './synth-catalog';

/**
 * Scale (issue 7, item 9): a catalog of N synthetic products (from the knowledge base, see
 * synth-catalog.ts) imported, a full-preset model trained, the 10,000-sample generate job run,
 * and the latent map's data served, on a fresh service each time; for the largest N the map is
 * opened in Chromium and its interaction latency measured. Times are wall-clock on this machine;
 * peak memory is the highest resident set sampled every 100 ms (the service process and the
 * compute process separately).
 */

export interface ScaleStep {
  products: number;
  csvMb: number;
  importS: number;
  importLoopP99Ms: number;
  importPeakServiceMb: number;
  trainS: number;
  trainEpochs: number;
  trainPeakComputeMb: number;
  trainPeakServiceMb: number;
  heldOut: { reconstruction: string; benefitMae: string };
  generateS: number;
  generateStagesMs: Record<string, number>;
  generatePeakComputeMb: number;
  generatePassed: number;
  /** The job as the app sees it (request, stages, shortlist back), without storing the run. */
  generateTotalMs: number;
  mapDataS: number;
  mapPayloadMb: number;
  map?: MapInteraction & { openS: number };
}

/** Samples the service's and its compute process's resident memory every 100 ms while `work` runs. */
async function withPeak<T>(work: () => Promise<T>): Promise<{ value: T; s: number; serviceMb: number; computeMb: number; loopP99Ms: number }> {
  let serviceMb = rssMb(process.pid);
  let computeMb = 0;
  const sample = () => {
    serviceMb = Math.max(serviceMb, rssMb(process.pid));
    const compute = computePids(process.pid).reduce((sum, pid) => sum + rssMb(pid), 0);
    computeMb = Math.max(computeMb, compute);
  };
  const timer = setInterval(sample, 100);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t = performance.now();
  try {
    const value = await work();
    await letDelayMonitorTick();
    sample();
    return { value, s: (performance.now() - t) / 1000, serviceMb, computeMb, loopP99Ms: loop.percentile(99) / 1e6 };
  } finally {
    loop.disable();
    clearInterval(timer);
  }
}

export async function scaleStep(products: number, options: { browser: boolean; log?: (line: string) => void }): Promise<ScaleStep> {
  const log = options.log ?? (() => undefined);
  const { dir, cleanup } = tempDir('lf-scale-');
  const csv = join(dir, `synthetic-${products}.csv`);
  const written = await writeSyntheticCatalog(csv, products, 7);
  const service = await FormulatorService.open({ databasePath: join(dir, 'lab.db'), resourcesDir: resolveResourcesDir() });
  try {
    const imported = await withPeak(() => service.importCatalog({ path: csv }));
    if (imported.value.productsInserted !== products) throw new Error(`imported ${imported.value.productsInserted} of ${products} products`);
    log(`  ${products}: imported in ${imported.s.toFixed(1)} s`);
    const trained = await withPeak(() => service.trainModel({ preset: 'full', seed: 1 }));
    log(`  ${products}: trained in ${trained.s.toFixed(1)} s`);
    const generated = await withPeak(() => service.generate({ n: 10_000, k: 1_000, seed: 1 }));
    log(`  ${products}: generated in ${generated.s.toFixed(1)} s`);
    const mapData = await withPeak(() => Promise.all([service.latentMap(), service.mapProducts()]));
    const step: ScaleStep = {
      products,
      csvMb: written.bytes / 1048576,
      importS: imported.s,
      importLoopP99Ms: imported.loopP99Ms,
      importPeakServiceMb: imported.serviceMb,
      trainS: trained.s,
      trainEpochs: trained.value.epochs,
      trainPeakComputeMb: trained.computeMb,
      trainPeakServiceMb: trained.serviceMb,
      heldOut: summariseMetrics(trained.value.metrics),
      generateS: generated.s,
      generateStagesMs: generated.value.timingsMs,
      generatePeakComputeMb: generated.computeMb,
      generatePassed: generated.value.counts.passed,
      generateTotalMs: generated.value.totalMs,
      mapDataS: mapData.s,
      mapPayloadMb: Buffer.byteLength(JSON.stringify(mapData.value)) / 1048576,
    };
    if (options.browser) step.map = await mapInBrowser(service, products);
    return step;
  } finally {
    await service.compute.close();
    service.close();
    cleanup();
  }
}

/** The held-out figures the model view shows, in a line. */
function summariseMetrics(m: ModelMetricsSummary): { reconstruction: string; benefitMae: string } {
  const h = m.heldOut;
  const maes = m.benefits.filter((b) => b.mae !== null).map((b) => b.mae!);
  return {
    reconstruction: `Jaccard ${h.jaccard.toFixed(3)}, Kendall τ ${h.kendallTau?.toFixed(3) ?? '–'} (prior order ${h.kendallTauPriorOrder?.toFixed(3) ?? '–'}), valid ${(100 * h.validShare).toFixed(1)} %`,
    benefitMae: maes.length ? `mean MAE ${(maes.reduce((a, b) => a + b, 0) / maes.length).toFixed(3)} over ${maes.length} scores` : 'no scores',
  };
}

/** Opens the map in Chromium through the web preview and measures it. */
async function mapInBrowser(service: FormulatorService, products: number): Promise<MapInteraction & { openS: number }> {
  const server = await startPreviewServer({ api: service, staticDir: join(process.cwd(), 'out', 'renderer') });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    const t = performance.now();
    await page.getByTestId('nav-map').click();
    await page.locator(`[data-testid=map-plot][data-points="${products}"]`).waitFor({ timeout: 300_000 });
    const openS = (performance.now() - t) / 1000;
    return { ...(await measureMapInteraction(page)), openS };
  } finally {
    await browser.close();
    await server.close();
  }
}
