import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { presetConfig } from '../../../src/main/ml/config';
import { ModelFileError, loadModel, saveModel } from '../../../src/main/ml/store';
import { PairOrderCounts } from '../../../src/shared/ml/order';
import { tempDir } from '../../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const vocabulary = { tokens: [{ name: 'Water', ingredientId: 1 }, { name: '<unknown>', ingredientId: null }], minCount: 2, rareStrategy: 'class' as const, hash: 'v1' };
function model(value: number) {
  return {
    vocabulary,
    weights: [{ name: 'w', shape: [2, 3], values: Float32Array.from({ length: 6 }, (_, i) => value + i) }],
    manifest: {
      createdAt: '2026-01-01T00:00:00.000Z',
      shape: { vocab: 2, conditioning: 0, latent: 3, hidden: 2, headHidden: 1, benefits: 0 },
      config: presetConfig('quick'),
      benefits: [],
      maxLength: 10,
      backend: 'wasm',
      vocabularyHash: 'v1',
    },
  };
}

describe('model store', () => {
  it('round-trips weights, vocabulary and manifest, pinned by the manifest checksum', () => {
    const saved = saveModel(dir, 'a', model(1));
    const loaded = loadModel(saved.path, saved.manifestSha256);
    expect(Array.from(loaded.weights[0]!.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(loaded.vocabulary.tokens[0]!.name).toBe('Water');
    expect(loaded.manifest.files['weights.bin']).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(dir)).toEqual(['a']);
  });

  it('keeps the pair-order counts in order.bin, checked like every file; a model without them loads with none', () => {
    const order = PairOrderCounts.fromLists([[0, 1], [0, 1], [1, 0]], 2);
    const saved = saveModel(dir, 'a', { ...model(1), order });
    const loaded = loadModel(saved.path, saved.manifestSha256);
    expect(loaded.order?.counts(0, 1)).toEqual([2, 1]);
    expect(loaded.manifest.files['order.bin']).toMatch(/^[0-9a-f]{64}$/);
    const before = saveModel(dir, 'b', model(1));
    expect(existsSync(join(before.path, 'order.bin'))).toBe(false);
    expect(loadModel(before.path, before.manifestSha256).order).toBeNull();
    const path = join(saved.path, 'order.bin');
    writeFileSync(path, readFileSync(path).subarray(0, 20));
    expect(() => loadModel(saved.path, saved.manifestSha256)).toThrow(new ModelFileError(`model ${saved.path}: order.bin is corrupt (checksum mismatch)`));
  });

  it('detects a corrupted weight file and names it', () => {
    const saved = saveModel(dir, 'a', model(1));
    const path = join(saved.path, 'weights.bin');
    const bytes = readFileSync(path);
    bytes[3] = bytes[3]! ^ 0xff;
    writeFileSync(path, bytes);
    expect(() => loadModel(saved.path, saved.manifestSha256)).toThrow(new ModelFileError(`model ${saved.path}: weights.bin is corrupt (checksum mismatch)`));
  });

  it('detects a replaced manifest and a missing file', () => {
    const saved = saveModel(dir, 'a', model(1));
    expect(() => loadModel(saved.path, 'f'.repeat(64))).toThrow(/does not match the checksum recorded in the database/);
    const other = saveModel(dir, 'b', model(2));
    writeFileSync(join(other.path, 'vocabulary.json'), '');
    expect(() => loadModel(other.path)).toThrow(/vocabulary.json is corrupt/);
  });

  it('never overwrites an existing model and leaves no temporary folder after a failed save', () => {
    const saved = saveModel(dir, 'a', model(1));
    expect(() => saveModel(dir, 'a', model(2))).toThrow(/already exists/);
    expect(Array.from(loadModel(saved.path, saved.manifestSha256).weights[0]!.values)).toEqual([1, 2, 3, 4, 5, 6]);
    const broken = model(3);
    (broken.weights[0] as { values: unknown }).values = null; // fails while writing
    expect(() => saveModel(dir, 'c', broken)).toThrow();
    expect(existsSync(join(dir, '.tmp-c'))).toBe(false);
    expect(existsSync(join(dir, 'c'))).toBe(false);
  });

  it('refuses unsafe folder names', () => {
    expect(() => saveModel(dir, '../evil', model(1))).toThrow(/invalid model folder name/);
  });
});
