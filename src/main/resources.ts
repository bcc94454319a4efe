import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the app's resources folder: `LATENT_FORMULATOR_RESOURCES` if set, then the packaged
 * app's resources (electron-builder copies the folder there), then the nearest `resources/`
 * above this module (source checkout, built `out/`, tests).
 */
export function resolveResourcesDir(): string {
  const fromEnv = process.env.LATENT_FORMULATOR_RESOURCES;
  if (fromEnv) return resolve(fromEnv);
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'resources', 'knowledge', 'ingredients.json'))) return join(packaged, 'resources');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, 'knowledge', 'ingredients.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('cannot find the resources folder (resources/knowledge/ingredients.json); set LATENT_FORMULATOR_RESOURCES');
}

export const knowledgeBasePath = (resourcesDir: string): string => join(resourcesDir, 'knowledge', 'ingredients.json');
export const sampleCatalogPath = (resourcesDir: string): string => join(resourcesDir, 'sample-catalog.json');
export const incompatibilitiesPath = (resourcesDir: string): string => join(resourcesDir, 'knowledge', 'incompatibilities.json');
export const familiesPath = (resourcesDir: string): string => join(resourcesDir, 'knowledge', 'families.json');

/** Typical use levels and phases (issue 16). */
export const useLevelsPath = (resourcesDir: string): string => join(resourcesDir, 'knowledge', 'use-levels.json');

/** Legal maximum concentrations and allergen labelling thresholds (issue 16). */
export const legalLimitsPath = (resourcesDir: string): string => join(resourcesDir, 'knowledge', 'legal-limits.json');
