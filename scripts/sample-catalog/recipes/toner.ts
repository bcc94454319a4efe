/** Toners: hydrating, essence and clarifying. */
import { aqueous, hasFragrance, preserve, scent, solubiliseFragrance } from '../phases';
import { add, maybe, recipe, role, when, type Bench } from '../recipe';

/** A hydrating toner is named after its floral water or juice, or else after what it does. */
function hydratingTonerLabel({ f, rng }: Bench): string {
  const base = f.namesOfRole('aqueousBase')[0];
  if (base?.startsWith('Rosa')) return 'Rose';
  if (base?.startsWith('Hamamelis')) return 'Witch Hazel';
  if (base?.startsWith('Galactomyces')) return 'Ferment';
  if (base?.startsWith('Aloe')) return 'Aloe';
  return rng.pick(['Hyaluronic', 'Hydrating', 'Milky']);
}

/** A hydrating toner, often on a floral water or juice. */
export const tonerHydrating = recipe({
  steps: [
    aqueous([1, 3], 0.6),
    maybe(0.5, role('aqueousBase')),
    maybe(0.5, role('soothing')),
    maybe(0.3, role('thickener', 1, { scale: 0.3 })),
    maybe(0.4, role('acidBuffer')),
    preserve,
    scent(0.35),
    solubiliseFragrance,
  ],
  name: [hydratingTonerLabel, ['Hydrating', 'Softening', 'Refreshing', 'Balancing'], ['Toner', 'Essence', 'Facial Mist']],
  extras: ['extract', 'soothing', 'humectant', 'hyaluronate'],
});

/** An essence toner on a ferment or a plant water, with one active. */
export const tonerEssence = recipe({
  steps: [
    aqueous([2, 3], 0.7),
    add(['Galactomyces Ferment Filtrate', 'Centella Asiatica Leaf Water', 'Aloe Barbadensis Leaf Juice']),
    add(['Niacinamide', 'Panthenol', 'Betaine', 'Adenosine', 'Alpha-Arbutin']),
    role('thickener', 1, { scale: 0.3 }),
    preserve,
    scent(0.2),
    solubiliseFragrance,
  ],
  // The base picked above is the only one in the formula, so it names the product.
  name: [
    ({ f }) => (f.has('Galactomyces Ferment Filtrate') ? 'Ferment' : f.has('Centella Asiatica Leaf Water') ? 'Centella' : 'Aloe'),
    ['First', 'Treatment', 'Radiance'],
    'Essence Toner',
  ],
  extras: ['extract', 'soothing', 'humectant', 'hyaluronate', 'active'],
});

/** A clarifying toner on one active. */
export const tonerClarifying = recipe({
  steps: [
    aqueous([1, 2], 0.3),
    maybe(0.5, add('Hamamelis Virginiana Water')),
    add(['Niacinamide', 'Zinc PCA', 'Salicylic Acid', 'Gluconolactone']),
    when(({ f }) => f.has('Salicylic Acid') || f.has('Gluconolactone'), role('base')),
    maybe(0.3, role('solvent', 1, { scale: 0.6 })),
    maybe(0.4, role('acidBuffer')),
    preserve,
    scent(0.3),
    when((b) => hasFragrance(b) || b.f.has('Salicylic Acid'), role('solubiliser')),
  ],
  name: [
    ({ f }) => (f.has('Salicylic Acid') ? 'BHA' : f.has('Zinc PCA') ? 'Zinc' : f.has('Gluconolactone') ? 'PHA' : 'Niacinamide'),
    ['Clarifying', 'Pore', 'Balancing', 'Mattifying'],
    'Toner',
  ],
  extras: ['extract', 'soothing', 'humectant'],
});
