/** Eye care: gels and creams. */
import { EYE_HEROES } from '../heroes';
import { aqueous, claimHero, emulsion, heroName, preserve } from '../phases';
import { add, either, maybe, recipe, role } from '../recipe';

/** A light gel is no place for retinoids or ceramides: those go in the cream. */
const GEL_HEROES = EYE_HEROES.filter((h) => !['Retinol', 'Hydroxypinacolone Retinoate', 'Bakuchiol', 'Ceramide NP'].includes(h.inci));

/** A light eye gel claimed on one hero (no retinoids or ceramides). */
export const eyeGel = recipe({
  steps: [
    aqueous([2, 3], 0.9),
    claimHero(GEL_HEROES, 0.8),
    role('peptide', [1, 2]),
    role(either(0.5, 'carbomer', 'polymerEmulsifier')),
    role('thickener', 1, { scale: 0.5 }),
    role('soothing'),
    maybe(0.5, role('silicone', 1, { scale: 0.4 })),
    preserve,
  ],
  name: heroName('Eye Gel'),
  extras: ['extract', 'soothing', 'peptide', 'humectant', 'active'],
});

/** An eye cream claimed on one hero, with peptides. */
export const eyeCream = recipe({
  steps: [
    aqueous([2, 3], 0.6),
    claimHero(EYE_HEROES, 0.7),
    emulsion([1, 1.6]),
    role('peptide', [1, 3]),
    maybe(0.6, add('Caffeine')),
    maybe(0.5, role('barrier')),
    add('Tocopherol', [0.05, 0.5]),
    preserve,
  ],
  name: heroName(['Eye Cream', 'Eye Balm-Cream', 'Eye Contour Cream']),
  extras: ['extract', 'soothing', 'peptide', 'barrier', 'humectant', 'oilExtract'],
});
