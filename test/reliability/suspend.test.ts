import { describe, expect, it } from 'vitest';
import { backupClock, cancelWhileStopped, cliBackupClock, killedWhileStopped, stopAndContinue, stoppedAtStart } from './suspend';

/** The short version of `npm run reliability suspend` (whose stops last 60 s). */
describe('sleep: the compute process stopped and continued', () => {
  it('a training stopped for 3 s resumes, makes no progress while stopped, and ends with the same model as an unstopped one', async () => {
    const r = await stopAndContinue(3000);
    expect(r.finished).toBe('done');
    expect(r.sameModel).toBe(true);
    expect(r.progressMovedWhileStopped).toBe(false);
    expect(r.samplesWhileStopped).toBeGreaterThan(10);
    expect(r.elapsedShownS).toBeGreaterThan(3);
  }, 80_000);

  it('killed while stopped: the job ends as failed within a second, saying so, nothing is recorded, and the next training runs', async () => {
    const r = await killedWhileStopped(1000);
    expect(r.finished).toBe('failed');
    expect(r.message).toMatch(/^the compute process stopped unexpectedly \(signal SIGKILL\); the job was not completed and nothing was saved/);
    expect(r.endedAfterMs).toBeLessThan(1000);
    expect(r.deadShownRunningMs).toBeLessThan(1000);
    expect([r.modelsRecorded, r.partialModelFolders]).toEqual([0, 0]);
    expect(r.nextJobOk).toBe(true);
  }, 60_000);

  it('Cancel while stopped is accepted, the job stays listed while its process lives, and it ends cancelled once continued', async () => {
    const r = await cancelWhileStopped(1000);
    expect(r).toMatchObject({ accepted: true, runningWhileStopped: true, finished: 'cancelled', modelsRecorded: 0 });
    expect(r.cancelledAfterContinueMs).toBeLessThan(2000);
  }, 60_000);

  it('stopped while starting, past the start time-out: the start fails with a message, the stopped process is ended, the next start works', async () => {
    const r = await stoppedAtStart(6000);
    expect(r.code).toBe('start-failed');
    expect(r.message).toMatch(/did not report ready within 6 s .* Run it again; a new compute process will start\./);
    expect(r.stoppedProcessGone).toBe(true);
    expect(r.nextJobOk).toBe(true);
  }, 60_000);
});

describe('clock: the wall clock set back', () => {
  it('20 backups through jumps of an hour, a day and ten years back: list order, rotation and the newest always follow the writing', async () => {
    const r = await backupClock(20);
    expect(r.failures).toEqual([]);
    expect([r.orderHeld, r.rotationHeld, r.newestHeld]).toEqual([20, 20, 20]);
    expect([r.startupDeferred, r.scheduledTaken]).toEqual([1, 1]);
    // Named by the wall clock alone, as before, the newest listed is wrong after the jumps back and new backups are rotated away.
    expect(r.naive.newestHeld).toBeLessThan(20);
    expect(r.naive.newestRemoved).toBeGreaterThan(0);
  }, 60_000);

  it('command-line backups, the second under a clock a day back, list in the order they were written', async () => {
    const r = await cliBackupClock([0, -86_400_000]);
    expect(r.orderHeld).toBe(true);
    expect(r.newestLine).toMatch(/ 2 candidates/);
  }, 60_000);
});
