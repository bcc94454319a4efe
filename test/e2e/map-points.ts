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

/** Frame intervals (ms) summarised. */
export interface FrameSummary {
  frames: number;
  p50: number;
  p95: number;
  max: number;
}

export interface MapInteraction {
  /** The page's own `map:first-render` measure: data in hand to the plot drawn. */
  firstRenderMs: number;
  idle: FrameSummary;
  hover: FrameSummary;
  zoom: FrameSummary;
  relayout: FrameSummary;
}

/**
 * Frame intervals on the open map while idle, during a hover sweep at mouse speed, a scroll-wheel
 * zoom in and out, and a box zoom followed by "Reset axes". Page code is passed as strings: it
 * runs in the browser, where this file's Node types do not apply.
 */
export async function measureMapInteraction(page: Page): Promise<MapInteraction> {
  const firstRenderMs = (await page.evaluate(`performance.getEntriesByName('map:first-render')[0].duration`)) as number;
  const box = (await page.locator('[data-testid=map-plot] .nsewdrag').first().boundingBox())!;
  const record = () =>
    page.evaluate(`(() => {
      window.__frames = []; window.__recording = true; let last = 0;
      const tick = (t) => { if (last) window.__frames.push(t - last); last = t; if (window.__recording) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
  const stop = async (): Promise<FrameSummary> => {
    const frames = (await page.evaluate(`(() => { window.__recording = false; return window.__frames; })()`)) as number[];
    const sorted = [...frames].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
    return { frames: frames.length, p50: Math.round(at(50)), p95: Math.round(at(95)), max: Math.round(sorted.at(-1) ?? 0) };
  };

  await record();
  await page.waitForTimeout(1000);
  const idle = await stop();

  // A hover sweep across the plot at mouse speed: 120 moves, one per 16 ms.
  await record();
  for (let i = 0; i < 120; i++) {
    await page.mouse.move(box.x + 20 + ((box.width - 40) * i) / 119, box.y + box.height / 2 + Math.sin(i / 9) * box.height * 0.3);
    await page.waitForTimeout(16);
  }
  const hover = await stop();

  // Scroll-wheel zoom in and out (each step is a relayout and a redraw of every point).
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await record();
  for (let i = 0; i < 16; i++) {
    await page.mouse.wheel(0, i < 8 ? -120 : 120);
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(300);
  const zoom = await stop();

  // Drag a zoom box, then reset the axes from the mode bar (a double-click could land on a point).
  await record();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 20 });
  await page.mouse.up();
  await page.waitForTimeout(400);
  await page.locator('[data-testid=map-plot] .modebar-btn[data-title="Reset axes"]').click();
  await page.waitForTimeout(600);
  const relayout = await stop();
  return { firstRenderMs, idle, hover, zoom, relayout };
}
