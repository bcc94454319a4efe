import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncFolder } from '../atomic-file';
import { PairOrderCounts } from '../../shared/ml/order';
import type { ModelConfig } from './config';
import type { ListPredictorManifest } from './list-predictor';
import type { BenefitSpec } from './train';
import type { ModelShape, NamedWeights } from './model';
import type { Vocabulary } from './vocab';

/**
 * Saving and loading models. A model is a folder: weights.bin (float32 tensors back to back),
 * vocabulary.json, order.bin (pair-order counts, optional), and manifest.json naming every file with its sha256. Saving writes a
 * temporary folder, fsyncs each file and the folder, then renames it into place, so a crash
 * leaves either the complete new model or nothing (the previous model is never touched).
 * Loading verifies every checksum and tensor shape before anything is used.
 */

export const MODEL_FORMAT = 'latent-formulator-model';
export const MODEL_FORMAT_VERSION = 1;

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  version: number;
  createdAt: string;
  shape: ModelShape;
  config: ModelConfig;
  benefits: BenefitSpec[];
  maxLength: number;
  backend: string;
  vocabularyHash: string;
  /**
   * The list predictor the app scores benefits with (its tensors are the `list_*` ones in
   * weights.bin). Absent in models saved before it: they score with the latent heads alone.
   */
  listPredictor?: ListPredictorManifest;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  files: Record<string, string>;
}

export interface SavedModel {
  manifest: ModelManifest;
  vocabulary: Vocabulary;
  weights: NamedWeights[];
  /** order.bin: the training lists' pair-order counts; absent in models saved before. */
  order?: PairOrderCounts | null;
}

/** A model folder that fails verification; the message says which file or tensor and why. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

function writeDurably(path: string, data: Uint8Array | string): void {
  const fd = openSync(path, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes the model atomically as `modelsDir/folder`; returns the manifest's own sha256. */
export function saveModel(modelsDir: string, folder: string, model: Omit<SavedModel, 'manifest'> & { manifest: Omit<ModelManifest, 'tensors' | 'files' | 'format' | 'version'> }): { path: string; manifestSha256: string } {
  if (!/^[A-Za-z0-9_-]+$/.test(folder)) throw new Error(`invalid model folder name "${folder}"`);
  mkdirSync(modelsDir, { recursive: true });
  const finalPath = join(modelsDir, folder);
  if (existsSync(finalPath)) throw new Error(`a model folder ${finalPath} already exists`);
  const tmp = join(modelsDir, `.tmp-${folder}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    const total = model.weights.reduce((n, w) => n + w.values.length, 0);
    const buffer = new Float32Array(total);
    const tensors: ModelManifest['tensors'] = [];
    let offset = 0;
    for (const w of model.weights) {
      buffer.set(w.values, offset);
      tensors.push({ name: w.name, shape: w.shape, offset, length: w.values.length });
      offset += w.values.length;
    }
    const weightBytes = new Uint8Array(buffer.buffer);
    const vocabularyText = JSON.stringify(model.vocabulary);
    writeDurably(join(tmp, 'weights.bin'), weightBytes);
    writeDurably(join(tmp, 'vocabulary.json'), vocabularyText);
    const files: Record<string, string> = { 'weights.bin': sha256(weightBytes), 'vocabulary.json': sha256(vocabularyText) };
    if (model.order) {
      const orderBytes = model.order.toBytes();
      writeDurably(join(tmp, 'order.bin'), orderBytes);
      files['order.bin'] = sha256(orderBytes);
    }
    const manifest: ModelManifest = {
      ...model.manifest,
      format: MODEL_FORMAT,
      version: MODEL_FORMAT_VERSION,
      tensors,
      files,
    };
    const manifestText = JSON.stringify(manifest, null, 1);
    writeDurably(join(tmp, 'manifest.json'), manifestText);
    fsyncFolder(tmp);
    renameSync(tmp, finalPath);
    fsyncFolder(modelsDir);
    return { path: finalPath, manifestSha256: sha256(manifestText) };
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

/** Reads and verifies a model folder; `expectedManifestSha256` pins it to the database record. */
export function loadModel(path: string, expectedManifestSha256?: string): SavedModel {
  const read = (name: string): Buffer => {
    try {
      return readFileSync(join(path, name));
    } catch {
      throw new ModelFileError(`model ${path}: ${name} is missing or unreadable`);
    }
  };
  const manifestBytes = read('manifest.json');
  if (expectedManifestSha256 && sha256(manifestBytes) !== expectedManifestSha256) {
    throw new ModelFileError(`model ${path}: manifest.json does not match the checksum recorded in the database (the folder was changed or replaced)`);
  }
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as ModelManifest;
  } catch {
    throw new ModelFileError(`model ${path}: manifest.json is not valid JSON`);
  }
  if (manifest.format !== MODEL_FORMAT || manifest.version !== MODEL_FORMAT_VERSION) {
    throw new ModelFileError(`model ${path}: not a Latent Formulator model of format version ${MODEL_FORMAT_VERSION}`);
  }
  for (const [name, expected] of Object.entries(manifest.files ?? {})) {
    if (sha256(read(name)) !== expected) throw new ModelFileError(`model ${path}: ${name} is corrupt (checksum mismatch)`);
  }
  const weightBytes = read('weights.bin');
  const all = new Float32Array(weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength));
  const weights = manifest.tensors.map((t) => {
    if (t.offset + t.length > all.length || t.shape.reduce((a, b) => a * b, 1) !== t.length) {
      throw new ModelFileError(`model ${path}: tensor ${t.name} does not fit weights.bin`);
    }
    return { name: t.name, shape: t.shape, values: all.slice(t.offset, t.offset + t.length) };
  });
  const vocabulary = JSON.parse(read('vocabulary.json').toString('utf8')) as Vocabulary;
  if (vocabulary.hash !== manifest.vocabularyHash || vocabulary.tokens.length !== manifest.shape.vocab) {
    throw new ModelFileError(`model ${path}: the vocabulary does not match the weights`);
  }
  let order: PairOrderCounts | null = null;
  if (manifest.files?.['order.bin']) {
    try {
      order = PairOrderCounts.fromBytes(new Uint8Array(read('order.bin')), manifest.shape.vocab);
    } catch (error) {
      throw new ModelFileError(`model ${path}: order.bin: ${(error as Error).message}`);
    }
  }
  return { manifest, vocabulary, weights, order };
}

/**
 * Start-up tidy of the model store after a crash. A `.tmp-…` folder is a save that never
 * finished (the rename is the commit), so it is removed. A complete folder the database does not
 * name was saved but never recorded (the process died between the rename and the database
 * transaction): it is reported, not deleted.
 */
export function sweepModelStore(modelsDir: string, recordedFolders: ReadonlySet<string>): { removedPartial: string[]; unrecorded: string[] } {
  const removedPartial: string[] = [];
  const unrecorded: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(modelsDir);
  } catch {
    return { removedPartial, unrecorded };
  }
  for (const name of entries) {
    if (name.startsWith('.tmp-')) {
      rmSync(join(modelsDir, name), { recursive: true, force: true });
      removedPartial.push(name);
    } else if (!recordedFolders.has(name)) {
      unrecorded.push(name);
    }
  }
  return { removedPartial, unrecorded };
}
