/**
 * Loads Plotly on first use, as its own chunk, so the first screen does not wait for ~5 MB of
 * charting code.
 *
 * The strict build, not plotly.js-dist-min: our Content-Security-Policy has no 'unsafe-eval',
 * and the regular bundle's WebGL traces (scattergl, through regl) compile their draw calls with
 * `new Function`. Under the CSP Chromium refuses that and Plotly falls back to "WebGL is not
 * supported"; the strict build ships the same API with code generation done ahead of time.
 */
type PlotlyModule = typeof import('plotly.js-strict-dist-min').default;

let loading: Promise<PlotlyModule> | null = null;

export function loadPlotly(): Promise<PlotlyModule> {
  loading ??= import('plotly.js-strict-dist-min').then((m) => m.default).catch((error: unknown) => {
    loading = null; // let a later attempt retry
    throw error;
  });
  return loading;
}

/** True when the page can draw WebGL (scattergl); otherwise the map falls back to SVG markers. */
export function webglAvailable(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return !!(canvas.getContext('webgl') ?? canvas.getContext('experimental-webgl'));
  } catch {
    return false;
  }
}
