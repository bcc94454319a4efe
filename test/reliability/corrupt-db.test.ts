import { describe, expect, it } from 'vitest';
import { CORRUPTION_KINDS, corruptionFigures, corruptionReport } from './corrupt-db';

/** The short version of `npm run reliability`'s corrupt-database runs (which do 100 of each kind). */
describe('corrupt database files', () => {
  it('4 runs of each kind: every damage SQLite can see is quarantined byte for byte, a new database opens, and the backup restores', async () => {
    const r = await corruptionReport(4, 1);
    expect(r.failures).toEqual([]);
    expect(r.products).toBe(432);
    expect(r.candidates).toBe(3);
    expect(r.freePages).toBeGreaterThan(0);
    for (const kind of CORRUPTION_KINDS) {
      const t = r.kinds[kind];
      expect(t.runs, kind).toBe(4);
      // A miss is only allowed where integrity_check cannot see the damage either (garbage in a free page).
      expect(t.quickMissed, kind).toEqual([]);
      expect(t.detected + t.invisible.length, kind).toBe(4);
      expect(t.invisible.every((note) => note.endsWith('a free page')), kind).toBe(true);
      expect(t.missedButIntact, kind).toBe(t.invisible.length);
      expect([t.preserved, t.freshOpened, t.restored], kind).toEqual([t.detected, t.detected, t.detected]);
    }
    for (const kind of ['truncate', 'zeroed-header', 'random-file'] as const) expect(r.kinds[kind].detected, kind).toBe(4);
    expect(r.checkMs.median).toBeGreaterThan(0);
    expect(r.checkMs.median).toBeLessThan(1000);
    expect(r.backupMs.median).toBeGreaterThan(0);

    const rows = corruptionFigures(r);
    expect(rows.find(([label]) => label.startsWith('corrupt database, zeroed-header: runs'))?.[1]).toBe('4 / 4 / 4 / 4 / 4');
    expect(rows.every(([label, value]) => label.length > 0 && String(value).length > 0)).toBe(true);
  }, 120_000);
});
