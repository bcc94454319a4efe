/**
 * A formula on the bench: ingredients at their use levels, one q.s. ingredient that takes the
 * balance, and the declaration in descending order. Levels are drawn and rounded the way they
 * would be written on a formula sheet.
 */
import type { Rng } from './rng';
import { VOCABULARY, type Ingredient, type Role } from './vocabulary';

const BY_NAME = new Map(VOCABULARY.map((i) => [i.inci, i]));
const BY_ROLE = new Map<Role, Ingredient[]>();
for (const i of VOCABULARY) {
  const list = BY_ROLE.get(i.role) ?? [];
  list.push(i);
  BY_ROLE.set(i.role, list);
}

/** The vocabulary entry of a name; throws on a name the vocabulary lacks (a typo in a recipe). */
export function entryOf(inci: string): Ingredient {
  const entry = BY_NAME.get(inci);
  if (!entry) throw new Error(`"${inci}" is not in the vocabulary`);
  return entry;
}

/** The vocabulary entries of a role, in vocabulary order (which the seeded picks depend on). */
export function ofRole(role: Role): readonly Ingredient[] {
  return BY_ROLE.get(role) ?? [];
}

/** One of the named entries of a role, chosen by popularity. */
export function pickPopular(rng: Rng, role: Role, names: readonly string[]): Ingredient {
  return rng.weighted(
    ofRole(role).filter((i) => names.includes(i.inci)),
    (i) => i.weight,
  );
}

/** Rounds a use level the way it would be written on a formula sheet. */
function niceLevel(pct: number): number {
  if (pct >= 10) return Math.round(pct * 2) / 2; // 12.5
  if (pct >= 1) return Math.round(pct * 10) / 10; // 3.4
  if (pct >= 0.1) return Math.round(pct * 100) / 100; // 0.35
  if (pct >= 0.01) return Math.max(0.01, Math.round(pct * 100) / 100); // 0.05
  return Math.max(0.0001, Math.round(pct * 10000) / 10000); // 0.0025
}

/** Output rounding: 2 decimals, 4 below 0.01 (peptides, colourants, allergens). */
function round(v: number): number {
  return v < 0.01 ? Math.round(v * 10000) / 10000 : Math.round(v * 100) / 100;
}

/** How a recipe narrows and scales the ingredients it asks for by role. */
export interface RoleOptions {
  /** Narrows the pool (e.g. no retinoid in a rinse-off product). */
  filter?: (i: Ingredient) => boolean;
  /** Below 1, lowers levels when several ingredients share a job. */
  scale?: number;
}

/** A formula under construction: ingredient → % w/w, plus the q.s. ingredient. */
export class Formula {
  readonly levels = new Map<string, number>();
  qs: string | null = null;
  constructor(private readonly rng: Rng) {}

  has(inci: string): boolean {
    return this.levels.has(inci) || this.qs === inci;
  }
  /** Any ingredient of the given role present? */
  hasRole(role: Role): boolean {
    return this.names().some((n) => entryOf(n).role === role);
  }
  names(): string[] {
    return [...(this.qs ? [this.qs] : []), ...this.levels.keys()];
  }
  /** The ingredients of a role, q.s. first, then in the order they were added. */
  namesOfRole(role: Role): string[] {
    return this.names().filter((n) => entryOf(n).role === role);
  }
  count(): number {
    return this.names().length;
  }
  /** How many ingredients of a role are present. */
  countRole(role: Role): number {
    return this.namesOfRole(role).length;
  }

  /** Adds a named ingredient; the level is drawn from its range unless given. */
  add(inci: string, level?: number): boolean {
    const entry = entryOf(inci);
    if (this.has(inci)) return false;
    this.levels.set(inci, niceLevel(level ?? this.draw(entry)));
    return true;
  }

  /**
   * Adds `n` different ingredients of a role, chosen by popularity. `filter` narrows the pool;
   * `scale` lowers levels when several share a job (three humectants at 10 % each is a lot).
   */
  addRole(role: Role, n = 1, opts: RoleOptions = {}): string[] {
    const added: string[] = [];
    for (let k = 0; k < n; k++) {
      const pool = ofRole(role).filter((i) => !this.has(i.inci) && (opts.filter ? opts.filter(i) : true));
      if (pool.length === 0) break;
      const choice = this.rng.weighted(pool, (i) => i.weight);
      this.add(choice.inci, this.draw(choice, opts.scale ?? 1));
      added.push(choice.inci);
    }
    return added;
  }

  /**
   * A level within the ingredient's range: log-uniform for wide ranges (extracts, peptides).
   * `scale` < 1 narrows the range towards its lower end, so a supporting role never drops
   * below the level at which the ingredient is normally used.
   */
  draw(entry: Ingredient, scale = 1): number {
    const min = entry.min;
    const max = min + (entry.max - min) * Math.min(1, scale);
    if (max / Math.max(min, 1e-6) > 6) return Math.exp(this.rng.range(Math.log(min), Math.log(max)));
    return this.rng.range(min, max);
  }

  /** Declaration: q.s. ingredient gets the balance, then everything in descending order. */
  declare(): { names: string[]; levels: number[] } {
    if (!this.qs) throw new Error('formula has no q.s. ingredient');
    const fixed = [...this.levels.entries()].map(([n, v]) => [n, round(v)] as const);
    const rest = fixed.reduce((s, [, v]) => s + v, 0);
    const qsLevel = Math.round((100 - rest) * 100) / 100;
    const all = [[this.qs, qsLevel] as const, ...fixed];
    // Stable sort: ties keep the order in which the formulator added them.
    const sorted = all
      .map((e, idx) => ({ e, idx }))
      .sort((a, b) => b.e[1] - a.e[1] || a.idx - b.idx)
      .map((x) => x.e);
    return { names: sorted.map(([n]) => n), levels: sorted.map(([, v]) => v) };
  }
}
