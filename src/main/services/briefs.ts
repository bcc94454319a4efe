import { ApiFailure, type AppliedBrief, type FamilyView, type SavedBrief } from '../../shared/api';
import { briefContradictions, briefDecodeConstraints, briefTest, type Brief, type BriefIngredient } from '../../shared/briefs/brief';
import type { DecodeConstraints } from '../../shared/ml/constrained-decode';
import { getModelVocabulary } from '../db/queries/models';
import { familyMembership, type CompiledFamily } from '../../shared/briefs/families';
import { deleteBrief, findBriefByName, getBrief, getBriefVersions, listBriefs, saveBrief, type StoredBrief } from '../db/queries/briefs';
import { ingredientRecords, productLists } from './catalog-index';
import { getProductCategories } from '../db/queries/products';
import { loadFamilies } from '../inci/knowledge';
import { familiesPath } from '../resources';
import { Derived, type ServiceContext } from './context';
import { resolveCategoryName } from './categories';
import type { HandlersOf } from './endpoint';

/** The briefs capability: design briefs saved by name and versioned, and the free-from families they name. */
export const briefsHandlers: HandlersOf<'listBriefs' | 'getBrief' | 'saveBrief' | 'deleteBrief' | 'listFamilies'> = {
  async listBriefs(cx) {
    return listBriefs(cx.db).map(view);
  },

  async getBrief(cx, a) {
    const stored = a.id !== undefined ? getBrief(cx.db, a.id) : findBriefByName(cx.db, a.name!);
    if (!stored) throw new ApiFailure('not-found', a.id !== undefined ? `there is no brief with id ${a.id}` : `there is no brief named "${a.name}"; see briefs list`);
    const versions = getBriefVersions(cx.db, stored.id);
    const history = versions.map(({ version, createdAt, note }) => ({ version, createdAt, note }));
    if (a.version === undefined) return { ...view(stored), history };
    const at = versions.find((v) => v.version === a.version);
    if (!at) throw new ApiFailure('not-found', `brief "${stored.name}" has versions 1 to ${stored.version}, not ${a.version}`);
    return { ...view(stored), version: at.version, note: at.note, brief: at.brief, history };
  },

  async saveBrief(cx, a) {
    const families = briefFamilies(cx);
    const lexicon = cx.lexicon();
    const known = knownIngredient(cx);
    const problems = briefContradictions(a.brief, families, known);
    if (problems.length) {
      const hints = [...a.brief.include, ...a.brief.exclude].filter((n) => !known(n)).map((n) => [n, lexicon.suggest(n)?.inci] as const).filter(([, s]) => s);
      throw new ApiFailure('invalid-argument', `brief "${a.name}" was not saved: ${problems.join('; ')}${hints.map(([n, s]) => `; did you mean ${s} for "${n}"?`).join('')}`);
    }
    const brief = canonicalBrief(cx, a.brief, known);
    return cx.exclusive(() => {
      const saved = cx.db.transaction(() => saveBrief(cx.db, a.name, brief, a.note, new Date().toISOString()))();
      return { ...view(getBrief(cx.db, saved.id)!), added: saved.added };
    });
  },

  async deleteBrief(cx, { id }) {
    return cx.exclusive(() => {
      if (!deleteBrief(cx.db, id)) throw new ApiFailure('not-found', `there is no brief with id ${id}`);
      return { deleted: true };
    });
  },

  async listFamilies(cx) {
    const records = [...ingredientRecords(cx).values()];
    return briefFamilies(cx).map(
      (f): FamilyView => ({
        id: f.id,
        name: f.name,
        description: f.description,
        members: records.flatMap((r) => {
          const why = familyMembership(f, r);
          return why ? [{ inci: r.inci, why }] : [];
        }),
      }),
    );
  },
};

const FAMILIES = new Derived([], (cx) => loadFamilies(familiesPath(cx.options.resourcesDir)));

/** The shipped free-from families (resources/knowledge/families.json), read once per service. */
export function briefFamilies(cx: ServiceContext): CompiledFamily[] {
  return cx.get(FAMILIES);
}

function view(s: StoredBrief): SavedBrief {
  return { id: s.id, name: s.name, version: s.version, versions: s.versions, note: s.note, createdAt: s.createdAt, updatedAt: s.updatedAt, brief: s.brief };
}

/**
 * The brief a job is asked to obey: a saved brief by name (its newest version) or rules given
 * with the request, checked against the knowledge base (a saved brief's names may have changed
 * since); null when neither is given. Refused with every reason before any work starts.
 */
export function resolveBrief(cx: ServiceContext, name: string | undefined, rules: Brief | undefined): AppliedBrief | null {
  if (name === undefined && rules === undefined) return null;
  let applied: AppliedBrief;
  if (name !== undefined) {
    const stored = findBriefByName(cx.db, name);
    if (!stored) throw new ApiFailure('not-found', `there is no brief named "${name}"; see briefs list, or save it first`);
    applied = { name: stored.name, version: stored.version, rules: stored.brief };
  } else applied = { name: null, version: null, rules: rules! };
  const known = knownIngredient(cx);
  const problems = briefContradictions(applied.rules, briefFamilies(cx), known);
  if (problems.length) throw new ApiFailure('invalid-argument', `the brief${applied.name ? ` "${applied.name}"` : ''} cannot be met: ${problems.join('; ')}; nothing was run`);
  // Rules given inline name ingredients as typed ("aqua"); the decoder and the checks compare INCI names.
  return { ...applied, rules: canonicalBrief(cx, applied.rules, known) };
}

/**
 * The brief as the exact decoder's constraints over the model's tokens (its stored vocabulary);
 * refused, naming each rule, when the model cannot meet it (a required ingredient it cannot write,
 * a class none of its allowed tokens has).
 */
export function briefConstraintsForModel(cx: ServiceContext, modelId: number, brief: AppliedBrief): DecodeConstraints {
  const vocabulary = getModelVocabulary(cx.db, modelId);
  if (!vocabulary) throw new ApiFailure('not-found', `model ${modelId} has no stored vocabulary`);
  const records = ingredientRecords(cx);
  const tokens = vocabulary.map((t) => {
    const r = t.ingredientId === null ? undefined : records.get(t.ingredientId);
    return r ? { inci: r.inci, synonyms: r.synonyms, functions: r.functions } : null;
  });
  const built = briefDecodeConstraints(brief.rules, tokens, briefFamilies(cx));
  if (!built.constraints) throw new ApiFailure('invalid-argument', `the active model cannot meet the brief${brief.name ? ` "${brief.name}"` : ''}: ${built.problems.join('; ')}; nothing was run`);
  return built.constraints;
}

/**
 * The brief with its names as the knowledge base writes them, each once, in the order given
 * (every name known), and its category as the catalogs name it (refused when none does).
 */
function canonicalBrief(cx: ServiceContext, rules: Brief, known: (name: string) => BriefIngredient | null): Brief {
  const canonical = (names: readonly string[]) => [...new Set(names.map((n) => known(n)!.inci))];
  return {
    ...rules,
    include: canonical(rules.include),
    exclude: canonical(rules.exclude),
    includeClasses: [...new Set(rules.includeClasses)],
    freeFrom: [...new Set(rules.freeFrom)],
    category: rules.category ? resolveCategoryName(cx, rules.category) : null,
  };
}

/** A brief as provenance records it: plain JSON (name, version and rules). */
export function briefProvenance(brief: AppliedBrief): { name: string | null; version: number | null; rules: { include: string[]; includeClasses: string[]; exclude: string[]; freeFrom: string[]; minLength: number | null; maxLength: number | null; category: string | null } } {
  const r = brief.rules;
  return { name: brief.name, version: brief.version, rules: { include: [...r.include], includeClasses: [...r.includeClasses], exclude: [...r.exclude], freeFrom: [...r.freeFrom], minLength: r.minLength, maxLength: r.maxLength, category: r.category ?? null } };
}

/**
 * The catalog products whose lists meet a brief: every hard rule (named ingredients in and out,
 * free-from families, classes, length) and, with a category, that category.
 */
export function productsMeetingBrief(cx: ServiceContext, brief: AppliedBrief): Set<number> {
  const records = ingredientRecords(cx);
  const obeys = briefTest(brief.rules, briefFamilies(cx));
  const categoryOf = brief.rules.category ? getProductCategories(cx.db) : null;
  const out = new Set<number>();
  for (const [productId, list] of productLists(cx)) {
    if (categoryOf && categoryOf.get(productId) !== brief.rules.category) continue;
    if (obeys(list.map((id) => records.get(id) ?? { inci: `#${id}` }))) out.add(productId);
  }
  return out;
}

/** The knowledge base's reading of a name, as a brief checks it (null: unknown). */
function knownIngredient(cx: ServiceContext): (name: string) => BriefIngredient | null {
  const lexicon = cx.lexicon();
  const records = ingredientRecords(cx);
  return (name) => {
    const match = lexicon.lookup(name);
    const r = match ? records.get(match.id) : undefined;
    return r ? { inci: r.inci, synonyms: r.synonyms, functions: r.functions } : null;
  };
}
