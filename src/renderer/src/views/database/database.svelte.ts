import type { DatabaseStatus, RestoredBackup } from '../../../../shared/api';
import { api } from '../../lib/api';
import { plural } from './database-logic';
import { formatWhen } from '../candidates/shortlist-logic';

/**
 * The database's health and backups: the recovery notice after a damaged database was set aside
 * at start-up, the list of backups, "Back up now" and restoring one after a confirmation.
 */
export class DatabaseState {
  status = $state.raw<DatabaseStatus | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  /** The backup file the person chose to restore, waiting for their confirmation. */
  confirming = $state<string | null>(null);
  /** The local folder chosen for the database, waiting for the person's confirmation. */
  moveTarget = $state<string | null>(null);
  /** Why choosing a folder or the move failed (shown by the storage notice). */
  moveError = $state<string | null>(null);

  /** `onRestored` reloads what the rest of the window shows from the database. */
  constructor(private readonly onRestored: () => Promise<void>) {}

  async load(): Promise<void> {
    try {
      this.status = await api.getDatabaseStatus();
    } catch (error) {
      this.error = `The backups could not be listed: ${(error as Error).message}`;
    }
  }

  async backupNow(): Promise<void> {
    await this.run(async () => {
      const b = await api.backupNow();
      this.message = `Backed up at ${formatWhen(b.createdAt)} to ${b.file}.`;
    });
  }

  /** Restores the confirmed backup; the files in use are moved to the quarantine folder. */
  async restore(file: string): Promise<RestoredBackup | null> {
    let restored: RestoredBackup | null = null;
    await this.run(async () => {
      restored = await api.restoreBackup({ file });
      await this.load(); // the notice goes as the message comes
      this.message = `Restored ${restored.file}: ${plural(restored.products, 'product')}, ${plural(restored.candidates, 'candidate')}. The database in use before was moved to ${restored.previousMovedTo}.`;
      await this.onRestored();
    });
    return restored;
  }

  /** Keeps the new database: the notice goes away, the quarantined files stay where they are. */
  async dismiss(): Promise<void> {
    await this.run(async () => {
      await api.dismissRecovery();
      this.message = 'Keeping the new database. The damaged files stay in the quarantine folder until you remove them yourself.';
    });
  }

  /** Asks the desktop app's folder dialog for a local folder; the move then waits for a confirmation. */
  async chooseMoveTarget(): Promise<void> {
    this.moveError = null;
    try {
      this.moveTarget = (await api.chooseDatabaseFolder())?.path ?? null;
    } catch (error) {
      this.moveError = (error as Error).message;
    }
  }

  /** Copies the database with its backups and models into the chosen folder and continues there; the old files stay. */
  async move(): Promise<void> {
    const path = this.moveTarget;
    if (!path) return;
    this.busy = true;
    this.moveError = null;
    this.message = null;
    try {
      const moved = await api.moveDatabase({ path });
      this.message = `Moved the database to ${moved.to}: ${plural(moved.verified.products, 'product')}, ${plural(moved.verified.candidates, 'candidate')}, ${plural(moved.copied.backups, 'backup')} and ${plural(moved.copied.models, 'model')}, checked. ${moved.nextTime.hint} The old files are still where they were (${moved.from}); remove them yourself once you have checked the new folder.`;
      await this.onRestored();
    } catch (error) {
      this.moveError = (error as Error).message;
    } finally {
      this.moveTarget = null;
      this.busy = false;
      await this.load();
    }
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.message = null;
    try {
      await fn();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.confirming = null;
      this.busy = false;
      await this.load();
    }
  }
}
