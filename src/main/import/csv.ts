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

/**
 * Reads records from a byte stream. The returned `format` is filled in once the first chunk
 * has been seen.
 */
export async function* readCsvRecords(
  source: AsyncIterable<Uint8Array>,
  options: CsvOptions = {},
  format: Partial<CsvFormat> = {},
): AsyncGenerator<CsvRecord> {
  const maxField = options.maxFieldChars ?? 8 * 1024 * 1024;
  const maxColumns = options.maxColumns ?? 5000;
  let decoder: TextDecoder | null = null;
  let delimiter: Delimiter | null = options.delimiter ?? null;
  let bytesSeen = 0;
  let headerText = '';

  // Parser state, kept across chunks.
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoteJustClosed = false;
  let line = 1;
  let recordLine = 1;
  let quoteOpenedLine = 1;
  let pendingCR = false;
  let afterRecord = true;

  const pushField = (): void => {
    fields.push(field);
    field = '';
    quoteJustClosed = false;
    if (fields.length > maxColumns) throw new CsvError(`more than ${maxColumns} columns in one row`, recordLine);
  };

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
      throw new CsvError(
        `the file is not valid ${format.encoding} (problem near byte ${bytesSeen}); re-save it as UTF-8 or choose the encoding explicitly`,
        line,
      );
    }
    bytesSeen += chunk.length;
    if (!delimiter) {
      // Decide the delimiter on the whole header line, which may span several chunks.
      headerText += text;
      if (!/[\r\n]/.test(headerText) && headerText.length < 1024 * 1024) continue;
      text = headerText;
      headerText = '';
      delimiter = detectDelimiter(text);
      format.delimiter = delimiter;
    }
    yield* parseText(text);
  }
  if (decoder) {
    let rest = decoder.decode();
    if (!delimiter) {
      rest = headerText + rest;
      delimiter = detectDelimiter(rest);
      format.delimiter = delimiter;
    }
    if (rest) yield* parseText(rest);
  }
  if (inQuotes) throw new CsvError(`a quoted field opened on line ${quoteOpenedLine} is never closed`, quoteOpenedLine);
  if (!afterRecord || field.length > 0 || fields.length > 0) {
    pushField();
    if (!(fields.length === 1 && fields[0] === '')) yield { fields, line: recordLine };
  }

  function* parseText(text: string): Generator<CsvRecord> {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (pendingCR) {
        pendingCR = false;
        if (c === '\n') continue;
      }
      if (afterRecord) {
        afterRecord = false;
        recordLine = line;
      }
      if (inQuotes) {
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else if (i + 1 === text.length) {
            // The next chunk decides whether this quote is doubled: peek by deferring.
            inQuotes = false;
            quoteJustClosed = true;
          } else {
            inQuotes = false;
            quoteJustClosed = true;
          }
        } else {
          if (c === '\n') line++;
          else if (c === '\r') {
            line++;
            if (text[i + 1] === '\n') { field += '\r\n'; i++; continue; }
          } else if (c === '\0') throw new CsvError('binary data (a NUL byte) inside a field; this is not a text CSV file', recordLine);
          field += c;
        }
        if (field.length > maxField) throw new CsvError(`a field is longer than ${maxField} characters`, recordLine);
        continue;
      }
      if (c === '"') {
        if (quoteJustClosed) {
          // `""` split across two chunks: an escaped quote inside the field.
          field += '"';
          inQuotes = true;
          quoteJustClosed = false;
        } else if (field.length === 0) {
          inQuotes = true;
          quoteOpenedLine = line;
        } else {
          field += c; // a stray quote inside an unquoted field is kept as text
        }
      } else if (c === delimiter) {
        pushField();
      } else if (c === '\n' || c === '\r') {
        pushField();
        yield { fields, line: recordLine };
        fields = [];
        line++;
        afterRecord = true;
        if (c === '\r') pendingCR = true;
      } else if (c === '\0') {
        throw new CsvError('binary data (a NUL byte); this is not a text CSV file', recordLine);
      } else {
        quoteJustClosed = false;
        field += c;
        if (field.length > maxField) throw new CsvError(`a field is longer than ${maxField} characters`, recordLine);
      }
    }
  }
}

function bomLengthOf(bytes: Uint8Array, encoding: TextEncodingName): number {
  const d = detectEncoding(bytes);
  return d.encoding === encoding ? d.bomLength : 0;
}
