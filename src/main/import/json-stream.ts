import { createReadStream } from 'node:fs';

/**
 * The products of a JSON catalog, one at a time, without holding the file: a top-level array
 * of products, or an object with a `products` array. Each product's text is cut out by tracking
 * brackets and strings, and parsed on its own: memory holds one product, a malformed product is
 * named by its number and line, and a caller may stop early (the preview reads the first few).
 * Products are parsed strictly; of the rest of the file only the brackets, strings and what
 * follows the catalog are checked (another member of the object is skipped, not parsed).
 */

/** The file is not a JSON catalog: `syntax` when it is not valid JSON, else it holds no products array. */
export class JsonCatalogError extends Error {
  constructor(
    message: string,
    readonly kind: 'syntax' | 'shape',
  ) {
    super(message);
    this.name = 'JsonCatalogError';
  }
}

/** One product as read: its value, its 1-based number in the array, and the line its text starts on. */
export interface JsonProduct {
  value: unknown;
  index: number;
  line: number;
}

const CLOSES: Record<string, string> = { '}': '{', ']': '[' };

/**
 * Streams the products of the JSON file at `path`; `onBytes` hears how many bytes were read, for
 * progress. Throws {@link JsonCatalogError}; file-system errors pass through as they are.
 */
export async function* readJsonCatalog(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<JsonProduct> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  let line = 1;
  /** Open containers of the whole document, "{" or "[". */
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  let started = false;
  /** In the top-level object: whether a string read now is a member's name, and the last name read. */
  let expectKey = false;
  let key: string[] | null = null;
  let lastKey = '';
  /** The stack depth inside the products array (0 until it is found). */
  let productsDepth = 0;
  let productsFound = false;
  /** The product being cut out: its text so far, where it starts in this chunk, its first line, and whether it is a container. */
  let pieces: string[] | null = null;
  let from = 0;
  let productLine = 0;
  let scalar = false;
  let index = 0;
  /** Whether the next thing in the products array must be a product (after "[" or a comma). */
  let expectProduct = false;

  const syntax = (message: string): never => {
    throw new JsonCatalogError(`line ${line}: ${message}`, 'syntax');
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      const text = decoder.decode(chunk, { stream: true });
      const ready: JsonProduct[] = [];
      const finish = (end: number): void => {
        pieces!.push(text.slice(from, end));
        const raw = pieces!.join('').trim();
        pieces = null;
        index++;
        try {
          ready.push({ value: JSON.parse(raw), index, line: productLine });
        } catch (error) {
          throw new JsonCatalogError(`product ${index} (line ${productLine}): ${(error as Error).message}`, 'syntax');
        }
      };
      from = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if (c === '\n') line++;
        if (inString) {
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') {
            inString = false;
            if (key) {
              key.push(text.slice(from, i + 1));
              lastKey = JSON.parse(key.join('')) as string;
              key = null;
            }
          }
          continue;
        }
        if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\ufeff') continue;
        if (started && stack.length === 0) syntax(`unexpected "${c}" after the end of the catalog`);
        if (!started && c !== '{' && c !== '[') throw new JsonCatalogError('expected an array of products, or an object with a "products" array', 'shape');
        started = true;
        // A scalar product ends at the comma or bracket after it.
        if (pieces && scalar && stack.length === productsDepth && (c === ',' || c === ']')) finish(i);
        if (!pieces && productsDepth > 0 && stack.length === productsDepth && c !== ',' && c !== ']' && c !== '}') {
          if (!expectProduct) syntax('products must be separated by commas');
          expectProduct = false;
          pieces = [];
          from = i;
          productLine = line;
          scalar = c !== '{' && c !== '[';
        }
        if (c === '"') {
          inString = true;
          if (stack.length === 1 && stack[0] === '{' && expectKey) {
            key = [];
            from = i;
          }
        } else if (c === '{' || c === '[') {
          if (stack.length === 0 && c === '[') productsDepth = 1;
          if (stack.length === 1 && stack[0] === '{' && c === '[' && lastKey === 'products' && !expectKey) productsDepth = 2;
          if (productsDepth === stack.length + 1 && !productsFound) {
            productsFound = true;
            expectProduct = true;
          }
          stack.push(c);
          if (stack.length === 1 && c === '{') expectKey = true;
        } else if (c === '}' || c === ']') {
          if (c === ']' && stack.length === productsDepth && expectProduct && index > 0) syntax('a comma before the end of the products array');
          if (stack.pop() !== CLOSES[c]) syntax(`"${c}" does not close what is open`);
          if (pieces && !scalar && stack.length === productsDepth) finish(i + 1);
          if (c === ']' && stack.length === productsDepth - 1) productsDepth = -1;
        } else if (c === ',' && productsDepth > 0 && stack.length === productsDepth) {
          if (expectProduct) syntax('a comma where a product was expected');
          expectProduct = true;
        } else if (stack.length === 1 && stack[0] === '{') {
          if (c === ',') expectKey = true;
          else if (c === ':') expectKey = false;
        }
      }
      if (pieces) pieces.push(text.slice(from));
      if (key) key.push(text.slice(from));
      onBytes?.(bytes);
      for (const product of ready) yield product;
    }
    if (!started) syntax('the file holds no JSON value');
    if (inString || stack.length > 0) syntax('the file ends before the catalog is closed (is it cut short?)');
    if (!productsFound) throw new JsonCatalogError('expected an array of products, or an object with a "products" array', 'shape');
  } finally {
    stream.destroy();
  }
}
