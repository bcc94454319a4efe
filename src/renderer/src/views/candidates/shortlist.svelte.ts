import { SvelteSet } from 'svelte/reactivity';
import type { ApiArgs, CandidateComparison, CandidateDetail, CandidateSummary, FormulaSheet } from '../../../../shared/api';
import { api } from '../../lib/api';
import { exportCsv, exportXlsx } from '../../lib/download';
import {
  comparePair,
  emptyShortlistFilters,
  exportFileName,
  filtersActive,
  keepExisting,
  NO_SELECTION,
  replaceCandidate,
  selectAll,
  selectedInOrder,
  sheetFileName,
  shortlistQuery,
  toggleSelected,
  type ShortlistFilters,
} from './shortlist-logic';
import type { AppState } from '../../state/app.svelte';

/** The metadata a person edits in place. */
export type CandidatePatch = Omit<ApiArgs['updateCandidate'], 'id'>;

/** Where an edit of one field stands, for the "Saving… / Saved" hint beside it. */
export interface FieldState {
  candidateId: number;
  field: keyof CandidatePatch;
  state: 'saving' | 'saved' | 'failed';
}

/**
 * The Shortlist view's state: filters, the listed candidates, the selection (for export and
 * comparison), the candidate open in the detail panel with its history, and a comparison.
 * Lists are replaced, never mutated, so they live in `$state.raw`. One instance per app.
 */
export class ShortlistState {
  filters = $state<ShortlistFilters>(emptyShortlistFilters());
  items = $state.raw<CandidateSummary[]>([]);
  total = $state(0);
  loaded = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** Selected candidate ids (kept across filter changes; pruned when candidates are deleted). */
  selection = $state.raw<ReadonlySet<number>>(NO_SELECTION);
  detail = $state.raw<CandidateDetail | null>(null);
  comparison = $state.raw<CandidateComparison | null>(null);
  field = $state.raw<FieldState | null>(null);
  confirmingDelete = $state(false);
  exporting = $state(false);
  /** The formula sheet open over the view (a candidate version's draft formula, printable). */
  sheet = $state.raw<FormulaSheet | null>(null);
  sheetLoading = $state(false);
  /** Outcome of the sheet's last download, shown on the sheet. */
  sheetNotice = $state.raw<{ kind: 'info' | 'error'; text: string } | null>(null);
  /** Tags seen on any listed candidate, offered by the tag filter. */
  readonly knownTags = new SvelteSet<string>();
  private listRequest = 0;

  constructor(private readonly app: AppState) {}


  get filtered(): boolean {
    return filtersActive(this.filters);
  }

  /** The two selected candidates in list order, when exactly two are selected. */
  get pair(): [number, number] | null {
    return comparePair(this.selection, this.items.map((c) => c.id));
  }

  async refresh(): Promise<void> {
    const id = ++this.listRequest;
    try {
      const page = await api.listCandidates(shortlistQuery(this.filters));
      if (id !== this.listRequest) return;
      this.items = page.items;
      this.total = page.total;
      for (const c of page.items) for (const t of c.tags) this.knownTags.add(t);
      this.error = null;
    } catch (error) {
      if (id === this.listRequest) this.error = messageOf(error);
    } finally {
      if (id === this.listRequest) this.loaded = true;
    }
  }

  clearFilters(): void {
    this.filters = emptyShortlistFilters();
    void this.refresh();
  }

  toggle(id: number): void {
    this.selection = toggleSelected(this.selection, id);
  }

  selectAllShown(on: boolean): void {
    this.selection = selectAll(this.selection, this.items.map((c) => c.id), on);
  }

  /** Opens a candidate with its whole history in the detail panel. */
  async open(id: number): Promise<void> {
    this.confirmingDelete = false;
    try {
      this.detail = await api.getCandidate({ id });
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  /** Saves one edited field (name, notes, tags, status or rating) at once; the list and its versions stay as they are. */
  async update(id: number, patch: CandidatePatch): Promise<void> {
    const field = Object.keys(patch)[0] as keyof CandidatePatch;
    this.field = { candidateId: id, field, state: 'saving' };
    try {
      const updated = await api.updateCandidate({ id, ...patch });
      this.items = replaceCandidate(this.items, updated);
      for (const t of updated.tags) this.knownTags.add(t);
      if (this.detail?.id === id) this.detail = { ...this.detail, ...updated };
      this.field = { candidateId: id, field, state: 'saved' };
      this.error = null;
    } catch (error) {
      this.field = { candidateId: id, field, state: 'failed' };
      this.error = `Could not save the ${field}: ${messageOf(error)}`;
    }
  }

  /** Compares the two selected candidates at their latest versions. */
  async compareSelected(): Promise<void> {
    const pair = this.pair;
    if (!pair) return;
    try {
      this.comparison = await api.compareCandidates({ a: pair[0], b: pair[1] });
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  /** Compares an earlier version of the open candidate with its latest. */
  async compareVersion(version: number): Promise<void> {
    const detail = this.detail;
    if (!detail) return;
    try {
      this.comparison = await api.compareCandidates({ a: detail.id, b: detail.id, versionA: version, versionB: detail.version });
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  /** Deletes the open candidate with all its versions (after the person confirmed). */
  async deleteOpen(): Promise<void> {
    const detail = this.detail;
    if (!detail) return;
    try {
      const deleted = await api.deleteCandidate({ id: detail.id });
      this.detail = null;
      this.confirmingDelete = false;
      if (this.comparison && (this.comparison.a.id === deleted.id || this.comparison.b.id === deleted.id)) this.comparison = null;
      this.notice = `Deleted “${deleted.name}” and its ${deleted.versions} version${deleted.versions === 1 ? '' : 's'}.`;
      await this.refresh();
      this.selection = keepExisting(this.selection, this.items.map((c) => c.id));
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  openInEditor(id: number): void {
    this.app.edit({ kind: 'candidate', candidateId: id });
  }

  /** Opens the formula sheet of a version of a candidate. */
  async openSheet(candidateId: number, version: number): Promise<void> {
    this.sheetLoading = true;
    this.sheetNotice = null;
    try {
      this.sheet = await api.formulaSheet({ candidateId, version });
      this.error = null;
    } catch (error) {
      this.error = `Could not make the formula sheet: ${messageOf(error)}`;
    } finally {
      this.sheetLoading = false;
    }
  }

  closeSheet(): void {
    this.sheet = null;
    this.sheetNotice = null;
  }

  /** Exports the open formula sheet as CSV or Excel, the way the shortlist's exports go (a Save dialog, or a download in the web preview). */
  async downloadSheet(format: 'csv' | 'xlsx'): Promise<void> {
    const sheet = this.sheet;
    if (!sheet) return;
    const { candidateId, version } = sheet;
    const rows = sheet.rows.length;
    this.exporting = true;
    this.sheetNotice = null;
    try {
      const name = sheetFileName(sheet, format);
      const write = async (path: string) => ({ ...(await api.exportFormula({ candidateId, version, format, path })), rows });
      const notice =
        format === 'xlsx'
          ? await exportXlsx(name, 'ingredient', { write, bytes: async () => ({ base64: (await api.formulaFile({ candidateId, version, format })).base64 ?? '', rows }) })
          : await exportCsv(name, 'ingredient', { write, text: async () => ({ csv: (await api.formulaFile({ candidateId, version, format })).csv ?? '', rows }) });
      if (notice) this.sheetNotice = { kind: 'info', text: notice };
    } catch (error) {
      this.sheetNotice = { kind: 'error', text: `Export failed: ${messageOf(error)}` };
    } finally {
      this.exporting = false;
    }
  }

  /** Saves the open sheet as a PDF (the desktop app: Electron's printToPDF through a Save dialog). */
  async saveSheetPdf(): Promise<void> {
    const sheet = this.sheet;
    if (!sheet) return;
    this.exporting = true;
    this.sheetNotice = null;
    try {
      const saved = await api.printToPdf({ defaultName: sheetFileName(sheet, 'pdf') });
      if (saved) this.sheetNotice = { kind: 'info', text: `Saved the formula sheet as a PDF to ${saved.path}.` };
    } catch (error) {
      this.sheetNotice = { kind: 'error', text: `The PDF could not be saved: ${messageOf(error)}` };
    } finally {
      this.exporting = false;
    }
  }

  /**
   * Exports the selected candidates as CSV or as an Excel workbook: in the desktop app to a file
   * chosen in its save dialog, in the web preview as a download (the preview writes no files).
   */
  async exportSelected(format: 'csv' | 'xlsx' = 'csv'): Promise<void> {
    const ids = selectedInOrder(this.selection, this.items.map((c) => c.id));
    if (ids.length === 0) return;
    this.exporting = true;
    this.error = null;
    try {
      const name = exportFileName(undefined, format);
      const notice =
        format === 'xlsx'
          ? await exportXlsx(name, 'candidate', { write: (path) => api.exportCandidatesXlsx({ ids, path }), bytes: () => api.candidatesXlsx({ ids }) })
          : await exportCsv(name, 'candidate', { write: (path) => api.exportCandidatesCsv({ ids, path }), text: () => api.candidatesCsv({ ids }) });
      if (notice) this.notice = notice;
    } catch (error) {
      this.error = `Export failed: ${messageOf(error)}`;
    } finally {
      this.exporting = false;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
