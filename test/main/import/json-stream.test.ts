import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonCatalogError, readJsonCatalog, type JsonProduct } from '../../../src/main/import/json-stream';
import { tempDir } from '../../helpers';

/** The streamed JSON reader: every product as JSON.parse reads it, the file never held whole, malformed files named with a line. */

const folder = tempDir('lf-json-stream-');
afterAll(() => folder.cleanup());
let n = 0;
function file(text: string | Buffer): string {
  const path = join(folder.dir, `c${n++}.json`);
  writeFileSync(path, text);
  return path;
}

async function read(path: string): Promise<JsonProduct[]> {
  const out: JsonProduct[] = [];
  for await (const p of readJsonCatalog(path)) out.push(p);
  return out;
}

async function failure(text: string): Promise<JsonCatalogError> {
  const error = await read(file(text)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(JsonCatalogError);
  return error as JsonCatalogError;
}

describe('readJsonCatalog', () => {
  it('reads a top-level array and an object’s "products" array, skipping the other members whatever they hold', async () => {
    const products = [{ name: 'A', ingredients: 'Water, Glycerin' }, { name: 'B "quoted" ] } [ {', ingredients: ['Water', 'Niacinamide'] }, 7, 'text', null];
    expect((await read(file(JSON.stringify(products)))).map((p) => p.value)).toEqual(products);
    const wrapped = `{"meta": {"note": "a ] and a } in a string, and \\" an escaped quote", "list": [1, [2, {"products": 3}]]},\n "products":\n ${JSON.stringify(products, null, 2)},\n "after": [{}]}`;
    const read2 = await read(file(wrapped));
    expect(read2.map((p) => p.value)).toEqual(products);
    expect(read2.map((p) => p.index)).toEqual([1, 2, 3, 4, 5]);
    expect(read2[0]!.line).toBe(4);
  });

  it('cuts products across read chunks and multi-byte characters, with the byte count for progress', async () => {
    const products = Array.from({ length: 3000 }, (_, i) => ({ name: `Crème n°${i} — «soin»`, ingredients: `Aqua, Glycerin, ${'Rosa Damascena Flower Oil, '.repeat(i % 7)}Tocophérol` }));
    const text = '\ufeff' + JSON.stringify({ products }, null, 1);
    const path = file(text);
    const seen: number[] = [];
    const out: JsonProduct[] = [];
    for await (const p of readJsonCatalog(path, (b) => seen.push(b))) out.push(p);
    expect(out.map((p) => p.value)).toEqual(products);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toBe(Buffer.byteLength(text));
  });

  it('stops reading when the caller stops', async () => {
    const path = file(JSON.stringify(Array.from({ length: 50_000 }, (_, i) => ({ name: `P${i}`, ingredients: 'Water, Glycerin, Niacinamide, Panthenol' }))));
    let bytes = 0;
    const first: unknown[] = [];
    for await (const p of readJsonCatalog(path, (b) => (bytes = b))) {
      first.push(p.value);
      if (first.length === 3) break;
    }
    expect(first).toEqual([0, 1, 2].map((i) => ({ name: `P${i}`, ingredients: 'Water, Glycerin, Niacinamide, Panthenol' })));
    expect(bytes).toBeLessThan(1024 * 1024);
  });

  it('names what is wrong and where', async () => {
    expect((await failure('[{"name": "A"}, {"name": "B",}]')).message).toMatch(/^product 2 \(line 1\): .*JSON/);
    expect((await failure('[{"name": "A"},\n{"name": "B"},\n]')).message).toBe('line 3: a comma before the end of the products array');
    expect((await failure('[{"name": "A"} {"name": "B"}]')).message).toBe('line 1: products must be separated by commas');
    expect((await failure('[,{"name": "A"}]')).message).toBe('line 1: a comma where a product was expected');
    expect((await failure('{"products": [\n{"name": "A"}')).message).toBe('line 2: the file ends before the catalog is closed (is it cut short?)');
    expect((await failure('{"products": [{"name": "A"}}')).message).toBe('line 1: "}" does not close what is open');
    expect((await failure('[{"name": "A"}]\n[]')).message).toBe('line 2: unexpected "[" after the end of the catalog');
    expect((await failure('')).message).toBe('line 1: the file holds no JSON value');
    const shape = await failure('{"items": [{"name": "A"}]}');
    expect([shape.kind, shape.message]).toEqual(['shape', 'expected an array of products, or an object with a "products" array']);
    expect((await failure('{"products": {"name": "A"}}')).kind).toBe('shape');
    expect((await failure('"just text"')).kind).toBe('shape');
  });
});
