import type { LabImportPreview, LabImportReport } from '../../../../shared/api';
import { ApiCallError, api } from '../../lib/api';

/**
 * Importing past lab results: choose a file (the desktop app's Open dialog, or a typed path in
 * the web preview), see how its columns will be read and choose the sheet of a workbook, import,
 * and read the report with every rejected row and its reason.
 */
export class LabImportState {
  step = $state<'choose' | 'check' | 'report'>('choose');
  path = $state('');
  /** The web preview has no file dialog: the person types a path instead. */
  typedPath = $state(false);
  sheet = $state('');
  preview = $state.raw<LabImportPreview | null>(null);
  report = $state.raw<LabImportReport | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  async choose(): Promise<void> {
    this.error = null;
    try {
      const picked = await api.chooseLabResultsFile();
      if (!picked) return; // cancelled
      this.path = picked.path;
      await this.load();
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'unsupported') this.typedPath = true;
      else this.error = (error as Error).message;
    }
  }

  /** Reads the head of the file (the chosen sheet of a workbook) and how its columns will be read. */
  async load(): Promise<void> {
    if (!this.path.trim()) {
      this.error = 'give the path of a CSV or Excel (.xlsx) file';
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      this.preview = await api.previewLabResults({ path: this.path.trim(), ...(this.sheet ? { sheet: this.sheet } : {}) });
      this.sheet = this.preview.sheet ?? '';
      this.step = 'check';
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }

  async chooseSheet(sheet: string): Promise<void> {
    this.sheet = sheet;
    await this.load();
  }

  /** Imports the file; true when it was imported (some rows may have been rejected). */
  async run(): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      this.report = await api.importLabResults({ path: this.path.trim(), ...(this.sheet ? { sheet: this.sheet } : {}) });
      this.step = 'report';
      return true;
    } catch (error) {
      this.error = (error as Error).message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** The roles of a results file's columns, in the order the check step lists them. */
export const LAB_IMPORT_ROLES = [
  ['candidateId', 'Candidate id'],
  ['candidate', 'Candidate name'],
  ['productId', 'Product id'],
  ['product', 'Product name'],
  ['formulation', 'Formulation (name or list)'],
  ['declaration', 'Ingredient list'],
  ['property', 'Property'],
  ['value', 'Value'],
  ['unit', 'Unit'],
  ['date', 'Date'],
  ['notes', 'Notes'],
] as const;
