import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveCandidateVersion } from '../../../src/main/db/queries/candidates';
import { ensureCatalogIngredient } from '../../../src/main/db/queries/ingredients';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import { MANUAL_PROVENANCE } from '../../../src/shared/candidates';
import { ingredientKey } from '../../../src/shared/inci/key';
import { openTestService } from '../../helpers';

/** Saved candidates through the service, on the fixture knowledge base (no model needed). */
let service: FormulatorService;
let close: () => Promise<void>;
/** Ingredient ids by INCI name. */
const id: Record<string, number> = {};

beforeAll(async () => {
  ({ service, close } = await openTestService({ fixtureResources: true }));
  for (const r of await service.searchIngredients({ query: '', limit: 100 })) id[r.inci] = r.id;
  for (const name of ['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol', 'Zinc Oxide', 'Dimethicone', 'Tocopherol', 'Sodium Hyaluronate']) {
    id[name] ??= (await service.lookupIngredient({ name })).match!.id;
  }
});
afterAll(() => close());

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2025-03-01T10:00:00.000Z'));
  service.db.exec('DELETE FROM candidates');
});
afterEach(() => vi.useRealTimers());

const later = (iso: string) => vi.setSystemTime(new Date(iso));
const inci = (list: { inci: string }[]) => list.map((x) => x.inci);
const rowCounts = () =>
  service.db
    .prepare(
      `SELECT (SELECT count(*) FROM candidates) AS candidates, (SELECT count(*) FROM candidate_versions) AS versions,
              (SELECT count(*) FROM candidate_ingredients) AS ingredients, (SELECT count(*) FROM candidate_tags) AS tags`,
    )
    .get();

describe('saving candidates', () => {
  it('saves a new candidate from ingredient ids as version 1 with its metadata and manual provenance', async () => {
    const saved = await service.saveCandidate({
      name: 'Brightening serum',
      ingredientIds: [id.Water!, id.Glycerin!, id.Niacinamide!, id.Phenoxyethanol!],
      notes: 'first try',
      tags: ['serum', 'Vitamin B3'],
      rating: 3,
      scores: { novelty: 0.42, 'predicted_hydration': 0.7 },
    });
    expect(saved).toMatchObject({
      name: 'Brightening serum',
      notes: 'first try',
      tags: ['serum', 'Vitamin B3'],
      status: 'idea',
      rating: 3,
      version: 1,
      createdAt: '2025-03-01T10:00:00.000Z',
      updatedAt: '2025-03-01T10:00:00.000Z',
      versionSavedAt: '2025-03-01T10:00:00.000Z',
      scores: { novelty: 0.42, predicted_hydration: 0.7 },
      provenance: MANUAL_PROVENANCE,
    });
    expect(inci(saved.ingredients)).toEqual(['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol']);
    expect(saved.versions).toEqual([
      {
        version: 1,
        createdAt: '2025-03-01T10:00:00.000Z',
        changeNote: '',
        ingredients: saved.ingredients,
        scores: { novelty: 0.42, predicted_hydration: 0.7 },
        reasons: [],
        provenance: MANUAL_PROVENANCE,
      },
    ]);
    expect(await service.getCandidate({ id: saved.id })).toEqual(saved);
  });

  it('reads a declaration through the lexicon: synonyms, misspellings and names seen only in catalogs', async () => {
    const catalogOnly = ensureCatalogIngredient(service.db, 'Rosa Damascena Flower Water', ingredientKey('Rosa Damascena Flower Water'));
    const saved = await service.saveCandidate({ name: 'Toner', declaration: 'Aqua, Glycerine, Rosa Damascena Flower Water, Phenoxyethenol' });
    expect(saved.ingredients).toEqual([
      { ingredientId: id.Water, inci: 'Water' },
      { ingredientId: id.Glycerin, inci: 'Glycerin' },
      { ingredientId: catalogOnly, inci: 'Rosa Damascena Flower Water' },
      { ingredientId: id.Phenoxyethanol, inci: 'Phenoxyethanol' },
    ]);
  });

  it('names unknown ingredients with their item and a suggestion, and saves nothing', async () => {
    // A swapped vowel may name another substance (-ol / -al), so "Tocopherel" is suggested, never merged (a plain typo such as "Glycerinn" is read as Glycerin).
    await expect(service.saveCandidate({ name: 'Typos', declaration: 'Water, Tocopherel, Moon Dust Extract' })).rejects.toMatchObject({
      code: 'unknown-ingredient',
      message:
        'unknown ingredients "Tocopherel" (item 2; did you mean "Tocopherol"?), "Moon Dust Extract" (item 3): fix the spelling or add them to the knowledge base (ingredients add); nothing was saved',
    });
    expect(rowCounts()).toEqual({ candidates: 0, versions: 0, ingredients: 0, tags: 0 });
  });

  it('refuses an empty list, a repeated ingredient and a "may contain" section, saying why', async () => {
    await expect(service.saveCandidate({ name: 'Empty', ingredientIds: [] })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: 'saveCandidate: field "ingredientIds": an ingredient list needs at least one ingredient',
    });
    await expect(service.saveCandidate({ name: 'Empty', declaration: '  ' })).rejects.toMatchObject({ message: 'the ingredient list cannot be read: the ingredient list is empty' });
    await expect(service.saveCandidate({ name: 'Twice', ingredientIds: [id.Water!, id.Glycerin!, id.Water!] })).rejects.toMatchObject({
      message: `ingredient id ${id.Water} is listed twice (positions 1 and 3); a list holds each ingredient once`,
    });
    await expect(service.saveCandidate({ name: 'Twice', declaration: 'Water, Glycerin, Aqua' })).rejects.toMatchObject({
      message: 'a list holds each ingredient once, but "Water" is listed again as item 3; remove the repeat',
    });
    await expect(service.saveCandidate({ name: 'Label', declaration: 'Water, Glycerin. May contain: Tocopherol' })).rejects.toMatchObject({
      message: 'a candidate list has no "may contain" section (found Tocopherol); list only what the formula contains',
    });
    await expect(service.saveCandidate({ ingredientIds: [id.Water!] })).rejects.toMatchObject({ message: 'saveCandidate: field "name": a new candidate needs a name' });
    await expect(service.saveCandidate({ name: 'Both', ingredientIds: [id.Water!], declaration: 'Water' })).rejects.toMatchObject({ message: 'saveCandidate: the argument: give exactly one of ingredientIds or declaration' });
    expect(rowCounts()).toEqual({ candidates: 0, versions: 0, ingredients: 0, tags: 0 });
  });

  it('refuses an unknown ingredient id in the middle of a list by id and position, writing nothing', async () => {
    await expect(service.saveCandidate({ name: 'Broken', tags: ['x'], ingredientIds: [id.Water!, 99_999, id.Glycerin!, 88_888] })).rejects.toMatchObject({
      code: 'unknown-ingredient',
      message: 'unknown ingredient ids 99999 (position 2), 88888 (position 4): no such ingredient in the database; nothing was saved',
    });
    expect(rowCounts()).toEqual({ candidates: 0, versions: 0, ingredients: 0, tags: 0 });
  });
});

describe('versions and history', () => {
  it('adds a new version on each save with its change note, keeping every earlier list readable', async () => {
    const first = await service.saveCandidate({ name: 'Cream', ingredientIds: [id.Water!, id.Dimethicone!, id.Glycerin!], scores: { novelty: 0.3 } });
    later('2025-03-02T09:30:00.000Z');
    const second = await service.saveCandidate({
      id: first.id,
      declaration: 'Water, Glycerin, Dimethicone, Tocopherol',
      changeNote: 'more humectant; add antioxidant',
      scores: { novelty: 0.35 },
    });
    later('2025-03-03T08:00:00.000Z');
    const third = await service.saveCandidate({ id: first.id, ingredientIds: [id.Water!, id.Glycerin!, id.Tocopherol!], changeNote: 'drop silicone', rating: 4 });

    expect(third.id).toBe(first.id);
    expect(second.version).toBe(2);
    expect(third).toMatchObject({ name: 'Cream', version: 3, rating: 4, createdAt: '2025-03-01T10:00:00.000Z', updatedAt: '2025-03-03T08:00:00.000Z', versionSavedAt: '2025-03-03T08:00:00.000Z', scores: {} });
    expect(inci(third.ingredients)).toEqual(['Water', 'Glycerin', 'Tocopherol']);
    expect(third.versions.map((v) => [v.version, v.createdAt, v.changeNote, inci(v.ingredients).join(', '), v.scores])).toEqual([
      [1, '2025-03-01T10:00:00.000Z', '', 'Water, Dimethicone, Glycerin', { novelty: 0.3 }],
      [2, '2025-03-02T09:30:00.000Z', 'more humectant; add antioxidant', 'Water, Glycerin, Dimethicone, Tocopherol', { novelty: 0.35 }],
      [3, '2025-03-03T08:00:00.000Z', 'drop silicone', 'Water, Glycerin, Tocopherol', {}],
    ]);
    expect((await service.listCandidates()).items).toHaveLength(1);
  });

  it('refuses a version for a candidate that does not exist', async () => {
    await expect(service.saveCandidate({ id: 404, ingredientIds: [id.Water!] })).rejects.toMatchObject({ code: 'not-found', message: 'there is no candidate with id 404; nothing was saved' });
    expect(rowCounts()).toEqual({ candidates: 0, versions: 0, ingredients: 0, tags: 0 });
  });

  it('leaves the candidate exactly as it was when a new version fails', async () => {
    const saved = await service.saveCandidate({ name: 'Stable', ingredientIds: [id.Water!, id.Glycerin!] });
    later('2025-03-05T00:00:00.000Z');
    await expect(service.saveCandidate({ id: saved.id, name: 'Renamed', ingredientIds: [id.Water!, 12_345] })).rejects.toMatchObject({ code: 'unknown-ingredient' });
    expect(await service.getCandidate({ id: saved.id })).toEqual(saved);
  });

  it('rolls a half-written version back whole when an ingredient insert fails (the query layer, below the service checks)', async () => {
    const saved = await service.saveCandidate({ name: 'Base', tags: ['keep'], ingredientIds: [id.Water!, id.Glycerin!] });
    const before = rowCounts();
    // A new candidate: the candidate, version and first ingredient rows are written before the second insert fails.
    const write = (candidateId: number | null) =>
      saveCandidateVersion(
        service.db,
        candidateId,
        { name: 'Half', tags: ['lost'] },
        { ingredientIds: [id.Water!, 99_999, id.Glycerin!], changeNote: '', scores: {}, reasons: [], provenance: MANUAL_PROVENANCE },
        '2025-03-06T00:00:00.000Z',
      );
    expect(() => write(null)).toThrow(/FOREIGN KEY/);
    expect(() => write(saved.id)).toThrow(/FOREIGN KEY/);
    expect(rowCounts()).toEqual(before);
    expect(await service.getCandidate({ id: saved.id })).toEqual(saved);
  });
});

describe('editing metadata', () => {
  it('changes name, notes, tags, status and rating without adding a version, and stamps updated_at', async () => {
    const saved = await service.saveCandidate({ name: 'Gel', ingredientIds: [id.Water!, id['Sodium Hyaluronate']!], tags: ['old'] });
    later('2025-03-04T12:00:00.000Z');
    const updated = await service.updateCandidate({ id: saved.id, status: 'In Lab', rating: 5, tags: ['Vitamin C', '  night   time ', 'vitamin c'], notes: 'batch 2 in the oven' });
    expect(updated).toMatchObject({ name: 'Gel', status: 'in-lab', rating: 5, tags: ['night time', 'Vitamin C'], notes: 'batch 2 in the oven', version: 1, updatedAt: '2025-03-04T12:00:00.000Z', createdAt: '2025-03-01T10:00:00.000Z' });
    const cleared = await service.updateCandidate({ id: saved.id, rating: null, name: 'Hydrating gel' });
    expect(cleared).toMatchObject({ name: 'Hydrating gel', rating: null, status: 'in-lab', tags: ['night time', 'Vitamin C'] });
    const detail = await service.getCandidate({ id: saved.id });
    expect(detail.versions).toHaveLength(1);
    expect(detail.versions[0]).toEqual(saved.versions[0]);
  });

  it('refuses an empty edit, an unknown status or rating, and an unknown id', async () => {
    const saved = await service.saveCandidate({ name: 'Gel', ingredientIds: [id.Water!] });
    await expect(service.updateCandidate({ id: saved.id })).rejects.toMatchObject({ message: 'updateCandidate: the argument: give at least one of name, notes, tags, status or rating to change' });
    await expect(service.updateCandidate({ id: saved.id, status: 'shipped' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('field "status"') });
    await expect(service.updateCandidate({ id: saved.id, rating: 6 })).rejects.toMatchObject({ message: expect.stringContaining('field "rating"') });
    await expect(service.updateCandidate({ id: saved.id, tags: ['a,b'] })).rejects.toMatchObject({ message: 'updateCandidate: field "tags.0": a tag cannot hold commas, semicolons, tabs or line breaks' });
    await expect(service.updateCandidate({ id: 999, rating: 1 })).rejects.toMatchObject({ code: 'not-found', message: 'there is no candidate with id 999' });
  });
});

describe('listing and filtering', () => {
  beforeEach(async () => {
    await service.saveCandidate({ name: 'Vitamin C serum', ingredientIds: [id.Water!, id.Tocopherol!], tags: ['serum', 'antioxidant'], status: 'in lab', rating: 4 });
    later('2025-03-01T11:00:00.000Z');
    await service.saveCandidate({ name: 'Barrier cream', notes: 'Needs a 50% water phase, try ceramides', ingredientIds: [id.Water!, id.Dimethicone!], tags: ['Cream'], rating: 2 });
    later('2025-03-01T12:00:00.000Z');
    await service.saveCandidate({ name: 'Mineral SPF', ingredientIds: [id['Zinc Oxide']!, id.Water!], tags: ['sun', 'serum'], status: 'approved' });
  });
  const names = async (filter: Parameters<FormulatorService['listCandidates']>[0]) => (await service.listCandidates(filter)).items.map((c) => c.name);

  it('lists every candidate at its latest version, most recently changed first', async () => {
    const page = await service.listCandidates();
    expect(page.total).toBe(3);
    expect(page.items.map((c) => [c.name, c.version, inci(c.ingredients).join(', ')])).toEqual([
      ['Mineral SPF', 1, 'Zinc Oxide, Water'],
      ['Barrier cream', 1, 'Water, Dimethicone'],
      ['Vitamin C serum', 1, 'Water, Tocopherol'],
    ]);
    expect(await names({ limit: 1, offset: 1 })).toEqual(['Barrier cream']);
  });

  it('filters by text in the name or the notes, without case and with literal wildcards', async () => {
    expect(await names({ search: 'SERUM' })).toEqual(['Vitamin C serum']);
    expect(await names({ search: 'ceramide' })).toEqual(['Barrier cream']);
    expect(await names({ search: '50%' })).toEqual(['Barrier cream']);
    expect(await names({ search: '%' })).toEqual(['Barrier cream']);
    expect(await names({ search: 'vitamin_c' })).toEqual([]);
  });

  it('filters by tag (without case), status and minimum rating, and by all at once', async () => {
    expect(await names({ tag: 'serum' })).toEqual(['Mineral SPF', 'Vitamin C serum']);
    expect(await names({ tag: 'cream' })).toEqual(['Barrier cream']);
    expect(await names({ tag: '  SERUM ' })).toEqual(['Mineral SPF', 'Vitamin C serum']);
    expect(await names({ status: 'in-lab' })).toEqual(['Vitamin C serum']);
    expect(await names({ status: 'idea' })).toEqual(['Barrier cream']);
    expect(await names({ minRating: 2 })).toEqual(['Barrier cream', 'Vitamin C serum']);
    expect(await names({ minRating: 3 })).toEqual(['Vitamin C serum']);
    expect(await names({ tag: 'serum', status: 'approved' })).toEqual(['Mineral SPF']);
    expect(await names({ tag: 'serum', minRating: 5 })).toEqual([]);
    expect((await service.listCandidates({ tag: 'serum' })).total).toBe(2);
  });
});

describe('comparing candidates', () => {
  it('lists shared ingredients with both positions, those only in one, the moved ones, and scores side by side', async () => {
    const a = await service.saveCandidate({ name: 'A', ingredientIds: [id.Water!, id.Glycerin!, id.Niacinamide!, id.Phenoxyethanol!], scores: { novelty: 0.4, predicted_hydration: 0.7 } });
    const b = await service.saveCandidate({ name: 'B', ingredientIds: [id.Water!, id.Niacinamide!, id.Dimethicone!, id.Glycerin!, id.Phenoxyethanol!], scores: { novelty: 0.6, plausibility: 0.9 } });
    const c = await service.compareCandidates({ a: a.id, b: b.id });
    expect(c.a).toMatchObject({ id: a.id, name: 'A', version: 1 });
    expect(c.shared.map((x) => [x.inci, x.positionA, x.positionB])).toEqual([
      ['Water', 1, 1],
      ['Glycerin', 2, 4],
      ['Niacinamide', 3, 2],
      ['Phenoxyethanol', 4, 5],
    ]);
    expect(c.onlyInA).toEqual([]);
    expect(c.onlyInB).toEqual([{ ingredientId: id.Dimethicone, inci: 'Dimethicone', position: 3 }]);
    // Glycerin moving below Niacinamide is the one move; Phenoxyethanol only shifted.
    expect(c.moved).toEqual([{ ingredientId: id.Glycerin, inci: 'Glycerin', positionA: 2, positionB: 4 }]);
    expect(c.jaccard).toBeCloseTo(4 / 5, 12);
    expect(c.scores).toEqual([
      { name: 'novelty', a: 0.4, b: 0.6 },
      { name: 'plausibility', a: null, b: 0.9 },
      { name: 'predicted_hydration', a: 0.7, b: null },
    ]);
  });

  it('compares two versions of one candidate, and names a missing version', async () => {
    const saved = await service.saveCandidate({ name: 'Cream', ingredientIds: [id.Water!, id.Dimethicone!, id.Glycerin!] });
    await service.saveCandidate({ id: saved.id, ingredientIds: [id.Water!, id.Glycerin!, id.Tocopherol!], changeNote: 'no silicone' });
    const c = await service.compareCandidates({ a: saved.id, versionA: 1, b: saved.id });
    expect([c.a.version, c.b.version]).toEqual([1, 2]);
    expect(inci(c.onlyInA)).toEqual(['Dimethicone']);
    expect(inci(c.onlyInB)).toEqual(['Tocopherol']);
    expect(c.moved).toEqual([]);
    await expect(service.compareCandidates({ a: saved.id, versionA: 7, b: saved.id })).rejects.toMatchObject({
      code: 'not-found',
      message: `candidate ${saved.id} ("Cream") has no version 7; it has versions 1 to 2`,
    });
    await expect(service.compareCandidates({ a: saved.id, b: 999 })).rejects.toMatchObject({ message: 'there is no candidate with id 999' });
  });
});

describe('saving generated candidates', () => {
  let runId: number;
  let modelId: number;
  beforeAll(() => {
    const db = service.db;
    modelId = Number(
      db
        .prepare(
          `INSERT INTO models (name, folder, manifest_sha256, created_at, preset, seed, backend, train_ms, epochs, vocab_hash, vocab_size, vocabulary, config, metrics, snapshot, active)
           VALUES ('quick model', 'model-x', '${'ab'.repeat(32)}', '2025-02-01T00:00:00Z', 'quick', 7, 'wasm', 1, 1, 'h', 1, '[]', '{}', '{}', '{}', 0)`,
        )
        .run().lastInsertRowid,
    );
    runId = Number(
      db
        .prepare(`INSERT INTO generation_runs (model_id, created_at, backend, params, timings, counts, quality, density_floor) VALUES (?, '2025-02-02T00:00:00Z', 'wasm', ?, '{}', '{}', '{}', -3)`)
        .run(modelId, JSON.stringify({ n: 100, k: 10, seed: 11, temperature: 1 })).lastInsertRowid,
    );
    const insert = db.prepare(`INSERT INTO generated_candidates (run_id, rank, passed, ingredients, code, scores, reasons) VALUES (?, ?, ?, ?, x'00000000', ?, ?)`);
    insert.run(runId, 1, 1, JSON.stringify([id.Water, id.Glycerin]), JSON.stringify({ score: 0.9, novelty: 0.5, plausibility: 0.8, logDensity: -4.5, benefits: {}, nearestProductId: null }), '[]');
    insert.run(
      runId,
      2,
      1,
      JSON.stringify([id.Water, id.Niacinamide, id.Glycerin, id.Phenoxyethanol]),
      JSON.stringify({ score: 0.75, novelty: 0.6, plausibility: 0.7, logDensity: -5.25, benefits: { hydration: 0.55, 'kb:brightening': 0.3 }, nearestProductId: 12 }),
      JSON.stringify(['Niacinamide is usually listed after Glycerin']),
    );
  });

  it('copies the list, scores, reasons and provenance of a run’s candidate', async () => {
    const saved = await service.saveGeneratedCandidate({ runId, rank: 2, tags: ['generated'] });
    expect(saved).toMatchObject({ name: `Run ${runId} #2`, version: 1, tags: ['generated'], status: 'idea' });
    expect(inci(saved.ingredients)).toEqual(['Water', 'Niacinamide', 'Glycerin', 'Phenoxyethanol']);
    expect(saved.scores).toEqual({ score: 0.75, novelty: 0.6, plausibility: 0.7, logDensity: -5.25, predicted_hydration: 0.55, 'predicted_kb:brightening': 0.3 });
    expect(saved.versions[0]!.reasons).toEqual(['Niacinamide is usually listed after Glycerin']);
    expect(saved.provenance).toEqual({
      source: 'generated',
      runId,
      rank: 2,
      modelId,
      modelSha256: 'ab'.repeat(32),
      details: {
        modelName: 'quick model',
        runCreatedAt: '2025-02-02T00:00:00Z',
        backend: 'wasm',
        seed: 11,
        params: { n: 100, k: 10, seed: 11, temperature: 1 },
        passedAllChecks: true,
        nearestProductId: 12,
      },
    });
  });

  it('adds a generated list as a new version of an existing candidate, and refuses an unknown rank', async () => {
    const mine = await service.saveCandidate({ name: 'Mine', ingredientIds: [id.Water!] });
    const next = await service.saveGeneratedCandidate({ runId, rank: 1, id: mine.id, changeNote: 'take the generator’s best' });
    expect(next).toMatchObject({ id: mine.id, name: 'Mine', version: 2, provenance: { source: 'generated', rank: 1 } });
    expect(next.versions.map((v) => v.provenance.source)).toEqual(['manual', 'generated']);
    await expect(service.saveGeneratedCandidate({ runId, rank: 3 })).rejects.toMatchObject({ code: 'not-found', message: `generation run ${runId} has no candidate ranked 3; nothing was saved` });
  });

  it('keeps the provenance when the model and its runs are deleted', async () => {
    const saved = await service.saveGeneratedCandidate({ runId, rank: 1 });
    service.db.prepare(`DELETE FROM models WHERE id = ?`).run(modelId);
    expect((await service.getCandidate({ id: saved.id })).provenance).toEqual(saved.provenance);
  });
});

describe('deleting and folding', () => {
  it('deletes a candidate with its whole history, on request only', async () => {
    const saved = await service.saveCandidate({ name: 'Gone', tags: ['t'], ingredientIds: [id.Water!] });
    await service.saveCandidate({ id: saved.id, ingredientIds: [id.Water!, id.Glycerin!] });
    expect(await service.deleteCandidate({ id: saved.id })).toEqual({ id: saved.id, name: 'Gone', versions: 2 });
    expect(rowCounts()).toEqual({ candidates: 0, versions: 0, ingredients: 0, tags: 0 });
    await expect(service.getCandidate({ id: saved.id })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.deleteCandidate({ id: saved.id })).rejects.toMatchObject({ code: 'not-found', message: `there is no candidate with id ${saved.id}` });
  });

  it('re-points saved lists when a catalog-only spelling becomes a synonym, keeping the earlier of two', async () => {
    const squalane = await service.saveIngredient({ inci: 'Squalane', functions: ['emollient'] });
    const olive = ensureCatalogIngredient(service.db, 'Olive Squalane', ingredientKey('Olive Squalane'));
    const both = await service.saveCandidate({ name: 'Both', ingredientIds: [olive, id.Water!, squalane.id] });
    const one = await service.saveCandidate({ name: 'One', ingredientIds: [id.Water!, olive] });
    await service.saveIngredient({ id: squalane.id, inci: 'Squalane', synonyms: ['Olive Squalane'], functions: ['emollient'] });
    expect(inci((await service.getCandidate({ id: both.id })).ingredients)).toEqual(['Squalane', 'Water']);
    expect((await service.getCandidate({ id: one.id })).ingredients).toEqual([
      { ingredientId: id.Water, inci: 'Water' },
      { ingredientId: squalane.id, inci: 'Squalane' },
    ]);
  });
});
