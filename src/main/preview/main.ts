import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FolderInUseError } from '../folder-lock';
import { defaultDatabasePath, defaultUserDataDir, movedDatabaseProblem } from '../paths';
import { runPreview, type RunningPreview } from './run';

/**
 * `npm run preview:web -- [--db PATH] [--port N] [--import-root DIR]…`: the renderer in any
 * browser at http://127.0.0.1:PORT, backed by the real services. Build the renderer first
 * (`npm run build`).
 */
const { values } = parseArgs({
  options: { db: { type: 'string' }, port: { type: 'string' }, 'import-root': { type: 'string', multiple: true } },
});
const databasePath = values.db ?? defaultDatabasePath();
// As the app and the command line: a default database moved to a folder that is now missing is not replaced by an empty one.
const moved = values.db === undefined && process.env.LATENT_FORMULATOR_DB === undefined ? movedDatabaseProblem(defaultUserDataDir()) : null;
if (moved) {
  process.stderr.write(`The preview could not start: ${moved}\n`);
  process.exit(1);
}
let preview: RunningPreview;
try {
  preview = await runPreview({
    databasePath,
    port: values.port ? Number(values.port) : 5199,
    importRoots: (values['import-root'] ?? []).map((r) => resolve(r)),
  });
} catch (error) {
  // Another app or preview owns the data folder (or the database cannot be opened): one line saying so, and a failing exit code.
  process.stderr.write(`${error instanceof FolderInUseError ? '' : 'The preview could not start: '}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.stdout.write(`Latent Formulator preview at ${preview.url} (database ${databasePath})\n`);
const stop = async () => {
  await preview.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
