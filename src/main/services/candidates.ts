import { resolve } from 'node:path';
import { ApiFailure, MAX_CANDIDATE_INGREDIENTS, type CandidateDetail, type CandidateSummary } from '../../shared/api';
import { candidatesTable, candidatesToCsv, diffOrderedLists } from '../../shared/candidates';
import { parseInciDeclaration } from '../../shared/inci/parse';
import { AtomicWriteError, writeFileAtomically } from '../atomic-file';
import { tableToXlsx } from '../xlsx-write';
import { checkSavedFormula } from './formula';
import {
  deleteCandidate,
  findMissingIngredientIds,
  getAllCandidateIds,
  getCandidateDetail,
  getCandidateSummaries,
  listCandidates,
  saveCandidateVersion,
  updateCandidateMetadata,
  type CandidateMetadata,
  type NewCandidateVersion,
} from '../db/queries/candidates';
import { getGeneratedCandidate } from '../db/queries/generation';
import { findIngredientIdByKey } from '../db/queries/ingredients';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { generatedProvenance, generatedScores } from './generate';

/** The candidates capability: the shortlist of saved lists with their versions, comparison and CSV export. */
export const candidatesHandlers: HandlersOf<'saveCandidate' | 'saveGeneratedCandidate' | 'listCandidates' | 'getCandidate' | 'updateCandidate' | 'deleteCandidate' | 'compareCandidates' | 'exportCandidatesCsv' | 'candidatesCsv' | 'exportCandidatesXlsx' | 'candidatesXlsx' | 'chooseExportPath'> = {
  /**
   * Saves a list as a new candidate, or as the next version of candidate `id` (with any given
   * metadata changed in the same transaction). The list is ingredient ids, or a declaration
   * read through the ingredient lexicon; unknown ingredients are refused by name and nothing
   * is written.
   */
  async saveCandidate(cx, { id, name, ingredientIds, declaration, changeNote, notes, tags, status, rating, scores, reasons, provenance, formula }) {
    return cx.exclusive(() => {
      const list = ingredientIds ? checkCandidateIngredientIds(cx, ingredientIds) : resolveCandidateDeclaration(cx, declaration!);
      if (formula) checkSavedFormula(cx, list, formula);
      return storeCandidateVersion(cx, id ?? null, { name, notes, tags, status, rating }, { ingredientIds: list, changeNote, scores, reasons, provenance, formula });
    });
  },

  /**
   * Saves a stored generated candidate (run and rank, as in the run's shortlist): its list,
   * the scores and reasons recorded by the run, and provenance naming the run, the rank, the
   * model (id and manifest sha256), the seed and every parameter of the run.
   */
  async saveGeneratedCandidate(cx, { runId, rank, id, name, changeNote, notes, tags, status, rating }) {
    return cx.exclusive(() => {
      const generated = getGeneratedCandidate(cx.db, runId, rank);
      if (!generated) throw new ApiFailure('not-found', `generation run ${runId} has no candidate ranked ${rank}; nothing was saved`);
      return storeCandidateVersion(
        cx,
        id ?? null,
        { name: name ?? (id === undefined ? `Run ${runId} #${rank}` : undefined), notes, tags, status, rating },
        { ingredientIds: generated.ingredientIds, changeNote, scores: generatedScores(generated.scores), reasons: generated.reasons, provenance: generatedProvenance(generated) },
      );
    });
  },

  /** Saved candidates at their latest version, filtered by text in name or notes, tag, status and minimum rating. */
  async listCandidates(cx, filter) {
    return listCandidates(cx.db, filter);
  },

  /** A candidate with every version, each list resolved to INCI names. */
  async getCandidate(cx, { id }) {
    return requireCandidate(cx, id);
  },

  /** Changes a candidate's name, notes, tags (replaced as a set), status or rating without adding a version. */
  async updateCandidate(cx, { id, ...patch }) {
    return cx.exclusive(() => {
      if (!updateCandidateMetadata(cx.db, id, patch, new Date().toISOString())) throw new ApiFailure('not-found', `there is no candidate with id ${id}`);
      return getCandidateSummaries(cx.db, [id])[0]!;
    });
  },

  /** Deletes a candidate and its whole history. */
  async deleteCandidate(cx, { id }) {
    return cx.exclusive(() => {
      const deleted = deleteCandidate(cx.db, id);
      if (!deleted) throw new ApiFailure('not-found', `there is no candidate with id ${id}`);
      return deleted;
    });
  },

  /** How B's list differs from A's (shared, only in one, moved) and their scores side by side. */
  async compareCandidates(cx, { a, b, versionA, versionB }) {
    const first = candidateAtVersion(cx, a, versionA);
    const second = candidateAtVersion(cx, b, versionB);
    const inci = new Map([...first.version.ingredients, ...second.version.ingredients].map((x) => [x.ingredientId, x.inci]));
    const diff = diffOrderedLists(
      first.version.ingredients.map((x) => x.ingredientId),
      second.version.ingredients.map((x) => x.ingredientId),
    );
    const named = <T extends { item: number }>({ item, ...rest }: T) => ({ ingredientId: item, inci: inci.get(item)!, ...rest });
    const scoreNames = [...new Set([...Object.keys(first.version.scores), ...Object.keys(second.version.scores)])].sort();
    return {
      a: { id: a, name: first.name, version: first.version.version, ingredients: first.version.ingredients },
      b: { id: b, name: second.name, version: second.version.version, ingredients: second.version.ingredients },
      shared: diff.shared.map(named),
      onlyInA: diff.onlyInA.map(named),
      onlyInB: diff.onlyInB.map(named),
      moved: diff.moved.map(named),
      jaccard: diff.jaccard,
      weightedJaccard: diff.weightedJaccard,
      scores: scoreNames.map((name) => ({ name, a: first.version.scores[name] ?? null, b: second.version.scores[name] ?? null })),
    };
  },

  /**
   * Writes the candidates (all, oldest first, when `ids` is omitted) at their latest version as
   * CSV to `path`, atomically: the file is the complete export or what it was before.
   */
  async exportCandidatesCsv(cx, { ids, path }) {
    const candidates = candidatesForExport(cx, ids);
    return { path: writeExport(path, candidatesToCsv(candidates)), rows: candidates.length };
  },

  /** The export's CSV text without writing a file (the web preview offers it as a download). */
  async candidatesCsv(cx, { ids }) {
    const candidates = candidatesForExport(cx, ids);
    return { csv: candidatesToCsv(candidates), rows: candidates.length };
  },

  /** The same export as an Excel workbook, written atomically like the CSV. */
  async exportCandidatesXlsx(cx, { ids, path }) {
    const candidates = candidatesForExport(cx, ids);
    return { path: writeExport(path, await tableToXlsx(candidatesTable(candidates))), rows: candidates.length };
  },

  /** The workbook's bytes as base64, without writing a file (the web preview offers it as a download). */
  async candidatesXlsx(cx, { ids }) {
    const candidates = candidatesForExport(cx, ids);
    return { base64: (await tableToXlsx(candidatesTable(candidates))).toString('base64'), rows: candidates.length };
  },

  /** Choosing a file needs the desktop app's dialog (the Electron shell answers this call itself). */
  async chooseExportPath() {
    throw new ApiFailure('unsupported', 'choosing a file to write needs the desktop app; here, download the CSV instead (candidatesCsv)');
  },
};

/** Writes an export atomically (the complete file or what was there before); returns the absolute path. */
export function writeExport(path: string, content: string | Uint8Array): string {
  try {
    writeFileAtomically(path, content);
  } catch (error) {
    if (error instanceof AtomicWriteError) throw new ApiFailure('export-failed', error.message);
    throw error;
  }
  return resolve(path);
}

/** A saved candidate with every version, or a `not-found` failure. */
export function requireCandidate(cx: ServiceContext, id: number): CandidateDetail {
  const candidate = getCandidateDetail(cx.db, id);
  if (!candidate) throw new ApiFailure('not-found', `there is no candidate with id ${id}`);
  return candidate;
}

/** A candidate's name and one of its versions (default: the latest). */
export function candidateAtVersion(cx: ServiceContext, id: number, version: number | undefined): { name: string; version: CandidateDetail['versions'][number] } {
  const candidate = requireCandidate(cx, id);
  const chosen = version === undefined ? candidate.versions[candidate.versions.length - 1] : candidate.versions.find((v) => v.version === version);
  if (!chosen) throw new ApiFailure('not-found', `candidate ${id} ("${candidate.name}") has no version ${version}; it has versions 1 to ${candidate.version}`);
  return { name: candidate.name, version: chosen };
}

function storeCandidateVersion(cx: ServiceContext, id: number | null, metadata: Partial<CandidateMetadata>, version: NewCandidateVersion): CandidateDetail {
  const savedId = saveCandidateVersion(cx.db, id, metadata, version, new Date().toISOString());
  if (savedId === null) throw new ApiFailure('not-found', `there is no candidate with id ${id}; nothing was saved`);
  return getCandidateDetail(cx.db, savedId)!;
}

/** Refuses repeated or unknown ids, naming them and their positions. */
function checkCandidateIngredientIds(cx: ServiceContext, ids: readonly number[]): number[] {
  const firstPosition = new Map<number, number>();
  ids.forEach((x, i) => {
    const first = firstPosition.get(x);
    if (first !== undefined) throw new ApiFailure('invalid-argument', `ingredient id ${x} is listed twice (positions ${first} and ${i + 1}); a list holds each ingredient once`);
    firstPosition.set(x, i + 1);
  });
  const missing = findMissingIngredientIds(cx.db, ids);
  if (missing.length) {
    throw new ApiFailure(
      'unknown-ingredient',
      `unknown ingredient id${missing.length > 1 ? 's' : ''} ${missing.map((x) => `${x} (position ${firstPosition.get(x)})`).join(', ')}: no such ingredient in the database; nothing was saved`,
    );
  }
  return [...ids];
}

/** Reads "Water, Glycerin, …" through the lexicon (names seen only in catalogs count too); refuses unknown or repeated names. */
export function resolveCandidateDeclaration(cx: ServiceContext, declaration: string): number[] {
  const lexicon = cx.lexicon();
  const parsed = parseInciDeclaration(declaration, lexicon);
  if (!parsed.ok) throw new ApiFailure('invalid-argument', `the ingredient list cannot be read: ${parsed.reason}`);
  const repeated = parsed.warnings.filter((w) => w.code === 'repeated').map((w) => w.message.split('; kept')[0]);
  if (repeated.length) throw new ApiFailure('invalid-argument', `a list holds each ingredient once, but ${repeated.join(' and ')}; remove the repeat`);
  const mayContain = parsed.ingredients.filter((x) => x.section === 'may-contain').map((x) => x.name);
  if (mayContain.length) throw new ApiFailure('invalid-argument', `a candidate list has no "may contain" section (found ${mayContain.join(', ')}); list only what the formula contains`);
  if (parsed.ingredients.length > MAX_CANDIDATE_INGREDIENTS) throw new ApiFailure('invalid-argument', `the list has ${parsed.ingredients.length} ingredients; at most ${MAX_CANDIDATE_INGREDIENTS} are allowed`);
  const unknown: string[] = [];
  const ids = parsed.ingredients.map((x, i) => {
    const id = x.ingredientId ?? findIngredientIdByKey(cx.db, x.key);
    if (id === null) {
      const near = lexicon.suggest(x.name);
      unknown.push(`"${x.name}" (item ${i + 1}${near ? `; did you mean "${near.inci}"?` : ''})`);
    }
    return id ?? -1;
  });
  if (unknown.length) {
    throw new ApiFailure(
      'unknown-ingredient',
      `unknown ingredient${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: fix the spelling or add ${unknown.length > 1 ? 'them' : 'it'} to the knowledge base (ingredients add); nothing was saved`,
    );
  }
  return ids;
}

/** The given candidates in the given order (all, oldest first, without ids); unknown ids are refused by name. */
function candidatesForExport(cx: ServiceContext, ids: readonly number[] | undefined): CandidateSummary[] {
  const wanted = [...new Set(ids ?? getAllCandidateIds(cx.db))];
  const found = getCandidateSummaries(cx.db, wanted);
  if (found.length !== wanted.length) {
    const have = new Set(found.map((c) => c.id));
    throw new ApiFailure('not-found', `there is no candidate with id ${wanted.filter((x) => !have.has(x)).join(', ')}; nothing was exported`);
  }
  return found;
}
