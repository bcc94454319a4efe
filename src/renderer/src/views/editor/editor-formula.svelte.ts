import type { DraftFormula, SavedFormula } from '../../../../shared/api';
import type { ProductType } from '../../../../shared/formula/estimate';
import { api } from '../../lib/api';
import { LatestRequest, type EditorItem } from './editor-list';
import { checkFormula, editsOfRows, NO_EDITS, savedFormulaOf, totalProblem, withEdit, type FormulaEdits } from './formula-draft';

/** What one estimate is asked for: the list's names, the rows they belong to, the percentages held and the product type. */
interface FormulaRequest {
  names: string[];
  keys: number[];
  fixed: (number | null)[] | null;
  productType: ProductType | null;
}

/**
 * The editor's draft formula: the estimate for the list being edited (asked for again after each
 * edit, the latest answer only), the percentages the chemist typed (kept with their rows while
 * the list is reordered), the live checks of the result, and the formula to save with a version.
 * Owned by the EditorState (`editor.formula`), which tells it when the list changes.
 */
export class EditorFormulaState {
  /** The latest estimate (null before the first, or for an empty list); may lag the list while `estimating`. */
  draft = $state.raw<DraftFormula | null>(null);
  /** The editor rows the draft's lines belong to, in order. */
  keys = $state.raw<number[]>([]);
  /** Percentages typed by the chemist, by editor row key. */
  edits = $state.raw<FormulaEdits>(NO_EDITS);
  /** Leave-on or rinse-off as chosen (null: the service's default for the list). */
  productType = $state<ProductType | null>(null);
  estimating = $state(false);
  error = $state<string | null>(null);
  /** Milliseconds from the request to the answer on screen. */
  latencyMs = $state<number | null>(null);
  /** The chemist wants the formula saved with the next version (when it can be). */
  include = $state(true);
  /** The rows of the list as it is now. */
  private listKeys = $state.raw<number[]>([]);
  private listNames: string[] = [];
  private settledWaiters: (() => void)[] = [];

  private readonly estimator = new LatestRequest<FormulaRequest, DraftFormula>(
    (r) => api.estimateFormula({ ingredients: r.names, ...(r.fixed ? { fixed: r.fixed } : {}), ...(r.productType ? { productType: r.productType } : {}) }),
    {
      onResult: ({ arg, result, latencyMs }) => {
        this.draft = result;
        this.keys = arg.keys;
        this.error = null;
        this.latencyMs = Math.round(latencyMs);
        this.settle();
      },
      onError: (error) => {
        this.error = (error as Error).message;
        this.settle();
      },
    },
    0,
  );

  /** Each line's percentage: typed, else estimated (null when there is no estimate). */
  readonly percents = $derived(this.draft ? this.draft.lines.map((line, i) => this.edits.get(this.keys[i]!) ?? line.estimate) : []);
  readonly edited = $derived(this.keys.map((key) => this.edits.has(key)));
  readonly check = $derived(checkFormula(this.draft?.lines ?? [], this.percents));
  /** True when the draft on screen is the estimate for the list as it is now. */
  readonly current = $derived(!this.estimating && this.draft !== null && this.keys.length === this.listKeys.length && this.keys.every((k, i) => k === this.listKeys[i]));
  /** Why the formula cannot be saved with a version now, in words (null: it can). */
  readonly saveBlocker = $derived.by((): string | null => {
    if (this.listKeys.length === 0) return 'the list is empty';
    if (this.error) return 'the formula could not be estimated';
    if (!this.current) return 'the formula is being estimated for the list as it is now';
    if (this.draft?.status === 'infeasible' && this.check.missing) return 'no formula obeys the rules (see the conflicts)';
    const total = totalProblem(this.check);
    if (total) return total;
    if (this.check.limitProblems) return `${this.check.limitProblems} ingredient${this.check.limitProblems === 1 ? ' is' : 's are'} above a legal maximum`;
    return null;
  });

  /** Each line: typed, and held at that value by the estimate on screen (the others were estimated around it). */
  readonly held = $derived((this.draft?.lines ?? []).map((line, i) => this.edited[i] === true && line.estimate !== null && Math.abs(line.estimate - this.percents[i]!) < 1e-9));
  /** True when a typed percentage is not yet one the estimate holds (Rebalance would change the others). */
  readonly unbalanced = $derived(this.edited.some((e, i) => e && !this.held[i]));
  /** How many problems the live checks found (the total counts once). */
  readonly problemCount = $derived((totalProblem(this.check) ? 1 : 0) + this.check.orderProblems + this.check.limitProblems);

  get hasEdits(): boolean {
    return this.edits.size > 0;
  }

  /**
   * Follows the editor's list: forgets the typed percentages of rows that are gone and asks for
   * the estimate after `delayMs` (the editor's re-score pause), the typed ones held.
   */
  follow(items: readonly EditorItem[], delayMs: number): void {
    const keys = items.map((x) => x.key);
    this.listKeys = keys;
    this.edits = editsOfRows(this.edits, keys);
    this.request(items.map((x) => x.name), delayMs);
  }

  /** A percentage typed for a row (null: back to the estimate). Checked live; the others change only on Rebalance. */
  setPercent(key: number, value: number | null): void {
    this.edits = withEdit(this.edits, key, value);
  }

  /** Estimates the others again around the typed percentages. */
  rebalance(): void {
    this.requestNow();
  }

  /** Drops every typed percentage and shows the estimate again. */
  resetEdits(): void {
    this.edits = NO_EDITS;
    this.requestNow();
  }

  setProductType(type: ProductType): void {
    this.productType = type;
    this.requestNow();
  }

  /** A newly opened list: no typed percentages, the product type back to the default. */
  clear(): void {
    this.edits = NO_EDITS;
    this.productType = null;
    this.draft = null;
    this.keys = [];
    this.error = null;
  }

  /**
   * Takes up the formula saved with a candidate version, if any: its product type and the
   * percentages typed then (the others are estimated around them again, as when it was saved).
   * Ignored when the list was edited in the meantime.
   */
  async takeSaved(candidateId: number, version: number): Promise<void> {
    const keys = this.listKeys;
    let saved: SavedFormula | null;
    try {
      saved = (await api.estimateFormula({ candidateId, version })).saved;
    } catch {
      return; // the list's own estimate is on its way; a saved formula is a nicety
    }
    if (!saved || keys !== this.listKeys || saved.lines.length !== keys.length) return;
    this.productType = saved.productType;
    this.edits = saved.lines.reduce((edits, line, i) => (line.edited ? withEdit(edits, keys[i]!, line.percent) : edits), NO_EDITS);
    this.requestNow();
  }

  /** Resolves once the estimate asked for last is in (at once when none is pending). */
  settled(): Promise<void> {
    if (!this.estimating) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** The formula to save with a version of the list as it is now, or null when it cannot be saved (see `saveBlocker`). */
  forSave(): SavedFormula | null {
    if (this.saveBlocker !== null || !this.draft) return null;
    return savedFormulaOf(this.draft, this.percents as number[], this.edited);
  }

  /** Asks again for the list as it is now, at once. */
  private requestNow(): void {
    this.request(this.listNames, 0);
  }

  /** Asks for the estimate of the list (`names`, the rows of `listKeys`) with the typed percentages held. */
  private request(names: string[], delayMs: number): void {
    this.listNames = names;
    const keys = this.listKeys;
    if (keys.length === 0) {
      this.estimator.cancel();
      this.draft = null;
      this.keys = [];
      this.estimating = false;
      this.settle();
      return;
    }
    const fixed = this.edits.size ? keys.map((k) => this.edits.get(k) ?? null) : null;
    this.estimating = true;
    this.estimator.request({ names, keys, fixed, productType: this.productType }, delayMs);
  }

  private settle(): void {
    this.estimating = false;
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }
}
