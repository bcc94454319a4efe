import type { IngredientFunction } from '../domain';

/**
 * Ingredient families for free-from claims and design briefs (issue 15), as shipped in
 * resources/knowledge/families.json. A name belongs to a family when it is not an exception and
 * it is listed, matches one of the family's name patterns (case-insensitive), or the knowledge
 * base gives it one of the family's functional classes. Each membership says why, so the brief
 * builder can show it.
 */

export interface FamilyRule {
  /** Functional classes (knowledge base) whose ingredients belong. */
  functions?: IngredientFunction[];
  /** Regular expressions on the INCI name, case-insensitive. */
  patterns?: string[];
  /** Names that belong whatever the rules say (compared case-insensitively). */
  members?: string[];
  /** Names that never belong (compared case-insensitively), and patterns of such names. */
  except?: string[];
  exceptPatterns?: string[];
}

export interface Family {
  id: string;
  name: string;
  description: string;
  rule: FamilyRule;
}

/** A family with its patterns compiled once. */
export interface CompiledFamily extends Family {
  matchers: RegExp[];
  exceptMatchers: RegExp[];
  memberSet: Set<string>;
  exceptSet: Set<string>;
}

/** Compiles a family's patterns; throws naming the family and the pattern when one is not a valid regular expression. */
export function compileFamily(family: Family): CompiledFamily {
  const compile = (source: string) => {
    try {
      return new RegExp(source, 'i');
    } catch (error) {
      throw new Error(`family "${family.id}": the pattern ${JSON.stringify(source)} is not a valid regular expression (${(error as Error).message})`);
    }
  };
  return {
    ...family,
    matchers: (family.rule.patterns ?? []).map(compile),
    exceptMatchers: (family.rule.exceptPatterns ?? []).map(compile),
    memberSet: new Set((family.rule.members ?? []).map(fold)),
    exceptSet: new Set((family.rule.except ?? []).map(fold)),
  };
}

/** Whether an ingredient (its INCI name, synonyms and functional classes) belongs to the family, and why; null when it does not. */
export function familyMembership(family: CompiledFamily, ingredient: { inci: string; synonyms?: readonly string[]; functions?: readonly string[] }): string | null {
  const names = [ingredient.inci, ...(ingredient.synonyms ?? [])];
  const folded = names.map(fold);
  if (folded.some((n) => family.exceptSet.has(n)) || names.some((n) => family.exceptMatchers.some((m) => m.test(n)))) return null;
  const listed = names.find((n) => family.memberSet.has(fold(n)));
  if (listed !== undefined) return listed === ingredient.inci ? 'listed' : `listed as ${listed}`;
  for (const m of family.matchers) {
    const hit = names.find((n) => m.test(n));
    if (hit !== undefined) return `the name${hit === ingredient.inci ? '' : ` ${hit}`} matches /${m.source}/`;
  }
  const cls = (family.rule.functions ?? []).find((f) => ingredient.functions?.includes(f));
  if (cls) return `the knowledge base classes it as ${cls}`;
  return null;
}

/** Case and spacing folded, for comparing names. */
function fold(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}
