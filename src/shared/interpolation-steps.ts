/**
 * Pure helpers for the renderer's interpolation view: what changed between two decoded steps,
 * which predicted benefits to show, and how to print them.
 */

/** Ingredients that appear in `next` but not in `previous` (in `next`'s order), and the reverse. */
export function listChanges(previous: readonly string[], next: readonly string[]): { added: string[]; removed: string[] } {
  const before = new Set(previous);
  const after = new Set(next);
  return { added: next.filter((x) => !before.has(x)), removed: previous.filter((x) => !after.has(x)) };
}

/**
 * The benefit names to show, sorted: the model's names from the catalog's own columns
 * (`hydration`), or its knowledge-based ones (`kb:hydration`).
 */
export function benefitNames(steps: readonly { benefits: Record<string, number> }[], knowledgeBased: boolean): string[] {
  const names = new Set<string>();
  for (const s of steps) for (const name of Object.keys(s.benefits)) if (name.startsWith('kb:') === knowledgeBased) names.add(name);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** A predicted score with two decimals; values that round to zero print as 0.00, never −0.00. */
export function formatScore(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return (Math.abs(value) < 0.005 ? 0 : value).toFixed(2);
}
