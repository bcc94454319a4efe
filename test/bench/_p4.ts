import { readFileSync } from 'node:fs';
import { decodeUniqueList } from '../../src/shared/ml/decode';
const meta = JSON.parse(readFileSync('/tmp/prof/dp-meta.json', 'utf8'));
const a = new Float32Array(readFileSync('/tmp/prof/dp-a.bin').buffer.slice(0));
const p = new Float32Array(readFileSync('/tmp/prof/dp-p.bin').buffer.slice(0));
const V = meta.V; const allowed = Uint8Array.from(meta.emittable);
const rows = a.length / V;
for (let rep = 0; rep < 5; rep++) {
  const t0 = performance.now(); let h = 0;
  for (let i = 0; i < rows; i++) { const r = decodeUniqueList(a.subarray(i * V, (i + 1) * V), p.subarray(i * V, (i + 1) * V), { lambda: meta.lambda, maxLength: meta.maxLength, allowed }); for (const x of r.indices) h = (h * 31 + x) | 0; h = (h * 31 + Math.round(r.score * 1000)) | 0; }
  console.log('dp ms', (performance.now() - t0).toFixed(1), 'hash', h);
}
