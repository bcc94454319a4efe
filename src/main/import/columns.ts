import type { ColumnMapping } from '../../shared/api';
import { ingredientKey } from '../../shared/inci/key';

/**
 * Decides which column is which: ingredients (the only one required), name, brand, category,
 * benefit scores (numeric or 0/1 columns) and the rest, kept as extra text fields.
 */

export type ResolvedMapping = Required<Pick<ColumnMapping, 'ingredients'>> & ColumnMapping & { benefits: string[]; extra: string[] };

const ROLE_PATTERNS: Record<'ingredients' | 'name' | 'brand' | 'category', RegExp> = {
  ingredients: /^(ingredients?|ingredientes|zutaten|inci|incilist|incinames?|ingredientlist|ingredientslist|fullingredients|composition|declaration|ingredientdeclaration)$/,
  name: /^(name|productname|product|title|producttitle|itemname|nom|produit|nombre|produkt)$/,
  brand: /^(brand|brandname|manufacturer|maker|vendor|company|marque|marca|marke|hersteller)$/,
  category: /^(category|label|type|producttype|productcategory|class|kind|format|categorie|categoria|kategorie)$/,
};

/** Numeric columns that are facts about the listing, not skin benefits. */
const NOT_A_BENEFIT = /^(price|cost|rank|ranking|rating|stars|reviews?|reviewcount|id|productid|sku|upc|ean|gtin|year|size|volume|ml|oz|weight|count|loves|lovescount|stock|quantity|row|index)$/;

/** Cells looked at to find the benefit columns: 200 rows of up to 250 columns, fewer rows when there are more columns. */
const SAMPLE_CELL_BUDGET = 50_000;

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const DECIMAL_COMMA_NUMBER = /^[-+]?\d*,\d+$/;

/**
 * Reads a benefit cell: a number, or null for an empty cell; undefined for text that is not a
 * number. With `decimalComma` (semicolon-separated files, where the comma is the decimal mark)
 * "0,5" reads as 0.5.
 */
export function parseScore(cell: string | undefined, decimalComma = false): number | null | undefined {
  const t = (cell ?? '').trim();
  if (t === '') return null;
  if (NUMBER.test(t)) return Number(t);
  return decimalComma && DECIMAL_COMMA_NUMBER.test(t) ? Number(t.replace(',', '.')) : undefined;
}

/** The header's columns for a message: quoted, the first 30, each cut to 60 characters, control characters shown as "?". */
function columnList(header: readonly string[]): string {
  const shown = header.slice(0, 30).map((h) => `"${(h.length > 60 ? `${h.slice(0, 59)}…` : h).replace(/\p{Cc}/gu, '?')}"`);
  return header.length > 30 ? `${shown.join(', ')} and ${header.length - 30} more` : shown.join(', ');
}

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/**
 * Resolves the mapping from the header and a sample of rows; explicit `override` entries win.
 * Throws MappingError naming the missing or unknown column and listing the columns present.
 */
export function resolveColumnMapping(
  header: readonly string[],
  sample: readonly (readonly string[])[],
  override: ColumnMapping = {},
  options: { decimalComma?: boolean } = {},
): ResolvedMapping {
  const present = (col: string | undefined, field: string): string | undefined => {
    if (col === undefined) return undefined;
    if (!header.includes(col)) {
      throw new MappingError(`the mapping names column "${col}" for ${field}, but the header has no such column; columns are: ${columnList(header)}`);
    }
    return col;
  };
  const keys = header.map((h) => ingredientKey(h));
  const find = (role: keyof typeof ROLE_PATTERNS): string | undefined => {
    const i = keys.findIndex((k) => ROLE_PATTERNS[role].test(k));
    if (i >= 0) return header[i];
    if (role === 'ingredients') {
      const j = keys.findIndex((k) => k.includes('ingredient') || k.includes('inci'));
      return j >= 0 ? header[j] : undefined;
    }
    return undefined;
  };

  const ingredients = present(override.ingredients, 'ingredients') ?? find('ingredients');
  if (!ingredients) {
    throw new MappingError(
      `no ingredients column found in the header (line 1); name it "Ingredients" or choose it in the column mapping. Columns are: ${columnList(header)}`,
    );
  }
  const ignored = new Set(override.ignore ?? []);
  const taken = new Set<string>([ingredients]);
  const pick = (field: 'name' | 'brand' | 'category'): string | undefined => {
    const col = override[field] !== undefined ? present(override[field], field) : find(field);
    if (col && !taken.has(col) && !ignored.has(col)) {
      taken.add(col);
      return col;
    }
    return undefined;
  };
  const name = pick('name');
  const brand = pick('brand');
  const category = pick('category');

  let benefits: string[];
  if (override.benefits) {
    benefits = override.benefits.map((b) => present(b, 'a benefit score')!).filter((b) => !taken.has(b));
  } else {
    // A very wide file is judged on fewer rows, so the work stays bounded (at least 20 rows).
    const rows = sample.slice(0, Math.max(20, Math.floor(SAMPLE_CELL_BUDGET / Math.max(1, header.length))));
    benefits = header.filter((h, i) => {
      if (taken.has(h) || ignored.has(h) || NOT_A_BENEFIT.test(keys[i]!)) return false;
      let numeric = 0;
      for (const row of rows) {
        const v = parseScore(row[i], options.decimalComma);
        if (v === undefined) return false;
        if (v !== null) numeric++;
      }
      return numeric > 0;
    });
  }
  for (const b of benefits) taken.add(b);
  const extra = header.filter((h) => !taken.has(h) && !ignored.has(h));
  return { ingredients, name, brand, category, benefits, extra, ignore: [...ignored] };
}
