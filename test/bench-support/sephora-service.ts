import { sephoraCsvPath } from '../data';
import { openTestService, type OpenedTestService } from '../helpers';

/**
 * How the model benchmarks begin: the services on a temporary database with sephora_cosmetics.csv
 * imported, and the compute process started with its backend written to `figures` (first, so the
 * report names it before any timing). The caller closes it, in a `finally`.
 */
export async function openSephoraService(figures: Record<string, number | string>): Promise<OpenedTestService> {
  const opened = await openTestService();
  try {
    await opened.service.importCatalog({ path: sephoraCsvPath() });
    figures['compute backend'] = (await opened.service.compute.start()).name;
    return opened;
  } catch (error) {
    await opened.close();
    throw error;
  }
}
