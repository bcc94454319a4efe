import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { familiesPath, resolveResourcesDir } from '../src/main/resources';
import { FormulatorService } from '../src/main/services/formulator-service';
import type { ModelRecord } from '../src/shared/domain';

/** A fresh temporary folder, removed by the returned `cleanup`. */
export function tempDir(prefix = 'lf-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How many rows `table` holds (for checking that a refused call wrote nothing). */
/**
 * Lets an event-loop delay monitor's timer fire once more before it is read: the await that ends
 * the measured work resumes before timers run, so a block at its very end (a COMMIT) would
 * otherwise go unrecorded.
 */
export function letDelayMonitorTick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

export function countRows(db: FormulatorService['db'], table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** A tiny knowledge base for tests that must not depend on the shipped one. */
export const FIXTURE_KNOWLEDGE = {
  version: 1,
  notice: 'test fixture',
  ingredients: [
    { inci: 'Water', synonyms: ['Aqua', 'Eau'], functions: ['solvent'], concentration: 'above-1' },
    { inci: 'Glycerin', synonyms: ['Glycerine'], functions: ['humectant'], concentration: 'above-1', benefits: ['hydration'] },
    { inci: 'Niacinamide', synonyms: ['Vitamin B3'], functions: ['active', 'vitamin'], benefits: ['brightening', 'oil-control'] },
    { inci: 'Phenoxyethanol', misspellings: ['Phenoxyethenol'], functions: ['preservative'], concentration: 'below-1' },
    { inci: 'Zinc Oxide', functions: ['uv-filter'], benefits: ['uv-protection'] },
    { inci: 'Dimethicone', functions: ['silicone', 'emollient'] },
    { inci: 'Tocopherol', synonyms: ['Vitamin E'], functions: ['antioxidant'], concentration: 'below-1' },
    { inci: 'Sodium Hyaluronate', functions: ['humectant'], benefits: ['hydration'], concentration: 'below-1' },
  ],
};

/** Use levels for the fixture knowledge base: Tocopherol and Sodium Hyaluronate take their function's class level. */
export const FIXTURE_USE_LEVELS = {
  version: 1,
  notice: 'test fixture',
  phases: {},
  classes: {
    antioxidant: { min: 0.01, max: 1, usual: 0.1, phase: 'cool-down', prep: null },
    humectant: { min: 0.5, max: 10, usual: 2, phase: 'water', prep: null },
  },
  ingredients: [
    { inci: 'Water', min: 30, max: 95, usual: 70, phase: 'water', prep: null },
    { inci: 'Glycerin', min: 1, max: 10, usual: 4, phase: 'water', prep: null },
    { inci: 'Niacinamide', min: 2, max: 10, usual: 5, phase: 'water', prep: null },
    { inci: 'Phenoxyethanol', min: 0.3, max: 1, usual: 0.8, phase: 'cool-down', prep: null },
    { inci: 'Zinc Oxide', min: 2, max: 25, usual: 10, phase: 'powder', prep: 'pre-dispersed' },
    { inci: 'Dimethicone', min: 0.5, max: 10, usual: 2, phase: 'oil', prep: null },
  ],
};

/** Legal limits for the fixture knowledge base. */
export const FIXTURE_LEGAL_LIMITS = {
  version: 1,
  notice: 'test fixture',
  jurisdiction: 'EU',
  source: 'fixture',
  allergenLabelling: { 'leave-on': 0.001, 'rinse-off': 0.01, annex: 'III', basis: 'fixture' },
  limits: [
    { inci: 'Phenoxyethanol', annex: 'V/29', max: 1, applies: 'all', area: null, condition: 'preservative' },
    { inci: 'Zinc Oxide', annex: 'VI/30', max: 25, applies: 'all', area: null, condition: 'UV filter' },
  ],
};

/** Writes a resources folder (fixture knowledge base + a 3-product sample catalog). */
export function writeFixtureResources(dir: string): string {
  const resources = join(dir, 'resources');
  mkdirSync(join(resources, 'knowledge'), { recursive: true });
  writeFileSync(join(resources, 'knowledge', 'ingredients.json'), JSON.stringify(FIXTURE_KNOWLEDGE));
  writeFileSync(join(resources, 'knowledge', 'use-levels.json'), JSON.stringify(FIXTURE_USE_LEVELS));
  writeFileSync(join(resources, 'knowledge', 'legal-limits.json'), JSON.stringify(FIXTURE_LEGAL_LIMITS));
  // The free-from families are rules over names and functions, not over one knowledge base: the shipped ones.
  copyFileSync(familiesPath(resolveResourcesDir()), join(resources, 'knowledge', 'families.json'));
  writeFileSync(
    join(resources, 'sample-catalog.json'),
    JSON.stringify({
      notice: 'fixture',
      products: [
        { name: 'Illustrative Serum 1', brand: 'Sample Lab A', category: 'serum', ingredients: 'Water, Glycerin, Niacinamide, Phenoxyethanol', concentrations: [84, 10, 5, 1], hydration: 0.5 },
        { name: 'Illustrative Cream 1', brand: 'Sample Lab A', category: 'moisturiser', ingredients: 'Water, Dimethicone, Glycerin, Tocopherol', hydration: 0.7 },
        { name: 'Illustrative Sunscreen 1', brand: 'Sample Lab B', category: 'sunscreen', ingredients: 'Zinc Oxide 20%, Water, Dimethicone', uv_protection: 0.9 },
      ],
    }),
  );
  return resources;
}

/** The services on a temporary database, with what closes them. */
export interface OpenedTestService {
  service: FormulatorService;
  /** The temporary folder holding the database (and anything a test writes beside it). */
  dir: string;
  /** Stops the compute process, closes the database, then removes the folder. */
  close: () => Promise<void>;
}

/** What a test's services start with. */
export interface TestServiceOptions {
  /** A resources folder to use instead of the shipped one. */
  resourcesDir?: string;
  /** Use the fixture knowledge base and 3-product catalog (written to a folder of their own, removed on close). */
  fixtureResources?: boolean;
  /** Load the sample catalog of the resources in use before the test starts. */
  sampleCatalog?: boolean;
}

/**
 * The services on a fresh temporary database with the shipped resources (or those `options`
 * name). `close` stops the compute process, closes the database, then removes the folder.
 */
export async function openTestService(options: TestServiceOptions = {}): Promise<OpenedTestService> {
  const fixture = options.fixtureResources ? tempDir() : undefined;
  const resourcesDir = fixture ? writeFixtureResources(fixture.dir) : options.resourcesDir;
  const opened = await openServiceIn(tempDir(), 'test.db', resourcesDir);
  if (options.sampleCatalog) await opened.service.loadSampleCatalog();
  if (!fixture) return opened;
  return {
    ...opened,
    close: async () => {
      await opened.close();
      fixture.cleanup();
    },
  };
}

/**
 * The services on `databaseName` in a folder a test has prepared (a damaged database, say);
 * `close` removes the folder like `openTestService`'s.
 */
export async function openServiceIn(folder: { dir: string; cleanup: () => void }, databaseName: string, resourcesDir?: string): Promise<OpenedTestService> {
  const service = await FormulatorService.open({ databasePath: join(folder.dir, databaseName), resourcesDir: resourcesDir ?? resolveResourcesDir() });
  return {
    service,
    dir: folder.dir,
    close: async () => {
      await service.compute.close();
      service.close();
      folder.cleanup();
    },
  };
}

/** The services with a quick model trained on the sample catalog, as `openTrainedTestService` leaves them. */
export interface TrainedTestService extends OpenedTestService {
  /** The model trained (active). */
  model: ModelRecord;
  /** The epoch of each progress report training sent, in order. */
  epochs: number[];
}

/**
 * The shipped sample catalog with a quick model trained on it (seed 7 unless told): the expensive
 * state the model, explore and generate tests share, built once per file in its `beforeAll`.
 */
export async function openTrainedTestService(seed = 7): Promise<TrainedTestService> {
  const opened = await openTestService({ sampleCatalog: true });
  try {
    const epochs: number[] = [];
    const model = await opened.service.trainModel({ preset: 'quick', seed }, { onProgress: (p) => epochs.push(p.epoch) });
    return { ...opened, model, epochs };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
