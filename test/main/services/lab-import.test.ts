import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import type { ProductSummary } from '../../../src/shared/domain';
import { countRows, openTestService } from '../../helpers';
import { writeSheet } from '../../fixtures/workbooks';

/** Importing past lab results (CSV and Excel) through the service and the CLI, and BO straight from them. */
let service: FormulatorService;
let dir: string;
let close: () => Promise<void>;
let products: ProductSummary[];

beforeAll(async () => {
  ({ service, dir, close } = await openTestService({ sampleCatalog: true }));
  products = (await service.listProducts({ limit: 20 })).items;
});
afterAll(() => close());

const csv = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
};

describe('importLabResults', () => {
  it('reads every way of naming a formulation, accounts for every row, and rejects with line and reason', async () => {
    const gel = await service.saveCandidate({ name: 'Gel A', declaration: 'Water, Glycerin, Niacinamide' });
    await service.addLabResult({ subject: { kind: 'candidate', candidateId: gel.id }, property: 'Viscosity', value: 1200, unit: 'mPa·s', measuredOn: '2020-01-01' });
    const [p1, p2] = products;
    const path = csv('history.csv', [
      'formulation,product_id,candidate,declaration,property,value,unit,date,notes',
      `,${p1!.id},,,viscosity,1500,mPa·s,2019-05-02,first batch`,
      `${p2!.brand} ${p2!.name},,,,pH,5.5,,2019-05-03,`,
      ',,Gel A,,pH,"5,8",,2019-05-04,decimal comma',
      ',,,"Water, Glycerin, Dimethicone",Viscosity,900,mPa·s,2019-05-05,',
      ',,,"water, glycerin, dimethicone",pH,6.1,,2019-05-05,same list: same new candidate',
      ',,No Such Candidate,,pH,5,,2019-05-06,',
      `,${p1!.id},,,Viscosity,1.2,Pa·s,2019-05-07,other unit`,
      `,${p1!.id},,,pH,high,,2019-05-08,`,
      `,${p1!.id},,,pH,5,,05/09/2019,`,
      ',,,"Water, Unobtainium",pH,5,,2019-05-10,',
      ',,,,pH,5,,2019-05-11,no formulation',
    ]);
    const candidatesBefore = (await service.listCandidates()).total;
    const report = await service.importLabResults({ path });
    expect(report.rowsRead).toBe(11);
    expect(report.rowsImported + report.rowsRejected).toBe(report.rowsRead);
    expect(report.rowsImported).toBe(5);
    expect([report.onProducts, report.onCandidates]).toEqual([2, 3]);
    expect(report.rejected.map((r) => r.line)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(report.rejected[0]!.reason).toBe('column C ("candidate"): there is no candidate named "No Such Candidate"');
    expect(report.rejected[1]!.reason).toBe('column G ("unit"): "Viscosity" is measured in "mPa·s" (already stored), not "Pa·s"; convert the value to one unit');
    expect(report.rejected[2]!.reason).toBe('column F ("value"): "high" is not a number');
    expect(report.rejected[3]!.reason).toContain('column H ("date"): "05/09/2019" is not a date');
    expect(report.rejected[4]!.reason).toMatch(/^column D \("declaration"\): unknown ingredient "Unobtainium"/);
    expect(report.rejected[5]!.reason).toMatch(/^no formulation/);
    expect(report.candidatesCreated).toEqual([{ id: expect.any(Number), name: 'history.csv row 5' }]);
    expect((await service.listCandidates()).total).toBe(candidatesBefore + 1);
    const created = await service.getCandidate({ id: report.candidatesCreated[0]!.id });
    expect(created.provenance).toMatchObject({ source: 'manual', details: { importedFrom: 'history.csv', line: 5 } });
    expect(created.tags).toEqual(['lab-import']);
    const viscosity = (await service.listLabResults({ property: 'Viscosity' })).items;
    expect(viscosity.map((r) => [r.subject.kind, r.value, r.unit, r.measuredOn, r.property])).toEqual([
      ['product', 1500, 'mPa·s', '2019-05-02', 'Viscosity'],
      ['candidate', 900, 'mPa·s', '2019-05-05', 'Viscosity'],
      ['candidate', 1200, 'mPa·s', '2020-01-01', 'Viscosity'],
    ].sort((a, b) => String(b[3]).localeCompare(String(a[3]))));
    const ph = (await service.listLabResults({ property: 'pH' })).items;
    expect(ph.find((r) => r.notes === 'decimal comma')).toMatchObject({ value: 5.8, subject: { kind: 'candidate', candidateId: gel.id, version: 1 } });
    expect(ph.find((r) => r.notes.startsWith('same list'))!.subject.candidateId).toBe(report.candidatesCreated[0]!.id);
    expect(report.properties).toEqual([
      { property: 'Viscosity', unit: 'mPa·s', results: 2 },
      { property: 'pH', unit: '', results: 3 },
    ]);
  });

  it('keeps units consistent within the file when nothing is stored yet', async () => {
    const p = products[3]!;
    const report = await service.importLabResults({ path: csv('units.csv', ['product_id,property,value,unit', `${p.id},Spreadability,3,cm`, `${p.id},Spreadability,30,mm`]) });
    expect(report.rowsImported).toBe(1);
    expect(report.rejected).toEqual([{ line: 3, reason: 'column D ("unit"): "Spreadability" is measured in "cm" (line 2), not "mm"; convert the value to one unit' }]);
  });

  it('reads an Excel sheet with typed cells: dates as dates, numbers as numbers, error cells located', async () => {
    const p = products[4]!;
    const path = await writeSheet(dir, 'history.xlsx', 'Results', [
      ['Product', 'Property', 'Value', 'Unit', 'Measured on', 'Notes'],
      [`${p.brand} ${p.name}`, 'Gloss', 42, 'GU', new Date(Date.UTC(2018, 10, 30)), '0012'],
      [`${p.brand} ${p.name}`, 'Gloss', { error: '#DIV/0!' }, 'GU', new Date(Date.UTC(2018, 11, 1)), ''],
    ]);
    const report = await service.importLabResults({ path, sheet: 'Results' });
    expect([report.format, report.sheet, report.rowsRead, report.rowsImported]).toEqual(['xlsx', 'Results', 2, 1]);
    expect(report.rejected).toEqual([{ line: 3, reason: 'column C ("Value"): the cell holds the error #DIV/0!' }]);
    const [gloss] = (await service.listLabResults({ property: 'Gloss' })).items;
    expect(gloss).toMatchObject({ value: 42, unit: 'GU', measuredOn: '2018-11-30', notes: '0012', subject: { kind: 'product', productId: p.id } });
  });

  it('is all or nothing: a file it cannot read writes nothing, saying what is missing', async () => {
    const before = countRows(service.db, 'lab_results');
    const candidates = countRows(service.db, 'candidates');
    await expect(service.importLabResults({ path: csv('novalue.csv', ['declaration,property', '"Water, Glycerin",pH']) })).rejects.toMatchObject({
      code: 'import-failed',
      message: expect.stringMatching(/^novalue\.csv: no value column in the header .* Nothing was imported\.$/),
    });
    await expect(service.importLabResults({ path: csv('bad.csv', ['declaration,property,value', '"Water, Glycerin,pH,5']) })).rejects.toMatchObject({ code: 'import-failed', message: expect.stringContaining('never closed') });
    await expect(service.importLabResults({ path: join(dir, 'history.xlsx'), sheet: 'Nope' })).rejects.toMatchObject({ message: expect.stringContaining('its sheets are "Results"') });
    expect(countRows(service.db, 'lab_results')).toBe(before);
    expect(countRows(service.db, 'candidates')).toBe(candidates);
  });

  it('previews the columns it would read, and the sheets of a workbook', async () => {
    const preview = await service.previewLabResults({ path: join(dir, 'history.xlsx') });
    expect(preview).toMatchObject({ format: 'xlsx', sheets: ['Results'], sheet: 'Results', problem: null });
    expect(preview.mapping).toMatchObject({ product: 'Product', property: 'Property', value: 'Value', unit: 'Unit', date: 'Measured on', notes: 'Notes', declaration: null });
    expect(preview.rows[0]).toEqual([`${products[4]!.brand} ${products[4]!.name}`, 'Gloss', '42', 'GU', '2018-11-30', '0012']);
  });

  it('imports from the command line: lab import FILE, and exports .xlsx by the file name', async () => {
    const p = products[5]!;
    const path = csv('cli.csv', ['product_id,property,value,unit,date', `${p.id},Firmness,3.5,N,2017-02-03`, `${p.id},Firmness,x,N,2017-02-04`]);
    let out = '';
    let err = '';
    const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`) };
    const db = join(dir, 'test.db');
    expect(await runCli(['--db', db, 'lab', 'import', path], io)).toBe(0);
    expect(err).toBe('');
    expect(out).toContain('cli.csv: 2 row(s) read, 1 imported, 1 rejected');
    expect(out).toContain('  Firmness: 1 result(s) in N');
    expect(out).toContain('  line 3: column C ("value"): "x" is not a number');
    expect((await service.listLabResults({ property: 'Firmness' })).items.map((r) => [r.value, r.measuredOn])).toEqual([[3.5, '2017-02-03']]);
    out = '';
    const workbook = join(dir, 'firmness.xlsx');
    expect(await runCli(['--db', db, 'lab', 'export', '--out', workbook, '--property', 'Firmness'], io)).toBe(0);
    expect(out).toContain(`1 result(s) written to ${workbook}`);
    const back = await service.previewLabResults({ path: workbook });
    expect(back.header.slice(6, 10)).toEqual(['property', 'value', 'unit', 'measured_on']);
    expect(back.rows[0]!.slice(6, 10)).toEqual(['Firmness', '3.5', 'N', '2017-02-03']);
    expect(await runCli(['--db', db, 'lab', 'import'], io)).toBe(2);
  });

  it('lets BO propose straight from an imported history', async () => {
    await service.trainModel({ preset: 'quick', seed: 3 });
    // Ten catalog products and two declarations measured in the past: the value rewards glycerin high in the list.
    const rows: (string | number | Date)[][] = [['formulation', 'property', 'value', 'unit', 'date']];
    for (const p of products.slice(6, 16)) {
      const detail = await service.getProduct({ id: p.id });
      const at = detail.ingredients.findIndex((x) => x.inci === 'Glycerin');
      rows.push([`${p.brand} ${p.name}`, 'TEWL', at < 0 ? 20 : 12 + at, 'g/m²/h', new Date(Date.UTC(2016, 0, rows.length))]);
    }
    rows.push(['Water, Glycerin, Niacinamide, Phenoxyethanol', 'TEWL', 11, 'g/m²/h', new Date(Date.UTC(2016, 1, 1))]);
    rows.push(['Water, Dimethicone, Phenoxyethanol', 'TEWL', 21, 'g/m²/h', new Date(Date.UTC(2016, 1, 2))]);
    const report = await service.importLabResults({ path: await writeSheet(dir, 'tewl.xlsx', 'TEWL', rows) });
    expect([report.rowsRead, report.rowsImported, report.rejected]).toEqual([12, 12, []]);
    expect(report.candidatesCreated).toHaveLength(2);
    const result = await service.proposeBatch({ property: 'TEWL', goal: 'minimize', batch: 2, seed: 5 });
    expect(result).toMatchObject({ property: 'TEWL', unit: 'g/m²/h', results: 12 });
    expect(result.best.value).toBe(11);
    expect(result.proposals).toHaveLength(2);
    const measured = new Set((await service.listLabResults({ property: 'TEWL' })).items.map((r) => r.ingredientIds.join(',')));
    for (const p of result.proposals) expect(measured.has(p.ingredientIds.join(','))).toBe(false);
  }, 180_000);
});
