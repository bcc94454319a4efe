import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getIngredientRecords } from '../../src/main/db/queries/ingredients';
import { loadFamilies } from '../../src/main/inci/knowledge';
import { familiesPath, resolveResourcesDir } from '../../src/main/resources';
import type { GenerateReport } from '../../src/shared/api';
import { briefViolations, type Brief } from '../../src/shared/briefs/brief';
import { matchCategory } from '../../src/shared/briefs/categories';
import { classifyCategory, crossValidateCategories, trainCategoryClassifier } from '../../src/shared/ml/category-classifier';
import { getProductLists } from '../../src/main/db/queries/products';
import { openSephoraService } from '../bench-support/sephora-service';

type Preset = 'quick' | 'full';

/** Five briefs as chemists write them (issue 15). */
const BRIEFS: [string, Brief][] = [
  ['fragrance-free, silicone-free hydrating serum with niacinamide, at most 25 ingredients', { include: ['Niacinamide'], includeClasses: ['humectant'], exclude: [], freeFrom: ['fragrance', 'fragrance-allergens', 'silicones'], minLength: null, maxLength: 25, category: 'serum' }],
  ['sulfate-free cleanser', { include: [], includeClasses: ['surfactant'], exclude: [], freeFrom: ['sulfate-surfactants'], minLength: null, maxLength: null, category: 'cleanser' }],
  ['mineral sunscreen: zinc oxide, no organic UV filters', { include: ['Zinc Oxide'], includeClasses: [], exclude: [], freeFrom: ['organic-uv-filters'], minLength: null, maxLength: null, category: 'sunscreen' }],
  ['paraben- and formaldehyde-releaser-free moisturiser with a preservative and an emollient, at least 15 ingredients', { include: [], includeClasses: ['preservative', 'emollient'], exclude: [], freeFrom: ['parabens', 'formaldehyde-releasers'], minLength: 15, maxLength: null, category: 'moisturiser' }],
  ['vegan, essential-oil-free, alcohol-free toner with a humectant, at most 30 ingredients', { include: [], includeClasses: ['humectant'], exclude: [], freeFrom: ['animal-derived', 'essential-oils', 'drying-alcohols'], minLength: null, maxLength: 30 }],
];

/**
 * Design briefs on models trained on sephora_cosmetics.csv (BENCH_PRESETS, default `quick,full`;
 * quick is the app's default): for each brief, the generate job decoding under the brief against
 * the naive way — the same job (N 10,000, K 1,000, seed 1) without the brief, its lists filtered
 * by the brief afterwards. Reported: lists that obey the brief, lists that obey it and pass every
 * check, their median ordering plausibility against the catalog's, and the warm job time (median
 * of three seeds) with and without the brief. For the briefs with a category (the catalog's:
 * serum is its "Treatment", sunscreen its "Sun protect"), the share of decoded lists that a
 * bag-of-ingredients classifier trained on the catalog reads as that category, with the brief
 * and the naive way, beside the classifier's 5-fold accuracy on the catalog's own products; and
 * each of the catalog's six categories asked for alone.
 */
export async function benchBriefs(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close, dir } = await openSephoraService(figures);
  try {
    const families = loadFamilies(familiesPath(resolveResourcesDir()));
    const records = new Map(getIngredientRecords(service.db).map((r) => [r.inci, r]));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    // The category classifier as the app trains it (services/categories.ts), on every product.
    const rows = service.db.prepare(`SELECT p.id, p.category FROM products p ORDER BY p.id`).all() as { id: number; category: string }[];
    const lists = getProductLists(service.db);
    const labelled = rows.filter((r) => (lists.get(r.id)?.length ?? 0) > 0);
    const classifier = trainCategoryClassifier(labelled.map((r) => lists.get(r.id)!), labelled.map((r) => r.category), { l2: 0.01 });
    const cv = crossValidateCategories(labelled.map((r) => lists.get(r.id)!), labelled.map((r) => r.category), 5, { l2: 0.01 });
    figures['category classifier: 5-fold accuracy on the catalog'] = cv.accuracy.toFixed(3);
    figures['category classifier: held-out share of each category read as itself'] = Object.entries(cv.perClass).map(([c, v]) => `${c} ${v.toFixed(2)}`).join(', ');
    const categoryNames = [...new Set(labelled.map((r) => r.category))];
    const readAs = (names: string[][], category: string) => names.filter((l) => classifyCategory(classifier, l.map((n) => records.get(n)?.id ?? -1)).category === category).length;
    for (const preset of (process.env.BENCH_PRESETS ?? 'quick,full').split(',') as Preset[]) {
      await service.trainModel({ preset, seed: 1 });
      const label = `${preset}${preset === 'quick' ? ' (default)' : ''}`;
      // Warm-up: the first job after training fits the space and builds the catalog tables.
      await service.generate({ n: 10_000, k: 1_000, seed: 99 });
      const naive = await service.generate({ n: 10_000, k: 1_000, seed: 1 });
      const naiveLists = (await service.listGeneratedCandidates({ runId: naive.runId, limit: 1000 })).items;
      const naiveTimes: number[] = [];
      for (const seed of [2, 3, 4]) naiveTimes.push((await service.generate({ n: 10_000, k: 1_000, seed })).totalMs);
      figures[`${label}: job without a brief, warm median of 3 (ms)`] = median(naiveTimes);
      BRIEFS.forEach(([name], i) => (figures[`brief ${i + 1}`] = name));
      for (const [i, [, rules]] of BRIEFS.entries()) {
        const obeys = (ingredients: string[]) => briefViolations(ingredients.map((n) => records.get(n) ?? { inci: n }), rules, families).length === 0;
        let report: GenerateReport;
        try {
          report = await service.generate({ n: 10_000, k: 1_000, seed: 1, briefRules: rules });
        } catch (error) {
          figures[`${label}, brief ${i + 1}`] = `refused: ${(error as Error).message}`;
          continue;
        }
        const lists = (await service.listGeneratedCandidates({ runId: report.runId, limit: 1000 })).items;
        const times: number[] = [];
        for (const seed of [2, 3, 4]) times.push((await service.generate({ n: 10_000, k: 1_000, seed, briefRules: rules })).totalMs);
        // The naive way filtered by all of the brief: its rules and, with a category, the category check.
        const category = rules.category ? matchCategory(rules.category, categoryNames)! : null;
        const readsAsCategory = (ingredients: string[]) => !category || readAs([ingredients], category) === 1;
        const passing = lists.filter((c) => c.passed && obeys(c.ingredients));
        const naivePassing = naiveLists.filter((c) => c.passed && obeys(c.ingredients) && readsAsCategory(c.ingredients));
        const plaus = (xs: typeof lists) => (xs.length ? median(xs.map((c) => c.plausibility)).toFixed(3) : '–');
        figures[`${label}, brief ${i + 1}: decoded lists obeying it, with the brief / naive`] = `${lists.filter((c) => obeys(c.ingredients)).length} of ${lists.length} / ${naiveLists.filter((c) => obeys(c.ingredients)).length} of ${naiveLists.length}`;
        figures[`${label}, brief ${i + 1}: obeying and passing every check, with the brief / naive`] = `${passing.length} / ${naivePassing.length}`;
        figures[`${label}, brief ${i + 1}: median plausibility of those (catalog median ${report.quality.catalogMedianPlausibility.toFixed(3)})`] = `${plaus(passing)} / ${plaus(naivePassing)}`;
        figures[`${label}, brief ${i + 1}: median length, with the brief`] = median(lists.map((c) => c.ingredients.length));
        figures[`${label}, brief ${i + 1}: warm job, median of 3 (ms)`] = median(times);
        if (category) {
          figures[`${label}, brief ${i + 1}: decoded lists read as ${category}, with the brief / naive`] = `${readAs(lists.map((c) => c.ingredients), category)} / ${readAs(naiveLists.map((c) => c.ingredients), category)} of 1000`;
        }
      }
      coldFirstJob(figures, label, join(dir, 'test.db'));
      for (const category of categoryNames) {
        const report = await service.generate({ n: 10_000, k: 1_000, seed: 1, briefRules: { category } });
        const decoded = (await service.listGeneratedCandidates({ runId: report.runId, limit: 1000 })).items;
        figures[`${label}, category ${category} alone: read as it / passed / median novelty, plausibility / job ms`] = `${report.category!.readAsCategory} (naive ${readAs(naiveLists.map((c) => c.ingredients), category)}) / ${report.counts.passed} / ${report.quality.medianNovelty.toFixed(2)}, ${report.quality.medianPlausibility.toFixed(3)} / ${report.totalMs}`;
        if (decoded.length !== 1000) figures[`${label}, category ${category} alone: decoded`] = decoded.length;
      }
    }
  } finally {
    await close();
  }
  return figures;
}

/**
 * The first job of a new process, as a chemist starts it: the built command line
 * (`out/main/cli.js`, `npm run build`) running `generate` with its defaults on the benchmark's
 * database, wall time from the process's start to its exit, three times. The first run after
 * training writes the model's generate cache (generate-cache.ts); the others read it.
 */
function coldFirstJob(figures: Record<string, number | string>, label: string, db: string): void {
  const cli = join(process.cwd(), 'out', 'main', 'cli.js');
  if (!existsSync(cli)) {
    figures[`${label}: first job of a new CLI process`] = 'not measured: run npm run build first';
    return;
  }
  const runs: string[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, [cli, '--db', db, 'generate', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wall = Math.round(performance.now() - started);
    if (run.status !== 0) {
      runs.push(`failed: ${run.stderr.slice(0, 200)}`);
      continue;
    }
    const report = JSON.parse(run.stdout) as GenerateReport;
    runs.push(`${wall} ms wall (job ${report.totalMs} ms, fit ${report.timingsMs.fit} ms)`);
  }
  figures[`${label}: first job of a new CLI process, 3 processes (the first writes the model's cache)`] = runs.join('; ');
}
