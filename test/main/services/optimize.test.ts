import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import type { OptimizationResult } from '../../../src/shared/api';
import { getIngredientRecords } from '../../../src/main/db/queries/ingredients';
import { loadFamilies } from '../../../src/main/inci/knowledge';
import { familiesPath, resolveResourcesDir } from '../../../src/main/resources';
import { briefViolations } from '../../../src/shared/briefs/brief';
import { openTestService } from '../../helpers';

/** Gradient optimisation through the service and the CLI, on the sample catalog with a quick model. */
let service: FormulatorService;
let dir: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ service, dir, close } = await openTestService());
});
afterAll(() => close());

describe('optimisation in the latent space', () => {
  it('needs an active model, and names an unknown benefit with the ones the model knows, writing nothing', async () => {
    await expect(service.optimize({ terms: [{ benefit: 'hydration', goal: 'maximize' }] })).rejects.toMatchObject({ code: 'no-model' });
    await service.loadSampleCatalog();
    await service.trainModel({ preset: 'quick', seed: 3 });
    const candidatesBefore = (await service.listCandidates()).total;
    await expect(service.optimize({ terms: [{ benefit: 'hydration', goal: 'maximize' }, { benefit: 'sparkle', goal: 'maximize' }] })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/^term 2: the active model predicts no benefit "sparkle"; it predicts .*"hydration"/),
    });
    await expect(service.optimize({ terms: [{ benefit: 'hydration', goal: 'target' }] } as never)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('a target term needs a target value') });
    await expect(service.optimize({ terms: [] })).rejects.toMatchObject({ code: 'invalid-argument' });
    expect((await service.listCandidates()).total).toBe(candidatesBefore);
  }, 120_000);

  let result: OptimizationResult;
  it('runs restarts from random draws, keeps each path decoded, and judges each final list on targets, consistency and checks', async () => {
    result = await service.optimize({ terms: [{ benefit: 'hydration', goal: 'maximize' }, { benefit: 'soothing', goal: 'maximize', weight: 0.5 }], restarts: 3, maxSteps: 60, start: { kind: 'random', seed: 2 } });
    expect(result.restarts).toHaveLength(3);
    expect(result.terms.map((t) => [t.benefit, t.goal, t.weight])).toEqual([
      ['hydration', 'maximize', 1],
      ['soothing', 'maximize', 0.5],
    ]);
    for (const t of result.terms) expect(t.bar).toBeGreaterThan(t.mean); // the 90th percentile of the catalog's predictions
    expect(result.guard).toMatchObject({ kind: 'density', quantile: 0.1, radius: null });
    expect(Number.isFinite(result.guard!.floor)).toBe(true);
    for (const [i, r] of result.restarts.entries()) {
      expect(r.start).toBe(`random draw ${i + 1} (seed 2)`);
      expect(r.path[0]!.step).toBe(0);
      expect(r.steps).toBeLessThanOrEqual(60);
      expect(['objective-converged', 'gradient-vanished', 'step-limit']).toContain(r.stopReason);
      for (const p of r.path) {
        expect(p.code).toHaveLength(32);
        expect(new Set(p.ingredients).size).toBe(p.ingredients.length);
        expect(Object.keys(p.benefits)).toEqual(expect.arrayContaining(['hydration', 'soothing']));
      }
      const f = r.final;
      expect(f.code).toEqual(r.path.at(-1)!.code);
      expect(f.ingredients).toHaveLength(f.ingredientIds.length);
      expect(f.success).toBe(f.targetsMet && f.consistent && f.checksPassed);
      expect(f.reasons.some((x) => x.startsWith('hydration '))).toBe(true);
      expect(f.reasons.some((x) => x.startsWith('encoded again: hydration '))).toBe(true);
      expect(f.nearestDistance).toBeGreaterThanOrEqual(0);
      expect(r.provenance).toMatchObject({ source: 'optimised', modelId: result.modelId, details: { start: r.start, stopReason: r.stopReason } });
    }
    expect(result.successes).toBe(result.restarts.filter((r) => r.final.success).length);
    // The distinct ends: every restart in exactly one group, each group one list, the best first.
    expect(result.diversity).toBe(1);
    expect(result.distinct.flatMap((g) => g.restarts).sort()).toEqual([0, 1, 2]);
    for (const g of result.distinct) for (const i of g.restarts) expect(result.restarts[i]!.final.ingredientIds).toEqual(result.restarts[g.restarts[0]!]!.final.ingredientIds);
    expect(new Set(result.distinct.map((g) => result.restarts[g.restarts[0]!]!.final.ingredientIds.join(','))).size).toBe(result.distinct.length);
    expect(result.best).toBe(result.distinct[0]!.restarts[0]);
    for (const r of result.restarts) expect(Number.isFinite(r.final.logDensity)).toBe(true);
    const best = result.restarts[result.best]!;
    for (const r of result.restarts) {
      expect(Number(best.final.success) > Number(r.final.success) || (best.final.success === r.final.success && best.final.objective <= r.final.objective)).toBe(true);
    }
    expect((await service.getActivity()).finished.find((a) => a.kind === 'optimize')).toMatchObject({ state: 'done', label: 'Optimising maximize hydration, maximize soothing' });
  }, 120_000);

  it('keeps restarts maximising one benefit apart: a dozen end on distinct lists, as many succeed, all as plausible as independent ones', async () => {
    // Floors just under what seed 1 gives with the seed-3 quick model on the sample catalog: kept
    // apart, 12 distinct lists and 12 successes; independent, 7 distinct and 12 successes. The
    // ends' mean log density is within 1.1 of the independent runs' (−43.1 against −42.0).
    const ask = { terms: [{ benefit: 'kb:hydration', goal: 'maximize' as const }], restarts: 12, start: { kind: 'random' as const, seed: 1 } };
    const apart = await service.optimize(ask);
    const independent = await service.optimize({ ...ask, diversity: 0 });
    expect(independent.diversity).toBe(0);
    expect(apart.distinct.length).toBeGreaterThanOrEqual(11);
    expect(apart.successes).toBeGreaterThanOrEqual(10);
    expect(independent.distinct.length).toBeLessThan(apart.distinct.length);
    expect(apart.successes).toBeGreaterThanOrEqual(independent.successes - 1);
    const meanLogDensity = (r: OptimizationResult) => r.restarts.reduce((s, x) => s + x.final.logDensity, 0) / r.restarts.length;
    expect(meanLogDensity(apart)).toBeGreaterThan(meanLogDensity(independent) - 1.5);
    // Restart 1 is never pushed: with or without, it ends on the same list.
    expect(apart.restarts[0]!.final.ingredientIds).toEqual(independent.restarts[0]!.final.ingredientIds);
  }, 120_000);

  it('penalises uncertain predictions when asked: each end scored as the editor scores it, with ±, and the penalty in its objective', async () => {
    const ask = { terms: [{ benefit: 'hydration', goal: 'maximize' as const }], restarts: 6, maxSteps: 100, start: { kind: 'random' as const, seed: 4 } };
    const plain = await service.optimize(ask);
    const careful = await service.optimize({ ...ask, uncertaintyPenalty: 4 });
    expect(plain.uncertaintyPenalty).toBe(0);
    expect(careful.uncertaintyPenalty).toBe(4);
    const term = careful.terms[0]!;
    for (const r of plain.restarts) {
      expect(r.final.uncertaintyPenalty).toBe(0);
      expect(Object.keys(r.final.estimates)).toEqual(Object.keys(r.final.benefits));
      const editor = await service.scoreList({ ingredients: r.final.ingredients });
      const hydration = editor.benefits!.find((b) => b.name === 'hydration')!;
      expect(r.final.estimates.hydration!.value).toBeCloseTo(hydration.value, 4);
      expect(r.final.estimates.hydration!.uncertainty).toBeCloseTo(hydration.uncertainty!, 4);
    }
    for (const r of careful.restarts) {
      const u = r.final.estimates.hydration!.uncertainty!;
      expect(r.final.uncertaintyPenalty).toBeCloseTo((4 * u) / term.std, 6);
      expect(r.provenance.details).toMatchObject({ uncertaintyPenalty: 4 });
    }
    // The ends it chooses are ones the model is no less sure of.
    const meanU = (x: OptimizationResult) => x.restarts.reduce((s, r) => s + r.final.estimates.hydration!.uncertainty!, 0) / x.restarts.length;
    expect(meanU(careful)).toBeLessThanOrEqual(meanU(plain) + 1e-9);
  }, 120_000);

  it('obeys a design brief: every projection, path step and final list decodes under it, and the brief is in the provenance', async () => {
    const rules = { include: ['Niacinamide'], includeClasses: ['humectant' as const], exclude: ['Glycerin'], freeFrom: ['silicones', 'fragrance'], minLength: 10, maxLength: 24 };
    const result = await service.optimize({ terms: [{ benefit: 'hydration', goal: 'maximize' }], restarts: 4, maxSteps: 60, start: { kind: 'random', seed: 3 }, briefRules: rules });
    expect(result.brief).toEqual({ name: null, version: null, rules: { ...rules, category: null } });
    const records = new Map(getIngredientRecords(service.db).map((r) => [r.inci, r]));
    const families = loadFamilies(familiesPath(resolveResourcesDir()));
    // With a category, the random starts are drawn from its region of the space.
    const sunscreen = await service.optimize({ terms: [{ benefit: 'hydration', goal: 'maximize' }], restarts: 2, maxSteps: 5, start: { kind: 'random', seed: 3 }, briefRules: { category: 'sunscreen' } });
    expect(sunscreen.restarts.map((r) => r.start)).toEqual(['random draw 1 (seed 3, sunscreen region)', 'random draw 2 (seed 3, sunscreen region)']);
    for (const r of result.restarts) {
      for (const p of r.path) expect(briefViolations(p.ingredients.map((n) => records.get(n)!), rules, families)).toEqual([]);
      expect(r.provenance.details).toMatchObject({ brief: { name: null, rules: { include: ['Niacinamide'] } } });
    }
    await expect(service.optimize({ terms: [{ benefit: 'hydration', goal: 'maximize' }], briefRules: { ...rules, exclude: ['Niacinamide'] } })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('Niacinamide is both required and excluded') });
  }, 120_000);

  it('starts from a product (its own code first, then jitter) and saves a result as a candidate with its provenance', async () => {
    const from = await service.optimize({ terms: [{ benefit: 'hydration', goal: 'target', target: 0.6 }], restarts: 2, maxSteps: 30, start: { kind: 'product', productId: 5 } });
    expect(from.restarts[0]!.start).toMatch(/^product 5 \(.+\)$/);
    expect(from.restarts[1]!.start).toMatch(/^product 5 \(.+\), jittered 1$/);
    await expect(service.optimize({ terms: [{ benefit: 'hydration', goal: 'maximize' }], start: { kind: 'product', productId: 99_999 } })).rejects.toMatchObject({ code: 'not-found' });
    const best = result.restarts[result.best]!;
    const saved = await service.saveCandidate({ name: 'optimised hydration', ingredientIds: best.final.ingredientIds, changeNote: 'optimised', provenance: best.provenance });
    expect((await service.getCandidate({ id: saved.id })).provenance).toMatchObject({ source: 'optimised', details: { method: expect.stringContaining('gradient') } });
    const fromCandidate = await service.optimize({ terms: [{ benefit: 'hydration', goal: 'maximize' }], restarts: 1, maxSteps: 10, start: { kind: 'candidate', candidateId: saved.id } });
    expect(fromCandidate.restarts[0]!.start).toBe(`candidate ${saved.id} v1 (optimised hydration)`);
  }, 120_000);

  it('runs from the command line, and refuses a malformed objective with usage', async () => {
    let out = '';
    let err = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`) };
    const db = join(dir, 'test.db');
    const code = await runCli(['--db', db, 'optimize', '--maximize', 'hydration=2', '--restarts', '2', '--steps', '15', '--save', 'from the CLI', '--json'], io);
    expect(err).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(out) as OptimizationResult & { saved: { id: number; name: string } };
    expect(printed.restarts).toHaveLength(2);
    expect(printed.terms[0]).toMatchObject({ benefit: 'hydration', goal: 'maximize', weight: 2 });
    expect(printed.saved.name).toBe('from the CLI');
    expect(printed.diversity).toBe(1);
    out = '';
    expect(await runCli(['--db', db, 'optimize', '--maximize', 'hydration', '--restarts', '2', '--steps', '5', '--diversity', '0', '--json'], io)).toBe(0);
    expect((JSON.parse(out) as OptimizationResult).diversity).toBe(0);
    out = '';
    expect(await runCli(['--db', db, 'optimize', '--maximize', 'hydration', '--restarts', '1', '--steps', '5', '--uncertainty-penalty', '1', '--json'], io)).toBe(0);
    expect((JSON.parse(out) as OptimizationResult).uncertaintyPenalty).toBe(1);
    expect(await runCli(['--db', db, 'optimize', '--maximize', 'hydration', '--diversity', '200'], io)).toBe(2);
    expect(err).toContain('--diversity must be a number from 0 to 100');
    expect((await service.getCandidate({ id: printed.saved.id })).provenance.source).toBe('optimised');
    expect(await runCli(['--db', db, 'optimize'], io)).toBe(2);
    expect(err).toContain('optimize needs at least one --maximize, --minimize or --target');
    expect(await runCli(['--db', db, 'optimize', '--target', 'hydration'], io)).toBe(2);
    expect(err).toContain('--target takes NAME=VALUE');
    expect(await runCli(['--db', db, 'optimize', '--maximize', 'hydration', '--start', 'somewhere'], io)).toBe(2);
    expect(err).toContain('--start takes random, product:ID or candidate:ID');
  }, 120_000);
});
