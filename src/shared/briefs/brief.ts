import type { IngredientFunction } from '../domain';
import type { DecodeConstraints } from '../ml/constrained-decode';
import { familyMembership, type CompiledFamily } from './families';

/**
 * A design brief (issue 15): what every candidate must and must not contain. The hard parts
 * (named ingredients in and out, "at least one of" a functional class, free-from families,
 * length) become the exact decoder's constraints (src/shared/ml/constrained-decode.ts) and are
 * checked on any list, e.g. the editor's, with one violation per broken rule and ingredient.
 */
export interface Brief {
  /** INCI names every list must hold. */
  include: string[];
  /** Functional classes: every list holds at least one ingredient of each. */
  includeClasses: IngredientFunction[];
  /** INCI names no list may hold. */
  exclude: string[];
  /** Family ids (resources/knowledge/families.json) no list may hold a member of. */
  freeFrom: string[];
  /** Ingredient count bounds (null: none). */
  minLength: number | null;
  maxLength: number | null;
  /**
   * The category candidates should read as (a category of the catalog the model was trained on,
   * e.g. "Moisturizer"): generation samples around that category's region of the latent space,
   * and a bag-of-ingredients classifier checks each candidate. Absent or null: any.
   */
  category?: string | null;
}

/** An ingredient as the brief reads it. */
export interface BriefIngredient {
  inci: string;
  synonyms?: readonly string[];
  functions?: readonly string[];
}

export interface BriefViolation {
  rule: 'include' | 'include-class' | 'exclude' | 'free-from' | 'length' | 'category';
  /** The ingredient concerned (its place in the list), when there is one. */
  ingredient: string | null;
  position: number | null;
  message: string;
}

/** A brief's rules in one line each. */
export function describeBrief(b: Brief): string[] {
  const lines: string[] = [];
  if (b.include.length) lines.push(`must include: ${b.include.join('; ')}`);
  if (b.includeClasses.length) lines.push(`at least one of each: ${b.includeClasses.join(', ')}`);
  if (b.exclude.length) lines.push(`must not include: ${b.exclude.join('; ')}`);
  if (b.freeFrom.length) lines.push(`free from: ${b.freeFrom.join(', ')}`);
  if (b.minLength !== null || b.maxLength !== null) lines.push(`length: ${b.minLength ?? 1} to ${b.maxLength ?? 'any'} ingredients`);
  if (b.category) lines.push(`reads as: ${b.category}`);
  return lines.length ? lines : ['(no rules)'];
}

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Every way the list breaks the brief, in the brief's order (included, classes, excluded, families, length). */
export function briefViolations(list: readonly BriefIngredient[], brief: Brief, families: readonly CompiledFamily[]): BriefViolation[] {
  const out: BriefViolation[] = [];
  const names = list.map((i) => fold(i.inci));
  for (const name of brief.include) {
    if (!names.includes(fold(name))) out.push({ rule: 'include', ingredient: name, position: null, message: `the brief requires ${name}, which the list does not hold` });
  }
  for (const cls of brief.includeClasses) {
    if (!list.some((i) => i.functions?.includes(cls))) out.push({ rule: 'include-class', ingredient: null, position: null, message: `the brief requires at least one ${cls}; the list has none` });
  }
  const excluded = new Set(brief.exclude.map(fold));
  list.forEach((ingredient, position) => {
    if (excluded.has(fold(ingredient.inci))) out.push({ rule: 'exclude', ingredient: ingredient.inci, position, message: `${ingredient.inci} is excluded by the brief` });
  });
  for (const id of brief.freeFrom) {
    const family = families.find((f) => f.id === id);
    if (!family) continue;
    list.forEach((ingredient, position) => {
      const why = familyMembership(family, ingredient);
      if (why) out.push({ rule: 'free-from', ingredient: ingredient.inci, position, message: `${ingredient.inci} is one of the ${family.name.toLowerCase()} (${why}); the brief is ${family.name.toLowerCase()}-free` });
    });
  }
  if (brief.minLength !== null && list.length < brief.minLength) out.push({ rule: 'length', ingredient: null, position: null, message: `${list.length} ingredients; the brief asks for at least ${brief.minLength}` });
  if (brief.maxLength !== null && list.length > brief.maxLength) out.push({ rule: 'length', ingredient: null, position: null, message: `${list.length} ingredients; the brief allows at most ${brief.maxLength}` });
  return out;
}

/**
 * Whether a list obeys every hard rule of the brief: the test of {@link briefViolations} returning
 * none, for many lists at once (a catalog's), with each ingredient's exclusion decided once.
 */
export function briefTest(brief: Brief, families: readonly CompiledFamily[]): (list: readonly BriefIngredient[]) => boolean {
  const excluded = new Set(brief.exclude.map(fold));
  const chosen = brief.freeFrom.map((id) => families.find((f) => f.id === id)).filter((f): f is CompiledFamily => f !== undefined);
  const required = brief.include.map(fold);
  const banned = new Map<string, boolean>();
  const isBanned = (i: BriefIngredient) => {
    const key = fold(i.inci);
    let v = banned.get(key);
    if (v === undefined) banned.set(key, (v = excluded.has(key) || chosen.some((f) => familyMembership(f, i) !== null)));
    return v;
  };
  return (list) =>
    (brief.minLength === null || list.length >= brief.minLength) &&
    (brief.maxLength === null || list.length <= brief.maxLength) &&
    !list.some(isBanned) &&
    required.every((name) => list.some((i) => fold(i.inci) === name)) &&
    brief.includeClasses.every((cls) => list.some((i) => i.functions?.includes(cls)));
}

/** Why a brief cannot be met, before any work starts: each message names the rule and the ingredient, class or family. */
export function briefContradictions(brief: Brief, families: readonly CompiledFamily[], known: (name: string) => BriefIngredient | null): string[] {
  const problems: string[] = [];
  for (const id of brief.freeFrom) if (!families.some((f) => f.id === id)) problems.push(`free-from: there is no family "${id}"; the families are ${families.map((f) => f.id).join(', ')}`);
  for (const name of [...brief.include, ...brief.exclude]) if (!known(name)) problems.push(`"${name}" is not an ingredient the knowledge base or the catalog knows`);
  const excluded = new Set(brief.exclude.map(fold));
  for (const name of brief.include) {
    if (excluded.has(fold(name))) problems.push(`${name} is both required and excluded`);
    const ingredient = known(name);
    if (!ingredient) continue;
    for (const id of brief.freeFrom) {
      const family = families.find((f) => f.id === id);
      const why = family ? familyMembership(family, ingredient) : null;
      if (family && why) problems.push(`${name} is required, but it is one of the ${family.name.toLowerCase()} (${why}) the brief excludes`);
    }
  }
  if (brief.minLength !== null && brief.maxLength !== null && brief.minLength > brief.maxLength) problems.push(`the length bounds are reversed: at least ${brief.minLength} and at most ${brief.maxLength}`);
  const needed = brief.include.length;
  if (brief.maxLength !== null && needed > brief.maxLength) problems.push(`${needed} required ingredients do not fit in at most ${brief.maxLength}`);
  return problems;
}

/**
 * The brief as the exact decoder's constraints over a model's tokens (each token's ingredient;
 * null for buckets, which are never emitted). Returns the problems instead when the model cannot
 * meet the brief: a required ingredient outside its vocabulary, a class none of its tokens has.
 */
export function briefDecodeConstraints(
  brief: Brief,
  tokens: readonly (BriefIngredient | null)[],
  families: readonly CompiledFamily[],
): { constraints: DecodeConstraints; problems: [] } | { constraints: null; problems: string[] } {
  const problems: string[] = [];
  const byName = new Map<string, number>();
  tokens.forEach((t, i) => t && byName.set(fold(t.inci), i));
  const allowed = new Uint8Array(tokens.length);
  const excluded = new Set(brief.exclude.map(fold));
  const chosen = brief.freeFrom.map((id) => families.find((f) => f.id === id)).filter((f): f is CompiledFamily => f !== undefined);
  tokens.forEach((t, i) => {
    allowed[i] = t && !excluded.has(fold(t.inci)) && !chosen.some((f) => familyMembership(f, t) !== null) ? 1 : 0;
  });
  const required: number[] = [];
  for (const name of brief.include) {
    const token = byName.get(fold(name));
    if (token === undefined) problems.push(`${name} is required, but the model cannot write it (it is not in the model's vocabulary: too rare in the catalog it was trained on)`);
    else if (!allowed[token]) problems.push(`${name} is required, but the brief also excludes it`);
    else required.push(token);
  }
  const atLeastOne: number[][] = [];
  for (const cls of brief.includeClasses) {
    const members = tokens.flatMap((t, i) => (t && allowed[i] && t.functions?.includes(cls) ? [i] : []));
    if (members.length === 0) problems.push(`the brief requires a ${cls}, but the model can write none that the brief allows`);
    else atLeastOne.push(members);
  }
  if (problems.length) return { constraints: null, problems };
  return {
    constraints: { allowed, required, atLeastOne, ...(brief.minLength !== null ? { minLength: brief.minLength } : {}), ...(brief.maxLength !== null ? { maxLength: brief.maxLength } : {}) },
    problems: [],
  };
}
