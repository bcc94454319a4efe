import { describe, expect, it } from 'vitest';
import { openTestService } from '../helpers';
import { soak } from './soak';

/** The short version of `npm run reliability`'s soak (100 jobs there): six jobs, two of each kind. */
describe('soak', () => {
  it('train, generate and optimise twice each: processes, threads and file descriptors come back to the baseline', async () => {
    const { service, close } = await openTestService();
    try {
      await service.loadSampleCatalog();
      const r = await soak(service, 6);
      expect(r.failures).toEqual([]);
      expect(r.samples.map((s) => s.kind)).toEqual(['train', 'generate', 'optimise', 'train', 'generate', 'optimise']);
      // One compute process (and tsx's esbuild service under the test runner), the same after every job.
      expect(new Set(r.samples.map((s) => s.processes)).size).toBe(1);
      expect(r.final.computeRssMb).toBeGreaterThan(0);
    } finally {
      await close();
    }
  }, 180_000);
});
