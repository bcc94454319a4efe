import { acquireFolderLock, type FolderLock, type FolderRole } from './folder-lock';
import { FormulatorService, type ServiceOptions } from './services/formulator-service';
import { storageFailure } from './storage-errors';

/** The services of a desktop app or a browser preview, opened as the data folder's one owner. */
export interface AppInstance {
  service: FormulatorService;
  /** The data folder's owner lock (null for an in-memory database, which has no folder). */
  lock: FolderLock | null;
  /** Closes the services and releases the folder. */
  close(): void;
}

/**
 * What the desktop app's main process and the browser preview do at start: take the data folder's
 * owner lock, then open the services. A second app or preview on the same folder is refused
 * (FolderInUseError, naming the owner) before the database is opened; the command line does not
 * come through here. No Electron import, so the start can be tested without its binary.
 */
export async function openAppInstance(options: ServiceOptions, role: FolderRole): Promise<AppInstance> {
  const lock = options.databasePath === ':memory:' ? null : acquireFolderLock(options.databasePath, role);
  let service: FormulatorService;
  try {
    service = await FormulatorService.open(options);
  } catch (error) {
    lock?.release();
    // A write lock held by another program past every wait (e.g. a command line's long import) is said as such, not as "database is locked".
    const busy = storageFailure(error, 'Opening the database');
    throw busy?.code === 'busy' ? new Error(busy.message) : error;
  }
  return {
    service,
    lock,
    close: () => {
      service.close();
      lock?.release();
    },
  };
}
