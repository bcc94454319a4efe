import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDatabasePath } from '../paths';
import { resolveResourcesDir } from '../resources';
import { FormulatorService } from '../services/formulator-service';
import { startPreviewServer } from './server';

/**
 * `npm run preview:web -- [--db PATH] [--port N] [--import-root DIR]…`: the renderer in any
 * browser at http://127.0.0.1:PORT, backed by the real services. Build the renderer first
 * (`npm run build`).
 */
const { values } = parseArgs({
  options: { db: { type: 'string' }, port: { type: 'string' }, 'import-root': { type: 'string', multiple: true } },
});
const resourcesDir = resolveResourcesDir();
const service = await FormulatorService.open({ databasePath: values.db ?? defaultDatabasePath(), resourcesDir, appVersion: '0.1.0' });
const quarantined = service.startup.quarantined;
if (quarantined) process.stderr.write(`The database was damaged (${quarantined.reason}); its files were moved untouched to ${quarantined.folder}. The page offers a restore.\n`);
service.startBackupSchedule();
const server = await startPreviewServer({
  api: service,
  staticDir: join(resourcesDir, '..', 'out', 'renderer'),
  port: values.port ? Number(values.port) : 5199,
  importRoots: (values['import-root'] ?? []).map((r) => resolve(r)),
});
process.stdout.write(`Latent Formulator preview at ${server.url} (database ${values.db ?? defaultDatabasePath()})\n`);
const stop = async () => {
  await server.close();
  service.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
