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
