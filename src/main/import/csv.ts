import { TextDecoder } from 'node:util';

/**
 * A streaming CSV reader: detects the encoding (UTF-8 with or without BOM, UTF-16 LE/BE,
 * Windows-1252) and the delimiter (comma, semicolon, tab), keeps quoted newlines inside fields,
 * never coerces a value's type, and reports every problem with the line it starts on.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t';

export interface CsvOptions {
  encoding?: TextEncodingName;
  delimiter?: Delimiter;
  /** A single field longer than this is refused (protects memory). Default 8 MiB of text. */
  maxFieldChars?: number;
  /** A record with more fields than this is refused. Default 5,000. */
  maxColumns?: number;
  /** A record whose fields hold more characters than this in all is refused (protects memory). Default 16 MiB of text. */
  maxRecordChars?: number;
}

export interface CsvRecord {
  fields: string[];
  /** 1-based physical line the record starts on. */
  line: number;
}

export interface CsvFormat {
  encoding: TextEncodingName;
  hadBom: boolean;
  delimiter: Delimiter;
}

/** A problem in the file itself, located by line. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

/** Decides the encoding from the first bytes: a BOM if present, else NUL patterns, else UTF-8 validity. */
export function detectEncoding(head: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const sample = head.subarray(0, Math.min(head.length, 4096));
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNul++;
    else oddNul++;
  }
  const half = sample.length / 2;
  if (half > 0 && oddNul > half * 0.3 && evenNul < half * 0.05) return { encoding: 'utf-16le', bomLength: 0 };
  if (half > 0 && evenNul > half * 0.3 && oddNul < half * 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  // Cut at the last complete UTF-8 sequence so a character split by the sample end is not "invalid".
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = head[end - back]!;
    if ((b & 0xc0) === 0xc0) { end -= back; break; }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    return { encoding: 'windows-1252', bomLength: 0 };
  }
}

/** Picks the delimiter that occurs most often outside quotes in the header line. */
export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) break;
    else if (!inQuotes && (c === ',' || c === ';' || c === '\t')) counts[c]++;
  }
  const best = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

/** The longest field accepted unless the caller says otherwise: 8 Mi characters. */
export const DEFAULT_MAX_FIELD_CHARS = 8 * 1024 * 1024;
/** The most fields a record may have unless the caller says otherwise. */
export const DEFAULT_MAX_COLUMNS = 5000;
/** The longest record (all its fields together) unless the caller says otherwise: 16 Mi characters. */
export const DEFAULT_MAX_RECORD_CHARS = 16 * 1024 * 1024;

/**
 * Reads records from a byte stream. The returned `format` is filled in once the first chunk
 * has been seen. Work per chunk is linear in the chunk (text between delimiters is copied in
 * slices, never character by character), and memory is bounded by the record limits, whatever
 * the bytes are.
 */
export async function* readCsvRecords(
  source: AsyncIterable<Uint8Array>,
  options: CsvOptions = {},
  format: Partial<CsvFormat> = {},
): AsyncGenerator<CsvRecord> {
  const maxField = options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS;
  const maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const maxRecord = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  let decoder: TextDecoder | null = null;
  let delimiter: Delimiter | null = options.delimiter ?? null;
  let unquotedSpecial = /["\n\r\0,]/g;
  const quotedSpecial = /["\n\r\0]/g;
  let bytesSeen = 0;
  let headerText = '';

  // Parser state, kept across chunks.
  let fields: string[] = [];
  let field = '';
  let recordChars = 0;
  let inQuotes = false;
  let quoteJustClosed = false;
  let line = 1;
  let recordLine = 1;
  let quoteOpenedLine = 1;
  let pendingCR = false;
  let quotedCR = false;
  let afterRecord = true;

  const pushField = (): void => {
    fields.push(field);
    recordChars += field.length;
    field = '';
    quoteJustClosed = false;
    if (fields.length > maxColumns) throw new CsvError(`more than ${maxColumns.toLocaleString('en-US')} columns in one row (the limit)`, recordLine);
    if (recordChars > maxRecord) throw new CsvError(`the row is longer than ${maxRecord.toLocaleString('en-US')} characters (the limit for one row)`, recordLine);
  };
  const checkField = (): void => {
    if (field.length <= maxField) return;
    const hint = inQuotes ? `; its quote opens on line ${quoteOpenedLine} and a closing quote is probably missing` : '';
    throw new CsvError(`a field is longer than ${maxField.toLocaleString('en-US')} characters (the limit for one field)${hint}`, recordLine);
  };
  const setDelimiter = (d: Delimiter): void => {
    delimiter = d;
    format.delimiter = d;
    unquotedSpecial = new RegExp(`["\\n\\r\\0${d === '\t' ? '\\t' : d}]`, 'g');
  };
  if (delimiter) setDelimiter(delimiter);

  for await (const chunk of source) {
    let bytes = chunk;
    if (!decoder) {
      const detected = options.encoding ? { encoding: options.encoding, bomLength: bomLengthOf(bytes, options.encoding) } : detectEncoding(bytes);
      format.encoding = detected.encoding;
      format.hadBom = detected.bomLength > 0;
      decoder = new TextDecoder(detected.encoding, { fatal: detected.encoding === 'utf-8' });
      bytes = bytes.subarray(detected.bomLength);
    }
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      // Locate the first byte that is not UTF-8, and its line (lines before this chunk are counted already).
      let bad = firstInvalidUtf8(bytes);
      if (bad >= bytes.length) bad = 0;
      const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad));
      const continuesBreak = (pendingCR || quotedCR) && before.startsWith('\n') ? 1 : 0;
      const offset = bytesSeen + (chunk.length - bytes.length) + bad;
      throw new CsvError(
        `byte ${offset.toLocaleString('en-US')} is not valid UTF-8, though the file starts as UTF-8; re-save the file as UTF-8, or choose its encoding (e.g. windows-1252) for the import`,
        line + countLineBreaks(before) - continuesBreak,
      );
    }
    bytesSeen += chunk.length;
    if (!delimiter) {
      // Decide the delimiter on the whole header line, which may span several chunks.
      headerText += text;
      if (!/[\r\n]/.test(text) && headerText.length < 1024 * 1024) continue;
      text = headerText;
      headerText = '';
      setDelimiter(detectDelimiter(text));
    }
    yield* parseText(text);
  }
  if (decoder) {
    let rest = decoder.decode();
    if (!delimiter) {
      rest = headerText + rest;
      setDelimiter(detectDelimiter(rest));
    }
    if (rest) yield* parseText(rest);
  }
  if (inQuotes) throw new CsvError(`a quoted field opened on line ${quoteOpenedLine} is never closed`, quoteOpenedLine);
  if (!afterRecord || field.length > 0 || fields.length > 0) {
    pushField();
    if (!(fields.length === 1 && fields[0] === '')) yield { fields, line: recordLine };
  }

  function* parseText(text: string): Generator<CsvRecord> {
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (pendingCR) {
        pendingCR = false;
        if (text.charCodeAt(i) === 10) {
          i++;
          continue;
        }
      }
      if (afterRecord) {
        afterRecord = false;
        recordLine = line;
      }
      if (inQuotes) {
        quotedSpecial.lastIndex = i;
        const next = quotedSpecial.exec(text)?.index ?? n;
        if (next > i) {
          field += text.slice(i, next);
          quotedCR = false;
          i = next;
          checkField();
          if (i === n) break;
        }
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            // A quote that ends a chunk may still be doubled by the next one: `quoteJustClosed` decides there.
            inQuotes = false;
            quoteJustClosed = true;
            i++;
          }
          quotedCR = false;
        } else if (c === '\0') {
          throw new CsvError('binary data (a NUL byte) inside a field; this is not a text CSV file', recordLine);
        } else {
          // A line break inside quotes: CRLF counts once, even when split between two chunks.
          if (c === '\r' || !quotedCR) line++;
          quotedCR = c === '\r';
          field += c;
          i++;
        }
        checkField();
        continue;
      }
      unquotedSpecial.lastIndex = i;
      const next = unquotedSpecial.exec(text)?.index ?? n;
      if (next > i) {
        field += text.slice(i, next);
        quoteJustClosed = false;
        i = next;
        checkField();
        if (i === n) break;
      }
      const c = text[i]!;
      i++;
      if (c === '"') {
        if (quoteJustClosed) {
          // `""` split across two chunks: an escaped quote inside the field.
          field += '"';
          inQuotes = true;
          quoteJustClosed = false;
        } else if (field.length === 0) {
          inQuotes = true;
          quotedCR = false;
          quoteOpenedLine = line;
        } else {
          field += c; // a stray quote inside an unquoted field is kept as text
        }
      } else if (c === '\n' || c === '\r') {
        pushField();
        yield { fields, line: recordLine };
        fields = [];
        recordChars = 0;
        line++;
        afterRecord = true;
        if (c === '\r') pendingCR = true;
      } else if (c === '\0') {
        throw new CsvError('binary data (a NUL byte); this is not a text CSV file', recordLine);
      } else {
        pushField(); // the delimiter
      }
    }
  }
}

/**
 * Index of the first byte that starts an invalid UTF-8 sequence, or `bytes.length` when there
 * is none. Continuation bytes at the very start belong to a sequence begun in the previous
 * chunk and are skipped; an incomplete sequence at the end is not an error (the next chunk
 * may complete it).
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n && i < 3 && (bytes[i]! & 0xc0) === 0x80) i++;
  while (i < n) {
    const b = bytes[i]!;
    const size = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (size === 0) return i;
    for (let k = 1; k < size && i + k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    if (size > 1 && i + 1 < n) {
      // Overlong, surrogate and beyond-U+10FFFF forms.
      const b1 = bytes[i + 1]!;
      if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 > 0x9f) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 > 0x8f)) return i;
    }
    i += size;
  }
  return n;
}

/** Line breaks in `text`: LF, CRLF and a lone CR each count once. */
function countLineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) count++;
  }
  return count;
}

function bomLengthOf(bytes: Uint8Array, encoding: TextEncodingName): number {
  const d = detectEncoding(bytes);
  return d.encoding === encoding ? d.bomLength : 0;
}
