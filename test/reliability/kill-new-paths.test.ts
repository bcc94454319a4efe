import { describe, expect, it } from 'vitest';
import { sephoraCsvPath } from '../data';
import { killDuringBriefSaves, killDuringCatalogDelete, killDuringFormulaSaves, killDuringFullModelSave, killDuringLabImport, killDuringXlsxExports } from './durability';

/** The short version of kill-new-paths.ts (100 runs each in `npm run reliability`): 4 kills each. */
describe('kill -9 at a random moment (issue 17: the newer write paths)', () => {
  it('while saving and editing briefs: every acknowledged version is there with its rules, no brief has a gap in its versions', async () => {
    const r = await killDuringBriefSaves(4, 7);
    expect(r.failures).toEqual([]);
    expect([r.ok, r.integrityOk]).toEqual([4, 4]);
    expect(r.detail).toMatch(/^[1-9]\d* acknowledged saves \([1-9]\d* of them edits/);
  }, 90_000);

  it('during a bulk lab-results import: the results and the candidates it creates are all there or none', async () => {
    const r = await killDuringLabImport(4, 7);
    expect(r.failures).toEqual([]);
    expect([r.ok, r.integrityOk]).toEqual([4, 4]);
    expect(r.detail).toMatch(/^file 3000 rows → 3000 results and 25 new candidates/);
  }, 90_000);

  it('while deleting a catalog: it is wholly there or wholly gone, and candidates, lab results and models are kept', async () => {
    const r = await killDuringCatalogDelete(4, 7, 5_000);
    expect(r.failures).toEqual([]);
    expect([r.ok, r.integrityOk]).toEqual([4, 4]);
    expect(r.detail).toContain('candidates, lab results and models kept every time');
  }, 120_000);

  it('while saving draft formulas with candidate versions: every acknowledged version has its whole formula, none a half one', async () => {
    const r = await killDuringFormulaSaves(4, 7);
    expect(r.failures).toEqual([]);
    expect([r.ok, r.integrityOk]).toEqual([4, 4]);
    expect(r.detail).toMatch(/^[1-9]\d* acknowledged saves \([1-9]\d* of them new versions/);
  }, 90_000);

  it('while writing XLSX exports: each file opens as the previous or the next whole export, and a temporary file a kill left goes at the next write', async () => {
    const r = await killDuringXlsxExports(4, 7);
    expect(r.failures).toEqual([]);
    expect([r.ok, r.integrityOk]).toEqual([4, 4]);
    // The two runs killed when a temporary file appeared were killed inside the write.
    expect(r.detail).toMatch(/kills inside a write \(a temporary file left\) [12],/);
  }, 90_000);

  it('while saving a full-size model: the store holds the old or the new model, verified, and no half-written folder', async () => {
    const r = await killDuringFullModelSave(4, sephoraCsvPath(), 7);
    expect(r.failures).toEqual([]);
    expect([r.ok, r.integrityOk]).toEqual([4, 4]);
    const mib = Number(/^model files ([\d.]+) MiB/.exec(r.detail)?.[1]);
    expect(mib).toBeGreaterThan(15);
  }, 120_000);
});
