import { ApiFailure, type FamilyView, type SavedBrief } from '../../shared/api';
import { briefContradictions, type Brief, type BriefIngredient } from '../../shared/briefs/brief';
import { familyMembership, type CompiledFamily } from '../../shared/briefs/families';
import { deleteBrief, findBriefByName, getBrief, getBriefVersions, listBriefs, saveBrief, type StoredBrief } from '../db/queries/briefs';
import { getIngredientRecords } from '../db/queries/ingredients';
import { loadFamilies } from '../inci/knowledge';
import { familiesPath } from '../resources';
import type { ServiceContext } from './context';
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
    const records = new Map(getIngredientRecords(cx.db).map((r) => [r.id, r]));
    const known = (name: string): BriefIngredient | null => {
      const match = lexicon.lookup(name);
      const r = match ? records.get(match.id) : undefined;
      return r ? { inci: r.inci, synonyms: r.synonyms, functions: r.functions } : null;
    };
    const problems = briefContradictions(a.brief, families, known);
    if (problems.length) {
      const hints = [...a.brief.include, ...a.brief.exclude].filter((n) => !known(n)).map((n) => [n, lexicon.suggest(n)?.inci] as const).filter(([, s]) => s);
      throw new ApiFailure('invalid-argument', `brief "${a.name}" was not saved: ${problems.join('; ')}${hints.map(([n, s]) => `; did you mean ${s} for "${n}"?`).join('')}`);
    }
    // Names as the knowledge base writes them, each once, in the order given.
    const canonical = (names: string[]) => [...new Set(names.map((n) => known(n)!.inci))];
    const brief: Brief = { ...a.brief, include: canonical(a.brief.include), exclude: canonical(a.brief.exclude), includeClasses: [...new Set(a.brief.includeClasses)], freeFrom: [...new Set(a.brief.freeFrom)] };
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
    const records = getIngredientRecords(cx.db);
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

/** The shipped free-from families (resources/knowledge/families.json), read once per service. */
const familyCache = new WeakMap<ServiceContext, CompiledFamily[]>();

export function briefFamilies(cx: ServiceContext): CompiledFamily[] {
  let families = familyCache.get(cx);
  if (!families) {
    families = loadFamilies(familiesPath(cx.options.resourcesDir));
    familyCache.set(cx, families);
  }
  return families;
}

function view(s: StoredBrief): SavedBrief {
  return { id: s.id, name: s.name, version: s.version, versions: s.versions, note: s.note, createdAt: s.createdAt, updatedAt: s.updatedAt, brief: s.brief };
}
