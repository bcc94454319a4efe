import { describe, expect, it } from 'vitest';
import {
  CATEGORY_PALETTE,
  OTHER_CATEGORY_COLOUR,
  benefitLabel,
  categoryColours,
  densestShareGrid,
  densityAt,
  escapePlotText,
  kdeGrid,
  percentile,
  productHoverText,
  truncateText,
  wrapList,
} from '../../src/shared/map-plot';

describe('text for Plotly', () => {
  it('escapes the characters Plotly would read as markup', () => {
    expect(escapePlotText('<img src=x onerror="a&b">')).toBe('&lt;img src=x onerror="a&amp;b"&gt;');
    expect(escapePlotText('Rosehip & Oat <b>')).toBe('Rosehip &amp; Oat &lt;b&gt;');
    expect(escapePlotText('&lt;')).toBe('&amp;lt;');
  });

  it('builds a hover label whose only markup is its own', () => {
    const text = productHoverText({ name: '<script>x</script>', brand: 'A&B', category: '', topIngredients: ['Water', 'Glycerin'], ingredientCount: 7 });
    expect(text).toBe('<b>&lt;script&gt;x&lt;/script&gt;</b><br>A&amp;B · uncategorised<br>Water, Glycerin, … (7 in all)');
  });

  it('wraps a long ingredient list into short lines', () => {
    expect(wrapList(['Water', 'Glycerin', 'Caprylic/Capric Triglyceride', 'Niacinamide'], 30)).toEqual(['Water, Glycerin,', 'Caprylic/Capric Triglyceride,', 'Niacinamide']);
    expect(wrapList(['A very long ingredient name indeed'], 10)).toEqual(['A very long ingredient name indeed']);
    expect(wrapList([], 10)).toEqual([]);
  });

  it('truncates before escaping, so an entity is never cut', () => {
    expect(truncateText('abcdef', 4)).toBe('abc…');
    expect(truncateText('abc', 4)).toBe('abc');
    expect(productHoverText({ name: '&'.repeat(100), brand: 'b', category: 'c', topIngredients: [], ingredientCount: 0 })).toMatch(/^<b>(&amp;){79}…<\/b>/);
  });

  it('names benefits as people read them', () => {
    expect(benefitLabel('kb:barrier_repair')).toBe('barrier repair (knowledge-based)');
    expect(benefitLabel('oil_control')).toBe('oil control');
    expect(benefitLabel('Dry')).toBe('Dry');
  });
});

describe('category colours', () => {
  it('gives the ten largest categories palette colours and the rest the "other" colour', () => {
    const categories = ['l', 'k', ...'abcdefghij'.split('').flatMap((c, i) => Array<string>(20 - i).fill(c)), ''];
    const colours = categoryColours(categories);
    expect(colours.map((c) => c.category)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'uncategorised']);
    expect(colours[0]).toEqual({ category: 'a', count: 20, colour: CATEGORY_PALETTE[0], other: false });
    expect(colours[9]).toEqual({ category: 'j', count: 11, colour: CATEGORY_PALETTE[9], other: false });
    expect(colours.slice(10).map((c) => [c.colour, c.other, c.count])).toEqual([
      [OTHER_CATEGORY_COLOUR, true, 1],
      [OTHER_CATEGORY_COLOUR, true, 1],
      [OTHER_CATEGORY_COLOUR, true, 1],
    ]);
  });
});

describe('2-D density contours', () => {
  // Four points at (±1, ±1): sample sd √(4/3) on each axis, Scott's h = sd · 4^(−1/6) = 0.916486.
  const xs = [-1, -1, 1, 1];
  const ys = [-1, 1, -1, 1];

  it("uses Scott's bandwidth and integrates to 1", () => {
    const grid = kdeGrid(xs, ys, 64);
    expect(grid.bandwidth[0]).toBeCloseTo(0.916486, 5);
    expect(grid.bandwidth[1]).toBeCloseTo(0.916486, 5);
    expect(grid.x[0]).toBeCloseTo(-1 - 3 * 0.916486, 5);
    expect(grid.x[63]).toBeCloseTo(1 + 3 * 0.916486, 5);
    const cell = (grid.x[1]! - grid.x[0]!) * (grid.y[1]! - grid.y[0]!);
    const mass = grid.z.flat().reduce((a, b) => a + b, 0) * cell;
    // Mass beyond 3 bandwidths of the outer points is cut off: about 0.3 %.
    expect(mass).toBeGreaterThan(0.99);
    expect(mass).toBeLessThanOrEqual(1.0001);
  });

  it('matches the exact Gaussian KDE within 1 % at the centre and at a point', () => {
    const grid = kdeGrid(xs, ys, 64);
    // Exact: f(0,0) = φ_h(1)² = 0.0576127; f(1,1) = (φ_h(0)² + 2 φ_h(0) φ_h(2) + φ_h(2)²) / 4 = 0.0565341.
    expect(densityAt(grid, 0, 0) / 0.0576127).toBeCloseTo(1, 2);
    expect(densityAt(grid, 1, 1) / 0.0565341).toBeCloseTo(1, 2);
    expect(densityAt(grid, 100, 0)).toBe(0);
  });

  it('keeps a degenerate axis finite', () => {
    const grid = kdeGrid([2, 2, 2], [0, 1, 2], 16);
    expect(grid.bandwidth[0]).toBe(1);
    expect(grid.z.flat().every(Number.isFinite)).toBe(true);
  });

  it('turns densities into the share of points at least as dense (highest-density regions)', () => {
    // A tight cluster of 19 points and one far outlier.
    const cx = [...Array.from({ length: 19 }, (_, i) => Math.cos(i) * 0.3), 6];
    const cy = [...Array.from({ length: 19 }, (_, i) => Math.sin(i * 1.7) * 0.3), 6];
    const grid = kdeGrid(cx, cy, 48);
    const share = densestShareGrid(grid, cx, cy);
    const flat = grid.z.flat();
    const shares = share.flat();
    expect(shares.every((s) => s >= 0 && s <= 1)).toBe(true);
    // The densest cell: no point is denser.
    expect(shares[flat.indexOf(Math.max(...flat))]).toBe(0);
    // A corner far from everything: every point is denser.
    expect(share[0]![0]).toBe(1);
    // Denser cells never hold a larger share.
    const order = flat.map((z, i) => [z, shares[i]!] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < order.length; i++) expect(order[i]![1]).toBeLessThanOrEqual(order[i - 1]![1]);
  });
});

describe('percentile', () => {
  it('interpolates between order statistics', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5], 95)).toBeCloseTo(4.8, 10);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 95)).toBeNaN();
  });
});
