import { describe, expect, it } from 'vitest';
import { secondInstances } from './instances';

/** The short version of `npm run reliability instances` (20 race rounds of 4 starts there, 2 of 2 here). */
describe('a second instance on one data folder', () => {
  it('has one owner; every other app or preview is refused in one line naming it, without opening the database; a SIGKILLed owner’s lock is taken over', async () => {
    const r = await secondInstances(2, 2);
    expect(r.failures).toEqual([]);
    expect(r.secondPreviewSaid).toMatch(/^The data folder .* is already open in Latent Formulator \(the browser preview at http:\/\/127\.0\.0\.1:\d+, pid \d+, started .*\); use that page, or close it before starting another\. The database was not opened\.$/);
    expect(r.appSaid).toBe(r.secondPreviewSaid);
    expect(r.cliBeside).toMatch(/^exit 0: saved candidate 1 "saved beside the preview"/);
    expect(r.takeover).toMatch(/^took over in .*The data folder was last opened by pid \d+ .*which ended without closing it/);
    expect(r.gracefulStopRemovedLock).toBe(true);
    expect(r).toMatchObject({ roundsWithOneOwner: 2, staleTakeovers: 1, refusals: 2, refusalsNamingOwner: 2, refusedWithDatabaseOpen: 0 });
  }, 150_000);
});
