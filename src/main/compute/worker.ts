import * as tf from '@tensorflow/tfjs-core';
import { UMAP } from 'umap-js';
import { decodeUniqueList, slotPosition, type PositionScale } from '../../shared/ml/decode';
import { initBackend } from '../ml/backend';
import { evaluateModel } from '../ml/evaluate';
import { JointVae, fillEncoderInput } from '../ml/model';
import { ModelFileError, loadModel, saveModel } from '../ml/store';
import { storageFailure } from '../storage-errors';
import { TrainingCancelled, trainJointVae, trainabilityProblem } from '../ml/train';
import { VocabularyIndex } from '../ml/vocab';
import type { BenefitSpec } from '../ml/train';
import { GenerationCancelled, catalogLogDensities, kdeLogDensities, runGeneration, seededSubset, type GenerateOutcome } from '../generate/job';
import { buildCatalogContext, catalogKey, checkCandidate, type CatalogContext, type DecoderSpec } from '../generate/kernels';
import { targetsVerdict } from '../../shared/ml/objective';
import { SharedWork } from './shared-work';
import { nearestCatalogDistances, optimizeCodes, type HeadReading } from '../optimize/gradient';
import { kdeLogDensity, latentStatistics, whiten } from '../../shared/ml/latent';
import { GpFitError } from '../../shared/ml/gp';
import { DEFAULT_PROPOSAL_SETTINGS, candidatePool, fitOnCatalogScale, selectBatch } from '../optimize/bayes';
import { normalGenerator } from '../../shared/ml/linalg';
import { seededRandom } from '../../shared/ml/random';
import type {
  ComputeEvent,
  ComputeJob,
  ComputeRequest,
  DecodeJob,
  DecodeResult,
  EncodeJob,
  EncodeResult,
  GapsJob,
  GapsResult,
  KdeJob,
  KdeResult,
  GenerateJob,
  PredictJob,
  PredictResult,
  ScoreListsJob,
  ScoreListsResult,
  SensitivityJob,
  SensitivityResult,
  TrainJob,
  TrainResult,
  UmapJob,
  OptimizeJob,
  OptimizeResult,
  FaultJob,
  ProposeJob,
  ProposeResult,
  UmapResult,
} from './protocol';

/**
 * The compute process: owns TensorFlow.js (native tfjs-node must never load in a worker_thread
 * inside Electron), runs one job at a time, and talks to the app only through messages.
 * Runs as an Electron utilityProcess (process.parentPort) or a Node child process (process.send).
 */

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function post(event: ComputeEvent): void {
  if (parentPort) parentPort.postMessage(event);
  else process.send?.(event);
}

const cancelled = new Set<string>();
const models = new Map<
  string,
  { model: JointVae; index: VocabularyIndex; maxLength: number; lambda: number; positionScale: PositionScale; conditioning: number; benefits: BenefitSpec[]; decoder: DecoderSpec }
>();
/** The helper thread that shares the JavaScript work of the generate job and the KDE. */
const sharedWork = new SharedWork();

/** The settings the exact decoder needs, with each token's ingredient id (−1 for buckets). */
function decoderSpec(index: VocabularyIndex, m: { lambda: number; maxLength: number; positionScale: PositionScale }): DecoderSpec {
  const ingredientIds = new Int32Array(index.size);
  for (let t = 0; t < index.size; t++) ingredientIds[t] = index.emittable[t] ? (index.ingredientIdOf(t) ?? -1) : -1;
  return { lambda: m.lambda, maxLength: m.maxLength, positionScale: m.positionScale, allowed: index.emittable, ingredientIds };
}
let queue: Promise<void> = Promise.resolve();

async function handle(message: ComputeRequest): Promise<void> {
  if (message.type === 'cancel') {
    cancelled.add(message.jobId);
    return;
  }
  if (message.type === 'shutdown') {
    for (const m of models.values()) m.model.dispose();
    process.exit(0);
  }
  if (message.type === 'run') {
    // One job at a time; a cancel for a queued job is honoured when it starts.
    queue = queue.then(() => runJob(message.jobId, message.job));
  }
}

async function runJob(jobId: string, job: ComputeJob): Promise<void> {
  try {
    if (cancelled.has(jobId)) throw new TrainingCancelled();
    const result =
      job.kind === 'train'
        ? await train(jobId, job)
        : job.kind === 'encode'
          ? await encode(job)
          : job.kind === 'decode'
            ? await decode(job)
            : job.kind === 'predict'
              ? await predict(job)
              : job.kind === 'sensitivity'
                ? await sensitivity(jobId, job)
                : job.kind === 'generate'
                  ? await generate(jobId, job)
                  : job.kind === 'umap'
                    ? umap(job)
                    : job.kind === 'gaps'
                      ? await gaps(job)
                      : job.kind === 'kde'
                        ? await kde(jobId, job)
                        : job.kind === 'score-lists'
                          ? await scoreLists(job)
                          : job.kind === 'optimize'
                            ? await optimize(jobId, job)
                            : job.kind === 'propose'
                              ? await propose(jobId, job)
                              : fault(job);
    post({ type: 'done', jobId, result });
  } catch (error) {
    if (error instanceof TrainingCancelled || error instanceof GenerationCancelled) post({ type: 'cancelled', jobId });
    else {
      const storage = storageFailure(error, `${job.kind === 'train' ? 'saving the trained model' : `the ${job.kind} job`}`);
      const code = error instanceof ModelFileError ? 'model-file' : error instanceof GpFitError ? 'gp-failed' : (error as { code?: string }).code === 'untrainable' ? 'untrainable' : (storage?.code ?? 'compute-failed');
      post({ type: 'failed', jobId, error: { code, message: storage?.message ?? (error as Error)?.message ?? String(error) } });
    }
  } finally {
    cancelled.delete(jobId);
  }
}

async function train(jobId: string, job: TrainJob): Promise<TrainResult> {
  const problem = trainabilityProblem(job.data);
  if (problem) throw Object.assign(new Error(problem), { code: 'untrainable' });
  const backend = await initBackend();
  const outcome = await trainJointVae(job.data, job.config, {
    onProgress: (progress) => post({ type: 'progress', jobId, progress }),
    isCancelled: () => cancelled.has(jobId),
  });
  try {
    if (cancelled.has(jobId)) throw new TrainingCancelled();
    const { metrics, codes } = await evaluateModel(outcome.model, outcome.prepared, job.config);
    if (cancelled.has(jobId)) throw new TrainingCancelled();
    const saved = saveModel(job.modelsDir, job.folder, {
      vocabulary: outcome.prepared.vocabulary,
      weights: outcome.model.getWeights(),
      manifest: {
        createdAt: new Date().toISOString(),
        shape: outcome.shape,
        config: job.config,
        benefits: outcome.prepared.benefits,
        maxLength: outcome.prepared.maxLength,
        backend: backend.name,
        vocabularyHash: outcome.prepared.vocabulary.hash,
      },
    });
    return {
      folder: job.folder,
      manifestSha256: saved.manifestSha256,
      backend: backend.name,
      trainMs: outcome.trainMs,
      epochs: outcome.epochsRun,
      bestEpoch: outcome.bestEpoch,
      vocabularyHash: outcome.prepared.vocabulary.hash,
      vocabularySize: outcome.prepared.vocabulary.tokens.length,
      vocabulary: outcome.prepared.vocabulary.tokens,
      metrics,
      history: outcome.history,
      productIds: outcome.prepared.productIds,
      codes: codes.mu,
      latentDim: codes.dims,
    };
  } finally {
    outcome.model.dispose();
  }
}

async function loaded(path: string, sha: string) {
  const key = `${path}#${sha}`;
  const cached = models.get(key);
  if (cached) return cached;
  await initBackend();
  const saved = loadModel(path, sha);
  const entry = {
    model: JointVae.fromWeights(saved.manifest.shape, saved.weights),
    index: new VocabularyIndex(saved.vocabulary),
    maxLength: saved.manifest.maxLength,
    lambda: saved.manifest.config.rankWeight,
    positionScale: (saved.manifest.config.positionScale === 'log' ? { kind: 'log', maxLength: saved.manifest.maxLength } : { kind: 'relative' }) as PositionScale,
    benefits: saved.manifest.benefits,
    conditioning: saved.manifest.shape.conditioning,
  };
  const withDecoder = { ...entry, decoder: decoderSpec(entry.index, entry) };
  models.set(key, withDecoder);
  return withDecoder;
}

async function encode(job: EncodeJob): Promise<EncodeResult> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  const V = m.index.size;
  const width = V + m.conditioning;
  const x = new Float32Array(job.lists.length * width);
  const unknown: number[] = [];
  job.lists.forEach((list, i) => {
    const tokens = m.index.encode(list);
    unknown.push(list.length - tokens.filter((t) => m.index.emittable[t]).length);
    fillEncoderInput(x.subarray(i * width, i * width + V), tokens);
  });
  const input = tf.tensor2d(x, [job.lists.length, width]);
  const { mu, logVar } = m.model.encode(input);
  const values = mu.dataSync();
  tf.dispose([input, mu, logVar]);
  const D = m.model.shape.latent;
  return { codes: job.lists.map((_, i) => Array.from(values.subarray(i * D, (i + 1) * D))), unknown };
}

/** Encode and benefit heads in one job: the editor re-scores a list after every edit. */
async function scoreLists(job: ScoreListsJob): Promise<ScoreListsResult> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  const encoded = await encode({ kind: 'encode', modelPath: job.modelPath, manifestSha256: job.manifestSha256, lists: job.lists });
  const D = m.model.shape.latent;
  const codes = new Float32Array(encoded.codes.length * D);
  encoded.codes.forEach((c, i) => codes.set(c, i * D));
  return { ...encoded, benefits: predictCodes(m, codes, job.lists.length) };
}

async function decode(job: DecodeJob): Promise<DecodeResult> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  const D = m.model.shape.latent;
  for (const c of job.codes) if (c.length !== D) throw new Error(`a latent code has ${c.length} values; this model has ${D} dimensions`);
  const lists = decodeTokens(m, Float32Array.from(job.codes.flat()), job.codes.length);
  return { lists: lists.map((l) => l.map((t) => m.index.ingredientIdOf(t)!)) };
}

async function predict(job: PredictJob): Promise<PredictResult> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  const D = m.model.shape.latent;
  for (const c of job.codes) if (c.length !== D) throw new Error(`a latent code has ${c.length} values; this model has ${D} dimensions`);
  return { benefits: predictCodes(m, Float32Array.from(job.codes.flat()), job.codes.length) };
}

/** Benefit-head outputs in the benefits' own terms: probability for flags, original units for scores. */
function predictCodes(m: Awaited<ReturnType<typeof loaded>>, codes: Float32Array, count: number): Record<string, number>[] {
  const D = m.model.shape.latent;
  const z = tf.tensor2d(codes, [count, D]);
  const out = m.model.predictBenefits(z);
  const values = out.dataSync();
  tf.dispose([z, out]);
  const B = Math.max(1, m.benefits.length);
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(
      m.benefits.map((spec, b) => {
        const raw = values[i * B + b]!;
        return [spec.name, spec.kind === 'flag' ? 1 / (1 + Math.exp(-raw)) : raw * spec.std + spec.mean];
      }),
    ),
  );
}

/** Runs the decoder over codes (rows × D) in batches, handing each row's logits and positions to `use`. */
function forEachDecoded(m: Awaited<ReturnType<typeof loaded>>, codes: Float32Array, count: number, use: (logits: Float32Array, positions: Float32Array) => void): void {
  const D = m.model.shape.latent;
  const V = m.index.size;
  for (let start = 0; start < count; start += 512) {
    const n = Math.min(512, count - start);
    const z = tf.tensor2d(codes.subarray(start * D, (start + n) * D), [n, D]);
    const { logits, positions } = m.model.decode(z);
    const a = logits.dataSync() as Float32Array;
    const p = positions.dataSync() as Float32Array;
    tf.dispose([z, logits, positions]);
    for (let i = 0; i < n; i++) use(a.subarray(i * V, (i + 1) * V), p.subarray(i * V, (i + 1) * V));
  }
}

/** Decoder outputs for codes: logits and every position. */
function forwardAll(m: Awaited<ReturnType<typeof loaded>>, codes: Float32Array, count: number): { logits: Float32Array; positions: Float32Array } {
  const z = tf.tensor2d(codes, [count, m.model.shape.latent]);
  const { logits, positions } = m.model.decode(z);
  const out = { logits: logits.dataSync() as Float32Array, positions: positions.dataSync() as Float32Array };
  tf.dispose([z, logits, positions]);
  return out;
}

/** Decodes codes (rows × D) to token lists with the exact unique decoder. */
function decodeTokens(m: Awaited<ReturnType<typeof loaded>>, codes: Float32Array, count: number): number[][] {
  const out: number[][] = [];
  forEachDecoded(m, codes, count, (a, p) => {
    out.push(decodeUniqueList(a, p, { lambda: m.lambda, maxLength: m.maxLength, allowed: m.index.emittable, positionScale: m.positionScale }).indices);
  });
  return out;
}

/**
 * The seed's decoding, as a baseline: as many slots as the model expects ingredients (p > 0.5),
 * each filled independently with the token that maximises a − λ(r − μ)²; repeats and rare or
 * unknown buckets are allowed (null marks a bucket).
 */
function decodePerSlot(m: Awaited<ReturnType<typeof loaded>>, codes: Float32Array, count: number): (number | null)[][] {
  const V = m.index.size;
  const out: (number | null)[][] = [];
  forEachDecoded(m, codes, count, (a, p) => {
    let length = 0;
    for (let v = 0; v < V; v++) if (a[v]! > 0) length++;
    length = Math.max(1, Math.min(length, m.maxLength));
    const slots: (number | null)[] = [];
    for (let j = 0; j < length; j++) {
      const r = slotPosition(j, length, m.positionScale);
      let best = 0;
      let bestValue = -Infinity;
      for (let v = 0; v < V; v++) {
        const d = r - p[v]!;
        const value = a[v]! - m.lambda * d * d;
        if (value > bestValue) {
          bestValue = value;
          best = v;
        }
      }
      slots.push(m.index.emittable[best] ? m.index.ingredientIdOf(best)! : null);
    }
    out.push(slots);
  });
  return out;
}

async function sensitivity(jobId: string, job: SensitivityJob): Promise<SensitivityResult> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  const D = job.latentDim;
  if (D !== m.model.shape.latent) throw new Error(`catalog codes have ${D} dimensions; this model has ${m.model.shape.latent}`);
  const n = job.catalogCodes.length / D;
  const rand = seededRandom(job.seed);
  const normal = normalGenerator(rand);
  const baseRows = Array.from({ length: Math.min(job.baseCount, n) }, () => Math.floor(rand() * n));
  const base = new Float32Array(baseRows.length * D);
  baseRows.forEach((r, i) => base.set(job.catalogCodes.subarray(r * D, (r + 1) * D), i * D));
  const baseLists = decodeTokens(m, base, baseRows.length).map((l) => new Set(l));
  const result: SensitivityResult = { normal: [], empirical: [], decodes: baseRows.length };
  const copies = baseRows.length * job.resamples;
  for (let d = 0; d < D; d++) {
    for (const source of ['normal', 'empirical'] as const) {
      if (cancelled.has(jobId)) throw new TrainingCancelled();
      const codes = new Float32Array(copies * D);
      for (let i = 0; i < copies; i++) {
        const b = Math.floor(i / job.resamples);
        codes.set(base.subarray(b * D, (b + 1) * D), i * D);
        codes[i * D + d] = source === 'normal' ? normal() : job.catalogCodes[Math.floor(rand() * n) * D + d]!;
      }
      const lists = decodeTokens(m, codes, copies);
      let changed = 0;
      lists.forEach((list, i) => {
        const ref = baseLists[Math.floor(i / job.resamples)]!;
        const set = new Set(list);
        for (const t of set) if (!ref.has(t)) changed++;
        for (const t of ref) if (!set.has(t)) changed++;
      });
      result[source].push(changed / copies);
      result.decodes += copies;
    }
    post({ type: 'progress', jobId, progress: { kind: 'stage', stage: 'sensitivity', done: d + 1, total: D } });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return result;
}

async function generate(jobId: string, job: GenerateJob): Promise<GenerateOutcome> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  if (job.latentDim !== m.model.shape.latent) throw new Error(`catalog codes have ${job.latentDim} dimensions; this model has ${m.model.shape.latent}`);
  return runGeneration({
    params: job.params,
    catalogCodes: job.catalogCodes,
    latentDim: job.latentDim,
    catalogLists: job.catalogLists,
    facts: job.facts,
    incompatible: job.incompatible,
    decoder: m.decoder,
    forward: (codes, count) => forwardAll(m, codes, count),
    decodePerSlot: (codes, count) => decodePerSlot(m, codes, count),
    predict: (codes, count) => predictCodes(m, codes, count),
    work: sharedWork,
    isCancelled: () => cancelled.has(jobId),
  });
}

/** The most products the gap search compares pairwise. */
const GAPS_MAX_PRODUCTS = 5_000;

async function gaps(job: GapsJob): Promise<GapsResult> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  const D = job.latentDim;
  // The neighbour search is quadratic: a large catalog is represented by a seeded subset.
  const { rows: subset, values: catalogCodes, count: n } = seededSubset(job.catalogCodes, job.catalogCodes.length / D, D, GAPS_MAX_PRODUCTS);
  const original = (row: number) => (subset ? subset[row]! : row);
  const stats = latentStatistics(catalogCodes, n, D);
  const white = Float32Array.from(whiten(catalogCodes, n, stats));
  const h = Math.pow(n, -1 / (D + 4));
  const density = await kdeLogDensities(white, n, white, n, D, h, true, sharedWork);
  const sorted = Array.from(density).sort((a, b) => a - b);
  const q25 = sorted[Math.floor(0.25 * (n - 1))]!;
  // Nearest neighbours of each product among the well-supported ones, in whitened space.
  const supported = Array.from({ length: n }, (_, i) => i).filter((i) => density[i]! >= q25);
  const pairs = new Set<string>();
  for (const i of supported) {
    const near = supported
      .filter((j) => j !== i)
      .map((j) => {
        let s = 0;
        for (let k = 0; k < D; k++) s += (white[i * D + k]! - white[j * D + k]!) ** 2;
        return { j, s };
      })
      .sort((a, b) => a.s - b.s)
      .slice(0, job.neighbours);
    for (const { j } of near) pairs.add(i < j ? `${i},${j}` : `${j},${i}`);
  }
  const list = [...pairs].map((p) => p.split(',').map(Number) as [number, number]);
  const mid = new Float32Array(list.length * D);
  list.forEach(([a, b], r) => {
    for (let k = 0; k < D; k++) mid[r * D + k] = (white[a * D + k]! + white[b * D + k]!) / 2;
  });
  // Support from the rest of the catalog: the pair's own kernels are left out at the midpoint,
  // as each endpoint's own kernel is left out of its density.
  const midDensity = kdeLogDensity(Float64Array.from(mid), list.length, Float64Array.from(white), n, D, h, (r, i) => i === list[r]![0] || i === list[r]![1]);
  const found = list
    .map(([a, b], r) => ({ a, b, r, d: midDensity[r]!, depth: Math.min(density[a]!, density[b]!) - midDensity[r]! }))
    .filter((g) => g.depth > 0)
    .sort((x, y) => y.depth - x.depth || x.a - y.a)
    .slice(0, job.count);
  // Back to latent coordinates (the midpoint of two codes), then decode and predict.
  const codes = new Float32Array(found.length * D);
  found.forEach((g, i) => {
    for (let k = 0; k < D; k++) codes[i * D + k] = (catalogCodes[g.a * D + k]! + catalogCodes[g.b * D + k]!) / 2;
  });
  const lists = decodeTokens(m, codes, found.length);
  const benefits = predictCodes(m, codes, found.length);
  return {
    midpointsScored: list.length,
    gaps: found.map((g, i) => ({
      rowA: original(g.a),
      rowB: original(g.b),
      midpointLogDensity: g.d,
      endpointLogDensity: [density[g.a]!, density[g.b]!],
      depth: g.depth,
      code: Array.from(codes.subarray(i * D, (i + 1) * D)),
      ingredientIds: lists[i]!.map((t) => m.index.ingredientIdOf(t)!),
      benefits: benefits[i]!,
    })),
  };
}

/** KDE on tensors (the backend is ready: the worker reports ready only after initialising it). */
async function kde(jobId: string, job: KdeJob): Promise<KdeResult> {
  const n = job.references.length / job.dims;
  const options = { isCancelled: () => cancelled.has(jobId) };
  if (job.queries === null) return { logDensity: (await catalogLogDensities(job.references, n, job.dims, job.bandwidth, sharedWork, options)).density };
  // Scored against the same kernels as the catalog's own densities.
  const kernels = seededSubset(job.references, n, job.dims);
  return { logDensity: await kdeLogDensities(job.queries, job.queries.length / job.dims, kernels.values, kernels.count, job.dims, job.bandwidth, false, sharedWork, options) };
}

/** The last UMAP fit, kept so that placing codes on the map shown does not fit it again. */
let lastUmap: { key: string; projection: UMAP; points: Float32Array } | null = null;

/** UMAP on the codes, seeded so the same catalog and seed give the same map; optionally places further codes on it. */
function umap(job: UmapJob): UmapResult {
  const D = job.latentDim;
  const n = job.codes.length / D;
  const rowsOf = (codes: Float32Array, count: number) => Array.from({ length: count }, (_, i) => Array.from(codes.subarray(i * D, (i + 1) * D)));
  const key = `${job.seed}|${job.neighbours}|${job.minDistance}|${D}|${n}|${codesChecksum(job.codes)}`;
  if (lastUmap?.key !== key) {
    const projection = new UMAP({ nComponents: 2, nNeighbors: Math.min(job.neighbours, n - 1), minDist: job.minDistance, random: seededRandom(job.seed) });
    const points = Float32Array.from(projection.fit(rowsOf(job.codes, n)).flat());
    lastUmap = { key, projection, points };
  }
  if (!job.place || job.place.length === 0) return { points: lastUmap.points };
  const m = job.place.length / D;
  const rows = rowsOf(job.place, m);
  // umap-js moves the fitted embedding too when as many points are placed as were fitted: one
  // more (a copy, dropped afterwards) keeps the catalog's map fixed.
  if (m === n) rows.push(rows[0]!);
  const placed = lastUmap.projection.transform(rows).slice(0, m);
  return { points: lastUmap.points, placed: Float32Array.from(placed.flat()) };
}

/** A cheap fingerprint of a code matrix (position-weighted sum of its bit patterns). */
function codesChecksum(codes: Float32Array): string {
  const bits = new Uint32Array(codes.buffer, codes.byteOffset, codes.length);
  let a = 0;
  let b = 0;
  for (let i = 0; i < bits.length; i++) {
    a = (a + bits[i]!) >>> 0;
    b = (b + Math.imul(a, i + 1)) >>> 0;
  }
  return `${a.toString(16)}${b.toString(16)}`;
}

/** The checks' catalog tables for optimisation and BO proposals, kept while the catalog is the same. */
let checksContext: { key: string; context: CatalogContext } | null = null;

/** Gradient optimisation from each start, then the recorded codes decoded and predicted, and each final list encoded again. */
async function optimize(jobId: string, job: OptimizeJob): Promise<OptimizeResult> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  const D = m.model.shape.latent;
  if (job.starts.length !== job.rows * D) throw new Error(`the starts have ${job.starts.length / Math.max(1, job.rows)} values each; this model has ${D} dimensions`);
  const heads: HeadReading[] = job.terms.map((t) => {
    const index = m.benefits.findIndex((b) => b.name === t.benefit);
    if (index < 0) throw new Error(`the model has no benefit head "${t.benefit}"`);
    const spec = m.benefits[index]!;
    return { index, flag: spec.kind === 'flag', scale: spec.std, offset: spec.mean };
  });
  const decodeIds = (codes: Float32Array, rows: number) => decodeTokens(m, codes, rows).map((l) => l.map((t) => m.index.ingredientIdOf(t)!));
  const contextKey = catalogKey(job.checks.spec.catalogLists, job.checks.spec.facts.length);
  if (checksContext?.key !== contextKey) checksContext = { key: contextKey, context: buildCatalogContext(job.checks.spec) };
  const context = checksContext.context;
  // The soft cycle reads the decoder's relative positions as the encoder does (1 − r/2).
  const cycle =
    m.positionScale.kind === 'relative'
      ? (z: tf.Tensor2D) =>
          tf.tidy(() => {
            const { logits, positions } = m.model.decode(z);
            let x = tf.mul(tf.sigmoid(logits), tf.sub(1, tf.mul(0.5, positions))) as tf.Tensor2D;
            if (m.conditioning > 0) x = tf.pad(x, [[0, 0], [0, m.conditioning]]);
            return m.model.encode(x).mu;
          })
      : null;
  // A sharpened sigmoid: many tokens at small probability must not add up to phantom ingredients.
  const softLength = (z: tf.Tensor2D) => tf.tidy(() => tf.sum(tf.sigmoid(tf.mul(4, m.model.decode(z).logits)), 1) as tf.Tensor1D);
  const traces = await optimizeCodes({ predictBenefits: (z) => m.model.predictBenefits(z), cycle, softLength }, job.starts, job.rows, { ...job, heads }, {
    isCancelled: () => cancelled.has(jobId),
    cancel: () => new GenerationCancelled(),
    onProgress: (step) => post({ type: 'progress', jobId, progress: { kind: 'stage', stage: 'optimise', done: step, total: job.maxSteps } }),
    project: async (codes, rows) => Float32Array.from((await encode({ kind: 'encode', modelPath: job.modelPath, manifestSha256: job.manifestSha256, lists: decodeIds(codes, rows) })).codes.flat()),
    judge: async (codes, rows) => {
      const lists = decodeIds(codes, rows);
      const again = await encode({ kind: 'encode', modelPath: job.modelPath, manifestSha256: job.manifestSha256, lists });
      const here = predictCodes(m, codes, rows);
      const there = predictCodes(m, Float32Array.from(again.codes.flat()), rows);
      return lists.map((list, i) => targetsVerdict(job.terms, here[i]!).met && targetsVerdict(job.terms, there[i]!).met && checkCandidate(context, job.checks.thresholds, list, here[i]!).passed);
    },
  });
  // Every recorded code decoded (exact unique decoding) and predicted at once.
  const recorded = traces.flatMap((t) => t.path);
  const codes = new Float32Array(recorded.length * D);
  recorded.forEach((p, i) => codes.set(p.code, i * D));
  const lists = decodeTokens(m, codes, recorded.length).map((l) => l.map((t) => m.index.ingredientIdOf(t)!));
  const benefits = predictCodes(m, codes, recorded.length);
  // Consistency: each final list encoded again, and its benefits predicted from that code.
  let at = 0;
  const finals = traces.map((t) => (at += t.path.length) - 1);
  const again = await encode({ kind: 'encode', modelPath: job.modelPath, manifestSha256: job.manifestSha256, lists: finals.map((i) => lists[i]!) });
  const reencoded = predictCodes(m, Float32Array.from(again.codes.flat()), finals.length);
  const finalCodes = new Float32Array(finals.length * D);
  finals.forEach((i, r) => finalCodes.set(recorded[i]!.code, r * D));
  const distances = nearestCatalogDistances(finalCodes, finals.length, job.catalogCodes, D);
  let k = 0;
  return {
    restarts: traces.map((t, r) => ({
      steps: t.steps,
      stopReason: t.stopReason,
      path: t.path.map((p) => {
        const i = k++;
        return { step: p.step, code: Array.from(p.code), objective: p.objective, benefits: benefits[i]!, ingredientIds: lists[i]! };
      }),
      reencodedBenefits: reencoded[r]!,
      nearestDistance: distances[r]!,
    })),
  };
}

/** Bayesian optimisation: encode the measured lists, fit the GP, decode and check a pool of codes, choose a batch from it. */
async function propose(jobId: string, job: ProposeJob): Promise<ProposeResult> {
  const m = await loaded(job.modelPath, job.manifestSha256);
  const D = m.model.shape.latent;
  const catalogRows = job.catalogCodes.length / D;
  if (!Number.isInteger(catalogRows) || catalogRows < 2) throw new Error(`the catalog codes do not fit this model's ${D} dimensions`);
  const progress = (done: number) => post({ type: 'progress', jobId, progress: { kind: 'stage', stage: 'propose', done, total: 4 } });
  const fitStarted = performance.now();
  const stats = latentStatistics(job.catalogCodes, catalogRows, D);
  const measured = await encode({ kind: 'encode', modelPath: job.modelPath, manifestSha256: job.manifestSha256, lists: job.measuredLists });
  const measuredCodes = Float32Array.from(measured.codes.flat());
  const gp = fitOnCatalogScale(measuredCodes, job.values, stats);
  const fitMs = performance.now() - fitStarted;
  progress(1);
  if (cancelled.has(jobId)) throw new GenerationCancelled();

  // The candidate set: the pool decoded; new distinct lists that pass the checks, encoded again.
  const searchStarted = performance.now();
  const settings = { ...DEFAULT_PROPOSAL_SETTINGS, batch: job.batch, priorWeight: job.priorWeight, xi: job.xi, seed: job.seed };
  const pool = candidatePool(stats, { codes: measuredCodes, y: job.values }, settings);
  const poolRows = pool.length / D;
  const lists = decodeTokens(m, pool, poolRows).map((l) => l.map((t) => m.index.ingredientIdOf(t)!));
  progress(2);
  if (cancelled.has(jobId)) throw new GenerationCancelled();
  const seen = new Set(job.measuredLists.map((l) => l.join(',')));
  const fresh: number[][] = [];
  for (const list of lists) {
    const key = list.join(',');
    if (list.length === 0 || seen.has(key)) continue;
    seen.add(key);
    fresh.push(list);
  }
  const contextKey = catalogKey(job.checks.spec.catalogLists, job.checks.spec.facts.length);
  if (checksContext?.key !== contextKey) checksContext = { key: contextKey, context: buildCatalogContext(job.checks.spec) };
  const context = checksContext.context;
  const passing = fresh.filter((list) => checkCandidate(context, job.checks.thresholds, list, {}).passed);
  const usedUnchecked = passing.length === 0;
  const candidates = usedUnchecked ? fresh : passing;
  if (candidates.length === 0) throw new Error(`none of the ${poolRows} codes searched decoded to a list that has not been measured already`);
  const encoded = await encode({ kind: 'encode', modelPath: job.modelPath, manifestSha256: job.manifestSha256, lists: candidates });
  const candidateCodes = Float32Array.from(encoded.codes.flat());
  progress(3);
  let best = -Infinity;
  for (const v of job.values) best = Math.max(best, (v - gp.yMean) / gp.yStd);
  const chosen = selectBatch(gp, candidateCodes, candidates.length, best, settings);
  const searchMs = performance.now() - searchStarted;
  const codes = new Float32Array(chosen.length * D);
  chosen.forEach((p, i) => codes.set(candidateCodes.subarray(p.index * D, (p.index + 1) * D), i * D));
  const benefits = chosen.length ? predictCodes(m, codes, chosen.length) : [];
  progress(4);
  return {
    gp: { lengthScale: gp.lengthScale, signalVariance: gp.signalVariance, noiseVariance: gp.noiseVariance, logMarginalLikelihood: gp.logMarginalLikelihood },
    proposals: chosen.map((p, i) => ({
      code: Array.from(codes.subarray(i * D, (i + 1) * D)),
      ingredientIds: candidates[p.index]!,
      expectedImprovement: p.expectedImprovement * gp.yStd,
      mean: p.mean * gp.yStd + gp.yMean,
      sd: p.sd * gp.yStd,
      acquisition: p.acquisition,
      benefits: benefits[i]!,
    })),
    pool: { codes: poolRows, distinctNew: fresh.length, passed: passing.length, usedUnchecked },
    fitMs,
    searchMs,
  };
}

/** What the `oom` fault holds on to, so the collector cannot free it. */
const hoard: unknown[][] = [];

function fault(job: FaultJob): never {
  if (job.fault === 'exit') process.exit(70);
  if (job.fault === 'abort') process.abort();
  if (job.fault === 'oom') {
    for (;;) hoard.push(new Array<unknown>(1 << 20).fill({}));
  }
  if (job.fault === 'hang') {
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      // Busy loop on purpose: the host must cope with a worker that stops answering.
    }
  }
  throw new Error('injected fault');
}

function onMessage(data: unknown): void {
  void handle(data as ComputeRequest).catch((error: unknown) => {
    process.stderr.write(`compute process: ${String(error)}\n`);
  });
}

if (parentPort) parentPort.on('message', (e) => onMessage(e.data));
else {
  process.on('message', onMessage);
  // The app died without saying goodbye (kill -9, a crash): nothing is left to answer to, so
  // stop rather than compute on as an orphan. (Electron ends utility processes with the app.)
  process.on('disconnect', () => process.exit(0));
}

// The helper thread loads alongside the backend, so the first job already shares its work.
void Promise.all([initBackend(), sharedWork.ready()]).then(
  ([backend]) => post({ type: 'ready', backend: { ...backend, threads: sharedWork.participants, helperProblem: sharedWork.helperProblem }, pid: process.pid }),
  (error: unknown) => {
    process.stderr.write(`compute process: no TensorFlow.js backend: ${String(error)}\n`);
    process.exit(1);
  },
);
