import type { ActivityKind, ActivityState, ActivityView } from '../../shared/api';
import type { RunOptions } from '../compute/host';
import type { HandlersOf } from './endpoint';

/**
 * Long operations in progress (training, generation, sensitivity, UMAP, imports) and the last
 * few that finished, for a UI that shows progress and offers Cancel. The renderer polls
 * `getActivity` while it waits for a long call, so progress needs no event channel and works
 * the same over Electron IPC and the web preview's HTTP.
 */

interface Running {
  view: ActivityView;
  controller: AbortController;
  /** performance.now() at the start: elapsed time is measured on the monotonic clock, so a wall clock set back never makes it negative. */
  startedMono: number;
}

const KEEP_FINISHED = 5;
/** Loss points kept per training run (epochs beyond this are thinned). */
const MAX_LOSS_POINTS = 500;

export class ActivityTracker {
  private readonly running = new Map<number, Running>();
  private readonly finished: ActivityView[] = [];
  private nextId = 1;

  /**
   * Runs `work` as a tracked activity. The hooks it receives record progress and carry an abort
   * signal that fires on `cancel(id)` or on the caller's own signal.
   */
  async run<T>(kind: ActivityKind, label: string, hooks: RunOptions, work: (hooks: RunOptions) => Promise<T>): Promise<T> {
    const id = this.nextId++;
    const controller = new AbortController();
    const view: ActivityView = { id, kind, label, startedAt: new Date().toISOString(), elapsedMs: 0, stage: null, done: 0, total: 0, losses: [], state: 'running', message: null };
    this.running.set(id, { view, controller, startedMono: performance.now() });
    const signal = hooks.signal ? AbortSignal.any([hooks.signal, controller.signal]) : controller.signal;
    try {
      const result = await work({
        signal,
        onProgress: (p) => {
          view.stage = 'training';
          view.done = p.epoch;
          view.total = p.maxEpochs;
          view.losses.push({ epoch: p.epoch, train: p.train.total, validation: p.validation.total });
          if (view.losses.length > MAX_LOSS_POINTS) view.losses.splice(1, 1);
          hooks.onProgress?.(p);
        },
        onStage: (p) => {
          view.stage = p.stage;
          view.done = p.done;
          view.total = p.total;
          hooks.onStage?.(p);
        },
      });
      this.finish(id, 'done', null);
      return result;
    } catch (error) {
      const cancelled = controller.signal.aborted || (error as { code?: string }).code === 'cancelled';
      this.finish(id, cancelled ? 'cancelled' : 'failed', (error as Error).message ?? String(error));
      throw error;
    }
  }

  /** Asks a running activity to stop; false when it is not running (finished or unknown). */
  cancel(id: number): boolean {
    const entry = this.running.get(id);
    if (!entry) return false;
    entry.controller.abort();
    return true;
  }

  state(): ActivityState {
    const now = performance.now();
    return {
      running: [...this.running.values()].map(({ view, startedMono }) => ({ ...view, elapsedMs: Math.round(now - startedMono), losses: [...view.losses] })),
      finished: this.finished.map((v) => ({ ...v, losses: [...v.losses] })),
    };
  }

  private finish(id: number, state: ActivityView['state'], message: string | null): void {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    entry.view.state = state;
    entry.view.message = message;
    entry.view.elapsedMs = Math.round(performance.now() - entry.startedMono);
    this.finished.unshift(entry.view);
    this.finished.length = Math.min(this.finished.length, KEEP_FINISHED);
  }
}

/** The activity capability: what runs now and the last few finished, and Cancel. */
export const activityHandlers: HandlersOf<'getActivity' | 'cancelActivity'> = {
  async getActivity(cx) {
    return cx.activity.state();
  },

  async cancelActivity(cx, { id }) {
    return { cancelled: cx.activity.cancel(id) };
  },
};
