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
