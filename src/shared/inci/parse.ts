import type { DeclarationSection } from '../domain';
import { ingredientKey, stripParentheses, tidyName } from './key';
import { endsAtSlash } from './degraded';
import type { DegradedMatchKind, IngredientLexicon, MatchKind } from './lexicon';
import { hasTopLevelSeparator, joinListDeclarations, parsePythonList } from './list-string';

/**
 * Turns a raw ingredient declaration, as printed on a label or scraped from a shop, into an
 * ordered list of canonical ingredients plus warnings — or rejects text that is not an
 * ingredient list at all, with the reason.
 */

export interface ParsedIngredient {
  /** Canonical INCI name when known, otherwise the tidied name as written. */
  name: string;
  /** The item as it stood in the declaration (after splitting). */
  raw: string;
  /** Matching key of `name` (see {@link ingredientKey}). */
  key: string;
  ingredientId: number | null;
  match: MatchKind | null;
  percent: number | null;
  section: DeclarationSection;
}

export type ParseWarningCode =
  | 'repeated'
  | 'misspelling'
  | DegradedMatchKind
  | 'unknown'
  | 'footnote-dropped'
  | 'label-dropped'
  | 'disclaimer-dropped'
  | 'prose-dropped'
  | 'unbalanced-brackets';

export interface ParseWarning {
  code: ParseWarningCode;
  message: string;
  /** For `unknown`: the closest known name, offered as a suggestion only. */
  suggestion?: string;
}

export type RejectCode = 'empty' | 'placeholder' | 'shop-text' | 'description' | 'no-ingredients' | 'single-unknown';

export type ParseResult =
  | { ok: true; ingredients: ParsedIngredient[]; warnings: ParseWarning[] }
  | { ok: false; code: RejectCode; reason: string };

const PLACEHOLDER = /^(#name\?|#n\/a|#value!|no info(rmation)?|n\/?a|none|null|undefined|not available|tbd|-+|\.+)$/i;
const SHOP_TEXT = /\bvisit the\b.*\bboutique\b|https?:\/\/|www\./i;
/** "-Niacinamide: reduces the look of pores" — a marketing bullet, not a declaration. */
const DESCRIPTION_BULLET = /(?:^|\s)[-•]\s?[A-Z0-9][^:,\n]{0,80}:\s+[A-Za-z]/g;
const DISCLAIMER = /\bplease (?:be aware|refer|note)\b[\s\S]*$/i;
const MAY_CONTAIN = /may\s+contain\b\s*(?:\(\s*\+\s*\/\s*-\s*\)|\[\s*\+\s*\/\s*-\s*\])?\s*:?|[[(]\s*\+\s*\/\s*-\s*[\])]?\s*:?|\+\s*\/\s*-\s*:?/i;
const HEADING = /\b(active|inactive|other)\s+ingredients?\s*:|\bingredients?\s*:/gi;
const FOOTNOTE_MARKERS = '*†✝‡^¹²³⁴⁵⁶⁷⁸⁹⁰';
const TRAILING_MARKERS = new RegExp(`[\\s.${FOOTNOTE_MARKERS}]+$`);
const LEADING_BULLET = new RegExp(`^[\\s\\-•·${FOOTNOTE_MARKERS}]+`);
const INLINE_FOOTNOTE = /\s+[*†✝‡]+\s*[A-Za-z][\s\S]*$/;
const FOOTNOTE_WORDS = /\b(organic|origin|certified|essential oils?|natural|naturally|derived|farming|fair ?trade|wild|harvested|sourced|ecocert|cosmos)\b/i;
/** A one-ingredient product (a pure oil, butter or hydrosol) is a real declaration. */
const SINGLE_MATERIAL = /^[A-Z][A-Za-z-]*(?: [A-Za-z-]+){1,7} (oil|butter|extract|water|wax|juice|powder|squalane|clay)$/i;
/** How the `truncated`, `botanical` and `typo` warnings describe a degraded name's reading. */
const DEGRADED_READ_AS: Record<DegradedMatchKind, string> = {
  truncated: 'the only known name it begins',
  botanical: 'the only known part of that plant',
  typo: 'the only known name within a typo',
};
/** A bracket opened and never closed at the end of a name: the name was cut inside it. */
const UNCLOSED_TAIL = /\s*[([][^()[\]]*$/;
const PERCENT = /\(?\s*(\d{1,3}(?:[.,]\d+)?)\s*%\s*\)?/;

/** Parses a declaration. `lexicon` maps names to the knowledge base; it is only read. */
export function parseInciDeclaration(text: string, lexicon: IngredientLexicon): ParseResult {
  const warnings: ParseWarning[] = [];
  let body = (text ?? '')
    .normalize('NFC')
    .replace(/[\uFFFD\u00A0\u200B]/g, ' ')
    // "Titanium Dioxide 1.6%Water": a percentage glued to the next name ends an item.
    .replace(/(\d\s*%)(?=[A-Z])/g, '$1, ')
    // "1, 2-Hexanediol": locants written with a space after the comma.
    .replace(/\b(\d),\s+(\d)-(?=[A-Za-z])/g, '$1,$2-')
    // "Water (and) Glycerin": blends and some labels join ingredients with "(and)".
    .replace(/\s*\(and\)\s*/gi, ', ')
    .trim();
  if (!body) return reject('empty', 'the ingredient list is empty');
  if (PLACEHOLDER.test(body)) return reject('placeholder', `"${body}" is a placeholder, not an ingredient list`);
  if (SHOP_TEXT.test(body)) return reject('shop-text', `"${clip(body)}" is shop text, not an ingredient list`);

  let pythonItems = parsePythonList(body);
  // "['Water, Glycerin, …']": elements that hold whole declarations are read as one declaration.
  if (pythonItems?.some(hasTopLevelSeparator)) {
    body = joinListDeclarations(pythonItems);
    pythonItems = null;
  }
  let rawItems: RawItem[];
  if (pythonItems) {
    rawItems = pythonItems.map((t) => ({ text: t, section: 'main' as const }));
  } else {
    const bullets = [...body.matchAll(DESCRIPTION_BULLET)];
    if (bullets.length >= 2 || (bullets.length === 1 && /^[-•]/.test(body))) {
      const list = listAfterDescriptions(body, bullets[bullets.length - 1]!);
      if (list === null) {
        return reject('description', `"${clip(body)}" is a product description ("-Name: claim"), not an INCI list; paste only the ingredient list`);
      }
      warnings.push({ code: 'label-dropped', message: 'marketing descriptions ("-Name: claim") before the ingredient list were dropped' });
      body = list;
    }
    const disclaimer = DISCLAIMER.exec(body);
    if (disclaimer && disclaimer.index > 0) {
      body = body.slice(0, disclaimer.index).trim();
      warnings.push({ code: 'disclaimer-dropped', message: 'a shop disclaimer ("Please be aware …") after the list was dropped' });
    }
    rawItems = splitSections(body, warnings);
  }

  const ingredients: ParsedIngredient[] = [];
  const seen = new Map<string, number>();
  let itemNumber = 0;
  for (const item of rawItems) {
    const cleaned = cleanItem(item.text, warnings);
    if (!cleaned) continue;
    itemNumber++;
    const resolved = resolveName(cleaned.name, lexicon);
    if (resolved.match === 'misspelling') {
      warnings.push({ code: 'misspelling', message: `"${cleaned.name}" read as the known misspelling of "${resolved.name}"` });
    } else if (resolved.match && resolved.match in DEGRADED_READ_AS) {
      warnings.push({ code: resolved.match as DegradedMatchKind, message: `"${cleaned.name}" read as "${resolved.name}" (${DEGRADED_READ_AS[resolved.match as DegradedMatchKind]})` });
    }
    const identity = resolved.ingredientId !== null ? `#${resolved.ingredientId}` : resolved.key;
    if (!identity) continue;
    const first = seen.get(identity);
    if (first !== undefined) {
      warnings.push({
        code: 'repeated',
        message: `"${resolved.name}" is listed again as item ${itemNumber}; kept the first (position ${first})`,
      });
      continue;
    }
    if (resolved.ingredientId === null) {
      const suggestions = lexicon.suggestions(cleaned.name, 3);
      warnings.push(
        suggestions.length
          ? { code: 'unknown', message: `unknown ingredient "${resolved.name}" — did you mean ${suggestions.map((x) => `"${x}"`).join(' or ')}?`, suggestion: suggestions[0] }
          : { code: 'unknown', message: `unknown ingredient "${resolved.name}"` },
      );
    }
    seen.set(identity, ingredients.length + 1);
    ingredients.push({ ...resolved, raw: item.text.trim(), percent: cleaned.percent, section: item.section });
  }

  if (ingredients.length === 0) return reject('no-ingredients', `no ingredient could be read from "${clip(text)}"`);
  if (ingredients.length === 1 && ingredients[0]!.ingredientId === null && !SINGLE_MATERIAL.test(ingredients[0]!.name)) {
    return reject('single-unknown', `"${clip(text)}" holds a single unrecognised item, not an ingredient list`);
  }
  return { ok: true, ingredients, warnings };
}

interface RawItem {
  text: string;
  section: DeclarationSection;
}

function reject(code: RejectCode, reason: string): ParseResult {
  return { ok: false, code, reason };
}

function clip(s: string, n = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

/**
 * Shop pages often put "-Name: claim." bullets before the real list, which then follows a label
 * ("… Tightens pores. Step one: Water, Glycerin, …"). Returns that list, or null when the text
 * is marketing only. A list has many commas before its first sentence end; prose has few.
 */
function listAfterDescriptions(body: string, lastBullet: RegExpMatchArray): string | null {
  const colon = body.indexOf(':', lastBullet.index ?? 0);
  const after = body.slice(colon + 1).trim();
  const commasBeforeSentenceEnd = (t: string) => (t.split(/\.\s/)[0]!.match(/,/g) ?? []).length;
  if (commasBeforeSentenceEnd(after) >= 5) return after;
  for (let next = after.indexOf(': '); next >= 0; next = after.indexOf(': ', next + 2)) {
    const candidate = after.slice(next + 2);
    if (commasBeforeSentenceEnd(candidate) >= 3) return candidate;
  }
  return null;
}

/** Splits the declaration into sections (active / main / may-contain) and those into items. */
function splitSections(body: string, warnings: ParseWarning[]): RawItem[] {
  let main = body;
  let mayContain = '';
  const mc = findTopLevel(body, MAY_CONTAIN);
  if (mc) {
    main = body.slice(0, mc.index);
    mayContain = body.slice(mc.index + mc.length).replace(/^[\s:]+/, '').replace(/[\s.]+$/, '');
    // "[+/- Mica, …]" opens a bracket whose closing one ends the section: drop that one only.
    const opener = body[mc.index];
    const closer = opener === '[' ? ']' : opener === '(' ? ')' : null;
    if (closer && mayContain.endsWith(closer) && depthAt(mayContain, mayContain.length) === 0 && unbalancedClosers(mayContain) > 0) {
      mayContain = mayContain.slice(0, -1).replace(/[\s.]+$/, '');
    }
    main = main.replace(/[\s,;.]+$/, '');
  }

  const parts: RawItem[] = [];
  const headings = [...main.matchAll(HEADING)];
  if (headings.length === 0) {
    parts.push({ text: main, section: 'main' });
  } else {
    const firstIndex = headings[0]!.index ?? 0;
    const prefix = main.slice(0, firstIndex).trim();
    const hasInactive = headings.some((h) => /inactive|other/i.test(h[1] ?? ''));
    if (prefix) {
      if (/[,;]/.test(prefix)) parts.push({ text: prefix, section: hasInactive && !/^active$/i.test(headings[0]![1] ?? '') ? 'active' : 'main' });
      else warnings.push({ code: 'label-dropped', message: `text before the list ("${clip(prefix)}") was dropped` });
    }
    headings.forEach((h, i) => {
      const start = (h.index ?? 0) + h[0].length;
      const end = i + 1 < headings.length ? (headings[i + 1]!.index ?? main.length) : main.length;
      const section: DeclarationSection = /^active$/i.test(h[1] ?? '') ? 'active' : 'main';
      parts.push({ text: main.slice(start, end), section });
    });
  }
  if (mayContain) parts.push({ text: mayContain, section: 'may-contain' });

  const items: RawItem[] = [];
  for (const part of parts) {
    for (const text of splitTopLevel(part.text, warnings)) items.push(...splitKitLabels(text, part.section, warnings));
  }
  return items;
}

/** Finds a pattern only where it is not nested inside brackets (other than the one it opens). */
function findTopLevel(text: string, pattern: RegExp): { index: number; length: number } | null {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (depthAt(text, m.index) === 0 || /^[[(]/.test(m[0])) return { index: m.index, length: m[0].length };
  }
  return null;
}

/** Closing brackets with no opening partner. */
function unbalancedClosers(text: string): number {
  let depth = 0;
  let stray = 0;
  for (const c of text) {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth > 0) depth--;
      else stray++;
    }
  }
  return stray;
}

function depthAt(text: string, index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
  }
  return depth;
}

/**
 * Splits on commas, semicolons and line breaks that stand outside brackets. A comma between two
 * digits ("1,2-Hexanediol") is part of a chemical name, not a separator.
 */
function splitTopLevel(text: string, warnings: ParseWarning[]): string[] {
  const run = (nest: boolean): { items: string[]; depth: number } => {
    const items: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (nest && (c === '(' || c === '[' || c === '{')) depth++;
      else if (nest && (c === ')' || c === ']' || c === '}')) depth = Math.max(0, depth - 1);
      else if (depth === 0 && (c === ',' || c === ';' || c === '\n' || c === '\r' || c === '•')) {
        if (c === ',' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) continue;
        items.push(text.slice(start, i));
        start = i + 1;
      }
    }
    items.push(text.slice(start));
    return { items, depth };
  };
  const nested = run(true);
  if (nested.depth > 0) {
    // An unclosed bracket would swallow the rest of the list into one item: split it flat instead.
    const swallowed = nested.items.some((s) => /[,;]/.test(s));
    if (swallowed) {
      warnings.push({ code: 'unbalanced-brackets', message: 'unbalanced brackets in the list; split at every comma' });
      return run(false).items;
    }
  }
  return nested.items;
}

/**
 * Kits list several products in one text: "…, Citric Acid. The Clay Mask: Water, …". A short
 * label followed by a colon is dropped; the ingredient before it is kept.
 */
function splitKitLabels(text: string, section: DeclarationSection, warnings: ParseWarning[]): RawItem[] {
  const colon = text.lastIndexOf(': ');
  if (colon < 0 || depthAt(text, colon) > 0) return [{ text, section }];
  const before = text.slice(0, colon);
  const after = text.slice(colon + 2);
  const sentenceEnd = before.lastIndexOf('. ');
  const label = sentenceEnd >= 0 ? before.slice(sentenceEnd + 2) : before;
  const out: RawItem[] = [];
  if (sentenceEnd >= 0) out.push({ text: before.slice(0, sentenceEnd), section });
  if (label.trim()) warnings.push({ code: 'label-dropped', message: `label "${clip(label.trim())}" before a list was dropped` });
  out.push({ text: after, section });
  return out;
}

/** Strips bullets, footnote markers, trailing periods and percentages; null if nothing remains. */
function cleanItem(text: string, warnings: ParseWarning[]): { name: string; percent: number | null } | null {
  let name = text.trim();
  if (!name) return null;
  const startsWithMarker = /^[*†✝‡]/.test(name);
  const inline = INLINE_FOOTNOTE.exec(name);
  if (inline && inline.index > 0) {
    warnings.push({ code: 'footnote-dropped', message: `footnote "${clip(inline[0].trim())}" dropped` });
    name = name.slice(0, inline.index);
  }
  name = name.replace(LEADING_BULLET, '').replace(TRAILING_MARKERS, '');
  let percent: number | null = null;
  const pm = PERCENT.exec(name);
  if (pm) {
    const value = Number(pm[1]!.replace(',', '.'));
    if (value >= 0 && value <= 100) percent = value;
    name = (name.slice(0, pm.index) + ' ' + name.slice(pm.index + pm[0].length)).replace(TRAILING_MARKERS, '');
  }
  name = tidyName(name);
  if (!name || !/[A-Za-z0-9]/.test(name)) return null;
  const words = name.split(' ').length;
  if (startsWithMarker && words >= 2 && FOOTNOTE_WORDS.test(name)) {
    warnings.push({ code: 'footnote-dropped', message: `footnote "${clip(name)}" dropped` });
    return null;
  }
  if (words > 12 || /[.!?]\s+[A-Z][a-z]+\s+[a-z]+/.test(name)) {
    warnings.push({ code: 'prose-dropped', message: `text "${clip(name)}" is prose, not an ingredient; dropped` });
    return null;
  }
  return { name, percent };
}

/**
 * Resolves a cleaned name: the whole name first; then without its parenthesised parts
 * ("Butyrospermum Parkii (Shea) Butter"); then the text inside the parentheses
 * ("CI 77891 (Titanium Dioxide)" reads as Titanium Dioxide only if "CI 77891" is unknown);
 * then each slash-separated alternative ("Water/Aqua/Eau").
 */
type Resolved = Omit<ParsedIngredient, 'raw' | 'percent' | 'section'>;

/** Resolutions per lexicon: catalogs repeat the same few thousand names tens of thousands of times. */
const resolutionCache = new WeakMap<IngredientLexicon, Map<string, Resolved>>();

function resolveName(name: string, lexicon: IngredientLexicon): Resolved {
  let cache = resolutionCache.get(lexicon);
  if (!cache) resolutionCache.set(lexicon, (cache = new Map()));
  const cached = cache.get(name);
  if (cached) return { ...cached };
  const resolved = resolveUncached(name, lexicon);
  cache.set(name, resolved);
  return { ...resolved };
}

function resolveUncached(name: string, lexicon: IngredientLexicon): Resolved {
  const hit = (n: string) => {
    const m = lexicon.lookup(n);
    return m ? { name: m.inci, key: ingredientKey(m.inci), ingredientId: m.id, match: m.kind } : null;
  };
  const withoutParens = tidyName(stripParentheses(name));
  // Unknown: identify it without its parenthesised parts, so "Tremella Fuciformis (Mushroom)
  // Extract" and "Tremella Fuciformis Extract" are one ingredient (the raw text is kept apart).
  const canonical = ingredientKey(withoutParens) ? withoutParens : name;
  const unknown = { name: canonical, key: ingredientKey(canonical), ingredientId: null, match: null };
  // Cut at a slash: a known name there may also be the start of another ("Dimethicone/").
  if (endsAtSlash(name)) {
    const cut = lexicon.readDegraded(name);
    if (cut.match) return { name: cut.match.inci, key: ingredientKey(cut.match.inci), ingredientId: cut.match.id, match: cut.match.kind };
    if (cut.candidates.length) return unknown;
  }
  const direct = hit(name);
  if (direct) return direct;
  if (withoutParens && withoutParens !== name) {
    const m = hit(withoutParens);
    if (m) return m;
  }
  // Cut inside its parenthesised part ("Titanium Dioxide (CI", "Squalane (Olive"): the name
  // before the bracket, as if the part were closed.
  const beforeOpenBracket = tidyName(withoutParens.replace(UNCLOSED_TAIL, ''));
  const cutInBracket = beforeOpenBracket && beforeOpenBracket !== withoutParens ? beforeOpenBracket : null;
  if (cutInBracket) {
    const m = hit(cutInBracket);
    if (m) return m;
  }
  // As scrapers degrade names (cut short, plant part dropped, a typo): only a single reading
  // counts, and it comes before the parts below ("Tocpheryl Acetate (Vitamin E)" is not Tocopherol).
  const degraded =
    lexicon.readDegraded(name).match ??
    (withoutParens !== name ? lexicon.readDegraded(withoutParens).match : null) ??
    (cutInBracket ? lexicon.readDegraded(cutInBracket).match : null);
  if (degraded) return { name: degraded.inci, key: ingredientKey(degraded.inci), ingredientId: degraded.id, match: degraded.kind };
  const inner = /\(([^()]*(?:\([^()]*\)[^()]*)*)\)/.exec(name)?.[1];
  if (inner) {
    for (const alt of inner.split(/[,/]/)) {
      const m = alt.trim() ? hit(alt.trim()) : null;
      if (m) return m;
    }
  }
  if (name.includes('/')) {
    for (const alt of withoutParens.split('/')) {
      const m = alt.trim() ? hit(alt.trim()) : null;
      if (m) return m;
    }
  }
  return unknown;
}
