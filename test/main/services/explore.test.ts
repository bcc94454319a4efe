import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { openTrainedTestService, type TrainedTestService } from '../../helpers';

/**
 * Exploring the latent space through the service (neighbours, density and whitespace, the 2-D
 * map, interpolation, sensitivity), with a quick model trained once for the file on the shipped
 * sample catalog; no test relies on another having run.
 */
let trained: TrainedTestService;
let service: FormulatorService;

beforeAll(async () => {
  trained = await openTrainedTestService();
  ({ service } = trained);
}, 120_000);
afterAll(() => trained?.close());

describe('models through the service', () => {
  it('finds neighbours in latent space and by overlap, with shared and differing ingredients', async () => {
    const n = await service.neighbours({ productId: 5, k: 5 });
    expect(n.byLatent).toHaveLength(5);
    expect(n.byLatent.every((e) => e.productId !== 5)).toBe(true);
    const distances = n.byLatent.map((e) => e.distance!);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    const overlaps = n.byOverlap.map((e) => e.weightedJaccard);
    expect([...overlaps].sort((a, b) => b - a)).toEqual(overlaps);
    const top = n.byOverlap[0]!;
    expect(top.shared.length + top.onlyInQuery.length).toBe(n.query.ingredients.length);
    const typed = await service.neighbours({ declaration: 'Water, Glycerin, Niacinamide, Zinc PCA, Phenoxyethanol', k: 3 });
    expect(typed.query.productId).toBeNull();
    expect(typed.byOverlap[0]!.shared).toEqual(expect.arrayContaining(['Water', 'Glycerin']));
    await expect(service.neighbours({ productId: 5, declaration: 'Water' } as never)).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('reports density with its bandwidth rule and the sparsest products, and a 2-D map', async () => {
    const w = await service.whitespace({ k: 4 });
    expect(w.products).toBe(432);
    expect(w.bandwidthRule).toMatch(/^Scott's rule on whitened codes/);
    expect(w.bandwidth).toBeCloseTo(432 ** (-1 / 36), 10);
    const densities = w.sparsest.map((x) => x.logDensity);
    expect([...densities].sort((a, b) => a - b)).toEqual(densities);
    expect(densities[3]!).toBeLessThanOrEqual(w.logDensityPercentiles.p5);
    const sparsest = await service.density({ productId: w.sparsest[0]!.productId });
    expect(sparsest.logDensity).toBeCloseTo(w.sparsest[0]!.logDensity, 6);
    expect(sparsest.percentile).toBe(0);
    const typed = await service.density({ declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    expect(typed.percentile).toBeGreaterThan(0);
    const withGaps = await service.whitespace({ k: 1, gaps: 3 });
    expect(withGaps.gaps.length).toBeGreaterThan(0);
    for (const g of withGaps.gaps) {
      expect(g.depth).toBeGreaterThan(0);
      expect(g.between[0].productId).not.toBe(g.between[1].productId);
      expect(new Set(g.ingredients).size).toBe(g.ingredients.length);
    }
    const cv = await service.whitespace({ k: 2, bandwidthMethod: 'cross-validation' });
    expect(cv.bandwidthScores).toHaveLength(5);
    expect(cv.bandwidthScores!.map((x) => x.bandwidth)).toContain(cv.bandwidth);
    expect(cv.bandwidthRule).toMatch(/^likelihood cross-validation/);
    const map = await service.latentMap();
    expect(map.points).toHaveLength(432);
    expect(map.explained![0]).toBeGreaterThanOrEqual(map.explained![1]);
    const umap = await service.latentMap({ method: 'umap', seed: 4 });
    expect(umap).toMatchObject({ method: 'umap', components: null });
    expect(umap.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
    expect((await service.latentMap({ method: 'umap', seed: 4 })).points).toEqual(umap.points);
    // Codes placed on the UMAP map (its fit reused) land beside their own products.
    const ids = [1, 50, 200];
    const own = (await service.encodeLists({ productIds: ids })).codes;
    const placed = await service.projectCodes({ codes: own, method: 'umap', seed: 4 });
    expect(placed).toMatchObject({ method: 'umap', components: null });
    expect((await service.latentMap({ method: 'umap', seed: 4 })).points).toEqual(umap.points); // placing moved nothing
    placed.points.forEach((p, i) => {
      const at = umap.points.find((q) => q.productId === ids[i])!;
      const mine = Math.hypot(p.x - at.x, p.y - at.y);
      const others = umap.points.filter((q) => q.productId !== ids[i]).map((q) => Math.hypot(p.x - q.x, p.y - q.y));
      // closer to its own product than 95 % of the other products are
      expect(others.filter((d) => d < mine).length / others.length).toBeLessThan(0.05);
    });
    const onPca = await service.projectCodes({ codes: own });
    expect(onPca).toMatchObject({ method: 'pca', components: [0, 1] });
    await expect(service.latentMap({ components: [0, 99] })).rejects.toThrow(/this model has 32 latent dimensions/);
  });

  it('interpolates between two products, decoding each step and predicting its benefits', async () => {
    const path = await service.interpolate({ fromProductId: 1, toProductId: 4, steps: 5, method: 'slerp' });
    expect(path.steps.map((s) => s.t)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    for (const step of path.steps) {
      expect(new Set(step.ingredients).size).toBe(step.ingredients.length);
      expect(step.benefits.hydration).toBeTypeOf('number');
    }
    const [from, to] = await Promise.all([service.encodeLists({ productIds: [1] }), service.encodeLists({ productIds: [4] })]);
    path.steps[0]!.code.forEach((v, i) => expect(v).toBeCloseTo(from.codes[0]![i]!, 5));
    path.steps[4]!.code.forEach((v, i) => expect(v).toBeCloseTo(to.codes[0]![i]!, 5));
    await expect(service.interpolate({ fromProductId: 1, toProductId: 99_999 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('measures the sensitivity of each dimension with progress, and its correlations to the others', async () => {
    const stages: number[] = [];
    const report = await service.sensitivity({ baseCount: 5, resamples: 2, seed: 3 }, { onStage: (p) => stages.push(p.done) });
    expect(stages).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(report.dimensions).toHaveLength(32);
    expect(report.decodes).toBe(5 + 32 * 2 * 5 * 2);
    const s = report.dimensions.map((d) => d.sensitivityNormal);
    expect([...s].sort((a, b) => b - a)).toEqual(s);
    for (const d of report.dimensions) {
      expect(d.correlations).toHaveLength(31);
      expect(d.correlations.every((r) => r >= -1 - 1e-9 && r <= 1 + 1e-9)).toBe(true);
    }
    const again = await service.sensitivity({ baseCount: 5, resamples: 2, seed: 3 });
    expect(again.dimensions.map((d) => d.sensitivityNormal)).toEqual(s);
  });
});
