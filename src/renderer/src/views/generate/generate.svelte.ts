import type { ApiArgs, GenerateReport, GeneratedCandidatePage, GeneratedCandidateView, GeneratedShow, GeneratedSortKey } from '../../../../shared/api';
import type { ProductSummary } from '../../../../shared/domain';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { api, ApiCallError } from '../../lib/api';
import { defaultGenerateForm, generateArgs, nextSort, runThresholds, type GenerateForm, type RunThresholds, type SortState } from './generate-results';
import type { AppState } from '../../state/app.svelte';

/** A generated candidate saved to the shortlist during this session. */
export interface SavedGenerated {
  id: number;
  name: string;
}

/**
 * The Generate view's state: the form, the last run's report, the page of its candidates shown
 * in the table (sorted and filtered by the services), the candidate in the detail panel and
 * what was saved. One instance per app, so a run survives switching views.
 */
export class GenerateState {
  form = $state<GenerateForm>(defaultGenerateForm());
  /** The active model's id and the benefits it predicts (threshold fields and table columns). */
  modelId = $state<number | null>(null);
  benefits = $state.raw<string[]>([]);
  /** Benefit columns shown in the results table. */
  benefitColumns = $state.raw<string[]>([]);
  ready = $state(false);
  running = $state(false);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  report = $state.raw<GenerateReport | null>(null);
  page = $state.raw<GeneratedCandidatePage | null>(null);
  loadingPage = $state(false);
  /** The page's estimated active levels are on their way; or why they could not be had. */
  loadingLevels = $state(false);
  levelsError = $state<string | null>(null);
  show = $state<GeneratedShow>('passed');
  sort = $state.raw<SortState>({ by: 'rank', descending: false });
  offset = $state(0);
  readonly pageSize = 50;
  /** Ranks whose checks are expanded in the table. */
  readonly expanded = new SvelteSet<number>();
  selected = $state.raw<GeneratedCandidateView | null>(null);
  /** By rank, in the current run. */
  readonly saved = new SvelteMap<number, SavedGenerated>();
  saving = $state<number | null>(null);
  centreQuery = $state('');
  centreMatches = $state.raw<ProductSummary[]>([]);
  private pageRequest = 0;
  private centreRequest = 0;

  constructor(private readonly app: AppState) {}


  get thresholds(): RunThresholds | null {
    return this.report ? runThresholds(this.report.params) : null;
  }

  /** Reads the active model (it may have changed in the Model view) and the benefits it predicts. */
  async init(): Promise<void> {
    try {
      await this.app.refreshStatus();
      const active = this.app.catalog.status?.activeModel ?? null;
      if (active && active.id !== this.modelId) {
        const model = await api.getModel({ id: active.id });
        this.benefits = model.metrics.benefits.map((b) => b.name);
        this.benefitColumns = this.benefits.filter((b) => !b.startsWith('kb:')).slice(0, 3);
        if (this.benefitColumns.length === 0) this.benefitColumns = this.benefits.slice(0, 3);
        this.form.benefitThresholds = Object.fromEntries(this.benefits.map((b) => [b, null]));
      }
      this.modelId = active?.id ?? null;
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.ready = true;
    }
  }

  /** Runs the job with progress and Cancel in the activity bar, then shows its first page. */
  async run(): Promise<void> {
    const parsed = generateArgs(this.form);
    if (!parsed.ok) {
      this.error = `Cannot generate: ${parsed.message}.`;
      return;
    }
    this.error = null;
    this.notice = null;
    this.running = true;
    try {
      const report = await this.app.track(() => api.generate(parsed.args));
      this.report = report;
      this.saved.clear();
      this.expanded.clear();
      this.selected = null;
      this.offset = 0;
      this.show = report.counts.passed > 0 ? 'passed' : 'all';
      // Requested benefits are what the chemist is looking at: show their columns.
      const wanted = Object.keys(parsed.args.benefitThresholds ?? {});
      if (wanted.length) this.benefitColumns = this.benefits.filter((b) => wanted.includes(b) || this.benefitColumns.includes(b));
      await this.loadPage();
    } catch (error) {
      if (error instanceof ApiCallError && error.code === 'cancelled') this.notice = 'Generation cancelled; nothing was stored.';
      else this.error = `Generation failed: ${messageOf(error)}`;
    } finally {
      this.running = false;
    }
  }

  /**
   * Shows a page of the run's candidates, then their draft formulas' status and estimated active
   * levels: those are asked for (`activeLevels`) once the page is on screen, since estimating a
   * page of formulas the first time takes about half a second, ten times as long as the page.
   */
  async loadPage(): Promise<void> {
    if (!this.report) return;
    const id = ++this.pageRequest;
    const args = { runId: this.report.runId, show: this.show, sortBy: this.sort.by, descending: this.sort.descending, limit: this.pageSize, offset: this.offset };
    this.loadingPage = true;
    this.levelsError = null;
    let shown = false;
    try {
      const page = await api.listGeneratedCandidates(args);
      if (id !== this.pageRequest) return;
      this.page = page;
      if (!this.selected && page.items.length) this.selected = page.items[0]!;
      shown = page.items.length > 0;
    } catch (error) {
      if (id === this.pageRequest) this.error = messageOf(error);
    } finally {
      if (id === this.pageRequest) this.loadingPage = false;
    }
    if (shown) await this.loadLevels(id, args);
  }

  /** Adds the draft formulas' summaries to the page on screen, if it is still the one asked for (`id`). */
  private async loadLevels(id: number, args: Omit<ApiArgs['listGeneratedCandidates'], 'activeLevels'>): Promise<void> {
    this.loadingLevels = true;
    try {
      const levels = await api.listGeneratedCandidates({ ...args, activeLevels: true });
      if (id !== this.pageRequest || !this.page) return;
      const withFormula = (c: GeneratedCandidateView): GeneratedCandidateView => {
        const formula = levels.items.find((l) => l.rank === c.rank)?.formula;
        return formula ? { ...c, formula } : c;
      };
      this.page = { ...this.page, items: this.page.items.map(withFormula) };
      if (this.selected) this.selected = withFormula(this.selected);
    } catch (error) {
      if (id === this.pageRequest) this.levelsError = messageOf(error);
    } finally {
      if (id === this.pageRequest) this.loadingLevels = false;
    }
  }

  async sortBy(column: GeneratedSortKey): Promise<void> {
    this.sort = nextSort(this.sort, column);
    this.offset = 0;
    await this.loadPage();
  }

  async setShow(show: GeneratedShow): Promise<void> {
    this.show = show;
    this.offset = 0;
    // Show a candidate of the list now on screen, not one from the list before.
    this.selected = null;
    await this.loadPage();
  }

  async turnPage(delta: 1 | -1): Promise<void> {
    const total = this.page?.total ?? 0;
    const next = this.offset + delta * this.pageSize;
    if (next < 0 || next >= total) return;
    this.offset = next;
    await this.loadPage();
  }

  toggleExpanded(rank: number): void {
    if (this.expanded.has(rank)) this.expanded.delete(rank);
    else this.expanded.add(rank);
  }

  toggleBenefitColumn(name: string): void {
    this.benefitColumns = this.benefitColumns.includes(name) ? this.benefitColumns.filter((b) => b !== name) : this.benefits.filter((b) => b === name || this.benefitColumns.includes(b));
  }

  /** Saves a candidate of the current run to the shortlist with its scores, reasons and provenance. */
  async save(candidate: GeneratedCandidateView): Promise<void> {
    if (!this.report) return;
    this.saving = candidate.rank;
    this.error = null;
    try {
      const saved = await api.saveGeneratedCandidate({ runId: this.report.runId, rank: candidate.rank });
      this.saved.set(candidate.rank, { id: saved.id, name: saved.name });
      this.notice = `Saved “${saved.name}” to the shortlist.`;
    } catch (error) {
      this.error = `Could not save: ${messageOf(error)}`;
    } finally {
      this.saving = null;
    }
  }

  openInEditor(candidate: GeneratedCandidateView): void {
    if (this.report) this.app.edit({ kind: 'generated', runId: this.report.runId, rank: candidate.rank });
  }

  /** Products whose name or brand holds the typed text, for centring the sampling. */
  async searchCentre(): Promise<void> {
    const id = ++this.centreRequest;
    const query = this.centreQuery.trim();
    if (!query) {
      this.centreMatches = [];
      return;
    }
    try {
      const page = await api.listProducts({ search: query, limit: 8 });
      if (id === this.centreRequest) this.centreMatches = page.items;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  chooseCentre(product: ProductSummary | null): void {
    this.form.centre = product ? { id: product.id, name: product.name } : null;
    this.centreQuery = '';
    this.centreMatches = [];
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
