import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { BENEFITS, synthesiseProducts } from '../../scripts/sample-catalog';

/**
 * A catalog of any size for the scale and durability runs, synthesised from the knowledge base
 * the way the shipped sample catalog is (scripts/sample-catalog/): a chassis per
 * category, each role filled from the vocabulary, declared in descending order, benefit scores
 * derived from what went in. Written as CSV in a stream: Category, Brand, Name, Ingredients and
 * one column per benefit.
 */
export async function writeSyntheticCatalog(path: string, count: number, seed = 50_000): Promise<{ rows: number; bytes: number }> {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`Category,Brand,Name,Ingredients,${BENEFITS.join(',')}\n`);
  let rows = 0;
  for (const p of synthesiseProducts(count, seed)) {
    const scores = BENEFITS.map((b) => String(p[b as keyof typeof p]));
    await write(`${quote(p.category)},${quote(p.brand)},${quote(p.name.replace('Illustrative', 'Synthetic'))},${quote(p.ingredients)},${scores.join(',')}\n`);
    rows++;
  }
  out.end();
  await once(out, 'finish');
  return { rows, bytes };
}
