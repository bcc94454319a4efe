import { describe, expect, it } from 'vitest';
import { sephoraCsvPath } from '../data';
import { killDuringImport, killDuringMigration, killDuringModelSave, killDuringSaves, killLeavesNoOrphan } from './durability';

/** The short version of `npm run reliability`'s kill -9 runs (100 each there). */
describe('kill -9 at a random moment', () => {
  it('during an import: the database is intact and the import all or nothing', async () => {
    const r = await killDuringImport(4, sephoraCsvPath(), 7);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(4);
  }, 180_000);

  it('while saving candidates: every acknowledged save is there with its whole list', async () => {
    const r = await killDuringSaves(4, 7);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(4);
  }, 180_000);

  it('during a migration: the next open completes it with the data intact', async () => {
    const r = await killDuringMigration(4, 7);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(4);
  }, 180_000);

  it('while saving a model: the store holds the old or the new model, verified, and no half-written folder', async () => {
    const r = await killDuringModelSave(4, 7);
    expect(r.failures).toEqual([]);
    expect(r.ok).toBe(4);
  }, 240_000);

  it('of the app while the compute process trains: the compute process does not live on as an orphan', async () => {
    const r = await killLeavesNoOrphan(2, 7);
    expect(r.failures).toEqual([]);
    expect(r.exitMs).toHaveLength(2);
  }, 120_000);
});
