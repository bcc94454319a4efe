import type { Data, Layout } from 'plotly.js-dist-min';
import type { MapGenerated, MapProduct } from '../../../../shared/api';
import { benefitLabel, categoryColours, densestShareGrid, escapePlotText, kdeGrid, OTHER_CATEGORY_COLOUR, productHoverText, truncateText } from '../../../../shared/map-plot';

/**
 * Builds the latent map's Plotly traces from plain data. Products are WebGL markers
 * (scattergl) when WebGL is available; every overlay is drawn in the same layer after them, so
 * it stays visible on top of 10,000 points.
 *
 * `customdata` tells what a point is: a product id (number), `g:<runId>:<rank>` for a generated
 * candidate, `s:<index>` for an interpolation step.
 */

export interface MapPoint {
  productId: number;
  x: number;
  y: number;
}

/** What the map is coloured by: category, latent density, or one benefit score. */
export type MapColouring = { kind: 'category' } | { kind: 'density' } | { kind: 'benefit'; name: string };

/** Parses the colour select's value: "category", "density" or "benefit:<name>". */
export function parseColouring(value: string): MapColouring {
  if (value === 'density') return { kind: 'density' };
  if (value.startsWith('benefit:')) return { kind: 'benefit', name: value.slice('benefit:'.length) };
  return { kind: 'category' };
}

/** The share levels drawn as contour lines: the densest 50 %, 80 % and 95 % of products. */
export const CONTOUR_LEVELS = [0.5, 0.8, 0.95] as const;

const CONTOUR_COLOUR = '#56636e';

const scatterType = (gl: boolean) => (gl ? 'scattergl' : 'scatter') as 'scattergl';

/** Products joined to their map positions (products without a position are left out). */
export function placeProducts(points: readonly MapPoint[], products: readonly MapProduct[]): { product: MapProduct; x: number; y: number }[] {
  const byId = new Map(products.map((p) => [p.productId, p]));
  const out: { product: MapProduct; x: number; y: number }[] = [];
  for (const pt of points) {
    const product = byId.get(pt.productId);
    if (product) out.push({ product, x: pt.x, y: pt.y });
  }
  return out;
}

/**
 * Product markers: one trace per category colour (the legend doubles as a filter), or one
 * trace coloured by a number with a grey trace for products that have no value.
 */
export function productTraces(
  placed: readonly { product: MapProduct; x: number; y: number }[],
  colouring: MapColouring,
  group: ReadonlySet<number>,
  gl: boolean,
): Data[] {
  const common = (items: readonly { product: MapProduct; x: number; y: number }[]) => ({
    type: scatterType(gl),
    mode: 'markers' as const,
    x: items.map((p) => p.x),
    y: items.map((p) => p.y),
    customdata: items.map((p) => p.product.productId),
    text: items.map((p) => productHoverText(p.product)),
    hovertemplate: '%{text}<extra></extra>',
    // Selected points stay solid, the rest fade; no group: nothing fades.
    selectedpoints: group.size ? items.flatMap((p, i) => (group.has(p.product.productId) ? [i] : [])) : null,
    selected: { marker: { opacity: 1 } },
    unselected: { marker: { opacity: 0.12 } },
  });
  if (colouring.kind === 'category') {
    const colours = categoryColours(placed.map((p) => p.product.category));
    const colourOf = new Map(colours.map((c) => [c.category, c]));
    const named = colours.filter((c) => !c.other);
    const others = colours.filter((c) => c.other);
    const traces: Data[] = named.map((c) => {
      const items = placed.filter((p) => (p.product.category || 'uncategorised') === c.category);
      return { ...common(items), name: `${escapePlotText(truncateText(c.category, 30))} (${c.count})`, marker: { color: c.colour, size: 6, opacity: 0.8 } } as Data;
    });
    if (others.length) {
      const items = placed.filter((p) => colourOf.get(p.product.category || 'uncategorised')?.other);
      traces.push({ ...common(items), name: `${others.length} other categories (${items.length})`, marker: { color: OTHER_CATEGORY_COLOUR, size: 6, opacity: 0.8 } } as Data);
    }
    return traces;
  }
  const valueOf = (p: MapProduct): number | undefined => (colouring.kind === 'density' ? p.logDensity : p.benefits[colouring.name]);
  const scored = placed.filter((p) => Number.isFinite(valueOf(p.product)));
  const missing = placed.filter((p) => !Number.isFinite(valueOf(p.product)));
  const title = colouring.kind === 'density' ? 'log density<br>(latent KDE)' : escapePlotText(benefitLabel(colouring.name)).replace(' (', '<br>(');
  const traces: Data[] = [
    {
      ...common(scored),
      name: colouring.kind === 'density' ? 'latent density' : escapePlotText(benefitLabel(colouring.name)),
      showlegend: false,
      marker: {
        color: scored.map((p) => valueOf(p.product)!),
        colorscale: 'Viridis',
        size: 6,
        opacity: 0.85,
        showscale: true,
        colorbar: { title: { text: title }, thickness: 12, len: 0.8 },
      },
    } as Data,
  ];
  if (missing.length) traces.push({ ...common(missing), name: `no score (${missing.length})`, marker: { color: OTHER_CATEGORY_COLOUR, size: 5, opacity: 0.6 } } as Data);
  return traces;
}

/**
 * Contour lines of the points' 2-D density as drawn, at the densest 50 %, 80 % and 95 % of
 * products. They describe the projection, not the full latent space: two products close on
 * the map can be far apart in latent space.
 */
export function contourTraces(xs: readonly number[], ys: readonly number[]): Data[] {
  if (xs.length < 3) return [];
  const grid = kdeGrid(xs, ys, 64);
  const share = densestShareGrid(grid, xs, ys);
  return CONTOUR_LEVELS.map(
    (level, i) =>
      ({
        type: 'contour',
        x: grid.x,
        y: grid.y,
        z: share,
        name: `densest ${Math.round(level * 100)} %`,
        showlegend: true,
        showscale: false,
        hoverinfo: 'skip',
        autocontour: false,
        contours: { start: level, end: level, size: 1, coloring: 'lines', showlabels: false },
        // With 'lines' colouring Plotly takes line colours from the colour scale: make it one grey.
        colorscale: [
          [0, CONTOUR_COLOUR],
          [1, CONTOUR_COLOUR],
        ],
        line: { color: CONTOUR_COLOUR, width: 1.2, dash: (['solid', 'dash', 'dot'] as const)[i], smoothing: 0.8 },
      }) as Data,
  );
}

/** Red rings around the sparsest products (latent-space KDE, not the 2-D picture). */
export function outlierTrace(placed: readonly { product: MapProduct; x: number; y: number }[], sparsest: readonly number[], gl: boolean): Data | null {
  const rank = new Map(sparsest.map((id, i) => [id, i + 1]));
  const items = placed.filter((p) => rank.has(p.product.productId));
  if (!items.length) return null;
  return {
    type: scatterType(gl),
    mode: 'markers',
    name: `${items.length} sparsest (outliers)`,
    x: items.map((p) => p.x),
    y: items.map((p) => p.y),
    customdata: items.map((p) => p.product.productId),
    text: items.map((p) => productHoverText(p.product, `Outlier: sparsest no. ${rank.get(p.product.productId)} in latent space`)),
    hovertemplate: '%{text}<extra></extra>',
    marker: { symbol: 'circle-open', size: 15, color: '#c0392b', line: { width: 2, color: '#c0392b' } },
  } as Data;
}

/** Black diamonds: a generate run's best passing candidates (PCA maps only). */
export function generatedTrace(run: MapGenerated, gl: boolean): Data | null {
  if (!run.points.length) return null;
  return {
    type: scatterType(gl),
    mode: 'markers',
    name: `generated, run ${run.runId} (${run.points.length})`,
    x: run.points.map((p) => p.x),
    y: run.points.map((p) => p.y),
    customdata: run.points.map((p) => `g:${run.runId}:${p.rank}`),
    text: run.points.map((p) =>
      productHoverText(
        { name: `Generated candidate, rank ${p.rank}`, brand: `run ${run.runId}`, category: p.score === null ? 'candidate' : `score ${p.score.toFixed(3)}`, topIngredients: p.ingredients, ingredientCount: p.ingredientCount },
      ),
    ),
    hovertemplate: '%{text}<extra></extra>',
    marker: { symbol: 'diamond', size: 9, color: '#1d232a', line: { width: 1, color: '#ffffff' } },
  } as Data;
}

/** The interpolation path: orange line through the steps, start and end marked. */
export function pathTrace(points: readonly { x: number; y: number }[], steps: readonly { t: number; ingredients: readonly string[] }[], gl: boolean): Data | null {
  if (points.length < 2) return null;
  return {
    type: scatterType(gl),
    mode: 'lines+markers',
    name: 'interpolation path',
    x: points.map((p) => p.x),
    y: points.map((p) => p.y),
    customdata: points.map((_, i) => `s:${i}`),
    text: points.map((_, i) =>
      productHoverText({ name: `Step ${i + 1} of ${points.length} (t = ${(steps[i]?.t ?? 0).toFixed(2)})`, brand: 'interpolation', category: 'decoded', topIngredients: (steps[i]?.ingredients ?? []).slice(0, 5), ingredientCount: steps[i]?.ingredients.length ?? 0 }),
    ),
    hovertemplate: '%{text}<extra></extra>',
    line: { color: '#d35400', width: 3 },
    marker: { size: points.map((_, i) => (i === 0 || i === points.length - 1 ? 13 : 8)), color: '#d35400', symbol: points.map((_, i) => (i === 0 ? 'square' : i === points.length - 1 ? 'triangle-up' : 'circle')) },
  } as Data;
}

/** A black ring around the point shown in the side panel. */
export function focusTrace(x: number, y: number, gl: boolean): Data {
  return {
    type: scatterType(gl),
    mode: 'markers',
    name: 'selected',
    showlegend: false,
    hoverinfo: 'skip',
    x: [x],
    y: [y],
    marker: { symbol: 'circle-open', size: 22, color: '#000000', line: { width: 3, color: '#000000' } },
  } as Data;
}

/** The map's layout: axis titles, the drag mode, and revisions that keep zoom (and the drawn selection) across updates. */
export function mapLayout(axisTitles: [string, string], dragmode: 'zoom' | 'pan' | 'select' | 'lasso', uirevision: string, selectionRevision: number): Partial<Layout> {
  return {
    dragmode,
    hovermode: 'closest',
    uirevision,
    // A new value drops the box or lasso the user drew; the trace's selectedpoints then rule.
    selectionrevision: selectionRevision,
    // scattergl keeps the pixel positions that box/lasso selection tests only when drawn in a
    // select mode, and Plotly.react does not redraw for a new dragmode: without a full redraw
    // on entering or leaving select/lasso, selecting throws inside Plotly (xpx is null).
    datarevision: dragmode === 'select' || dragmode === 'lasso' ? 'selecting' : 'viewing',
    xaxis: { title: { text: escapePlotText(axisTitles[0]) }, zeroline: false },
    yaxis: { title: { text: escapePlotText(axisTitles[1]) }, zeroline: false },
    legend: { orientation: 'h', x: 0, y: 1.01, yanchor: 'bottom', font: { size: 11 } },
    margin: { l: 55, r: 10, t: 60, b: 45 },
    plot_bgcolor: '#ffffff',
    paper_bgcolor: '#ffffff',
  };
}

/** Product ids picked by a click or a selection (products and outlier rings), without repeats. */
export function productIdsOf(points: readonly { customdata?: unknown }[]): number[] {
  return [...new Set(points.map((p) => p.customdata).filter((c): c is number => typeof c === 'number'))];
}
