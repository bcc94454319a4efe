/**
 * Builds resources/sample-catalog.json: the illustrative formulations that Latent Formulator
 * offers on first launch and that the tests import.
 *
 *   npx tsx scripts/build-sample-catalog.ts
 *
 * The formulations are NOT real products. They are assembled the way a formulator drafts a
 * bench formula: choose a chassis for the category (gel serum, O/W cream, foaming cleanser…),
 * fill each functional role (humectant, emollient, emulsifier, preservative…) from the
 * vocabulary below at a level typical for that role, let water (or the main oil) make up the
 * balance, and declare everything in descending order. Benefit scores are derived from what
 * went in and at what level, plus a little noise so the latent space has texture.
 *
 * Output is deterministic: the only source of randomness is a seeded mulberry32 generator, and
 * every vocabulary name is checked against the app's knowledge base before anything is written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SKIN_BENEFITS, type SkinBenefit } from '../src/shared/domain';
import { ingredientKey } from '../src/shared/inci/key';
import { seededRandom } from '../src/shared/ml/random';

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

/** The benefit scores every sample product carries: the app's own list. */
export const BENEFITS = SKIN_BENEFITS;
export type Benefit = SkinBenefit;
type BenefitMap = Partial<Record<Benefit, number>>;

/** Functional roles. A chassis asks for ingredients by role; the checks reason by role too. */
export type Role =
  | 'water' // the q.s. solvent
  | 'humectant'
  | 'hyaluronate'
  | 'aqueousBase' // hydrosols, juices, ferments used as a large part of the water phase
  | 'oil' // plant oils
  | 'ester' // synthetic light emollients and hydrocarbons
  | 'silicone'
  | 'butter'
  | 'occlusive'
  | 'fattyAlcohol' // consistency factors / co-emulsifiers
  | 'emulsifier' // O/W emulsifiers
  | 'emulsifierWO' // W/O and W/Si emulsifiers
  | 'polymerEmulsifier' // self-emulsifying polymers for gel-creams
  | 'solubiliser' // puts fragrance / traces of oil into clear aqueous products
  | 'oilCleanserEmulsifier' // makes a cleansing oil rinse off
  | 'surfactant' // primary (anionic) cleansing surfactants
  | 'cosurfactant' // amphoteric / non-ionic mild co-surfactants
  | 'cleanserAid' // pearlisers, refatting agents, salt, conditioning polymers
  | 'thickener' // gums and pre-neutralised polymers
  | 'carbomer' // acid polymers that need neutralising
  | 'preservative'
  | 'booster' // preservative boosters / multifunctionals
  | 'chelator'
  | 'base' // pH adjusters that raise pH
  | 'acidBuffer' // pH adjusters that lower pH / buffer
  | 'fragrance'
  | 'allergen' // declared fragrance allergens
  | 'colourant'
  | 'extract'
  | 'oilExtract' // oil-soluble botanicals and actives for anhydrous products
  | 'antioxidant'
  | 'soothing'
  | 'barrier'
  | 'peptide'
  | 'active'
  | 'acid' // exfoliating hydroxy acids
  | 'uvOrganic'
  | 'uvMineral'
  | 'uvAid' // coatings, dispersants and film formers that go with filters
  | 'clay'
  | 'absorbent'
  | 'filmFormer'
  | 'solvent' // alcohol and similar
  | 'electrolyte'; // salts that stabilise W/O emulsions

/** One vocabulary entry: a name from the knowledge base, its role and its usual use level. */
export interface Ingredient {
  inci: string;
  role: Role;
  min: number; // % w/w
  max: number; // % w/w
  weight: number; // how popular it is with formulators: relative odds of being picked
  benefits: BenefitMap; // effect strength (0–1) when used at `max`
}

/** Compact constructor so the table below stays one line per ingredient. */
function ing(inci: string, role: Role, min: number, max: number, weight: number, benefits: BenefitMap = {}): Ingredient {
  return { inci, role, min, max, weight, benefits };
}

export const VOCABULARY: readonly Ingredient[] = [
  ing('Water', 'water', 0, 100, 1),

  // Humectants (1–10 %), with a few minor ones at lower levels.
  ing('Glycerin', 'humectant', 2, 10, 12, { hydration: 0.45 }),
  ing('Butylene Glycol', 'humectant', 1, 8, 7, { hydration: 0.25 }),
  ing('Propanediol', 'humectant', 1, 6, 6, { hydration: 0.25 }),
  ing('Pentylene Glycol', 'humectant', 1, 5, 4, { hydration: 0.2 }),
  ing('Propylene Glycol', 'humectant', 1, 5, 2, { hydration: 0.2 }),
  ing('Diglycerin', 'humectant', 1, 5, 2, { hydration: 0.3 }),
  ing('Sorbitol', 'humectant', 1, 5, 1.5, { hydration: 0.25 }),
  ing('Betaine', 'humectant', 1, 4, 3, { hydration: 0.25, soothing: 0.05 }),
  ing('Sodium PCA', 'humectant', 0.5, 2, 3, { hydration: 0.3 }),
  ing('Trehalose', 'humectant', 0.5, 3, 2, { hydration: 0.25 }),
  ing('Urea', 'humectant', 1, 5, 2, { hydration: 0.4, exfoliation: 0.05 }),
  ing('Sodium Lactate', 'humectant', 0.5, 2, 1.5, { hydration: 0.25 }),
  ing('Saccharide Isomerate', 'humectant', 0.5, 3, 1.5, { hydration: 0.35 }),
  ing('Glyceryl Glucoside', 'humectant', 0.5, 3, 1, { hydration: 0.3 }),
  ing('Polyglutamic Acid', 'humectant', 0.05, 1, 1, { hydration: 0.35 }),
  ing('Methyl Gluceth-20', 'humectant', 1, 4, 1, { hydration: 0.2 }),

  // Hyaluronates: used at fractions of a percent.
  ing('Sodium Hyaluronate', 'hyaluronate', 0.05, 1, 10, { hydration: 0.4 }),
  ing('Hyaluronic Acid', 'hyaluronate', 0.05, 0.5, 3, { hydration: 0.35 }),
  ing('Hydrolyzed Hyaluronic Acid', 'hyaluronate', 0.01, 0.2, 3, { hydration: 0.3 }),
  ing('Sodium Hyaluronate Crosspolymer', 'hyaluronate', 0.01, 0.2, 1.5, { hydration: 0.3 }),

  // Aqueous bases that replace part of the water.
  ing('Aloe Barbadensis Leaf Juice', 'aqueousBase', 2, 30, 5, { hydration: 0.15, soothing: 0.2 }),
  ing('Hamamelis Virginiana Water', 'aqueousBase', 5, 30, 3, { oil_control: 0.15, soothing: 0.1 }),
  ing('Rosa Damascena Flower Water', 'aqueousBase', 5, 30, 3, { soothing: 0.1 }),
  ing('Chamomilla Recutita Flower Water', 'aqueousBase', 2, 20, 1.5, { soothing: 0.15 }),
  ing('Centella Asiatica Leaf Water', 'aqueousBase', 5, 30, 1.5, { soothing: 0.2 }),
  ing('Galactomyces Ferment Filtrate', 'aqueousBase', 10, 40, 2, { hydration: 0.15, brightening: 0.15 }),

  // Plant oils (emollients 1–15 %).
  ing('Helianthus Annuus Seed Oil', 'oil', 1, 10, 5, { barrier_repair: 0.15, hydration: 0.1 }),
  ing('Simmondsia Chinensis Seed Oil', 'oil', 1, 8, 6, { barrier_repair: 0.12, hydration: 0.12 }),
  ing('Olea Europaea Fruit Oil', 'oil', 1, 8, 3, { barrier_repair: 0.1, hydration: 0.1 }),
  ing('Argania Spinosa Kernel Oil', 'oil', 0.5, 5, 3, { barrier_repair: 0.12, hydration: 0.1 }),
  ing('Prunus Amygdalus Dulcis Oil', 'oil', 1, 8, 3, { hydration: 0.1 }),
  ing('Persea Gratissima Oil', 'oil', 1, 6, 2, { barrier_repair: 0.12, hydration: 0.1 }),
  ing('Rosa Canina Fruit Oil', 'oil', 0.5, 5, 2, { barrier_repair: 0.15, anti_ageing: 0.05 }),
  ing('Sclerocarya Birrea Seed Oil', 'oil', 0.5, 5, 1.5, { barrier_repair: 0.12 }),
  ing('Limnanthes Alba Seed Oil', 'oil', 1, 6, 1.5, { hydration: 0.08 }),
  ing('Vitis Vinifera Seed Oil', 'oil', 1, 6, 2, { barrier_repair: 0.12 }),
  ing('Oenothera Biennis Oil', 'oil', 0.5, 4, 1.5, { barrier_repair: 0.18, soothing: 0.05 }),
  ing('Borago Officinalis Seed Oil', 'oil', 0.5, 4, 1, { barrier_repair: 0.18 }),
  ing('Carthamus Tinctorius Seed Oil', 'oil', 1, 8, 1.5, { barrier_repair: 0.15 }),
  ing('Hippophae Rhamnoides Oil', 'oil', 0.1, 2, 0.8, { barrier_repair: 0.1, anti_ageing: 0.04 }),

  // Synthetic emollients and hydrocarbons.
  ing('Caprylic/Capric Triglyceride', 'ester', 2, 15, 12, { hydration: 0.1 }),
  ing('Squalane', 'ester', 1, 10, 9, { hydration: 0.15, barrier_repair: 0.1 }),
  ing('C12-15 Alkyl Benzoate', 'ester', 2, 12, 5),
  ing('Isononyl Isononanoate', 'ester', 1, 8, 3),
  ing('Coco-Caprylate/Caprate', 'ester', 1, 10, 4),
  ing('Dicaprylyl Carbonate', 'ester', 1, 10, 4),
  ing('Ethylhexyl Palmitate', 'ester', 2, 15, 3),
  ing('Cetearyl Ethylhexanoate', 'ester', 1, 8, 2),
  ing('Isopropyl Myristate', 'ester', 1, 8, 2),
  ing('Isohexadecane', 'ester', 1, 8, 2),
  ing('C13-15 Alkane', 'ester', 1, 8, 2),
  ing('Hydrogenated Polyisobutene', 'ester', 1, 8, 2, { hydration: 0.1 }),
  ing('Triethylhexanoin', 'ester', 1, 8, 2),
  ing('Butyloctyl Salicylate', 'ester', 1, 5, 1),
  ing('Phytosteryl/Octyldodecyl Lauroyl Glutamate', 'ester', 0.5, 3, 1, { barrier_repair: 0.12 }),

  ing('Dimethicone', 'silicone', 0.5, 6, 10, { hydration: 0.1 }),
  ing('Cyclopentasiloxane', 'silicone', 2, 15, 2),
  ing('Dimethicone/Vinyl Dimethicone Crosspolymer', 'silicone', 0.5, 4, 2),
  ing('Dimethicone Crosspolymer', 'silicone', 0.5, 4, 1.5),
  ing('Caprylyl Methicone', 'silicone', 1, 6, 1),

  ing('Butyrospermum Parkii Butter', 'butter', 1, 8, 8, { hydration: 0.2, barrier_repair: 0.15 }),
  ing('Theobroma Cacao Seed Butter', 'butter', 1, 5, 2, { hydration: 0.18 }),
  ing('Mangifera Indica Seed Butter', 'butter', 1, 5, 2, { hydration: 0.15 }),

  ing('Petrolatum', 'occlusive', 1, 10, 4, { hydration: 0.4, barrier_repair: 0.25 }),
  ing('Mineral Oil', 'occlusive', 1, 10, 2, { hydration: 0.25 }),
  ing('Beeswax', 'occlusive', 0.5, 3, 1.5, { hydration: 0.15 }),
  ing('Lanolin', 'occlusive', 0.5, 3, 1, { hydration: 0.25, barrier_repair: 0.12 }),

  // Consistency factors.
  ing('Cetearyl Alcohol', 'fattyAlcohol', 1, 4, 12),
  ing('Cetyl Alcohol', 'fattyAlcohol', 0.5, 3, 5),
  ing('Stearyl Alcohol', 'fattyAlcohol', 0.5, 3, 2),
  ing('Behenyl Alcohol', 'fattyAlcohol', 0.5, 3, 2),
  ing('Stearic Acid', 'fattyAlcohol', 0.5, 3, 3, { barrier_repair: 0.08 }),
  ing('Glyceryl Stearate', 'fattyAlcohol', 1, 4, 4),

  // O/W emulsifiers (1–5 %).
  ing('PEG-100 Stearate', 'emulsifier', 1, 3, 6),
  ing('Ceteareth-20', 'emulsifier', 1, 3, 4),
  ing('Cetearyl Glucoside', 'emulsifier', 1, 3, 5),
  ing('Cetearyl Olivate', 'emulsifier', 1, 4, 3),
  ing('Sorbitan Olivate', 'emulsifier', 1, 3, 2),
  ing('Glyceryl Stearate Citrate', 'emulsifier', 1, 4, 3),
  ing('Glyceryl Stearate SE', 'emulsifier', 1, 5, 3),
  ing('Potassium Cetyl Phosphate', 'emulsifier', 1, 3, 3),
  ing('Polyglyceryl-3 Methylglucose Distearate', 'emulsifier', 1, 4, 3),
  ing('Polysorbate 60', 'emulsifier', 1, 3, 3),
  ing('Steareth-21', 'emulsifier', 1, 3, 1.5),
  ing('Sodium Stearoyl Glutamate', 'emulsifier', 0.5, 2, 2),
  ing('Arachidyl Glucoside', 'emulsifier', 1, 3, 1.5),
  ing('Sorbitan Stearate', 'emulsifier', 1, 3, 2),
  ing('Hydrogenated Lecithin', 'emulsifier', 0.5, 3, 1.5, { barrier_repair: 0.08 }),

  ing('PEG-10 Dimethicone', 'emulsifierWO', 1, 4, 3),
  ing('Cetyl PEG/PPG-10/1 Dimethicone', 'emulsifierWO', 1, 4, 2),
  ing('Lauryl PEG-9 Polydimethylsiloxyethyl Dimethicone', 'emulsifierWO', 1, 3, 2),
  ing('Polyglyceryl-2 Dipolyhydroxystearate', 'emulsifierWO', 1, 4, 1.5),

  ing('Acrylates/C10-30 Alkyl Acrylate Crosspolymer', 'polymerEmulsifier', 0.1, 0.6, 4),
  ing('Hydroxyethyl Acrylate/Sodium Acryloyldimethyl Taurate Copolymer', 'polymerEmulsifier', 0.5, 2, 5),
  ing('Sodium Acrylate/Sodium Acryloyldimethyl Taurate Copolymer', 'polymerEmulsifier', 0.5, 2, 3),
  ing('Ammonium Acryloyldimethyltaurate/VP Copolymer', 'polymerEmulsifier', 0.5, 1.5, 3),

  ing('PEG-40 Hydrogenated Castor Oil', 'solubiliser', 0.1, 1, 6),
  ing('Polysorbate 20', 'solubiliser', 0.1, 1, 4),
  ing('PPG-26-Buteth-26', 'solubiliser', 0.1, 1, 2),
  ing('Polyglyceryl-10 Laurate', 'solubiliser', 0.1, 1, 1.5),

  ing('PEG-20 Glyceryl Triisostearate', 'oilCleanserEmulsifier', 5, 15, 4),
  ing('Polyglyceryl-10 Dioleate', 'oilCleanserEmulsifier', 5, 12, 3),
  ing('Polysorbate 85', 'oilCleanserEmulsifier', 3, 10, 2),
  ing('PEG-7 Glyceryl Cocoate', 'oilCleanserEmulsifier', 3, 10, 2),

  // Cleansing surfactants (5–25 % in cleansers).
  ing('Sodium Cocoyl Isethionate', 'surfactant', 3, 12, 5),
  ing('Sodium Lauroyl Methyl Isethionate', 'surfactant', 4, 12, 4),
  ing('Sodium Methyl Cocoyl Taurate', 'surfactant', 3, 10, 4),
  ing('Sodium Cocoyl Glutamate', 'surfactant', 3, 10, 4),
  ing('Disodium Cocoyl Glutamate', 'surfactant', 3, 10, 2),
  ing('Sodium Cocoyl Glycinate', 'surfactant', 3, 10, 3),
  ing('Sodium Laureth Sulfate', 'surfactant', 5, 14, 4),
  ing('Sodium Lauroyl Sarcosinate', 'surfactant', 3, 10, 3),
  ing('Sodium C14-16 Olefin Sulfonate', 'surfactant', 4, 12, 2),
  ing('Sodium Lauroyl Oat Amino Acids', 'surfactant', 2, 8, 0.8, { soothing: 0.05 }),

  ing('Cocamidopropyl Betaine', 'cosurfactant', 2, 8, 8),
  ing('Coco-Betaine', 'cosurfactant', 2, 8, 3),
  ing('Cocamidopropyl Hydroxysultaine', 'cosurfactant', 2, 8, 2.5),
  ing('Sodium Lauroamphoacetate', 'cosurfactant', 2, 8, 2.5),
  ing('Decyl Glucoside', 'cosurfactant', 2, 8, 4),
  ing('Coco-Glucoside', 'cosurfactant', 2, 8, 3),
  ing('Caprylyl/Capryl Glucoside', 'cosurfactant', 1, 5, 1.5),

  ing('Glycol Distearate', 'cleanserAid', 0.5, 2, 2),
  ing('PEG-120 Methyl Glucose Dioleate', 'cleanserAid', 0.5, 2, 3),
  ing('PEG-150 Distearate', 'cleanserAid', 0.5, 2, 2),
  ing('Sodium Chloride', 'cleanserAid', 0.2, 1.5, 3),
  ing('Acrylates Copolymer', 'cleanserAid', 0.5, 3, 2),
  ing('Polyquaternium-10', 'cleanserAid', 0.1, 0.5, 2),
  ing('Guar Hydroxypropyltrimonium Chloride', 'cleanserAid', 0.1, 0.5, 1.5),
  ing('Glyceryl Oleate', 'cleanserAid', 0.2, 1, 1, { barrier_repair: 0.05 }),

  // Thickeners (0.1–1 %).
  ing('Xanthan Gum', 'thickener', 0.1, 0.8, 12),
  ing('Sclerotium Gum', 'thickener', 0.1, 0.8, 3),
  ing('Hydroxyethylcellulose', 'thickener', 0.1, 1, 4),
  ing('Cellulose Gum', 'thickener', 0.1, 0.8, 2),
  ing('Gellan Gum', 'thickener', 0.1, 0.5, 1.5),
  ing('Sodium Polyacrylate', 'thickener', 0.1, 1, 2),
  ing('Sodium Polyacryloyldimethyl Taurate', 'thickener', 0.2, 1, 1.5),
  ing('Hydroxypropyl Methylcellulose', 'thickener', 0.1, 0.8, 1),
  ing('Magnesium Aluminum Silicate', 'thickener', 0.3, 1, 1.5),

  ing('Carbomer', 'carbomer', 0.1, 0.6, 10),

  // Preservatives (0.1–1 %) and boosters.
  ing('Phenoxyethanol', 'preservative', 0.4, 1, 14),
  ing('Sodium Benzoate', 'preservative', 0.1, 0.5, 5),
  ing('Potassium Sorbate', 'preservative', 0.1, 0.3, 4),
  ing('Chlorphenesin', 'preservative', 0.1, 0.3, 3),
  ing('Benzyl Alcohol', 'preservative', 0.3, 1, 2.5),
  ing('Dehydroacetic Acid', 'preservative', 0.1, 0.6, 2),
  ing('Caprylhydroxamic Acid', 'preservative', 0.1, 0.4, 1.5),
  ing('Hydroxyacetophenone', 'preservative', 0.3, 0.7, 2.5),
  ing('Methylparaben', 'preservative', 0.1, 0.3, 1),

  ing('Ethylhexylglycerin', 'booster', 0.05, 0.5, 10),
  ing('Caprylyl Glycol', 'booster', 0.1, 0.7, 7),
  ing('Glyceryl Caprylate', 'booster', 0.2, 1, 2),
  ing('Glyceryl Undecylenate', 'booster', 0.1, 0.5, 1),

  // Chelators (0.05–0.2 %).
  ing('Disodium EDTA', 'chelator', 0.05, 0.2, 8),
  ing('Tetrasodium Glutamate Diacetate', 'chelator', 0.05, 0.2, 3),
  ing('Sodium Phytate', 'chelator', 0.05, 0.2, 3),
  ing('Trisodium Ethylenediamine Disuccinate', 'chelator', 0.05, 0.2, 2),

  // pH adjusters (0.01–0.5 %).
  ing('Sodium Hydroxide', 'base', 0.01, 0.5, 8),
  ing('Potassium Hydroxide', 'base', 0.01, 0.5, 2),
  ing('Triethanolamine', 'base', 0.05, 0.5, 2),
  ing('Tromethamine', 'base', 0.05, 0.5, 2),
  ing('Arginine', 'base', 0.05, 0.5, 2, { hydration: 0.03 }),
  ing('Citric Acid', 'acidBuffer', 0.01, 0.3, 8),
  ing('Sodium Citrate', 'acidBuffer', 0.01, 0.3, 3),
  ing('Phosphoric Acid', 'acidBuffer', 0.01, 0.1, 0.5),

  // Fragrance (0.05–0.5 %) and declared allergens (traces).
  ing('Fragrance', 'fragrance', 0.05, 0.5, 10),
  ing('Lavandula Angustifolia Oil', 'fragrance', 0.05, 0.3, 1.5),
  ing('Citrus Aurantium Dulcis Peel Oil', 'fragrance', 0.05, 0.3, 1),
  ing('Linalool', 'allergen', 0.001, 0.04, 5),
  ing('Limonene', 'allergen', 0.001, 0.04, 5),
  ing('Citronellol', 'allergen', 0.001, 0.03, 3),
  ing('Geraniol', 'allergen', 0.001, 0.03, 2.5),
  ing('Hexyl Cinnamal', 'allergen', 0.001, 0.03, 2),
  ing('Benzyl Salicylate', 'allergen', 0.001, 0.03, 1.5),

  // Colourants (< 0.1 %).
  ing('CI 77491', 'colourant', 0.001, 0.05, 2),
  ing('Yellow 5', 'colourant', 0.0005, 0.005, 2),
  ing('Blue 1', 'colourant', 0.0005, 0.005, 2),
  ing('Chlorophyllin-Copper Complex', 'colourant', 0.001, 0.02, 0.8),

  // Botanical extracts (0.01–1 %).
  ing('Centella Asiatica Extract', 'extract', 0.01, 1, 6, { soothing: 0.3, barrier_repair: 0.05 }),
  ing('Camellia Sinensis Leaf Extract', 'extract', 0.01, 1, 6, { anti_ageing: 0.06, soothing: 0.08, oil_control: 0.05 }),
  ing('Aloe Barbadensis Leaf Extract', 'extract', 0.01, 1, 4, { soothing: 0.15, hydration: 0.05 }),
  ing('Chamomilla Recutita Flower Extract', 'extract', 0.01, 1, 4, { soothing: 0.2 }),
  ing('Glycyrrhiza Glabra Root Extract', 'extract', 0.01, 0.5, 4, { brightening: 0.25, soothing: 0.12 }),
  ing('Avena Sativa Kernel Extract', 'extract', 0.01, 1, 3, { soothing: 0.25 }),
  ing('Calendula Officinalis Flower Extract', 'extract', 0.01, 1, 3, { soothing: 0.15 }),
  ing('Rosmarinus Officinalis Leaf Extract', 'extract', 0.01, 0.5, 3, { anti_ageing: 0.03 }),
  ing('Cucumis Sativus Fruit Extract', 'extract', 0.01, 1, 3, { soothing: 0.1, hydration: 0.05 }),
  ing('Hamamelis Virginiana Extract', 'extract', 0.01, 1, 2.5, { oil_control: 0.12, soothing: 0.08 }),
  ing('Salix Alba Bark Extract', 'extract', 0.05, 1, 2, { exfoliation: 0.08, anti_acne: 0.08 }),
  ing('Melaleuca Alternifolia Leaf Oil', 'extract', 0.01, 0.5, 1.5, { anti_acne: 0.12 }),
  ing('Portulaca Oleracea Extract', 'extract', 0.01, 1, 2, { soothing: 0.15 }),
  ing('Houttuynia Cordata Extract', 'extract', 0.01, 1, 1.5, { soothing: 0.1, anti_acne: 0.05 }),
  ing('Morus Alba Root Extract', 'extract', 0.01, 0.5, 1.5, { brightening: 0.15 }),
  ing('Panax Ginseng Root Extract', 'extract', 0.01, 0.5, 1.5, { anti_ageing: 0.06 }),
  ing('Chondrus Crispus Extract', 'extract', 0.01, 1, 1, { hydration: 0.08 }),
  ing('Scutellaria Baicalensis Root Extract', 'extract', 0.01, 0.5, 1, { soothing: 0.1, anti_ageing: 0.03 }),
  ing('Carica Papaya Fruit Extract', 'extract', 0.01, 1, 1, { exfoliation: 0.06 }),
  ing('Ananas Sativus Fruit Extract', 'extract', 0.01, 1, 0.8, { exfoliation: 0.05 }),
  ing('Bifida Ferment Lysate', 'extract', 0.1, 1, 2, { barrier_repair: 0.08, anti_ageing: 0.04 }),
  ing('Saccharomyces Ferment Filtrate', 'extract', 0.1, 1, 1, { brightening: 0.05 }),
  ing('Tremella Fuciformis Extract', 'extract', 0.01, 0.5, 1, { hydration: 0.12 }),

  ing('Rosmarinus Officinalis Leaf Oil', 'oilExtract', 0.01, 0.3, 1),
  ing('Calendula Officinalis Flower Oil', 'oilExtract', 0.1, 3, 1.5, { soothing: 0.12 }),
  ing('Bisabolol', 'oilExtract', 0.05, 0.5, 3, { soothing: 0.25 }),
  ing('Tocopheryl Acetate', 'oilExtract', 0.1, 1, 5, { anti_ageing: 0.05 }),
  ing('Retinyl Palmitate', 'oilExtract', 0.05, 1, 1.5, { anti_ageing: 0.2 }),
  ing('Ascorbyl Palmitate', 'oilExtract', 0.01, 0.3, 1, { brightening: 0.05, anti_ageing: 0.04 }),
  ing('Phytosterols', 'oilExtract', 0.1, 1, 1, { barrier_repair: 0.1 }),

  // Antioxidants.
  ing('Tocopherol', 'antioxidant', 0.05, 1, 10, { anti_ageing: 0.04 }),
  ing('BHT', 'antioxidant', 0.01, 0.05, 1),

  // Soothing agents.
  ing('Panthenol', 'soothing', 0.5, 5, 10, { soothing: 0.35, hydration: 0.12, barrier_repair: 0.08 }),
  ing('Allantoin', 'soothing', 0.1, 0.5, 8, { soothing: 0.3 }),
  ing('Dipotassium Glycyrrhizate', 'soothing', 0.05, 0.5, 3, { soothing: 0.3, brightening: 0.04 }),
  ing('Madecassoside', 'soothing', 0.01, 0.2, 2, { soothing: 0.3, barrier_repair: 0.05 }),
  ing('Colloidal Oatmeal', 'soothing', 0.5, 3, 1.5, { soothing: 0.4, barrier_repair: 0.05 }),
  ing('Beta-Glucan', 'soothing', 0.05, 1, 2.5, { soothing: 0.2, hydration: 0.1 }),
  ing('Ectoin', 'soothing', 0.1, 1, 1.5, { soothing: 0.25, hydration: 0.1 }),
  ing('Hydroxyphenyl Propamidobenzoic Acid', 'soothing', 0.01, 0.2, 0.8, { soothing: 0.25 }),

  // Barrier lipids.
  ing('Ceramide NP', 'barrier', 0.01, 0.5, 8, { barrier_repair: 0.45 }),
  ing('Ceramide AP', 'barrier', 0.01, 0.2, 4, { barrier_repair: 0.3 }),
  ing('Ceramide EOP', 'barrier', 0.01, 0.2, 4, { barrier_repair: 0.3 }),
  ing('Cholesterol', 'barrier', 0.1, 1, 5, { barrier_repair: 0.3 }),
  ing('Phytosphingosine', 'barrier', 0.02, 0.2, 4, { barrier_repair: 0.2, anti_acne: 0.05 }),
  ing('Sodium Lauroyl Lactylate', 'barrier', 0.1, 1, 4, { barrier_repair: 0.08 }),
  ing('Linoleic Acid', 'barrier', 0.05, 0.5, 1.5, { barrier_repair: 0.15, anti_acne: 0.03 }),

  // Peptides: supplied as dilute solutions, so the pure peptide sits in the ppm range.
  ing('Palmitoyl Tripeptide-1', 'peptide', 0.0001, 0.005, 5, { anti_ageing: 0.2 }),
  ing('Palmitoyl Tetrapeptide-7', 'peptide', 0.0001, 0.005, 5, { anti_ageing: 0.18, soothing: 0.03 }),
  ing('Acetyl Hexapeptide-8', 'peptide', 0.001, 0.05, 4, { anti_ageing: 0.22 }),
  ing('Palmitoyl Pentapeptide-4', 'peptide', 0.0001, 0.005, 3, { anti_ageing: 0.2 }),
  ing('Copper Tripeptide-1', 'peptide', 0.01, 0.2, 2, { anti_ageing: 0.25 }),
  ing('Acetyl Tetrapeptide-5', 'peptide', 0.001, 0.05, 1.5, { anti_ageing: 0.12, hydration: 0.03 }),
  ing('Dipeptide-2', 'peptide', 0.001, 0.05, 1, { anti_ageing: 0.08 }),
  ing('sh-Oligopeptide-1', 'peptide', 0.0001, 0.002, 1, { anti_ageing: 0.12 }),

  // Hero actives at their usual levels.
  ing('Niacinamide', 'active', 2, 10, 14, { brightening: 0.55, barrier_repair: 0.4, oil_control: 0.45, anti_acne: 0.35, anti_ageing: 0.12 }),
  ing('Ascorbic Acid', 'active', 5, 20, 4, { brightening: 0.7, anti_ageing: 0.55 }),
  ing('3-O-Ethyl Ascorbic Acid', 'active', 0.5, 3, 3, { brightening: 0.5, anti_ageing: 0.3 }),
  ing('Sodium Ascorbyl Phosphate', 'active', 1, 5, 3, { brightening: 0.4, anti_ageing: 0.25, anti_acne: 0.15 }),
  ing('Magnesium Ascorbyl Phosphate', 'active', 1, 3, 2, { brightening: 0.4, anti_ageing: 0.25 }),
  ing('Ascorbyl Glucoside', 'active', 0.5, 2, 2.5, { brightening: 0.4, anti_ageing: 0.2 }),
  ing('Tetrahexyldecyl Ascorbate', 'active', 1, 10, 2, { brightening: 0.45, anti_ageing: 0.35 }),
  ing('Retinol', 'active', 0.01, 1, 6, { anti_ageing: 0.75, anti_acne: 0.15, exfoliation: 0.1 }),
  ing('Retinal', 'active', 0.01, 0.1, 1.5, { anti_ageing: 0.7, anti_acne: 0.15 }),
  ing('Retinyl Propionate', 'active', 0.1, 1, 1.5, { anti_ageing: 0.45 }),
  ing('Hydroxypinacolone Retinoate', 'active', 0.05, 0.5, 2, { anti_ageing: 0.55, anti_acne: 0.1 }),
  ing('Bakuchiol', 'active', 0.5, 2, 3, { anti_ageing: 0.4, soothing: 0.05 }),
  ing('Alpha-Arbutin', 'active', 0.5, 2, 4, { brightening: 0.5 }),
  ing('Tranexamic Acid', 'active', 2, 5, 3, { brightening: 0.5 }),
  ing('Azelaic Acid', 'active', 5, 10, 2, { brightening: 0.35, anti_acne: 0.5, exfoliation: 0.15 }),
  ing('Acetyl Glucosamine', 'active', 1, 2, 1.5, { brightening: 0.25, hydration: 0.05 }),
  ing('Hexylresorcinol', 'active', 0.5, 1, 1, { brightening: 0.4, anti_ageing: 0.1 }),
  ing('Ferulic Acid', 'active', 0.2, 1, 2, { anti_ageing: 0.15, brightening: 0.05 }),
  ing('Caffeine', 'active', 0.5, 3, 4, { anti_ageing: 0.15, soothing: 0.05 }),
  ing('Adenosine', 'active', 0.02, 0.1, 3, { anti_ageing: 0.2 }),
  ing('Hydroxypropyl Tetrahydropyrantriol', 'active', 0.5, 2, 1.5, { anti_ageing: 0.25, hydration: 0.08 }),
  ing('Zinc PCA', 'active', 0.1, 1, 3, { oil_control: 0.4, anti_acne: 0.3 }),
  ing('Zinc Gluconate', 'active', 0.1, 1, 1, { oil_control: 0.25, anti_acne: 0.2 }),
  ing('Sulfur', 'active', 1, 5, 1, { anti_acne: 0.55, oil_control: 0.2 }),

  // Exfoliating acids.
  ing('Glycolic Acid', 'acid', 4, 10, 8, { exfoliation: 0.8, brightening: 0.15, anti_ageing: 0.1 }),
  ing('Lactic Acid', 'acid', 2, 10, 6, { exfoliation: 0.6, hydration: 0.08, brightening: 0.1 }),
  ing('Mandelic Acid', 'acid', 2, 10, 4, { exfoliation: 0.55, anti_acne: 0.15 }),
  ing('Salicylic Acid', 'acid', 0.5, 2, 10, { exfoliation: 0.5, anti_acne: 0.7, oil_control: 0.3 }),
  ing('Gluconolactone', 'acid', 2, 10, 3, { exfoliation: 0.4, hydration: 0.1 }),
  ing('Lactobionic Acid', 'acid', 1, 5, 1.5, { exfoliation: 0.3, hydration: 0.08 }),
  ing('Malic Acid', 'acid', 0.5, 2, 1, { exfoliation: 0.15 }),
  ing('Papain', 'acid', 0.1, 1, 0.8, { exfoliation: 0.2 }),

  // UV filters (EU INCI spelling: avobenzone = Butyl Methoxydibenzoylmethane, octisalate =
  // Ethylhexyl Salicylate, octinoxate = Ethylhexyl Methoxycinnamate, ensulizole = its own name).
  ing('Zinc Oxide', 'uvMineral', 5, 25, 10, { uv_protection: 0.8, soothing: 0.05, oil_control: 0.05 }),
  ing('Titanium Dioxide', 'uvMineral', 2, 10, 6, { uv_protection: 0.55 }),
  ing('Butyl Methoxydibenzoylmethane', 'uvOrganic', 2, 3, 10, { uv_protection: 0.45 }),
  ing('Homosalate', 'uvOrganic', 5, 10, 6, { uv_protection: 0.35 }),
  ing('Ethylhexyl Salicylate', 'uvOrganic', 3, 5, 8, { uv_protection: 0.3 }),
  ing('Octocrylene', 'uvOrganic', 3, 10, 7, { uv_protection: 0.4 }),
  ing('Ethylhexyl Methoxycinnamate', 'uvOrganic', 2, 7.5, 3, { uv_protection: 0.4 }),
  ing('Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine', 'uvOrganic', 1, 5, 6, { uv_protection: 0.5 }),
  ing('Diethylamino Hydroxybenzoyl Hexyl Benzoate', 'uvOrganic', 1, 5, 4, { uv_protection: 0.4 }),
  ing('Ethylhexyl Triazone', 'uvOrganic', 1, 5, 4, { uv_protection: 0.45 }),
  ing('Ensulizole', 'uvOrganic', 1, 4, 1.5, { uv_protection: 0.35 }),

  ing('Triethoxycaprylylsilane', 'uvAid', 0.2, 1, 4),
  ing('Polyhydroxystearic Acid', 'uvAid', 0.5, 2, 4),
  ing('Alumina', 'uvAid', 0.3, 1.5, 3),
  ing('Isostearic Acid', 'uvAid', 0.2, 1, 2),
  ing('Trimethylsiloxysilicate', 'uvAid', 0.5, 3, 3),
  ing('VP/Hexadecene Copolymer', 'uvAid', 0.5, 2, 2),
  ing('Acrylates/Dimethicone Copolymer', 'uvAid', 0.5, 3, 1.5),

  // Clays and absorbents.
  ing('Kaolin', 'clay', 8, 30, 10, { oil_control: 0.6, anti_acne: 0.1 }),
  ing('Bentonite', 'clay', 2, 12, 6, { oil_control: 0.55, anti_acne: 0.1 }),
  ing('Montmorillonite', 'clay', 2, 10, 2, { oil_control: 0.45 }),
  ing('Moroccan Lava Clay', 'clay', 2, 10, 1.5, { oil_control: 0.45 }),
  ing('Charcoal Powder', 'clay', 0.2, 2, 2, { oil_control: 0.2, anti_acne: 0.05 }),

  ing('Silica', 'absorbent', 0.5, 4, 6, { oil_control: 0.35 }),
  ing('Zea Mays Starch', 'absorbent', 0.5, 4, 2, { oil_control: 0.2 }),
  ing('Polymethylsilsesquioxane', 'absorbent', 0.5, 3, 2, { oil_control: 0.25 }),
  ing('Nylon-12', 'absorbent', 0.5, 3, 1.5, { oil_control: 0.2 }),
  ing('Jojoba Esters', 'absorbent', 0.5, 3, 1.5, { exfoliation: 0.1 }),
  ing('Cellulose', 'absorbent', 0.5, 3, 1, { exfoliation: 0.08 }),

  // Film formers.
  ing('Polyvinyl Alcohol', 'filmFormer', 8, 14, 1),
  ing('PVP', 'filmFormer', 0.5, 3, 1),
  ing('Pullulan', 'filmFormer', 0.2, 2, 1, { anti_ageing: 0.03 }),

  ing('Alcohol Denat.', 'solvent', 3, 12, 2),

  ing('Magnesium Sulfate', 'electrolyte', 0.5, 1, 3),
  // Sodium Chloride also stabilises W/O emulsions but is already a cleanser aid.
];

// ---------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------

export const SEED = 20261122;


/** Convenience wrapper so the chassis code reads like a formulator's notes. */
class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  /** Uniform float in [0, 1). */
  float(): number {
    return this.next();
  }
  /** Uniform float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** One element, with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weightOf: (item: T) => number): T {
    const total = items.reduce((s, it) => s + weightOf(it), 0);
    let r = this.next() * total;
    for (const it of items) {
      r -= weightOf(it);
      if (r < 0) return it;
    }
    return items[items.length - 1]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Formula building
// ---------------------------------------------------------------------------------------------

const BY_NAME = new Map(VOCABULARY.map((i) => [i.inci, i]));
const BY_ROLE = new Map<Role, Ingredient[]>();
for (const i of VOCABULARY) {
  const list = BY_ROLE.get(i.role) ?? [];
  list.push(i);
  BY_ROLE.set(i.role, list);
}

/** Roles that make up an oil phase: when one of these meets water the formula needs an emulsifier. */
export const OIL_PHASE_ROLES: ReadonlySet<Role> = new Set<Role>(['oil', 'ester', 'silicone', 'butter', 'occlusive', 'oilExtract']);
/** Roles that can carry an oil phase into water. */
export const EMULSIFIER_ROLES: ReadonlySet<Role> = new Set<Role>([
  'emulsifier',
  'emulsifierWO',
  'polymerEmulsifier',
  'solubiliser',
  'oilCleanserEmulsifier',
  'surfactant',
  'cosurfactant',
]);

/** Rounds a use level the way it would be written on a formula sheet. */
function niceLevel(pct: number): number {
  if (pct >= 10) return Math.round(pct * 2) / 2; // 12.5
  if (pct >= 1) return Math.round(pct * 10) / 10; // 3.4
  if (pct >= 0.1) return Math.round(pct * 100) / 100; // 0.35
  if (pct >= 0.01) return Math.max(0.01, Math.round(pct * 100) / 100); // 0.05
  return Math.max(0.0001, Math.round(pct * 10000) / 10000); // 0.0025
}

/** A formula under construction: ingredient → % w/w, plus the q.s. ingredient. */
class Formula {
  readonly levels = new Map<string, number>();
  qs: string | null = null;
  constructor(private readonly rng: Rng) {}

  has(inci: string): boolean {
    return this.levels.has(inci) || this.qs === inci;
  }
  /** Any ingredient of the given role present? */
  hasRole(role: Role): boolean {
    return this.names().some((n) => BY_NAME.get(n)!.role === role);
  }
  names(): string[] {
    return [...(this.qs ? [this.qs] : []), ...this.levels.keys()];
  }
  count(): number {
    return this.names().length;
  }
  /** How many ingredients of a role are present. */
  countRole(role: Role): number {
    return this.names().filter((n) => BY_NAME.get(n)!.role === role).length;
  }
  /** Sum of all fixed (non-q.s.) levels. */
  fixedTotal(): number {
    let s = 0;
    for (const v of this.levels.values()) s += v;
    return s;
  }

  /** Adds a named ingredient; the level is drawn from its range unless given (optionally scaled). */
  add(inci: string, level?: number): boolean {
    const entry = BY_NAME.get(inci);
    if (!entry) throw new Error(`"${inci}" is not in the vocabulary`);
    if (this.has(inci)) return false;
    this.levels.set(inci, niceLevel(level ?? this.draw(entry)));
    return true;
  }

  /**
   * Adds `n` different ingredients of a role, chosen by popularity. `filter` narrows the pool;
   * `scale` lowers levels when several share a job (three humectants at 10 % each is a lot).
   */
  addRole(role: Role, n = 1, opts: { filter?: (i: Ingredient) => boolean; scale?: number } = {}): string[] {
    const added: string[] = [];
    for (let k = 0; k < n; k++) {
      const pool = (BY_ROLE.get(role) ?? []).filter((i) => !this.has(i.inci) && (opts.filter ? opts.filter(i) : true));
      if (pool.length === 0) break;
      const choice = this.rng.weighted(pool, (i) => i.weight);
      this.add(choice.inci, this.draw(choice, opts.scale ?? 1));
      added.push(choice.inci);
    }
    return added;
  }

  /**
   * A level within the ingredient's range: log-uniform for wide ranges (extracts, peptides).
   * `scale` < 1 narrows the range towards its lower end, so a supporting role never drops
   * below the level at which the ingredient is normally used.
   */
  draw(entry: Ingredient, scale = 1): number {
    const min = entry.min;
    const max = min + (entry.max - min) * Math.min(1, scale);
    if (max / Math.max(min, 1e-6) > 6) return Math.exp(this.rng.range(Math.log(min), Math.log(max)));
    return this.rng.range(min, max);
  }

  /** Declaration: q.s. ingredient gets the balance, then everything in descending order. */
  declare(): { names: string[]; levels: number[] } {
    if (!this.qs) throw new Error('formula has no q.s. ingredient');
    const fixed = [...this.levels.entries()].map(([n, v]) => [n, round(v)] as const);
    const rest = fixed.reduce((s, [, v]) => s + v, 0);
    const qsLevel = Math.round((100 - rest) * 100) / 100;
    const all = [[this.qs, qsLevel] as const, ...fixed];
    // Stable sort: ties keep the order in which the formulator added them.
    const sorted = all
      .map((e, idx) => ({ e, idx }))
      .sort((a, b) => b.e[1] - a.e[1] || a.idx - b.idx)
      .map((x) => x.e);
    return { names: sorted.map(([n]) => n), levels: sorted.map(([, v]) => v) };
  }
}

/** Output rounding: 2 decimals, 4 below 0.01 (peptides, colourants, allergens). */
function round(v: number): number {
  return v < 0.01 ? Math.round(v * 10000) / 10000 : Math.round(v * 100) / 100;
}

export type Category = 'serum' | 'moisturiser' | 'cleanser' | 'sunscreen' | 'mask' | 'toner' | 'eye cream' | 'exfoliant';
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

/** What a chassis hands back: enough to name the product. */
interface Draft {
  formula: Formula;
  label: string; // hero, e.g. "Niacinamide"
  adjective: string; // e.g. "Balancing"
  noun: string; // e.g. "Gel Serum"
  anhydrous: boolean;
  rinseOff: boolean;
  /** Roles used to pad the list up to a realistic length. */
  extras: Role[];
}

type Chassis = (rng: Rng) => Draft;

/** Hero options: an active (or role filler) plus how the product would be marketed. */
interface Hero {
  inci: string;
  label: string;
  adjectives: string[];
}

const SERUM_HEROES: Hero[] = [
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

// Helpers shared by the chassis -------------------------------------------------------------

/** Picks one hero, adds it at its usual level and returns it. */
function addHero(f: Formula, rng: Rng, heroes: Hero[], boost = 1): Hero {
  const hero = rng.pick(heroes);
  const entry = BY_NAME.get(hero.inci)!;
  // Hero actives are claimed on pack, so they sit in the upper half of their range.
  f.add(hero.inci, Math.min(entry.max, rng.range((entry.min + entry.max) / 2, entry.max) * boost));
  return hero;
}

/** The usual aqueous-phase backbone: humectants, maybe a hyaluronate, a chelator. */
function aqueousBackbone(f: Formula, rng: Rng, humectants: [number, number], hyaluronate = 0.6): void {
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
}

/** Preservation for any water-containing product: a preservative and often a booster. */
function preserve(f: Formula, rng: Rng): void {
  f.addRole('preservative', rng.chance(0.35) ? 2 : 1);
  if (rng.chance(0.7)) f.addRole('booster', rng.chance(0.3) ? 2 : 1);
}

/** Optional fragrance with the allergens that usually come with it on the label. */
function scent(f: Formula, rng: Rng, p: number): void {
  if (!rng.chance(p)) return;
  f.addRole('fragrance');
  f.addRole('allergen', rng.int(0, 3));
}

/** A consistency-giving O/W emulsion core: oils, emulsifier(s), fatty alcohol. */
function emulsionCore(f: Formula, rng: Rng, richness: number): void {
  const emollients = Math.max(1, Math.round(richness * rng.range(2, 4)));
  f.addRole('ester', Math.ceil(emollients / 2), { scale: 0.7 });
  f.addRole('oil', Math.floor(emollients / 2), { scale: 0.7 });
  if (rng.chance(0.6)) f.addRole('silicone', 1, { scale: 0.6 });
  if (richness > 1 && rng.chance(0.6)) f.addRole('butter');
  f.addRole('emulsifier', rng.chance(0.6) ? 2 : 1, { scale: 0.8 });
  f.addRole('fattyAlcohol', rng.chance(0.5) ? 2 : 1, { scale: richness > 1 ? 1 : 0.6 });
  if (rng.chance(0.7)) f.addRole('thickener');
}

// Serums -----------------------------------------------------------------------------------

const serumAqueous: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 3], 0.8);
  const hero = addHero(f, rng, SERUM_HEROES);
  if (rng.chance(0.5)) f.addRole('active', 1, { filter: (i) => SUPPORT_ACTIVES.has(i.inci), scale: 0.6 });
  f.addRole(rng.chance(0.6) ? 'thickener' : 'carbomer');
  if (rng.chance(0.3)) f.addRole('thickener');
  preserve(f, rng);
  scent(f, rng, 0.25);
  return { formula: f, label: hero.label, adjective: rng.pick(hero.adjectives), noun: rng.pick(['Serum', 'Gel Serum', 'Concentrate']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'peptide', 'humectant', 'barrier', 'active'] };
};

const serumVitaminC: Chassis = (rng) => {
  const f = new Formula(rng);
  f.qs = 'Water';
  f.add('Ascorbic Acid', rng.range(8, 20));
  // L-ascorbic acid serums lean on glycols: they help solubility and stability.
  f.addRole('humectant', rng.int(2, 3), { filter: (i) => i.inci !== 'Urea' });
  if (rng.chance(0.8)) f.add('Ferulic Acid', rng.range(0.3, 0.5));
  if (rng.chance(0.7)) f.add('Tocopherol', rng.range(0.5, 1));
  f.addRole('thickener');
  f.addRole('solubiliser');
  f.addRole('chelator');
  preserve(f, rng);
  return { formula: f, label: 'Vitamin C', adjective: rng.pick(['Radiance', 'Brightening', 'Antioxidant']), noun: rng.pick(['Serum', 'Booster']), anhydrous: false, rinseOff: false, extras: ['extract', 'hyaluronate', 'soothing', 'antioxidant'] };
};

const serumRetinoidEmulsion: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 3], 0.6);
  const retinoid = rng.pick(['Retinol', 'Retinal', 'Hydroxypinacolone Retinoate', 'Retinyl Propionate', 'Bakuchiol']);
  f.add(retinoid);
  f.addRole('ester', rng.int(1, 2), { scale: 0.5 });
  if (rng.chance(0.5)) f.addRole('silicone', 1, { scale: 0.5 });
  f.addRole('polymerEmulsifier');
  if (rng.chance(0.4)) f.addRole('emulsifier', 1, { scale: 0.6 });
  f.add('Tocopherol', rng.range(0.1, 0.5));
  if (rng.chance(0.3)) f.add('BHT');
  if (rng.chance(0.6)) f.addRole('soothing');
  preserve(f, rng);
  const label = retinoid === 'Bakuchiol' ? 'Bakuchiol' : retinoid === 'Retinal' ? 'Retinal' : 'Retinoid';
  return { formula: f, label, adjective: rng.pick(['Renewing', 'Night', 'Smoothing', 'Resurfacing']), noun: rng.pick(['Serum', 'Emulsion']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'peptide', 'barrier', 'humectant'] };
};

const serumOil: Chassis = (rng) => {
  const f = new Formula(rng);
  // Anhydrous facial oil: the lead emollient is q.s. and tocopherol protects the unsaturated oils.
  const lead = rng.weighted((BY_ROLE.get('ester') ?? []).filter((i) => ['Squalane', 'Caprylic/Capric Triglyceride', 'Coco-Caprylate/Caprate'].includes(i.inci)), (i) => i.weight);
  f.qs = lead.inci;
  f.addRole('oil', rng.int(3, 6), { scale: 1.2 });
  f.add('Tocopherol', rng.range(0.2, 1));
  const hero = rng.pick([
    { inci: 'Bakuchiol', label: 'Bakuchiol', adj: 'Renewing' },
    { inci: 'Retinol', label: 'Retinol', adj: 'Night' },
    { inci: 'Tetrahexyldecyl Ascorbate', label: 'Vitamin C', adj: 'Radiance' },
    { inci: 'Rosa Canina Fruit Oil', label: 'Rosehip', adj: 'Restoring' },
    { inci: 'Squalane', label: 'Squalane', adj: 'Nourishing' },
  ]);
  if (!f.has(hero.inci)) f.add(hero.inci);
  f.addRole('oilExtract', rng.int(1, 3));
  if (rng.chance(0.3)) f.addRole('fragrance');
  return { formula: f, label: hero.label, adjective: hero.adj, noun: rng.pick(['Face Oil', 'Oil Serum']), anhydrous: true, rinseOff: false, extras: ['oilExtract', 'oil'] };
};

const serumBarrier: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.7);
  f.addRole('barrier', rng.int(2, 4));
  if (!f.has('Ceramide NP')) f.add('Ceramide NP');
  f.addRole('ester', 1, { scale: 0.4 });
  f.addRole('polymerEmulsifier');
  f.addRole('emulsifier', 1, { scale: 0.5, filter: (i) => i.inci === 'Hydrogenated Lecithin' || i.weight >= 2 });
  if (rng.chance(0.6)) f.add('Niacinamide', rng.range(2, 5));
  f.addRole('soothing');
  preserve(f, rng);
  return { formula: f, label: 'Ceramide', adjective: rng.pick(['Barrier', 'Replenishing', 'Recovery']), noun: 'Serum', anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'barrier', 'humectant', 'peptide'] };
};

// Moisturisers ------------------------------------------------------------------------------

const MOISTURISER_HEROES: Hero[] = [
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

const moisturiserCream: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.5);
  const hero = addHero(f, rng, MOISTURISER_HEROES);
  emulsionCore(f, rng, rng.range(1, 1.8));
  if (hero.label === 'Ceramide') {
    f.addRole('barrier', rng.int(2, 3));
  }
  if (rng.chance(0.5)) f.addRole('soothing');
  f.add('Tocopherol', rng.range(0.05, 0.5));
  preserve(f, rng);
  if (rng.chance(0.4)) f.addRole('acidBuffer');
  scent(f, rng, 0.4);
  return { formula: f, label: hero.label, adjective: rng.pick(hero.adjectives), noun: rng.pick(['Cream', 'Face Cream', 'Day Cream', 'Moisturiser']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'barrier', 'humectant', 'oilExtract', 'peptide', 'active'] };
};

const moisturiserLotion: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.6);
  const hero = addHero(f, rng, MOISTURISER_HEROES);
  emulsionCore(f, rng, rng.range(0.6, 1));
  if (rng.chance(0.5)) f.addRole('carbomer');
  if (rng.chance(0.4)) f.addRole('absorbent', 1, { filter: (i) => i.inci !== 'Jojoba Esters' && i.inci !== 'Cellulose' });
  preserve(f, rng);
  scent(f, rng, 0.35);
  return { formula: f, label: hero.label, adjective: rng.pick(hero.adjectives), noun: rng.pick(['Lotion', 'Fluid', 'Daily Lotion']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'barrier', 'humectant', 'oilExtract', 'active'] };
};

const moisturiserGelCream: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 4], 0.8);
  const hero = addHero(f, rng, MOISTURISER_HEROES);
  f.addRole('ester', rng.int(1, 2), { scale: 0.5 });
  if (rng.chance(0.7)) f.addRole('silicone', rng.int(1, 2), { scale: 0.6 });
  f.addRole('polymerEmulsifier');
  if (rng.chance(0.4)) f.addRole('polymerEmulsifier', 1, { scale: 0.6 });
  if (rng.chance(0.5)) f.addRole('thickener');
  if (rng.chance(0.5)) f.addRole('absorbent', 1, { filter: (i) => i.inci !== 'Jojoba Esters' && i.inci !== 'Cellulose' });
  preserve(f, rng);
  scent(f, rng, 0.35);
  return { formula: f, label: hero.label, adjective: rng.pick(['Water', ...hero.adjectives]), noun: 'Gel-Cream', anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'humectant', 'hyaluronate', 'active', 'barrier'] };
};

const moisturiserBarrier: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.4);
  f.add('Ceramide NP');
  f.addRole('barrier', rng.int(2, 4));
  f.add('Cholesterol');
  f.add(rng.pick(['Petrolatum', 'Butyrospermum Parkii Butter', 'Squalane', 'Mineral Oil']));
  emulsionCore(f, rng, rng.range(1.5, 2.2));
  if (rng.chance(0.6)) f.addRole('occlusive');
  f.add('Tocopherol', rng.range(0.05, 0.5));
  if (rng.chance(0.5)) f.add('Niacinamide', rng.range(2, 4));
  f.addRole('soothing');
  preserve(f, rng);
  return { formula: f, label: rng.pick(['Ceramide', 'Lipid']), adjective: rng.pick(['Barrier Repair', 'Intensive', 'Restoring']), noun: rng.pick(['Cream', 'Balm-Cream']), anhydrous: false, rinseOff: false, extras: ['soothing', 'barrier', 'extract', 'humectant', 'oilExtract'] };
};

const moisturiserWO: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.3);
  // Water-in-oil night cream: silicone or polyglyceryl W/O emulsifier plus salt for stability.
  f.addRole('emulsifierWO', rng.chance(0.5) ? 2 : 1);
  f.addRole('electrolyte');
  f.addRole('ester', rng.int(2, 3), { scale: 0.8 });
  f.addRole('oil', rng.int(1, 2));
  if (rng.chance(0.5)) f.addRole('silicone', 1);
  if (rng.chance(0.6)) f.addRole('occlusive');
  if (rng.chance(0.6)) f.addRole('butter');
  const hero = addHero(f, rng, MOISTURISER_HEROES.filter((h) => h.label !== 'Hyaluronic'));
  if (rng.chance(0.4)) f.add(rng.pick(['Retinol', 'Retinyl Propionate', 'Hydroxypinacolone Retinoate']));
  f.add('Tocopherol', rng.range(0.1, 0.5));
  preserve(f, rng);
  scent(f, rng, 0.3);
  return { formula: f, label: hero.label, adjective: rng.pick(['Night', 'Rich', 'Overnight']), noun: 'Cream', anhydrous: false, rinseOff: false, extras: ['oilExtract', 'soothing', 'barrier', 'extract', 'peptide'] };
};

// Cleansers ---------------------------------------------------------------------------------

const cleanserFoaming: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 2], 0.2);
  // Primary anionic + amphoteric/glucoside for mildness; total active matter ~8–20 %.
  f.addRole('surfactant', rng.int(1, 2));
  f.addRole('cosurfactant', rng.int(1, 2));
  f.addRole('cleanserAid', rng.int(1, 3));
  if (rng.chance(0.5)) f.addRole('thickener', 1, { scale: 0.6 });
  const hero = rng.pick([
    { inci: 'Salicylic Acid', label: 'Salicylic', adj: 'Clarifying' },
    { inci: 'Niacinamide', label: 'Niacinamide', adj: 'Balancing' },
    { inci: 'Panthenol', label: 'Panthenol', adj: 'Gentle' },
    { inci: 'Centella Asiatica Extract', label: 'Centella', adj: 'Calming' },
    { inci: 'Camellia Sinensis Leaf Extract', label: 'Green Tea', adj: 'Refreshing' },
    { inci: 'Glycerin', label: 'Amino Acid', adj: 'Gentle' },
    { inci: 'Ceramide NP', label: 'Ceramide', adj: 'Hydrating' },
    { inci: 'Zinc PCA', label: 'Zinc', adj: 'Purifying' },
  ]);
  if (!f.has(hero.inci)) f.add(hero.inci, hero.inci === 'Niacinamide' ? rng.range(2, 4) : undefined);
  if (hero.inci === 'Salicylic Acid' || rng.chance(0.6)) f.addRole('acidBuffer');
  preserve(f, rng);
  scent(f, rng, 0.55);
  if (rng.chance(0.25)) f.addRole('colourant', rng.int(1, 2));
  return { formula: f, label: hero.label, adjective: hero.adj, noun: rng.pick(['Foaming Cleanser', 'Gel Cleanser', 'Face Wash']), anhydrous: false, rinseOff: true, extras: ['extract', 'soothing', 'humectant', 'cleanserAid'] };
};

const cleanserCream: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 3], 0.2);
  f.addRole('surfactant', 1, { scale: 0.8 });
  f.addRole('cosurfactant', rng.int(1, 2));
  emulsionCore(f, rng, rng.range(0.7, 1.2));
  if (rng.chance(0.5)) f.addRole('barrier', 1);
  preserve(f, rng);
  if (rng.chance(0.5)) f.addRole('acidBuffer');
  scent(f, rng, 0.4);
  return { formula: f, label: rng.pick(['Ceramide', 'Oat', 'Hydrating', 'Milky']), adjective: rng.pick(['Gentle', 'Cream', 'Nourishing']), noun: rng.pick(['Cream Cleanser', 'Cleansing Milk', 'Cleansing Lotion']), anhydrous: false, rinseOff: true, extras: ['extract', 'soothing', 'oilExtract', 'humectant'] };
};

const cleanserOil: Chassis = (rng) => {
  const f = new Formula(rng);
  const lead = rng.pick(['Caprylic/Capric Triglyceride', 'Ethylhexyl Palmitate', 'Helianthus Annuus Seed Oil', 'Olea Europaea Fruit Oil', 'Carthamus Tinctorius Seed Oil']);
  f.qs = lead;
  f.addRole('oilCleanserEmulsifier', rng.int(1, 2));
  f.addRole('oil', rng.int(2, 4));
  f.addRole('ester', rng.int(1, 2));
  f.add('Tocopherol', rng.range(0.1, 0.5));
  f.addRole('oilExtract', rng.int(1, 2));
  // A balm is the same system set with butter and wax.
  const balm = rng.chance(0.35);
  if (balm) {
    f.addRole('butter', 1);
    f.add('Beeswax', rng.range(2, 3));
  }
  scent(f, rng, 0.45);
  const signature: [string, string][] = [['Simmondsia', 'Jojoba'], ['Olea', 'Olive'], ['Argania', 'Argan'], ['Prunus', 'Almond'], ['Carthamus', 'Safflower'], ['Helianthus', 'Sunflower']];
  const label = signature.find(([genus]) => f.names().some((n) => n.startsWith(genus)))?.[1] ?? 'Botanical';
  return { formula: f, label, adjective: rng.pick(['Melting', 'Gentle', 'Deep']), noun: balm ? 'Cleansing Balm' : 'Cleansing Oil', anhydrous: true, rinseOff: true, extras: ['oilExtract', 'oil'] };
};

const cleanserExfoliating: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 2], 0.1);
  f.addRole('surfactant', rng.int(1, 2));
  f.addRole('cosurfactant', 1);
  f.addRole('cleanserAid', rng.int(1, 2));
  f.addRole('absorbent', 1, { filter: (i) => i.inci === 'Jojoba Esters' || i.inci === 'Cellulose' });
  f.addRole('thickener');
  if (rng.chance(0.5)) f.add('Salicylic Acid', rng.range(0.5, 2));
  else f.add('Lactic Acid', rng.range(2, 5));
  f.addRole('base');
  preserve(f, rng);
  scent(f, rng, 0.5);
  return { formula: f, label: rng.pick(['Jojoba', 'BHA', 'Smoothing']), adjective: rng.pick(['Polishing', 'Renewing', 'Refining']), noun: 'Exfoliating Cleanser', anhydrous: false, rinseOff: true, extras: ['extract', 'soothing', 'humectant'] };
};

// Sunscreens --------------------------------------------------------------------------------

/** Sunscreen bases share humectants, a film former and skin feel. */
function sunBase(f: Formula, rng: Rng): void {
  aqueousBackbone(f, rng, [1, 3], 0.4);
  f.addRole('uvAid', rng.int(1, 2));
  if (rng.chance(0.6)) f.addRole('absorbent', 1, { filter: (i) => i.inci !== 'Jojoba Esters' && i.inci !== 'Cellulose' });
  f.add('Tocopherol', rng.range(0.1, 0.5));
}

const sunMineral: Chassis = (rng) => {
  const f = new Formula(rng);
  sunBase(f, rng);
  f.add('Zinc Oxide', rng.range(12, 25));
  if (rng.chance(0.5)) f.add('Titanium Dioxide', rng.range(2, 8));
  f.add(rng.pick(['Triethoxycaprylylsilane', 'Polyhydroxystearic Acid', 'Alumina']));
  const wo = rng.chance(0.4);
  if (wo) {
    f.addRole('emulsifierWO', 1);
    f.addRole('electrolyte');
    f.addRole('silicone', rng.int(1, 2));
  } else {
    f.addRole('emulsifier', rng.int(1, 2));
    f.addRole('fattyAlcohol', 1, { scale: 0.6 });
    f.addRole('thickener');
  }
  f.addRole('ester', rng.int(2, 3));
  preserve(f, rng);
  return { formula: f, label: 'Mineral', adjective: rng.pick(['Sheer', 'Daily', 'Sensitive']), noun: rng.pick(['Sunscreen SPF 30', 'Sunscreen SPF 50', 'Sun Fluid SPF 30']), anhydrous: false, rinseOff: false, extras: ['soothing', 'extract', 'humectant', 'antioxidant'] };
};

const sunChemical: Chassis = (rng) => {
  const f = new Formula(rng);
  sunBase(f, rng);
  // Avobenzone is the UVA anchor; octocrylene / triazines stabilise it, salicylates carry it.
  const usAvoSystem = rng.chance(0.55);
  if (usAvoSystem) {
    f.add('Butyl Methoxydibenzoylmethane', rng.range(2, 3));
    f.add('Homosalate', rng.range(5, 10));
    f.add('Ethylhexyl Salicylate', rng.range(3, 5));
    if (rng.chance(0.7)) f.add('Octocrylene', rng.range(3, 10));
  } else {
    f.add('Bis-Ethylhexyloxyphenol Methoxyphenyl Triazine', rng.range(2, 5));
    f.addRole('uvOrganic', rng.int(2, 3), { filter: (i) => i.inci !== 'Ensulizole' });
  }
  if (rng.chance(0.15)) {
    f.add('Ensulizole');
    f.add(rng.pick(['Triethanolamine', 'Tromethamine', 'Sodium Hydroxide']), 0.5);
  }
  f.addRole('emulsifier', rng.int(1, 2));
  if (rng.chance(0.5)) f.addRole('polymerEmulsifier');
  f.addRole('ester', rng.int(1, 3), { scale: 0.7 });
  if (rng.chance(0.5)) f.addRole('silicone');
  if (rng.chance(0.5)) f.addRole('fattyAlcohol', 1, { scale: 0.5 });
  preserve(f, rng);
  scent(f, rng, 0.25);
  return { formula: f, label: rng.pick(['Daily', 'Invisible', 'Broad Spectrum', 'Lightweight']), adjective: rng.pick(['UV', 'Sport', 'Defence']), noun: rng.pick(['Sunscreen SPF 50', 'Sun Lotion SPF 30', 'Sun Gel-Cream SPF 50']), anhydrous: false, rinseOff: false, extras: ['soothing', 'extract', 'humectant', 'antioxidant', 'active'] };
};

const sunHybrid: Chassis = (rng) => {
  const f = new Formula(rng);
  sunBase(f, rng);
  f.add('Zinc Oxide', rng.range(5, 12));
  f.addRole('uvOrganic', rng.int(2, 3), { filter: (i) => i.inci !== 'Ensulizole' && i.inci !== 'Homosalate' });
  f.addRole('emulsifier', 1);
  f.addRole(rng.chance(0.5) ? 'polymerEmulsifier' : 'emulsifierWO');
  f.addRole('ester', rng.int(1, 2));
  f.addRole('thickener');
  if (rng.chance(0.5)) f.add('Niacinamide', rng.range(2, 4));
  preserve(f, rng);
  return { formula: f, label: rng.pick(['Hybrid', 'Tinted', 'Daily']), adjective: rng.pick(['Sheer', 'Protect', 'Shield']), noun: rng.pick(['Sun Fluid SPF 50', 'Sunscreen SPF 30']), anhydrous: false, rinseOff: false, extras: ['soothing', 'extract', 'humectant', 'antioxidant', 'active'] };
};

// Masks -------------------------------------------------------------------------------------

const maskClay: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 2], 0.2);
  f.add('Kaolin', rng.range(12, 30));
  f.addRole('clay', rng.int(1, 2));
  f.addRole('emulsifier', 1, { scale: 0.7 });
  f.addRole('fattyAlcohol', 1, { scale: 0.7 });
  f.addRole('ester', 1, { scale: 0.5 });
  if (rng.chance(0.5)) f.addRole('absorbent', 1, { filter: (i) => i.inci === 'Silica' || i.inci === 'Zea Mays Starch' });
  if (rng.chance(0.4)) f.add('Salicylic Acid', rng.range(0.5, 2));
  if (rng.chance(0.3)) f.add('Sulfur', rng.range(2, 5));
  if (rng.chance(0.3)) f.addRole('acidBuffer');
  f.addRole('thickener', 1, { scale: 0.6 });
  preserve(f, rng);
  scent(f, rng, 0.4);
  if (rng.chance(0.3)) f.addRole('colourant', 1, { filter: (i) => i.inci.startsWith('CI ') || i.inci === 'Chlorophyllin-Copper Complex' });
  const label = f.has('Sulfur') ? 'Sulfur' : f.has('Charcoal Powder') ? 'Charcoal' : f.has('Salicylic Acid') ? 'BHA Clay' : 'Kaolin';
  return { formula: f, label, adjective: rng.pick(['Purifying', 'Detox', 'Pore-Clearing', 'Mattifying']), noun: 'Clay Mask', anhydrous: false, rinseOff: true, extras: ['extract', 'soothing', 'active'] };
};

const maskGel: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 4], 0.95);
  if (rng.chance(0.5)) f.addRole('aqueousBase');
  f.addRole(rng.chance(0.5) ? 'carbomer' : 'thickener');
  f.addRole('thickener', 1, { scale: 0.6 });
  f.addRole('soothing', rng.int(1, 2));
  preserve(f, rng);
  scent(f, rng, 0.35);
  if (rng.chance(0.2)) f.addRole('colourant');
  return { formula: f, label: rng.pick(['Aloe', 'Hyaluronic', 'Cucumber', 'Centella', 'Water']), adjective: rng.pick(['Cooling', 'Hydrating', 'Soothing', 'Quenching']), noun: rng.pick(['Gel Mask', 'Hydrating Mask']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'humectant', 'hyaluronate'] };
};

const maskSleeping: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 4], 0.7);
  const hero = addHero(f, rng, MOISTURISER_HEROES);
  f.addRole('ester', rng.int(1, 2), { scale: 0.6 });
  if (rng.chance(0.5)) f.addRole('butter', 1, { scale: 0.6 });
  f.addRole('polymerEmulsifier');
  if (rng.chance(0.5)) f.addRole('emulsifier', 1, { scale: 0.6 });
  f.addRole('thickener', 1, { scale: 0.6 });
  preserve(f, rng);
  scent(f, rng, 0.4);
  return { formula: f, label: hero.label, adjective: rng.pick(['Overnight', 'Recovery', 'Sleeping']), noun: rng.pick(['Sleeping Mask', 'Overnight Mask', 'Cream Mask']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'humectant', 'barrier', 'peptide'] };
};

const maskPeelOff: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 2], 0.2);
  f.add('Polyvinyl Alcohol');
  f.addRole('solvent');
  if (rng.chance(0.5)) f.addRole('filmFormer', 1, { filter: (i) => i.inci !== 'Polyvinyl Alcohol' });
  f.addRole('thickener', 1, { scale: 0.6 });
  if (rng.chance(0.5)) f.addRole('clay', 1, { filter: (i) => i.inci === 'Charcoal Powder' || i.inci === 'Kaolin' , scale: 0.3 });
  f.addRole('solubiliser');
  preserve(f, rng);
  scent(f, rng, 0.5);
  if (rng.chance(0.5)) f.addRole('colourant');
  return { formula: f, label: f.has('Charcoal Powder') ? 'Charcoal' : rng.pick(['Fruit Enzyme', 'Green Tea', 'Pore']), adjective: rng.pick(['Peel-Off', 'Clarifying']), noun: 'Peel-Off Mask', anhydrous: false, rinseOff: true, extras: ['extract', 'soothing', 'humectant'] };
};

// Toners ------------------------------------------------------------------------------------

const tonerHydrating: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 3], 0.6);
  if (rng.chance(0.5)) f.addRole('aqueousBase');
  if (rng.chance(0.5)) f.addRole('soothing');
  if (rng.chance(0.3)) f.addRole('thickener', 1, { scale: 0.3 });
  if (rng.chance(0.4)) f.addRole('acidBuffer');
  preserve(f, rng);
  scent(f, rng, 0.35);
  if (f.hasRole('fragrance')) f.addRole('solubiliser');
  const base = f.names().find((n) => BY_NAME.get(n)!.role === 'aqueousBase');
  const label = base?.startsWith('Rosa') ? 'Rose' : base?.startsWith('Hamamelis') ? 'Witch Hazel' : base?.startsWith('Galactomyces') ? 'Ferment' : base?.startsWith('Aloe') ? 'Aloe' : rng.pick(['Hyaluronic', 'Hydrating', 'Milky']);
  return { formula: f, label, adjective: rng.pick(['Hydrating', 'Softening', 'Refreshing', 'Balancing']), noun: rng.pick(['Toner', 'Essence', 'Facial Mist']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'humectant', 'hyaluronate'] };
};

const tonerEssence: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.7);
  const base = rng.pick(['Galactomyces Ferment Filtrate', 'Centella Asiatica Leaf Water', 'Aloe Barbadensis Leaf Juice']);
  f.add(base);
  f.add(rng.pick(['Niacinamide', 'Panthenol', 'Betaine', 'Adenosine', 'Alpha-Arbutin']));
  f.addRole('thickener', 1, { scale: 0.3 });
  preserve(f, rng);
  scent(f, rng, 0.2);
  if (f.hasRole('fragrance')) f.addRole('solubiliser');
  return { formula: f, label: base.startsWith('Galactomyces') ? 'Ferment' : base.startsWith('Centella') ? 'Centella' : 'Aloe', adjective: rng.pick(['First', 'Treatment', 'Radiance']), noun: 'Essence Toner', anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'humectant', 'hyaluronate', 'active'] };
};

const tonerClarifying: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 2], 0.3);
  if (rng.chance(0.5)) f.add('Hamamelis Virginiana Water');
  f.add(rng.pick(['Niacinamide', 'Zinc PCA', 'Salicylic Acid', 'Gluconolactone']), undefined);
  if (f.has('Salicylic Acid') || f.has('Gluconolactone')) f.addRole('base');
  if (rng.chance(0.3)) f.addRole('solvent', 1, { scale: 0.6 });
  if (rng.chance(0.4)) f.addRole('acidBuffer');
  preserve(f, rng);
  scent(f, rng, 0.3);
  if (f.hasRole('fragrance') || f.has('Salicylic Acid')) f.addRole('solubiliser');
  const label = f.has('Salicylic Acid') ? 'BHA' : f.has('Zinc PCA') ? 'Zinc' : f.has('Gluconolactone') ? 'PHA' : 'Niacinamide';
  return { formula: f, label, adjective: rng.pick(['Clarifying', 'Pore', 'Balancing', 'Mattifying']), noun: 'Toner', anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'humectant'] };
};

// Eye care ----------------------------------------------------------------------------------

const EYE_HEROES: Hero[] = [
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

const eyeGel: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.9);
  const hero = addHero(f, rng, EYE_HEROES.filter((h) => !['Retinol', 'Hydroxypinacolone Retinoate', 'Bakuchiol', 'Ceramide NP'].includes(h.inci)), 0.8);
  f.addRole('peptide', rng.int(1, 2));
  f.addRole(rng.chance(0.5) ? 'carbomer' : 'polymerEmulsifier');
  f.addRole('thickener', 1, { scale: 0.5 });
  f.addRole('soothing');
  if (rng.chance(0.5)) f.addRole('silicone', 1, { scale: 0.4 });
  preserve(f, rng);
  return { formula: f, label: hero.label, adjective: rng.pick(hero.adjectives), noun: 'Eye Gel', anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'peptide', 'humectant', 'active'] };
};

const eyeCream: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.6);
  const hero = addHero(f, rng, EYE_HEROES, 0.7);
  emulsionCore(f, rng, rng.range(1, 1.6));
  f.addRole('peptide', rng.int(1, 3));
  if (rng.chance(0.6)) f.add('Caffeine');
  if (rng.chance(0.5)) f.addRole('barrier');
  f.add('Tocopherol', rng.range(0.05, 0.5));
  preserve(f, rng);
  return { formula: f, label: hero.label, adjective: rng.pick(hero.adjectives), noun: rng.pick(['Eye Cream', 'Eye Balm-Cream', 'Eye Contour Cream']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'peptide', 'barrier', 'humectant', 'oilExtract'] };
};

// Exfoliants --------------------------------------------------------------------------------

const exfoliantLeaveOn: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 3], 0.4);
  const acid = rng.weighted((BY_ROLE.get('acid') ?? []).filter((i) => ['Glycolic Acid', 'Lactic Acid', 'Mandelic Acid', 'Salicylic Acid', 'Gluconolactone', 'Lactobionic Acid'].includes(i.inci)), (i) => i.weight);
  // The declared acid sits at the top half of its range: it is the point of the product.
  f.add(acid.inci, rng.range((acid.min + acid.max) / 2, acid.max));
  if (rng.chance(0.5)) f.addRole('acid', 1, { scale: 0.4, filter: (i) => i.inci !== 'Papain' });
  // Partial neutralisation sets the pH around 3.5–4.
  f.addRole('base');
  if (rng.chance(0.4)) f.addRole('aqueousBase');
  if (acid.inci === 'Salicylic Acid' && rng.chance(0.5)) f.addRole('solvent', 1, { scale: 0.5 });
  f.addRole('soothing', rng.int(1, 2));
  if (rng.chance(0.4)) f.addRole('thickener', 1, { scale: 0.4 });
  preserve(f, rng);
  scent(f, rng, 0.2);
  if (f.hasRole('fragrance') || acid.inci === 'Salicylic Acid') f.addRole('solubiliser');
  const label: Record<string, string> = { 'Glycolic Acid': 'Glycolic', 'Lactic Acid': 'Lactic', 'Mandelic Acid': 'Mandelic', 'Salicylic Acid': 'BHA', Gluconolactone: 'PHA', 'Lactobionic Acid': 'PHA' };
  // Marketed strength: whole percent for AHAs, nearest half percent for BHA.
  const level = f.levels.get(acid.inci)!;
  const pct = level >= 3 ? Math.round(level) : Math.round(level * 2) / 2;
  return { formula: f, label: `${pct}% ${label[acid.inci]}`, adjective: rng.pick(['Resurfacing', 'Exfoliating', 'Smoothing', 'Renewing']), noun: rng.pick(['Toner', 'Liquid Exfoliant', 'Solution']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'humectant', 'hyaluronate'] };
};

const exfoliantSerumGel: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [2, 3], 0.7);
  f.addRole('acid', rng.int(1, 2), { filter: (i) => i.weight >= 1, scale: 0.8 });
  if (rng.chance(0.4)) f.add('Niacinamide', rng.range(2, 4));
  f.addRole(rng.chance(0.5) ? 'thickener' : 'polymerEmulsifier');
  f.addRole('base');
  f.addRole('soothing');
  preserve(f, rng);
  const acids = f.names().filter((n) => BY_NAME.get(n)!.role === 'acid');
  const pha = ['Gluconolactone', 'Lactobionic Acid'];
  const label =
    acids.length === 1
      ? acids[0]!.replace(' Acid', '')
      : acids.includes('Salicylic Acid')
        ? 'AHA/BHA'
        : acids.every((a) => pha.includes(a))
          ? 'PHA'
          : acids.some((a) => pha.includes(a))
            ? 'AHA/PHA'
            : 'AHA';
  return { formula: f, label, adjective: rng.pick(['Resurfacing', 'Overnight', 'Smoothing']), noun: rng.pick(['Peel Serum', 'Exfoliating Gel']), anhydrous: false, rinseOff: false, extras: ['extract', 'soothing', 'humectant', 'hyaluronate', 'peptide'] };
};

const exfoliantEnzymeMask: Chassis = (rng) => {
  const f = new Formula(rng);
  aqueousBackbone(f, rng, [1, 2], 0.3);
  f.add('Papain');
  f.add(rng.pick(['Carica Papaya Fruit Extract', 'Ananas Sativus Fruit Extract']));
  f.addRole('acid', 1, { filter: (i) => ['Lactic Acid', 'Mandelic Acid', 'Gluconolactone', 'Malic Acid'].includes(i.inci), scale: 0.6 });
  f.addRole('clay', 1, { scale: 0.5 });
  f.addRole('thickener');
  f.addRole('base');
  preserve(f, rng);
  return { formula: f, label: 'Fruit Enzyme', adjective: rng.pick(['Polishing', 'Radiance']), noun: 'Exfoliating Mask', anhydrous: false, rinseOff: true, extras: ['extract', 'soothing', 'humectant'] };
};

/** Chassis per category, with relative odds. */
const CHASSIS: Record<Category, [Chassis, number][]> = {
  serum: [[serumAqueous, 5], [serumVitaminC, 1.5], [serumRetinoidEmulsion, 2], [serumOil, 1.2], [serumBarrier, 1.3]],
  moisturiser: [[moisturiserCream, 4], [moisturiserLotion, 2], [moisturiserGelCream, 2.5], [moisturiserBarrier, 1.5], [moisturiserWO, 1]],
  cleanser: [[cleanserFoaming, 5], [cleanserCream, 2], [cleanserOil, 1.8], [cleanserExfoliating, 1.2]],
  sunscreen: [[sunMineral, 3], [sunChemical, 4], [sunHybrid, 2]],
  mask: [[maskClay, 4], [maskGel, 2.5], [maskSleeping, 2.5], [maskPeelOff, 1]],
  toner: [[tonerHydrating, 4], [tonerEssence, 2], [tonerClarifying, 3]],
  'eye cream': [[eyeCream, 3], [eyeGel, 2]],
  exfoliant: [[exfoliantLeaveOn, 4], [exfoliantSerumGel, 2.5], [exfoliantEnzymeMask, 1]],
};

// Chemistry rules ---------------------------------------------------------------------------

/**
 * Applies the rules every draft must satisfy, whatever the chassis forgot:
 * preservative with water, emulsifier when oil meets water, tocopherol in anhydrous oils,
 * a pH adjuster with acids or carbomer.
 */
function enforceRules(d: Draft, rng: Rng): void {
  const f = d.formula;
  const roles = new Set(f.names().map((n) => BY_NAME.get(n)!.role));
  const hasWater = f.has('Water');
  if (hasWater && !roles.has('preservative')) f.addRole('preservative');
  const hasOil = f.names().some((n) => OIL_PHASE_ROLES.has(BY_NAME.get(n)!.role)) || f.has('Tocopherol') || roles.has('fragrance');
  if (hasWater && hasOil && ![...roles].some((r) => EMULSIFIER_ROLES.has(r))) {
    // Small oil-soluble additions in a clear product are solubilised, real oil phases emulsified.
    const oilLoad = f.names().filter((n) => OIL_PHASE_ROLES.has(BY_NAME.get(n)!.role)).reduce((s, n) => s + (f.levels.get(n) ?? 0), 0);
    f.addRole(oilLoad > 1 ? 'polymerEmulsifier' : 'solubiliser');
  }
  if (d.anhydrous && !f.has('Tocopherol')) f.add('Tocopherol', rng.range(0.1, 0.5));
  const acidic = f.names().some((n) => {
    const e = BY_NAME.get(n)!;
    return e.role === 'acid' || e.role === 'carbomer' || ['Ascorbic Acid', 'Azelaic Acid', 'Ferulic Acid', 'Ensulizole', 'Acrylates/C10-30 Alkyl Acrylate Crosspolymer'].includes(n);
  });
  if (acidic && !f.names().some((n) => BY_NAME.get(n)!.role === 'base')) f.addRole('base');
}

/** How many ingredients of a role padding may bring a formula up to (a formulator stops somewhere). */
const PAD_CAPS: Partial<Record<Role, number>> = {
  humectant: 5,
  hyaluronate: 2,
  extract: 6,
  soothing: 4,
  barrier: 5,
  peptide: 4,
  oil: 7,
  oilExtract: 5,
  cleanserAid: 4,
  antioxidant: 2,
  active: 3,
};

/** Glycol-type humectants: two or three per formula is plenty, so padding never adds more. */
const GLYCOLS: ReadonlySet<string> = new Set(['Glycerin', 'Butylene Glycol', 'Propanediol', 'Pentylene Glycol', 'Propylene Glycol', 'Diglycerin', 'Sorbitol']);

/** Water-soluble actives that sit well as a second, supporting active in almost any base. */
const SUPPORT_ACTIVES: ReadonlySet<string> = new Set([
  'Adenosine',
  'Acetyl Glucosamine',
  'Caffeine',
  'Zinc PCA',
  'Hydroxypropyl Tetrahydropyrantriol',
  'Ascorbyl Glucoside',
  'Alpha-Arbutin',
  'Tranexamic Acid',
  'Niacinamide',
]);

/** Pads the declaration with supporting ingredients up to a realistic length. */
function padToLength(d: Draft, rng: Rng, target: number): void {
  const f = d.formula;
  let guard = 0;
  let paddedActive = false;
  while (f.count() < target && guard++ < 200) {
    const role = rng.pick(d.extras);
    // Supporting ingredients go in at modest levels so they never crowd the water phase.
    const scale = ['humectant', 'oil', 'active'].includes(role) ? 0.4 : 1;
    const filter = (i: Ingredient): boolean =>
      // Padding only adds supporting actives and minor (non-glycol) humectants; anhydrous
      // products only take oil-soluble additions.
      (role !== 'active' || SUPPORT_ACTIVES.has(i.inci)) &&
      (role !== 'humectant' || !GLYCOLS.has(i.inci)) &&
      (!d.anhydrous || OIL_PHASE_ROLES.has(i.role)) &&
      // Retinoids are never an afterthought, and pointless in a rinse-off product.
      !(d.rinseOff && i.inci === 'Retinyl Palmitate') &&
      !(f.names().some((n) => /^Retin/.test(n)) && i.inci === 'Retinyl Palmitate');
    if ((f.countRole(role) >= (PAD_CAPS[role] ?? 4)) || (role === 'active' && paddedActive)) {
      // This role is full; stop once every padding role is full.
      if (d.extras.every((r) => f.countRole(r) >= (PAD_CAPS[r] ?? 4) || (r === 'active' && paddedActive))) break;
      continue;
    }
    if (role === 'active') paddedActive = true;
    f.addRole(role, 1, { scale, filter });
  }
}

// Benefit scores ----------------------------------------------------------------------------

/**
 * Scores each benefit from content and level. Each ingredient contributes its strength scaled
 * by sqrt(level / max level) (diminishing returns), contributions combine like independent
 * probabilities, rinse-off products keep only part of the effect, and a little seeded noise
 * keeps neighbouring formulas from sharing identical scores.
 */
function scoreBenefits(names: string[], levels: number[], rinseOff: boolean, rng: Rng): Record<Benefit, number> {
  const out = {} as Record<Benefit, number>;
  for (const b of BENEFITS) {
    let remaining = 1;
    names.forEach((n, idx) => {
      const e = BY_NAME.get(n)!;
      const s = e.benefits[b];
      if (!s) return;
      const effect = Math.min(0.95, s * Math.sqrt(Math.min(1.5, levels[idx]! / e.max)));
      remaining *= 1 - effect;
    });
    let score = 1 - remaining;
    if (b === 'uv_protection' && score > 0) score = Math.min(0.98, score * 1.05);
    if (rinseOff) score *= b === 'exfoliation' || b === 'oil_control' || b === 'anti_acne' ? 0.6 : 0.4;
    if (score > 0.02) score += rng.range(-0.05, 0.05);
    out[b] = Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;
  }
  return out;
}

// Catalog -----------------------------------------------------------------------------------

export interface SampleProduct {
  name: string;
  brand: string;
  category: Category;
  ingredients: string;
  concentrations: number[];
  hydration: number;
  barrier_repair: number;
  anti_ageing: number;
  brightening: number;
  soothing: number;
  oil_control: number;
  exfoliation: number;
  uv_protection: number;
  anti_acne: number;
}

const PER_CATEGORY = 54; // 8 × 54 = 432
const BRANDS = ['Sample Lab A', 'Sample Lab B', 'Sample Lab C'];

/** "Illustrative <hero> <claim> <format> <n>", e.g. "Illustrative Niacinamide Balancing Serum 12". */
function productName(d: Draft, n: number): string {
  const words = [d.label, d.adjective, d.noun].join(' ').split(' ');
  // Drop repeated words ("Hydrating Hydrating Mask") that random label/adjective pairs produce.
  const seen = new Set<string>();
  const kept = words.filter((w) => {
    const k = w.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return `Illustrative ${kept.join(' ')} ${n}`;
}

/** Builds one valid product for a category, retrying drafts that break a sanity limit. */
function buildProduct(category: Category, rng: Rng, n: number): SampleProduct {
  const [lo, hi] = LENGTHS[category];
  for (let attempt = 0; attempt < 50; attempt++) {
    const chassis = rng.weighted(CHASSIS[category], ([, w]) => w)[0];
    const d = chassis(rng);
    enforceRules(d, rng);
    // Triangular-ish target length: most declarations sit mid-range.
    const target = Math.round((rng.range(lo, hi) + rng.range(lo, hi)) / 2);
    padToLength(d, rng, target);
    enforceRules(d, rng);
    const { names, levels } = d.formula.declare();
    const qsLevel = levels[names.indexOf(d.formula.qs!)]!;
    // Reject drafts where the q.s. ingredient is not the largest or the list is out of range.
    if (names[0] !== d.formula.qs || qsLevel < 30 || names.length < lo || names.length > hi) continue;
    const scores = scoreBenefits(names, levels, d.rinseOff, rng);
    return {
      name: productName(d, n),
      brand: rng.pick(BRANDS),
      category,
      ingredients: names.join(', '),
      concentrations: levels,
      ...scores,
    };
  }
  throw new Error(`could not build a valid ${category} after 50 attempts`);
}

/** Builds the whole catalog, categories interleaved so any prefix is balanced. */
export function buildCatalog(seed = SEED): SampleProduct[] {
  const rng = new Rng(seed);
  const products: SampleProduct[] = [];
  let n = 1;
  for (let i = 0; i < PER_CATEGORY; i++) {
    for (const c of CATEGORIES) products.push(buildProduct(c, rng, n++));
  }
  return products;
}

/**
 * Any number of products built the same way, for scale and durability tests (a 50,000-product
 * catalog). Categories cycle; names are unique ("… N"); deterministic for a seed.
 */
export function* synthesiseProducts(count: number, seed: number): Generator<SampleProduct> {
  const rng = new Rng(seed);
  for (let n = 1; n <= count; n++) yield buildProduct(CATEGORIES[(n - 1) % CATEGORIES.length]!, rng, n);
}

// Knowledge-base check ----------------------------------------------------------------------

/** Fails loudly if any vocabulary name would not resolve in the knowledge base. */
function assertVocabularyKnown(kbPath: string): void {
  const kb = JSON.parse(readFileSync(kbPath, 'utf8')) as { ingredients: { inci: string }[] };
  const known = new Set(kb.ingredients.map((i) => ingredientKey(i.inci)));
  const unknown = VOCABULARY.filter((i) => !known.has(ingredientKey(i.inci)) || i.inci.includes(',')).map((i) => i.inci);
  const dupes = VOCABULARY.filter((i, idx) => VOCABULARY.findIndex((j) => j.inci === i.inci) !== idx).map((i) => i.inci);
  if (unknown.length || dupes.length) {
    throw new Error(`vocabulary problems:\n  unknown: ${unknown.join(' | ')}\n  duplicated: ${dupes.join(' | ')}`);
  }
}

/** Entry point: validate vocabulary, build, write pretty JSON with one product per block. */
function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  assertVocabularyKnown(join(root, 'resources', 'knowledge', 'ingredients.json'));
  const catalog = {
    notice:
      "Illustrative formulations generated for Latent Formulator's demo and tests. They are not real products and are not safety- or stability-tested.",
    generator: { script: 'scripts/build-sample-catalog.ts', seed: SEED },
    products: buildCatalog(SEED),
  };
  const out = join(root, 'resources', 'sample-catalog.json');
  writeFileSync(out, JSON.stringify(catalog, null, 2) + '\n');
  console.log(`wrote ${catalog.products.length} products to ${out}`);
}

// Run only when executed directly, so checks can import the vocabulary without side effects.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
