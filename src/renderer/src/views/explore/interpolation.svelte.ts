import type { InterpolationResult, LatentMap } from '../../../../shared/api';
import { api } from '../../lib/api';
import { placeOnPcaMap } from '../../lib/pca-path';
import { describeViewError } from '../../lib/plot-view-errors';

/** A product as the pickers show it. */
export interface PickedProduct {
  id: number;
  name: string;
  brand: string;
}

/**
 * The interpolation view's state: the two ends, steps and method, and the last result. One
 * instance for the app (`app.interpolation`), so the result survives switching views and the
 * latent map can draw the same path.
 */
export class InterpolationState {
  from = $state.raw<PickedProduct | null>(null);
  to = $state.raw<PickedProduct | null>(null);
  steps = $state(7);
  method = $state<'linear' | 'slerp'>('linear');
  result = $state.raw<InterpolationResult | null>(null);
  /** The ends the result was computed between (the pickers may have changed since). */
  resultEnds = $state.raw<[PickedProduct, PickedProduct] | null>(null);
  /** The catalog on the first two principal components, and the result's steps on the same axes. */
  backdrop = $state.raw<LatentMap | null>(null);
  pathPoints = $state.raw<{ x: number; y: number }[] | null>(null);
  running = $state(false);
  error = $state<string | null>(null);
  mapError = $state<string | null>(null);

  /** Why the Interpolate button is disabled, or null when it can run. */
  get blocker(): string | null {
    if (!this.from || !this.to) return 'Pick both products.';
    if (this.from.id === this.to.id) return 'Pick two different products.';
    if (!Number.isInteger(this.steps) || this.steps < 2 || this.steps > 50) return 'Steps must be a whole number from 2 to 50.';
    return null;
  }

  async run(): Promise<void> {
    if (this.blocker || !this.from || !this.to) return;
    const ends: [PickedProduct, PickedProduct] = [this.from, this.to];
    this.running = true;
    this.error = null;
    try {
      const result = await api.interpolate({ fromProductId: ends[0].id, toProductId: ends[1].id, steps: this.steps, method: this.method });
      this.result = result;
      this.resultEnds = ends;
      this.pathPoints = null;
      await this.placePath(result);
    } catch (error) {
      this.error = describeViewError(error, 'The interpolation failed');
    } finally {
      this.running = false;
    }
  }

  /** Draws the steps on the PCA map of the catalog (the small map beside the steps). */
  private async placePath(result: InterpolationResult): Promise<void> {
    this.mapError = null;
    try {
      const placed = await placeOnPcaMap(result.steps.map((s) => s.code), result.modelId, this.backdrop);
      this.backdrop = placed.backdrop;
      this.pathPoints = placed.points;
    } catch (error) {
      this.mapError = describeViewError(error, 'The path could not be drawn');
    }
  }
}
