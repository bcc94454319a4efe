import type { Page } from 'playwright-core';

/**
 * Where the latent map's product points are on the page, for tests that hover or click them.
 * Reads Plotly's internals (pixel positions only); this file is typechecked without the DOM library.
 */

/** The map's Plotly graph div: Plotly's internals, used for pixel positions only. */
export interface GraphDiv {
  getBoundingClientRect(): { left: number; top: number };
  _fullLayout: { xaxis: { _offset: number; l2p: (v: number) => number }; yaxis: { _offset: number; l2p: (v: number) => number } };
  _fullData: { type: string; x: ArrayLike<number>; y: ArrayLike<number>; customdata?: unknown[] }[];
}

/** A product point on the map, in page pixels. */
export interface PlotPoint {
  id: number;
  px: number;
  py: number;
}

/** Every product point on the map (first occurrence: the product traces come before the overlays), in page pixels. */
export function productPixels(page: Page): Promise<PlotPoint[]> {
  return page.evaluate(() => {
    const gd = (globalThis as unknown as { document: { querySelector(selector: string): unknown } }).document.querySelector('[data-testid=map-plot] .js-plotly-plot') as GraphDiv;
    const { xaxis: xa, yaxis: ya } = gd._fullLayout;
    const box = gd.getBoundingClientRect();
    const seen = new Map<number, PlotPoint>();
    for (const t of gd._fullData) {
      if (t.type !== 'scattergl' || !t.customdata) continue;
      t.customdata.forEach((c, i) => {
        if (typeof c === 'number' && !seen.has(c)) seen.set(c, { id: c, px: box.left + xa._offset + xa.l2p(t.x[i]!), py: box.top + ya._offset + ya.l2p(t.y[i]!) });
      });
    }
    return [...seen.values()];
  });
}

/** The pixel distance from a point to its nearest other point. */
export function isolation(p: PlotPoint, all: PlotPoint[]): number {
  return Math.min(...all.filter((q) => q.id !== p.id).map((q) => Math.hypot(q.px - p.px, q.py - p.py)));
}

/** The point farthest from any other: a click on it cannot land on a neighbour. */
export function mostIsolated(points: PlotPoint[]): PlotPoint {
  return points.reduce((best, p) => (isolation(p, points) > isolation(best, points) ? p : best));
}
