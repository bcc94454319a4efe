/**
 * The formula rules: what every draft must satisfy whatever its recipe forgot (preservative with
 * water, emulsifier when oil meets water, antioxidant in oils, pH adjuster with acids), and how a
 * draft is padded with supporting ingredients up to a realistic declaration length.
 */
import { entryOf } from './formula';
import type { Draft } from './recipe';
import type { Rng } from './rng';
import type { Ingredient, Role } from './vocabulary';

/** Roles that make up an oil phase: when one of these meets water the formula needs an emulsifier. */
export const OIL_PHASE_ROLES: ReadonlySet<Role> = new Set<Role>(['oil', 'ester', 'silicone', 'butter', 'occlusive', 'oilExtract']);
/** Roles that can carry an oil phase into water. */
export const EMULSIFIER_ROLES: ReadonlySet<Role> = new Set<Role>([
  'emulsifier',
  'emulsifierWO',
  'polymerEmulsifier',
  'solubiliser',
  'oilCleanserEmulsifier',
  'surfactant',
  'cosurfactant',
]);

/** How many ingredients of a role padding may bring a formula up to (a formulator stops somewhere). */
const PAD_CAPS: Partial<Record<Role, number>> = {
  humectant: 5,
  hyaluronate: 2,
  extract: 6,
  soothing: 4,
  barrier: 5,
  peptide: 4,
  oil: 7,
  oilExtract: 5,
  cleanserAid: 4,
  antioxidant: 2,
  active: 3,
};

/** Glycol-type humectants: two or three per formula is plenty, so padding never adds more. */
const GLYCOLS: ReadonlySet<string> = new Set(['Glycerin', 'Butylene Glycol', 'Propanediol', 'Pentylene Glycol', 'Propylene Glycol', 'Diglycerin', 'Sorbitol']);

/** Water-soluble actives that sit well as a second, supporting active in almost any base. */
export const SUPPORT_ACTIVES: ReadonlySet<string> = new Set([
  'Adenosine',
  'Acetyl Glucosamine',
  'Caffeine',
  'Zinc PCA',
  'Hydroxypropyl Tetrahydropyrantriol',
  'Ascorbyl Glucoside',
  'Alpha-Arbutin',
  'Tranexamic Acid',
  'Niacinamide',
]);

/**
 * Applies the rules every draft must satisfy, whatever the recipe forgot:
 * preservative with water, emulsifier when oil meets water, tocopherol in anhydrous oils,
 * a pH adjuster with acids or carbomer.
 */
export function enforceRules(d: Draft, rng: Rng): void {
  const f = d.formula;
  const roles = new Set(f.names().map((n) => entryOf(n).role));
  const hasWater = f.has('Water');
  if (hasWater && !roles.has('preservative')) f.addRole('preservative');
  const hasOil = f.names().some((n) => OIL_PHASE_ROLES.has(entryOf(n).role)) || f.has('Tocopherol') || roles.has('fragrance');
  if (hasWater && hasOil && ![...roles].some((r) => EMULSIFIER_ROLES.has(r))) {
    // Small oil-soluble additions in a clear product are solubilised, real oil phases emulsified.
    const oilLoad = f.names().filter((n) => OIL_PHASE_ROLES.has(entryOf(n).role)).reduce((s, n) => s + (f.levels.get(n) ?? 0), 0);
    f.addRole(oilLoad > 1 ? 'polymerEmulsifier' : 'solubiliser');
  }
  if (d.anhydrous && !f.has('Tocopherol')) f.add('Tocopherol', rng.range(0.1, 0.5));
  const acidic = f.names().some((n) => {
    const e = entryOf(n);
    return e.role === 'acid' || e.role === 'carbomer' || ['Ascorbic Acid', 'Azelaic Acid', 'Ferulic Acid', 'Ensulizole', 'Acrylates/C10-30 Alkyl Acrylate Crosspolymer'].includes(n);
  });
  if (acidic && !f.hasRole('base')) f.addRole('base');
}

/** Pads the declaration with supporting ingredients up to a realistic length. */
export function padToLength(d: Draft, rng: Rng, target: number): void {
  const f = d.formula;
  let guard = 0;
  let paddedActive = false;
  const full = (r: Role): boolean => f.countRole(r) >= (PAD_CAPS[r] ?? 4) || (r === 'active' && paddedActive);
  while (f.count() < target && guard++ < 200) {
    const role = rng.pick(d.extras);
    // Supporting ingredients go in at modest levels so they never crowd the water phase.
    const scale = ['humectant', 'oil', 'active'].includes(role) ? 0.4 : 1;
    const filter = (i: Ingredient): boolean =>
      // Padding only adds supporting actives and minor (non-glycol) humectants; anhydrous
      // products only take oil-soluble additions.
      (role !== 'active' || SUPPORT_ACTIVES.has(i.inci)) &&
      (role !== 'humectant' || !GLYCOLS.has(i.inci)) &&
      (!d.anhydrous || OIL_PHASE_ROLES.has(i.role)) &&
      // Retinoids are never an afterthought, and pointless in a rinse-off product.
      !(d.rinseOff && i.inci === 'Retinyl Palmitate') &&
      !(f.names().some((n) => /^Retin/.test(n)) && i.inci === 'Retinyl Palmitate');
    if (full(role)) {
      // This role is full; stop once every padding role is full.
      if (d.extras.every(full)) break;
      continue;
    }
    if (role === 'active') paddedActive = true;
    f.addRole(role, 1, { scale, filter });
  }
}
