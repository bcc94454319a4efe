import { MANUAL_PROVENANCE } from '../../../../shared/candidates';
import type { CandidateDetail, CandidateProvenance, EditorSource, ListScore, ParsedDeclarationView } from '../../../../shared/api';
import { api } from '../../lib/api';
import type { EditorTarget } from '../../state/app.svelte';
import { EditorFormulaState } from './editor-formula.svelte';
import { EditorHistory, LatestRequest, insertItems, moveItem, removeAt, replaceAt, sameNames, type EditorItem } from './editor-list';
import { uncertaintyKey } from '../candidates/shortlist-logic';

/** A list the editor can open: what other views ask for, or a version of the open candidate. */
export type EditorOpenRequest = EditorTarget | { kind: 'version'; candidateId: number; version: number };

/** What is open in the editor and the list as last opened or saved (unsaved changes are measured against it). */
export interface EditorDocument {
  title: string;
  provenance: CandidateProvenance;
  /** The saved candidate this list belongs to, with its whole history, and the version opened or last saved. */
  candidate: CandidateDetail | null;
  version: number | null;
  baseline: EditorItem[];
}

/** Quiet period after an edit before re-scoring: a burst of keyboard moves costs one request. */
export const RESCORE_DELAY_MS = 40;

const EMPTY_DOCUMENT: EditorDocument = { title: 'New list', provenance: MANUAL_PROVENANCE, candidate: null, version: null, baseline: [] };

/**
 * The candidate editor: the edited list with undo/redo, live scores of the latest list, what is
 * open and whether it has unsaved changes, opening (with a warning before unsaved changes are
 * replaced) and saving. One instance per app (`app.editor`), so the list survives
 * switching views.
 */
export class EditorState {
  list = $state.raw<EditorItem[]>([]);
  canUndo = $state(false);
  canRedo = $state(false);
  doc = $state.raw<EditorDocument>(EMPTY_DOCUMENT);
  /** Scores of the current list (null until the first answer; may lag the list while `scoring`). */
  score = $state.raw<ListScore | null>(null);
  /** Scores of the list as opened or last saved, for the changes column. */
  baselineScore = $state.raw<ListScore | null>(null);
  scoring = $state(false);
  scoreError = $state<string | null>(null);
  /** Milliseconds from the last edit (or opening) to its scores on screen, the debounce included, and which it was. */
  latencyMs = $state<number | null>(null);
  latencyAfter = $state<'edit' | 'open'>('edit');
  /** A request to open another list, waiting for the person to confirm that unsaved changes may go. */
  pendingOpen = $state.raw<EditorOpenRequest | null>(null);
  /** Outcome of the last open, paste or save, for the status line. */
  notice = $state.raw<{ kind: 'info' | 'error'; text: string } | null>(null);
  busy = $state(false);
  /** The saved design brief the list is checked against (null: none). */
  briefName = $state<string | null>(null);
  /** Whether the list differs from the one opened or last saved. */
  readonly dirty = $derived(!sameNames(this.list, this.doc.baseline));
  /** The draft formula of the list: estimated percentages by phase, edited live, saved with a version when asked. */
  readonly formula = new EditorFormulaState();

  private readonly history = new EditorHistory<EditorItem[]>([]);
  private nextKey = 1;
  /** What the pending re-score follows. */
  private rescoreAfter: 'edit' | 'open' = 'edit';
  private readonly rescorer = new LatestRequest<string[], ListScore>(
    (names) => api.scoreList({ ingredients: names, k: 5, ...(this.briefName ? { brief: this.briefName } : {}) }),
    {
      onResult: ({ arg, result, latencyMs }) => {
        this.score = result;
        this.scoring = false;
        this.scoreError = null;
        this.latencyMs = Math.round(latencyMs);
        this.latencyAfter = this.rescoreAfter;
        if (sameNamesAs(arg, this.doc.baseline)) this.baselineScore = result;
      },
      onError: (error) => {
        this.scoring = false;
        this.scoreError = (error as Error).message;
      },
    },
    RESCORE_DELAY_MS,
  );

  /** Names of the current list, in order. */
  get names(): string[] {
    return this.list.map((x) => x.name);
  }

  // ---- edits (each one undoable) ----

  /** Adds ingredients by name at `at` (default: the end). */
  add(names: readonly string[], at = this.list.length): void {
    const clean = names.map((n) => n.trim()).filter((n) => n.length > 0);
    if (clean.length) this.apply(insertItems(this.list, at, clean.map((name) => this.item(name))));
  }

  remove(index: number): void {
    this.apply(removeAt(this.list, index));
  }

  /** Moves the item at `from` so it ends up at `to`. */
  move(from: number, to: number): void {
    if (from === to || to < 0 || to >= this.list.length) return;
    this.apply(moveItem(this.list, from, to));
  }

  /** Replaces the name at `index` (a "did you mean" suggestion), keeping the row. */
  rename(index: number, name: string): void {
    const item = this.list[index];
    if (item) this.apply(replaceAt(this.list, index, { key: item.key, name }));
  }

  /** Replaces the whole list with a pasted declaration's ingredients (one undoable step). */
  replaceAll(names: readonly string[]): void {
    this.apply(names.map((name) => this.item(name)));
  }

  undo(): void {
    const previous = this.history.undo();
    if (previous) this.show(previous);
  }

  redo(): void {
    const next = this.history.redo();
    if (next) this.show(next);
  }

  /** Reads a pasted declaration; `mode` says whether it replaces the list or is added at the end. */
  async paste(text: string, mode: 'replace' | 'append'): Promise<ParsedDeclarationView | null> {
    try {
      const parsed = await api.parseDeclaration({ text });
      const names = parsed.ingredients.map((x) => x.name);
      if (mode === 'replace') this.replaceAll(names);
      else this.add(names);
      const notes = [...parsed.warnings, ...(parsed.mayContain.length ? [`"may contain" items left out: ${parsed.mayContain.join(', ')}`] : [])];
      this.notice = { kind: 'info', text: `Read ${names.length} ingredient${names.length === 1 ? '' : 's'} from the pasted text${notes.length ? ` (${notes.join('; ')})` : ''}.` };
      return parsed;
    } catch (error) {
      this.notice = { kind: 'error', text: (error as Error).message };
      return null;
    }
  }

  // ---- opening ----

  /** Opens a list, or asks first when unsaved changes would be replaced. */
  request(target: EditorOpenRequest): void {
    if (this.dirty) this.pendingOpen = target;
    else void this.open(target);
  }

  /** The person agreed to drop the unsaved changes: open what was asked for. */
  confirmOpen(): void {
    const target = this.pendingOpen;
    this.pendingOpen = null;
    if (target) void this.open(target);
  }

  keepEditing(): void {
    this.pendingOpen = null;
  }

  /** Starts scoring early (the first call builds the catalog tables in the service). */
  warmUp(): void {
    void api.scoreList({ ingredients: [] }).catch(() => undefined);
  }

  private async open(target: EditorOpenRequest): Promise<void> {
    this.busy = true;
    this.notice = null;
    try {
      if (target.kind === 'empty') {
        this.load(EMPTY_DOCUMENT, []);
        return;
      }
      const source: EditorSource =
        target.kind === 'product'
          ? await api.editorSource({ productId: target.productId })
          : target.kind === 'candidate'
            ? await api.editorSource({ candidateId: target.candidateId })
            : target.kind === 'version'
              ? await api.editorSource({ candidateId: target.candidateId, version: target.version })
              : await api.editorSource({ generated: { runId: target.runId, rank: target.rank } });
      const doc = { title: source.title, provenance: source.provenance, candidate: source.candidate, version: source.version, baseline: [] };
      this.load(doc, source.ingredients.map((x) => x.inci));
      if (source.candidate && source.version !== null) void this.formula.takeSaved(source.candidate.id, source.version);
    } catch (error) {
      this.notice = { kind: 'error', text: `Could not open it: ${(error as Error).message}` };
    } finally {
      this.busy = false;
    }
  }

  private load(doc: EditorDocument, names: readonly string[]): void {
    const items = names.map((name) => this.item(name));
    this.doc = { ...doc, baseline: items };
    this.baselineScore = null;
    this.score = null;
    this.formula.clear();
    this.history.reset(items);
    this.show(items, 0, 'open');
  }

  // ---- saving ----

  /**
   * Saves the list as a new candidate (`name` required) or as the next version of the open
   * candidate, with the live scores and warnings, the change note, the list's provenance and,
   * when asked for and it can be saved, the draft formula. Refuses, saying which, while an
   * ingredient is unknown or repeated.
   */
  async save(mode: 'new' | 'version', name: string, changeNote: string): Promise<CandidateDetail | null> {
    const names = this.names;
    if (names.length === 0) {
      this.notice = { kind: 'error', text: 'The list is empty: add ingredients before saving.' };
      return null;
    }
    this.busy = true;
    try {
      const score = this.score && sameNamesAs(this.score.ingredients.map((x) => x.given), this.list) ? this.score : await api.scoreList({ ingredients: names, k: 5 });
      const unknown = score.ingredients.filter((x) => x.ingredientId === null);
      const repeated = score.ingredients.filter((x) => x.repeatOf !== null);
      if (unknown.length || repeated.length) {
        const parts = [
          ...unknown.map((x) => `"${x.given}" (position ${x.position}) is unknown${x.suggestions[0] ? `; did you mean "${x.suggestions[0]}"?` : ''}`),
          ...repeated.map((x) => `"${x.given}" (position ${x.position}) repeats position ${x.repeatOf}`),
        ];
        this.notice = { kind: 'error', text: `Not saved: ${parts.join('; ')}. Fix ${parts.length > 1 ? 'them' : 'it'} first.` };
        return null;
      }
      // The formula of the list being saved: wait for an estimate still on its way.
      if (this.formula.include) await this.formula.settled();
      const formula = this.formula.include ? this.formula.forSave() : null;
      const candidate = this.doc.candidate;
      const provenance: CandidateProvenance = {
        ...this.doc.provenance,
        details: {
          ...this.doc.provenance.details,
          scoredWithModelId: score.model?.id ?? null,
          ...(mode === 'new' && candidate ? { copiedFrom: { candidateId: candidate.id, version: this.doc.version } } : {}),
        },
      };
      const saved = await api.saveCandidate({
        ...(mode === 'version' && candidate ? { id: candidate.id } : { name: name.trim() }),
        ingredientIds: score.ingredients.map((x) => x.ingredientId!),
        changeNote,
        scores: scoresToKeep(score),
        reasons: [...score.ordering.slice(0, 20).map((w) => `order: ${w.message}`), ...score.structure.reasons],
        provenance,
        ...(formula ? { formula } : {}),
      });
      const latest = saved.versions[saved.versions.length - 1]!;
      this.doc = { title: saved.name, provenance: latest.provenance, candidate: saved, version: saved.version, baseline: this.list };
      this.baselineScore = score;
      this.notice = { kind: 'info', text: `Saved as version ${saved.version} of “${saved.name}”.` };
      return saved;
    } catch (error) {
      this.notice = { kind: 'error', text: `Not saved: ${(error as Error).message}` };
      return null;
    } finally {
      this.busy = false;
    }
  }

  // ---- internals ----

  private item(name: string): EditorItem {
    return { key: this.nextKey++, name };
  }

  /** Checks the list against a saved brief (null: none) and re-scores at once. */
  setBrief(name: string | null): void {
    this.briefName = name;
    this.show(this.list, 0, this.rescoreAfter);
  }

  private apply(next: EditorItem[]): void {
    this.history.push(next);
    this.notice = null;
    this.show(next);
  }

  /** Shows a list and asks for its scores after the quiet period (`delay` 0: at once), after an edit or an opening. */
  private show(items: EditorItem[], delay = RESCORE_DELAY_MS, after: 'edit' | 'open' = 'edit'): void {
    this.rescoreAfter = after;
    this.list = items;
    this.canUndo = this.history.canUndo;
    this.canRedo = this.history.canRedo;
    this.scoring = true;
    this.rescorer.request(items.map((x) => x.name), delay);
    this.formula.follow(items, delay);
  }
}

function sameNamesAs(names: readonly string[], items: readonly EditorItem[]): boolean {
  return names.length === items.length && names.every((n, i) => n === items[i]!.name);
}

/**
 * The scores saved with a version: predicted benefits (`predicted_<name>`) with the half-width of
 * their 80 % interval (`uncertainty_<name>`, see shortlist-logic's uncertaintyKey), novelty and plausibility.
 */
function scoresToKeep(score: ListScore): Record<string, number> {
  const out: Record<string, number> = { novelty: score.novelty.value, plausibility: score.plausibility.score };
  for (const b of score.benefits ?? []) {
    if (!Number.isFinite(b.value)) continue;
    out[`predicted_${b.name}`] = b.value;
    if (b.uncertainty !== null && Number.isFinite(b.uncertainty)) out[uncertaintyKey(`predicted_${b.name}`)] = b.uncertainty;
  }
  return out;
}
