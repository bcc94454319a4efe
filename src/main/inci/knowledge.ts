import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { INGREDIENT_FUNCTIONS, type IngredientInput } from '../../shared/domain';
import { ingredientKnowledgeSchema } from '../../shared/contract';

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
