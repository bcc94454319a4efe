/** Exfoliants: leave-on acid toners, peel serums and enzyme masks. */
import { pickPopular } from '../formula';
import { aqueous, hasFragrance, preserve, scent, upperHalf } from '../phases';
import { add, either, except, maybe, only, recipe, role, roles, when, type Bench, type Step } from '../recipe';

/** The acids a leave-on exfoliant is claimed on, with their names on pack. */
const ACID_LABELS: Readonly<Record<string, string>> = {
  'Glycolic Acid': 'Glycolic',
  'Lactic Acid': 'Lactic',
  'Mandelic Acid': 'Mandelic',
  'Salicylic Acid': 'BHA',
  Gluconolactone: 'PHA',
  'Lactobionic Acid': 'PHA',
};

/** The declared acid is the point of the product: it sits in the top half of its range. */
const claimAcid: Step = (b) => {
  const acid = pickPopular(b.rng, 'acid', Object.keys(ACID_LABELS));
  b.f.add(acid.inci, upperHalf(b.rng, acid));
  b.hero = { inci: acid.inci, label: ACID_LABELS[acid.inci]!, adjectives: [] };
};

const claimsSalicylic = (b: Bench): boolean => b.hero!.inci === 'Salicylic Acid';

/** Marketed strength: whole percent for AHAs, nearest half percent for BHA. */
function acidStrengthLabel({ f, hero }: Bench): string {
  const level = f.levels.get(hero!.inci)!;
  const pct = level >= 3 ? Math.round(level) : Math.round(level * 2) / 2;
  return `${pct}% ${hero!.label}`;
}

/** A leave-on acid toner named after its acid and strength. */
export const exfoliantLeaveOn = recipe({
  steps: [
    aqueous([1, 3], 0.4),
    claimAcid,
    maybe(0.5, role('acid', 1, { scale: 0.4, filter: except('Papain') })),
    // Partial neutralisation sets the pH around 3.5–4.
    role('base'),
    maybe(0.4, role('aqueousBase')),
    when(claimsSalicylic, maybe(0.5, role('solvent', 1, { scale: 0.5 }))),
    role('soothing', [1, 2]),
    maybe(0.4, role('thickener', 1, { scale: 0.4 })),
    preserve,
    scent(0.2),
    when((b) => hasFragrance(b) || claimsSalicylic(b), role('solubiliser')),
  ],
  name: [acidStrengthLabel, ['Resurfacing', 'Exfoliating', 'Smoothing', 'Renewing'], ['Toner', 'Liquid Exfoliant', 'Solution']],
  extras: ['extract', 'soothing', 'humectant', 'hyaluronate'],
});

const POLYHYDROXY_ACIDS = ['Gluconolactone', 'Lactobionic Acid'];

/** A peel is named after its one acid, or after the families of the acids it blends. */
function peelLabel({ f }: Bench): string {
  const acids = f.namesOfRole('acid');
  if (acids.length === 1) return acids[0]!.replace(' Acid', '');
  if (acids.includes('Salicylic Acid')) return 'AHA/BHA';
  if (acids.every((a) => POLYHYDROXY_ACIDS.includes(a))) return 'PHA';
  return acids.some((a) => POLYHYDROXY_ACIDS.includes(a)) ? 'AHA/PHA' : 'AHA';
}

/** A peel serum or gel with one or two acids. */
export const exfoliantSerumGel = recipe({
  steps: [
    aqueous([2, 3], 0.7),
    role('acid', [1, 2], { filter: (i) => i.weight >= 1, scale: 0.8 }),
    maybe(0.4, add('Niacinamide', [2, 4])),
    role(either(0.5, 'thickener', 'polymerEmulsifier')),
    roles('base', 'soothing'),
    preserve,
  ],
  name: [peelLabel, ['Resurfacing', 'Overnight', 'Smoothing'], ['Peel Serum', 'Exfoliating Gel']],
  extras: ['extract', 'soothing', 'humectant', 'hyaluronate', 'peptide'],
});

/** A rinse-off fruit enzyme mask. */
export const exfoliantEnzymeMask = recipe({
  steps: [
    aqueous([1, 2], 0.3),
    add('Papain'),
    add(['Carica Papaya Fruit Extract', 'Ananas Sativus Fruit Extract']),
    role('acid', 1, { filter: only('Lactic Acid', 'Mandelic Acid', 'Gluconolactone', 'Malic Acid'), scale: 0.6 }),
    role('clay', 1, { scale: 0.5 }),
    roles('thickener', 'base'),
    preserve,
  ],
  name: ['Fruit Enzyme', ['Polishing', 'Radiance'], 'Exfoliating Mask'],
  rinseOff: true,
  extras: ['extract', 'soothing', 'humectant'],
});
