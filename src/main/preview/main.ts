import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDatabasePath } from '../paths';
import { runPreview } from './run';

/**
 * `npm run preview:web -- [--db PATH] [--port N] [--import-root DIR]…`: the renderer in any
 * browser at http://127.0.0.1:PORT, backed by the real services. Build the renderer first
 * (`npm run build`).
 */
const { values } = parseArgs({
  options: { db: { type: 'string' }, port: { type: 'string' }, 'import-root': { type: 'string', multiple: true } },
});
const databasePath = values.db ?? defaultDatabasePath();
const preview = await runPreview({
  databasePath,
  port: values.port ? Number(values.port) : 5199,
  importRoots: (values['import-root'] ?? []).map((r) => resolve(r)),
});
process.stdout.write(`Latent Formulator preview at ${preview.url} (database ${databasePath})\n`);
const stop = async () => {
  await preview.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
