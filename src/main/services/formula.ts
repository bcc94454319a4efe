import { ApiFailure, savedFormulaSchema, type DraftFormula, type DraftLine, type FormulaSheet, type PhaseTotal, type SavedFormula } from '../../shared/api';
import { describeBrief } from '../../shared/briefs/brief';
import { familyMembership } from '../../shared/briefs/families';
import { tableToCsv, type ExportTable } from '../../shared/csv-write';
import { formulaSheetFileName } from '../../shared/formula/format';
import { estimateFormula, separateOpeningActives, PHASE_LETTERS, PHASE_NAMES, PHASES, type FormulaInput, type FormulaItem, type LegalLimit, type ProductType } from '../../shared/formula/estimate';
import { addInHouseLimit, deleteInHouseLimit, getAllergenLabelling, getCandidateFormula, getLegalLimits, getUseLevels, setUserUseLevel, type StoredLimit } from '../db/queries/formulas';
import { getProduct } from '../db/queries/products';
import { tableToXlsx } from '../xlsx-write';
import { briefFamilies } from './briefs';
import { candidateAtVersion, writeExport } from './candidates';
import { ingredientRecords } from './catalog-index';
import { resolveIngredientName } from './ingredient-names';
import { Derived, type ServiceContext } from './context';
import type { HandlersOf } from './endpoint';

/** The formula capability: draft formulas with percentages, phases and limits; the formula sheet; use levels and in-house limits. */

/** Categories whose products are washed off (legal limits and allergen thresholds differ); everything else is leave-on, the stricter. */
const RINSE_OFF = /clean|wash|soap|shampoo|rinse|scrub|exfoliat|peel-off|bath|shower|make-?up remov/i;

export function productTypeOf(category: string | null): ProductType | null {
  if (!category) return null;
  return RINSE_OFF.test(category) ? 'rinse-off' : 'leave-on';
}

/** Skincare catalogs are face products; limits written for one body area apply only there. */
const AREA = 'face';

/**
 * The limits that apply to a product type: rows for every type or this one; where an ingredient
 * has rows for the face, those replace its rows for no named area ("all other products"); rows
 * for another area do not apply. In-house rows always apply.
 */
export function applicableLimits(rows: readonly StoredLimit[], type: ProductType): LegalLimit[] {
  const forType = rows.filter((r) => r.applies === 'all' || r.applies === type);
  const law = forType.filter((r) => r.origin === 'kb');
  const areaRows = law.filter((r) => r.area === AREA);
  const chosen = areaRows.length ? areaRows : law.filter((r) => r.area === null);
  return [...chosen, ...forType.filter((r) => r.origin === 'user')].map((r) => ({ max: r.max, annex: r.annex, applies: r.applies, condition: r.condition, origin: r.origin }));
}

/** The ids of the knowledge base's labelled fragrance allergens (the family of that name). */
const ALLERGENS = new Derived(['ingredients'], (cx) => {
  const family = briefFamilies(cx).find((f) => f.id === 'fragrance-allergens');
  const ids = new Set<number>();
  if (family) for (const [id, record] of ingredientRecords(cx)) if (familyMembership(family, record)) ids.add(id);
  return ids;
});

interface ListEntry {
  name: string;
  ingredientId: number | null;
  section: 'main' | 'active';
  declared: number | null;
}

interface ResolvedSource {
  source: DraftFormula['source'];
  entries: ListEntry[];
}

function resolveSource(cx: ServiceContext, a: { candidateId?: number; version?: number; productId?: number; ingredients?: string[] }): ResolvedSource {
  if (a.candidateId !== undefined) {
    const chosen = candidateAtVersion(cx, a.candidateId, a.version);
    const provenance = chosen.version.provenance as { brief?: { rules?: { category?: string | null } } };
    return {
      source: { kind: 'candidate', title: `${chosen.name} v${chosen.version.version}`, category: provenance.brief?.rules?.category ?? null, candidateId: a.candidateId, version: chosen.version.version, productId: null },
      entries: chosen.version.ingredients.map((x) => ({ name: x.inci, ingredientId: x.ingredientId, section: 'main', declared: null })),
    };
  }
  if (a.productId !== undefined) {
    const product = getProduct(cx.db, a.productId);
    if (!product) throw new ApiFailure('not-found', `there is no product with id ${a.productId}`);
    return {
      source: { kind: 'product', title: `${product.brand} ${product.name}`.trim(), category: product.category || null, candidateId: null, version: null, productId: a.productId },
      entries: product.ingredients
        .filter((x) => x.section !== 'may-contain')
        .map((x) => ({ name: x.inci, ingredientId: x.ingredientId, section: x.section === 'active' ? 'active' : 'main', declared: x.percent !== null && x.percent > 0 && x.percent < 100 ? x.percent : null })),
    };
  }
  const records = ingredientRecords(cx);
  return {
    source: { kind: 'list', title: 'Ingredient list', category: null, candidateId: null, version: null, productId: null },
    entries: a.ingredients!.map((name) => {
      const id = resolveIngredientName(cx, name).id;
      const record = id === null ? undefined : records.get(id);
      return { name: record?.inci ?? name, ingredientId: record ? id : null, section: 'main', declared: null };
    }),
  };
}

/** The draft formula of a list (see `Api.estimateFormula`). */
export function draftFormula(cx: ServiceContext, a: { candidateId?: number; version?: number; productId?: number; ingredients?: string[]; fixed?: (number | null)[]; productType?: ProductType }): DraftFormula {
  const started = performance.now();
  const { source, entries } = resolveSource(cx, a);
  if (a.fixed && a.fixed.length !== entries.length) {
    throw new ApiFailure('invalid-argument', `fixed: gives ${a.fixed.length} percentages for a list of ${entries.length} ingredients; give one per ingredient (null to estimate it)`);
  }
  const fromCategory = productTypeOf(source.category);
  const productType: ProductType = a.productType ?? fromCategory ?? 'leave-on';
  const ids = entries.flatMap((e) => (e.ingredientId === null ? [] : [e.ingredientId]));
  const levels = getUseLevels(cx.db, ids);
  const limits = getLegalLimits(cx.db, ids);
  const allergens = cx.get(ALLERGENS);
  const labelling = getAllergenLabelling(cx.db);
  const labelItems: FormulaItem[] = entries.map((e) => ({
    name: e.name,
    section: e.section,
    declared: e.declared,
    level: e.ingredientId === null ? null : (levels.get(e.ingredientId) ?? null),
    limits: e.ingredientId === null ? [] : applicableLimits(limits.filter((l) => l.ingredientId === e.ingredientId), productType),
    allergen: e.ingredientId !== null && allergens.has(e.ingredientId),
  }));
  // The label's structure (actives printed first) is read from the label's own figures; then the
  // figures to hold are the label's, or exactly those given in `fixed` (null: estimate it).
  const sectionWarnings: string[] = [];
  const labelled = separateOpeningActives({ items: labelItems, productType, allergenThreshold: labelling[productType] }, sectionWarnings);
  const input: FormulaInput = { ...labelled, items: labelled.items.map((item, i) => (a.fixed ? { ...item, declared: a.fixed[i] ?? null } : item)) };
  const estimated = estimateFormula(input);
  const formula = { ...estimated, warnings: [...sectionWarnings, ...estimated.warnings] };
  const records = ingredientRecords(cx);
  const lines: DraftLine[] = formula.lines.map((line, i) => {
    const record = entries[i]!.ingredientId === null ? undefined : records.get(entries[i]!.ingredientId!);
    return { ...line, ingredientId: entries[i]!.ingredientId, inci: record?.inci ?? null, functions: record?.functions ?? [] };
  });
  const saved = source.kind === 'candidate' ? savedFormulaFor(cx, source.candidateId!, source.version!) : null;
  return {
    ...formula,
    source,
    productTypeFrom: a.productType ? 'given' : fromCategory ? 'category' : 'default',
    lines,
    phases: phaseTotals(lines, saved),
    labelling: { threshold: labelling[productType], annex: labelling.annex },
    saved,
    timingsMs: { total: performance.now() - started },
  };
}

/** Each phase's ingredients and total, from the saved formula where there is one, else the estimate. */
export function phaseTotals(lines: readonly DraftLine[], saved: SavedFormula | null): PhaseTotal[] {
  return PHASES.map((phase) => {
    const positions: number[] = [];
    let percent = 0;
    lines.forEach((line, i) => {
      const p = saved?.lines[i]?.phase ?? line.phase ?? 'water';
      if (p !== phase) return;
      positions.push(line.position);
      percent += saved?.lines[i]?.percent ?? line.estimate ?? 0;
    });
    return { phase, letter: PHASE_LETTERS[phase], name: PHASE_NAMES[phase], percent, positions };
  })
    .filter((p) => p.positions.length > 0)
    .sort((a, b) => a.letter.localeCompare(b.letter));
}

function savedFormulaFor(cx: ServiceContext, candidateId: number, version: number): SavedFormula | null {
  const versionId = cx.db.prepare(`SELECT id FROM candidate_versions WHERE candidate_id = ? AND version = ?`).pluck().get(candidateId, version) as number | undefined;
  if (versionId === undefined) return null;
  const body = getCandidateFormula(cx.db, versionId);
  return body === null ? null : savedFormulaSchema.parse(body);
}

/**
 * Checks a formula a chemist saves with a list: one line per ingredient, a total of 100 %, no
 * legal or in-house maximum exceeded. Refused naming every problem; nothing is written.
 */
export function checkSavedFormula(cx: ServiceContext, ingredientIds: readonly number[], formula: SavedFormula): void {
  const problems: string[] = [];
  if (formula.lines.length !== ingredientIds.length) problems.push(`it has ${formula.lines.length} lines for a list of ${ingredientIds.length} ingredients`);
  const total = formula.lines.reduce((s, l) => s + l.percent, 0);
  if (Math.abs(total - 100) > 0.01) problems.push(`its percentages add up to ${total.toFixed(3)} %, not 100 %`);
  const limits = getLegalLimits(cx.db, ingredientIds);
  const records = ingredientRecords(cx);
  formula.lines.forEach((line, i) => {
    const id = ingredientIds[i];
    if (id === undefined) return;
    const applicable = applicableLimits(limits.filter((l) => l.ingredientId === id), formula.productType);
    const lowest = applicable.reduce<LegalLimit | null>((best, l) => (!best || l.max < best.max ? l : best), null);
    if (lowest && line.percent > lowest.max + 1e-9) problems.push(`${records.get(id)?.inci ?? `ingredient ${id}`} (position ${i + 1}) is ${line.percent} %, above its ${lowest.origin === 'user' ? 'in-house' : 'legal'} maximum of ${lowest.max} % (${lowest.annex})`);
  });
  if (problems.length) throw new ApiFailure('invalid-argument', `the draft formula cannot be saved: ${problems.join('; ')}; nothing was saved`);
}

const round = (v: number | null, digits = 3): number | null => (v === null ? null : Number(v.toFixed(v >= 1 ? 2 : digits)));

function formulaSheet(cx: ServiceContext, a: { candidateId: number; version?: number; productType?: ProductType }): FormulaSheet {
  const chosen = candidateAtVersion(cx, a.candidateId, a.version);
  const formula = draftFormula(cx, { candidateId: a.candidateId, version: chosen.version.version, productType: a.productType ?? undefined });
  const saved = formula.saved;
  const provenance = chosen.version.provenance as Record<string, unknown> & { source: string; brief?: { name: string | null; version: number | null; rules: Parameters<typeof describeBrief>[0] } };
  const rows: FormulaSheet['rows'] = [];
  for (const phase of formula.phases) {
    for (const position of phase.positions) {
      const line = formula.lines[position - 1]!;
      const s = saved?.lines[position - 1];
      const notes = [
        line.flags.includes('unknown') ? 'no typical level known: wide range' : '',
        line.flags.includes('class-level') ? 'typical level of its class' : '',
        line.flags.includes('outside-typical') ? 'outside its typical range' : '',
        line.flags.includes('at-limit') ? 'at its legal maximum' : '',
        line.flags.includes('allergen') ? 'fragrance allergen: labelled' : '',
        line.prep ? line.prep : '',
        s?.edited ? 'set by hand' : '',
      ].filter(Boolean);
      rows.push({
        phase: `${phase.letter} ${phase.name}`,
        position,
        inci: line.inci ?? line.name,
        percent: round(s?.percent ?? line.estimate),
        low: round(line.low),
        high: round(line.high),
        functions: line.functions.join(', '),
        limit: line.limit ? `≤ ${line.limit.max} % (${line.limit.annex})` : '',
        notes: notes.join('; '),
      });
    }
  }
  const provenanceLines = provenanceText(provenance);
  return {
    title: chosen.name,
    candidateId: a.candidateId,
    version: chosen.version.version,
    createdAt: chosen.version.createdAt,
    changeNote: chosen.version.changeNote,
    brief: provenance.brief ? { name: provenance.brief.name, version: provenance.brief.version, summary: describeBrief(provenance.brief.rules) } : null,
    provenance: provenanceLines,
    formula,
    percentFrom: saved ? 'saved' : 'estimate',
    rows,
  };
}

/** Words for a field name: "modelSha256" → "model sha256", "scoredWithModelId" → "scored with model id". */
const words = (key: string) => key.replace(/([a-z])([A-Z0-9])/g, '$1 $2').toLowerCase();

/**
 * A version's provenance as lines a chemist can read: one per field that has a value (empty and
 * null fields left out), nested objects flattened as "run: 12, rank: 3", long values shortened.
 */
export function provenanceText(provenance: Record<string, unknown>): string[] {
  const value = (v: unknown): string | null => {
    if (v === null || v === undefined || v === '') return null;
    if (Array.isArray(v)) return v.length ? v.map((x) => value(x) ?? '—').join(', ') : null;
    if (typeof v === 'object') {
      const parts = Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => {
        const shown = value(x);
        return shown === null ? [] : [`${words(k)} ${shown}`];
      });
      return parts.length ? parts.join(', ') : null;
    }
    const text = String(v);
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
  };
  return Object.entries(provenance).flatMap(([k, v]) => {
    if (k === 'brief') return [];
    const shown = value(v);
    return shown === null ? [] : [`${words(k)}: ${shown}`];
  });
}

/** The sheet as a table (CSV and XLSX share it): the formula by phase, then the warnings and provenance as notes. */
export function sheetTable(sheet: FormulaSheet): ExportTable {
  return {
    sheet: 'Formula',
    columns: [
      { name: 'phase', type: 'text' },
      { name: 'position', type: 'number' },
      { name: 'inci', type: 'text' },
      { name: 'percent', type: 'number' },
      { name: 'range_low', type: 'number' },
      { name: 'range_high', type: 'number' },
      { name: 'functions', type: 'text' },
      { name: 'limit', type: 'text' },
      { name: 'notes', type: 'text' },
    ],
    rows: [
      ...sheet.rows.map((r) => [r.phase, r.position, r.inci, r.percent, r.low, r.high, r.functions, r.limit, r.notes]),
      ['total', null, '', round(sheet.rows.reduce((s, r) => s + (r.percent ?? 0), 0)), null, null, '', '', ''],
      ...[
        `candidate: ${sheet.title} v${sheet.version} (id ${sheet.candidateId}), saved ${sheet.createdAt.slice(0, 10)}`,
        `percentages: ${sheet.percentFrom === 'saved' ? 'the draft formula saved with this version' : 'estimated from the list'}; product type ${sheet.formula.productType}; status ${sheet.formula.status}`,
        ...(sheet.brief ? [`brief: ${sheet.brief.name ?? 'inline rules'}${sheet.brief.version ? ` v${sheet.brief.version}` : ''}: ${sheet.brief.summary.join('; ')}`] : []),
        ...sheet.formula.conflicts.map((c) => `conflict: ${c}`),
        ...sheet.formula.warnings.map((w) => `warning: ${w}`),
        ...sheet.provenance.map((p) => `provenance: ${p}`),
      ].map((note) => ['note', null, note, null, null, null, '', '', '']),
    ],
  };
}


export const formulaHandlers: HandlersOf<'estimateFormula' | 'formulaSheet' | 'formulaFile' | 'exportFormula' | 'setUseLevel' | 'addInHouseLimit' | 'deleteInHouseLimit' | 'printToPdf'> = {
  async estimateFormula(cx, a) {
    return draftFormula(cx, a);
  },

  async formulaSheet(cx, a) {
    return formulaSheet(cx, a);
  },

  async formulaFile(cx, { candidateId, version, format }) {
    const sheet = formulaSheet(cx, { candidateId, version });
    const table = sheetTable(sheet);
    return format === 'csv' ? { fileName: formulaSheetFileName(sheet, 'csv'), csv: tableToCsv(table) } : { fileName: formulaSheetFileName(sheet, 'xlsx'), base64: (await tableToXlsx(table)).toString('base64') };
  },

  async exportFormula(cx, { candidateId, version, format, path }) {
    const table = sheetTable(formulaSheet(cx, { candidateId, version }));
    return { path: writeExport(path, format === 'csv' ? tableToCsv(table) : await tableToXlsx(table)) };
  },

  async setUseLevel(cx, { ingredient, ...level }) {
    const id = knownIngredient(cx, ingredient);
    await cx.exclusive(() => setUserUseLevel(cx.db, id, level));
    return { ingredient: ingredientRecords(cx).get(id)!.inci };
  },

  async addInHouseLimit(cx, { ingredient, max, applies, condition }) {
    const id = knownIngredient(cx, ingredient);
    const limitId = await cx.exclusive(() => addInHouseLimit(cx.db, id, { max, applies, condition }));
    return { id: limitId, ingredient: ingredientRecords(cx).get(id)!.inci };
  },

  async deleteInHouseLimit(cx, { id }) {
    return { deleted: await cx.exclusive(() => deleteInHouseLimit(cx.db, id)) };
  },

  /** A PDF of the window needs the desktop app's renderer (the Electron shell answers this call itself). */
  async printToPdf() {
    throw new ApiFailure('unsupported', "saving a PDF of the sheet needs the desktop app; here use Print (the browser's print dialog can also save a PDF)");
  },
};

function knownIngredient(cx: ServiceContext, name: string): number {
  const id = resolveIngredientName(cx, name).id;
  if (id === null || !ingredientRecords(cx).has(id)) throw new ApiFailure('unknown-ingredient', `"${name}" is not an ingredient the knowledge base or a catalog knows; nothing was saved`);
  return id;
}
