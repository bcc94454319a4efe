/**
 * What a column's header says about its role, for the roles a header names reliably: the
 * category columns (and how specific each is) and the facts about a listing that are never
 * benefit scores. The ingredients column is found by content (see columns.ts).
 */

/** Generic category headers (compact keys): one of these is the category when no level is more specific. */
const CATEGORY = /^(category|categories|label|type|producttype|productcategory|categoryname|class|kind|format|categorie|categoria|kategorie|produktart|typedeproduit)$/;
/** Levels of a category hierarchy, most specific last: "primary_category", "secondary_category", … */
const CATEGORY_LEVEL = /^(primary|main|top|secondary|sub|tertiary|third|leaf)_?category$|^(category|cat)_?([123]|level_?[123])$|^subcategory$/;

/** How specific a category header is: tertiary 3, secondary or sub 2, primary or generic 1. */
function specificity(words: string): number {
  if (/^(tertiary|third|leaf)|[3]$/.test(words)) return 3;
  if (/^(secondary|sub)|[2]$/.test(words)) return 2;
  return 1;
}

/** Header words in lower case: "loves_count" → "loves count", "productID" → "product id". */
function headerWords(header: string): string[] {
  return header
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * The category columns in the order a row reads them, most specific first; empty when the
 * header names none. Decision: where a file has a hierarchy (`primary_category`,
 * `secondary_category`, `tertiary_category`), each row takes its most specific non-empty level,
 * so a product filed only under "Skincare" keeps that while one under "Skincare › Moisturizers"
 * is a moisturizer. A generic header ("Category", "Label", "product_type") counts as the least
 * specific level; of several generic ones only the first is used (the rest stay plain fields).
 */
export function categoryChain(header: readonly string[], keys: readonly string[]): string[] {
  const chosen: { column: string; rank: number; at: number }[] = [];
  let generic = false;
  header.forEach((column, at) => {
    const snake = headerWords(column).join('_');
    if (CATEGORY_LEVEL.test(snake)) chosen.push({ column, rank: specificity(snake), at });
    else if (!generic && CATEGORY.test(keys[at]!)) {
      generic = true;
      chosen.push({ column, rank: 0.5, at });
    }
  });
  return chosen.sort((a, b) => b.rank - a.rank || a.at - b.at).map((c) => c.column);
}

/** Words that make a column a fact about the listing, by kind. */
const LISTING_FACTS: [kind: string, words: RegExp][] = [
  ['an identifier', /^(id|ids|sku|skus|code|upc|ean|gtin|asin|barcode|isbn|uuid|guid|ref|reference|index|row|no)$/],
  ['a price', /^(price|prices|cost|usd|eur|gbp|msrp|rrp|prix|preis|precio|kosten)$/],
  ['a count', /^(count|counts|reviews?|loves?|likes?|votes?|sold|stock|quantity|qty|num|number|followers|views|anzahl|avis|bewertungen)$/],
  ['a rating or rank', /^(rating|ratings|rank|ranking|stars?|position|popularity|bewertung|sterne|note|notes)$/],
  ['a size or date', /^(size|volume|ml|oz|weight|grams?|year|date|launched)$/],
  ['a shop flag', /^(limited|edition|new|online|exclusive|sale|available|availability|discontinued|bestseller|instock|outofstock)$/],
];

/**
 * Names the kind of listing fact a header denotes ("a price", "a count", …), or null. Any word
 * counts: "loves_count", "price_usd", "product_id", "sephora_exclusive". Skin-type and benefit
 * headers ("Dry", "hydration_score") are not facts.
 */
export function listingFactKind(header: string): string | null {
  const words = headerWords(header);
  for (const [kind, pattern] of LISTING_FACTS) if (words.some((w) => pattern.test(w))) return kind;
  return null;
}
