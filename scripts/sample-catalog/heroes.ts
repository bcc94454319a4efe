/**
 * Heroes and signatures: the ingredients products are named after, with the claims that go with
 * them. This is data, one line per hero; the order is part of the seeded output.
 */
import type { Hero, Signature } from './recipe';

/** What a serum is claimed on. */
export const SERUM_HEROES: readonly Hero[] = [
  { inci: 'Niacinamide', label: 'Niacinamide', adjectives: ['Balancing', 'Clarifying', 'Pore-Refining'] },
  { inci: 'Sodium Hyaluronate', label: 'Hyaluronic', adjectives: ['Hydrating', 'Plumping', 'Moisture'] },
  { inci: 'Alpha-Arbutin', label: 'Arbutin', adjectives: ['Brightening', 'Even-Tone'] },
  { inci: 'Tranexamic Acid', label: 'Tranexamic', adjectives: ['Brightening', 'Tone-Correcting'] },
  { inci: '3-O-Ethyl Ascorbic Acid', label: 'Vitamin C', adjectives: ['Radiance', 'Brightening'] },
  { inci: 'Sodium Ascorbyl Phosphate', label: 'Vitamin C', adjectives: ['Glow', 'Clarifying'] },
  { inci: 'Ascorbyl Glucoside', label: 'Vitamin C', adjectives: ['Radiance', 'Daily'] },
  { inci: 'Acetyl Hexapeptide-8', label: 'Peptide', adjectives: ['Smoothing', 'Firming'] },
  { inci: 'Palmitoyl Tripeptide-1', label: 'Peptide', adjectives: ['Firming', 'Renewing'] },
  { inci: 'Copper Tripeptide-1', label: 'Copper Peptide', adjectives: ['Renewing', 'Recovery'] },
  { inci: 'Madecassoside', label: 'Centella', adjectives: ['Calming', 'Recovery'] },
  { inci: 'Panthenol', label: 'Panthenol', adjectives: ['Soothing', 'Barrier'] },
  { inci: 'Zinc PCA', label: 'Zinc', adjectives: ['Mattifying', 'Balancing'] },
  { inci: 'Azelaic Acid', label: 'Azelaic', adjectives: ['Clarifying', 'Tone-Correcting'] },
  { inci: 'Hydroxypropyl Tetrahydropyrantriol', label: 'Pro-Xylane', adjectives: ['Firming', 'Densifying'] },
];

/** What a moisturiser (or a sleeping mask) is claimed on. */
export const MOISTURISER_HEROES: readonly Hero[] = [
  { inci: 'Ceramide NP', label: 'Ceramide', adjectives: ['Barrier', 'Comfort', 'Replenishing'] },
  { inci: 'Niacinamide', label: 'Niacinamide', adjectives: ['Balancing', 'Daily', 'Clarifying'] },
  { inci: 'Panthenol', label: 'Panthenol', adjectives: ['Soothing', 'Comfort'] },
  { inci: 'Colloidal Oatmeal', label: 'Oat', adjectives: ['Calming', 'Comfort'] },
  { inci: 'Squalane', label: 'Squalane', adjectives: ['Nourishing', 'Daily'] },
  { inci: 'Sodium Hyaluronate', label: 'Hyaluronic', adjectives: ['Hydrating', 'Plumping'] },
  { inci: 'Acetyl Hexapeptide-8', label: 'Peptide', adjectives: ['Firming', 'Smoothing'] },
  { inci: 'Palmitoyl Pentapeptide-4', label: 'Peptide', adjectives: ['Firming', 'Renewing'] },
  { inci: 'Butyrospermum Parkii Butter', label: 'Shea', adjectives: ['Rich', 'Nourishing'] },
  { inci: 'Urea', label: 'Urea', adjectives: ['Smoothing', 'Replenishing'] },
  { inci: 'Centella Asiatica Extract', label: 'Centella', adjectives: ['Calming', 'Recovery'] },
  { inci: 'Bakuchiol', label: 'Bakuchiol', adjectives: ['Renewing', 'Night'] },
];

/** What an eye product is claimed on. */
export const EYE_HEROES: readonly Hero[] = [
  { inci: 'Caffeine', label: 'Caffeine', adjectives: ['De-Puffing', 'Awakening', 'Brightening'] },
  { inci: 'Acetyl Hexapeptide-8', label: 'Peptide', adjectives: ['Smoothing', 'Firming'] },
  { inci: 'Acetyl Tetrapeptide-5', label: 'Peptide', adjectives: ['De-Puffing', 'Firming'] },
  { inci: 'Retinol', label: 'Retinol', adjectives: ['Renewing', 'Night'] },
  { inci: 'Hydroxypinacolone Retinoate', label: 'Retinoid', adjectives: ['Renewing', 'Smoothing'] },
  { inci: 'Niacinamide', label: 'Niacinamide', adjectives: ['Brightening', 'Even-Tone'] },
  { inci: 'Ceramide NP', label: 'Ceramide', adjectives: ['Comfort', 'Barrier'] },
  { inci: 'Bakuchiol', label: 'Bakuchiol', adjectives: ['Firming', 'Renewing'] },
  { inci: 'Sodium Hyaluronate', label: 'Hyaluronic', adjectives: ['Plumping', 'Hydrating'] },
];

/** What a face oil is named after. */
export const FACE_OIL_SIGNATURES: readonly Signature[] = [
  { inci: 'Bakuchiol', label: 'Bakuchiol', adjective: 'Renewing' },
  { inci: 'Retinol', label: 'Retinol', adjective: 'Night' },
  { inci: 'Tetrahexyldecyl Ascorbate', label: 'Vitamin C', adjective: 'Radiance' },
  { inci: 'Rosa Canina Fruit Oil', label: 'Rosehip', adjective: 'Restoring' },
  { inci: 'Squalane', label: 'Squalane', adjective: 'Nourishing' },
];

/** What a foaming cleanser is named after; niacinamide goes in above its cleanser level. */
export const CLEANSER_SIGNATURES: readonly Signature[] = [
  { inci: 'Salicylic Acid', label: 'Salicylic', adjective: 'Clarifying' },
  { inci: 'Niacinamide', label: 'Niacinamide', adjective: 'Balancing', level: [2, 4] },
  { inci: 'Panthenol', label: 'Panthenol', adjective: 'Gentle' },
  { inci: 'Centella Asiatica Extract', label: 'Centella', adjective: 'Calming' },
  { inci: 'Camellia Sinensis Leaf Extract', label: 'Green Tea', adjective: 'Refreshing' },
  { inci: 'Glycerin', label: 'Amino Acid', adjective: 'Gentle' },
  { inci: 'Ceramide NP', label: 'Ceramide', adjective: 'Hydrating' },
  { inci: 'Zinc PCA', label: 'Zinc', adjective: 'Purifying' },
];
