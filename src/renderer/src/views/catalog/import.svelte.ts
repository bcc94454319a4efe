import type { ColumnMapping, ImportPreview, ImportReport } from '../../../../shared/api';
import { toCsv } from '../../../../shared/csv-write';
import { api } from '../../lib/api';
import { FileImportFlow } from '../../lib/file-import.svelte';

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
export class ImportWizard extends FileImportFlow {
  step = $state<'choose' | 'map' | 'report'>('choose');
  preview = $state.raw<ImportPreview | null>(null);
  roles = $state<Record<RoleKey, string>>({ ingredients: '', name: '', brand: '', category: '' });
  /** The roles as detected (no mapping given): a choice equal to these is left to detection, so its reason stays the detected one. */
  private detected: Record<RoleKey, string> = { ingredients: '', name: '', brand: '', category: '' };
  duplicates = $state<'keep' | 'merge'>('keep');
  catalogName = $state('');
  report = $state.raw<ImportReport | null>(null);

  protected pick(): Promise<{ path: string } | null> {
    return api.chooseImportFile();
  }

  /** Reads the file's head with the current mapping (none at first: detected). */
  async load(mapping?: ColumnMapping): Promise<void> {
    if (!this.path.trim()) {
      this.error = 'give the path of a CSV, Excel (.xlsx) or JSON file';
      return;
    }
    await this.run(async () => {
      const preview = await api.previewImport({ path: this.path.trim(), mapping, ...this.sheetArg() });
      this.preview = preview;
      this.sheet = preview.sheet ?? '';
      this.roles = {
        ingredients: preview.mapping?.ingredients ?? mapping?.ingredients ?? '',
        name: preview.mapping?.name ?? mapping?.name ?? '',
        brand: preview.mapping?.brand ?? mapping?.brand ?? '',
        category: preview.mapping?.category ?? mapping?.category ?? '',
      };
      if (!mapping) this.detected = { ...this.roles };
      this.catalogName ||= this.path.split(/[\\/]/).pop() ?? '';
      this.step = 'map';
    });
  }

  /** The mapping as chosen in the form: the choices that differ from detection (empty ones left to it). */
  mapping(): ColumnMapping {
    const m: ColumnMapping = {};
    for (const { key } of ROLES) if (this.roles[key] && this.roles[key] !== this.detected[key]) m[key] = this.roles[key];
    return m;
  }

  /** Why the ingredients column was chosen ("Ingredients: column 'Composition' — 96 % of …"), or ''. */
  get ingredientsReason(): string {
    const chosen = this.preview?.columns.find((c) => c.role === 'ingredients');
    return chosen ? `Ingredients: column '${chosen.column}' — ${chosen.reason}` : '';
  }

  /** The role a column plays under the current preview, for the preview table's header. */
  roleOf(column: string): string {
    const m = this.preview?.mapping;
    if (!m) return '';
    for (const { key, label } of ROLES) if (m[key] === column) return label.replace(' (required)', '');
    if (m.categoryFallbacks?.includes(column)) return 'Category (fallback)';
    if (m.benefits.includes(column)) return 'Benefit score';
    return 'Kept as text';
  }

  /** Why a column plays its role, for the preview table's header tooltip. */
  reasonOf(column: string): string {
    return this.preview?.columns.find((c) => c.column === column)?.reason ?? '';
  }

  async importFile(): Promise<void> {
    await this.run(async () => {
      this.report = await api.importCatalog({
        path: this.path.trim(),
        mapping: this.mapping(),
        duplicates: this.duplicates,
        catalogName: this.catalogName.trim() || undefined,
        ...this.sheetArg(),
      });
      this.step = 'report';
    });
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

/** The report's rejected rows, unknown ingredients, warnings and column roles as one CSV (for the person to keep). */
export function importReportCsv(report: ImportReport): string {
  const rows: (string | number)[][] = [['kind', 'line', 'code', 'reason or suggestion', 'name']];
  for (const r of report.rejected) rows.push(['rejected row', r.line, r.code, r.reason, r.name]);
  for (const u of report.unknownIngredients) rows.push(['unknown ingredient', '', `${u.occurrences} occurrences`, u.suggestion ? `did you mean ${u.suggestion}?` : '', u.name]);
  for (const w of report.warnings) rows.push(['warning', w.line, '', w.message, '']);
  for (const c of report.columns) rows.push(['column', '', c.role, c.reason, c.column]);
  return toCsv(rows);
}
