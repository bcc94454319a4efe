import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../../src/shared/domain';
import { deleteCatalogRows } from '../../../src/main/db/queries/products';
import { countRows, openTestService, type OpenedTestService } from '../../helpers';

const SECOND_SHOP = join(__dirname, '../../fixtures/catalogs/second-shop.csv');

/** Ids of the products of a catalog, straight from the database. */
function productIdsOf(opened: OpenedTestService, catalogId: number): number[] {
  return opened.service.db.prepare(`SELECT id FROM products WHERE catalog_id = ? ORDER BY id`).pluck().all(catalogId) as number[];
}

describe('renaming and deleting catalogs', () => {
  // The sample catalog (id 1, 432 products) with a quick model trained on it alone, and a second shop (id 2, 10 products) imported after.
  let opened: OpenedTestService;
  let model: ModelRecord;
  let sampleIds: number[];
  let shopIds: number[];
  beforeAll(async () => {
    opened = await openTestService({ sampleCatalog: true });
    model = await opened.service.trainModel({ preset: 'quick', seed: 3, catalogIds: [1] });
    const report = await opened.service.importCatalog({ path: SECOND_SHOP, catalogName: 'Second shop' });
    expect(report.productsInserted).toBe(10);
    sampleIds = productIdsOf(opened, 1);
    shopIds = productIdsOf(opened, 2);
  }, 180_000);
  afterAll(() => opened?.close());

  it('records what a model was trained on: catalog ids, names and product counts', () => {
    expect(model.trainedOn).toEqual([{ catalogId: 1, name: 'Sample catalog (illustrative formulations)', products: 432, deletedAt: null }]);
  });

  it('renames a catalog, and the models trained on it follow; refuses a blank name and an unknown id', async () => {
    const { service } = opened;
    const renamed = await service.renameCatalog({ id: 1, name: '  Illustrative set  ' });
    expect(renamed).toMatchObject({ id: 1, name: 'Illustrative set', productCount: 432 });
    expect((await service.listCatalogs()).map((c) => c.name)).toEqual(['Illustrative set', 'Second shop']);
    expect((await service.getModel({ id: model.id })).trainedOn[0]!.name).toBe('Illustrative set');
    expect((await service.getProduct({ id: sampleIds[0]! })).catalogName).toBe('Illustrative set');
    await expect(service.renameCatalog({ id: 1, name: '   ' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(service.renameCatalog({ id: 99, name: 'x' })).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('no catalog with id 99') });
  });

  it('says what a deletion would remove without removing anything (dry run)', async () => {
    const { service } = opened;
    const before = countRows(service.db, 'product_ingredients');
    const dry = await service.deleteCatalog({ id: 1, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, backup: null, catalog: { id: 1, productCount: 432 }, removed: { products: 432, productCodes: 432 }, models: [{ id: model.id }], remainingCatalogs: 1 });
    expect(dry.removed.ingredientRows).toBe(service.db.prepare(`SELECT count(*) FROM product_ingredients pi JOIN products p ON p.id = pi.product_id WHERE p.catalog_id = 1`).pluck().get());
    expect(countRows(service.db, 'product_ingredients')).toBe(before);
    expect(countRows(service.db, 'products')).toBe(442);
  });

  it('rolls a deletion back whole when it fails between chunks: products, lists, index and model record as before', async () => {
    const { service } = opened;
    const state = () =>
      service.db
        .prepare(
          `SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM product_ingredients) AS rows, (SELECT count(*) FROM product_codes) AS codes,
                  (SELECT count(*) FROM catalogs) AS catalogs, (SELECT count(*) FROM sqlite_master WHERE name = 'product_ingredients_by_ingredient') AS indexes,
                  (SELECT count(*) FROM model_catalogs WHERE deleted_at IS NOT NULL) AS marked`,
        )
        .get();
    const before = state();
    let pauses = 0;
    const failing = async () => {
      if (++pauses === 2) throw new Error('disk gone');
    };
    await expect(deleteCatalogRows(service.db, 1, 'now', failing, 100)).rejects.toThrow('disk gone');
    expect(pauses).toBe(2);
    expect(service.db.inTransaction).toBe(false);
    expect(state()).toEqual(before);
    expect(before).toMatchObject({ products: 442, catalogs: 2, indexes: 1, marked: 0 });
  });

  it('deletes a catalog after a checked backup; lab results, candidates and runs stay readable', async () => {
    const { service } = opened;
    const measured = sampleIds[5]!;
    const result = await service.addLabResult({ subject: { kind: 'product', productId: measured }, property: 'pH', value: 5.4, unit: '', measuredOn: '2026-11-02' });
    const candidate = await service.saveCandidate({ name: 'Kept idea', declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    const run = await service.generate({ n: 1000, k: 100, seed: 2, shortlist: 5 });

    const deleted = await service.deleteCatalog({ id: 1 });
    expect(deleted).toMatchObject({ dryRun: false, catalog: { id: 1, name: 'Illustrative set' }, removed: { products: 432, productCodes: 432 }, labResultsUnlinked: 1, remainingCatalogs: 1 });
    expect(deleted.removed.benefitScores).toBeGreaterThan(0);
    // The backup is listed in Data & backups as a manual one (never rotated away) and holds every product.
    const listed = (await service.getDatabaseStatus()).backups.find((b) => b.file === deleted.backup!.file);
    expect(listed).toMatchObject({ kind: 'manual', readable: true, products: 442 });

    expect((await service.listCatalogs()).map((c) => c.id)).toEqual([2]);
    expect(countRows(service.db, 'products')).toBe(10);
    const orphans = service.db
      .prepare(
        `SELECT (SELECT count(*) FROM product_ingredients WHERE product_id NOT IN (SELECT id FROM products)) +
                (SELECT count(*) FROM benefit_scores WHERE product_id NOT IN (SELECT id FROM products)) +
                (SELECT count(*) FROM product_codes WHERE product_id NOT IN (SELECT id FROM products))`,
      )
      .pluck()
      .get();
    expect(orphans).toBe(0);
    await expect(service.getProduct({ id: measured })).rejects.toMatchObject({ code: 'not-found' });

    const lab = (await service.listLabResults({})).items.find((r) => r.id === result.id)!;
    expect(lab.subject).toMatchObject({ kind: 'product', productId: null, name: result.subject.name });
    expect(lab.ingredients).toEqual(result.ingredients);
    expect((await service.getCandidate({ id: candidate.id })).name).toBe('Kept idea');
    const page = await service.listGeneratedCandidates({ runId: run.runId, limit: 5 });
    expect(page.items.length).toBe(5);
    for (const c of page.items) if (c.nearestProduct) expect(c.nearestProduct.name).toMatch(/\(deleted\)$/);
  }, 120_000);

  it('keeps the model working after its catalog is gone: it says so, encodes, decodes, generates, and maps only what remains', async () => {
    const { service } = opened;
    const after = await service.getModel({ id: model.id });
    expect(after.trainedOn).toEqual([{ catalogId: 1, name: 'Illustrative set', products: 432, deletedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);

    const encoded = await service.encodeLists({ declarations: ['Water, Glycerin, Niacinamide, Phenoxyethanol'] });
    expect(encoded.codes[0]!.length).toBe(Number(model.config.latentDim));
    const decoded = await service.decodeCodes({ codes: encoded.codes });
    expect(decoded.lists[0]!.ingredients).toContain('Water');

    const map = await service.latentMap({ method: 'pca' });
    expect(map.points.map((p) => p.productId)).toEqual(shopIds);
    const near = await service.neighbours({ productId: shopIds[0]!, k: 5 });
    for (const n of [...near.byLatent, ...near.byOverlap]) expect(shopIds).toContain(n.productId);

    const run = await service.generate({ n: 1000, k: 100, seed: 4, shortlist: 5 });
    // Ten products make a narrow density floor: few samples pass it, but the run works on them.
    expect(run.counts.sampled).toBe(1000);
    expect(run.counts.decoded).toBeGreaterThan(0);
    const nearest = (await service.listGeneratedCandidates({ runId: run.runId, limit: 100 })).items.flatMap((c) => (c.nearestProduct ? [c.nearestProduct.id] : []));
    expect(nearest.length).toBeGreaterThan(0);
    for (const id of nearest) expect(shopIds).toContain(id);
    // The remaining products' codes were computed once and stored.
    expect(service.db.prepare(`SELECT count(*) FROM product_codes WHERE model_id = ?`).pluck().get(model.id)).toBe(10);
  }, 120_000);

  it('restores the backup taken before the deletion, bringing the catalog back', async () => {
    const { service } = opened;
    const backup = (await service.getDatabaseStatus()).backups.find((b) => b.kind === 'manual')!;
    const restored = await service.restoreBackup({ file: backup.file });
    expect(restored.products).toBe(442);
    expect((await service.listCatalogs()).map((c) => c.name)).toEqual(['Illustrative set', 'Second shop']);
    expect((await service.getModel({ id: model.id })).trainedOn[0]!.deletedAt).toBeNull();
  }, 60_000);

  it('with no catalog left, encoding still works and the map says what to do', async () => {
    const { service } = opened;
    const byIngredientIndex = () => service.db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'product_ingredients_by_ingredient'`).pluck().get();
    // The small catalog first (its rows deleted through the index), then the large one (the index dropped and built again).
    await service.deleteCatalog({ id: 2 });
    expect(byIngredientIndex()).toBe(1);
    expect(countRows(service.db, 'product_ingredients')).toBe(service.db.prepare(`SELECT count(*) FROM product_ingredients pi JOIN products p ON p.id = pi.product_id WHERE p.catalog_id = 1`).pluck().get());
    // 432 products, 100 at a time: five chunks with a pause after each, one transaction.
    let pauses = 0;
    const removed = await deleteCatalogRows(service.db, 1, '2026-12-07T07:00:00.000Z', async () => void pauses++, 100);
    expect([pauses, removed.products]).toEqual([5, 432]);
    expect(byIngredientIndex()).toBe(1);
    expect(countRows(service.db, 'product_ingredients')).toBe(0);
    expect(await service.listCatalogs()).toEqual([]);
    const encoded = await service.encodeLists({ declarations: ['Water, Glycerin'] });
    expect(encoded.codes.length).toBe(1);
    await expect(service.latentMap({ method: 'pca' })).rejects.toMatchObject({ code: 'no-catalog', message: expect.stringContaining('import a catalog') });
    await expect(service.generate({ n: 1000, k: 100 })).rejects.toMatchObject({ code: 'no-catalog' });
    await expect(service.deleteCatalog({ id: 2 })).rejects.toMatchObject({ code: 'not-found' });
  }, 120_000);
});

describe('ids after a deletion', () => {
  it('never gives a deleted catalog’s ids again, not even after the app is reopened', async () => {
    const opened = await openTestService({ sampleCatalog: true });
    try {
      const first = await opened.service.importCatalog({ path: SECOND_SHOP, catalogName: 'Second shop' });
      const deletedIds = productIdsOf(opened, first.catalogId!);
      expect(first.catalogId).toBe(2);
      await opened.service.deleteCatalog({ id: 2 });
      const again = await opened.service.importCatalog({ path: SECOND_SHOP, catalogName: 'Second shop again' });
      expect(again.catalogId).toBe(3);
      const newIds = productIdsOf(opened, 3);
      expect(newIds).toHaveLength(10);
      expect(Math.min(...newIds)).toBe(Math.max(...deletedIds) + 1);
      // Deleting the newest catalog again and reopening the database: the floors are stored with the data.
      await opened.service.deleteCatalog({ id: 3 });
      const path = opened.service.db.name;
      opened.service.close();
      const { FormulatorService } = await import('../../../src/main/services/formulator-service');
      const { resolveResourcesDir } = await import('../../../src/main/resources');
      const reopened = await FormulatorService.open({ databasePath: path, resourcesDir: resolveResourcesDir() });
      try {
        const third = await reopened.importCatalog({ path: SECOND_SHOP, catalogName: 'Third time' });
        expect(third.catalogId).toBe(4);
        const ids = reopened.db.prepare(`SELECT id FROM products WHERE catalog_id = 4 ORDER BY id`).pluck().all() as number[];
        expect(ids[0]).toBe(Math.max(...newIds) + 1);
      } finally {
        reopened.close();
      }
    } finally {
      await opened.close().catch(() => undefined);
    }
  });
});
