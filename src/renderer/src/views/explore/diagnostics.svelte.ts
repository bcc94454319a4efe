import type { LatentStatisticsView, SensitivityReport } from '../../../../shared/api';
import type { ModelRecord } from '../../../../shared/domain';
import { api } from '../../lib/api';
import { describeViewError } from '../../lib/plot-view-errors';
import type { AppState } from '../../state/app.svelte';

/**
 * The diagnostics view's state: the active model's record and latent statistics (cheap, loaded
 * on opening), and seed 000's sensitivity analysis (long: run on request, tracked, kept per
 * model so switching views does not lose it).
 */
export class DiagnosticsState {
  model = $state.raw<ModelRecord | null>(null);
  statistics = $state.raw<LatentStatisticsView | null>(null);
  sensitivity = $state.raw<SensitivityReport | null>(null);
  baseCount = $state(40);
  resamples = $state(8);
  seed = $state(1);
  loading = $state(false);
  running = $state(false);
  error = $state<string | null>(null);
  sensitivityError = $state<string | null>(null);

  constructor(private readonly app: AppState) {}

  /** Loads the active model's record and statistics, unless they are already for that model. */
  async open(modelId: number): Promise<void> {
    if (this.model?.id === modelId && this.statistics?.modelId === modelId) return;
    this.loading = true;
    this.error = null;
    try {
      const [model, statistics] = await Promise.all([api.getModel({ id: modelId }), api.latentStatistics()]);
      this.model = model;
      this.statistics = statistics;
      if (this.sensitivity?.modelId !== modelId) this.sensitivity = null;
    } catch (error) {
      this.error = describeViewError(error, 'The model could not be read');
    } finally {
      this.loading = false;
    }
  }

  /** Runs the sensitivity analysis through the activity bar (progress and Cancel). */
  async runSensitivity(): Promise<void> {
    this.running = true;
    this.sensitivityError = null;
    try {
      this.sensitivity = await this.app.track(() => api.sensitivity({ baseCount: this.baseCount, resamples: this.resamples, seed: this.seed }));
    } catch (error) {
      this.sensitivityError = describeViewError(error, 'The sensitivity analysis stopped');
    } finally {
      this.running = false;
    }
  }
}
