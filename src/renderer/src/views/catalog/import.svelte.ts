import type { ColumnMapping, ImportPreview, ImportReport } from '../../../../shared/api';
import { toCsv } from '../../../../shared/csv-write';
import { ApiCallError, api } from '../../lib/api';

/** The roles a column can play, as the wizard offers them. */
export const ROLES = [
  { key: 'ingredients', label: 'Ingredient list (required)' },
  { key: 'name', label: 'Product name' },
  { key: 'brand', label: 'Brand' },
  { key: 'category', label: 'Category' },
] as const;

export type RoleKey = (typeof ROLES)[number]['key'];

/**
 * The import wizard: choose a file (the desktop app's Open dialog, or a typed path in the web
 * preview), check how its columns will be read on a preview of the first rows, change the
 * mapping, import, and read (and save) the report with every rejected row and its reason.
 */
export class ImportWizard {
  step = $state<'choose' | 'map' | 'report'>('choose');
  path = $state('');
  /** The web preview has no file dialog: the person types a path instead. */
  typedPath = $state(false);
  preview = $state.raw<ImportPreview | null>(null);
  roles = $state<Record<RoleKey, string>>({ ingredients: '', name: '', brand: '', category: '' });
  duplicates = $state<'keep' | 'merge'>('keep');
  catalogName = $state('');
  /** The worksheet of an Excel workbook ('' before the first preview: the first sheet). */
  sheet = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  report = $state.raw<ImportReport | null>(null);

  async choose(): Promise<void> {
    this.error = null;
    try {
      const picked = await api.chooseImportFile();
      if (!picked) return; // cancelled
      this.path = picked.path;
      await this.load();
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'unsupported') this.typedPath = true;
      else this.error = (error as Error).message;
    }
  }

  /** Reads the file's head with the current mapping (none at first: detected). */
  async load(mapping?: ColumnMapping): Promise<void> {
    if (!this.path.trim()) {
      this.error = 'give the path of a CSV, Excel (.xlsx) or JSON file';
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      const preview = await api.previewImport({ path: this.path.trim(), mapping, ...(this.sheet ? { sheet: this.sheet } : {}) });
      this.preview = preview;
      this.sheet = preview.sheet ?? '';
      this.roles = {
        ingredients: preview.mapping?.ingredients ?? mapping?.ingredients ?? '',
        name: preview.mapping?.name ?? mapping?.name ?? '',
        brand: preview.mapping?.brand ?? mapping?.brand ?? '',
        category: preview.mapping?.category ?? mapping?.category ?? '',
      };
      this.catalogName ||= this.path.split(/[\\/]/).pop() ?? '';
      this.step = 'map';
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  /** Reads another sheet of the workbook; its columns are detected afresh. */
  async chooseSheet(sheet: string): Promise<void> {
    this.sheet = sheet;
    await this.load();
  }

  /** The mapping as chosen in the form (empty choices left to detection). */
  mapping(): ColumnMapping {
    const m: ColumnMapping = {};
    for (const { key } of ROLES) if (this.roles[key]) m[key] = this.roles[key];
    return m;
  }

  /** The role a column plays under the current preview, for the preview table's header. */
  roleOf(column: string): string {
    const m = this.preview?.mapping;
    if (!m) return '';
    for (const { key, label } of ROLES) if (m[key] === column) return label.replace(' (required)', '');
    if (m.benefits.includes(column)) return 'Benefit score';
    return 'Kept as text';
  }

  async run(): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      this.report = await api.importCatalog({
        path: this.path.trim(),
        mapping: this.mapping(),
        duplicates: this.duplicates,
        catalogName: this.catalogName.trim() || undefined,
        ...(this.sheet ? { sheet: this.sheet } : {}),
      });
      this.step = 'report';
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  reset(): void {
    this.step = 'choose';
    this.path = '';
    this.sheet = '';
    this.preview = null;
    this.report = null;
    this.error = null;
  }
}

/** The report's rejected rows, unknown ingredients and warnings as one CSV (for the person to keep). */
export function importReportCsv(report: ImportReport): string {
  const rows: (string | number)[][] = [['kind', 'line', 'code', 'reason or suggestion', 'name']];
  for (const r of report.rejected) rows.push(['rejected row', r.line, r.code, r.reason, r.name]);
  for (const u of report.unknownIngredients) rows.push(['unknown ingredient', '', `${u.occurrences} occurrences`, u.suggestion ? `did you mean ${u.suggestion}?` : '', u.name]);
  for (const w of report.warnings) rows.push(['warning', w.line, '', w.message, '']);
  return toCsv(rows);
}
