import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/shared/csv-write';

describe('CSV writing', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-Niacinamide')).toBe("'-Niacinamide");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell(-1.5)).toBe('-1.5'); // numbers stay numbers
  });

  it('quotes delimiters, quotes and line breaks, and starts with a BOM', () => {
    expect(csvCell('Water, Glycerin')).toBe('"Water, Glycerin"');
    expect(csvCell('a "b"')).toBe('"a ""b"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(toCsv([['a', 'b'], [1, null]])).toBe('\uFEFFa,b\r\n1,\r\n');
  });
});
