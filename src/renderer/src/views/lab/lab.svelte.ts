import type { BatchProposalResult, LabProperty, LabResult } from '../../../../shared/contract';
import { api } from '../../lib/api';
import { exportCsv } from '../../lib/download';
import { emptyLabForm, formOf, labExportFileName, labFormChanges, labFormFields, labFormProblem, proposalName, proposalScores, type LabForm } from './lab-logic';
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

/** A proposal accepted as a candidate. */
export interface SavedProposal {
  id: number;
  name: string;
}

/**
 * The Lab & BO view's state: every result (filtered by property) with the CSV export, and the
 * Bayesian optimisation panel with its last batch, the proposals ticked and those saved. One
 * instance for the app (`app.lab`), so a batch survives switching views.
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

  property = $state('');
  goal = $state<'maximize' | 'minimize'>('maximize');
  batch = $state(4);
  seed = $state(1);
  /** The accepted candidates' name prefix; null: "BO <property>". */
  namePrefix = $state<string | null>(null);
  result = $state.raw<BatchProposalResult | null>(null);
  /** Ranks ticked for accepting. */
  ticked = $state.raw<number[]>([]);
  /** Rank → the candidate it was saved as. */
  saved = $state.raw<Record<number, SavedProposal>>({});
  /** The rank whose detail row is open. */
  expanded = $state<number | null>(null);
  running = $state(false);
  accepting = $state(false);
  boError = $state<string | null>(null);
  boMessage = $state<string | null>(null);
  private listRequest = 0;

  constructor(private readonly app: AppState) {}

  get prefix(): string {
    return this.namePrefix ?? `BO ${this.property}`;
  }

  /** Reads the properties and the results (for the filter); picks a property for BO when none is. */
  async load(): Promise<void> {
    try {
      this.properties = await api.labProperties();
      const names = this.properties.map((p) => p.property);
      if (this.filter && !names.includes(this.filter)) this.filter = '';
      if (!names.includes(this.property)) this.property = (this.properties.find((p) => p.results >= 2) ?? this.properties[0])?.property ?? '';
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

  /** Why Propose is disabled, or null when it can run (too few results: the API says so itself). */
  get blocker(): string | null {
    if (!this.property) return 'Record lab results first: Bayesian optimisation learns from them.';
    if (!Number.isInteger(this.batch) || this.batch < 1 || this.batch > 8) return 'Batch size: a whole number from 1 to 8.';
    if (!Number.isInteger(this.seed) || this.seed < 0) return 'Seed: a whole number, 0 or more.';
    return null;
  }

  async propose(): Promise<void> {
    if (this.blocker) return;
    this.running = true;
    this.boError = null;
    this.boMessage = null;
    try {
      const result = await this.app.track(() => api.proposeBatch({ property: this.property, goal: this.goal, batch: this.batch, seed: this.seed }));
      this.result = result;
      this.saved = {};
      this.ticked = [];
      this.expanded = null;
    } catch (error) {
      this.boError = describeViewError(error, 'No batch was proposed');
    } finally {
      this.running = false;
    }
  }

  toggle(rank: number, on: boolean): void {
    const others = this.ticked.filter((r) => r !== rank);
    this.ticked = on ? [...others, rank].sort((a, b) => a - b) : others;
  }

  /** Saves the ticked proposals (not saved yet) as candidates, with their scores, checks and provenance. */
  async accept(): Promise<void> {
    const result = this.result;
    if (!result) return;
    const chosen = result.proposals.filter((p) => this.ticked.includes(p.rank) && !this.saved[p.rank]);
    if (chosen.length === 0) return;
    this.accepting = true;
    this.boError = null;
    this.boMessage = null;
    const names: string[] = [];
    try {
      for (const p of chosen) {
        const candidate = await api.saveCandidate({
          name: proposalName(this.prefix, result.property, p.rank),
          ingredientIds: p.ingredientIds,
          changeNote: `Bayesian optimisation: ${result.goal === 'minimize' ? 'lower' : 'higher'} ${result.property}, proposal ${p.rank}`,
          scores: proposalScores(p, result.property),
          reasons: p.reasons,
          provenance: p.provenance,
        });
        this.saved = { ...this.saved, [p.rank]: { id: candidate.id, name: candidate.name } };
        this.ticked = this.ticked.filter((r) => r !== p.rank);
        names.push(`“${candidate.name}”`);
      }
    } catch (error) {
      this.boError = describeViewError(error, 'A proposal could not be saved');
    } finally {
      this.accepting = false;
      if (names.length) this.boMessage = `Saved ${names.join(', ')} to the shortlist.`;
    }
  }

  /**
   * Exports the results shown (all, or one property) as CSV: in the desktop app to a file chosen
   * in its save dialog, in the web preview as a download (the preview writes no files).
   */
  async exportCsv(): Promise<void> {
    this.exporting = true;
    this.error = null;
    this.notice = null;
    const property = this.filter || undefined;
    try {
      const notice = await exportCsv(labExportFileName(property ?? null), 'result', {
        write: (path) => api.exportLabResultsCsv({ path, ...(property ? { property } : {}) }),
        text: () => api.labResultsCsv(property ? { property } : {}),
      });
      if (notice) this.notice = notice;
    } catch (error) {
      this.error = describeViewError(error, 'Export failed');
    } finally {
      this.exporting = false;
    }
  }
}
