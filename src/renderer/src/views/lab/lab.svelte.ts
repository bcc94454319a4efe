import type { LabProperty, LabResult } from '../../../../shared/api';
import { api } from '../../lib/api';
import { exportCsv, exportXlsx } from '../../lib/download';
import { emptyLabForm, formOf, labExportFileName, labFormChanges, labFormFields, labFormProblem, type LabForm } from './lab-logic';
import { describeViewError } from '../../lib/plot-view-errors';
import type { AppState } from '../../state/app.svelte';

/** What a result is recorded on: a saved candidate (at one of its versions) or a catalog product. */
export type LabSubject = { kind: 'candidate'; candidateId: number } | { kind: 'product'; productId: number };

/**
 * The lab results of one formulation, as its page shows them: the list, the add form, the row
 * being edited in place and the row asking to be deleted. One instance per open candidate or
 * product (the component that shows it creates it).
 */
export class SubjectLabState {
  items = $state.raw<LabResult[]>([]);
  total = $state(0);
  loaded = $state(false);
  /** Known property names, offered by the property field. */
  properties = $state.raw<LabProperty[]>([]);
  form = $state<LabForm>(emptyLabForm());
  /** The candidate version the new result is for; null: the latest. */
  version = $state<number | null>(null);
  adding = $state(false);
  /** The error of the add form. */
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  editingId = $state<number | null>(null);
  editForm = $state<LabForm>(emptyLabForm());
  editError = $state<string | null>(null);
  confirmingDeleteId = $state<number | null>(null);

  constructor(readonly subject: LabSubject) {}

  async load(): Promise<void> {
    try {
      const query = this.subject.kind === 'candidate' ? { candidateId: this.subject.candidateId } : { productId: this.subject.productId };
      const [page, properties] = await Promise.all([api.listLabResults({ ...query, limit: 500 }), api.labProperties()]);
      this.items = page.items;
      this.total = page.total;
      this.properties = properties;
    } catch (error) {
      this.error = describeViewError(error, 'The lab results could not be read');
    } finally {
      this.loaded = true;
    }
  }

  /** Records the form's result; the form keeps the property, unit and date for the next one. */
  async add(): Promise<void> {
    this.message = null;
    const problem = labFormProblem(this.form);
    if (problem) {
      this.error = problem;
      return;
    }
    this.adding = true;
    this.error = null;
    try {
      const subject =
        this.subject.kind === 'candidate'
          ? { kind: 'candidate' as const, candidateId: this.subject.candidateId, ...(this.version !== null ? { version: this.version } : {}) }
          : { kind: 'product' as const, productId: this.subject.productId };
      const added = await api.addLabResult({ subject, ...labFormFields(this.form) });
      this.form = { ...this.form, property: added.property, value: null, notes: '' };
      this.message = `Recorded ${added.property} = ${added.value}${added.unit ? ` ${added.unit}` : ''} on ${added.subject.name}.`;
      await this.load();
    } catch (error) {
      this.error = describeViewError(error, 'The result was not recorded');
    } finally {
      this.adding = false;
    }
  }

  startEdit(r: LabResult): void {
    this.confirmingDeleteId = null;
    this.editingId = r.id;
    this.editForm = formOf(r);
    this.editError = null;
  }

  cancelEdit(): void {
    this.editingId = null;
    this.editError = null;
  }

  async saveEdit(): Promise<void> {
    const before = this.items.find((r) => r.id === this.editingId);
    if (!before) return;
    const problem = labFormProblem(this.editForm);
    if (problem) {
      this.editError = problem;
      return;
    }
    const changes = labFormChanges(before, this.editForm);
    if (!changes) {
      this.cancelEdit();
      return;
    }
    try {
      const updated = await api.updateLabResult({ id: before.id, ...changes });
      this.cancelEdit();
      this.message = `Corrected the ${updated.property} result.`;
      await this.load();
    } catch (error) {
      this.editError = describeViewError(error, 'The correction was not saved');
    }
  }

  async remove(id: number): Promise<void> {
    try {
      await api.deleteLabResult({ id });
      this.confirmingDeleteId = null;
      this.message = 'Deleted the result.';
      await this.load();
    } catch (error) {
      this.error = describeViewError(error, 'The result was not deleted');
    }
  }
}

/**
 * The Lab & BO view's results table: every result (filtered by property) with the CSV export.
 * One instance for the app (`app.lab`); the Bayesian optimisation panel has its own (`app.bayes`).
 */
export class LabState {
  properties = $state.raw<LabProperty[]>([]);
  /** The results table's property filter ('' for all). */
  filter = $state('');
  items = $state.raw<LabResult[]>([]);
  total = $state(0);
  loaded = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  exporting = $state(false);

  private listRequest = 0;

  constructor(private readonly app: AppState) {}

  /** Reads the properties and the results (for the filter); picks a property for BO when none is. */
  async load(): Promise<void> {
    try {
      this.properties = await api.labProperties();
      const names = this.properties.map((p) => p.property);
      if (this.filter && !names.includes(this.filter)) this.filter = '';
      this.app.bayes.chooseProperty(this.properties);
      await this.refresh();
    } catch (error) {
      this.error = describeViewError(error, 'The lab results could not be read');
      this.loaded = true;
    }
  }

  async refresh(): Promise<void> {
    const id = ++this.listRequest;
    try {
      const page = await api.listLabResults({ ...(this.filter ? { property: this.filter } : {}), limit: 500 });
      if (id !== this.listRequest) return;
      this.items = page.items;
      this.total = page.total;
      this.error = null;
    } catch (error) {
      if (id === this.listRequest) this.error = describeViewError(error, 'The lab results could not be read');
    } finally {
      if (id === this.listRequest) this.loaded = true;
    }
  }

  /**
   * Exports the results shown (all, or one property) as CSV or as an Excel workbook: in the
   * desktop app to a file chosen in its save dialog, in the web preview as a download.
   */
  async exportResults(format: 'csv' | 'xlsx' = 'csv'): Promise<void> {
    this.exporting = true;
    this.error = null;
    this.notice = null;
    const property = this.filter || undefined;
    const filter = property ? { property } : {};
    try {
      const name = labExportFileName(property ?? null, undefined, format);
      const notice =
        format === 'xlsx'
          ? await exportXlsx(name, 'result', { write: (path) => api.exportLabResultsXlsx({ path, ...filter }), bytes: () => api.labResultsXlsx(filter) })
          : await exportCsv(name, 'result', { write: (path) => api.exportLabResultsCsv({ path, ...filter }), text: () => api.labResultsCsv(filter) });
      if (notice) this.notice = notice;
    } catch (error) {
      this.error = describeViewError(error, 'Export failed');
    } finally {
      this.exporting = false;
    }
  }
}
