import { describe, expect, it } from 'vitest';
import { csvRoundTrip, randomCells } from './csv-roundtrip';

/** The short version of `npm run reliability`'s CSV property test (which writes 10,000 cells). */
describe('CSV export round trip', () => {
  it('the generator really produces the hostile cases', () => {
    const cells = randomCells(2000, 3);
    for (const pattern of [/^=/, /^\+/, /^-/, /^@/, /^\t/, /\n/, /\r/, /"/, /,/, /🧴/, /水/]) expect(cells.some((c) => pattern.test(c))).toBe(true);
  });

  it('2,000 cells read back as written, formula triggers neutralised, none left', async () => {
    const result = await csvRoundTrip(2000, 11);
    expect(result.cells).toBe(2000);
    expect(result.mismatches.slice(0, 5)).toEqual([]);
    expect(result.triggersLeft).toBe(0);
    expect(result.neutralised).toBeGreaterThan(100);
  });
});
