import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readCsvRecords, type CsvFormat } from '../../../src/main/import/csv';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { openTestService } from '../../helpers';

/** The candidates CSV export, read back with the app's own CSV reader. */
let service: FormulatorService;
let dir: string;
let close: () => Promise<void>;
let ids: number[];

beforeAll(async () => {
  ({ service, dir, close } = await openTestService({ fixtureResources: true }));
  const first = await service.saveCandidate({
    name: '=HYPERLINK("http://evil.example")',
    declaration: 'Water, Glycerin, Niacinamide',
    notes: 'Batch "A", 2 % niacinamide,\nthen a second line',
    tags: ['serum', 'night'],
    rating: 4,
    status: 'in lab',
    scores: { novelty: 0.5, predicted_hydration: -0.25 },
  });
  await service.saveCandidate({ id: first.id, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol', changeNote: 'preserve it', scores: { novelty: 0.45, predicted_hydration: 0.6 } });
  const second = await service.saveCandidate({ name: 'Plain cream', declaration: 'Water, Dimethicone', scores: { plausibility: 0.8 } });
  ids = [first.id, second.id];
});
afterAll(() => close());

async function parseCsv(bytes: Uint8Array): Promise<{ rows: string[][]; format: Partial<CsvFormat> }> {
  const format: Partial<CsvFormat> = {};
  const rows: string[][] = [];
  async function* once() {
    yield bytes;
  }
  for await (const r of readCsvRecords(once(), {}, format)) rows.push(r.fields);
  return { rows, format };
}

describe('exporting candidates as CSV', () => {
  it('writes every candidate at its latest version: BOM, header, neutralised formula, notes that round-trip', async () => {
    const path = join(dir, 'shortlist.csv');
    expect(await service.exportCandidatesCsv({ path })).toEqual({ path, rows: 2 });
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { rows, format } = await parseCsv(bytes);
    expect(format).toMatchObject({ encoding: 'utf-8', hadBom: true, delimiter: ',' });
    const [header, first, second] = rows;
    expect(header).toEqual([
      'id', 'name', 'version', 'status', 'rating', 'tags', 'notes', 'ingredients',
      'score_novelty', 'score_plausibility', 'score_predicted_hydration',
      'source', 'provenance', 'version_saved_at', 'updated_at',
    ]);
    expect(rows).toHaveLength(3);
    const column = (row: string[] | undefined, name: string) => row![header!.indexOf(name)];
    expect(column(first, 'id')).toBe(String(ids[0]));
    expect(column(first, 'name')).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(column(first, 'version')).toBe('2');
    expect(column(first, 'status')).toBe('in-lab');
    expect(column(first, 'rating')).toBe('4');
    expect(column(first, 'tags')).toBe('night; serum');
    expect(column(first, 'notes')).toBe('Batch "A", 2 % niacinamide,\nthen a second line');
    expect(column(first, 'ingredients')).toBe('Water, Glycerin, Niacinamide, Phenoxyethanol');
    expect([column(first, 'score_novelty'), column(first, 'score_plausibility'), column(first, 'score_predicted_hydration')]).toEqual(['0.45', '', '0.6']);
    expect(column(first, 'source')).toBe('manual');
    expect(JSON.parse(column(first, 'provenance')!)).toEqual({ source: 'manual', modelId: null, modelSha256: null, details: {} });
    expect([column(second, 'name'), column(second, 'rating'), column(second, 'ingredients'), column(second, 'score_plausibility')]).toEqual(['Plain cream', '', 'Water, Dimethicone', '0.8']);
  });

  it('exports the chosen candidates in the order given, and the same text without a file', async () => {
    const path = join(dir, 'chosen.csv');
    expect(await service.exportCandidatesCsv({ path, ids: [ids[1]!, ids[0]!] })).toEqual({ path, rows: 2 });
    const text = await service.candidatesCsv({ ids: [ids[1]!, ids[0]!] });
    expect(text.rows).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe(text.csv);
    expect((await parseCsv(readFileSync(path))).rows.slice(1).map((r) => r[1])).toEqual(['Plain cream', `'=HYPERLINK("http://evil.example")`]);
  });

  it('replaces an existing file whole and leaves no temporary file behind', async () => {
    const path = join(dir, 'again.csv');
    writeFileSync(path, 'old content that is longer than nothing');
    await service.exportCandidatesCsv({ path, ids: [ids[1]!] });
    expect(readFileSync(path, 'utf8')).toBe((await service.candidatesCsv({ ids: [ids[1]!] })).csv);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails clearly when the folder does not exist, writing nothing', async () => {
    const path = join(dir, 'no-such-folder', 'x.csv');
    await expect(service.exportCandidatesCsv({ path })).rejects.toMatchObject({
      code: 'export-failed',
      message: `cannot write ${path}: the folder ${join(dir, 'no-such-folder')} does not exist; create it or choose another folder`,
    });
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('refuses a folder as the target and unknown candidate ids, leaving the old file as it was', async () => {
    mkdirSync(join(dir, 'a-folder.csv'));
    await expect(service.exportCandidatesCsv({ path: join(dir, 'a-folder.csv') })).rejects.toMatchObject({ code: 'export-failed', message: expect.stringContaining('a folder has that name') });
    const path = join(dir, 'kept.csv');
    writeFileSync(path, 'previous export');
    await expect(service.exportCandidatesCsv({ path, ids: [ids[0]!, 404, 405] })).rejects.toMatchObject({ code: 'not-found', message: 'there is no candidate with id 404, 405; nothing was exported' });
    expect(readFileSync(path, 'utf8')).toBe('previous export');
    await expect(service.exportCandidatesCsv({ path, ids: [] })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('field "ids"') });
  });

  it('exports an Excel workbook: header row, frozen panes, widths, typed cells, formula-like text as text', async () => {
    const path = join(dir, 'shortlist.xlsx');
    writeFileSync(path, 'an older export');
    expect(await service.exportCandidatesXlsx({ path, ids })).toEqual({ path, rows: 2 });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet('Shortlist')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 8)).toEqual(['id', 'name', 'version', 'status', 'rating', 'tags', 'notes', 'ingredients']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const at = (row: number, name: string) => sheet.getRow(row).getCell(header.indexOf(name) + 1);
    const evil = at(2, 'name');
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    expect(evil.value).toBe('=HYPERLINK("http://evil.example")');
    expect(evil.formula).toBeUndefined();
    expect([at(2, 'id').value, at(2, 'version').value, at(2, 'rating').value, at(2, 'score_predicted_hydration').value]).toEqual([ids[0], 2, 4, 0.6]);
    expect(at(2, 'updated_at').value).toBeInstanceOf(Date);
    expect(at(3, 'score_plausibility').value).toBe(0.8);
    expect(at(3, 'rating').value).toBeNull();
    expect(sheet.getColumn(header.indexOf('ingredients') + 1).width).toBeGreaterThan(sheet.getColumn(1).width!);
    expect(sheet.getColumn(header.indexOf('provenance') + 1).width).toBe(60);
    const { base64, rows } = await service.candidatesXlsx({ ids });
    expect(rows).toBe(2);
    expect(Buffer.from(base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });
});
