import type { Data, Layout } from 'plotly.js-dist-min';
import type { LatentStatisticsView, SensitivityReport } from '../../../../shared/api';

/**
 * The diagnostics view's figures, built from plain data. Dimensions are labelled "z1"… (1-based,
 * as people count), and every sensitivity figure keeps the report's order: most sensitive first.
 */

export const dimensionLabel = (d: number): string => `z${d + 1}`;

/** Variance of each dimension (bars, dimension order) and, when known, its KL from the model's metrics. */
export function varianceFigure(stats: LatentStatisticsView, klPerDimension: readonly number[]): { data: Data[]; layout: Partial<Layout> } {
  const x = stats.variance.map((_, d) => dimensionLabel(d));
  const data: Data[] = [{ type: 'bar', name: 'variance of the code', x, y: stats.variance, marker: { color: '#4e79a7' }, hovertemplate: '%{x}: variance %{y:.3f}<extra></extra>' }];
  if (klPerDimension.length === stats.variance.length) {
    data.push({ type: 'scatter', mode: 'lines+markers', name: 'KL (nats, right axis)', x, y: [...klPerDimension], yaxis: 'y2', marker: { color: '#e15759', size: 5 }, line: { color: '#e15759', width: 1 }, hovertemplate: '%{x}: KL %{y:.3f} nats<extra></extra>' });
  }
  return {
    data,
    layout: {
      barmode: 'group',
      xaxis: { title: { text: 'latent dimension' }, type: 'category', tickfont: { size: 10 } },
      yaxis: { title: { text: 'variance over the catalog' } },
      // tickmode 'auto': Plotly would otherwise align these ticks to the left axis's grid (odd values).
      yaxis2: { title: { text: 'KL (nats)' }, overlaying: 'y', side: 'right', showgrid: false, tickmode: 'auto', rangemode: 'tozero' },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      margin: { l: 55, r: 55, t: 30, b: 45 },
    },
  };
}

/** Mean ingredients changed per dimension, resampled from N(0, 1) and from the catalog, most sensitive first. */
export function sensitivityFigure(report: SensitivityReport): { data: Data[]; layout: Partial<Layout> } {
  const x = report.dimensions.map((d) => dimensionLabel(d.dimension));
  return {
    data: [
      { type: 'bar', name: 'resampled from N(0, 1)', x, y: report.dimensions.map((d) => d.sensitivityNormal), marker: { color: '#4e79a7' }, hovertemplate: '%{x}: %{y:.2f} ingredients<extra>N(0, 1)</extra>' },
      { type: 'bar', name: 'resampled from the catalog', x, y: report.dimensions.map((d) => d.sensitivityEmpirical), marker: { color: '#f28e2b' }, hovertemplate: '%{x}: %{y:.2f} ingredients<extra>catalog</extra>' },
    ],
    layout: {
      barmode: 'group',
      xaxis: { title: { text: 'latent dimension, most sensitive first' }, type: 'category', categoryorder: 'array', categoryarray: x, tickfont: { size: 10 } },
      yaxis: { title: { text: 'ingredients changed (mean)' } },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      margin: { l: 55, r: 20, t: 30, b: 45 },
    },
  };
}

/**
 * Seed 000's correlation-vs-sensitivity plot: for each dimension (most sensitive first) a box of
 * its correlations with every other dimension, with its sensitivity on the right axis. A
 * sensitive dimension that correlates strongly with others carries shared, not separate, meaning.
 */
export function correlationFigure(report: SensitivityReport): { data: Data[]; layout: Partial<Layout> } {
  const labels = report.dimensions.map((d) => dimensionLabel(d.dimension));
  return {
    data: [
      {
        type: 'box',
        name: 'correlations with the other dimensions',
        x: report.dimensions.flatMap((d, i) => d.correlations.map(() => labels[i]!)),
        y: report.dimensions.flatMap((d) => d.correlations),
        marker: { color: '#59a14f', size: 3 },
        line: { width: 1 },
        boxpoints: 'outliers',
        hoverinfo: 'y',
      },
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: 'sensitivity, N(0, 1) (right axis)',
        x: labels,
        y: report.dimensions.map((d) => d.sensitivityNormal),
        yaxis: 'y2',
        marker: { color: '#4e79a7', size: 5 },
        line: { color: '#4e79a7', width: 1.5 },
        hovertemplate: '%{x}: %{y:.2f} ingredients<extra></extra>',
      },
    ],
    layout: {
      xaxis: { title: { text: 'latent dimension, most sensitive first' }, type: 'category', categoryorder: 'array', categoryarray: labels, tickfont: { size: 10 } },
      yaxis: { title: { text: 'Pearson correlation' }, range: [-1, 1], zeroline: true },
      yaxis2: { title: { text: 'ingredients changed' }, overlaying: 'y', side: 'right', showgrid: false, tickmode: 'auto', rangemode: 'tozero' },
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
      margin: { l: 55, r: 55, t: 30, b: 45 },
    },
  };
}
