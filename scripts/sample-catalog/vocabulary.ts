/**
 * The vocabulary of the sample catalog: every ingredient a recipe may ask for, with its
 * functional role, its usual use level and what it does for the skin. This is data, one line per
 * ingredient; scripts/build-sample-catalog.ts checks every name against the app's knowledge base
 * before it writes the catalog.
 */
import { SKIN_BENEFITS, type SkinBenefit } from '../../src/shared/domain';

/** The benefit scores every sample product carries: the app's own list. */
export const BENEFITS = SKIN_BENEFITS;
/** One of the benefit scores a sample product carries. */
export type Benefit = SkinBenefit;
type BenefitMap = Partial<Record<Benefit, number>>;

/** Functional roles. A recipe asks for ingredients by role; the checks reason by role too. */
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

/** Every ingredient a recipe may use, grouped by role; the order is part of the seeded output. */
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
