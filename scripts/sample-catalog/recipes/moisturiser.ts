/** Moisturisers: O/W creams and lotions, gel-creams, barrier creams, W/O night creams. */
import { MOISTURISER_HEROES } from '../heroes';
import { aqueous, claimHero, emulsion, heroLabel, heroName, POWDERS, preserve, scent } from '../phases';
import { add, maybe, oneOrTwo, recipe, role, when } from '../recipe';

/** An O/W cream claimed on one hero. */
export const moisturiserCream = recipe({
  steps: [
    aqueous([2, 3], 0.5),
    claimHero(MOISTURISER_HEROES),
    emulsion([1, 1.8]),
    when((b) => b.hero!.label === 'Ceramide', role('barrier', [2, 3])),
    maybe(0.5, role('soothing')),
    add('Tocopherol', [0.05, 0.5]),
    preserve,
    maybe(0.4, role('acidBuffer')),
    scent(0.4),
  ],
  name: heroName(['Cream', 'Face Cream', 'Day Cream', 'Moisturiser']),
  extras: ['extract', 'soothing', 'barrier', 'humectant', 'oilExtract', 'peptide', 'active'],
});

/** A lighter O/W lotion claimed on one hero. */
export const moisturiserLotion = recipe({
  steps: [
    aqueous([2, 3], 0.6),
    claimHero(MOISTURISER_HEROES),
    emulsion([0.6, 1]),
    maybe(0.5, role('carbomer')),
    maybe(0.4, role('absorbent', 1, { filter: POWDERS })),
    preserve,
    scent(0.35),
  ],
  name: heroName(['Lotion', 'Fluid', 'Daily Lotion']),
  extras: ['extract', 'soothing', 'barrier', 'humectant', 'oilExtract', 'active'],
});

/** A gel-cream: light emollients in a polymer-emulsified gel. */
export const moisturiserGelCream = recipe({
  steps: [
    aqueous([2, 4], 0.8),
    claimHero(MOISTURISER_HEROES),
    role('ester', [1, 2], { scale: 0.5 }),
    maybe(0.7, role('silicone', [1, 2], { scale: 0.6 })),
    role('polymerEmulsifier'),
    maybe(0.4, role('polymerEmulsifier', 1, { scale: 0.6 })),
    maybe(0.5, role('thickener')),
    maybe(0.5, role('absorbent', 1, { filter: POWDERS })),
    preserve,
    scent(0.35),
  ],
  name: [heroLabel, ({ rng, hero }) => rng.pick(['Water', ...hero!.adjectives]), 'Gel-Cream'],
  extras: ['extract', 'soothing', 'humectant', 'hyaluronate', 'active', 'barrier'],
});

/** A rich barrier-repair cream: ceramides, cholesterol and an occlusive. */
export const moisturiserBarrier = recipe({
  steps: [
    aqueous([2, 3], 0.4),
    add('Ceramide NP'),
    role('barrier', [2, 4]),
    add('Cholesterol'),
    add(['Petrolatum', 'Butyrospermum Parkii Butter', 'Squalane', 'Mineral Oil']),
    emulsion([1.5, 2.2]),
    maybe(0.6, role('occlusive')),
    add('Tocopherol', [0.05, 0.5]),
    maybe(0.5, add('Niacinamide', [2, 4])),
    role('soothing'),
    preserve,
  ],
  name: [['Ceramide', 'Lipid'], ['Barrier Repair', 'Intensive', 'Restoring'], ['Cream', 'Balm-Cream']],
  extras: ['soothing', 'barrier', 'extract', 'humectant', 'oilExtract'],
});

/** A water-in-oil night cream. */
export const moisturiserWaterInOil = recipe({
  steps: [
    aqueous([2, 3], 0.3),
    // Water-in-oil night cream: silicone or polyglyceryl W/O emulsifier plus salt for stability.
    role('emulsifierWO', oneOrTwo(0.5)),
    role('electrolyte'),
    role('ester', [2, 3], { scale: 0.8 }),
    role('oil', [1, 2]),
    maybe(0.5, role('silicone', 1)),
    maybe(0.6, role('occlusive')),
    maybe(0.6, role('butter')),
    claimHero(MOISTURISER_HEROES.filter((h) => h.label !== 'Hyaluronic')),
    maybe(0.4, add(['Retinol', 'Retinyl Propionate', 'Hydroxypinacolone Retinoate'])),
    add('Tocopherol', [0.1, 0.5]),
    preserve,
    scent(0.3),
  ],
  name: [heroLabel, ['Night', 'Rich', 'Overnight'], 'Cream'],
  extras: ['oilExtract', 'soothing', 'barrier', 'extract', 'peptide'],
});
