import { ApiFailure, type LabResult } from '../../shared/api';
import { labResultsTable, labResultsToCsv } from '../../shared/candidates';
import { tableToXlsx } from '../xlsx-write';
import { importLabResultsFile, previewLabResultsFile } from './lab-import';
import { getIngredientRecords } from '../db/queries/ingredients';
import { deleteLabResult, getLabResult, insertLabResult, labProperties, listLabResults, recordedSpelling, updateLabResult, type StoredLabResult } from '../db/queries/lab-results';
import { getProduct } from '../db/queries/products';
import { candidateAtVersion, writeExport } from './candidates';
import type { ServiceContext } from './context';
import type { HandlersOf } from './endpoint';
import { productIngredientIds } from './ingredient-names';

/** The lab capability: measured results of saved candidates and catalog products, and their CSV export. */
export const labHandlers: HandlersOf<
  | 'addLabResult' | 'updateLabResult' | 'deleteLabResult' | 'listLabResults' | 'labProperties' | 'labResultsCsv' | 'exportLabResultsCsv'
  | 'labResultsXlsx' | 'exportLabResultsXlsx' | 'importLabResults' | 'previewLabResults' | 'chooseLabResultsFile'
> = {
  /** Records a measured result on a saved candidate (at a version, default its latest) or a catalog product, with the list measured. */
  async addLabResult(cx, a) {
    return cx.exclusive(() => {
      let subject: StoredLabResult['subject'];
      let list: number[];
      if (a.subject.kind === 'candidate') {
        const { name, version } = candidateAtVersion(cx, a.subject.candidateId, a.subject.version);
        subject = { kind: 'candidate', candidateId: a.subject.candidateId, version: version.version, productId: null, name: `${name} v${version.version}` };
        list = version.ingredients.map((x) => x.ingredientId);
      } else {
        const product = getProduct(cx.db, a.subject.productId);
        if (!product) throw new ApiFailure('not-found', `there is no product with id ${a.subject.productId}; nothing was recorded`);
        subject = { kind: 'product', candidateId: null, version: null, productId: product.id, name: `${product.brand} ${product.name}`.trim().slice(0, 300) };
        list = productIngredientIds(product);
        if (list.length === 0) throw new ApiFailure('invalid-argument', `product ${product.id} (${product.name}) has no ingredient list to attach a result to`);
      }
      // A property is named as it was first recorded: "Hydration" and "hydration" are one property.
      const property = recordedSpelling(cx.db, a.property, null) ?? a.property;
      const id = insertLabResult(cx.db, { subject, ingredientIds: list, property, value: a.value, unit: a.unit, measuredOn: a.measuredOn ?? new Date().toISOString().slice(0, 10), notes: a.notes }, new Date().toISOString());
      return labResultViews(cx, [getLabResult(cx.db, id)!])[0]!;
    });
  },

  /** Corrects a result's property, value, unit, date or notes; what was measured stays. */
  async updateLabResult(cx, { id, ...patch }) {
    return cx.exclusive(() => {
      const property = patch.property === undefined ? undefined : (recordedSpelling(cx.db, patch.property, id) ?? patch.property);
      if (!updateLabResult(cx.db, id, { ...patch, property }, new Date().toISOString())) throw new ApiFailure('not-found', `there is no lab result with id ${id}`);
      return labResultViews(cx, [getLabResult(cx.db, id)!])[0]!;
    });
  },

  async deleteLabResult(cx, { id }) {
    return cx.exclusive(() => {
      if (!deleteLabResult(cx.db, id)) throw new ApiFailure('not-found', `there is no lab result with id ${id}`);
      return { id };
    });
  },

  async listLabResults(cx, filter) {
    const page = listLabResults(cx.db, filter);
    return { items: labResultViews(cx, page.items), total: page.total };
  },

  async labProperties(cx) {
    return labProperties(cx.db);
  },

  async labResultsCsv(cx, filter) {
    const results = labResultsForExport(cx, filter);
    return { csv: labResultsToCsv(results), rows: results.length };
  },

  async exportLabResultsCsv(cx, { path, ...filter }) {
    const results = labResultsForExport(cx, filter);
    return { path: writeExport(path, labResultsToCsv(results)), rows: results.length };
  },

  async labResultsXlsx(cx, filter) {
    const results = labResultsForExport(cx, filter);
    return { base64: (await tableToXlsx(labResultsTable(results))).toString('base64'), rows: results.length };
  },

  /** The results as an Excel workbook written to `path` atomically, like the CSV. */
  async exportLabResultsXlsx(cx, { path, ...filter }) {
    const results = labResultsForExport(cx, filter);
    return { path: writeExport(path, await tableToXlsx(labResultsTable(results))), rows: results.length };
  },

  /** Past results from a CSV file or an Excel sheet, all or nothing (see lab-import.ts). */
  async importLabResults(cx, args) {
    return importLabResultsFile(cx, args);
  },

  async previewLabResults(_cx, args) {
    return previewLabResultsFile(args);
  },

  /** Choosing a file needs the desktop app's dialog (the Electron shell answers this call itself). */
  async chooseLabResultsFile() {
    throw new ApiFailure('unsupported', 'choosing a file needs the desktop app; give the path of the results file instead');
  },
};

/** Results in recording order; every asked-for id must exist. */
function labResultsForExport(cx: ServiceContext, filter: { ids?: number[]; property?: string }): LabResult[] {
  const page = listLabResults(cx.db, { ...filter, limit: 1_000_000, offset: 0 });
  if (filter.ids) {
    const found = new Set(page.items.map((r) => r.id));
    const missing = filter.ids.filter((id) => !found.has(id));
    if (missing.length) throw new ApiFailure('not-found', `there is no lab result with id ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? '…' : ''}; nothing was exported`);
  }
  return labResultViews(cx, page.items.sort((a, b) => a.id - b.id));
}

/** Results with their measured lists' ingredient names. */
function labResultViews(cx: ServiceContext, results: readonly StoredLabResult[]): LabResult[] {
  const ids = [...new Set(results.flatMap((r) => r.ingredientIds))];
  const names = new Map(getIngredientRecords(cx.db, ids).map((x) => [x.id, x.inci]));
  return results.map((r) => ({ ...r, ingredients: r.ingredientIds.map((id) => names.get(id) ?? `#${id}`) }));
}
