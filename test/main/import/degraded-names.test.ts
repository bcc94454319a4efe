import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../src/shared/api';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { openTestService } from '../../helpers';

/** A scraped catalog whose names are lower case, cut short, without plant parts or misspelt, through the real importer and the shipped knowledge base. */
let service: FormulatorService;
let close: () => Promise<void>;
let report: ImportReport;

beforeAll(async () => {
  ({ service, close } = await openTestService());
  report = await service.importCatalog({ path: join(import.meta.dirname, '..', '..', 'fixtures', 'degraded-names.csv') });
});
afterAll(() => close());

const inciOf = async (name: string) => {
  const page = await service.listProducts({ search: name });
  return (await service.getProduct({ id: page.items[0]!.id })).ingredients.map((x) => x.inci);
};

describe('importing degraded names', () => {
  it('reads names with exactly one reading as that ingredient and says how in the report', async () => {
    expect(report.rowsImported).toBe(2);
    expect(await inciOf('Comfrey Serum')).toEqual([
      'Water', 'Butylene Glycol', 'Symphytum Officinale Leaf Extract', 'Ethylhexylglycerin', 'Gardenia Tahitensis Flower Extract', 'Phenoxyethanol',
    ]);
    expect(report.warningCounts).toMatchObject({ botanical: 1, truncated: 1, typo: 2 });
    expect(report.warnings.map((w) => w.message)).toContain('"Symphytum Officinale Extract" read as "Symphytum Officinale Leaf Extract" (the only known part of that plant)');
  });

  it('keeps ambiguous names unknown, with the possible ingredients as suggestions', async () => {
    expect(await inciOf('Rose Cream')).toEqual(['Water', 'Caprylic/Capric', 'Rosa Damascena', 'Polyglyceryl-2 Caprate', 'Octadecene', 'Glycerin']);
    const unknown = new Map(report.unknownIngredients.map((u) => [u.name, u.suggestion]));
    expect(unknown.get('Caprylic/Capric')).toBe('Caprylic/Capric Glycerides');
    expect(unknown.get('Rosa Damascena')).toBe('Rosa Damascena Flower Extract');
    expect(unknown.get('Octadecene')).toBe('Octadecane');
    expect(report.warnings.map((w) => w.message)).toContain(
      'unknown ingredient "Rosa Damascena" — did you mean "Rosa Damascena Flower Extract" or "Rosa Damascena Flower Oil" or "Rosa Damascena Flower Water"?',
    );
  });

  it('looks a degraded name up as the import reads it, saying how it matched', async () => {
    expect(await service.lookupIngredient({ name: 'Gardenia Tahitensis Flower' })).toMatchObject({ match: { inci: 'Gardenia Tahitensis Flower Extract' }, matchedBy: 'truncated' });
    expect(await service.lookupIngredient({ name: 'symphytum officinale extract' })).toMatchObject({ matchedBy: 'botanical' });
    // After the import "Rosa Damascena" is a catalog-only ingredient; its suggestions are the knowledge base's readings.
    const rosa = await service.lookupIngredient({ name: 'Rosa Damascena' });
    expect(rosa.suggestions.slice(0, 4)).toEqual(['Rosa Damascena Flower Extract', 'Rosa Damascena Flower Oil', 'Rosa Damascena Flower Water', 'Rosa Damascena Flower Wax']);
  });
});
