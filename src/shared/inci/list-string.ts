/**
 * Ingredient lists dumped from Python or JSON as a list literal ("['Water', 'Glycerin']"), in
 * the shapes scraped catalogs hold: one element per ingredient, one element holding a whole
 * declaration ("['Water, Glycerin, …']"), and kits whose elements alternate part headers and
 * declarations ("['Cleanser:', 'Water, …', 'Toner:', 'Water, …']").
 */

/** Reads `"['a', 'b']"`-style strings (lists exported from Python, or JSON arrays) or returns null. */
export function parsePythonList(body: string): string[] | null {
  const t = body.trim();
  if (!/^\[\s*['"]/.test(t) || !/['"]\s*\]$/.test(t)) return null;
  const items: string[] = [];
  const re = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(t); m; m = re.exec(t)) items.push((m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'));
  return items.length > 0 ? items : null;
}

/**
 * Splits text at the commas and semicolons that stand outside brackets; a comma between two
 * digits ("1,2-Hexanediol") is part of a chemical name, not a separator. A light split for
 * judging a cell's shape; the parser has its own, which also handles sections and line breaks.
 */
export function splitTopLevelItems(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c === ';' || (c === ',' && !(/\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? ''))))) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items;
}

/** True when the text holds several items (see {@link splitTopLevelItems}) rather than one. */
export function hasTopLevelSeparator(text: string): boolean {
  return splitTopLevelItems(text).length > 1;
}

/** A part header element: a short label ending in a colon ("Cleanser:", "Step 2 - Toner:"). */
const PART_HEADER = /^\s*([^,;:()[\]]{1,60}?)\s*:\s*$/;
/** An element that opens with its part's label: "Toner: Water, Alcohol, …". */
const LABELLED_PART = /^\s*([^,;:()[\]]{1,60}?)\s*:\s+(\S[\s\S]*)$/;

/** One product of a kit: its part's name and its own declaration. */
export interface KitPart {
  name: string;
  declaration: string;
}

/**
 * Splits a list-literal cell that holds a kit into its parts, or returns null when the cell is
 * not a kit (a declaration, a one-per-ingredient list, or plain text). A kit has at least two
 * parts, each introduced by a header element ("Cleanser:") followed by a declaration element,
 * or by an element that starts with its label ("Toner: Water, …"); two parts at least must be
 * lists of several items, the others are kept for the parser to judge. A declaration before the
 * first header (rare) becomes a part named "Part 1". Headers with no declaration are skipped.
 */
export function splitKitParts(text: string): KitPart[] | null {
  const items = parsePythonList(text);
  if (!items || items.length < 2) return null;
  const parts: KitPart[] = [];
  let pending: string | null = null;
  let headers = 0;
  for (const item of items) {
    const header = PART_HEADER.exec(item);
    if (header) {
      pending = header[1]!.trim();
      headers++;
      continue;
    }
    const labelled = pending === null ? LABELLED_PART.exec(item) : null;
    if (labelled && hasTopLevelSeparator(labelled[2]!)) {
      parts.push({ name: labelled[1]!.trim(), declaration: labelled[2]!.trim() });
      headers++;
      continue;
    }
    if (!item.trim()) continue;
    // An element of one ingredient after a declaration-less header: not a kit of declarations.
    if (pending === null && parts.length > 0 && !hasTopLevelSeparator(item)) return null;
    parts.push({ name: pending ?? `Part ${parts.length + 1}`, declaration: item.trim() });
    pending = null;
  }
  // Elements of one ingredient each with a stray label are not a kit: two parts at least must be
  // lists. A part that is not (shop text, a placeholder) stays a part, for the parser to reject.
  if (headers === 0 || parts.filter((p) => hasTopLevelSeparator(p.declaration)).length < 2) return null;
  return parts;
}

/**
 * The elements of a list literal that hold declarations (rather than one ingredient each), read
 * as one declaration: part headers ("Cleanser:") are left out and the rest joined with commas.
 * The importer splits kits into parts before this; a kit parsed whole (in the editor, say)
 * becomes the union of its parts, each repeat reported by the parser.
 */
export function joinListDeclarations(items: readonly string[]): string {
  return items.filter((item) => item.trim() !== '' && !PART_HEADER.test(item)).join(', ');
}
