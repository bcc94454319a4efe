import { readCsvRecords } from '../../src/main/import/csv';
import { toCsv } from '../../src/shared/csv-write';
import { seededRandom } from '../../src/shared/ml/random';

/**
 * Property test of the spreadsheet export (issue 7, item 8): random cells built from the
 * characters that break CSV writers — delimiters, quotes, line breaks, formula triggers, tabs,
 * accents, non-Latin scripts and astral-plane emoji — are written with `toCsv` and read back by
 * the app's own CSV reader (the importer's). Each cell must come back as its text, with an
 * apostrophe in front exactly when it starts with a formula trigger, and no cell may start with
 * a trigger.
 */

const PIECES = [',', '"', '""', '\n', '\r\n', '\r', '=', '+', '-', '@', '\t', ';', ' ', "'", 'é', 'ß', 'Ω', '水', 'ع', '🧴', 'a', 'B', '1', '0.5', '=SUM(A1:A9)', '@cmd', '-2+3', '<img src=x onerror=alert(1)>', 'Aqua (Water)'];
const TRIGGER = /^[=+\-@\t\r\n]/;

export interface RoundTrip {
  cells: number;
  rows: number;
  mismatches: { written: string; read: string | undefined }[];
  triggersLeft: number;
  neutralised: number;
  bytes: number;
  ms: number;
}

export function randomCells(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const parts = Math.floor(random() * 6);
    let text = '';
    for (let i = 0; i < parts; i++) text += PIECES[Math.floor(random() * PIECES.length)]!;
    return text;
  });
}

export async function csvRoundTrip(count: number, seed: number, columns = 10): Promise<RoundTrip> {
  const started = performance.now();
  const cells = randomCells(count, seed);
  const header = Array.from({ length: columns }, (_, i) => `c${i}`);
  const rows: string[][] = [];
  for (let i = 0; i < cells.length; i += columns) rows.push(Array.from({ length: columns }, (_, j) => cells[i + j] ?? ''));
  const text = toCsv([header, ...rows]);
  const bytes = new TextEncoder().encode(text);
  async function* once() {
    yield bytes;
  }
  const read: string[][] = [];
  for await (const r of readCsvRecords(once(), {}, {})) read.push(r.fields);
  const mismatches: RoundTrip['mismatches'] = [];
  let triggersLeft = 0;
  let neutralised = 0;
  rows.forEach((row, r) =>
    row.forEach((written, c) => {
      const got = read[r + 1]?.[c];
      const expected = TRIGGER.test(written) ? `'${written}` : written;
      if (expected !== written) neutralised++;
      if (got !== expected) mismatches.push({ written, read: got });
      if (got !== undefined && TRIGGER.test(got)) triggersLeft++;
    }),
  );
  if (read.length !== rows.length + 1) mismatches.push({ written: `${rows.length + 1} records`, read: `${read.length} records` });
  return { cells: rows.length * columns, rows: rows.length, mismatches, triggersLeft, neutralised, bytes: bytes.length, ms: performance.now() - started };
}
