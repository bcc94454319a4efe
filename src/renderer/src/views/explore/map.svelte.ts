import type { LatentMap, LatentStatisticsView, MapGenerated, MapProducts, NeighboursResult, WhitespaceResult } from '../../../../shared/api';
import type { ProductDetail } from '../../../../shared/domain';
import { api } from '../../lib/api';
import { describeViewError } from '../../lib/plot-view-errors';
import type { AppState } from '../../state/app.svelte';

export type MapMethod = 'pca' | 'umap';

/** Names a projection: PCA with its components, or UMAP with its seed. */
function projectionKeyOf(p: { method: MapMethod; components: [number, number] | null }, umapSeed: number): string {
  return p.method === 'umap' ? `umap:${umapSeed}` : `pca:${(p.components ?? [0, 1]).join(',')}`;
}
export type MapDragMode = 'zoom' | 'pan' | 'select' | 'lasso';

/** What the side panel shows: a catalog product or a generated candidate. */
export type MapFocus = { kind: 'product'; productId: number } | { kind: 'generated'; runId: number; rank: number };

/**
 * The latent map's state. One instance for the app (`app.map`): the projection, colouring
 * and overlays survive switching views, and are reloaded when the active model changes.
 * Arrays from the services are replaced, never mutated (`$state.raw`).
 */
export class MapState {
  method = $state<MapMethod>('pca');
  /** The UMAP's seed (fixed: the same catalog always gives the same UMAP map). */
  readonly umapSeed = 1;
  components = $state.raw<[number, number]>([0, 1]);
  /** "category", "density" or "benefit:<name>". */
  colourBy = $state('category');
  showContours = $state(true);
  showOutliers = $state(true);
  outlierCount = $state(10);
  showGenerated = $state(true);
  showPath = $state(true);
  dragmode = $state<MapDragMode>('zoom');

  /** The model everything below belongs to. */
  modelId = $state<number | null>(null);
  statistics = $state.raw<LatentStatisticsView | null>(null);
  products = $state.raw<MapProducts | null>(null);
  map = $state.raw<LatentMap | null>(null);
  sparsest = $state.raw<WhitespaceResult['sparsest']>([]);
  generated = $state.raw<MapGenerated | null>(null);
  /** The interpolation result's steps on the map, and which result they belong to. */
  path = $state.raw<{ x: number; y: number }[] | null>(null);
  private pathSource: unknown = null;
  /** The projection the path was placed with (`projectionKey`). */
  pathProjection = $state('');

  focus = $state.raw<MapFocus | null>(null);
  detail = $state.raw<ProductDetail | null>(null);
  neighbours = $state.raw<NeighboursResult | null>(null);
  focusError = $state<string | null>(null);
  /** Products picked with the box or lasso. */
  group = $state.raw<number[]>([]);
  /** Bumped to make Plotly drop the selection the user drew (Plotly's `selectionrevision`). */
  selectionRevision = $state(0);
  /** True from loading until the map's first draw, which is measured (`map:first-render`). */
  firstRenderPending = false;

  loading = $state(false);
  projecting = $state(false);
  error = $state<string | null>(null);
  overlayError = $state<string | null>(null);
  private focusRequest = 0;
  private projectionRequest = 0;

  constructor(private readonly app: AppState) {}

  /** Opens the map for the active model: loads everything the first time, refreshes overlays after. */
  async open(): Promise<void> {
    const active = this.app.catalog.status?.activeModel;
    if (!active) return;
    if (this.modelId !== active.id || !this.map) {
      await this.load(active.id);
      return;
    }
    await Promise.all([this.loadGenerated(), this.loadPath()]);
  }

  private async load(modelId: number): Promise<void> {
    this.loading = true;
    this.error = null;
    this.overlayError = null;
    this.modelId = modelId;
    this.focus = null;
    this.detail = null;
    this.neighbours = null;
    this.group = [];
    this.generated = null;
    this.path = null;
    this.pathSource = null;
    performance.clearMarks('map:requested');
    performance.mark('map:requested');
    this.firstRenderPending = true;
    try {
      const [statistics, products] = await Promise.all([api.latentStatistics(), api.mapProducts()]);
      if (this.components.some((c) => c >= statistics.latentDim)) this.components = [0, 1];
      this.statistics = statistics;
      this.products = products;
      if (this.colourBy.startsWith('benefit:') && !products.benefitNames.includes(this.colourBy.slice(8))) this.colourBy = 'category';
      await Promise.all([this.project(), this.loadOutliers()]);
    } catch (error) {
      this.error = describeViewError(error, 'The map could not be loaded');
    } finally {
      this.loading = false;
    }
  }

  /** Computes the 2-D positions for the current method and components (UMAP through the activity bar). */
  async project(): Promise<void> {
    const id = ++this.projectionRequest;
    this.projecting = true;
    this.error = null;
    try {
      const args = { method: this.method, components: this.components, seed: this.umapSeed } as const;
      const map = this.method === 'umap' ? await this.app.track(() => api.latentMap(args)) : await api.latentMap(args);
      if (id !== this.projectionRequest) return;
      this.map = map;
      await Promise.all([this.loadGenerated(), this.loadPath()]);
    } catch (error) {
      if (id === this.projectionRequest) {
        this.error = describeViewError(error, this.method === 'umap' ? 'The UMAP projection failed' : 'The map could not be projected');
        // The controls go back to what the map still shows (e.g. after Cancel).
        if (this.map) {
          this.method = this.map.method;
          if (this.map.components) this.components = this.map.components;
        }
      }
    } finally {
      if (id === this.projectionRequest) this.projecting = false;
    }
  }

  /** The k sparsest products in latent space (the outlier rings). */
  async loadOutliers(): Promise<void> {
    const k = this.outlierCount;
    if (!Number.isInteger(k) || k < 1 || k > 500) {
      this.overlayError = 'Outliers: give a whole number of products from 1 to 500.';
      return;
    }
    this.overlayError = null;
    try {
      this.sparsest = (await api.whitespace({ k })).sparsest;
    } catch (error) {
      this.overlayError = describeViewError(error, 'The outliers could not be found');
    }
  }

  /** Which projection the map shows: overlays placed with another one are not drawn on it. */
  get projectionKey(): string {
    return this.map ? projectionKeyOf(this.map, this.umapSeed) : '';
  }

  /** True when the latest run's candidates were placed with the projection the map shows. */
  get generatedOnMap(): boolean {
    return !!this.generated && !!this.map && projectionKeyOf(this.generated, this.umapSeed) === this.projectionKey;
  }

  /** True when the interpolation path was placed with the projection the map shows. */
  get pathOnMap(): boolean {
    return !!this.path && !!this.map && this.pathProjection === this.projectionKey;
  }

  /** The latest generate run's best candidates, on the map shown (PCA, or placed by the UMAP's transform). */
  async loadGenerated(): Promise<void> {
    if (!this.map) return;
    try {
      this.generated = await api.mapGenerated({ method: this.map.method, components: this.map.components ?? this.components, seed: this.umapSeed, limit: 50 });
    } catch (error) {
      this.generated = null;
      this.overlayError = describeViewError(error, 'The generated candidates could not be placed');
    }
  }

  /** The interpolation view's latest path, placed on the map shown. */
  async loadPath(): Promise<void> {
    const result = this.app.interpolation.result;
    const shown = this.map;
    if (!result || result.modelId !== this.modelId || !shown) {
      this.path = null;
      this.pathSource = null;
      return;
    }
    const key = this.projectionKey;
    if (this.pathSource === result && this.path && this.pathProjection === key) return;
    try {
      const projected = await api.projectCodes({ codes: result.steps.map((s) => s.code), method: shown.method, components: shown.components ?? this.components, seed: this.umapSeed });
      this.path = projected.points;
      this.pathSource = result;
      this.pathProjection = key;
    } catch (error) {
      this.path = null;
      this.overlayError = describeViewError(error, 'The interpolation path could not be placed');
    }
  }

  /** Shows a product (or a generated candidate) in the side panel with its nearest neighbours. */
  async show(focus: MapFocus): Promise<void> {
    const id = ++this.focusRequest;
    this.focus = focus;
    this.focusError = null;
    this.detail = null;
    this.neighbours = null;
    try {
      if (focus.kind === 'product') {
        const [detail, neighbours] = await Promise.all([api.getProduct({ id: focus.productId }), api.neighbours({ productId: focus.productId, k: 10 })]);
        if (id !== this.focusRequest) return;
        this.detail = detail;
        this.neighbours = neighbours;
      } else {
        const neighbours = await api.neighbours({ candidate: { runId: focus.runId, rank: focus.rank }, k: 10 });
        if (id !== this.focusRequest) return;
        this.neighbours = neighbours;
      }
    } catch (error) {
      if (id === this.focusRequest) this.focusError = describeViewError(error, 'The neighbours could not be found');
    }
  }

  clearGroup(): void {
    this.group = [];
    this.selectionRevision++;
  }

  clearFocus(): void {
    this.focusRequest++;
    this.focus = null;
    this.detail = null;
    this.neighbours = null;
    this.focusError = null;
  }
}
