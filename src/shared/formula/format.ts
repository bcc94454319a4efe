/**
 * Percentages as the draft-formula views write them (the editor's panel, the product page, the
 * generate view and the browser tests that read them back). Pure.
 */

/** A percentage as the sheet prints it: two decimals from 1 %, three below, two significant digits under 0.01 %. */
export function formatPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  if (value >= 1) return value.toFixed(2);
  if (value >= 0.01) return value.toFixed(3);
  return value.toPrecision(2);
}

/** A percentage in a sentence, short: "4.4 %", "10 %", "0.25 %", "0.001 %", "0.00001 %" (a dash when unknown). */
export function compactPercent(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value >= 1) return `${Number(value.toFixed(1))} %`;
  if (value >= 0.1) return `${Number(value.toFixed(2))} %`;
  if (value >= 0.000001) return `${Number(value.toPrecision(1))} %`;
  return value > 0 ? '< 0.000001 %' : '0 %';
}

/** An estimated active as its tooltip reads: "Niacinamide: estimated 4.4 % (range 2–10 %)". */
export function activeLevelTitle(a: { inci: string; percent: number | null; low: number | null; high: number | null }): string {
  if (a.percent === null) return `${a.inci}: no estimate`;
  const range = a.low !== null && a.high !== null ? ` (range ${compactPercent(a.low).replace(' %', '')}–${compactPercent(a.high)})` : '';
  return `${a.inci}: estimated ${compactPercent(a.percent)}${range}`;
}

/** The file name of a candidate version's formula sheet: "Serum-F-v2-formula.xlsx" (the service, the views and the Save dialog agree). */
export function formulaSheetFileName(sheet: { title: string; version: number }, format: 'csv' | 'xlsx' | 'pdf'): string {
  return `${sheet.title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'formula'}-v${sheet.version}-formula.${format}`;
}
