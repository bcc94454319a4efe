import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveResourcesDir } from '../src/main/resources';
import { FormulatorService } from '../src/main/services/formulator-service';

/** A fresh temporary folder, removed by the returned `cleanup`. */
export function tempDir(prefix = 'lf-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
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

/** Writes a resources folder (fixture knowledge base + a 3-product sample catalog). */
export function writeFixtureResources(dir: string): string {
  const resources = join(dir, 'resources');
  mkdirSync(join(resources, 'knowledge'), { recursive: true });
  writeFileSync(join(resources, 'knowledge', 'ingredients.json'), JSON.stringify(FIXTURE_KNOWLEDGE));
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

/**
 * The services on a fresh temporary database with the shipped resources (or `resourcesDir`).
 * `close` stops the compute process, closes the database, then removes the folder.
 */
export async function openTestService(resourcesDir?: string): Promise<{ service: FormulatorService; dir: string; close: () => Promise<void> }> {
  const { dir, cleanup } = tempDir();
  const service = await FormulatorService.open({ databasePath: join(dir, 'test.db'), resourcesDir: resourcesDir ?? resolveResourcesDir() });
  return {
    service,
    dir,
    close: async () => {
      await service.compute.close();
      service.close();
      cleanup();
    },
  };
}
