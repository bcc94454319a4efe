/** Sunscreens: mineral, organic-filter and hybrid. */
import { aqueous, POWDERS, preserve, scent } from '../phases';
import { add, all, branch, either, except, maybe, recipe, role } from '../recipe';

/** Sunscreen bases share humectants, a film former and skin feel. */
const sunBase = all(
  aqueous([1, 3], 0.4),
  role('uvAid', [1, 2]),
  maybe(0.6, role('absorbent', 1, { filter: POWDERS })),
  add('Tocopherol', [0.1, 0.5]),
);

/** A zinc oxide (and maybe titanium dioxide) sunscreen, O/W or W/O. */
export const sunMineral = recipe({
  steps: [
    sunBase,
    add('Zinc Oxide', [12, 25]),
    maybe(0.5, add('Titanium Dioxide', [2, 8])),
    add(['Triethoxycaprylylsilane', 'Polyhydroxystearic Acid', 'Alumina']),
    branch(
      0.4,
      [role('emulsifierWO', 1), role('electrolyte'), role('silicone', [1, 2])],
      [role('emulsifier', [1, 2]), role('fattyAlcohol', 1, { scale: 0.6 }), role('thickener')],
    ),
    role('ester', [2, 3]),
    preserve,
  ],
  name: ['Mineral', ['Sheer', 'Daily', 'Sensitive'], ['Sunscreen SPF 30', 'Sunscreen SPF 50', 'Sun Fluid SPF 30']],
  extras: ['soothing', 'extract', 'humectant', 'antioxidant'],
});

/** An organic-filter sunscreen, on avobenzone or on a triazine. */
export const sunChemical = recipe({
  steps: [
    sunBase,
    // Avobenzone is the UVA anchor; octocrylene / triazines stabilise it, salicylates carry it.
    branch(
      0.55,
      [
        add('Butyl Methoxydibenzoylmethane', [2, 3]),
        add('Homosalate', [5, 10]),
        add('Ethylhexyl Salicylate', [3, 5]),
        maybe(0.7, add('Octocrylene', [3, 10])),
      ],
      [add('Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine', [2, 5]), role('uvOrganic', [2, 3], { filter: except('Ensulizole') })],
    ),
    // Ensulizole is an acid: it comes with its neutraliser.
    maybe(0.15, add('Ensulizole'), add(['Triethanolamine', 'Tromethamine', 'Sodium Hydroxide'], 0.5)),
    role('emulsifier', [1, 2]),
    maybe(0.5, role('polymerEmulsifier')),
    role('ester', [1, 3], { scale: 0.7 }),
    maybe(0.5, role('silicone')),
    maybe(0.5, role('fattyAlcohol', 1, { scale: 0.5 })),
    preserve,
    scent(0.25),
  ],
  name: [['Daily', 'Invisible', 'Broad Spectrum', 'Lightweight'], ['UV', 'Sport', 'Defence'], ['Sunscreen SPF 50', 'Sun Lotion SPF 30', 'Sun Gel-Cream SPF 50']],
  extras: ['soothing', 'extract', 'humectant', 'antioxidant', 'active'],
});

/** A sunscreen with zinc oxide and organic filters. */
export const sunHybrid = recipe({
  steps: [
    sunBase,
    add('Zinc Oxide', [5, 12]),
    role('uvOrganic', [2, 3], { filter: except('Ensulizole', 'Homosalate') }),
    role('emulsifier', 1),
    role(either(0.5, 'polymerEmulsifier', 'emulsifierWO')),
    role('ester', [1, 2]),
    role('thickener'),
    maybe(0.5, add('Niacinamide', [2, 4])),
    preserve,
  ],
  name: [['Hybrid', 'Tinted', 'Daily'], ['Sheer', 'Protect', 'Shield'], ['Sun Fluid SPF 50', 'Sunscreen SPF 30']],
  extras: ['soothing', 'extract', 'humectant', 'antioxidant', 'active'],
});
