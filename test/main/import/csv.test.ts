import { describe, expect, it } from 'vitest';
import { CsvError, detectEncoding, firstInvalidUtf8, readCsvRecords, type CsvFormat } from '../../../src/main/import/csv';

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(bytes: Uint8Array, size = 7, options = {}) {
  const format: Partial<CsvFormat> = {};
  const records = [];
  for await (const r of readCsvRecords(chunks(bytes, size), options, format)) records.push(r);
  return { records, format };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function utf16(s: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((s.length + (bom ? 1 : 0)) * 2);
  let o = 0;
  const put = (code: number) => {
    out[o++] = bigEndian ? code >> 8 : code & 0xff;
    out[o++] = bigEndian ? code & 0xff : code >> 8;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < s.length; i++) put(s.charCodeAt(i));
  return out;
}

describe('readCsvRecords', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, with their start lines', async () => {
    const { records } = await read(utf8('name,ingredients\n"Cream ""Gold""","Water, Glycerin\nNiacinamide"\nGel,Water\n'));
    expect(records).toEqual([
      { fields: ['name', 'ingredients'], line: 1 },
      { fields: ['Cream "Gold"', 'Water, Glycerin\nNiacinamide'], line: 2 },
      { fields: ['Gel', 'Water'], line: 4 },
    ]);
  });

  it('strips a UTF-8 BOM and reports it', async () => {
    const { records, format } = await read(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Name,Ingredients\r\nA,Water\r\n')]));
    expect(records.map((r) => r.fields)).toEqual([['Name', 'Ingredients'], ['A', 'Water']]);
    expect(format).toMatchObject({ encoding: 'utf-8', hadBom: true, delimiter: ',' });
  });

  it('reads UTF-16 LE and BE with a BOM, and LE without one', async () => {
    const text = 'Name;Ingredients\nCrème;Eau, Glycérine\n';
    for (const [bytes, enc] of [[utf16(text, false, true), 'utf-16le'], [utf16(text, true, true), 'utf-16be'], [utf16(text, false, false), 'utf-16le']] as const) {
      const { records, format } = await read(bytes, 5);
      expect(format.encoding).toBe(enc);
      expect(records.map((r) => r.fields)).toEqual([['Name', 'Ingredients'], ['Crème', 'Eau, Glycérine']]);
    }
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', async () => {
    const bytes = new Uint8Array([...utf8('Name,Ingredients\nCr'), 0xe8, ...utf8('me,Water\n')]);
    const { records, format } = await read(bytes, 64);
    expect(format.encoding).toBe('windows-1252');
    expect(records[1]!.fields).toEqual(['Crème', 'Water']);
  });

  it('detects semicolon and tab delimiters', async () => {
    expect((await read(utf8('a;b;c\n1;2;3\n'))).format.delimiter).toBe(';');
    expect((await read(utf8('a\tb\n"x,y"\t2\n'))).records[1]!.fields).toEqual(['x,y', '2']);
  });

  it('never coerces values: leading zeros, dates and numbers stay text', async () => {
    const { records } = await read(utf8('code,when,score\n00123,2024-01-02,1e5\n'));
    expect(records[1]!.fields).toEqual(['00123', '2024-01-02', '1e5']);
  });

  it('reports an unterminated quote with the line it opened on', async () => {
    await expect(read(utf8('a,b\n1,2\n3,"open\nstill open\n'))).rejects.toThrow(new CsvError('a quoted field opened on line 3 is never closed', 3));
  });

  it('refuses binary data with its line', async () => {
    await expect(read(new Uint8Array([...utf8('a,b\nx,y\n'), 0x01, 0x00, 0x00, 0x02, ...utf8('\n')]), 64, { encoding: 'utf-8' })).rejects.toThrow(/line 3: binary data/);
  });

  it('refuses a field over the size limit', async () => {
    await expect(read(utf8(`a\n"${'x'.repeat(100)}"\n`), 16, { maxFieldChars: 50 })).rejects.toThrow(/line 2: a field is longer than 50 characters/);
  });

  it('counts a quoted CRLF split between two chunks as one line', async () => {
    const bytes = utf8('a,b\n"x\r\ny",1\nz,2\n');
    for (let size = 1; size <= bytes.length; size++) {
      const { records } = await read(bytes, size);
      expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
    }
  });

  it('locates a byte that is not UTF-8 after a UTF-8 start: its line and offset', async () => {
    const head = utf8(`a,b\n${'x,y\n'.repeat(20)}`);
    const bytes = new Uint8Array([...head, ...utf8('Cr'), 0xe8, ...utf8('me,1\n')]);
    await expect(read(bytes, 32)).rejects.toThrow(new CsvError(`byte ${head.length + 2} is not valid UTF-8, though the file starts as UTF-8; re-save the file as UTF-8, or choose its encoding (e.g. windows-1252) for the import`, 22));
  });

  it('refuses a row over the record limit, and an unclosed quote that runs past the field limit with a hint', async () => {
    await expect(read(utf8(`a,b\n${'x'.repeat(30)},${'y'.repeat(30)}\n`), 8, { maxRecordChars: 50 })).rejects.toThrow(/line 2: the row is longer than 50 characters/);
    await expect(read(utf8(`a\nok\n"${'x'.repeat(100)}\n`), 8, { maxFieldChars: 50 })).rejects.toThrow(/line 3: .*its quote opens on line 3 and a closing quote is probably missing/);
  });

  it('handles a doubled quote split across two chunks', async () => {
    const bytes = utf8('a\n"x""y"\n');
    for (let size = 1; size <= bytes.length; size++) {
      const { records } = await read(bytes, size);
      expect(records[1]!.fields).toEqual(['x"y']);
    }
  });
});

describe('firstInvalidUtf8', () => {
  it('finds bad lead bytes, broken sequences and overlong forms, and ignores a sequence cut by the chunk end', () => {
    expect(firstInvalidUtf8(utf8('Crème'))).toBe(6);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xff, 0x41]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xc3, 0x28]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xe0, 0x80, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xe2, 0x82]))).toBe(3);
    expect(firstInvalidUtf8(new Uint8Array([0x82, 0xac, 0x41, 0x80]))).toBe(3);
  });
});

describe('detectEncoding', () => {
  it('does not mistake a UTF-8 character cut at the sample end for Windows-1252', () => {
    const bytes = utf8('Name,Crème');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 3)).encoding).toBe('utf-8');
  });
});
