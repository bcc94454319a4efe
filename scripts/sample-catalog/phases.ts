/**
 * Phases that many recipes share: the aqueous backbone, preservation, scent, an O/W emulsion
 * core, the claimed hero, and the name parts that come from it. Each is written once here and
 * used as a step in the recipes.
 */
import { entryOf } from './formula';
import { except, only, role, when, type Bench, type Hero, type NamePart, type Recipe, type Signature, type Step } from './recipe';
import type { Rng } from './rng';
import type { Ingredient } from './vocabulary';

/** The usual aqueous-phase backbone: water q.s., humectants, maybe a hyaluronate, a chelator. */
export function aqueous(humectants: readonly [number, number], hyaluronate = 0.6): Step {
  return ({ f, rng }) => {
    f.qs = 'Water';
    let n = rng.int(humectants[0], humectants[1]);
    // Glycerin is in the large majority of leave-on aqueous products; glycols come second.
    if (rng.chance(0.8)) {
      f.addRole('humectant', 1, { filter: (i) => i.inci === 'Glycerin' });
      n--;
    }
    f.addRole('humectant', n, { scale: 0.7 });
    if (rng.chance(hyaluronate)) f.addRole('hyaluronate', rng.chance(0.3) ? 2 : 1);
    if (rng.chance(0.85)) f.addRole('chelator');
  };
}

/** Preservation for any water-containing product: a preservative and often a booster. */
export const preserve: Step = ({ f, rng }) => {
  f.addRole('preservative', rng.chance(0.35) ? 2 : 1);
  if (rng.chance(0.7)) f.addRole('booster', rng.chance(0.3) ? 2 : 1);
};

/** Optional fragrance (with probability p) with the allergens that usually come with it on the label. */
export function scent(p: number): Step {
  return ({ f, rng }) => {
    if (!rng.chance(p)) return;
    f.addRole('fragrance');
    f.addRole('allergen', rng.int(0, 3));
  };
}

/** Whether the formula is scented. */
export function hasFragrance(b: Bench): boolean {
  return b.f.hasRole('fragrance');
}

/** A clear product solubilises its fragrance. */
export const solubiliseFragrance: Step = when(hasFragrance, role('solubiliser'));

/**
 * A consistency-giving O/W emulsion core: oils, emulsifier(s), fatty alcohol. Richness is drawn
 * from the range: above 1 it brings butter and full-strength consistency factors.
 */
export function emulsion(richnessRange: readonly [number, number]): Step {
  return ({ f, rng }) => {
    const richness = rng.range(richnessRange[0], richnessRange[1]);
    const emollients = Math.max(1, Math.round(richness * rng.range(2, 4)));
    f.addRole('ester', Math.ceil(emollients / 2), { scale: 0.7 });
    f.addRole('oil', Math.floor(emollients / 2), { scale: 0.7 });
    if (rng.chance(0.6)) f.addRole('silicone', 1, { scale: 0.6 });
    if (richness > 1 && rng.chance(0.6)) f.addRole('butter');
    f.addRole('emulsifier', rng.chance(0.6) ? 2 : 1, { scale: 0.8 });
    f.addRole('fattyAlcohol', rng.chance(0.5) ? 2 : 1, { scale: richness > 1 ? 1 : 0.6 });
    if (rng.chance(0.7)) f.addRole('thickener');
  };
}

/** A level in the upper half of an ingredient's range: where a claimed ingredient sits. */
export function upperHalf(rng: Rng, entry: Ingredient): number {
  return rng.range((entry.min + entry.max) / 2, entry.max);
}

/** Picks one hero and adds it at a claimed level (scaled by `boost`, never above its maximum). */
export function claimHero(heroes: readonly Hero[], boost = 1): Step {
  return (b) => {
    const hero = b.rng.pick(heroes);
    const entry = entryOf(hero.inci);
    // Hero actives are claimed on pack, so they sit in the upper half of their range.
    b.f.add(hero.inci, Math.min(entry.max, upperHalf(b.rng, entry) * boost));
    b.hero = hero;
  };
}

/** Picks one signature and adds it unless the formula already has it. */
export function signature(signatures: readonly Signature[]): Step {
  return (b) => {
    const s = b.rng.pick(signatures);
    if (!b.f.has(s.inci)) b.f.add(s.inci, s.level ? b.rng.range(s.level[0], s.level[1]) : undefined);
    b.signature = s;
  };
}

/** The claimed hero's label. */
export const heroLabel = (b: Bench): string => b.hero!.label;
const heroAdjective = (b: Bench): string => b.rng.pick(b.hero!.adjectives);

/** The usual name of a product claimed on a hero: its label, one of its adjectives, the noun. */
export function heroName(noun: NamePart): Recipe['name'] {
  return [heroLabel, heroAdjective, noun];
}

/** The name of a product named after a signature: its label, its claim, the noun. */
export function signatureName(noun: NamePart): Recipe['name'] {
  return [(b) => b.signature!.label, (b) => b.signature!.adjective, noun];
}

/** Mattifying powders, as opposed to the scrub particles among the absorbents. */
export const POWDERS = except('Jojoba Esters', 'Cellulose');
/** Scrub particles for exfoliating cleansers. */
export const SCRUB = only('Jojoba Esters', 'Cellulose');
