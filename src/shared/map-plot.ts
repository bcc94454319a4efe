/**
 * Pure helpers behind the renderer's latent map and its overlays: text that Plotly renders
 * safely, category colours, and the 2-D density contours. No DOM, no Plotly.
 */

import { sampleSd } from './ml/metrics';

/**
 * Escapes text for Plotly hover labels and trace text. Plotly renders a subset of HTML there
 * (`<b>`, `<br>`, `<a href>`…), so catalog text must never reach it raw; it decodes these
 * entities back to the characters when it draws the label.
 */
export function escapePlotText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens text to `max` characters with an ellipsis (before escaping, so no entity is cut). */
export function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** What a hover label shows for a product: name, brand · category, the first ingredients. */
export interface HoverProduct {
  name: string;
  brand: string;
  category: string;
  topIngredients: readonly string[];
  ingredientCount: number;
}

/**
 * Joins items with ", " into lines of at most `width` characters (an item longer than the
 * width gets a line of its own), so a hover label stays narrow.
 */
export function wrapList(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + 2 + item.length > width) {
      lines.push(`${line},`);
      line = item;
    } else line = line ? `${line}, ${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

/** A product's hover label as Plotly text (escaped; only our own `<b>` and `<br>` are markup). */
export function productHoverText(p: HoverProduct, note = ''): string {
  const items = p.topIngredients.map((i) => truncateText(i, 60));
  if (p.ingredientCount > p.topIngredients.length) items.push(`… (${p.ingredientCount} in all)`);
  const lines = [
    `<b>${escapePlotText(truncateText(p.name || 'Unnamed product', 80))}</b>`,
    escapePlotText(`${truncateText(p.brand || 'No brand', 50)} · ${truncateText(p.category || 'uncategorised', 40)}`),
    ...wrapList(items, 60).map(escapePlotText),
  ];
  if (note) lines.push(escapePlotText(note));
  return lines.join('<br>');
}

/** Ten distinguishable colours (Tableau 10) for the largest categories, in order. */
export const CATEGORY_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#2f4b7c'] as const;
/** The colour of every category past the palette, drawn together as "other categories". */
export const OTHER_CATEGORY_COLOUR = '#b8c0c7';

/**
 * Categories ordered by how many products they hold (most first, ties by name), each with its
 * colour: the ten largest get palette colours, the rest share the "other" colour. Empty
 * category names are listed as "uncategorised".
 */
export function categoryColours(categories: readonly string[]): { category: string; colour: string; count: number; other: boolean }[] {
  const counts = new Map<string, number>();
  for (const c of categories) {
    const name = c || 'uncategorised';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, ca], [b, cb]) => cb - ca || a.localeCompare(b))
    .map(([category, count], i) => ({ category, count, other: i >= CATEGORY_PALETTE.length, colour: CATEGORY_PALETTE[i] ?? OTHER_CATEGORY_COLOUR }));
}

/** "kb:barrier_repair" → "barrier repair (knowledge-based)"; "oil_control" → "oil control". */
export function benefitLabel(name: string): string {
  const knowledge = name.startsWith('kb:');
  const base = (knowledge ? name.slice(3) : name).replace(/_/g, ' ');
  return knowledge ? `${base} (knowledge-based)` : base;
}

/** A density estimate on a regular grid: `z[row][col]` at (`x[col]`, `y[row]`), integrating to 1. */
export interface DensityGrid {
  x: number[];
  y: number[];
  z: number[][];
  /** Gaussian kernel widths along x and y (data units). */
  bandwidth: [number, number];
}

/**
 * A 2-D Gaussian kernel density estimate of the points on a `size` × `size` grid, with Scott's
 * bandwidth per axis (h = sd · n^(−1/6)). Points are linearly binned onto the grid and the bins
 * smoothed by a separable Gaussian: O(n + size² · kernel) instead of O(n · size²), so it stays
 * fast for 10,000 points. The grid extends 3 bandwidths past the data so contours close.
 */
export function kdeGrid(xs: ArrayLike<number>, ys: ArrayLike<number>, size = 64): DensityGrid {
  const n = Math.min(xs.length, ys.length);
  if (n === 0) return { x: [], y: [], z: [], bandwidth: [0, 0] };
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xs[i]!);
    maxX = Math.max(maxX, xs[i]!);
    minY = Math.min(minY, ys[i]!);
    maxY = Math.max(maxY, ys[i]!);
  }
  const scott = Math.pow(n, -1 / 6);
  // A degenerate axis (one point, or all equal) still gets a visible, finite kernel.
  const hx = sampleSd(xs) * scott || (maxX - minX) / 10 || 1;
  const hy = sampleSd(ys) * scott || (maxY - minY) / 10 || 1;
  const x0 = minX - 3 * hx;
  const y0 = minY - 3 * hy;
  const dx = (maxX + 3 * hx - x0) / (size - 1);
  const dy = (maxY + 3 * hy - y0) / (size - 1);
  const bins = new Float64Array(size * size);
  for (let i = 0; i < n; i++) {
    const fx = (xs[i]! - x0) / dx;
    const fy = (ys[i]! - y0) / dy;
    const cx = Math.min(size - 2, Math.floor(fx));
    const cy = Math.min(size - 2, Math.floor(fy));
    const wx = fx - cx;
    const wy = fy - cy;
    bins[cy * size + cx]! += (1 - wx) * (1 - wy);
    bins[cy * size + cx + 1]! += wx * (1 - wy);
    bins[(cy + 1) * size + cx]! += (1 - wx) * wy;
    bins[(cy + 1) * size + cx + 1]! += wx * wy;
  }
  const kernel = (h: number, step: number): Float64Array => {
    const radius = Math.max(1, Math.ceil((4 * h) / step));
    const k = new Float64Array(2 * radius + 1);
    for (let j = -radius; j <= radius; j++) k[j + radius] = Math.exp(-0.5 * ((j * step) / h) ** 2) / (h * Math.sqrt(2 * Math.PI));
    return k;
  };
  const kx = kernel(hx, dx);
  const ky = kernel(hy, dy);
  const rx = (kx.length - 1) / 2;
  const ry = (ky.length - 1) / 2;
  const rows = new Float64Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      let s = 0;
      for (let j = -rx; j <= rx; j++) {
        const cc = c + j;
        if (cc >= 0 && cc < size) s += bins[r * size + cc]! * kx[j + rx]!;
      }
      rows[r * size + c] = s;
    }
  }
  const z: number[][] = [];
  for (let r = 0; r < size; r++) {
    const row: number[] = new Array<number>(size);
    for (let c = 0; c < size; c++) {
      let s = 0;
      for (let j = -ry; j <= ry; j++) {
        const rr = r + j;
        if (rr >= 0 && rr < size) s += rows[rr * size + c]! * ky[j + ry]!;
      }
      row[c] = s / n;
    }
    z.push(row);
  }
  return {
    x: Array.from({ length: size }, (_, c) => x0 + c * dx),
    y: Array.from({ length: size }, (_, r) => y0 + r * dy),
    z,
    bandwidth: [hx, hy],
  };
}

/** The grid's density at (x, y), interpolated bilinearly (0 outside the grid). */
export function densityAt(grid: DensityGrid, x: number, y: number): number {
  const size = grid.x.length;
  if (size < 2) return 0;
  const dx = grid.x[1]! - grid.x[0]!;
  const dy = grid.y[1]! - grid.y[0]!;
  const fx = (x - grid.x[0]!) / dx;
  const fy = (y - grid.y[0]!) / dy;
  if (fx < 0 || fy < 0 || fx > size - 1 || fy > size - 1) return 0;
  const cx = Math.min(size - 2, Math.floor(fx));
  const cy = Math.min(size - 2, Math.floor(fy));
  const wx = fx - cx;
  const wy = fy - cy;
  const z = grid.z;
  return (
    z[cy]![cx]! * (1 - wx) * (1 - wy) + z[cy]![cx + 1]! * wx * (1 - wy) + z[cy + 1]![cx]! * (1 - wx) * wy + z[cy + 1]![cx + 1]! * wx * wy
  );
}

/**
 * Turns densities into "share of the points at least this dense" (highest-density regions):
 * each grid value becomes the share of points whose own density is at or above it. The
 * contour at 0.5 then encloses the densest half of the points, the one at 0.95 the densest
 * 95 %; what lies outside the outer line is empty on this projection.
 */
export function densestShareGrid(grid: DensityGrid, xs: ArrayLike<number>, ys: ArrayLike<number>): number[][] {
  const n = Math.min(xs.length, ys.length);
  const at = new Float64Array(n);
  for (let i = 0; i < n; i++) at[i] = densityAt(grid, xs[i]!, ys[i]!);
  at.sort();
  // share(v) = (points with density ≥ v) / n, by binary search in the sorted densities.
  const share = (v: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return n ? (n - lo) / n : 1;
  };
  return grid.z.map((row) => row.map(share));
}

/** The p-th percentile (0–100) of the values by linear interpolation between order statistics. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}
