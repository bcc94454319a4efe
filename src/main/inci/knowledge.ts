import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { INGREDIENT_FUNCTIONS, type IngredientInput } from '../../shared/domain';
import { ingredientKnowledgeSchema } from '../../shared/api';
import { compileFamily, type CompiledFamily } from '../../shared/briefs/families';
import { PHASES, PREPARATIONS } from '../../shared/formula/estimate';

/**
 * The ingredient knowledge base shipped in resources/knowledge/ingredients.json: loading,
 * validation (every entry checked, errors name the entry), and its content hash.
 */

const kbFileSchema = z.object({
  version: z.number().int(),
  notice: z.string(),
  ingredients: z.array(ingredientKnowledgeSchema).min(1),
});

export interface KnowledgeFile {
  version: number;
  hash: string;
  entries: IngredientInput[];
}

/** Reads and validates the knowledge-base file; throws with the index and name of a bad entry. */
export function loadKnowledgeFile(path: string): KnowledgeFile {
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`knowledge base ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = kbFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const index = typeof issue.path[1] === 'number' ? issue.path[1] : null;
    const name = index !== null ? (json as { ingredients: { inci?: string }[] }).ingredients[index]?.inci : undefined;
    throw new Error(
      `knowledge base ${path}: ${index !== null ? `entry ${index}${name ? ` ("${name}")` : ''}, ` : ''}field ${issue.path.slice(2).join('.') || issue.path.join('.')}: ${issue.message}`,
    );
  }
  return {
    version: parsed.data.version,
    hash: createHash('sha256').update(text).digest('hex'),
    entries: parsed.data.ingredients.map((e) => ({ ...e, benefits: e.benefits })),
  };
}

export { INGREDIENT_FUNCTIONS };

const familiesSchema = z.object({
  version: z.number().int(),
  notice: z.string(),
  families: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/, 'an id of lower-case letters, digits and hyphens'),
        name: z.string().min(1),
        description: z.string().min(1),
        rule: z
          .object({
            functions: z.array(z.enum(INGREDIENT_FUNCTIONS)).optional(),
            patterns: z.array(z.string().min(1)).optional(),
            members: z.array(z.string().min(1)).optional(),
            except: z.array(z.string().min(1)).optional(),
            exceptPatterns: z.array(z.string().min(1)).optional(),
          })
          .strict(),
      }),
    )
    .min(1),
});

/**
 * Reads resources/knowledge/families.json (free-from families, src/shared/briefs/families.ts):
 * every family validated and its patterns compiled; an error names the family and the field.
 */
export function loadFamilies(path: string): CompiledFamily[] {
  const parsed = familiesSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`family list ${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const ids = new Set<string>();
  return parsed.data.families.map((f) => {
    if (ids.has(f.id)) throw new Error(`family list ${path}: the id "${f.id}" is used twice`);
    ids.add(f.id);
    return compileFamily(f);
  });
}

const incompatibilitiesSchema = z.object({
  version: z.number().int(),
  notice: z.string(),
  groups: z.record(z.string(), z.array(z.string().min(1)).min(1)),
  pairs: z.array(z.object({ a: z.string(), b: z.string(), reason: z.string().min(1) })).min(1),
});

export interface IncompatiblePair {
  a: string[];
  b: string[];
  reason: string;
}

/**
 * Reads resources/knowledge/incompatibilities.json: groups of INCI names and the group pairs
 * not to combine. `resolve` maps a name to its canonical form; an unknown name or group is an
 * error naming it, so a typo cannot silently switch a rule off.
 */
export function loadIncompatibilities(path: string, resolve: (name: string) => string | null): IncompatiblePair[] {
  const parsed = incompatibilitiesSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`incompatibility list ${path}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  const group = (name: string): string[] => {
    const members = parsed.data.groups[name];
    if (!members) throw new Error(`incompatibility list ${path}: a pair names the group "${name}", which is not defined`);
    return members.map((m) => {
      const canonical = resolve(m);
      if (!canonical) throw new Error(`incompatibility list ${path}: group "${name}" names "${m}", which the knowledge base does not know`);
      return canonical;
    });
  };
  return parsed.data.pairs.map((p) => ({ a: group(p.a), b: group(p.b), reason: p.reason }));
}

const levelFields = {
  min: z.number().positive(),
  max: z.number().positive().max(100),
  usual: z.number().positive(),
  phase: z.enum(PHASES),
  prep: z.enum(PREPARATIONS).nullable(),
};
const ordered = (l: { min: number; usual: number; max: number }) => l.min <= l.usual && l.usual <= l.max;
const levelSchema = z.object(levelFields).strict().refine(ordered, { message: 'min ≤ usual ≤ max is required' });
const ingredientLevelSchema = z
  .object({ inci: z.string().min(1), ...levelFields })
  .strict()
  .refine(ordered, { message: 'min ≤ usual ≤ max is required' });

const useLevelsSchema = z.object({
  version: z.number().int(),
  notice: z.string(),
  phases: z.record(z.string(), z.string()),
  classes: z.partialRecord(z.enum(INGREDIENT_FUNCTIONS), levelSchema),
  ingredients: z.array(ingredientLevelSchema).min(1),
});

export interface UseLevelsFile {
  hash: string;
  classes: Partial<Record<(typeof INGREDIENT_FUNCTIONS)[number], z.infer<typeof levelSchema>>>;
  ingredients: (z.infer<typeof levelSchema> & { inci: string })[];
}

function parseKnowledgeJson<T>(path: string, what: string, schema: z.ZodType<T>, label: (json: unknown, path: PropertyKey[]) => string): { text: string; data: T } {
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${what} ${path}: ${label(json, issue.path)}${issue.path.join('.')}: ${issue.message}`);
  }
  return { text, data: parsed.data };
}

const entryLabel = (key: string) => (json: unknown, path: PropertyKey[]): string => {
  if (path[0] !== key || typeof path[1] !== 'number') return '';
  const entry = (json as Record<string, { inci?: string }[]>)[key]?.[path[1]];
  return entry?.inci ? `"${entry.inci}", ` : '';
};

/** Reads resources/knowledge/use-levels.json (typical use levels and phases); an error names the entry and field. */
export function loadUseLevels(path: string): UseLevelsFile {
  const { text, data } = parseKnowledgeJson(path, 'use-level list', useLevelsSchema, entryLabel('ingredients'));
  return { hash: createHash('sha256').update(text).digest('hex'), classes: data.classes, ingredients: data.ingredients };
}

const legalLimitsSchema = z.object({
  version: z.number().int(),
  notice: z.string(),
  jurisdiction: z.string().min(1),
  source: z.string().min(1),
  allergenLabelling: z.object({ 'leave-on': z.number().positive(), 'rinse-off': z.number().positive(), annex: z.string().min(1), basis: z.string() }).strict(),
  limits: z
    .array(
      z
        .object({
          inci: z.string().min(1),
          annex: z.string().min(1).max(40),
          max: z.number().positive().max(100),
          applies: z.enum(['all', 'leave-on', 'rinse-off']),
          area: z.enum(['face', 'body', 'hands', 'lips', 'eye']).nullable(),
          condition: z.string().max(1000),
          expressedAs: z.string().optional(),
        })
        .strict(),
    )
    .min(1),
});

export type LegalLimitsFile = z.infer<typeof legalLimitsSchema> & { hash: string };

/** Reads resources/knowledge/legal-limits.json (EU maximum concentrations and allergen labelling thresholds). */
export function loadLegalLimits(path: string): LegalLimitsFile {
  const { text, data } = parseKnowledgeJson(path, 'legal-limit list', legalLimitsSchema, entryLabel('limits'));
  return { ...data, hash: createHash('sha256').update(text).digest('hex') };
}
