/** Serums: aqueous actives, L-ascorbic acid, retinoid emulsions, face oils, barrier serums. */
import { pickPopular } from '../formula';
import { FACE_OIL_SIGNATURES, SERUM_HEROES } from '../heroes';
import { aqueous, claimHero, heroName, preserve, scent, signature, signatureName } from '../phases';
import { add, either, except, maybe, only, qs, recipe, role, roles } from '../recipe';
import { SUPPORT_ACTIVES } from '../rules';

/** A water-based serum claimed on one hero active, maybe with a supporting one. */
export const serumAqueous = recipe({
  steps: [
    aqueous([1, 3], 0.8),
    claimHero(SERUM_HEROES),
    maybe(0.5, role('active', 1, { filter: only(...SUPPORT_ACTIVES), scale: 0.6 })),
    role(either(0.6, 'thickener', 'carbomer')),
    maybe(0.3, role('thickener')),
    preserve,
    scent(0.25),
  ],
  name: heroName(['Serum', 'Gel Serum', 'Concentrate']),
  extras: ['extract', 'soothing', 'peptide', 'humectant', 'barrier', 'active'],
});

/** An L-ascorbic acid serum: high acid level, glycols, ferulic acid and vitamin E. */
export const serumVitaminC = recipe({
  steps: [
    qs('Water'),
    add('Ascorbic Acid', [8, 20]),
    // L-ascorbic acid serums lean on glycols: they help solubility and stability.
    role('humectant', [2, 3], { filter: except('Urea') }),
    maybe(0.8, add('Ferulic Acid', [0.3, 0.5])),
    maybe(0.7, add('Tocopherol', [0.5, 1])),
    roles('thickener', 'solubiliser', 'chelator'),
    preserve,
  ],
  name: ['Vitamin C', ['Radiance', 'Brightening', 'Antioxidant'], ['Serum', 'Booster']],
  extras: ['extract', 'hyaluronate', 'soothing', 'antioxidant'],
});

/** A light retinoid (or bakuchiol) emulsion held by a polymer emulsifier. */
export const serumRetinoidEmulsion = recipe({
  steps: [
    aqueous([1, 3], 0.6),
    add(['Retinol', 'Retinal', 'Hydroxypinacolone Retinoate', 'Retinyl Propionate', 'Bakuchiol']),
    role('ester', [1, 2], { scale: 0.5 }),
    maybe(0.5, role('silicone', 1, { scale: 0.5 })),
    role('polymerEmulsifier'),
    maybe(0.4, role('emulsifier', 1, { scale: 0.6 })),
    add('Tocopherol', [0.1, 0.5]),
    maybe(0.3, add('BHT')),
    maybe(0.6, role('soothing')),
    preserve,
  ],
  // Only the chosen retinoid is in the formula at this point, so it names the product.
  name: [({ f }) => (f.has('Bakuchiol') ? 'Bakuchiol' : f.has('Retinal') ? 'Retinal' : 'Retinoid'), ['Renewing', 'Night', 'Smoothing', 'Resurfacing'], ['Serum', 'Emulsion']],
  extras: ['extract', 'soothing', 'peptide', 'barrier', 'humectant'],
});

/** An anhydrous face oil named after its signature ingredient. */
export const serumOil = recipe({
  steps: [
    // Anhydrous facial oil: the lead emollient is q.s. and tocopherol protects the unsaturated oils.
    ({ f, rng }) => {
      f.qs = pickPopular(rng, 'ester', ['Squalane', 'Caprylic/Capric Triglyceride', 'Coco-Caprylate/Caprate']).inci;
    },
    role('oil', [3, 6], { scale: 1.2 }),
    add('Tocopherol', [0.2, 1]),
    signature(FACE_OIL_SIGNATURES),
    role('oilExtract', [1, 3]),
    maybe(0.3, role('fragrance')),
  ],
  name: signatureName(['Face Oil', 'Oil Serum']),
  anhydrous: true,
  extras: ['oilExtract', 'oil'],
});

/** A ceramide serum with a little oil phase. */
export const serumBarrier = recipe({
  steps: [
    aqueous([2, 3], 0.7),
    role('barrier', [2, 4]),
    add('Ceramide NP'),
    role('ester', 1, { scale: 0.4 }),
    role('polymerEmulsifier'),
    role('emulsifier', 1, { scale: 0.5, filter: (i) => i.inci === 'Hydrogenated Lecithin' || i.weight >= 2 }),
    maybe(0.6, add('Niacinamide', [2, 5])),
    role('soothing'),
    preserve,
  ],
  name: ['Ceramide', ['Barrier', 'Replenishing', 'Recovery'], 'Serum'],
  extras: ['extract', 'soothing', 'barrier', 'humectant', 'peptide'],
});
