import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGenerateCache, writeGenerateCache } from '../../../src/main/generate/generate-cache';

const dir = mkdtempSync(join(tmpdir(), 'lf-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the generate cache beside a model', () => {
  it('keeps the catalog densities exactly and the catalog statistics, each with its key', () => {
    const path = join(dir, 'generate-cache.json');
    const density = Float32Array.from([-51.25, -40.123456789, -3.5e-7, 12.75]);
    writeGenerateCache(path, { space: { key: '4x2:123', bandwidth: 0.61, density }, catalog: { key: '4:99:10', known: { catalogMedianPlausibility: 0.537, catalogStructureShare: 0.91 } } });
    const back = readGenerateCache(path)!;
    expect(back.space!.key).toBe('4x2:123');
    expect(back.space!.bandwidth).toBe(0.61);
    expect(Array.from(back.space!.density)).toEqual(Array.from(density)); // float32 round trip, bit for bit
    expect(back.catalog).toEqual({ key: '4:99:10', known: { catalogMedianPlausibility: 0.537, catalogStructureShare: 0.91 } });
  });

  it('reads a missing, damaged or partly wrong file as no cache (or only its sound part), and never throws', () => {
    expect(readGenerateCache(join(dir, 'none.json'))).toBeNull();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"space": {"key": "x", "bandwidth": 1, "dens');
    expect(readGenerateCache(bad)).toBeNull();
    writeFileSync(bad, JSON.stringify({ space: { key: 'x', bandwidth: 1, density: [1, 'two'] }, catalog: { key: 'k', known: { catalogMedianPlausibility: 0.5, catalogStructureShare: 1 } } }));
    expect(readGenerateCache(bad)).toEqual({ catalog: { key: 'k', known: { catalogMedianPlausibility: 0.5, catalogStructureShare: 1 } } });
    // A folder that cannot be written: skipped silently (every process computes it, as before).
    expect(() => writeGenerateCache(join(dir, 'no-such-folder', 'c.json'), {})).not.toThrow();
    expect(JSON.parse(readFileSync(join(dir, 'generate-cache.json'), 'utf8')).space.density).toHaveLength(4);
  });
});
