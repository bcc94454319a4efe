import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../src/shared/api';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { sephoraCsvPath } from '../../data';
import { openTestService } from '../../helpers';

/** The real, messy public catalog through the real importer and the shipped knowledge base. */
let service: FormulatorService;
let close: () => Promise<void>;
let report: ImportReport;

beforeAll(async () => {
  ({ service, close } = await openTestService());
  report = await service.importCatalog({ path: sephoraCsvPath() });
});
afterAll(() => close());

describe('importing sephora_cosmetics.csv', () => {
  it('reads every row and imports at least 1,250 products', () => {
    expect(report.rowsRead).toBe(1472);
    expect(report.rowsImported + report.rowsRejected).toBe(report.rowsRead);
    expect(report.rowsImported).toBeGreaterThanOrEqual(1250);
    expect(report.encoding).toBe('utf-8');
    expect(report.mapping).toMatchObject({ ingredients: 'Ingredients', name: 'Name', brand: 'Brand', category: 'Label' });
    expect(report.mapping.benefits).toEqual(['Combination', 'Dry', 'Normal', 'Oily', 'Sensitive']);
  });

  it('rejects the rows without a real ingredient list, each with its line and reason', () => {
    expect(report.rejected.length).toBeGreaterThan(150);
    for (const r of report.rejected) {
      expect(r.line).toBeGreaterThan(1);
      expect(r.reason).toMatch(/column "Ingredients": .+/);
    }
    expect(report.rejectedByReason['shop-text']).toBeGreaterThanOrEqual(100);
    expect(report.rejectedByReason.placeholder).toBeGreaterThanOrEqual(40);
  });

  it('knows at least 80 % of ingredient occurrences through the knowledge base', () => {
    expect(report.knownOccurrences / report.ingredientOccurrences).toBeGreaterThanOrEqual(0.8);
  });

  it('parses the first product in declaration order with canonical names', async () => {
    const page = await service.listProducts({ search: 'Sleeping Mask - Pearl' });
    const product = await service.getProduct({ id: page.items[0]!.id });
    expect(product.ingredients.slice(0, 6).map((i) => i.inci)).toEqual([
      'Water', 'Butylene Glycol', 'Glycerin', 'Betaine', 'Phenoxyethanol', 'Acrylates/C10-30 Alkyl Acrylate Crosspolymer',
    ]);
    expect(product.ingredients).toHaveLength(21);
    expect(product.sourceLine).toBe(2);
    expect(product.extra).toEqual({ Price: '4', Rank: '4' });
  });

  it('stores no product with a repeated ingredient', () => {
    const repeats = service.db
      .prepare(`SELECT count(*) AS n FROM (SELECT product_id, ingredient_id FROM product_ingredients GROUP BY 1, 2 HAVING count(*) > 1)`)
      .get() as { n: number };
    expect(repeats.n).toBe(0);
  });
});
