import { describe, expect, it } from 'vitest';
import { GpFitError } from '../../../src/shared/ml/gp';
import { JobCancelled, isCancellation } from '../../../src/main/compute/cancellation';
import { describeFailure, type JobContext } from '../../../src/main/compute/job';
import { jobHandlers } from '../../../src/main/compute/jobs';
import { ModelCache } from '../../../src/main/compute/model-cache';
import { SharedWork } from '../../../src/main/compute/shared-work';
import { GenerationCancelled } from '../../../src/main/generate/job';
import { presetConfig } from '../../../src/main/ml/config';
import { ModelFileError } from '../../../src/main/ml/store';
import { TrainingCancelled } from '../../../src/main/ml/train';
import { syntheticTrainingData } from '../ml/fixtures';

/** The job table's failure naming and cancellation, without a compute process. */
describe('compute jobs', () => {
  it('files every handler under its own kind', () => {
    for (const [kind, handler] of Object.entries(jobHandlers)) expect(handler.kind).toBe(kind);
  });

  it('reports a GP that cannot be fitted as gp-failed, with its message', () => {
    expect(describeFailure(new GpFitError('no length scale gives a usable fit'), 'propose', jobHandlers.propose)).toEqual({ code: 'gp-failed', message: 'no length scale gives a usable fit' });
  });

  it('reports a catalog too small to train on as untrainable, saying why', async () => {
    const context: JobContext = {
      jobId: 'j',
      isCancelled: () => false,
      throwIfCancelled: () => {},
      reportTraining: () => {},
      reportStage: () => {},
      models: new ModelCache(),
      sharedWork: new SharedWork(null),
    };
    const job = { kind: 'train' as const, data: syntheticTrainingData(12), config: presetConfig('quick'), preset: 'quick', modelsDir: '/nonexistent', folder: 'm' };
    const error = await Promise.resolve(jobHandlers.train.run(job, context)).catch((e: unknown) => e);
    expect(describeFailure(error, 'train', jobHandlers.train)).toEqual({ code: 'untrainable', message: 'the catalog has 12 products with ingredient lists; at least 30 are needed to train' });
  });

  it('names a full disk after what the job was doing, and a bad model file as model-file', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const train = describeFailure(full, 'train', jobHandlers.train);
    expect(train.code).toBe('disk-full');
    expect(train.message).toMatch(/^saving the trained model failed: the disk is full\./);
    expect(describeFailure(full, 'gaps', jobHandlers.gaps).message).toMatch(/^the gaps job failed: the disk is full\./);
    expect(describeFailure(new ModelFileError('model m: manifest.json is not valid JSON'), 'encode', jobHandlers.encode)).toEqual({ code: 'model-file', message: 'model m: manifest.json is not valid JSON' });
    expect(describeFailure(new Error('a latent code has 3 values; this model has 8 dimensions'), 'decode', jobHandlers.decode).code).toBe('compute-failed');
  });

  it('cancels any job under its own name, and counts training and generation cancels as cancels', () => {
    expect(new JobCancelled('optimize').message).toBe('the optimize job was cancelled; nothing was saved');
    for (const error of [new JobCancelled('kde'), new TrainingCancelled(), new GenerationCancelled()]) expect(isCancellation(error)).toBe(true);
    expect(isCancellation(new Error('cancelled'))).toBe(false);
  });
});
