import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src/main/db/migrations';
import { interleavedSaves, migrationWhileOlderAppHolds, savesAroundHeldLock, held } from './writers';

/** The short version of `npm run reliability writers` (there: 2 × 1,000 saves in three runs, the app beside 200 command lines, a 50,000-product import and a CLI against a 30 s hold, and the migration with and without the folder lock). */
describe('the command line beside the app on one database', () => {
  it('the app, the services in a second process and `candidates save` command lines saving at once: every acknowledged save is there exactly once, with its list', async () => {
    const r = await interleavedSaves(80, [
      { mode: 'service', saves: 80 },
      { mode: 'cli', saves: 3 },
    ]);
    expect(r.failures).toEqual([]);
    expect(r.check).toEqual({ acknowledged: 163, lost: 0, duplicated: 0, refusedButKept: 0, unacknowledged: 0, incomplete: 0, integrity: 'ok' });
    expect(r.switches).toBeGreaterThan(1);
  }, 60_000);

  it('a write lock held for seconds is waited out by the retry, the app’s event loop free; held past the retry time, the person is told, and nothing is half-kept', async () => {
    const [retried, refused] = await Promise.all([savesAroundHeldLock(3_000, 40, null), savesAroundHeldLock(3_000, 30, 500)]);
    expect(retried).toMatchObject({ refused: 0, gaveUp: 0, check: { acknowledged: 40, lost: 0, duplicated: 0, integrity: 'ok' } });
    expect(retried.retries).toBeGreaterThanOrEqual(1);
    expect(retried.slowestSaveMs).toBeGreaterThan(2_500);
    expect(held(refused.check)).toBe(true);
    expect(refused.refused).toBeGreaterThanOrEqual(1);
    expect(refused.check.acknowledged + refused.refused).toBe(30);
    expect(refused.said).toEqual(['busy: another program (the app or the command line) is writing to the database; tried for 1 s and nothing of this change was saved; try again in a moment']);
    // SQLite's own wait, which holds the app's event loop, is one attempt's; the rest of the 3 s is the retry's timers.
    expect(retried.appLoopMaxMs).toBeLessThan(1_000);
  }, 60_000);

  it('a newer CLI does not migrate a file an older app (one without the folder lock) holds open, and does once it closed', async () => {
    const m = await migrationWhileOlderAppHolds(false);
    expect(m).toMatchObject({ exit: 1, untouched: true, afterwards: { exit: 0, version: LATEST_SCHEMA_VERSION, backups: 1 } });
    expect(m.said).toBe(
      `latent-formulator: ${m.path} is at database schema version ${LATEST_SCHEMA_VERSION - 1} and this version of Latent Formulator needs ${LATEST_SCHEMA_VERSION}, ` +
        'but another program (a Latent Formulator window, the browser preview or a command line, maybe an older version) has the file open, so it was not upgraded ' +
        '(upgrading it under a running program could break that program). Close it, then try again; the file was not changed.',
    );
  }, 60_000);
});
