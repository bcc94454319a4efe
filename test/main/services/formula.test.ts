import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { loadLegalLimits, loadUseLevels } from '../../../src/main/inci/knowledge';
import { legalLimitsPath, resolveResourcesDir, useLevelsPath } from '../../../src/main/resources';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { declaredTruth } from '../../bench-support/formula-truth';
import { sephoraCsvPath } from '../../data';
import { countRows, openTestService } from '../../helpers';
import { join } from 'node:path';

/** Draft formulas through the service: the shipped knowledge, estimates, saving with a version, the sheet, the CLI. */
let service: FormulatorService;
let close: () => Promise<void>;
let dir: string;

beforeAll(async () => ({ service, close, dir } = await openTestService({ sampleCatalog: true })));
afterAll(() => close());

describe('the shipped use levels and legal limits', () => {
  it('load into the database: every named ingredient known, every knowledge-base ingredient with a level of its own or of its class', () => {
    const levels = loadUseLevels(useLevelsPath(resolveResourcesDir()));
    const limits = loadLegalLimits(legalLimitsPath(resolveResourcesDir()));
    expect(levels.ingredients.length).toBeGreaterThanOrEqual(1200);
    expect(limits.limits.length).toBeGreaterThan(50);
    const own = service.db.prepare(`SELECT count(*) FROM use_levels WHERE basis = 'ingredient' AND origin = 'kb'`).pluck().get();
    expect(own).toBe(levels.ingredients.length);
    const withoutLevel = service.db.prepare(`SELECT count(*) FROM ingredients i WHERE i.origin = 'kb' AND NOT EXISTS (SELECT 1 FROM use_levels u WHERE u.ingredient_id = i.id) AND EXISTS (SELECT 1 FROM ingredient_functions f WHERE f.ingredient_id = i.id)`).pluck().get();
    expect(withoutLevel).toBe(0);
    expect(countRows(service.db, 'legal_limits')).toBe(limits.limits.length);
    // The sample catalog (loaded here): every occurrence has a level, ≥ 95 % the ingredient's own.
    const shares = service.db
      .prepare(`SELECT avg(u.ingredient_id IS NOT NULL) AS any, avg(coalesce(u.basis = 'ingredient', 0)) AS own FROM product_ingredients p LEFT JOIN use_levels u ON u.ingredient_id = p.ingredient_id WHERE p.section != 'may-contain'`)
      .get() as { any: number; own: number };
    expect(shares.any).toBe(1);
    expect(shares.own).toBeGreaterThanOrEqual(0.95);
  });

  it('give a level to the ingredients of ≥ 90 % of ingredient occurrences in sephora_cosmetics.csv (own levels alone ≥ 90 %)', async () => {
    const { service: s, close: c } = await openTestService();
    try {
      await s.importCatalog({ path: sephoraCsvPath() });
      const shares = s.db
        .prepare(
          `SELECT avg(u.ingredient_id IS NOT NULL) AS any, avg(coalesce(u.basis = 'ingredient', 0)) AS own
             FROM product_ingredients p LEFT JOIN use_levels u ON u.ingredient_id = p.ingredient_id WHERE p.section != 'may-contain'`,
        )
        .get() as { any: number; own: number };
      expect(shares.any).toBeGreaterThanOrEqual(0.9);
      expect(shares.own).toBeGreaterThanOrEqual(0.9);
      // Quality floor on the declared percentages (deterministic): beats both baselines, and ≥ 70 % inside the stated range.
      const truth = await declaredTruth(s);
      expect(truth.estimated).toBeGreaterThan(100);
      expect(truth.mae).toBeLessThan(truth.baselineMidpointMae);
      expect(truth.mae).toBeLessThan(truth.baselinePositionMae);
      expect(truth.insideRange).toBeGreaterThanOrEqual(0.7);
    } finally {
      await c();
    }
  });
});

describe('draft formulas', () => {
  it('estimates a typed list with phases, limits and an unknown ingredient flagged', async () => {
    const f = await service.estimateFormula({ ingredients: ['Aqua', 'Glycerin', 'Niacinamide', 'Cetearyl Alcohol', 'Phenoxyethanol', 'Xanthan Gum', 'Moonbeam Essence'] });
    expect(f.status).toBe('estimated');
    expect(f.productType).toBe('leave-on');
    expect(f.productTypeFrom).toBe('default');
    expect(f.lines.reduce((s, l) => s + l.estimate!, 0)).toBeCloseTo(100, 6);
    expect(f.lines[0]).toMatchObject({ inci: 'Water', phase: 'water' });
    expect(f.lines[4]).toMatchObject({ inci: 'Phenoxyethanol', phase: 'cool-down', limit: { max: 1, annex: 'EU V/29' } });
    expect(f.lines[5]).toMatchObject({ prep: 'pre-dispersed' });
    expect(f.lines[6]).toMatchObject({ inci: null, flags: ['unknown'], typical: null });
    expect(f.phases.map((p) => p.letter)).toEqual(['A', 'B', 'D']);
    expect(f.phases.reduce((s, p) => s + p.percent, 0)).toBeCloseTo(100, 6);
    await expect(service.estimateFormula({ ingredients: ['Water'], fixed: [50, 50] })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('gives 2 percentages for a list of 1') });
  });

  it("takes the product type from a product's category and the label's declared percentages", async () => {
    const products = await service.listProducts({ limit: 500 });
    const withPercent = service.db.prepare(`SELECT product_id FROM product_ingredients WHERE percent > 0 AND percent < 100 LIMIT 1`).pluck().get() as number | undefined;
    const cleanser = products.items.find((p) => /clean/i.test(p.category));
    if (cleanser) expect((await service.estimateFormula({ productId: cleanser.id })).productType).toBe('rinse-off');
    if (withPercent !== undefined) {
      const product = await service.getProduct({ id: withPercent });
      const f = await service.estimateFormula({ productId: withPercent });
      product.ingredients.filter((x) => x.section !== 'may-contain').forEach((x, i) => {
        if (x.percent !== null && x.percent > 0 && x.percent < 100 && f.status !== 'infeasible') expect(f.lines[i]!.estimate).toBeCloseTo(x.percent, 9);
      });
    }
  });

  it('saves a draft formula with a candidate version (refusing a bad one whole), and puts it on the sheet, CSV and XLSX', async () => {
    const names = ['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol'];
    const estimate = await service.estimateFormula({ ingredients: names });
    const ids = estimate.lines.map((l) => l.ingredientId!);
    const lines = estimate.lines.map((l) => ({ percent: Number(l.estimate!.toFixed(3)), phase: l.phase!, edited: false }));
    lines[0]!.percent = Number((100 - lines.slice(1).reduce((s, l) => s + l.percent, 0)).toFixed(3));
    const before = countRows(service.db, 'candidate_versions');
    const over = lines.map((l, i) => (i === 3 ? { ...l, percent: 1.5 } : l));
    await expect(service.saveCandidate({ name: 'Serum F', ingredientIds: ids, formula: { productType: 'leave-on', lines: over } })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/add up to 100\.7\d* %, not 100 %.*Phenoxyethanol \(position 4\) is 1\.5 %, above its legal maximum of 1 % \(EU V\/29\)/),
    });
    expect(countRows(service.db, 'candidate_versions')).toBe(before);
    lines[1] = { ...lines[1]!, percent: lines[1]!.percent + 0.5, edited: true };
    lines[0] = { ...lines[0]!, percent: Number((lines[0]!.percent - 0.5).toFixed(3)) };
    const saved = await service.saveCandidate({ name: 'Serum F', ingredientIds: ids, formula: { productType: 'leave-on', lines, note: 'bench trial 1' } });
    const sheet = await service.formulaSheet({ candidateId: saved.id });
    expect(sheet.percentFrom).toBe('saved');
    expect(sheet.rows.find((r) => r.inci === 'Glycerin')).toMatchObject({ percent: Number(lines[1]!.percent.toFixed(2)), notes: expect.stringContaining('set by hand') });
    expect(sheet.rows.map((r) => r.phase[0])).toEqual(['A', 'A', 'A', 'D']);
    const csv = await service.formulaFile({ candidateId: saved.id, format: 'csv' });
    expect(csv.fileName).toBe('Serum-F-v1-formula.csv');
    expect(csv.csv!.split(/\r?\n/)[0]).toBe('\ufeffphase,position,inci,percent,range_low,range_high,functions,limit,notes');
    expect(csv.csv).toContain('percentages: the draft formula saved with this version');
    const path = join(dir, 'sheet.xlsx');
    await service.exportFormula({ candidateId: saved.id, format: 'xlsx', path });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
    const rows = book.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows[0]!.slice(1, 5)).toEqual(['phase', 'position', 'inci', 'percent']);
    expect(rows.some((r) => r[3] === 'Glycerin' && typeof r[4] === 'number')).toBe(true);
    // A second version without a formula: its sheet falls back to the estimate.
    const v2 = await service.saveCandidate({ id: saved.id, ingredientIds: ids, changeNote: 'no formula' });
    expect((await service.formulaSheet({ candidateId: v2.id, version: 2 })).percentFrom).toBe('estimate');
    expect(() => service.db.prepare(`UPDATE candidate_formulas SET body = '{}'`).run()).toThrow('cannot be changed');
  });

  it('lets a chemist set a use level and an in-house limit (the lower limit wins)', async () => {
    await service.setUseLevel({ ingredient: 'niacinamide', min: 1, usual: 2, max: 4, phase: 'water' });
    const limit = await service.addInHouseLimit({ ingredient: 'Phenoxyethanol', max: 0.5, condition: 'our own preservative policy' });
    const f = await service.estimateFormula({ ingredients: ['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol'] });
    expect(f.lines[2]).toMatchObject({ typical: { min: 1, usual: 2, max: 4 }, levelSource: 'user' });
    expect(f.lines[3]!.limit).toMatchObject({ max: 0.5, annex: 'in-house' });
    expect(f.lines[3]!.estimate!).toBeLessThanOrEqual(0.5);
    expect(await service.deleteInHouseLimit({ id: limit.id })).toEqual({ deleted: true });
    expect((await service.estimateFormula({ ingredients: ['Water', 'Phenoxyethanol'] })).lines[1]!.limit).toMatchObject({ max: 1 });
    await expect(service.setUseLevel({ ingredient: 'Moonbeam Essence', min: 1, usual: 2, max: 3, phase: 'water' })).rejects.toMatchObject({ code: 'unknown-ingredient' });
  });

  it('answers the formula command for a declaration, honouring a declared percentage, and exits 1 when no formula exists', async () => {
    let out = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (out += `${t}\n`) };
    const db = join(dir, 'test.db');
    expect(await runCli(['--db', db, 'formula', 'Water, Zinc Oxide 17.1%, Glycerin, Dimethicone, Phenoxyethanol'], io)).toBe(0);
    expect(out).toMatch(/Zinc Oxide\s+17\.10 %\s+\[17\.10–17\.10\]\s+max 25 % EU VI\/30\s+\(declared, pre-dispersed\)/);
    expect(out).toContain('C  powders and dispersions');
    out = '';
    expect(await runCli(['--db', db, 'formula', 'Water, Glycerin 3%, Niacinamide 5%'], io)).toBe(1);
    const bad = [out];
    expect(bad.join('')).toContain('conflict: Glycerin (position 2) is declared at 3 %');
  });

  it('sets a use level and adds and deletes an in-house limit from the command line, refusing bad input with usage', async () => {
    let out = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (out += `${t}\n`) };
    const db = join(dir, 'test.db');
    expect(await runCli(['--db', db, 'ingredients', 'level', 'Glycerin', '--min', '2', '--usual', '3', '--max', '6', '--phase', 'water'], io)).toBe(0);
    expect(out).toContain('Glycerin: your use level 2–6 % (usual 3 %), water phase');
    expect((await service.estimateFormula({ ingredients: ['Water', 'Glycerin'] })).lines[1]).toMatchObject({ typical: { min: 2, usual: 3, max: 6 }, levelSource: 'user' });
    out = '';
    expect(await runCli(['--db', db, '--json', 'ingredients', 'limit', 'Glycerin', '--max', '5', '--condition', 'house rule'], io)).toBe(0);
    const added = JSON.parse(out) as { id: number };
    expect((await service.estimateFormula({ ingredients: ['Water', 'Glycerin'] })).lines[1]!.limit).toMatchObject({ max: 5, annex: 'in-house', condition: 'house rule' });
    out = '';
    expect(await runCli(['--db', db, 'ingredients', 'limit', '--delete', String(added.id)], io)).toBe(0);
    expect(out).toContain(`in-house limit ${added.id} deleted`);
    expect(await runCli(['--db', db, 'ingredients', 'level', 'Glycerin', '--min', '2', '--usual', '3', '--phase', 'water'], io)).toBe(2);
    expect(out).toContain('ingredients level needs --max P');
    expect(await runCli(['--db', db, 'ingredients', 'level', 'Glycerin', '--min', '4', '--usual', '3', '--max', '6', '--phase', 'water'], io)).not.toBe(0);
    expect(out).toContain('min ≤ usual ≤ max');
  });
});

describe('saving the sheet as a PDF', () => {
  it('is left to the desktop app: the services say to use Print instead', async () => {
    await expect(service.printToPdf({ defaultName: 'Serum-v1-formula.pdf' })).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('use Print') });
  });
});

describe('the formula sheet\'s provenance', () => {
  it('reads as words: empty fields left out, nested ones flattened', async () => {
    const { provenanceText } = await import('../../../src/main/services/formula');
    expect(provenanceText({ source: 'edited-product', productId: 374, modelId: null, modelSha256: null, details: { scoredWithModelId: null, runId: 12 }, brief: { name: 'x' } })).toEqual([
      'source: edited-product',
      'product id: 374',
      'details: run id 12',
    ]);
  });
});
