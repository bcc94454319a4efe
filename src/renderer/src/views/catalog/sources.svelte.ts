import type { CatalogDeletion } from '../../../../shared/api';
import type { CatalogSummary } from '../../../../shared/domain';
import { api } from '../../lib/api';

/**
 * The imported catalogs and what can be done to them: rename inline (with Cancel, and Undo right
 * after), and delete after a confirmation that says what goes, what stays and that a backup is
 * taken first (the service's dry run counts it).
 */
export class CatalogSources {
  catalogs = $state.raw<CatalogSummary[]>([]);
  /** The catalog whose name is being edited, and the edited text. */
  renaming = $state<number | null>(null);
  draft = $state('');
  /** The last rename, for Undo. */
  lastRename = $state.raw<{ id: number; previous: string; name: string } | null>(null);
  /** What deleting the catalog would remove, while the person decides. */
  confirming = $state.raw<CatalogDeletion | null>(null);
  /** What the last deletion removed, with its backup. */
  deleted = $state.raw<CatalogDeletion | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(
    /** Called after a change, so the catalog view (status, products, filters) reloads. */
    private readonly onChanged: () => void | Promise<void>,
  ) {}

  async load(): Promise<void> {
    await this.run(async () => {
      this.catalogs = await api.listCatalogs();
    });
  }

  startRename(c: CatalogSummary): void {
    this.confirming = null;
    this.renaming = c.id;
    this.draft = c.name;
  }

  cancelRename(): void {
    this.renaming = null;
  }

  async saveRename(): Promise<void> {
    const id = this.renaming;
    const before = this.catalogs.find((c) => c.id === id);
    if (id === null || !before) return;
    if (this.draft.trim() === before.name) return this.cancelRename();
    await this.rename(id, this.draft, before.name);
  }

  async undoRename(): Promise<void> {
    const last = this.lastRename;
    if (!last) return;
    await this.rename(last.id, last.previous, last.name);
    this.lastRename = null;
  }

  async askDelete(id: number): Promise<void> {
    this.renaming = null;
    this.deleted = null;
    await this.run(async () => {
      this.confirming = await api.deleteCatalog({ id, dryRun: true });
    });
  }

  cancelDelete(): void {
    this.confirming = null;
  }

  async confirmDelete(): Promise<void> {
    const id = this.confirming?.catalog.id;
    if (id === undefined) return;
    await this.run(async () => {
      this.deleted = await api.deleteCatalog({ id });
      this.confirming = null;
      this.lastRename = null;
      this.catalogs = await api.listCatalogs();
      await this.onChanged();
    });
  }

  private async rename(id: number, name: string, previous: string): Promise<void> {
    await this.run(async () => {
      const renamed = await api.renameCatalog({ id, name });
      this.lastRename = { id, previous, name: renamed.name };
      this.renaming = null;
      this.catalogs = await api.listCatalogs();
      await this.onChanged();
    });
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await fn();
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
