import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../scripts/sample-catalog';
import { resolveResourcesDir, sampleCatalogPath } from '../../src/main/resources';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import type { ImportReport } from '../../src/shared/api';
import { SKIN_BENEFITS } from '../../src/shared/domain';
import { openTestService } from '../helpers';

interface SampleFile {
  notice: string;
  generator: { seed: number };
  products: ({ name: string; brand: string; category: string; ingredients: string; concentrations: number[] } & Record<string, unknown>)[];
}

const file = JSON.parse(readFileSync(sampleCatalogPath(resolveResourcesDir()), 'utf8')) as SampleFile;
let service: FormulatorService;
let close: () => Promise<void>;
let report: ImportReport;

beforeAll(async () => {
  ({ service, close } = await openTestService());
  report = await service.loadSampleCatalog();
});
afterAll(() => close());

describe('shipped sample catalog', () => {
  it('is exactly what its seeded generator produces', () => {
    expect(JSON.stringify(file.products)).toBe(JSON.stringify(buildCatalog(file.generator.seed)));
  });

  it('is clearly labelled as illustrative', () => {
    expect(file.notice).toMatch(/not real products/);
    expect(file.products.every((p) => p.name.startsWith('Illustrative ') && p.brand.startsWith('Sample Lab'))).toBe(true);
  });

  it('holds at least 400 formulations in at least 6 categories, in descending concentration order', () => {
    expect(file.products.length).toBeGreaterThanOrEqual(400);
    expect(new Set(file.products.map((p) => p.category)).size).toBeGreaterThanOrEqual(6);
    for (const p of file.products) {
      const c = p.concentrations;
      expect(c.length).toBe(p.ingredients.split(', ').length);
      for (let i = 1; i < c.length; i++) expect(c[i]!).toBeLessThanOrEqual(c[i - 1]!);
      expect(Math.abs(c.reduce((a, b) => a + b, 0) - 100)).toBeLessThan(0.06);
      for (const b of SKIN_BENEFITS) expect(p[b]).toBeTypeOf('number');
    }
  });

  it('imports whole through the app importer, every ingredient known, benefit scores attached', async () => {
    expect(report.rowsImported).toBe(file.products.length);
    expect(report.rowsRejected).toBe(0);
    expect(report.knownOccurrences).toBe(report.ingredientOccurrences);
    expect(new Set(report.mapping.benefits)).toEqual(new Set(SKIN_BENEFITS));
    const first = await service.getProduct({ id: (await service.listProducts({ limit: 1 })).items[0]!.id });
    expect(first.benefits.filter((b) => b.source === 'imported')).toHaveLength(SKIN_BENEFITS.length);
    expect(first.ingredients.every((i) => i.percent !== null)).toBe(true);
  });
});
