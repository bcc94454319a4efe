import type { Component } from 'svelte';
import type { AppState } from '../state/app.svelte';
import BriefsView from './briefs/BriefsView.svelte';
import ShortlistView from './candidates/ShortlistView.svelte';
import CatalogView from './catalog/CatalogView.svelte';
import DataView from './database/DataView.svelte';
import EditorView from './editor/EditorView.svelte';
import DiagnosticsView from './explore/DiagnosticsView.svelte';
import InterpolationView from './explore/InterpolationView.svelte';
import MapView from './explore/MapView.svelte';
import GenerateView from './generate/GenerateView.svelte';
import LabView from './lab/LabView.svelte';
import ModelView from './models/ModelView.svelte';
import OptimizeView from './optimize/OptimizeView.svelte';

/** A view's component: every view takes the app state and reads its own state from it. */
export type ViewComponent = Component<{ app: AppState }>;

/** One entry of the navigation: what it is called and the component that draws it. */
export interface ViewEntry<Id extends string = string> {
  readonly id: Id;
  readonly label: string;
  readonly component: ViewComponent;
  /** Shown even while the catalog is empty (restoring a backup is how an empty database is refilled). */
  readonly withoutCatalog: boolean;
}

const entry = <Id extends string>(id: Id, label: string, component: ViewComponent, withoutCatalog = false): ViewEntry<Id> => ({ id, label, component, withoutCatalog });

/** The views of the app, in the order the navigation shows them. */
export const VIEWS = [
  entry('catalog', 'Catalog', CatalogView),
  entry('map', 'Latent map', MapView),
  entry('model', 'Model', ModelView),
  entry('diagnostics', 'Diagnostics', DiagnosticsView),
  entry('briefs', 'Briefs', BriefsView),
  entry('generate', 'Generate', GenerateView),
  entry('editor', 'Editor', EditorView),
  entry('shortlist', 'Shortlist', ShortlistView),
  entry('interpolate', 'Interpolation', InterpolationView),
  entry('optimize', 'Optimise', OptimizeView),
  entry('lab', 'Lab & BO', LabView),
  entry('data', 'Data & backups', DataView, true),
] as const;

/** The id of a view, as `app.go(…)` takes it. */
export type ViewId = (typeof VIEWS)[number]['id'];

/** The entry of a view. */
export function viewEntry(id: ViewId): ViewEntry<ViewId> {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[0];
}
