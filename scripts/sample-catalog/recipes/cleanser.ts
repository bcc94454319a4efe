/** Cleansers: foaming, cream, oil/balm and exfoliating. */
import { CLEANSER_SIGNATURES } from '../heroes';
import { aqueous, emulsion, preserve, scent, SCRUB, signature, signatureName } from '../phases';
import { add, branch, maybe, qs, recipe, role } from '../recipe';

/** A foaming cleanser named after its signature ingredient. */
export const cleanserFoaming = recipe({
  steps: [
    aqueous([1, 2], 0.2),
    // Primary anionic + amphoteric/glucoside for mildness; total active matter ~8–20 %.
    role('surfactant', [1, 2]),
    role('cosurfactant', [1, 2]),
    role('cleanserAid', [1, 3]),
    maybe(0.5, role('thickener', 1, { scale: 0.6 })),
    signature(CLEANSER_SIGNATURES),
    // A salicylic cleanser always needs its pH set; the others often do.
    ({ f, rng, signature: s }) => {
      if (s!.inci === 'Salicylic Acid' || rng.chance(0.6)) f.addRole('acidBuffer');
    },
    preserve,
    scent(0.55),
    maybe(0.25, role('colourant', [1, 2])),
  ],
  name: signatureName(['Foaming Cleanser', 'Gel Cleanser', 'Face Wash']),
  rinseOff: true,
  extras: ['extract', 'soothing', 'humectant', 'cleanserAid'],
});

/** A cream cleanser: mild surfactants in a light emulsion. */
export const cleanserCream = recipe({
  steps: [
    aqueous([1, 3], 0.2),
    role('surfactant', 1, { scale: 0.8 }),
    role('cosurfactant', [1, 2]),
    emulsion([0.7, 1.2]),
    maybe(0.5, role('barrier', 1)),
    preserve,
    maybe(0.5, role('acidBuffer')),
    scent(0.4),
  ],
  name: [['Ceramide', 'Oat', 'Hydrating', 'Milky'], ['Gentle', 'Cream', 'Nourishing'], ['Cream Cleanser', 'Cleansing Milk', 'Cleansing Lotion']],
  rinseOff: true,
  extras: ['extract', 'soothing', 'oilExtract', 'humectant'],
});

/** Oil cleansers are named after the first of these plant oils they contain. */
const OIL_NAMES: readonly [genus: string, name: string][] = [
  ['Simmondsia', 'Jojoba'],
  ['Olea', 'Olive'],
  ['Argania', 'Argan'],
  ['Prunus', 'Almond'],
  ['Carthamus', 'Safflower'],
  ['Helianthus', 'Sunflower'],
];

/** A cleansing oil that rinses off, or a balm when set with butter and wax. */
export const cleanserOil = recipe({
  steps: [
    qs(['Caprylic/Capric Triglyceride', 'Ethylhexyl Palmitate', 'Helianthus Annuus Seed Oil', 'Olea Europaea Fruit Oil', 'Carthamus Tinctorius Seed Oil']),
    role('oilCleanserEmulsifier', [1, 2]),
    role('oil', [2, 4]),
    role('ester', [1, 2]),
    add('Tocopherol', [0.1, 0.5]),
    role('oilExtract', [1, 2]),
    // A balm is the same system set with butter and wax.
    maybe(0.35, role('butter', 1), add('Beeswax', [2, 3])),
    scent(0.45),
  ],
  name: [
    ({ f }) => OIL_NAMES.find(([genus]) => f.names().some((n) => n.startsWith(genus)))?.[1] ?? 'Botanical',
    ['Melting', 'Gentle', 'Deep'],
    // Only a balm has beeswax.
    ({ f }) => (f.has('Beeswax') ? 'Cleansing Balm' : 'Cleansing Oil'),
  ],
  anhydrous: true,
  rinseOff: true,
  extras: ['oilExtract', 'oil'],
});

/** A cleanser with scrub particles and a little acid. */
export const cleanserExfoliating = recipe({
  steps: [
    aqueous([1, 2], 0.1),
    role('surfactant', [1, 2]),
    role('cosurfactant', 1),
    role('cleanserAid', [1, 2]),
    role('absorbent', 1, { filter: SCRUB }),
    role('thickener'),
    branch(0.5, [add('Salicylic Acid', [0.5, 2])], [add('Lactic Acid', [2, 5])]),
    role('base'),
    preserve,
    scent(0.5),
  ],
  name: [['Jojoba', 'BHA', 'Smoothing'], ['Polishing', 'Renewing', 'Refining'], 'Exfoliating Cleanser'],
  rinseOff: true,
  extras: ['extract', 'soothing', 'humectant'],
});
