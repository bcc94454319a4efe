/**
 * The recipe builder: a recipe is a list of steps (fill this role, add that ingredient, maybe
 * do this) that one engine runs on a fresh formula, then the product's name from three parts.
 * Each step makes its random draws in the order it is written, so a recipe reads like the
 * formulator's notes and the seeded output stays the same draw for draw.
 */
import { Formula, type RoleOptions } from './formula';
import type { Rng } from './rng';
import type { Ingredient, Role } from './vocabulary';

/** What a recipe hands back: the formula and enough to name the product. */
export interface Draft {
  formula: Formula;
  label: string; // hero, e.g. "Niacinamide"
  adjective: string; // e.g. "Balancing"
  noun: string; // e.g. "Gel Serum"
  anhydrous: boolean;
  rinseOff: boolean;
  /** Roles used to pad the list up to a realistic length. */
  extras: readonly Role[];
}

/** Drafts one product of a category from the seeded generator. */
export type Chassis = (rng: Rng) => Draft;

/** An ingredient a product is claimed on, with the marketing adjectives that go with it. */
export interface Hero {
  inci: string;
  label: string;
  adjectives: readonly string[];
}

/** An ingredient a product is named after with one fixed claim, at its usual (or given) level. */
export interface Signature {
  inci: string;
  label: string;
  adjective: string;
  /** A level range when the signature goes in above its usual level. */
  level?: readonly [number, number];
}

/** The bench a recipe's steps work on: the formula, the generator, and what was claimed. */
export interface Bench {
  readonly f: Formula;
  readonly rng: Rng;
  hero?: Hero;
  signature?: Signature;
}

/** One line of a recipe. */
export type Step = (b: Bench) => void;

/** How many: a number, an integer range drawn uniformly, or a draw of its own. */
export type Count = number | readonly [number, number] | ((rng: Rng) => number);

/** A use level in % w/w: a number or a range drawn uniformly. */
export type Level = number | readonly [number, number];

/** One name part: as written, picked uniformly from a list, or derived from the bench. */
export type NamePart = string | readonly string[] | ((b: Bench) => string);

/** A recipe: its steps, its name parts (label, adjective, noun) and how its padding behaves. */
export interface Recipe {
  steps: readonly Step[];
  name: readonly [label: NamePart, adjective: NamePart, noun: NamePart];
  /** Roles used to pad the list up to a realistic length. */
  extras: readonly Role[];
  anhydrous?: boolean;
  rinseOff?: boolean;
}

function resolveName(part: NamePart, b: Bench): string {
  if (typeof part === 'string') return part;
  if (typeof part === 'function') return part(b);
  return b.rng.pick(part);
}

function resolveCount(n: Count, rng: Rng): number {
  if (typeof n === 'number') return n;
  if (typeof n === 'function') return n(rng);
  return rng.int(n[0], n[1]);
}

function resolveLevel(level: Level, rng: Rng): number {
  return typeof level === 'number' ? level : rng.range(level[0], level[1]);
}

/** Turns a recipe into a chassis that runs the steps in order, then draws the name parts in order. */
export function recipe(spec: Recipe): Chassis {
  return (rng) => {
    const b: Bench = { f: new Formula(rng), rng };
    for (const step of spec.steps) step(b);
    const [label, adjective, noun] = spec.name;
    // Property order is evaluation order: label, adjective, noun draw in that order.
    return {
      formula: b.f,
      label: resolveName(label, b),
      adjective: resolveName(adjective, b),
      noun: resolveName(noun, b),
      anhydrous: spec.anhydrous ?? false,
      rinseOff: spec.rinseOff ?? false,
      extras: spec.extras,
    };
  };
}

// Steps ---------------------------------------------------------------------------------------

/** Sets the q.s. ingredient that takes the balance (picked when given a list). */
export function qs(inci: string | readonly string[]): Step {
  return ({ f, rng }) => {
    f.qs = typeof inci === 'string' ? inci : rng.pick(inci);
  };
}

/**
 * Adds a named ingredient (picked when given a list) at its usual level or the one given. A
 * given level is drawn even when the ingredient is already in, as the generator always has.
 */
export function add(inci: string | readonly string[], level?: Level): Step {
  return ({ f, rng }) => {
    const name = typeof inci === 'string' ? inci : rng.pick(inci);
    f.add(name, level === undefined ? undefined : resolveLevel(level, rng));
  };
}

/** Adds `n` ingredients of a role, chosen by popularity (the role itself may be a draw). */
export function role(r: Role | ((rng: Rng) => Role), n: Count = 1, opts?: RoleOptions): Step {
  return ({ f, rng }) => {
    const which = typeof r === 'function' ? r(rng) : r;
    f.addRole(which, resolveCount(n, rng), opts);
  };
}

/** One ingredient of each role, in the order given. */
export function roles(...rs: Role[]): Step {
  return ({ f }) => {
    for (const r of rs) f.addRole(r);
  };
}

/** The first role with probability p, else the second. */
export function either(p: number, a: Role, b: Role): (rng: Rng) => Role {
  return (rng) => (rng.chance(p) ? a : b);
}

/** Two with probability p, else one. */
export function oneOrTwo(p: number): (rng: Rng) => number {
  return (rng) => (rng.chance(p) ? 2 : 1);
}

/** Runs the steps in order. */
export function all(...steps: Step[]): Step {
  return (b) => {
    for (const step of steps) step(b);
  };
}

/** Runs the steps with probability p. */
export function maybe(p: number, ...steps: Step[]): Step {
  return (b) => {
    if (b.rng.chance(p)) all(...steps)(b);
  };
}

/** Runs one list of steps with probability p, else the other. */
export function branch(p: number, yes: readonly Step[], no: readonly Step[]): Step {
  return (b) => all(...(b.rng.chance(p) ? yes : no))(b);
}

/** Runs the steps when the bench passes a test (which draws nothing). */
export function when(test: (b: Bench) => boolean, ...steps: Step[]): Step {
  return (b) => {
    if (test(b)) all(...steps)(b);
  };
}

// Filters -------------------------------------------------------------------------------------

/** Keeps only the named ingredients. */
export function only(...names: string[]): (i: Ingredient) => boolean {
  return (i) => names.includes(i.inci);
}

/** Keeps all but the named ingredients. */
export function except(...names: string[]): (i: Ingredient) => boolean {
  return (i) => !names.includes(i.inci);
}
