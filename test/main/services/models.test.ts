import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModelVocabulary } from '../../../src/main/db/queries/models';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import type { ModelRecord } from '../../../src/shared/domain';
import { openTestService } from '../../helpers';

/** Training and using models through the service, on the shipped sample catalog. */
let service: FormulatorService;
let close: () => Promise<void>;
let first: ModelRecord;

beforeAll(async () => {
  ({ service, close } = await openTestService());
});
afterAll(() => close());

describe('models through the service', () => {
  it('refuses to train an empty or tiny catalog before starting, saying why', async () => {
    await expect(service.trainModel({ preset: 'quick' })).rejects.toMatchObject({ code: 'untrainable', message: expect.stringContaining('at least 30 are needed') });
    expect(await service.listModels()).toEqual([]);
  });

  it('trains the quick preset on the sample catalog and records it as active, with metrics and backend', async () => {
    await service.loadSampleCatalog();
    const epochs: number[] = [];
    first = await service.trainModel({ preset: 'quick', seed: 7 }, { onProgress: (p) => epochs.push(p.epoch) });
    expect(epochs[0]).toBe(1);
    expect(first).toMatchObject({ active: true, preset: 'quick', seed: 7, backend: 'wasm' });
    expect(first.metrics.heldOut.validShare).toBe(1);
    expect(first.metrics.train.jaccard).toBeGreaterThan(0.3);
    expect(first.snapshot.products).toBe(432);
    // Sample products carry imported scores and knowledge-based ones: both are learned.
    expect(first.metrics.benefits.map((b) => b.name)).toEqual(expect.arrayContaining(['hydration', 'kb:hydration']));
    const knowledge = service.db.prepare(`SELECT count(*) AS n FROM benefit_scores WHERE source = 'knowledge'`).get() as { n: number };
    expect(knowledge.n).toBe(432 * 9);
    const vocabulary = getModelVocabulary(service.db, first.id)!;
    expect(vocabulary).toHaveLength(first.vocabularySize);
    expect(vocabulary[0]).toEqual({ name: 'Water', ingredientId: expect.any(Number) });
  });

  it('encodes products and declarations and decodes codes to unique, known ingredient lists', async () => {
    const encoded = await service.encodeLists({ productIds: [1], declarations: ['Water, Glycerin, Niacinamide, Phenoxyethanol'] });
    expect(encoded.modelId).toBe(first.id);
    expect(encoded.codes).toHaveLength(2);
    const decoded = await service.decodeCodes({ codes: encoded.codes });
    for (const list of decoded.lists) {
      expect(list.ingredients.length).toBeGreaterThan(2);
      expect(new Set(list.ingredients).size).toBe(list.ingredients.length);
      expect(list.ingredients.some((n) => n.startsWith('<') || n.startsWith('#'))).toBe(false);
    }
    await expect(service.decodeCodes({ codes: [[1, 2]] })).rejects.toThrow(/this model has 32 dimensions/);
  });

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

  it('generates, filters and ranks candidates, storing the run with its provenance', async () => {
    await expect(service.generate({ n: 100, k: 200 })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('N (samples) must be at least K') });
    const report = await service.generate({ n: 2000, k: 200, seed: 5, shortlist: 20 });
    expect(report.counts).toMatchObject({ sampled: 2000, decoded: 200 });
    expect(report.quality.validLists).toBe(1);
    expect(Object.keys(report.timingsMs)).toEqual(['fit', 'sample and density', 'select', 'predict', 'decode and check', 'quality']);
    // Two threads shared 2 density blocks of 1,000 samples and 2 decode batches of 100 candidates.
    expect(report.work).toMatchObject({ threads: 2, batches: 4 });
    expect(report.shortlist.length).toBeGreaterThan(0);
    const scores = report.shortlist.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    for (const c of report.shortlist) {
      expect(c.passed).toBe(true);
      expect(c.novelty).toBeGreaterThanOrEqual(0.3);
      expect(new Set(c.ingredients).size).toBe(c.ingredients.length);
    }
    const stored = service.db.prepare(`SELECT count(*) AS n, sum(passed) AS passed FROM generated_candidates WHERE run_id = ?`).get(report.runId) as { n: number; passed: number };
    expect(stored).toEqual({ n: 200, passed: report.counts.passed });
    const run = service.db.prepare(`SELECT params, timings, backend FROM generation_runs WHERE id = ?`).get(report.runId) as { params: string; timings: string; backend: string };
    expect(JSON.parse(run.params)).toMatchObject({ n: 2000, k: 200, seed: 5 });
    expect(run.backend).toBe('wasm');
    const again = await service.generate({ n: 2000, k: 200, seed: 5, shortlist: 20 });
    expect(again.shortlist.map((c) => c.ingredients)).toEqual(report.shortlist.map((c) => c.ingredients));
    const near = await service.neighbours({ candidate: { runId: report.runId, rank: 1 }, k: 3 });
    const best = (service.db.prepare(`SELECT ingredients FROM generated_candidates WHERE run_id = ? AND rank = 1`).get(report.runId) as { ingredients: string }).ingredients;
    expect(near.query.ingredients).toHaveLength((JSON.parse(best) as number[]).length);
    expect(near.byLatent).toHaveLength(3);
    await expect(service.neighbours({ candidate: { runId: report.runId, rank: 9999 } })).rejects.toMatchObject({ code: 'not-found' });
    const strict = await service.generate({ n: 2000, k: 200, seed: 5, benefitThresholds: { hydration: 0.99 } });
    expect(strict.counts.passed).toBeLessThan(report.counts.passed);
    expect(report.baselines).toEqual([]);
    const compared = await service.generate({ n: 2000, k: 200, seed: 5, baselines: true });
    const [seedDecoding, recombination] = compared.baselines;
    expect(seedDecoding!.quality.validLists).toBeLessThan(compared.quality.validLists);
    expect(seedDecoding!.quality.medianPlausibility).toBeLessThan(compared.quality.medianPlausibility);
    expect(recombination!.quality.medianNovelty).toBeLessThan(compared.quality.medianNovelty);
    expect(recombination!.quality.passedAllChecks).toBeLessThan(compared.quality.passedAllChecks);
  });

  it('keeps the previous model active when asked to activate a corrupted one', async () => {
    const second = await service.trainModel({ preset: 'quick', seed: 8, activate: false });
    expect(second.active).toBe(false);
    const folder = readdirSync(service.modelsDir).find((f) => f.includes('-8-'))!;
    const path = join(service.modelsDir, folder, 'weights.bin');
    const bytes = readFileSync(path);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(path, bytes);
    await expect(service.activateModel({ id: second.id })).rejects.toMatchObject({ code: 'model-file', message: expect.stringContaining('The active model was not changed') });
    const models = await service.listModels();
    expect(models.find((m) => m.active)?.id).toBe(first.id);
    expect((await service.encodeLists({ productIds: [2] })).modelId).toBe(first.id);
  });
});
