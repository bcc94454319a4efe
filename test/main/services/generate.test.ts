import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { join } from 'node:path';
import { runCli } from '../../../src/main/cli/run';
import { getIngredientRecords } from '../../../src/main/db/queries/ingredients';
import type { GenerateReport } from '../../../src/shared/api';
import { loadFamilies } from '../../../src/main/inci/knowledge';
import { familiesPath, resolveResourcesDir } from '../../../src/main/resources';
import { briefViolations, type Brief } from '../../../src/shared/briefs/brief';
import { countRows, openTestService, openTrainedTestService, type TrainedTestService } from '../../helpers';

/**
 * The generate job through the service, on the sample catalog with a quick model; and a stored
 * run's candidates (rows written directly: no model needed, on the fixture catalog).
 */

/** A stored run of three candidates and the ingredient ids it uses, on services of its own. */
interface StoredRun {
  service: FormulatorService;
  close: () => Promise<void>;
  runId: number;
  /** Ingredient ids by INCI name. */
  id: Record<string, number>;
}

/** The fixture catalog with a generation run's rows written directly (no model needed). */
async function openStoredRun(): Promise<StoredRun> {
  const { service, close } = await openTestService({ fixtureResources: true, sampleCatalog: true });
  const id: Record<string, number> = {};
  for (const name of ['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol', 'Dimethicone']) id[name] = (await service.lookupIngredient({ name })).match!.id;
  const serum = (await service.listProducts({ search: 'Illustrative Serum 1' })).items[0]!.id;
  const db = service.db;
  const modelId = Number(
    db
      .prepare(
        `INSERT INTO models (name, folder, manifest_sha256, created_at, preset, seed, backend, train_ms, epochs, vocab_hash, vocab_size, vocabulary, config, metrics, snapshot, active)
         VALUES ('quick model', 'model-x', '${'ab'.repeat(32)}', '2025-02-01T00:00:00Z', 'quick', 7, 'wasm', 1, 1, 'h', 1, '[]', '{}', '{}', '{}', 0)`,
      )
      .run().lastInsertRowid,
  );
  const runId = Number(
    db
      .prepare(`INSERT INTO generation_runs (model_id, created_at, backend, params, timings, counts, quality, density_floor) VALUES (?, '2025-02-02T00:00:00Z', 'wasm', '{}', '{}', '{}', '{}', -3)`)
      .run(modelId).lastInsertRowid,
  );
  const insert = db.prepare(`INSERT INTO generated_candidates (run_id, rank, passed, ingredients, code, scores, reasons) VALUES (?, ?, ?, ?, x'00000000', ?, ?)`);
  const scores = (score: number, novelty: number, plausibility: number, benefits: Record<string, number>, nearestProductId: number | null = null) =>
    JSON.stringify({ score, novelty, plausibility, logDensity: -4, benefits, nearestProductId });
  insert.run(runId, 1, 1, JSON.stringify([id.Water, id.Glycerin, id.Phenoxyethanol]), scores(0.8, 0.4, 0.9, { hydration: 0.3 }, serum), '[]');
  insert.run(runId, 2, 1, JSON.stringify([id.Water, id.Niacinamide, id.Phenoxyethanol]), scores(0.7, 0.7, 0.6, { hydration: 0.8 }), JSON.stringify(['order: Niacinamide is placed before Glycerin, but 3 catalog products list it after']));
  insert.run(runId, 3, 0, JSON.stringify([id.Water, id.Dimethicone]), scores(0.9, 0.5, 0.95, { hydration: 0.5 }), JSON.stringify(['contains water but no preservative', 'oils and water without an emulsifier']));
  return { service, close, runId, id };
}

let service: FormulatorService;
let close: () => Promise<void>;
let runId: number;

beforeAll(async () => ({ service, close, runId } = await openStoredRun()));
afterAll(() => close());

describe('listing a stored run’s candidates', () => {
  it('lists passed and rejected candidates by rank with names, scores, nearest product and reasons', async () => {
    const page = await service.listGeneratedCandidates({ runId });
    expect(page.total).toBe(3);
    expect(page.items.map((c) => [c.rank, c.passed])).toEqual([[1, true], [2, true], [3, false]]);
    expect(page.items[0]).toMatchObject({ ingredients: ['Water', 'Glycerin', 'Phenoxyethanol'], score: 0.8, novelty: 0.4, plausibility: 0.9, logDensity: -4, benefits: { hydration: 0.3 }, nearestProduct: { name: 'Illustrative Serum 1' }, reasons: [] });
    expect(page.items[2]!.reasons).toEqual(['contains water but no preservative', 'oils and water without an emulsifier']);
  });

  it('sorts by novelty or a benefit and shows only the rejected ones on request', async () => {
    expect((await service.listGeneratedCandidates({ runId, sortBy: 'novelty' })).items.map((c) => c.rank)).toEqual([2, 3, 1]);
    expect((await service.listGeneratedCandidates({ runId, sortBy: 'benefit:hydration', descending: false })).items.map((c) => c.rank)).toEqual([1, 3, 2]);
    expect(await service.listGeneratedCandidates({ runId, show: 'rejected' })).toMatchObject({ total: 1, items: [{ rank: 3 }] });
    expect(await service.listGeneratedCandidates({ runId, show: 'passed', limit: 1, offset: 1 })).toMatchObject({ total: 2, items: [{ rank: 2 }] });
  });

  it('adds each listed candidate\'s draft-formula status and estimated active levels on request', async () => {
    expect((await service.listGeneratedCandidates({ runId })).items[1]!.formula).toBeUndefined();
    const page = await service.listGeneratedCandidates({ runId, activeLevels: true });
    expect(page.items[0]!.formula).toEqual({ status: 'estimated', actives: [] });
    const niacinamide = page.items[1]!.formula!;
    expect(niacinamide.status).toBe('estimated');
    expect(niacinamide.actives).toHaveLength(1);
    expect(niacinamide.actives[0]).toMatchObject({ inci: 'Niacinamide' });
    expect(niacinamide.actives[0]!.percent!).toBeGreaterThanOrEqual(2);
    expect(niacinamide.actives[0]!.percent!).toBeLessThanOrEqual(10);
  });

  it('names a missing run and refuses an unknown sort column', async () => {
    await expect(service.listGeneratedCandidates({ runId: 999 })).rejects.toMatchObject({ code: 'not-found', message: 'there is no generation run 999; run Generate again' });
    await expect(service.listGeneratedCandidates({ runId, sortBy: 'colour' as 'score' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('field "sortBy"') });
  });
});

describe('names after a change', () => {
  // Renaming changes what every listing of the run shows: this test renames on a stored run of its own.
  let service: FormulatorService;
  let close: () => Promise<void>;
  let runId: number;
  let id: Record<string, number>;
  beforeAll(async () => ({ service, close, runId, id } = await openStoredRun()));
  afterAll(() => close());

  it('shows an ingredient’s new name after it is renamed (the listing is cached per run)', async () => {
    expect((await service.listGeneratedCandidates({ runId, limit: 1 })).items[0]!.ingredients).toEqual(['Water', 'Glycerin', 'Phenoxyethanol']);
    await service.saveIngredient({ id: id.Glycerin!, inci: 'Glycerol', synonyms: ['Glycerin'], functions: ['humectant'] });
    expect((await service.listGeneratedCandidates({ runId, limit: 1 })).items[0]!.ingredients).toEqual(['Water', 'Glycerol', 'Phenoxyethanol']);
  });
});

describe('choosing an export path', () => {
  it('is left to the desktop app: the services say to download the CSV instead', async () => {
    await expect(service.chooseExportPath()).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('download the CSV') });
  });
});

describe('models through the service', () => {
  // Services of its own: the shipped sample catalog with a quick model trained on it.
  let trained: TrainedTestService;
  beforeAll(async () => {
    trained = await openTrainedTestService();
  }, 120_000);
  afterAll(() => trained?.close());

  it('generates, filters and ranks candidates, storing the run with its provenance', async () => {
    const { service } = trained;
    await expect(service.generate({ n: 100, k: 200 })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('N (samples) must be at least K') });
    const report = await service.generate({ n: 2000, k: 200, seed: 5, shortlist: 20 });
    expect(report.counts).toMatchObject({ sampled: 2000, decoded: 200 });
    expect(report.quality.validLists).toBe(1);
    expect(Object.keys(report.timingsMs)).toEqual(['fit', 'sample and density', 'select', 'predict', 'decode and check', 'rank', 'quality']);
    // Two threads shared 2 density blocks of 1,000 samples and 2 decode batches of 100 candidates.
    expect(report.work).toMatchObject({ threads: 2, batches: 4 });
    expect(report.shortlist.length).toBeGreaterThan(0);
    // Length-fair ranking: best first among lists of similar length (the catalog's length deciles),
    // no list shorter than the catalog's 5th percentile, the lengths centred on the catalog's.
    const lengths = report.quality.lengths!;
    for (const c of report.shortlist) {
      const sameLength = report.shortlist.filter((d) => d.ingredients.length === c.ingredients.length).map((d) => d.score);
      expect([...sameLength].sort((a, b) => b - a)).toEqual(sameLength);
    }
    const shortlistLengths = report.shortlist.map((c) => c.ingredients.length).sort((a, b) => a - b);
    expect(shortlistLengths[0]).toBeGreaterThanOrEqual(lengths.catalogP5);
    expect(Math.abs(shortlistLengths[Math.floor(shortlistLengths.length / 2)]! - lengths.catalogMedian)).toBeLessThanOrEqual(3);
    expect(Math.abs(lengths.median - lengths.catalogMedian)).toBeLessThanOrEqual(2);
    for (const c of report.shortlist) {
      expect(c.passed).toBe(true);
      expect(c.novelty).toBeGreaterThanOrEqual(0.3);
      expect(new Set(c.ingredients).size).toBe(c.ingredients.length);
    }
    // Benefits are predicted from each decoded list as the editor predicts them, each with its ± (80 % interval).
    const top = report.shortlist[0]!;
    const benefitNames = Object.keys(top.benefits);
    expect(benefitNames.length).toBeGreaterThan(0);
    expect(Object.keys(top.uncertainty ?? {})).toEqual(benefitNames);
    // Scored inside the decode batches on both threads (list-scorer.ts): the editor's numbers to float32 rounding.
    for (const c of report.shortlist.slice(0, 5)) {
      const editor = await service.scoreList({ ingredients: c.ingredients });
      for (const b of editor.benefits!) {
        expect(c.benefits[b.name]).toBeCloseTo(b.value, 4);
        expect(c.uncertainty![b.name]).toBeCloseTo(b.uncertainty!, 4);
      }
    }
    const listed = await service.listGeneratedCandidates({ runId: report.runId, show: 'passed', sortBy: 'rank', limit: 1 });
    expect(listed.items[0]!.uncertainty).toEqual(top.uncertainty);
    // Completeness: the job's lists pass the structural checks at least as often as the catalog's own.
    expect(report.quality.structure!.passed).toBeGreaterThanOrEqual(report.quality.structure!.catalogPassed);
    const stored = service.db.prepare(`SELECT count(*) AS n, sum(passed) AS passed FROM generated_candidates WHERE run_id = ?`).get(report.runId) as { n: number; passed: number };
    expect(stored).toEqual({ n: 200, passed: report.counts.passed });
    const run = service.db.prepare(`SELECT params, timings, backend FROM generation_runs WHERE id = ?`).get(report.runId) as { params: string; timings: string; backend: string };
    expect(JSON.parse(run.params)).toMatchObject({ n: 2000, k: 200, seed: 5 });
    expect(run.backend).toBe('wasm');
    // What the job computes once per model and catalog is kept beside the model for the next process.
    const folder = (service.db.prepare(`SELECT folder FROM models WHERE id = ?`).get(report.modelId) as { folder: string }).folder;
    const cache = JSON.parse(readFileSync(join(service.modelsDir, folder, 'generate-cache.json'), 'utf8')) as { space: { key: string; density: number[] }; catalog: { known: { catalogMedianPlausibility: number } } };
    expect(cache.space.density).toHaveLength(432); // the sample catalog's products, each a kernel
    expect(cache.catalog.known.catalogMedianPlausibility).toBeCloseTo(report.quality.catalogMedianPlausibility, 10);
    // A new process (the command line's) reads it and gets the same run.
    let printed = '';
    expect(await runCli(['--db', join(trained.dir, 'test.db'), 'generate', '--n', '2000', '--top', '200', '--seed', '5', '--json'], { out: (t) => (printed += t), err: () => undefined })).toBe(0);
    const fromCli = JSON.parse(printed) as GenerateReport;
    expect(fromCli.densityFloor).toBe(report.densityFloor);
    expect(fromCli.shortlist.slice(0, 20).map((c) => c.ingredients)).toEqual(report.shortlist.map((c) => c.ingredients));
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

  it('decodes every list under a design brief, records it, and refuses a brief the model cannot meet before any work', async () => {
    const { service } = trained;
    const rules: Brief = { include: ['Niacinamide'], includeClasses: ['humectant'], exclude: ['Glycerin'], freeFrom: ['silicones', 'fragrance', 'parabens'], minLength: 10, maxLength: 24 };
    const records = new Map(getIngredientRecords(service.db).map((r) => [r.inci, r]));
    const families = loadFamilies(familiesPath(resolveResourcesDir()));
    const obeying = async (runId: number) => {
      const all = (await service.listGeneratedCandidates({ runId, limit: 1000 })).items;
      return all.filter((c) => briefViolations(c.ingredients.map((n) => records.get(n)!), rules, families).length === 0).length;
    };
    const report = await service.generate({ n: 2000, k: 200, seed: 5, briefRules: rules });
    // Every decoded list obeys the brief, and the job still decodes K lists.
    expect(report.counts.decoded).toBe(200);
    expect(await obeying(report.runId)).toBe(200);
    expect(report.counts.passed).toBeGreaterThanOrEqual(150);
    expect(report.brief).toEqual({ name: null, version: null, rules: { ...rules, category: null } });
    for (const c of report.shortlist) expect(c.ingredients).toContain('Niacinamide');
    const stored = service.db.prepare(`SELECT params FROM generation_runs WHERE id = ?`).get(report.runId) as { params: string };
    expect(JSON.parse(stored.params)).toMatchObject({ briefRules: rules, appliedBrief: { rules } });
    // The naive way, the same job without the brief, gets far fewer lists that obey it.
    const naive = await service.generate({ n: 2000, k: 200, seed: 5 });
    expect(await obeying(naive.runId)).toBeLessThanOrEqual(5);
    // A saved brief by name, recorded with its version.
    await service.saveBrief({ name: 'Niacinamide serum', brief: rules });
    const byName = await service.generate({ n: 2000, k: 200, seed: 5, brief: 'niacinamide serum' });
    expect(byName.brief).toMatchObject({ name: 'Niacinamide serum', version: 1 });
    expect(byName.shortlist.map((c) => c.ingredients)).toEqual(report.shortlist.map((c) => c.ingredients));
    // Rules given inline are read as the knowledge base reads names: "aqua" is Water.
    const waterless = await service.generate({ n: 2000, k: 200, seed: 5, briefRules: { exclude: ['aqua'] } });
    expect(waterless.brief!.rules.exclude).toEqual(['Water']);
    for (const c of (await service.listGeneratedCandidates({ runId: waterless.runId, limit: 1000 })).items) expect(c.ingredients).not.toContain('Water');
    // Refused before any work, nothing stored.
    const runs = await countRows(service.db, 'generation_runs');
    await expect(service.generate({ n: 2000, k: 200, briefRules: { ...rules, include: ['Glycerin'] } })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('Glycerin is both required and excluded') });
    await expect(service.generate({ n: 2000, k: 200, briefRules: { ...rules, include: ['Unobtainium'] } })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('"Unobtainium" is not an ingredient') });
    await expect(service.generate({ n: 2000, k: 200, brief: 'no such brief' })).rejects.toMatchObject({ code: 'not-found' });
    expect(await countRows(service.db, 'generation_runs')).toBe(runs);
    // From the command line: a saved brief by name, or the rules inline.
    let out = '';
    let err = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`) };
    const db = join(trained.dir, 'test.db');
    expect(await runCli(['--db', db, 'generate', '--n', '2000', '--top', '200', '--seed', '5', '--brief', 'Niacinamide serum'], io)).toBe(0);
    expect(out).toContain('brief: "Niacinamide serum" v1 — must include: Niacinamide');
    out = '';
    expect(await runCli(['--db', db, 'generate', '--n', '2000', '--top', '200', '--free-from', 'silicones', '--length', '10-24', '--json'], io)).toBe(0);
    expect((JSON.parse(out) as GenerateReport).brief).toMatchObject({ name: null, rules: { freeFrom: ['silicones'], minLength: 10, maxLength: 24 } });
    expect(await runCli(['--db', db, 'generate', '--brief', 'Niacinamide serum', '--exclude', 'Water'], io)).toBe(2);
    expect(err).toContain('give --brief NAME or inline brief rules');
  }, 120_000);

  it('finds the nearest products that meet a brief', async () => {
    const { service } = trained;
    const plain = await service.neighbours({ productId: 5, k: 10 });
    const rules = { freeFrom: ['silicones'], category: 'moisturiser' };
    const near = await service.neighbours({ productId: 5, k: 10, briefRules: rules });
    const meeting = await service.listProducts({ briefRules: rules, limit: 1000 });
    const ids = new Set(meeting.items.map((p) => p.id));
    expect(near.brief).toMatchObject({ meeting: meeting.total, applied: { rules: { category: 'moisturiser', freeFrom: ['silicones'] } } });
    expect(near.byLatent.length).toBe(Math.min(10, meeting.total - (ids.has(5) ? 1 : 0)));
    for (const e of [...near.byLatent, ...near.byOverlap]) expect(ids.has(e.productId)).toBe(true);
    // The nearest that meet it, in order: each at least as far as the unfiltered nearest.
    expect(near.byLatent[0]!.distance!).toBeGreaterThanOrEqual(plain.byLatent[0]!.distance!);
    const distances = near.byLatent.map((e) => e.distance!);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    let out = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: () => undefined };
    expect(await runCli(['--db', join(trained.dir, 'test.db'), 'neighbours', '--product', '5', '--k', '3', '--free-from', 'silicones', '--category', 'moisturiser'], io)).toBe(0);
    expect(out).toContain(`only the ${meeting.total} catalog products that meet the brief`);
  });

  it('samples around a brief\'s category and checks that each list reads as it', async () => {
    const { service } = trained;
    // The sample catalog's categories are lower case; a chemist's spelling finds them.
    const job = { n: 2000, k: 200, seed: 5 };
    const plain = await service.generate(job);
    const plainLists = (await service.listGeneratedCandidates({ runId: plain.runId, limit: 1000 })).items;
    const report = await service.generate({ ...job, briefRules: { category: 'Sunscreens' } });
    expect(report.brief!.rules.category).toBe('sunscreen');
    expect(report.counts.decoded).toBe(200);
    const lists = (await service.listGeneratedCandidates({ runId: report.runId, limit: 1000 })).items;
    const read = lists.filter((c) => c.readsAs?.category === 'sunscreen').length;
    expect(report.category).toEqual({ category: 'sunscreen', decoded: 200, readAsCategory: read });
    // Far more of the lists read as sunscreens than the same job without the category (1 in 8 of the catalog is one; 200 of 200 when written)...
    const scoreOf = (names: string[]) => service.scoreList({ ingredients: names });
    expect(read).toBeGreaterThanOrEqual(0.8 * 200);
    const filters = new Set(['Zinc Oxide', 'Titanium Dioxide', 'Avobenzone', 'Octocrylene', 'Homosalate', 'Ethylhexyl Salicylate', 'Octisalate', 'Octinoxate', 'Ethylhexyl Methoxycinnamate', 'Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine', 'Ethylhexyl Triazone', 'Diethylamino Hydroxybenzoyl Hexyl Benzoate', 'Butyl Methoxydibenzoylmethane']);
    const withFilter = (xs: { ingredients: string[] }[]) => xs.filter((c) => c.ingredients.some((i) => filters.has(i))).length;
    // ...and more of them hold a UV filter, which is what makes a sunscreen.
    expect(withFilter(lists)).toBeGreaterThan(2 * withFilter(plainLists));
    // Every passed list reads as the category; the others fail with the reason.
    for (const c of lists) {
      if (c.passed) expect(c.readsAs!.category).toBe('sunscreen');
      else if (c.readsAs!.category !== 'sunscreen') expect(c.reasons.some((r) => r.startsWith(`reads as ${c.readsAs!.category}`))).toBe(true);
    }
    expect(lists.slice(0, report.counts.passed).every((c) => c.passed)).toBe(true);
    // The editor: a list read as another category breaks the brief's category, one read as it does not.
    const sunscreenList = lists.find((c) => c.passed)!.ingredients;
    expect((await service.scoreList({ ingredients: sunscreenList, briefRules: { category: 'sunscreen' } })).brief!.violations).toEqual([]);
    const asCleanser = (await service.scoreList({ ingredients: sunscreenList, briefRules: { category: 'cleanser' } })).brief!.violations;
    expect(asCleanser).toEqual([expect.objectContaining({ rule: 'category', message: expect.stringMatching(/^the list reads as sunscreen \(\d+ %\) to the catalog's classifier, not cleanser/) })]);
    expect((await scoreOf(lists[0]!.ingredients)).benefits).toBeDefined();
    // An unknown category is refused before any work.
    await expect(service.generate({ ...job, briefRules: { category: 'lipstick' } })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('"lipstick" is not a category of the catalogs (they have') });
    // From the command line.
    let out = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: () => undefined };
    expect(await runCli(['--db', join(trained.dir, 'test.db'), 'generate', '--n', '2000', '--top', '200', '--seed', '5', '--category', 'sun screen'], io)).toBe(0);
    expect(out).toContain(`category: ${read} of 200 decoded lists read as sunscreen`);
    expect(out).toContain('reads as sunscreen');
  }, 120_000);
});

describe('warming up the active model', () => {
  it('does nothing without an active model, and otherwise runs a small job that stores nothing', async () => {
    const { service: s, close: c } = await openTestService({ sampleCatalog: true });
    try {
      expect(await s.warmUp()).toMatchObject({ ran: false, reason: 'no active model' });
      await s.trainModel({ preset: 'quick', seed: 3 });
      const runs = countRows(s.db, 'generation_runs');
      const warmed = await s.warmUp();
      expect(warmed.ran).toBe(true);
      expect(countRows(s.db, 'generation_runs')).toBe(runs);
      expect((await s.getActivity()).finished.some((a) => a.label === 'Getting the model ready' && a.state === 'done')).toBe(true);
    } finally {
      await c();
    }
  }, 120_000);
});
