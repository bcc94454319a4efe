import type { ActivityState, ActivityView } from '../../../shared/contract';
import { api } from '../lib/api';
import { CatalogState } from '../views/catalog/catalog.svelte';
import { DatabaseState } from '../views/database/database.svelte';

/** The views of the app, in the order the navigation shows them. */
export const VIEWS = [
  { id: 'catalog', label: 'Catalog' },
  { id: 'map', label: 'Latent map' },
  { id: 'model', label: 'Model' },
  { id: 'diagnostics', label: 'Diagnostics' },
  { id: 'generate', label: 'Generate' },
  { id: 'editor', label: 'Editor' },
  { id: 'shortlist', label: 'Shortlist' },
  { id: 'interpolate', label: 'Interpolation' },
  { id: 'optimize', label: 'Optimise' },
  { id: 'lab', label: 'Lab & BO' },
  { id: 'data', label: 'Data & backups' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

/** What the candidate editor should open: a catalog product, a saved candidate or a generated one. */
export type EditorTarget =
  | { kind: 'product'; productId: number }
  | { kind: 'candidate'; candidateId: number }
  | { kind: 'generated'; runId: number; rank: number }
  | { kind: 'empty' };

/**
 * App-wide state: the current view, cross-view requests (open this product, edit that
 * candidate) and the long operations in progress. Views get it as a prop and keep their own
 * state in their own classes.
 */
export class AppState {
  readonly catalog = new CatalogState();
  /** After a restore everything shown comes from another database: the catalog view starts again. */
  readonly database = new DatabaseState(async () => {
    this.view = 'catalog';
    await this.catalog.init();
  });
  view = $state<ViewId>('catalog');
  /** Set by a view that wants the editor to open something; the editor consumes it. */
  editorTarget = $state.raw<EditorTarget | null>(null);
  /** Long operations in progress (polled while any is pending). */
  activity = $state.raw<ActivityState>({ running: [], finished: [] });
  private pending = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  async init(): Promise<void> {
    await Promise.all([this.catalog.init(), this.database.load()]);
  }

  go(view: ViewId): void {
    this.view = view;
  }

  /** Opens a product in the catalog view's detail. */
  async showProduct(productId: number): Promise<void> {
    this.view = 'catalog';
    await this.catalog.select(productId);
  }

  edit(target: EditorTarget): void {
    this.editorTarget = target;
    this.view = 'editor';
  }

  /** Refreshes the header's status (after training, activating or importing). */
  async refreshStatus(): Promise<void> {
    this.catalog.status = await api.getStatus();
  }

  /**
   * Runs a long call while polling its progress every 250 ms; the running activities (with
   * progress and, for training, losses) appear in `activity` for the activity bar.
   */
  async track<T>(call: () => Promise<T>): Promise<T> {
    this.pending++;
    this.timer ??= setInterval(() => void this.poll(), 250);
    try {
      return await call();
    } finally {
      this.pending--;
      await this.poll();
      if (this.pending === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    }
  }

  async cancel(activity: ActivityView): Promise<void> {
    await api.cancelActivity({ id: activity.id });
    await this.poll();
  }

  private async poll(): Promise<void> {
    try {
      this.activity = await api.getActivity();
    } catch {
      // A missed poll only delays the progress bar.
    }
  }
}
