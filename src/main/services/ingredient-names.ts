import type { IngredientLookup } from '../../shared/api';
import type { ProductDetail } from '../../shared/domain';
import { ingredientKey } from '../../shared/inci/key';
import type { DegradedMatchKind, MatchKind } from '../../shared/inci/lexicon';
import { parseInciDeclaration } from '../../shared/inci/parse';
import { findIngredientIdByKey, searchIngredients } from '../db/queries/ingredients';
import type { ServiceContext } from './context';

const DEGRADED: ReadonlySet<MatchKind> = new Set<DegradedMatchKind>(['truncated', 'botanical', 'typo']);

/** Reads one ingredient name as an import would: the lexicon, then the declaration parser, then names seen only in catalogs. */
export function resolveIngredientName(cx: ServiceContext, name: string): { id: number | null; matchedBy: IngredientLookup['matchedBy'] } {
  const lexicon = cx.lexicon();
  const direct = lexicon.lookup(name);
  if (direct) return { id: direct.id, matchedBy: direct.kind };
  const parsed = parseInciDeclaration(name, lexicon);
  const only = parsed.ok && parsed.ingredients.length === 1 ? parsed.ingredients[0]! : null;
  if (only?.ingredientId) return { id: only.ingredientId, matchedBy: only.match && DEGRADED.has(only.match) ? only.match : 'parsed' };
  const id = findIngredientIdByKey(cx.db, only?.key ?? ingredientKey(name));
  return { id, matchedBy: id !== null ? 'canonical' : null };
}

/** Knowledge-base names `name` could be (the entries a degraded reading allows, or the nearest spelling), never applied silently. */
export function ingredientSuggestions(cx: ServiceContext, name: string): string[] {
  const suggestions = cx.lexicon().suggestions(name);
  for (const r of searchIngredients(cx.db, name, 5)) if (r.origin !== 'catalog' && !suggestions.includes(r.inci)) suggestions.push(r.inci);
  return suggestions;
}

/** Ingredient ids of a parsed declaration's items outside "may contain"; names no table knows become -1 (the encoder's unknown). */
export function declarationIngredientIds(cx: ServiceContext, ingredients: readonly { section: string; ingredientId: number | null; key: string }[]): number[] {
  return ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId ?? findIngredientIdByKey(cx.db, x.key) ?? -1);
}

/** A catalog product's list as ingredient ids in order, "may contain" items left out (what is encoded, compared and measured). */
export function productIngredientIds(product: ProductDetail): number[] {
  return product.ingredients.filter((x) => x.section !== 'may-contain').map((x) => x.ingredientId);
}
