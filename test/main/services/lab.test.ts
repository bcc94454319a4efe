import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import type { LabResult } from '../../../src/shared/api';
import { readCsvRecords } from '../../../src/main/import/csv';
import { countRows, openTestService } from '../../helpers';

/** Lab results (record, correct, list, export) through the service; Bayesian optimisation from them is in bayes.test.ts. */
let service: FormulatorService;
let dir: string;
let close: () => Promise<void>;

beforeAll(async () => ({ service, dir, close } = await openTestService({ sampleCatalog: true })));
afterAll(() => close());

/** The app's own CSV reader (the importer's), so the export is read as a spreadsheet would be. */
async function parseCsv(text: string): Promise<string[][]> {
  const rows: string[][] = [];
  async function* once() {
    yield new TextEncoder().encode(text);
  }
  for await (const r of readCsvRecords(once(), {}, {})) rows.push(r.fields);
  return rows;
}

const count = async () => countRows(service.db, 'lab_results');

describe('lab results', () => {
  let first: LabResult;
  it('records a result on a candidate version or a product, with the list measured', async () => {
    const candidate = await service.saveCandidate({ name: 'Lab serum', declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    await service.saveCandidate({ id: candidate.id, declaration: 'Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol', changeNote: 'more panthenol' });
    first = await service.addLabResult({ subject: { kind: 'candidate', candidateId: candidate.id, version: 1 }, property: 'Corneometer', value: 41.5, unit: 'a.u.', measuredOn: '2026-11-30', notes: 'n=3 panel' });
    expect(first).toMatchObject({
      subject: { kind: 'candidate', candidateId: candidate.id, version: 1, productId: null, name: 'Lab serum v1' },
      ingredients: ['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol'],
      property: 'Corneometer',
      value: 41.5,
      unit: 'a.u.',
      measuredOn: '2026-11-30',
      notes: 'n=3 panel',
    });
    const latest = await service.addLabResult({ subject: { kind: 'candidate', candidateId: candidate.id }, property: 'corneometer', value: 47, unit: 'a.u.' });
    // Latest version by default, today's date by default, and one spelling per property.
    expect(latest.subject.version).toBe(2);
    expect(latest.measuredOn).toBe(new Date().toISOString().slice(0, 10));
    expect(latest.property).toBe('Corneometer');
    const product = (await service.listProducts({ limit: 1 })).items[0]!;
    const onProduct = await service.addLabResult({ subject: { kind: 'product', productId: product.id }, property: 'Corneometer', value: 39, unit: 'a.u.', measuredOn: '2026-11-01' });
    expect(onProduct.subject).toMatchObject({ kind: 'product', productId: product.id, candidateId: null });
    expect(onProduct.ingredients.length).toBeGreaterThan(2);
    const page = await service.listLabResults({ property: 'CORNEOMETER' });
    expect(page.total).toBe(3);
    expect(page.items.map((r) => r.measuredOn)).toEqual([latest.measuredOn, '2026-11-30', '2026-11-01']);
    expect((await service.listLabResults({ candidateId: candidate.id })).total).toBe(2);
    expect(await service.labProperties()).toEqual([{ property: 'Corneometer', units: ['a.u.'], results: 3, formulations: 3, min: 39, max: 47 }]);
  });

  it('refuses bad input saying what and where, and writes nothing', async () => {
    const before = await count();
    await expect(service.addLabResult({ subject: { kind: 'candidate', candidateId: 9999 }, property: 'x', value: 1 })).rejects.toMatchObject({ code: 'not-found', message: 'there is no candidate with id 9999' });
    await expect(service.addLabResult({ subject: { kind: 'candidate', candidateId: first.subject.candidateId!, version: 7 }, property: 'x', value: 1 })).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('has no version 7') });
    await expect(service.addLabResult({ subject: { kind: 'product', productId: 99_999 }, property: 'x', value: 1 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.addLabResult({ subject: { kind: 'product', productId: 1 }, property: 'x', value: Number.NaN })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('value') });
    await expect(service.addLabResult({ subject: { kind: 'product', productId: 1 }, property: 'x', value: 1, measuredOn: '2026-02-30' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('not a calendar date') });
    await expect(service.addLabResult({ subject: { kind: 'product', productId: 1 }, property: '   ', value: 1 })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('property') });
    await expect(service.updateLabResult({ id: first.id })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('give at least one') });
    await expect(service.updateLabResult({ id: 12345, value: 2 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.addLabResult({ subject: { kind: 'product', productId: 1 }, property: 'x', value: 1, extra: true } as never)).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(await count()).toBe(before);
  });

  it('corrects a result, and keeps it (with its list) when its candidate is deleted', async () => {
    const updated = await service.updateLabResult({ id: first.id, value: 42.5, notes: 're-read the probe' });
    expect(updated).toMatchObject({ value: 42.5, notes: 're-read the probe', property: 'Corneometer', unit: 'a.u.' });
    expect(updated.updatedAt >= updated.createdAt).toBe(true);
    const candidate = await service.saveCandidate({ name: 'Short-lived', declaration: 'Water, Glycerin, Betaine, Phenoxyethanol' });
    const r = await service.addLabResult({ subject: { kind: 'candidate', candidateId: candidate.id }, property: 'pH', value: 5.4 });
    await service.deleteCandidate({ id: candidate.id });
    const kept = (await service.listLabResults({ property: 'pH' })).items[0]!;
    expect(kept).toMatchObject({ id: r.id, subject: { candidateId: null, version: 1, name: 'Short-lived v1' }, ingredients: ['Water', 'Glycerin', 'Betaine', 'Phenoxyethanol'] });
    expect(await service.deleteLabResult({ id: r.id })).toEqual({ id: r.id });
    await expect(service.deleteLabResult({ id: r.id })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('exports CSV (UTF-8 with BOM, formula-like text neutralised) that reads back to the same results', async () => {
    await service.updateLabResult({ id: first.id, notes: '=HYPERLINK("x") "quoted", two\nlines' });
    const { csv, rows } = await service.labResultsCsv({ property: 'corneometer' });
    expect(rows).toBe(3);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const table = await parseCsv(csv);
    expect(table[0]).toEqual(['id', 'subject_kind', 'candidate_id', 'candidate_version', 'product_id', 'subject', 'property', 'value', 'unit', 'measured_on', 'notes', 'ingredients', 'recorded_at', 'updated_at']);
    const row = table.find((r) => r[0] === String(first.id))!;
    expect(row[10]).toBe(`'=HYPERLINK("x") "quoted", two\nlines`);
    expect(row[7]).toBe('42.5');
    expect(row[11]).toBe('Water, Glycerin, Niacinamide, Phenoxyethanol');
    const path = join(dir, 'lab.csv');
    expect(await service.exportLabResultsCsv({ path, ids: [first.id] })).toMatchObject({ rows: 1 });
    expect(readFileSync(path, 'utf8')).toContain('Lab serum v1');
    await expect(service.labResultsCsv({ ids: [first.id, 777] })).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('777') });
  });
});
