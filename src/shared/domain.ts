/**
 * Domain vocabulary shared by every layer: functional classes, benefits, and the shapes that
 * cross the API contract. Pure TypeScript; imports nothing from main, preload or renderer.
 */

/** Functional classes an ingredient can have in the knowledge base. */
export const INGREDIENT_FUNCTIONS = [
  'solvent', 'humectant', 'emollient', 'occlusive', 'emulsifier', 'surfactant', 'thickener',
  'film-former', 'preservative', 'chelator', 'ph-adjuster', 'antioxidant', 'uv-filter',
  'colourant', 'fragrance', 'fragrance-allergen', 'skin-conditioning', 'active',
  'botanical-extract', 'exfoliant', 'absorbent', 'opacifier', 'buffer', 'stabiliser',
  'penetration-enhancer', 'abrasive', 'silicone', 'polymer', 'mineral', 'peptide', 'vitamin',
  'ceramide', 'probiotic-ferment', 'protein',
] as const;
export type IngredientFunction = (typeof INGREDIENT_FUNCTIONS)[number];

/** Skin benefits the knowledge base tags actives with (and the knowledge-based scorer predicts). */
export const SKIN_BENEFITS = [
  'hydration', 'barrier_repair', 'anti_ageing', 'brightening', 'soothing', 'oil_control',
  'exfoliation', 'uv_protection', 'anti_acne',
] as const;
export type SkinBenefit = (typeof SKIN_BENEFITS)[number];

/** Typical-use concentration class: common knowledge of whether an ingredient sits above the 1 % line. */
export type ConcentrationClass = 'above-1' | 'below-1' | null;

/** Where an ingredient record came from. `catalog` = seen in an imported list but unknown to the knowledge base. */
export type IngredientOrigin = 'kb' | 'user' | 'catalog';

/** One knowledge-base entry as stored and shown. */
export interface IngredientRecord {
  id: number;
  inci: string;
  synonyms: string[];
  misspellings: string[];
  functions: IngredientFunction[];
  concentration: ConcentrationClass;
  benefits: SkinBenefit[];
  note: string;
  origin: IngredientOrigin;
}

/** Fields a user supplies to add or edit an ingredient. */
export interface IngredientInput {
  inci: string;
  synonyms?: string[];
  misspellings?: string[];
  functions?: IngredientFunction[];
  concentration?: ConcentrationClass;
  benefits?: SkinBenefit[];
  note?: string;
}

/** Section of a declaration an ingredient was listed in. */
export type DeclarationSection = 'main' | 'active' | 'may-contain';

/** Where a benefit score came from. */
export type BenefitSource = 'imported' | 'predicted' | 'knowledge';

export interface BenefitScore {
  benefit: string;
  value: number;
  source: BenefitSource;
}

export interface ProductSummary {
  id: number;
  name: string;
  brand: string;
  category: string;
  ingredientCount: number;
  catalogId: number;
}

export interface ProductIngredient {
  position: number;
  ingredientId: number;
  inci: string;
  /** The text as written in the source declaration. */
  raw: string;
  percent: number | null;
  section: DeclarationSection;
  known: boolean;
  functions: IngredientFunction[];
}

export interface ProductDetail extends ProductSummary {
  declaration: string;
  catalogName: string;
  sourceLine: number | null;
  ingredients: ProductIngredient[];
  benefits: BenefitScore[];
  extra: Record<string, string>;
  warnings: string[];
}

export interface CatalogSummary {
  id: number;
  name: string;
  sourcePath: string;
  importedAt: string;
  productCount: number;
  illustrative: boolean;
}

/** A trained model's record (weights live in a verified folder beside the database). */
export interface ModelRecord {
  id: number;
  name: string;
  createdAt: string;
  preset: string;
  seed: number;
  backend: string;
  trainMs: number;
  epochs: number;
  vocabularySize: number;
  vocabularyHash: string;
  config: Record<string, unknown>;
  metrics: ModelMetricsSummary;
  snapshot: { products: number; catalogs: number[]; hash: string; benefitSources: string[] };
  /** The catalogs the model was trained on, each with its last known name and the products taken from it. */
  trainedOn: ModelCatalog[];
  active: boolean;
}

/** One catalog a model was trained on. */
export interface ModelCatalog {
  catalogId: number;
  /** The catalog's name (its last name when it has been deleted). */
  name: string;
  /** Products of this catalog in the training set. */
  products: number;
  /** When the catalog was deleted (the model still works; the map uses the catalogs that remain), or null. */
  deletedAt: string | null;
}

export interface ReconstructionSummary {
  products: number;
  /** Mean Jaccard between decoded and true ingredient sets (true sets without rare buckets). */
  jaccard: number;
  /** Mean Kendall τ over the ingredients a decoded list shares with the truth. */
  kendallTau: number | null;
  /** The same pairs ordered by each ingredient's mean position in the training lists: the bar to beat. */
  kendallTauPriorOrder: number | null;
  /**
   * τ split at each true list's 1 % line (its first ingredient the knowledge base says is usually
   * used below 1 %): over the shared ingredients above the line, whose order labelling rules fix
   * (descending concentration), and over those below it, whose order is free. Absent in models
   * saved before.
   */
  kendallTauAboveLine?: number | null;
  kendallTauBelowLine?: number | null;
  /** Share of decoded lists with no repeated ingredient and no bucket/unknown token. */
  validShare: number;
  meanDecodedLength: number;
  meanTrueLength: number;
}

/** The metrics stored with a model (see src/main/ml/evaluate.ts for their definitions). */
export interface ModelMetricsSummary {
  train: ReconstructionSummary;
  heldOut: ReconstructionSummary;
  /** Held-out AUC for 0/1 flags, held-out MAE (original units) for scores. */
  benefits: { name: string; kind: 'flag' | 'score'; auc: number | null; mae: number | null }[];
  meanFlagAuc: number | null;
  /** Mean KL (nats) of each latent dimension over all products. */
  klPerDimension: number[];
  /** Dimensions whose mean code varies across products (Cov > 0.01, Burda et al.). */
  activeUnits: number;
  /** Share of ingredient occurrences mapped to a rare bucket (never decodable). */
  bucketRate: number;
  /** The benefit predictor the app scores with (list predictor + heads); absent in models saved before it. */
  benefitPredictor?: BenefitPredictorSummary;
}

/**
 * Held-out figures of the benefit predictor (src/main/ml/evaluate-benefits.ts). `meanFlagAuc`
 * above is the latent heads' alone; the app scores with the combination.
 */
export interface BenefitPredictorSummary {
  /** Weight of the latent heads in the combination (0: the list predictor alone). */
  headWeight: number;
  /** Mean held-out skin-flag AUC of the list predictor alone and of the combination. */
  listMeanFlagAuc: number | null;
  combinedMeanFlagAuc: number | null;
  /** Share of held-out score values inside their stated 80 % interval (target 0.75–0.85). */
  intervalCoverage: number | null;
  /** Mean squared error of the flags' probabilities (Brier score; lower is better). */
  flagBrier: number | null;
  /** Mean ± half-width stated for flags (probability) and for scores (their units). */
  meanFlagUncertainty: number | null;
  meanScoreUncertainty: number | null;
}

/** Where a saved candidate stands in the lab, in workflow order. */
export const CANDIDATE_STATUSES = ['idea', 'in-lab', 'rejected', 'approved'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

/** Where a saved candidate's ingredient list came from. */
export const CANDIDATE_SOURCES = ['generated', 'edited-product', 'optimised', 'manual'] as const;
export type CandidateSource = (typeof CANDIDATE_SOURCES)[number];
