import type { ActivityState, ActivityView } from '../../../shared/api';
import { api } from '../lib/api';
import type { ViewId } from '../views';
import { BayesState } from '../views/bayes/bayes.svelte';
import { ShortlistState } from '../views/candidates/shortlist.svelte';
import { CatalogState } from '../views/catalog/catalog.svelte';
import { DatabaseState } from '../views/database/database.svelte';
import { EditorState } from '../views/editor/editor.svelte';
import { DiagnosticsState } from '../views/explore/diagnostics.svelte';
import { InterpolationState } from '../views/explore/interpolation.svelte';
import { MapState } from '../views/explore/map.svelte';
import { GenerateState } from '../views/generate/generate.svelte';
import { LabState } from '../views/lab/lab.svelte';
import { ModelState } from '../views/models/models.svelte';
import { OptimizeState } from '../views/optimize/optimize.svelte';

/** What the candidate editor should open: a catalog product, a saved candidate or a generated one. */
export type EditorTarget =
  | { kind: 'product'; productId: number }
  | { kind: 'candidate'; candidateId: number }
  | { kind: 'generated'; runId: number; rank: number }
  | { kind: 'empty' };

/**
 * App-wide state and the renderer's composition root: the current view, cross-view requests
 * (open this product, edit that candidate), the long operations in progress, and one instance
 * of each view's state class, created here once so that what a view shows survives switching
 * away and back. Every view gets `app` as its only prop and reads its own state from it
 * (`app.map`, `app.generate`, …); a state class that needs app-wide services (tracking a long
 * call, going to another view) takes `app` in its constructor. Short-lived state that belongs
 * to one item on screen (an import wizard run, one formulation's lab results) is created by the
 * component that shows it.
 */
export class AppState {
  readonly catalog = new CatalogState();
  /** After a restore everything shown comes from another database: the catalog view starts again. */
  readonly database = new DatabaseState(async () => {
    this.view = 'catalog';
    await this.catalog.init();
  });
  readonly models = new ModelState(this);
  readonly interpolation = new InterpolationState();
  readonly map = new MapState(this);
  readonly diagnostics = new DiagnosticsState(this);
  readonly generate = new GenerateState(this);
  readonly editor = new EditorState();
  readonly shortlist = new ShortlistState(this);
  readonly optimize = new OptimizeState(this);
  readonly lab = new LabState(this);
  readonly bayes = new BayesState(this);
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
