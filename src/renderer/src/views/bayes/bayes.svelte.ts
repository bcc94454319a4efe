import type { BatchProposalResult, LabProperty } from '../../../../shared/api';
import { api } from '../../lib/api';
import { describeViewError } from '../../lib/plot-view-errors';
import type { AppState } from '../../state/app.svelte';
import { proposalName, proposalScores } from '../lab/lab-logic';

/** A proposal accepted as a candidate. */
export interface SavedProposal {
  id: number;
  name: string;
}

/**
 * The Lab & BO view's Bayesian optimisation panel: the property, goal and batch, the last batch
 * proposed, the proposals ticked and those saved. One instance for the app (`app.bayes`), so a
 * batch survives switching views.
 */
export class BayesState {
  property = $state('');
  goal = $state<'maximize' | 'minimize'>('maximize');
  batch = $state(4);
  seed = $state(1);
  /** κ of the penalty on the GP's uncertainty (0: none). */
  uncertaintyPenalty = $state(0);
  /** A saved design brief every proposal obeys (null: none). */
  brief = $state<string | null>(null);
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
  error = $state<string | null>(null);
  message = $state<string | null>(null);

  constructor(private readonly app: AppState) {}

  get prefix(): string {
    return this.namePrefix ?? `BO ${this.property}`;
  }

  /** Keeps the property chosen while results for it exist; otherwise the first with two results, or the first. */
  chooseProperty(properties: readonly LabProperty[]): void {
    if (!properties.some((p) => p.property === this.property)) this.property = (properties.find((p) => p.results >= 2) ?? properties[0])?.property ?? '';
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
    this.error = null;
    this.message = null;
    try {
      const result = await this.app.track(() => api.proposeBatch({ property: this.property, goal: this.goal, batch: this.batch, seed: this.seed, uncertaintyPenalty: Number.isFinite(this.uncertaintyPenalty) && this.uncertaintyPenalty >= 0 ? Math.min(100, this.uncertaintyPenalty) : 0, ...(this.brief ? { brief: this.brief } : {}) }));
      this.result = result;
      this.saved = {};
      this.ticked = [];
      this.expanded = null;
    } catch (error) {
      this.error = describeViewError(error, 'No batch was proposed');
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
    this.error = null;
    this.message = null;
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
      this.error = describeViewError(error, 'A proposal could not be saved');
    } finally {
      this.accepting = false;
      if (names.length) this.message = `Saved ${names.join(', ')} to the shortlist.`;
    }
  }
}
