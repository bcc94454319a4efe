import { describe, expect, it } from 'vitest';
import { completeList, functionalTokens } from '../../../src/main/generate/completion';
import { COMPLETION_NOTE } from '../../../src/shared/generated';
import { buildCatalogContext, decodeAndCheckRows, type DecoderSpec } from '../../../src/main/generate/kernels';
import { structuralChecks, type IngredientFacts } from '../../../src/shared/ml/checks';

/** Tokens 0…6 are ingredients 10…16; token 7 is a rare bucket (never emitted). */
const facts = new Map<number, IngredientFacts>([
  [10, { name: 'Water', functions: ['solvent'], concentration: 'above-1' }],
  [11, { name: 'Squalane', functions: ['emollient'], concentration: 'above-1' }],
  [12, { name: 'Glycerin', functions: ['humectant'], concentration: 'above-1' }],
  [13, { name: 'Phenoxyethanol', functions: ['preservative'], concentration: 'below-1' }],
  [14, { name: 'Sodium Benzoate', functions: ['preservative'], concentration: 'below-1' }],
  [15, { name: 'Polysorbate 60', functions: ['emulsifier'], concentration: 'below-1' }],
  [16, { name: 'Xanthan Gum', functions: ['thickener'], concentration: 'below-1' }],
]);
const ingredientIds = Int32Array.from([10, 11, 12, 13, 14, 15, 16, -1]);
const positions = [0, 0.4, 0.2, 0.8, 0.9, 0.6, 0.7, 0.5];

describe('completion of a decoded list by the structural rules', () => {
  const functional = functionalTokens(ingredientIds, facts);

  it('finds the emittable tokens of each function it may add', () => {
    expect([...functional.preservative]).toEqual([3, 4]);
    expect([...functional.emulsifier]).toEqual([5]);
  });

  it('adds the most probable preservative and emulsifier at their predicted positions, noting each', () => {
    // Water, glycerin, squalane: water without a preservative, oil and water without an emulsifier.
    const logits = [5, 3, 4, -0.5, -1.5, -1, -2, 9];
    const { tokens, notes } = completeList([0, 2, 1], logits, positions, ingredientIds, facts, functional);
    expect(tokens).toEqual([0, 2, 1, 5, 3]); // polysorbate at 0.6, phenoxyethanol (the likelier preservative) at 0.8
    expect(notes).toEqual([
      `${COMPLETION_NOTE}added Phenoxyethanol (preservative, p = 0.38), as the list holds water`,
      `${COMPLETION_NOTE}added Polysorbate 60 (emulsifier, p = 0.27), as oils meet water`,
    ]);
    expect(structuralChecks(tokens.map((t) => ingredientIds[t]!), (id) => facts.get(id), [1, 10]).ok).toBe(true);
  });

  it('leaves a complete list alone', () => {
    const logits = [5, 3, 4, 2, -1.5, -1, -2, 9];
    expect(completeList([0, 2, 3], logits, positions, ingredientIds, facts, functional)).toEqual({ tokens: [0, 2, 3], notes: [] });
  });

  it('records the additions with the checked candidate, only when asked', () => {
    const catalogLists = [[10, 12, 13], [10, 11, 15, 13], [12, 16], [10, 12, 14, 16]];
    const ctx = buildCatalogContext({ catalogLists, facts: [...facts], incompatible: [] });
    const decoder: DecoderSpec = { lambda: 1, maxLength: 8, positionScale: { kind: 'relative' }, allowed: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0]), ingredientIds };
    const logits = Float32Array.from([5, -9, 4, -1.5, -2.5, -1, -9, 9]);
    const rows = (completeStructure: boolean) => decodeAndCheckRows(ctx, decoder, { minNovelty: 0, minPlausibility: 0, benefitThresholds: {}, completeStructure }, logits, Float32Array.from(positions), [{}]);
    const [plain] = rows(false);
    expect(plain!.ingredientIds).toEqual([10, 12]);
    expect(plain!.reasons).toContain('contains water but no preservative');
    expect(plain!.added).toBeUndefined();
    const [completed] = rows(true);
    expect(completed!.ingredientIds).toEqual([10, 12, 13]);
    expect(completed!.added).toEqual([13]);
    expect(completed!.structureOk).toBe(true);
    expect(completed!.reasons[0]).toBe(`${COMPLETION_NOTE}added Phenoxyethanol (preservative, p = 0.18), as the list holds water`);
  });
});

describe('the order of a generated list', () => {
  it('follows the catalog’s pairwise order where the model hesitates, for models that re-rank', () => {
    // The catalog always lists glycerin (12) before squalane (11); the model puts them close, squalane first.
    const catalogLists = Array.from({ length: 12 }, () => [10, 12, 11]);
    const ctx = buildCatalogContext({ catalogLists, facts: [...facts], incompatible: [] });
    const logits = Float32Array.from([5, 4, 4, -9, -9, -9, -9, -9]);
    const close = Float32Array.from([0, 0.45, 0.5, 0.8, 0.9, 0.6, 0.7, 0.5]);
    const decoder: DecoderSpec = { lambda: 1, maxLength: 8, positionScale: { kind: 'relative' }, allowed: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 0]), ingredientIds };
    const thresholds = { minNovelty: 0, minPlausibility: 0, benefitThresholds: {}, completeStructure: false };
    expect(decodeAndCheckRows(ctx, decoder, thresholds, logits, close, [{}])[0]!.ingredientIds).toEqual([10, 11, 12]);
    expect(decodeAndCheckRows(ctx, { ...decoder, reorder: true }, thresholds, logits, close, [{}])[0]!.ingredientIds).toEqual([10, 12, 11]);
  });
});
