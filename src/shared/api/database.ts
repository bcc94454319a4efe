import { z } from 'zod';
import type { ArgsOf } from './common';
import type { ApiMethod } from './methods';

/** The app and its database: status, backups, restore, and recovery from a damaged file. */

export interface AppStatus {
  databasePath: string;
  schemaVersion: number;
  productCount: number;
  catalogCount: number;
  ingredientCount: number;
  knowledgeBaseEntries: number;
  /** True on a fresh database: the UI offers the sample catalog. */
  empty: boolean;
  appVersion: string;
  /** The active model, with the TensorFlow.js backend it was trained on. */
  activeModel: { id: number; name: string; backend: string; heldOutJaccard: number } | null;
  /** How long one write attempt waits in SQLite for another program's write lock (PRAGMA busy_timeout) before the services retry it. */
  busyTimeoutMs: number;
  /** How long the services keep retrying a write another program keeps out before saying so. */
  busyRetryMs: number;
}

/** A backup file of the database, with what it holds. */
export interface DatabaseBackup {
  /** The file name in the backups folder (what `restoreBackup` takes). */
  file: string;
  /** `rolling`: taken automatically (the newest few are kept); `manual`: "Back up now"; `pre-migration`: before a schema upgrade. */
  kind: 'rolling' | 'manual' | 'pre-migration';
  createdAt: string;
  bytes: number;
  /** False when the file cannot be read as a database (it cannot be restored). */
  readable: boolean;
  schemaVersion: number | null;
  /** Counts in the backup (null where its schema has no such table). */
  products: number | null;
  candidates: number | null;
}

/** A damaged database found at start-up and moved aside, while the person has not decided what to do. */
export interface DatabaseRecovery {
  /** The quarantine folder holding the files exactly as they were found. */
  quarantinedTo: string;
  reason: string;
  detectedAt: string;
  /** What SQLite's check reported (its lines, or the error that stopped it). */
  details: string[];
  files: { name: string; bytes: number; sha256: string }[];
}

/**
 * Where a folder is stored, as far as the app can tell: `local` (nothing to say), `network` (a
 * file system on another machine: NFS, SMB, sshfs, a cloud mount…), or `synced` (a local folder a
 * sync client such as OneDrive, Dropbox or iCloud Drive copies behind the app's back). SQLite's
 * write-ahead log is not safe on either of the last two.
 */
export interface StorageLocation {
  kind: 'local' | 'network' | 'synced';
  /** The reason in words, e.g. "inside the Dropbox folder /home/ana/Dropbox". */
  detail: string;
  /** The folder examined, after symbolic links were resolved. */
  folder: string;
  /** The file-system type of the mount holding it (`ext4`, `nfs4`, `fuse.sshfs`…); null where it cannot be known (Windows). */
  fileSystem: string | null;
  /** Where that file system is mounted; null where unknown. */
  mountPoint: string | null;
  /** What stores or syncs it (`NFS`, `SMB`, `Dropbox`, `OneDrive`…); null for a local folder. */
  service: string | null;
}

export interface DatabaseStatus {
  databasePath: string;
  backupsFolder: string;
  /** Whether the data folder is local, on a network file system or inside a synced folder (see `moveDatabase`). */
  location: StorageLocation;
  recovery: DatabaseRecovery | null;
  /** Newest first. */
  backups: DatabaseBackup[];
  /** How many rolling backups are kept, and how often one is taken while the data changes. */
  policy: { keepRolling: number; intervalMinutes: number };
  /** The last automatic or manual backup of this session, with its time, or its error. */
  lastBackup: { at: string; file: string | null; ms: number; error: string | null } | null;
}

export interface RestoredBackup {
  file: string;
  /** Where the files that were in use went (the quarantine). */
  previousMovedTo: string;
  schemaVersion: number;
  products: number;
  candidates: number;
}

/** What `moveDatabase` copied, checked and switched to. */
export interface MovedDatabase {
  /** The database file used before (left in place, with its backups and models). */
  from: string;
  /** The database file used from now on. */
  to: string;
  /** Where the new folder is (always `local`: other targets are refused). */
  location: StorageLocation;
  copied: {
    databaseBytes: number;
    backups: number;
    backupBytes: number;
    /** Model folders copied (every one, recorded or not). */
    models: number;
    modelBytes: number;
    /** Quarantine folders copied (damaged databases kept for a decision). */
    quarantined: number;
    ms: number;
  };
  verified: {
    /** quick_check of the copy. */
    quickCheck: 'ok';
    /** Tables whose row counts were compared, and the rows they hold. */
    tables: number;
    rows: number;
    products: number;
    candidates: number;
    /** Recorded models whose manifest and files were checked against their checksums in the copy. */
    models: number;
    /** Backup and quarantine files compared byte for byte (SHA-256). */
    files: number;
  };
  /** How the app and the command line find the moved database next time. */
  nextTime: {
    /** True when the move is remembered in `pointerFile` (the default database was moved): nothing to do. */
    remembered: boolean;
    pointerFile: string | null;
    /** One sentence saying what to do, if anything. */
    hint: string;
  };
  /** The note left beside the old database saying where it went (the old files themselves are untouched). */
  noteLeft: string | null;
}

export const databaseSchemas = {
  getStatus: z.undefined(),
  getDatabaseStatus: z.undefined(),
  backupNow: z.undefined(),
  restoreBackup: z
    .object({
      /** A file name exactly as `getDatabaseStatus` lists it in `backups`; anything else is refused. */
      file: z
        .string()
        .min(1)
        .max(255)
        .regex(/^[^/\\\0]+$/, 'a backup file name as listed by getDatabaseStatus, not a path'),
    })
    .strict(),
  dismissRecovery: z.undefined(),
  chooseDatabaseFolder: z.undefined(),
  moveDatabase: z
    .object({
      /** An absolute path of a local folder that is empty or does not exist yet (in the desktop app: one its folder dialog chose). */
      path: z.string().min(1).max(4096),
    })
    .strict(),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof databaseSchemas>;

/** The database slice of the {@link Api}. */
export interface DatabaseApi {
  getStatus(): Promise<AppStatus>;
  /** The start-up check's finding (a damaged database moved to the quarantine, until the person decides) and the backups. */
  getDatabaseStatus(): Promise<DatabaseStatus>;
  /** Writes a backup now with SQLite's online backup API, checked before it is listed. */
  backupNow(): Promise<DatabaseBackup>;
  /**
   * Replaces the database with one of the listed backups: the backup is checked, the current
   * files are moved into the quarantine (never deleted), and the app continues on the restored data.
   */
  restoreBackup(args: Args['restoreBackup']): Promise<RestoredBackup>;
  /** The person keeps the new database after a damaged one was moved aside: the notice goes away (the quarantined files stay). */
  dismissRecovery(): Promise<{ dismissed: number }>;
  /** The desktop app's folder dialog for `moveDatabase` (null when cancelled); refused elsewhere (the preview, the command line). */
  chooseDatabaseFolder(): Promise<{ path: string } | null>;
  /**
   * Moves the database, with its backups, models and quarantine, into a local folder: copied with
   * SQLite's online backup (the rest file by file), verified (quick_check, every table's row count,
   * model manifests and checksums, backups byte for byte), then the app switches to the copy. The
   * old files stay where they were. Refused when the folder is itself on a network or synced
   * drive, is not empty, or lacks the space; nothing is changed then.
   */
  moveDatabase(args: Args['moveDatabase']): Promise<MovedDatabase>;
}
