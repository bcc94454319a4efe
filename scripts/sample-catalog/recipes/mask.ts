/** Masks: clay, gel, sleeping and peel-off. */
import { MOISTURISER_HEROES } from '../heroes';
import { aqueous, claimHero, heroLabel, preserve, scent } from '../phases';
import { add, either, except, maybe, only, recipe, role } from '../recipe';

/** A kaolin clay mask, maybe with an acid or sulfur. */
export const maskClay = recipe({
  steps: [
    aqueous([1, 2], 0.2),
    add('Kaolin', [12, 30]),
    role('clay', [1, 2]),
    role('emulsifier', 1, { scale: 0.7 }),
    role('fattyAlcohol', 1, { scale: 0.7 }),
    role('ester', 1, { scale: 0.5 }),
    maybe(0.5, role('absorbent', 1, { filter: only('Silica', 'Zea Mays Starch') })),
    maybe(0.4, add('Salicylic Acid', [0.5, 2])),
    maybe(0.3, add('Sulfur', [2, 5])),
    maybe(0.3, role('acidBuffer')),
    role('thickener', 1, { scale: 0.6 }),
    preserve,
    scent(0.4),
    maybe(0.3, role('colourant', 1, { filter: only('CI 77491', 'Chlorophyllin-Copper Complex') })),
  ],
  name: [
    ({ f }) => (f.has('Sulfur') ? 'Sulfur' : f.has('Charcoal Powder') ? 'Charcoal' : f.has('Salicylic Acid') ? 'BHA Clay' : 'Kaolin'),
    ['Purifying', 'Detox', 'Pore-Clearing', 'Mattifying'],
    'Clay Mask',
  ],
  rinseOff: true,
  extras: ['extract', 'soothing', 'active'],
});

/** A hydrating gel mask. */
export const maskGel = recipe({
  steps: [
    aqueous([2, 4], 0.95),
    maybe(0.5, role('aqueousBase')),
    role(either(0.5, 'carbomer', 'thickener')),
    role('thickener', 1, { scale: 0.6 }),
    role('soothing', [1, 2]),
    preserve,
    scent(0.35),
    maybe(0.2, role('colourant')),
  ],
  name: [['Aloe', 'Hyaluronic', 'Cucumber', 'Centella', 'Water'], ['Cooling', 'Hydrating', 'Soothing', 'Quenching'], ['Gel Mask', 'Hydrating Mask']],
  extras: ['extract', 'soothing', 'humectant', 'hyaluronate'],
});

/** A leave-on sleeping mask claimed on one hero. */
export const maskSleeping = recipe({
  steps: [
    aqueous([2, 4], 0.7),
    claimHero(MOISTURISER_HEROES),
    role('ester', [1, 2], { scale: 0.6 }),
    maybe(0.5, role('butter', 1, { scale: 0.6 })),
    role('polymerEmulsifier'),
    maybe(0.5, role('emulsifier', 1, { scale: 0.6 })),
    role('thickener', 1, { scale: 0.6 }),
    preserve,
    scent(0.4),
  ],
  name: [heroLabel, ['Overnight', 'Recovery', 'Sleeping'], ['Sleeping Mask', 'Overnight Mask', 'Cream Mask']],
  extras: ['extract', 'soothing', 'humectant', 'barrier', 'peptide'],
});

/** A polyvinyl alcohol peel-off mask. */
export const maskPeelOff = recipe({
  steps: [
    aqueous([1, 2], 0.2),
    add('Polyvinyl Alcohol'),
    role('solvent'),
    maybe(0.5, role('filmFormer', 1, { filter: except('Polyvinyl Alcohol') })),
    role('thickener', 1, { scale: 0.6 }),
    maybe(0.5, role('clay', 1, { filter: only('Charcoal Powder', 'Kaolin'), scale: 0.3 })),
    role('solubiliser'),
    preserve,
    scent(0.5),
    maybe(0.5, role('colourant')),
  ],
  name: [({ f, rng }) => (f.has('Charcoal Powder') ? 'Charcoal' : rng.pick(['Fruit Enzyme', 'Green Tea', 'Pore'])), ['Peel-Off', 'Clarifying'], 'Peel-Off Mask'],
  rinseOff: true,
  extras: ['extract', 'soothing', 'humectant'],
});
