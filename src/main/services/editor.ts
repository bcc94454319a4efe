import { ApiFailure, candidateProvenanceSchema, type AppliedBrief, type ListScore, type ScoredIngredient } from '../../shared/api';
import { briefViolations, type BriefViolation } from '../../shared/briefs/brief';
import { ingredientKey } from '../../shared/inci/key';
import { parseInciDeclaration } from '../../shared/inci/parse';
import { whiten } from '../../shared/ml/latent';
import { orderingPlausibility, orderingWarnings, structuralChecks } from '../../shared/ml/checks';
import { getGeneratedCandidate } from '../db/queries/generation';
import { findIngredientIdByKey, getIngredientRecords } from '../db/queries/ingredients';
import { getActiveModel, getModelVocabulary, type StoredModel } from '../db/queries/models';
import { getProduct } from '../db/queries/products';
import type { BenefitEstimate } from '../ml/list-predictor';
import { runModelJob } from './active-model';
import { candidateAtVersion, requireCandidate } from './candidates';
import { catalogIndex, resolveIndexedName } from './catalog-index';
import { briefFamilies, resolveBrief } from './briefs';
import { categoryModel, readCategories } from './categories';
import { Derived, KeyedSlot, type ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { nearestProducts } from './explore';
import { generatedProvenance } from './generate';
import { ingredientSuggestions } from './ingredient-names';
import { latentSpace } from './latent-space';

/** Codes and predicted benefits of lists scored for the editor, by model and list, least recently used first (a model's answers never change). */
const LIST_SCORES = new Derived([], () => new Map<string, { code: number[]; benefits: Record<string, BenefitEstimate> }>());
const LIST_SCORES_KEPT = 500;

/** The ingredient ids with a token of their own in the active model's vocabulary. */
const VOCABULARY = new Derived([], () => new KeyedSlot<number, ReadonlySet<number>>());

/** The editor capability: live scores of a list being edited, pasted declarations, and the lists it opens. */
export const editorHandlers: HandlersOf<'scoreList' | 'parseDeclaration' | 'editorSource'> = {
  /**
   * Live scores of a list for the editor. Everything that depends only on the catalog (the
   * precedence table, the novelty index, ingredient facts, name resolutions) is built once per
   * catalog state; each list's code and predicted benefits are cached per model, so undo and redo
   * are answered without the compute process. Only the encoder and the benefit heads run there,
   * in one round trip; when a long job holds the compute process the model's part is skipped and
   * `modelProblem` says why, so the rest still arrives at once.
   */
  async scoreList(cx, { ingredients, ingredientIds, k, brief: briefName, briefRules }) {
    const started = performance.now();
    const brief = resolveBrief(cx, briefName, briefRules);
    const index = catalogIndex(cx);
    const given = ingredients ?? (ingredientIds ?? []).map((id) => index.records.get(id)?.inci ?? `#${id}`);
    // Resolved ids; an unknown name gets a negative placeholder (one per spelling), so it counts
    // once in overlaps and repeats, matches no catalog list and is left out of the encoder's input.
    const ids: number[] = [];
    const placeholderOf = new Map<string, number>();
    const placeholderNames = new Map<number, string>();
    const firstAt = new Map<number, number>();
    const items: ScoredIngredient[] = given.map((name, i) => {
      const read = ingredientIds
        ? { id: index.records.has(ingredientIds[i]!) ? ingredientIds[i]! : null, matchedBy: index.records.has(ingredientIds[i]!) ? ('canonical' as const) : null }
        : resolveIndexedName(cx, index, name);
      const id = read.id;
      const record = id !== null ? index.records.get(id) : undefined;
      let listId = id;
      if (listId === null) {
        const key = ingredientKey(name) || name;
        listId = placeholderOf.get(key) ?? -(placeholderOf.size + 1);
        placeholderOf.set(key, listId);
        placeholderNames.set(listId, name);
      }
      ids.push(listId);
      const repeatOf = firstAt.get(listId) ?? null;
      if (repeatOf === null) firstAt.set(listId, i + 1);
      const status: ScoredIngredient['status'] = !record ? 'unknown' : record.origin === 'catalog' ? 'catalog-only' : 'known';
      let suggestions = status === 'known' ? [] : index.suggestions.get(name);
      if (!suggestions) index.suggestions.set(name, (suggestions = ingredientSuggestions(cx, name)));
      return {
        position: i + 1,
        given: name,
        ingredientId: id,
        inci: record?.inci ?? null,
        matchedBy: read.matchedBy,
        status,
        suggestions,
        repeatOf,
        inModel: null,
        functions: record?.functions ?? [],
        concentration: record?.concentration ?? null,
      };
    });

    const fact = (id: number) => index.facts.get(id);
    const warnings = orderingWarnings(ids, index.checks.table, fact);
    const near = index.checks.novelty.nearest(ids);
    const nearestId = near.row >= 0 ? index.productIds[near.row]! : null;
    const nearestInfo = nearestId !== null ? index.products.get(nearestId) : undefined;
    const scored = await modelPart(cx, items, ids);
    const nearest = await nearestProducts(cx, ids, scored.whitened, k, undefined, placeholderNames);
    return {
      ingredients: items,
      model: scored.model,
      benefits: scored.benefits,
      modelProblem: scored.modelProblem,
      plausibility: { score: orderingPlausibility(ids.filter((id) => id > 0), index.checks.table, fact).score, catalogMedian: index.checks.catalogMedianPlausibility },
      ordering: warnings.slice(0, 200).map((w) => ({ kind: w.kind, positions: w.positions.map((p) => p + 1), message: w.message })),
      orderingWarningCount: warnings.length,
      structure: structuralChecks(ids, fact, index.checks.lengthRange, index.checks.incompatible),
      novelty: { value: 1 - near.jaccard, nearest: nearestId !== null && nearestInfo ? { productId: nearestId, ...nearestInfo, jaccard: near.jaccard } : null },
      neighbours: { byLatent: nearest.byLatent, byOverlap: nearest.byOverlap },
      timingsMs: { total: performance.now() - started, compute: scored.computeMs },
      brief: brief ? { applied: brief, violations: [...listBriefViolations(cx, items, brief), ...(await categoryViolation(cx, ids, brief))] } : null,
    };
  },

  /** Reads a pasted declaration with the import's parser into names for the editor ("may contain" items are set apart). */
  async parseDeclaration(cx, { text }) {
    const parsed = parseInciDeclaration(text, cx.lexicon());
    if (!parsed.ok) throw new ApiFailure('invalid-argument', `the pasted text cannot be read as an ingredient list: ${parsed.reason}`);
    const main = parsed.ingredients.filter((x) => x.section !== 'may-contain');
    const ids = main.map((x) => x.ingredientId ?? findIngredientIdByKey(cx.db, x.key));
    const records = new Map(getIngredientRecords(cx.db, ids.filter((id): id is number => id !== null)).map((r) => [r.id, r]));
    return {
      ingredients: main.map((x, i) => {
        const record = ids[i] !== null ? records.get(ids[i]!) : undefined;
        return { name: record?.inci ?? x.name, raw: x.raw, ingredientId: record?.id ?? null, known: record !== undefined, percent: x.percent };
      }),
      mayContain: parsed.ingredients.filter((x) => x.section === 'may-contain').map((x) => x.name),
      // Unknown names are flagged by scoreList, with suggestions, once they are in the list.
      warnings: parsed.warnings.filter((w) => w.code !== 'unknown').map((w) => w.message),
    };
  },

  /** The list of a catalog product ("may contain" items left out), a saved candidate's version, or a generated candidate. */
  async editorSource(cx, { productId, candidateId, version, generated }) {
    if (productId !== undefined) {
      const product = getProduct(cx.db, productId);
      if (!product) throw new ApiFailure('not-found', `there is no product with id ${productId}`);
      const ingredients = product.ingredients.filter((x) => x.section !== 'may-contain').map((x) => ({ ingredientId: x.ingredientId, inci: x.inci }));
      return { title: product.name, ingredients, provenance: candidateProvenanceSchema.parse({ source: 'edited-product', productId }), candidate: null, version: null };
    }
    if (candidateId !== undefined) {
      const chosen = candidateAtVersion(cx, candidateId, version);
      return { title: chosen.name, ingredients: chosen.version.ingredients, provenance: chosen.version.provenance, candidate: requireCandidate(cx, candidateId), version: chosen.version.version };
    }
    const { runId, rank } = generated!;
    const stored = getGeneratedCandidate(cx.db, runId, rank);
    if (!stored) throw new ApiFailure('not-found', `generation run ${runId} has no candidate ranked ${rank}`);
    const names = new Map(getIngredientRecords(cx.db, stored.ingredientIds).map((r) => [r.id, r.inci]));
    const ingredients = stored.ingredientIds.map((id) => ({ ingredientId: id, inci: names.get(id) ?? `#${id}` }));
    return { title: `Run ${runId} #${rank}`, ingredients, provenance: generatedProvenance(stored), candidate: null, version: null };
  },
};

/** How the edited list breaks the brief, each violation at its 1-based position; unknown names are read as written. */
function listBriefViolations(cx: ServiceContext, items: readonly ScoredIngredient[], brief: AppliedBrief): BriefViolation[] {
  const index = catalogIndex(cx);
  const list = items.map((item) => {
    const r = item.ingredientId !== null ? index.records.get(item.ingredientId) : undefined;
    return r ? { inci: r.inci, synonyms: r.synonyms, functions: r.functions } : { inci: item.given };
  });
  return briefViolations(list, brief.rules, briefFamilies(cx)).map((v) => ({ ...v, position: v.position === null ? null : v.position + 1 }));
}

/**
 * With a brief's category and an active model: a violation when the catalog's category
 * classifier reads the list as another category (none without a model: the categories are the
 * model's catalog's).
 */
async function categoryViolation(cx: ServiceContext, ids: readonly number[], brief: AppliedBrief): Promise<BriefViolation[]> {
  const category = brief.rules.category;
  if (!category || !getActiveModel(cx.db)) return [];
  const model = await categoryModel(cx);
  const [read] = readCategories(model, [ids.filter((id) => id > 0)], category);
  if (!read || read.category === category) return [];
  return [{ rule: 'category', ingredient: null, position: null, message: `the list reads as ${read.category} (${Math.round(read.probability * 100)} %) to the catalog's classifier, not ${category} (${Math.round(read.target * 100)} %)` }];
}

/**
 * The model's part of a list's score: vocabulary membership (set on `items`), code and predicted
 * benefits, and the whitened code for latent neighbours; or why there is none (`modelProblem`).
 */
async function modelPart(
  cx: ServiceContext,
  items: ScoredIngredient[],
  ids: readonly number[],
): Promise<Pick<ListScore, 'model' | 'benefits' | 'modelProblem'> & { whitened: Float64Array | null; computeMs: number | null }> {
  const active = getActiveModel(cx.db);
  if (!active) {
    const message = 'no model is active yet: train one (Model view, or latent-formulator train) to see predicted benefits and latent neighbours';
    return { model: null, benefits: null, modelProblem: { code: 'no-model', message }, whitened: null, computeMs: null };
  }
  const model = { id: active.id, name: active.name };
  const vocabulary = modelVocabulary(cx, active.id);
  items.forEach((item) => (item.inModel = item.ingredientId !== null && vocabulary.has(item.ingredientId)));
  const encoderList = ids.map((id) => (id > 0 ? id : -1));
  const cache = cx.get(LIST_SCORES);
  const cacheKey = `${active.id}:${encoderList.join(',')}`;
  let scored = cache.get(cacheKey);
  const busy = cx.activity.state().running.find((a) => a.kind !== 'import');
  const without = (code: string, message: string) => ({ model, benefits: null, modelProblem: { code, message }, whitened: null, computeMs: null });
  if (!items.some((x) => x.inModel)) return without('empty-list', 'no ingredient of the list is in the model’s vocabulary, so it has no code: add ingredients the catalog uses');
  if (!scored && busy) return without('compute-busy', `the compute process is busy (${busy.label}); predicted benefits and latent neighbours return when it finishes`);
  let computeMs: number | null = null;
  let benefits: ListScore['benefits'] = null;
  try {
    if (!scored) {
      const t = performance.now();
      const result = await runModelJob(cx, active, { kind: 'score-lists', lists: [encoderList] });
      computeMs = performance.now() - t;
      scored = { code: result.codes[0]!, benefits: result.benefits[0]! };
    }
    cache.delete(cacheKey);
    cache.set(cacheKey, scored);
    if (cache.size > LIST_SCORES_KEPT) cache.delete(cache.keys().next().value!);
    benefits = benefitValues(active, scored.benefits);
    return { model, benefits, modelProblem: null, whitened: whiten(scored.code, 1, (await latentSpace(cx)).stats), computeMs };
  } catch (error) {
    // A model without usable codes still gives its predicted benefits; only the neighbours are missing.
    if (!(error instanceof ApiFailure)) throw error;
    return { model, benefits, modelProblem: { code: error.code, message: error.message }, whitened: null, computeMs };
  }
}

/** Predicted benefits with each one's kind as the model's metrics name it. */
function benefitValues(model: StoredModel, values: Record<string, BenefitEstimate>): NonNullable<ListScore['benefits']> {
  const kinds = new Map(model.metrics.benefits.map((b) => [b.name, b.kind]));
  return Object.entries(values).map(([name, e]) => ({ name, kind: kinds.get(name) ?? 'score', value: e.value, uncertainty: e.uncertainty }));
}

/** The ingredient ids with a token of their own in a model's vocabulary. */
function modelVocabulary(cx: ServiceContext, modelId: number): ReadonlySet<number> {
  const slot = cx.get(VOCABULARY);
  const cached = slot.get(modelId);
  if (cached) return cached;
  const tokens = getModelVocabulary(cx.db, modelId) ?? [];
  return slot.set(modelId, new Set(tokens.flatMap((t) => (t.ingredientId === null ? [] : [t.ingredientId]))));
}
