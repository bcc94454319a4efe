import { randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { ApiFailure, type DatabaseBackup, type DatabaseRecovery, type DatabaseStatus, type RestoredBackup } from '../../shared/api';
import { fsyncFolder, writeFileAtomically } from '../atomic-file';
import { storageFailure } from '../storage-errors';
import { BackupError, backupFolder, listBackupFiles, pruneRollingBackups, readBackupContents, writeBackup, type BackupContents, type BackupFile, type BackupCopier } from '../db/backups';
import type { DatabaseCheck } from '../db/check';
import { LATEST_SCHEMA_VERSION, openDatabase, type OpenedDatabase } from '../db/connection';
import { pendingRecoveries, pendingWalDamage, quarantineDatabaseFiles, QuarantineIncompleteError, recordDecision, walDamageNotice, type QuarantineRecord } from '../db/quarantine';
import { syncKnowledgeBase } from '../db/queries/ingredients';
import { countProductsAndCandidates, totalChanges } from '../db/queries/database';
import { loadKnowledgeFile, loadLegalLimits, loadUseLevels } from '../inci/knowledge';
import { syncFormulaKnowledge } from '../db/queries/formulas';
import { knowledgeBasePath, legalLimitsPath, useLevelsPath } from '../resources';
import { databaseStorageLocation } from '../storage-location';
import { moveDatabaseTo } from './database-move';
import type { HandlersOf } from './endpoint';

/** Shows a folder dialog; the chosen folder's path, or null when cancelled. */
export type FolderChooser = () => Promise<string | null>;

/** When rolling backups are taken and how many are kept. */
export interface BackupPolicy {
  /** Rolling backups kept; older rolling ones are removed (manual and pre-migration backups never are). */
  keepRolling: number;
  /** While the app runs (`startBackupSchedule`): a rolling backup this often, when the data changed since the last one. */
  intervalMs: number;
  /**
   * At start-up: a rolling backup when the data changed since the newest backup and that backup
   * is at least this old (a younger one leaves it to the first scheduled backup, so quick
   * restarts and command-line runs do not push older backups out of the rotation).
   */
  startupMinAgeMs: number;
}

export const DEFAULT_BACKUP_POLICY: BackupPolicy = { keepRolling: 7, intervalMs: 30 * 60_000, startupMinAgeMs: 60 * 60_000 };

/** What happened to the database at start-up, for the command line and the desktop shell to report. */
export interface StartupReport {
  /** The check of the existing file (null: a new file). */
  check: DatabaseCheck | null;
  /** Set when the file was damaged and moved into the quarantine during this start. */
  quarantined: QuarantineRecord | null;
  /** A rolling backup written at this start, if any. */
  backup: string | null;
}

/**
 * What a restore needs from the service: close its connection, and open the file at the same
 * path again and make that the service's connection (with every cache built from the old one dropped).
 */
export interface ConnectionHooks {
  close(): void;
  open(): Promise<OpenedDatabase>;
}

/**
 * The database capability: status, backups, restores and the follow-up of a damaged database
 * found at start-up. `DatabaseCare` works on the files; the handlers below run every call that
 * touches the connection inside the write lock, so a backup or a restore never overlaps a write.
 */

/**
 * Backups, the start-up quarantine's follow-up and restores for one database file: the part of
 * the service that works on files rather than rows.
 */
export class DatabaseCare {
  lastBackup: DatabaseStatus['lastBackup'] = null;
  /** `total_changes()` of the connection when the last backup was taken. */
  private changesAtLastBackup = 0;
  /** The data changed before this start and no backup holds it yet. */
  private unsavedSinceStartup = false;
  /** What each backup holds, by name, size and time (reading a backup opens it). */
  private readonly contents = new Map<string, BackupContents>();

  /** How a backup copy is written: in-thread unless set (the services write it from the import worker). */
  copier: BackupCopier | undefined;

  /** The desktop app's folder dialog for `chooseDatabaseFolder` (none in the preview and the command line). */
  folderChooser: FolderChooser | undefined;

  /** The wall clock backups are timed by (tests set a clock that jumps). */
  clock: () => Date = () => new Date();

  constructor(
    private path: string,
    readonly policy: BackupPolicy,
  ) {}

  /** The database file (a move changes it). */
  get dbPath(): string {
    return this.path;
  }

  /** After `moveDatabase` copied everything: the database, its backups and its quarantine are now at `path`. */
  movedTo(path: string): void {
    this.path = path;
    this.contents.clear();
  }

  /**
   * After a successful start-up check: a rolling backup when no backup exists yet, or when the
   * file changed after the newest backup and that one is older than `startupMinAgeMs`. A failed
   * backup does not stop the app; it is recorded in `lastBackup`.
   */
  async atStartup(db: Database, modifiedMs: number | null, now = this.clock().getTime()): Promise<string | null> {
    this.changesAtLastBackup = totalChanges(db);
    if (modifiedMs === null) return null;
    const newest = listBackupFiles(this.dbPath)[0];
    const newestMs = newest ? Date.parse(newest.createdAt) : null;
    // The newest backup is named later than now: the clock was set back since (see nextBackupTime).
    // Neither its age nor whether the file changed after it can be told by the clock, so this start
    // takes no backup and leaves it to the first scheduled one, which counts changes, not time.
    if (newestMs !== null && newestMs > now) {
      this.unsavedSinceStartup = true;
      return null;
    }
    const changed = newestMs === null || modifiedMs > newestMs;
    if (!changed) return null;
    if (newestMs !== null && now - newestMs < this.policy.startupMinAgeMs) {
      this.unsavedSinceStartup = true;
      return null;
    }
    try {
      return (await this.backup(db, 'rolling')).file;
    } catch {
      return null; // recorded in lastBackup
    }
  }

  /** The scheduled backup: only when something was written since the last one. Returns the file, or null when nothing changed. */
  async backupIfChanged(db: Database): Promise<string | null> {
    if (!this.unsavedSinceStartup && totalChanges(db) === this.changesAtLastBackup) return null;
    return (await this.backup(db, 'rolling')).file;
  }

  /** Writes a checked backup; rolling ones are then rotated to the newest `keepRolling`. */
  async backup(db: Database, kind: 'rolling' | 'manual'): Promise<DatabaseBackup> {
    const changes = totalChanges(db);
    const started = this.clock();
    try {
      const written = await writeBackup(db, this.dbPath, kind, started, this.copier);
      this.changesAtLastBackup = changes;
      this.unsavedSinceStartup = false;
      // While a damaged database waits for a decision, the backups from before it are what a
      // restore needs: backups of the new (empty) database must not rotate them away.
      if (kind === 'rolling' && !this.recovery()) pruneRollingBackups(this.dbPath, this.policy.keepRolling);
      this.contents.set(contentsKey(written.backup), written.contents);
      this.lastBackup = { at: started.toISOString(), file: written.backup.file, ms: written.ms, error: null };
      return publicBackup(written.backup, written.contents);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      this.lastBackup = { at: started.toISOString(), file: null, ms: 0, error: message };
      if (!(error instanceof BackupError)) throw error;
      const storage = storageFailure(error, 'The backup');
      throw new ApiFailure(storage?.code ?? 'backup-failed', `${message}. No backup file was left, and the database itself was not changed.`);
    }
  }

  /** Every backup with what it holds, newest first. */
  listBackups(): DatabaseBackup[] {
    return listBackupFiles(this.dbPath).map((b) => publicBackup(b, this.contentsOf(b)));
  }

  status(): DatabaseStatus {
    return {
      databasePath: this.dbPath,
      backupsFolder: backupFolder(this.dbPath),
      location: databaseStorageLocation(this.dbPath),
      recovery: this.recovery(),
      backups: this.listBackups(),
      policy: { keepRolling: this.policy.keepRolling, intervalMinutes: this.policy.intervalMs / 60_000 },
      lastBackup: this.lastBackup,
    };
  }

  /** The newest damaged database the person has not decided about, or null. */
  recovery(): DatabaseRecovery | null {
    const pending = pendingRecoveries(this.dbPath)[0];
    if (!pending) return null;
    return {
      quarantinedTo: pending.folder,
      reason: pending.reason,
      detectedAt: pending.detectedAt,
      details: pending.details,
      files: pending.files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
    };
  }

  /**
   * Damaged write-ahead logs found at start-up that the person has not been told of and dismissed,
   * newest first, each as the sentence to show (see `walDamageNotice`).
   */
  walDamage(): { folder: string; detectedAt: string; notice: string }[] {
    return pendingWalDamage(this.dbPath).map((r) => ({ folder: r.folder, detectedAt: r.detectedAt, notice: walDamageNotice(r) }));
  }

  /** Marks every pending recovery (and damaged-log notice) as decided: the person keeps the database in use. */
  dismissRecovery(): number {
    const pending = [...pendingRecoveries(this.dbPath), ...pendingWalDamage(this.dbPath)];
    const at = new Date().toISOString();
    for (const r of pending) recordDecision(r, { kind: 'kept-new-database', at, backup: null });
    return pending.length;
  }

  /**
   * Restores `file`, which must be one of the listed backups: a copy of it is made beside the
   * database and checked (quick_check, a schema this version knows), the connection is closed,
   * the current files are moved into the quarantine, the copy is renamed into place and opened
   * (migrated when older). If opening fails, the files in use before are moved back.
   */
  async restore(file: string, hooks: ConnectionHooks): Promise<RestoredBackup> {
    const backup = listBackupFiles(this.dbPath).find((b) => b.file === file);
    if (!backup) {
      throw new ApiFailure('not-found', `"${file}" is not one of the backups in ${backupFolder(this.dbPath)}; choose a file listed by getDatabaseStatus (on the command line: db backups)`);
    }
    const staged = join(dirname(this.dbPath), `.${basename(this.dbPath)}.${randomBytes(4).toString('hex')}.restoring`);
    try {
      copyFileSync(backup.path, staged, constants.COPYFILE_EXCL);
      fsyncFile(staged);
    } catch (error) {
      rmSync(staged, { force: true });
      throw new ApiFailure('restore-failed', `could not copy ${backup.path} beside the database: ${(error as Error).message}. Nothing was changed.`);
    }
    const contents = readBackupContents(staged);
    const refuse = (code: string, why: string): never => {
      rmSync(staged, { force: true }); // the app's own copy of the backup; the backup itself stays
      throw new ApiFailure(code, `the backup ${file} cannot be restored: ${why}. Nothing was changed; choose another backup.`);
    };
    if (!contents.check.ok) refuse('backup-damaged', `it does not pass quick_check (${contents.check.problems.slice(0, 3).join('; ')})`);
    if (contents.schemaVersion === null) refuse('backup-unusable', 'its schema version cannot be read');
    if (contents.schemaVersion! > LATEST_SCHEMA_VERSION) {
      refuse('backup-unusable', `its schema version ${contents.schemaVersion} is newer than this version of the app knows (${LATEST_SCHEMA_VERSION})`);
    }

    const at = new Date();
    hooks.close();
    let moved: QuarantineRecord;
    try {
      moved = quarantineDatabaseFiles(this.dbPath, {
        kind: 'replaced-by-restore',
        reason: `the backup ${file} was restored in their place`,
        details: [],
        decision: { kind: 'restored', at: at.toISOString(), backup: file },
        at,
      });
    } catch (error) {
      rmSync(staged, { force: true });
      await hooks.open();
      const why = error instanceof QuarantineIncompleteError ? error.message : (error as Error).message;
      throw new ApiFailure('restore-failed', `the database in use could not be moved aside, so the backup was not restored: ${why}`);
    }
    renameSync(staged, this.dbPath);
    fsyncFolder(dirname(this.dbPath));

    let opened: OpenedDatabase;
    try {
      opened = await hooks.open();
    } catch (error) {
      // Put back what was in use: the restored copy (with any side file its open left, which must not
      // meet the other database) joins the quarantine folder, and the moved files return.
      for (const suffix of ['-wal', '-shm', '']) {
        if (existsSync(this.dbPath + suffix)) renameSync(this.dbPath + suffix, join(moved.folder, `restored-copy-that-failed-to-open.${basename(this.dbPath)}${suffix}`));
      }
      for (const f of moved.files) if (f.moved) renameSync(join(moved.folder, f.name), join(dirname(this.dbPath), f.name));
      const why = `the restored backup ${file} could not be opened (${(error as Error).message}); the database in use before was put back`;
      writeFileAtomically(join(moved.folder, 'README.txt'), `A restore on ${at.toISOString()} failed: ${why} (${this.dbPath}). This folder holds the copy of the backup that could not be opened.\n`);
      await hooks.open();
      throw new ApiFailure('restore-failed', why);
    }

    for (const r of pendingRecoveries(this.dbPath)) recordDecision(r, { kind: 'restored', at: at.toISOString(), backup: file });
    this.changesAtLastBackup = totalChanges(opened.db);
    this.unsavedSinceStartup = false;
    return { file, previousMovedTo: moved.folder, schemaVersion: opened.schemaVersion, ...countProductsAndCandidates(opened.db) };
  }

  private contentsOf(b: BackupFile): BackupContents {
    const key = contentsKey(b);
    let found = this.contents.get(key);
    if (!found) {
      found = readBackupContents(b.path);
      this.contents.set(key, found);
    }
    return found;
  }
}

function contentsKey(b: BackupFile): string {
  const mtime = statSync(b.path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return `${b.file}:${b.bytes}:${mtime}`;
}

function publicBackup(b: BackupFile, c: BackupContents): DatabaseBackup {
  return { file: b.file, kind: b.kind, createdAt: b.createdAt, bytes: b.bytes, readable: c.check.ok, schemaVersion: c.schemaVersion, products: c.products, candidates: c.candidates };
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Syncs the shipped knowledge base into a just-opened database (closing it on failure). */
export function loadKnowledgeBase(opened: OpenedDatabase, resourcesDir: string): void {
  try {
    syncKnowledgeBase(opened.db, loadKnowledgeFile(knowledgeBasePath(resourcesDir)));
    syncFormulaKnowledge(opened.db, loadUseLevels(useLevelsPath(resourcesDir)), loadLegalLimits(legalLimitsPath(resourcesDir)));
  } catch (error) {
    opened.db.close();
    throw error;
  }
}

/** The database capability's API: status, a backup now, restoring one, keeping the new database after a damaged one, and moving it to a local folder. */
export const databaseHandlers: HandlersOf<'getDatabaseStatus' | 'backupNow' | 'restoreBackup' | 'dismissRecovery' | 'chooseDatabaseFolder' | 'moveDatabase'> = {
  async getDatabaseStatus(cx) {
    return cx.care.status();
  },

  async backupNow(cx) {
    return cx.exclusive(() => cx.care.backup(cx.db, 'manual'));
  },

  /** See `Api.restoreBackup`: refused while a long operation runs, since its results would land in the other database. */
  async restoreBackup(cx, { file }) {
    return cx.exclusive(async () => {
      const running = cx.activity.state().running;
      if (running.length) throw new ApiFailure('busy', `"${running[0]!.label}" is still running; wait for it to finish or cancel it, then restore the backup`);
      return cx.care.restore(file, {
        close: () => cx.db.close(),
        open: async () => {
          const opened = await openDatabase(cx.options.databasePath);
          loadKnowledgeBase(opened, cx.options.resourcesDir);
          cx.replaceDatabase(opened);
          return opened;
        },
      });
    });
  },

  async dismissRecovery(cx) {
    return { dismissed: cx.care.dismissRecovery() };
  },

  /** The desktop app answers with its folder dialog (the chosen folder then becomes a path `moveDatabase` accepts there). */
  async chooseDatabaseFolder(cx) {
    if (!cx.care.folderChooser) throw new ApiFailure('unsupported', 'choosing a folder needs the desktop app; on the command line: latent-formulator db move FOLDER');
    const path = await cx.care.folderChooser();
    return path === null ? null : { path };
  },

  /** See `Api.moveDatabase`; the service opens the copy exactly as at start-up (schema, knowledge base). */
  async moveDatabase(cx, { path }) {
    return moveDatabaseTo(cx, path, async (databasePath) => {
      const opened = await openDatabase(databasePath);
      loadKnowledgeBase(opened, cx.options.resourcesDir);
      return opened;
    });
  },
};
