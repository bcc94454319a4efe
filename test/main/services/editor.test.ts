import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormulatorService } from '../../../src/main/services/formulator-service';
import type { ListScore } from '../../../src/shared/api';
import { openTestService } from '../../helpers';

/**
 * The editor's service methods on the sample catalog: live scores of an edited list (first
 * without a model, then with a quick one), pasted declarations, and the lists the editor opens.
 */
let service: FormulatorService;
let close: () => Promise<void>;
/** Illustrative Zinc Mattifying Toner 374, as listed in the sample catalog. */
const TONER = [
  'Water', 'Hamamelis Virginiana Water', 'Glycerin', 'Alcohol Denat.', 'Trehalose', 'Phenoxyethanol', 'Disodium EDTA', 'Zinc PCA', 'Hydrolyzed Hyaluronic Acid',
];
let tonerId: number;

beforeAll(async () => {
  ({ service, close } = await openTestService({ sampleCatalog: true }));
  tonerId = (await service.listProducts({ search: 'Zinc Mattifying Toner 374' })).items[0]!.id;
});
afterAll(async () => close());

const warningsAt = (score: ListScore, position: number) => score.ordering.filter((w) => w.positions.includes(position)).map((w) => w.message);

describe('scoring a list without a model', () => {
  it('reads the catalog product back: its own ingredients, novelty 0, nearest by overlap is itself', async () => {
    expect((await service.getProduct({ id: tonerId })).ingredients.map((x) => x.inci)).toEqual(TONER);
    const score = await service.scoreList({ ingredients: TONER });
    expect(score.ingredients.map((x) => [x.inci, x.status, x.repeatOf])).toEqual(TONER.map((name) => [name, 'known', null]));
    expect(score.novelty).toEqual({ value: 0, nearest: { productId: tonerId, name: 'Illustrative Zinc Mattifying Toner 374', brand: 'Sample Lab C', jaccard: 1 } });
    expect(score.neighbours.byOverlap[0]).toMatchObject({ productId: tonerId, jaccard: 1, weightedJaccard: 1, onlyInQuery: [], onlyInProduct: [] });
    expect(score.ordering).toEqual([]);
    expect(score.plausibility.score).toBeGreaterThan(score.plausibility.catalogMedian);
  });

  it('says clearly that there is no model: no benefits, no latent neighbours, code no-model', async () => {
    const score = await service.scoreList({ ingredients: TONER });
    expect(score.model).toBeNull();
    expect(score.benefits).toBeNull();
    expect(score.neighbours.byLatent).toBeNull();
    expect(score.modelProblem).toEqual({ code: 'no-model', message: expect.stringContaining('train one') });
    expect(score.ingredients.every((x) => x.inModel === null)).toBe(true);
  });

  it('puts ordering warnings of a reversed list on the ingredients concerned', async () => {
    const reversed = [...TONER].reverse();
    const score = await service.scoreList({ ingredients: reversed });
    // Water is now last (9); the preservative (4) and the chelator (3) come before it.
    expect(score.ordering).toContainEqual({ kind: 'reversed-pair', positions: [4, 9], message: expect.stringMatching(/^Phenoxyethanol is placed before Water, but \d+ catalog products list it after \(none before\)$/) });
    expect(score.ordering).toContainEqual({ kind: 'one-percent-rule', positions: [4, 9], message: 'Phenoxyethanol (usually below 1 %) comes before Water (usually above 1 %)' });
    expect(score.ordering).toContainEqual({ kind: 'base-not-first', positions: [1], message: 'an aqueous list that does not start with water or another base (Hydrolyzed Hyaluronic Acid first)' });
    expect(warningsAt(score, 9).length).toBe(13); // every other ingredient precedes Water (8 pairs) + 5 trace ones (1 % rule)
    expect(score.orderingWarningCount).toBe(score.ordering.length);
    expect(score.plausibility.score).toBeLessThan(score.plausibility.catalogMedian);
    // Novelty ignores order: the same ingredients as the product.
    expect(score.novelty.value).toBe(0);
  });

  it('flags unknown ingredients with their position and a suggestion, and repeats', async () => {
    // "Octadecene" is a vowel away from Octadecane, another substance: suggested, never merged.
    const score = await service.scoreList({ ingredients: ['Water', 'Glycerine', 'Octadecene', 'Zorblax Extract', 'Glycerin'] });
    expect(score.ingredients.map((x) => ({ position: x.position, given: x.given, inci: x.inci, status: x.status, suggestions: x.suggestions, repeatOf: x.repeatOf }))).toEqual([
      { position: 1, given: 'Water', inci: 'Water', status: 'known', suggestions: [], repeatOf: null },
      { position: 2, given: 'Glycerine', inci: 'Glycerin', status: 'known', suggestions: [], repeatOf: null },
      { position: 3, given: 'Octadecene', inci: null, status: 'unknown', suggestions: ['Octadecane'], repeatOf: null },
      { position: 4, given: 'Zorblax Extract', inci: null, status: 'unknown', suggestions: [], repeatOf: null },
      { position: 5, given: 'Glycerin', inci: 'Glycerin', status: 'known', suggestions: [], repeatOf: 2 },
    ]);
    // Unknown ingredients count in novelty (they are in no catalog list) and are named in overlaps.
    expect(score.novelty.value).toBeGreaterThan(0);
    expect(score.neighbours.byOverlap[0]!.onlyInQuery).toEqual(expect.arrayContaining(['Octadecene', 'Zorblax Extract']));
  });

  it('reads a typo with one clearly nearest name as that ingredient', async () => {
    const score = await service.scoreList({ ingredients: ['Water', 'Phenoxyethanoll'] });
    expect(score.ingredients[1]).toMatchObject({ given: 'Phenoxyethanoll', inci: 'Phenoxyethanol', status: 'known', matchedBy: 'typo' });
    expect(score.ingredients[0]).toMatchObject({ given: 'Water', matchedBy: 'canonical' });
    expect(await service.lookupIngredient({ name: 'Phenoxyethanoll' })).toMatchObject({ match: { inci: 'Phenoxyethanol' }, matchedBy: 'typo' });
  });

  it('scores a list given as ingredient ids like the same names', async () => {
    const ids = (await service.getProduct({ id: tonerId })).ingredients.map((x) => x.ingredientId);
    const byId = await service.scoreList({ ingredientIds: ids });
    const byName = await service.scoreList({ ingredients: TONER });
    expect(byId.ingredients.map((x) => x.given)).toEqual(TONER);
    expect({ ...byId, timingsMs: null }).toEqual({ ...byName, timingsMs: null });
  });

  it('refuses an argument that is neither names nor ids', async () => {
    await expect(service.scoreList({} as never)).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('give exactly one of ingredients or ingredientIds') });
    await expect(service.scoreList({ ingredients: ['Water', '  '] })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('ingredients.1') });
  });
});

describe('a pasted declaration', () => {
  it('is read into canonical names, percentages and footnotes dropped, "may contain" set apart', async () => {
    const parsed = await service.parseDeclaration({ text: 'Ingredients: Aqua (Water), Glycerin 5%, Niacinamide*, Phenoxyethanol. *organic. May contain: CI 77891' });
    expect(parsed.ingredients.map((x) => [x.name, x.raw, x.known, x.percent])).toEqual([
      ['Water', 'Aqua (Water)', true, null],
      ['Glycerin', 'Glycerin 5%', true, 5],
      ['Niacinamide', 'Niacinamide*', true, null],
      ['Phenoxyethanol', 'Phenoxyethanol. *organic', true, null],
    ]);
    expect(parsed.mayContain).toEqual(['Titanium Dioxide']);
    expect(parsed.warnings).toEqual(['footnote "*organic" dropped']);
  });

  it('keeps an unknown name as written and refuses text that is no ingredient list', async () => {
    const parsed = await service.parseDeclaration({ text: 'Water, Zorblax Extract, Glycerin' });
    expect(parsed.ingredients.map((x) => [x.name, x.known])).toEqual([['Water', true], ['Zorblax Extract', false], ['Glycerin', true]]);
    await expect(service.parseDeclaration({ text: 'Visit the Acme boutique' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('cannot be read as an ingredient list') });
  });
});

describe('lists to open in the editor', () => {
  it('opens a product with edited-product provenance', async () => {
    const source = await service.editorSource({ productId: tonerId });
    expect(source.title).toBe('Illustrative Zinc Mattifying Toner 374');
    expect(source.ingredients.map((x) => x.inci)).toEqual(TONER);
    expect(source.provenance).toEqual({ source: 'edited-product', productId: tonerId, modelId: null, modelSha256: null, details: {} });
    expect(source.candidate).toBeNull();
  });

  it('opens a saved candidate at its latest or an earlier version', async () => {
    const saved = await service.saveCandidate({ name: 'Toner edit', declaration: TONER.join(', ') });
    await service.saveCandidate({ id: saved.id, declaration: [...TONER].reverse().join(', '), changeNote: 'reversed' });
    const latest = await service.editorSource({ candidateId: saved.id });
    expect([latest.title, latest.version, latest.ingredients[0]!.inci, latest.candidate!.versions.length]).toEqual(['Toner edit', 2, 'Hydrolyzed Hyaluronic Acid', 2]);
    const first = await service.editorSource({ candidateId: saved.id, version: 1 });
    expect([first.version, first.ingredients[0]!.inci]).toEqual([1, 'Water']);
    await expect(service.editorSource({ candidateId: saved.id, version: 3 })).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.editorSource({ productId: tonerId, version: 1 })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});

describe('scoring with a model', () => {
  let modelId: number;

  it('answers at once while training holds the compute process, saying it is busy', async () => {
    const training = service.trainModel({ preset: 'quick', seed: 1 });
    await expect.poll(async () => (await service.getActivity()).running.length, { timeout: 10_000, interval: 20 }).toBe(1);
    const score = await service.scoreList({ ingredients: TONER });
    expect(score.modelProblem?.code).toBe('no-model'); // no model was active before this one
    modelId = (await training).id;
    const during = service.trainModel({ preset: 'quick', seed: 2, activate: false });
    await expect.poll(async () => (await service.getActivity()).running.length, { timeout: 10_000, interval: 20 }).toBe(1);
    const busy = await service.scoreList({ ingredients: [...TONER].reverse() });
    expect(busy.modelProblem).toEqual({ code: 'compute-busy', message: expect.stringContaining('Training a quick model') });
    expect(busy.benefits).toBeNull();
    expect(busy.ordering.length).toBeGreaterThan(0); // the catalog's part still arrives
    await during;
  }, 120_000);

  it('predicts every benefit of the model and finds latent neighbours (the product itself first)', async () => {
    const model = await service.getModel({ id: modelId });
    const score = await service.scoreList({ ingredients: TONER, k: 3 });
    expect(score.modelProblem).toBeNull();
    expect(score.model).toEqual({ id: modelId, name: model.name });
    expect(score.benefits!.map((b) => b.name).sort()).toEqual(model.metrics.benefits.map((b) => b.name).sort());
    expect(score.benefits!.every((b) => Number.isFinite(b.value))).toBe(true);
    // Every prediction carries the half-width of its 80 % interval; a flag stays a probability.
    expect(score.benefits!.every((b) => b.uncertainty !== null && b.uncertainty > 0 && Number.isFinite(b.uncertainty))).toBe(true);
    expect(score.benefits!.filter((b) => b.kind === 'flag').every((b) => b.value >= 0 && b.value <= 1 && b.uncertainty! <= 0.5)).toBe(true);
    expect(score.neighbours.byLatent).toHaveLength(3);
    expect(score.neighbours.byLatent![0]).toMatchObject({ productId: tonerId, jaccard: 1 });
    expect(score.neighbours.byLatent![0]!.distance).toBeLessThan(1e-3);
    expect(score.ingredients.every((x) => x.inModel === true)).toBe(true);
  });

  it('changes the prediction when the order changes, and answers a repeated list from the cache', async () => {
    const forward = await service.scoreList({ ingredients: TONER });
    const moved = await service.scoreList({ ingredients: [TONER[0]!, TONER[5]!, ...TONER.slice(1, 5), ...TONER.slice(6)] });
    expect(moved.timingsMs.compute).not.toBeNull();
    expect(moved.benefits).not.toEqual(forward.benefits);
    const again = await service.scoreList({ ingredients: [TONER[0]!, TONER[5]!, ...TONER.slice(1, 5), ...TONER.slice(6)] });
    expect(again.timingsMs.compute).toBeNull();
    expect(again.benefits).toEqual(moved.benefits);
  });

  it('marks ingredients the model has no token for, and has no code for a list of only those', async () => {
    const score = await service.scoreList({ ingredients: [...TONER, 'Zorblax Extract'] });
    expect(score.ingredients.at(-1)).toMatchObject({ status: 'unknown', inModel: false });
    expect(score.benefits).not.toBeNull();
    const none = await service.scoreList({ ingredients: ['Zorblax Extract'] });
    expect(none.modelProblem?.code).toBe('empty-list');
  });

  it('opens a generated candidate with the run as provenance', async () => {
    const run = await service.generate({ n: 300, k: 50, seed: 3 });
    const first = run.shortlist[0] ?? null;
    const source = await service.editorSource({ generated: { runId: run.runId, rank: 1 } });
    expect(source.title).toBe(`Run ${run.runId} #1`);
    expect(source.provenance).toMatchObject({ source: 'generated', runId: run.runId, rank: 1, modelId, details: { seed: 3 } });
    if (first) expect(source.ingredients.map((x) => x.inci)).toEqual(first.ingredients);
    expect(source.ingredients.length).toBeGreaterThan(0);
    await expect(service.editorSource({ generated: { runId: run.runId, rank: 9999 } })).rejects.toMatchObject({ code: 'not-found' });
  });
});
