import type { LabImportPreview, LabImportReport } from '../../../../shared/api';
import { api } from '../../lib/api';
import { FileImportFlow } from '../../lib/file-import.svelte';

/**
 * Importing past lab results: choose a file (the desktop app's Open dialog, or a typed path in
 * the web preview), see how its columns will be read and choose the sheet of a workbook, import,
 * and read the report with every rejected row and its reason.
 */
export class LabImportState extends FileImportFlow {
  stage = $state<'choose' | 'check' | 'report'>('choose');
  preview = $state.raw<LabImportPreview | null>(null);
  report = $state.raw<LabImportReport | null>(null);

  protected pick(): Promise<{ path: string } | null> {
    return api.chooseLabResultsFile();
  }

  /** Reads the head of the file (the chosen sheet of a workbook) and how its columns will be read. */
  async load(): Promise<void> {
    if (!this.path.trim()) {
      this.error = 'give the path of a CSV or Excel (.xlsx) file';
      return;
    }
    await this.run(async () => {
      this.preview = await api.previewLabResults({ path: this.path.trim(), ...this.sheetArg() });
      this.sheet = this.preview.sheet ?? '';
      this.stage = 'check';
    });
  }

  /** Imports the file; true when it was imported (some rows may have been rejected). */
  async importFile(): Promise<boolean> {
    return this.run(async () => {
      this.report = await api.importLabResults({ path: this.path.trim(), ...this.sheetArg() });
      this.stage = 'report';
    });
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
