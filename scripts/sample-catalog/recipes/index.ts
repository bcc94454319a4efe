/** The categories of the sample catalog, their declaration lengths and their recipes. */
import type { Chassis } from '../recipe';
import { cleanserCream, cleanserExfoliating, cleanserFoaming, cleanserOil } from './cleanser';
import { exfoliantEnzymeMask, exfoliantLeaveOn, exfoliantSerumGel } from './exfoliant';
import { eyeCream, eyeGel } from './eye-cream';
import { maskClay, maskGel, maskPeelOff, maskSleeping } from './mask';
import { moisturiserBarrier, moisturiserCream, moisturiserGelCream, moisturiserLotion, moisturiserWaterInOil } from './moisturiser';
import { serumAqueous, serumBarrier, serumOil, serumRetinoidEmulsion, serumVitaminC } from './serum';
import { sunChemical, sunHybrid, sunMineral } from './sunscreen';
import { tonerClarifying, tonerEssence, tonerHydrating } from './toner';

/** A product category of the sample catalog. */
export type Category = 'serum' | 'moisturiser' | 'cleanser' | 'sunscreen' | 'mask' | 'toner' | 'eye cream' | 'exfoliant';
/** The categories, in the order the catalog interleaves them. */
export const CATEGORIES: readonly Category[] = ['serum', 'moisturiser', 'cleanser', 'sunscreen', 'mask', 'toner', 'eye cream', 'exfoliant'];

/** Declaration lengths a formulator would recognise for each category. */
export const LENGTHS: Record<Category, [number, number]> = {
  serum: [10, 30],
  moisturiser: [18, 40],
  cleanser: [12, 30],
  sunscreen: [18, 35],
  mask: [12, 30],
  toner: [8, 25],
  'eye cream': [16, 36],
  exfoliant: [10, 28],
};

/** Recipes per category, with their relative odds (the order is part of the seeded output). */
export const RECIPES: Record<Category, readonly [Chassis, number][]> = {
  serum: [[serumAqueous, 5], [serumVitaminC, 1.5], [serumRetinoidEmulsion, 2], [serumOil, 1.2], [serumBarrier, 1.3]],
  moisturiser: [[moisturiserCream, 4], [moisturiserLotion, 2], [moisturiserGelCream, 2.5], [moisturiserBarrier, 1.5], [moisturiserWaterInOil, 1]],
  cleanser: [[cleanserFoaming, 5], [cleanserCream, 2], [cleanserOil, 1.8], [cleanserExfoliating, 1.2]],
  sunscreen: [[sunMineral, 3], [sunChemical, 4], [sunHybrid, 2]],
  mask: [[maskClay, 4], [maskGel, 2.5], [maskSleeping, 2.5], [maskPeelOff, 1]],
  toner: [[tonerHydrating, 4], [tonerEssence, 2], [tonerClarifying, 3]],
  'eye cream': [[eyeCream, 3], [eyeGel, 2]],
  exfoliant: [[exfoliantLeaveOn, 4], [exfoliantSerumGel, 2.5], [exfoliantEnzymeMask, 1]],
};
