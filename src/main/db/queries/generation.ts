import type { Database } from 'better-sqlite3';

/** Typed queries over stored generation runs and their decoded candidates. */

/** One decoded candidate of a stored run, with the run's model and parameters. */
export interface StoredGeneratedCandidate {
  runId: number;
  rank: number;
  passed: boolean;
  ingredientIds: number[];
  /** As stored by the generate job: score, novelty, plausibility, logDensity, benefits, nearestProductId. */
  scores: {
    score?: number;
    novelty?: number;
    plausibility?: number;
    logDensity?: number;
    benefits?: Record<string, number>;
    nearestProductId?: number | null;
    /** Half-width of each benefit's 80 % interval, for runs that predicted benefits from the lists. */
    uncertainty?: Record<string, number>;
    /** With a brief's category: what the category classifier reads the list as. */
    readsAs?: { category: string; probability: number };
  };
  reasons: string[];
  run: {
    createdAt: string;
    backend: string;
    params: Record<string, unknown>;
    modelId: number;
    modelName: string;
    modelSha256: string;
  };
}

/** The candidate ranked `rank` in run `runId`, or null. */
export function getGeneratedCandidate(db: Database, runId: number, rank: number): StoredGeneratedCandidate | null {
  const row = db
    .prepare(
      `SELECT c.passed, c.ingredients, c.scores, c.reasons, r.created_at AS createdAt, r.backend, r.params,
              m.id AS modelId, m.name AS modelName, m.manifest_sha256 AS modelSha256
         FROM generated_candidates c
         JOIN generation_runs r ON r.id = c.run_id
         JOIN models m ON m.id = r.model_id
        WHERE c.run_id = ? AND c.rank = ?`,
    )
    .get(runId, rank) as
    | { passed: number; ingredients: string; scores: string; reasons: string; createdAt: string; backend: string; params: string; modelId: number; modelName: string; modelSha256: string }
    | undefined;
  if (!row) return null;
  return {
    runId,
    rank,
    passed: row.passed === 1,
    ingredientIds: JSON.parse(row.ingredients) as number[],
    scores: JSON.parse(row.scores) as StoredGeneratedCandidate['scores'],
    reasons: JSON.parse(row.reasons) as string[],
    run: {
      createdAt: row.createdAt,
      backend: row.backend,
      params: JSON.parse(row.params) as Record<string, unknown>,
      modelId: row.modelId,
      modelName: row.modelName,
      modelSha256: row.modelSha256,
    },
  };
}

/** Every decoded candidate of a stored run, by rank (null when there is no such run). */
export function getRunCandidates(db: Database, runId: number): Omit<StoredGeneratedCandidate, 'run'>[] | null {
  if (!db.prepare(`SELECT 1 FROM generation_runs WHERE id = ?`).get(runId)) return null;
  const rows = db.prepare(`SELECT rank, passed, ingredients, scores, reasons FROM generated_candidates WHERE run_id = ? ORDER BY rank`).all(runId) as {
    rank: number;
    passed: number;
    ingredients: string;
    scores: string;
    reasons: string;
  }[];
  return rows.map((row) => ({
    runId,
    rank: row.rank,
    passed: row.passed === 1,
    ingredientIds: JSON.parse(row.ingredients) as number[],
    scores: JSON.parse(row.scores) as StoredGeneratedCandidate['scores'],
    reasons: JSON.parse(row.reasons) as string[],
  }));
}

/** A stored latent code (float32 values in a blob) as its own Float32Array (the blob's buffer may be shared). */
export function float32FromBlob(blob: Buffer): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

/** The list and latent code of the candidate ranked `rank` in run `runId`, with the run's model; null when there is none. */
export function getGeneratedCandidateCode(db: Database, runId: number, rank: number): { ingredientIds: number[]; code: Float32Array; modelId: number } | null {
  const row = db
    .prepare(`SELECT c.ingredients, c.code, r.model_id AS modelId FROM generated_candidates c JOIN generation_runs r ON r.id = c.run_id WHERE c.run_id = ? AND c.rank = ?`)
    .get(runId, rank) as { ingredients: string; code: Buffer; modelId: number } | undefined;
  return row ? { ingredientIds: JSON.parse(row.ingredients) as number[], code: float32FromBlob(row.code), modelId: row.modelId } : null;
}

/** A stored run as the map names it. */
export interface GenerationRunHeader {
  id: number;
  modelId: number;
  createdAt: string;
}

/** Run `runId`, or (without it) the latest run of model `modelId`; null when there is none. */
export function getGenerationRunHeader(db: Database, which: { runId: number } | { latestOfModel: number }): GenerationRunHeader | null {
  const row =
    'runId' in which
      ? db.prepare(`SELECT id, model_id AS modelId, created_at AS createdAt FROM generation_runs WHERE id = ?`).get(which.runId)
      : db.prepare(`SELECT id, model_id AS modelId, created_at AS createdAt FROM generation_runs WHERE model_id = ? ORDER BY id DESC LIMIT 1`).get(which.latestOfModel);
  return (row as GenerationRunHeader | undefined) ?? null;
}

/** How many candidates of a run passed every check, and the first `limit` of them by rank with their codes. */
export function getPassedCandidateCodes(
  db: Database,
  runId: number,
  limit: number,
): { passed: number; candidates: { rank: number; ingredientIds: number[]; code: Float32Array; score: number | null }[] } {
  const passed = (db.prepare(`SELECT count(*) AS n FROM generated_candidates WHERE run_id = ? AND passed = 1`).get(runId) as { n: number }).n;
  const rows = db
    .prepare(`SELECT rank, ingredients, code, scores FROM generated_candidates WHERE run_id = ? AND passed = 1 ORDER BY rank LIMIT ?`)
    .all(runId, limit) as { rank: number; ingredients: string; code: Buffer; scores: string }[];
  return {
    passed,
    candidates: rows.map((r) => ({
      rank: r.rank,
      ingredientIds: JSON.parse(r.ingredients) as number[],
      code: float32FromBlob(r.code),
      score: (JSON.parse(r.scores) as { score?: number }).score ?? null,
    })),
  };
}

/** A finished generate run as stored: its parameters and measurements (each column's JSON as the run reported it). */
export interface NewGenerationRun {
  modelId: number;
  createdAt: string;
  backend: string;
  params: unknown;
  timings: unknown;
  counts: unknown;
  quality: unknown;
  densityFloor: number;
}

/** One decoded candidate of a run, ranked by its position in the list given to `insertGenerationRun`. */
export interface NewGeneratedCandidate {
  passed: boolean;
  ingredientIds: readonly number[];
  code: readonly number[];
  scores: StoredGeneratedCandidate['scores'];
  reasons: readonly string[];
}

/** Stores a run and every candidate (rank = position + 1) in one transaction; returns the run's id. */
export function insertGenerationRun(db: Database, run: NewGenerationRun, candidates: readonly NewGeneratedCandidate[]): number {
  return db.transaction(() => {
    const id = Number(
      db
        .prepare(`INSERT INTO generation_runs (model_id, created_at, backend, params, timings, counts, quality, density_floor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(run.modelId, run.createdAt, run.backend, JSON.stringify(run.params), JSON.stringify(run.timings), JSON.stringify(run.counts), JSON.stringify(run.quality), run.densityFloor)
        .lastInsertRowid,
    );
    const insert = db.prepare(`INSERT INTO generated_candidates (run_id, rank, passed, ingredients, code, scores, reasons) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    candidates.forEach((c, i) => {
      const code = Float32Array.from(c.code);
      insert.run(id, i + 1, c.passed ? 1 : 0, JSON.stringify(c.ingredientIds), Buffer.from(code.buffer), JSON.stringify(c.scores), JSON.stringify(c.reasons));
    });
    return id;
  }).immediate();
}
