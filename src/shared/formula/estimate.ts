import { envelope, feasibleRange, solve, type Infeasibility, type SolverItem, type SolverProblem } from './solver';

/**
 * Estimating a draft formula from an INCI list (issue 16): a percentage for every ingredient with
 * the range the constraints allow, under the rules a label obeys.
 *
 * Hard rules: the total is 100 %; ingredients above the 1 % line are in descending order and
 * each at least 1 %, those after it at most 1 % in any order (an "active" section declared apart
 * from the list is outside the order); a percentage declared on the label is honoured exactly;
 * no ingredient exceeds its legal maximum for the product type; a labelled fragrance allergen is
 * at least its labelling threshold. The typical use range of each ingredient is a rule too; when
 * no formula can keep every ingredient in its typical range, the estimate drops those ranges,
 * says which conflicted, and marks the ingredients that leave theirs ("relaxed").
 *
 * The estimate is the formula, among those allowed, closest to each ingredient's usual level in
 * relative terms (squared deviation over the usual level squared); the balancing ingredient
 * (water, or whatever comes first when there is no water) has a very small weight, so it takes up
 * what is left. Every possible place of the 1 % line is tried and the closest formula kept. The
 * solver is src/shared/formula/solver.ts.
 */

export const PHASES = ['water', 'oil', 'cool-down', 'powder'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_LETTERS: Record<Phase, string> = { water: 'A', oil: 'B', powder: 'C', 'cool-down': 'D' };
export const PHASE_NAMES: Record<Phase, string> = { water: 'water phase', oil: 'oil phase', powder: 'powders and dispersions', 'cool-down': 'cool-down (below 40 °C)' };
export const PREPARATIONS = ['pre-dispersed', 'neutralised'] as const;
export type Preparation = (typeof PREPARATIONS)[number];
export const PRODUCT_TYPES = ['leave-on', 'rinse-off'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

/** The functions whose ingredients count as a formula's actives (generate results and product pages show their levels). */
export const ACTIVE_FUNCTIONS: ReadonlySet<string> = new Set(['active', 'uv-filter', 'vitamin', 'exfoliant', 'peptide']);

/** Where an ingredient's typical level came from. */
export type LevelSource = 'ingredient' | 'class' | 'user';

export interface UseLevel {
  min: number;
  max: number;
  usual: number;
  phase: Phase;
  prep: Preparation | null;
  source: LevelSource;
  /** For a class level: the function it was taken from. */
  basis: string | null;
}

export interface LegalLimit {
  max: number;
  /** The annex entry, e.g. "V/29"; for an in-house limit, "in-house". */
  annex: string;
  applies: 'all' | ProductType;
  condition: string;
  origin: 'kb' | 'user';
}

export interface FormulaItem {
  name: string;
  section: 'main' | 'active';
  /** The percentage the label declares, if any. */
  declared: number | null;
  level: UseLevel | null;
  /** The legal and in-house limits that apply to this product type (the lowest is used). */
  limits: LegalLimit[];
  /** A labelled fragrance allergen: present at least at the labelling threshold. */
  allergen: boolean;
}

export interface FormulaInput {
  items: FormulaItem[];
  productType: ProductType;
  /** Fragrance-allergen labelling thresholds, % (EU: 0.001 leave-on, 0.01 rinse-off). */
  allergenThreshold: number;
}

export type LineFlag =
  /** No typical level is known: the range is wide and the estimate a guess from position. */
  | 'unknown'
  /** The typical level is its function's general level, not the ingredient's own. */
  | 'class-level'
  | 'declared'
  /** The label declares more than the legal maximum. */
  | 'declared-over-limit'
  /** The estimate sits at the legal maximum. */
  | 'at-limit'
  /** A relaxed estimate put it outside its typical range. */
  | 'outside-typical'
  | 'allergen';

export interface FormulaLine {
  position: number;
  name: string;
  section: 'main' | 'active';
  /** Null when no formula obeys the hard rules. */
  estimate: number | null;
  low: number | null;
  high: number | null;
  declared: number | null;
  typical: { min: number; max: number; usual: number } | null;
  levelSource: LevelSource | null;
  limit: { max: number; annex: string; condition: string } | null;
  phase: Phase | null;
  prep: Preparation | null;
  flags: LineFlag[];
}

export interface Formula {
  /** 'estimated': every rule held; 'relaxed': typical ranges had to give way; 'infeasible': no formula obeys the hard rules. */
  status: 'estimated' | 'relaxed' | 'infeasible';
  productType: ProductType;
  /** How many ingredients of the list are above the 1 % line (null when infeasible). */
  aboveLine: number | null;
  lines: FormulaLine[];
  /** Why the typical ranges (relaxed) or the hard rules (infeasible) could not all hold, in words. */
  conflicts: string[];
  warnings: string[];
}

/** Below this an ingredient is "present" (a trace): the lower bound of an unknown ingredient. */
const TRACE = 0.0001;
/** The weight of the balancing ingredient relative to the others. */
const BALANCE_WEIGHT = 1e-4;
/**
 * Ingredients declared apart (actives) are dosed to a claim, so they hold their usual level more
 * firmly than the rest: their weight is this many times larger. Chosen among 1, 10 and 100 on the
 * declared percentages of sephora_cosmetics.csv (the same set the benchmark reports; see
 * docs/model-design.md), so that benchmark is not an independent test of this one choice.
 */
const ACTIVE_WEIGHT = 10;

/** The usual level an unknown ingredient is aimed at, from its position alone (see positionRule). */
export function positionRule(position: number, length: number): number {
  // A geometric fall from the first ingredient, with the 1 % line near a third of the way down:
  // 100·(1−r)·r^(p−1) / (1 − r^n), r chosen so the first third holds about 95 % of the mass.
  const third = Math.max(1, Math.round(length / 3));
  const r = Math.pow(0.05, 1 / third);
  return (100 * (1 - r) * Math.pow(r, position - 1)) / (1 - Math.pow(r, length));
}

function lowestLimit(limits: LegalLimit[]): LegalLimit | null {
  let best: LegalLimit | null = null;
  for (const limit of limits) if (!best || limit.max < best.max) best = limit;
  return best;
}

interface Bounds {
  lo: number;
  hi: number;
  target: number;
  weight: number;
}

/** Which typical bounds are dropped: item index → sides. */
type Relaxed = Map<number, Set<'lo' | 'hi'>>;

/** Each item's bounds before the 1 % line is placed, without the typical bounds named in `relaxed`. */
function itemBounds(input: FormulaInput, relaxed: Relaxed): Bounds[] {
  const balance = balanceIndex(input.items);
  const mainLength = input.items.filter((i) => i.section === 'main').length;
  let mainPosition = 0;
  return input.items.map((item, index) => {
    if (item.section === 'main') mainPosition++;
    const level = item.level;
    const usual = level?.usual ?? (item.section === 'main' ? positionRule(mainPosition, mainLength) : positionRule(index + 1, input.items.length));
    let lo = TRACE;
    let hi = 100;
    const dropped = relaxed.get(index);
    if (level && index !== balance) {
      if (!dropped?.has('lo')) lo = level.min;
      if (!dropped?.has('hi')) hi = level.max;
    } else if (index === balance && level && !dropped?.has('lo')) {
      lo = level.min;
    }
    if (item.allergen) lo = Math.max(lo, input.allergenThreshold);
    const limit = lowestLimit(item.limits);
    if (limit) {
      hi = Math.min(hi, limit.max);
      lo = Math.min(lo, hi);
    }
    if (item.declared !== null) {
      lo = item.declared;
      hi = item.declared;
    }
    const weight = index === balance ? BALANCE_WEIGHT / usual ** 2 : ((level ? 1 : 0.25) * (item.section === 'active' ? ACTIVE_WEIGHT : 1)) / usual ** 2;
    return { lo, hi, target: Math.min(Math.max(usual, lo), hi), weight };
  });
}

/** The ingredient that takes up the remainder: water if listed in the main list, else the first. */
function balanceIndex(items: FormulaItem[]): number {
  const water = items.findIndex((i) => i.section === 'main' && i.declared === null && /^(water|aqua)\b/i.test(i.name));
  if (water >= 0) return water;
  return items.findIndex((i) => i.section === 'main' && i.declared === null);
}

/** The problem with the 1 % line after the `above`-th ingredient of the main list. */
function problemFor(input: FormulaInput, bounds: Bounds[], above: number): SolverProblem {
  const chain: number[] = [];
  let mainPosition = 0;
  const items: SolverItem[] = input.items.map((item, index) => {
    const b = bounds[index]!;
    let { lo, hi } = b;
    if (item.section === 'main') {
      mainPosition++;
      if (mainPosition <= above) {
        chain.push(index);
        lo = Math.max(lo, 1);
      } else hi = Math.min(hi, 1);
    }
    return { target: b.target, weight: b.weight, lo, hi };
  });
  return { items, chain, total: 100 };
}

interface Best {
  above: number;
  problem: SolverProblem;
  x: Float64Array;
  objective: number;
}

interface Closest {
  above: number;
  problem: SolverProblem;
  reason: Infeasibility;
  violation: number;
}

/** How far a problem is from having a solution: the sum of its bounds' and total's shortfalls. */
function violation(problem: SolverProblem): number {
  const env = envelope(problem);
  let amount = 0;
  let low = 0;
  let high = 0;
  problem.items.forEach((item, i) => {
    amount += Math.max(0, item.lo - item.hi) + Math.max(0, env.lower[i]! - env.upper[i]!);
    low += env.lower[i]!;
    high += env.upper[i]!;
  });
  return amount + Math.max(0, low - problem.total) + Math.max(0, problem.total - high);
}

/** The best placement of the 1 % line, or (when none admits a formula) the one closest to admitting one. */
function bestLine(input: FormulaInput, bounds: Bounds[]): { best: Best | null; closest: Closest | null } {
  const mainLength = input.items.filter((i) => i.section === 'main').length;
  let best: Best | null = null;
  let closest: Closest | null = null;
  for (let above = 0; above <= mainLength; above++) {
    const problem = problemFor(input, bounds, above);
    const result = solve(problem);
    if (result.feasible) {
      if (!best || result.objective < best.objective - 1e-12) best = { above, problem, x: result.x, objective: result.objective };
    } else if (!best) {
      const amount = violation(problem);
      if (!closest || amount < closest.violation) closest = { above, problem, reason: result.reason, violation: amount };
    }
  }
  return { best, closest: best ? null : closest };
}

const pct = (v: number): string => `${v < 0.01 ? v.toPrecision(2) : Number(v.toFixed(v < 1 ? 3 : 2))} %`;

/** Where one side of an item's bounds in a problem comes from. */
type BoundSource = 'declared' | 'limit' | 'allergen' | 'typical' | 'line' | 'none';

function boundSource(input: FormulaInput, problem: SolverProblem, bounds: Bounds[], i: number, side: 'lo' | 'hi'): BoundSource {
  const item = input.items[i]!;
  const value = problem.items[i]![side];
  if (item.declared !== null) return 'declared';
  if (value !== bounds[i]![side]) return 'line';
  const limit = lowestLimit(item.limits);
  if (side === 'hi' && limit && value === limit.max) return 'limit';
  if (side === 'lo' && item.allergen && value === input.allergenThreshold) return 'allergen';
  if (item.level && value === item.level[side === 'lo' ? 'min' : 'max']) return 'typical';
  return 'none';
}

/** Why one placement of the line fails, in words that name the ingredients. */
function describe(reason: Infeasibility, input: FormulaInput, problem: SolverProblem, bounds: Bounds[]): string {
  const label = (i: number): string => `${input.items[i]!.name} (${input.items[i]!.section === 'active' ? 'declared apart' : `position ${mainPosition(input, i)}`})`;
  const why = (i: number, side: 'lo' | 'hi'): string => {
    const item = input.items[i]!;
    const value = problem.items[i]![side];
    const limit = lowestLimit(item.limits);
    switch (boundSource(input, problem, bounds, i, side)) {
      case 'declared':
        return `declared at ${pct(value)}`;
      case 'limit':
        return `at most ${pct(value)} by ${limit!.origin === 'user' ? 'in-house limit' : `law (${limit!.annex})`}`;
      case 'allergen':
        return `labelled, so at least ${pct(value)}`;
      case 'typical':
        return `typically ${side === 'lo' ? 'at least' : 'at most'} ${pct(value)}`;
      case 'line':
        return side === 'lo' ? 'above the 1 % line, at least 1 %' : 'below the 1 % line, at most 1 %';
      case 'none':
        return `${side === 'lo' ? 'at least' : 'at most'} ${pct(value)}`;
    }
  };
  switch (reason.kind) {
    case 'bounds':
      return `${label(reason.item)} would have to be ${why(reason.item, 'lo')} yet ${why(reason.item, 'hi')}`;
    case 'order':
      return `${label(reason.upper)} is ${why(reason.upper, 'hi')}, so ${label(reason.lower)}, listed after it, cannot be ${why(reason.lower, 'lo')}`;
    case 'total':
      return reason.side === 'over'
        ? `the ingredients' least levels already add up to ${pct(reason.sum)}`
        : `the ingredients' greatest levels add up to only ${pct(reason.sum)}, short of 100 %`;
  }
}

/**
 * The typical bound to give up to resolve a conflict, or null when the conflict is between hard
 * rules only (declared figures, legal limits, the line): the lower ingredient's minimum before the
 * upper one's maximum in an order conflict (a label lists an ingredient lower than its usual
 * level), the largest minimum when the minima add up to too much, the first ingredient's maximum
 * when the maxima fall short.
 */
function typicalToDrop(reason: Infeasibility, input: FormulaInput, problem: SolverProblem, bounds: Bounds[]): [number, 'lo' | 'hi'] | null {
  const typical = (i: number, side: 'lo' | 'hi'): boolean => boundSource(input, problem, bounds, i, side) === 'typical';
  switch (reason.kind) {
    case 'bounds':
      if (typical(reason.item, 'lo')) return [reason.item, 'lo'];
      if (typical(reason.item, 'hi')) return [reason.item, 'hi'];
      return null;
    case 'order': {
      if (typical(reason.lower, 'lo')) return [reason.lower, 'lo'];
      if (typical(reason.upper, 'hi')) return [reason.upper, 'hi'];
      return null;
    }
    case 'total': {
      let pick: number | null = null;
      problem.items.forEach((item, i) => {
        const side = reason.side === 'over' ? 'lo' : 'hi';
        if (!typical(i, side)) return;
        if (pick === null) pick = i;
        else if (side === 'lo' ? item.lo > problem.items[pick]!.lo : false) pick = i;
      });
      return pick === null ? null : [pick, reason.side === 'over' ? 'lo' : 'hi'];
    }
  }
}

function mainPosition(input: FormulaInput, index: number): number {
  let position = 0;
  for (let i = 0; i <= index; i++) if (input.items[i]!.section === 'main') position++;
  return position;
}

/**
 * A list that opens with ingredients declared with percentages, as US Drug Facts labels print
 * their active ingredients before the inactive ones, is not one descending list: the opening
 * declared run is taken apart from the order, like an "active" section.
 */
export function separateOpeningActives(input: FormulaInput, warnings: string[]): FormulaInput {
  let run = 0;
  while (run < input.items.length && input.items[run]!.section === 'main' && input.items[run]!.declared !== null) run++;
  if (run === 0) return input;
  const declaredSum = input.items.slice(0, run).reduce((s, item) => s + item.declared!, 0);
  if (declaredSum >= 50) return input;
  warnings.push(`The list opens with ${run} declared ingredient${run === 1 ? '' : 's'} (${pct(declaredSum)} together), as US labels list active ingredients first; ${run === 1 ? 'it is' : 'they are'} taken apart from the descending order.`);
  return { ...input, items: input.items.map((item, i) => (i < run ? { ...item, section: 'active' as const } : item)) };
}

/** How far a label's figures may add up away from 100 % and still be read as the whole formula (rounding). */
const ROUNDING_TOLERANCE = 0.5;

/**
 * A label that declares every ingredient's percentage is its own formula: kept as declared when
 * the figures add up to 100 % within rounding (said when they are not exactly 100), else null
 * (the estimate then explains why no formula fits).
 */
function fullyDeclared(input: FormulaInput, warnings: string[]): Formula | null {
  if (!input.items.length || input.items.some((item) => item.declared === null)) return null;
  const total = input.items.reduce((s, item) => s + item.declared!, 0);
  if (Math.abs(total - 100) > ROUNDING_TOLERANCE) return null;
  if (Math.abs(total - 100) > 1e-9) warnings.push(`Every percentage is declared on the label; they add up to ${Number(total.toFixed(4))} %, taken as rounding.`);
  let aboveLine = 0;
  for (const item of input.items) if (item.section === 'main' && item.declared! > 1) aboveLine++;
  const lines = input.items.map((item, index) => {
    const flags: LineFlag[] = ['declared'];
    if (!item.level) flags.unshift('unknown');
    else if (item.level.source === 'class') flags.unshift('class-level');
    const limit = lowestLimit(item.limits);
    if (limit && item.declared! > limit.max + 1e-9) flags.push('declared-over-limit');
    if (item.allergen) flags.push('allergen');
    return lineFor(item, index, item.declared!, [item.declared!, item.declared!], flags);
  });
  return { status: 'estimated', productType: input.productType, aboveLine, lines, conflicts: [], warnings };
}

/** Estimates the draft formula of a list. Never throws on a list: an impossible one is 'infeasible' with reasons. */
export function estimateFormula(original: FormulaInput): Formula {
  const warnings: string[] = [];
  original.items.forEach((item) => {
    const limit = lowestLimit(item.limits);
    if (item.declared !== null && limit && item.declared > limit.max + 1e-9) {
      warnings.push(`${item.name} is declared at ${pct(item.declared)}, above its ${limit.origin === 'user' ? 'in-house' : 'legal'} maximum of ${pct(limit.max)} for ${original.productType} products (${limit.annex}${limit.condition ? `: ${limit.condition}` : ''})`);
    }
  });
  const input = separateOpeningActives(original, warnings);
  const fully = fullyDeclared(input, warnings);
  if (fully) return fully;
  if (!input.items.some((item) => item.section === 'main' && item.declared === null)) {
    // Nothing is left to balance the declared figures: only part of the formula is listed.
    const declared = input.items.reduce((s, item) => s + (item.declared ?? 0), 0);
    if (input.items.every((item) => item.declared !== null) && Math.abs(declared - 100) > 0.01) {
      return {
        status: 'infeasible',
        productType: input.productType,
        aboveLine: null,
        lines: input.items.map((item, index) => lineFor(item, index, null, null, [])),
        conflicts: [`every listed ingredient is declared and together they make ${pct(declared)}: the rest of the formula is not listed`],
        warnings,
      };
    }
    if (!input.items.some((item) => item.section === 'main')) {
      return {
        status: 'infeasible',
        productType: input.productType,
        aboveLine: null,
        lines: input.items.map((item, index) => lineFor(item, index, null, null, [])),
        conflicts: ['the list holds only ingredients declared apart (actives); the rest of the formula is not listed'],
        warnings,
      };
    }
  }
  const relaxed: Relaxed = new Map();
  const conflicts: string[] = [];
  let bounds = itemBounds(input, relaxed);
  let found: Best | null = null;
  for (let round = 0; round <= 2 * input.items.length + 2; round++) {
    const { best, closest } = bestLine(input, bounds);
    if (best) {
      found = best;
      break;
    }
    if (!closest) break;
    conflicts.push(describe(closest.reason, input, closest.problem, bounds));
    const drop = typicalToDrop(closest.reason, input, closest.problem, bounds);
    if (!drop) break;
    const sides = relaxed.get(drop[0]) ?? new Set();
    sides.add(drop[1]);
    relaxed.set(drop[0], sides);
    bounds = itemBounds(input, relaxed);
  }
  if (!found) {
    return {
      status: 'infeasible',
      productType: input.productType,
      aboveLine: null,
      lines: input.items.map((item, index) => lineFor(item, index, null, null, [])),
      conflicts: conflicts.slice(-1),
      warnings,
    };
  }
  const status: Formula['status'] = relaxed.size > 0 ? 'relaxed' : 'estimated';
  const best = found;
  // The range of each ingredient over every placement of the line that admits a formula.
  const ranges = input.items.map(() => [Infinity, -Infinity] as [number, number]);
  const mainLength = input.items.filter((i) => i.section === 'main').length;
  for (let above = 0; above <= mainLength; above++) {
    const problem = above === best.above ? best.problem : problemFor(input, bounds, above);
    const env = envelope(problem);
    input.items.forEach((_, i) => {
      const range = feasibleRange(problem, i, env);
      if (!range) return;
      ranges[i]![0] = Math.min(ranges[i]![0], range[0]);
      ranges[i]![1] = Math.max(ranges[i]![1], range[1]);
    });
  }
  const lines = input.items.map((item, index) => {
    const value = best.x[index]!;
    const flags: LineFlag[] = [];
    if (!item.level) flags.push('unknown');
    else if (item.level.source === 'class') flags.push('class-level');
    if (item.declared !== null) flags.push('declared');
    const limit = lowestLimit(item.limits);
    if (item.declared !== null && limit && item.declared > limit.max + 1e-9) flags.push('declared-over-limit');
    else if (limit && value >= limit.max - 1e-6) flags.push('at-limit');
    if (relaxed.has(index) && item.level && (value < item.level.min - 1e-6 || value > item.level.max + 1e-6)) flags.push('outside-typical');
    if (item.allergen) flags.push('allergen');
    return lineFor(item, index, value, ranges[index]!, flags);
  });
  return { status, productType: input.productType, aboveLine: best.above, lines, conflicts, warnings };
}

function lineFor(item: FormulaItem, index: number, value: number | null, range: [number, number] | null, flags: LineFlag[]): FormulaLine {
  const limit = lowestLimit(item.limits);
  return {
    position: index + 1,
    name: item.name,
    section: item.section,
    estimate: value,
    low: range ? range[0] : null,
    high: range ? range[1] : null,
    declared: item.declared,
    typical: item.level ? { min: item.level.min, max: item.level.max, usual: item.level.usual } : null,
    levelSource: item.level?.source ?? null,
    limit: limit ? { max: limit.max, annex: limit.annex, condition: limit.condition } : null,
    phase: item.level?.phase ?? null,
    prep: item.level?.prep ?? null,
    flags,
  };
}
