import { join } from 'node:path';
import { openAppInstance } from '../app-instance';
import { resolveResourcesDir } from '../resources';
import type { FormulatorService } from '../services/formulator-service';
import { startPreviewServer, type PreviewServer } from './server';

/** How to run the web preview (`npm run preview:web`, and `npm start` where Electron cannot run). */
export interface RunPreviewOptions {
  databasePath: string;
  /** The port to listen on; 0 picks a free one. */
  port: number;
  /** When the port is taken, listen on a free one instead of failing (`npm start`'s default port). */
  anyPortIfTaken?: boolean;
  /** Folders whose files the import wizard may read. */
  importRoots?: readonly string[];
  /** Load the sample catalog when the database holds no product (what a first start offers). */
  sampleIfEmpty?: boolean;
  /** Where each line for the person goes (stdout by default). */
  say?: (line: string) => void;
}

/** A running preview: its address and how to stop it. */
export interface RunningPreview {
  url: string;
  stop(): Promise<void>;
}

/**
 * Takes the data folder (a second preview or app on it is refused with FolderInUseError before
 * the database is opened), opens the services on `databasePath`, optionally loads the sample
 * catalog into an empty database, and serves the built renderer (out/renderer) with the API over
 * HTTP on 127.0.0.1; the folder's lock records the address. On a failure after the services
 * opened, they are closed and the folder released before the error is passed on.
 */
export async function runPreview(options: RunPreviewOptions): Promise<RunningPreview> {
  const say = options.say ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const resourcesDir = resolveResourcesDir();
  const instance = await openAppInstance({ databasePath: options.databasePath, resourcesDir, appVersion: '0.1.0' }, 'preview');
  const { service } = instance;
  try {
    const before = instance.lock?.tookOverFrom;
    if (before) say(`The data folder was last opened by pid ${before.pid} (started ${before.startedAt}), which ended without closing it; it is this preview's now.`);
    const quarantined = service.startup.quarantined;
    if (quarantined) say(`The database was damaged (${quarantined.reason}); its files were moved untouched to ${quarantined.folder}. The page offers a restore.`);
    else if (options.sampleIfEmpty && (await service.getStatus()).empty) {
      const report = await service.loadSampleCatalog();
      say(`Loaded the sample catalog (${report.productsInserted} illustrative formulations) into the empty database ${options.databasePath}.`);
    }
    service.startBackupSchedule();
    const server = await listen(options, join(resourcesDir, '..', 'out', 'renderer'), service);
    instance.lock?.update({ url: server.url });
    // As the desktop app: the active model made ready in the background for a first Generate.
    void service.warmUp();
    return {
      url: server.url,
      stop: async () => {
        await server.close();
        instance.close();
      },
    };
  } catch (error) {
    instance.close();
    throw error;
  }
}

async function listen(options: RunPreviewOptions, staticDir: string, api: FormulatorService): Promise<PreviewServer> {
  const serve = (port: number) => startPreviewServer({ api, staticDir, port, importRoots: options.importRoots });
  try {
    return await serve(options.port);
  } catch (error) {
    if (!options.anyPortIfTaken || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return serve(0);
  }
}
