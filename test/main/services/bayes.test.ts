import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import type { BatchProposalResult, LabResult } from '../../../src/shared/api';
import { countRows, openTestService } from '../../helpers';
import { getIngredientRecords } from '../../../src/main/db/queries/ingredients';
import { loadFamilies } from '../../../src/main/inci/knowledge';
import { familiesPath, resolveResourcesDir } from '../../../src/main/resources';
import { briefViolations } from '../../../src/shared/briefs/brief';

/** Bayesian optimisation from lab results, through the service and the CLI (`lab` and `bo`); the results themselves are in lab.test.ts. */
let service: FormulatorService;
let dir: string;
let close: () => Promise<void>;

beforeAll(async () => ({ service, dir, close } = await openTestService({ sampleCatalog: true })));
afterAll(() => close());

const count = async () => countRows(service.db, 'lab_results');

describe('Bayesian optimisation from lab results', () => {
  it('says what is missing: a model, two results, one unit', async () => {
    await expect(service.proposeBatch({ property: 'Corneometer' })).rejects.toMatchObject({ code: 'no-model' });
    await service.trainModel({ preset: 'quick', seed: 3 });
    await expect(service.proposeBatch({ property: 'Firmness' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('at least two lab results for "Firmness"; there are none') });
    const product = (await service.listProducts({ limit: 2 })).items;
    const a = await service.addLabResult({ subject: { kind: 'product', productId: product[0]!.id }, property: 'Firmness', value: 3, unit: 'N' });
    await expect(service.proposeBatch({ property: 'firmness' })).rejects.toMatchObject({ message: expect.stringContaining('there is one') });
    const b = await service.addLabResult({ subject: { kind: 'product', productId: product[1]!.id }, property: 'Firmness', value: 300, unit: 'mN' });
    await expect(service.proposeBatch({ property: 'Firmness' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('more than one unit ("N", "mN")') });
    await expect(service.proposeBatch({ property: 'Firmness', batch: 9 })).rejects.toMatchObject({ code: 'invalid-argument' });
    await service.deleteLabResult({ id: a.id });
    await service.deleteLabResult({ id: b.id });
  }, 120_000);

  let result: BatchProposalResult;
  it('proposes a batch of distinct new lists with EI and mean ± sd, checked like generated candidates, writing nothing', async () => {
    // Twelve measured catalog products: the value rewards glycerin high in the list.
    const products = (await service.listProducts({ limit: 12 })).items;
    for (const p of products) {
      const detail = await service.getProduct({ id: p.id });
      const at = detail.ingredients.findIndex((x) => x.inci === 'Glycerin');
      await service.addLabResult({ subject: { kind: 'product', productId: p.id }, property: 'TEWL', value: at < 0 ? 20 : 12 + at, unit: 'g/m²/h' });
    }
    const candidatesBefore = (await service.listCandidates()).total;
    const resultsBefore = await count();
    result = await service.proposeBatch({ property: 'tewl', goal: 'minimize', batch: 3, seed: 4 });
    expect(result).toMatchObject({ property: 'TEWL', unit: 'g/m²/h', goal: 'minimize', results: 12 });
    expect(result.best.value).toBe(Math.min(...(await service.listLabResults({ property: 'TEWL' })).items.map((r) => r.value)));
    expect(result.gp.lengthScale).toBeGreaterThan(0);
    expect(Number.isFinite(result.gp.logMarginalLikelihood)).toBe(true);
    expect(result.proposals).toHaveLength(3);
    const measured = new Set((await service.listLabResults({ property: 'TEWL' })).items.map((r) => r.ingredientIds.join(',')));
    const lists = result.proposals.map((p) => p.ingredientIds.join(','));
    expect(new Set(lists).size).toBe(3);
    for (const [i, p] of result.proposals.entries()) {
      expect(p.rank).toBe(i + 1);
      expect(measured.has(p.ingredientIds.join(','))).toBe(false);
      expect(new Set(p.ingredientIds).size).toBe(p.ingredientIds.length);
      expect(p.ingredients).toHaveLength(p.ingredientIds.length);
      expect(p.expectedImprovement).toBeGreaterThanOrEqual(0);
      expect(p.sd).toBeGreaterThan(0);
      // A mean in the measured range's neighbourhood, in the property's own units.
      expect(p.mean).toBeGreaterThan(0);
      expect(p.mean).toBeLessThan(40);
      expect(p.reasons.length).toBeGreaterThan(0);
      expect(p.provenance).toMatchObject({ source: 'optimised', modelId: result.modelId, details: { property: 'TEWL', goal: 'minimize', rank: i + 1 } });
    }
    expect((await service.listCandidates()).total).toBe(candidatesBefore);
    expect(await count()).toBe(resultsBefore);
    const finished = (await service.getActivity()).finished.find((x) => x.kind === 'propose');
    expect(finished).toMatchObject({ state: 'done', label: 'Proposing 3 formulations for lower TEWL' });
  }, 120_000);

  it('is reproducible with the same seed, and the loop continues as results arrive', async () => {
    const again = await service.proposeBatch({ property: 'TEWL', goal: 'minimize', batch: 3, seed: 4 });
    expect(again.proposals.map((p) => p.ingredientIds)).toEqual(result.proposals.map((p) => p.ingredientIds));
    // The option to penalise the GP's uncertainty: proposals it is no less sure of, and the setting in their provenance.
    const careful = await service.proposeBatch({ property: 'TEWL', goal: 'minimize', batch: 3, seed: 4, uncertaintyPenalty: 20 });
    expect(careful.proposals[0]!.provenance.details).toMatchObject({ uncertaintyPenalty: 20 });
    expect(careful.proposals[0]!.sd).toBeLessThanOrEqual(result.proposals[0]!.sd + 1e-9);
    // Under a design brief every proposal obeys it, and says so in its provenance.
    const rules = { include: [], includeClasses: [], exclude: ['Glycerin'], freeFrom: ['silicones', 'fragrance'], minLength: 8, maxLength: 30 };
    const briefed = await service.proposeBatch({ property: 'TEWL', goal: 'minimize', batch: 3, seed: 4, briefRules: rules });
    expect(briefed.brief).toEqual({ name: null, version: null, rules: { ...rules, category: null } });
    const records = new Map(getIngredientRecords(service.db).map((r) => [r.id, r]));
    const families = loadFamilies(familiesPath(resolveResourcesDir()));
    expect(briefed.proposals.length).toBeGreaterThan(0);
    for (const q of briefed.proposals) {
      expect(briefViolations(q.ingredientIds.map((id) => records.get(id)!), rules, families)).toEqual([]);
      expect(q.provenance.details).toMatchObject({ brief: { rules: { exclude: ['Glycerin'] } } });
    }
    // Accept the first proposal as a candidate, measure it, propose again: it is not proposed twice.
    const p = result.proposals[0]!;
    const saved = await service.saveCandidate({ name: 'BO 1', ingredientIds: p.ingredientIds, reasons: p.reasons, provenance: p.provenance });
    await service.addLabResult({ subject: { kind: 'candidate', candidateId: saved.id }, property: 'TEWL', value: 9, unit: 'g/m²/h' });
    const next = await service.proposeBatch({ property: 'TEWL', goal: 'minimize', batch: 2, seed: 4 });
    expect(next.results).toBe(13);
    expect(next.best).toEqual({ value: 9, subject: 'BO 1 v1' });
    for (const q of next.proposals) expect(q.ingredientIds.join(',')).not.toBe(p.ingredientIds.join(','));
  }, 120_000);

  it('runs lab and bo from the command line', async () => {
    let out = '';
    let err = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`) };
    const db = join(dir, 'test.db');
    const product = (await service.listProducts({ limit: 1, offset: 20 })).items[0]!;
    expect(await runCli(['--db', db, 'lab', 'add', '--product', String(product.id), '--property', 'TEWL', '--value', '15.5', '--unit', 'g/m²/h', '--date', '2026-12-01', '--json'], io)).toBe(0);
    const added = JSON.parse(out) as LabResult;
    expect(added).toMatchObject({ property: 'TEWL', value: 15.5, measuredOn: '2026-12-01', subject: { productId: product.id } });
    out = '';
    expect(await runCli(['--db', db, 'lab', 'list', '--property', 'TEWL'], io)).toBe(0);
    expect(out).toContain('14 result(s)');
    expect(out).toContain('TEWL = 15.5 g/m²/h on 2026-12-01');
    out = '';
    expect(await runCli(['--db', db, 'bo', 'propose', '--property', 'TEWL', '--goal', 'minimize', '--batch', '2', '--save', 'BO round 2', '--json'], io)).toBe(0);
    expect(err).toBe('');
    const printed = JSON.parse(out) as BatchProposalResult & { saved: { id: number; name: string }[] };
    expect(printed.proposals).toHaveLength(2);
    expect(printed.saved.map((s) => s.name)).toEqual(['BO round 2 1', 'BO round 2 2']);
    const savedCandidate = await service.getCandidate({ id: printed.saved[0]!.id });
    expect(savedCandidate.provenance).toMatchObject({ source: 'optimised', details: { property: 'TEWL' } });
    expect(savedCandidate.versions[0]!.scores.predicted_TEWL).toBeCloseTo(printed.proposals[0]!.mean, 6);
    const path = join(dir, 'lab-cli.csv');
    out = '';
    expect(await runCli(['--db', db, 'lab', 'export', '--out', path, '--property', 'TEWL'], io)).toBe(0);
    expect(out).toContain('14 result(s) written');
    // Usage errors: exit 2 with the reason.
    expect(await runCli(['--db', db, 'lab', 'add', '--property', 'x', '--value', '1'], io)).toBe(2);
    expect(err).toContain('lab add needs one of --candidate ID[@VERSION] or --product ID');
    expect(await runCli(['--db', db, 'lab', 'add', '--product', '1', '--property', 'x', '--value', 'high'], io)).toBe(2);
    expect(err).toContain('--value must be a number, not "high"');
    expect(await runCli(['--db', db, 'lab', 'delete', String(added.id)], io)).toBe(2);
    expect(err).toContain('add --yes to confirm');
    expect(await runCli(['--db', db, 'bo', 'propose', '--property', 'TEWL', '--goal', 'down'], io)).toBe(2);
    expect(err).toContain('--goal takes maximize or minimize');
    expect(await runCli(['--db', db, 'bo', 'propose', '--property', 'Nothing'], io)).toBe(1);
    expect(err).toContain('at least two lab results for "Nothing"');
  }, 180_000);
});
