import type { CandidateSummary, LatentMap, OptimizationResult } from '../../../../shared/api';
import { DEFAULT_DIVERSITY } from '../../../../shared/ml/objective';
import { api } from '../../lib/api';
import { placeOnPcaMap } from '../../lib/pca-path';
import { describeViewError } from '../../lib/plot-view-errors';
import type { AppState } from '../../state/app.svelte';

export type Goal = 'maximize' | 'minimize' | 'target';

/** One row of the objective builder. */
export interface TermRow {
  benefit: string;
  goal: Goal;
  /** For `target` goals. */
  target: number | null;
  weight: number;
}

/** A product as the start picker shows it. */
export interface PickedStart {
  id: number;
  name: string;
  brand: string;
}

/**
 * The optimisation view's state: the objective, where to start, the settings, and the last
 * result with the restart shown and its path on the PCA map. One instance for the app
 * (`app.optimize`), so a result survives switching views.
 */
export class OptimizeState {
  /** The active model's benefit heads, as the builder offers them. */
  benefits = $state.raw<{ name: string; kind: 'flag' | 'score' }[]>([]);
  terms = $state<TermRow[]>([]);
  startKind = $state<'random' | 'product' | 'candidate'>('random');
  seed = $state(1);
  product = $state.raw<PickedStart | null>(null);
  candidateId = $state<number | null>(null);
  candidates = $state.raw<CandidateSummary[]>([]);
  restarts = $state(8);
  maxSteps = $state(300);
  priorWeight = $state(0.05);
  guard = $state<'density' | 'nearest-code' | 'none'>('density');
  /** Weight keeping restarts apart (0: independent restarts). */
  diversity = $state(DEFAULT_DIVERSITY);
  /** κ of the penalty on uncertain predictions (0: none). */
  uncertaintyPenalty = $state(0);
  /** A saved design brief every list obeys (null: none). */
  brief = $state<string | null>(null);

  result = $state.raw<OptimizationResult | null>(null);
  /** The restart whose path is shown. */
  selected = $state(0);
  /** The path step shown (the animation moves it). */
  frame = $state(0);
  playing = $state(false);
  backdrop = $state.raw<LatentMap | null>(null);
  pathPoints = $state.raw<{ x: number; y: number }[] | null>(null);
  /** Restart index → the candidate it was saved as. */
  saved = $state.raw<Record<number, { id: number; name: string }>>({});
  running = $state(false);
  error = $state<string | null>(null);
  message = $state<string | null>(null);
  private modelId: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly app: AppState) {}

  /** Loads the active model's benefit heads (once per model) and the saved candidates for the start picker. */
  async load(modelId: number | null): Promise<void> {
    if (modelId === null) return;
    try {
      const [models, candidates] = await Promise.all([api.listModels(), api.listCandidates({ limit: 200 })]);
      this.candidates = candidates.items;
      if (this.modelId === modelId && this.benefits.length) return;
      const active = models.find((m) => m.id === modelId);
      this.benefits = active?.metrics.benefits.map((b) => ({ name: b.name, kind: b.kind })) ?? [];
      this.modelId = modelId;
      // A fresh model: one term to begin with, its first benefit maximised; an old result is for another model.
      const known = this.benefits.map((b) => b.name);
      this.terms = this.terms.filter((t) => known.includes(t.benefit));
      if (this.terms.length === 0 && this.benefits[0]) this.terms = [{ benefit: this.benefits[0].name, goal: 'maximize', target: null, weight: 1 }];
      if (this.result && this.result.modelId !== modelId) this.clearResult();
    } catch (error) {
      this.error = describeViewError(error, 'The model could not be read');
    }
  }

  addTerm(): void {
    const used = this.terms.map((t) => t.benefit);
    const next = this.benefits.find((b) => !used.includes(b.name)) ?? this.benefits[0];
    if (next) this.terms.push({ benefit: next.name, goal: 'maximize', target: null, weight: 1 });
  }

  removeTerm(i: number): void {
    this.terms.splice(i, 1);
  }

  /** Why Run is disabled, or null when it can run. */
  get blocker(): string | null {
    if (this.terms.length === 0) return 'Add at least one benefit to the objective.';
    for (const [i, t] of this.terms.entries()) {
      if (t.goal === 'target' && (t.target === null || !Number.isFinite(t.target))) return `Term ${i + 1}: give the value to hit.`;
      if (!(t.weight > 0) || t.weight > 100) return `Term ${i + 1}: the weight must be above 0 and at most 100.`;
    }
    if (this.startKind === 'product' && !this.product) return 'Pick the product to start from.';
    if (this.startKind === 'candidate' && this.candidateId === null) return 'Pick the candidate to start from.';
    if (!Number.isInteger(this.restarts) || this.restarts < 1 || this.restarts > 64) return 'Restarts: a whole number from 1 to 64.';
    if (!Number.isInteger(this.maxSteps) || this.maxSteps < 1 || this.maxSteps > 5000) return 'Steps: a whole number from 1 to 5,000.';
    if (!(this.priorWeight >= 0) || this.priorWeight > 100) return 'Prior weight: from 0 to 100.';
    if (!(this.diversity >= 0) || this.diversity > 100) return 'Keep apart: a weight from 0 to 100.';
    if (!(this.uncertaintyPenalty >= 0) || this.uncertaintyPenalty > 100) return 'Uncertainty penalty: a weight from 0 to 100.';
    return null;
  }

  async run(): Promise<void> {
    if (this.blocker) return;
    this.running = true;
    this.error = null;
    this.message = null;
    this.stop();
    const seed = Number.isInteger(this.seed) && this.seed >= 0 ? this.seed : 1;
    const start =
      this.startKind === 'product' && this.product
        ? { kind: 'product' as const, productId: this.product.id, seed }
        : this.startKind === 'candidate' && this.candidateId !== null
          ? { kind: 'candidate' as const, candidateId: this.candidateId, seed }
          : { kind: 'random' as const, seed };
    try {
      const result = await this.app.track(() =>
        api.optimize({
          terms: this.terms.map((t) => ({ benefit: t.benefit, goal: t.goal, weight: t.weight, ...(t.goal === 'target' ? { target: t.target! } : {}) })),
          start,
          restarts: this.restarts,
          maxSteps: this.maxSteps,
          priorWeight: this.priorWeight,
          guard: { kind: this.guard },
          diversity: this.diversity,
          uncertaintyPenalty: this.uncertaintyPenalty,
          ...(this.brief ? { brief: this.brief } : {}),
        }),
      );
      this.result = result;
      this.saved = {};
      await this.show(result.best);
    } catch (error) {
      this.error = describeViewError(error, 'The optimisation failed');
    } finally {
      this.running = false;
    }
  }

  /** Shows a restart: its path on the PCA map, from its last step. */
  async show(index: number): Promise<void> {
    const result = this.result;
    if (!result) return;
    this.stop();
    this.selected = index;
    const restart = result.restarts[index]!;
    this.frame = restart.path.length - 1;
    this.pathPoints = null;
    try {
      const placed = await placeOnPcaMap(restart.path.map((p) => p.code), result.modelId, this.backdrop);
      if (this.result !== result || this.selected !== index) return;
      this.backdrop = placed.backdrop;
      this.pathPoints = placed.points;
    } catch (error) {
      this.error = describeViewError(error, 'The path could not be drawn');
    }
  }

  /** Plays the path from its start, a step every 0.4 s. */
  play(): void {
    const restart = this.result?.restarts[this.selected];
    if (!restart) return;
    this.stop();
    this.frame = 0;
    this.playing = true;
    this.timer = setInterval(() => {
      if (this.frame >= restart.path.length - 1) this.stop();
      else this.frame += 1;
    }, 400);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.playing = false;
  }

  /** Saves a restart's final list as a new candidate, with its scores, verdicts and provenance. */
  async save(index: number, name: string): Promise<void> {
    const result = this.result;
    const restart = result?.restarts[index];
    if (!result || !restart) return;
    this.error = null;
    try {
      const f = restart.final;
      const candidate = await api.saveCandidate({
        name: name.trim() || `Optimised ${result.terms.map((t) => t.benefit).join(' + ')}, restart ${index + 1}`,
        ingredientIds: f.ingredientIds,
        changeNote: `optimised: ${result.terms.map((t) => `${t.goal} ${t.benefit}`).join(', ')} (${restart.start})`,
        scores: { ...f.benefits, novelty: f.novelty, plausibility: f.plausibility },
        reasons: f.reasons,
        provenance: restart.provenance,
      });
      this.saved = { ...this.saved, [index]: { id: candidate.id, name: candidate.name } };
      this.message = `Saved restart ${index + 1} as “${candidate.name}”: it is in the shortlist.`;
    } catch (error) {
      this.error = describeViewError(error, 'The candidate could not be saved');
    }
  }

  private clearResult(): void {
    this.stop();
    this.result = null;
    this.pathPoints = null;
    this.saved = {};
  }
}
