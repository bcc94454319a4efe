import { describe, expect, it } from 'vitest';
import { describeTrainingCatalogs, lostTrainingCatalog } from '../../src/shared/model-catalogs';

describe('what a model was trained on, said for a person', () => {
  it('names each catalog with its products and marks a deleted one', () => {
    const trainedOn = [
      { catalogId: 1, name: 'Sample', products: 1432, deletedAt: null },
      { catalogId: 3, name: 'Old shop', products: 12, deletedAt: '2026-12-07T06:00:00.000Z' },
    ];
    expect(describeTrainingCatalogs(trainedOn)).toBe('"Sample" (1,432 products), "Old shop" (12 products, catalog deleted)');
    expect(lostTrainingCatalog(trainedOn)).toBe(true);
    expect(lostTrainingCatalog(trainedOn.slice(0, 1))).toBe(false);
  });

  it('says so when no catalog was recorded', () => {
    expect(describeTrainingCatalogs([])).toBe('no catalog recorded');
  });
});
