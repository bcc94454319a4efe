import type { ModelRecord } from '../../../../shared/domain';
import { api } from '../../lib/api';
import type { AppState } from '../../state/app.svelte';

/** Presets as a chemist chooses them: what each costs on a laptop and what it is for. */
export const PRESETS = [
  { id: 'quick', label: 'Quick', hint: 'a small model in well under a minute: for trying things out' },
  { id: 'full', label: 'Full', hint: 'a larger model, about two minutes on a 2-core laptop: for real work' },
] as const;

export type PresetId = (typeof PRESETS)[number]['id'];

/** The Model view's state: the models on file and the training form. */
export class ModelState {
  models = $state.raw<ModelRecord[]>([]);
  preset = $state<PresetId>('quick');
  seed = $state(1);
  name = $state('');
  training = $state(false);
  error = $state<string | null>(null);
  /** The last model trained in this session (its metrics are shown first). */
  trained = $state.raw<ModelRecord | null>(null);

  constructor(private readonly app: AppState) {}

  async load(): Promise<void> {
    try {
      this.models = await api.listModels();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async train(): Promise<void> {
    this.error = null;
    this.training = true;
    try {
      this.trained = await this.app.track(() => api.trainModel({ preset: this.preset, seed: this.seed, name: this.name.trim() || undefined }));
      await Promise.all([this.load(), this.app.refreshStatus()]);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.training = false;
    }
  }

  async activate(model: ModelRecord): Promise<void> {
    this.error = null;
    try {
      await api.activateModel({ id: model.id });
      await Promise.all([this.load(), this.app.refreshStatus()]);
    } catch (error) {
      this.error = (error as Error).message;
    }
  }
}

/** A share (0–1) as a percentage with one decimal, or a dash. */
export function percent(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)} %`;
}

/** A duration in ms as seconds or minutes. */
export function duration(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
