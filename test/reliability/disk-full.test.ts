import { describe, expect, it } from 'vitest';
import { presetConfig } from '../../src/main/ml/config';
import { sephoraCsvPath } from '../data';
import { syntheticTrainingData } from '../main/ml/fixtures';
import { canMountTmpfs, diskFullRun, modelSaveOnFullDisk } from './disk-full';

/**
 * Disk full during import, saves, a model save and an export (npm run reliability prints the
 * same runs). The tmpfs runs need root (CI and the developer machines run as root); where a
 * tmpfs cannot be mounted they are skipped and the page-limit run still covers SQLite.
 */
const tmpfs = canMountTmpfs();

describe('disk full', () => {
  it('SQLite full (page limit): the import and a save fail as disk-full, roll back, and work once there is room', async () => {
    const r = await diskFullRun('page-limit', sephoraCsvPath());
    expect(r.failures).toEqual([]);
    expect(r.outcomes).toMatchObject({ importCatalog: 'disk-full', saveCandidate: 'disk-full' });
    expect(r.checks).toMatchObject({ integrity: 'ok', productsUnchanged: true, candidatesIntact: true });
    expect(r.afterwards.imported).toBeGreaterThan(1000);
  }, 120_000);

  it.skipIf(!tmpfs)('a full tmpfs volume: import, save, training and export each fail clearly; nothing saved before is touched', async () => {
    const r = await diskFullRun('tmpfs', sephoraCsvPath());
    expect(r.failures).toEqual([]);
    expect(r.outcomes).toEqual({ importCatalog: 'disk-full', saveCandidate: 'disk-full', trainModel: 'disk-full', exportCandidatesCsv: 'export-failed' });
    expect(r.messages.exportCandidatesCsv).toMatch(/the disk is full\. The existing file was not changed\./);
    expect(r.checks).toEqual({ integrity: 'ok', productsUnchanged: true, candidatesIntact: true, oldModelLoads: true, oldExportIntact: true, partialFilesLeft: 0 });
  }, 120_000);

  it.skipIf(!tmpfs)('the model store on a full volume: the compute process reports disk-full and leaves no partial folder', async () => {
    const config = presetConfig('quick', { hidden: 32, latentDim: 8, headHidden: 8, maxEpochs: 1, batchSize: 16, seed: 2 });
    const r = await modelSaveOnFullDisk((modelsDir) => ({ kind: 'train', data: syntheticTrainingData(60), config, preset: 'quick', modelsDir, folder: 'm' }));
    expect(r.code).toBe('disk-full');
    expect(r.message).toMatch(/^saving the trained model failed: the disk is full\./);
    expect(r.leftovers).toEqual([]);
  }, 60_000);
});
