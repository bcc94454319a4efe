import type { Brief } from '../../../../shared/briefs/brief';

/** A brief's rules as the builder edits them (every field present). */
export type BriefRules = Required<Brief>;

export function emptyRules(): BriefRules {
  return { include: [], includeClasses: [], exclude: [], freeFrom: [], minLength: null, maxLength: null, category: null };
}

/** Whether two sets of rules say the same (order of names and families aside). */
export function sameRules(a: BriefRules, b: BriefRules): boolean {
  const set = (xs: readonly string[]) => JSON.stringify([...xs].map((x) => x.toLowerCase()).sort());
  return (
    set(a.include) === set(b.include) &&
    set(a.exclude) === set(b.exclude) &&
    set(a.includeClasses) === set(b.includeClasses) &&
    set(a.freeFrom) === set(b.freeFrom) &&
    a.minLength === b.minLength &&
    a.maxLength === b.maxLength &&
    (a.category ?? null) === (b.category ?? null)
  );
}
