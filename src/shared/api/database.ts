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

export interface DatabaseStatus {
  databasePath: string;
  backupsFolder: string;
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
}
