import { z } from 'zod';
import { briefRequestFields } from './briefs';
import { idSchema, seedSchema, type ArgsOf } from './common';
import type { AppliedBrief } from './generate';
import type { ApiMethod } from './methods';

/** Exploring the latent space: neighbours, density and whitespace, interpolation, sensitivity and the map. */

export interface NeighbourEntry {
  productId: number;
  name: string;
  brand: string;
  /** Distance between whitened latent codes (Mahalanobis distance of the raw codes). */
  distance: number | null;
  jaccard: number;
  weightedJaccard: number;
  shared: string[];
  onlyInQuery: string[];
  onlyInProduct: string[];
}

export interface NeighboursResult {
  modelId: number;
  query: { productId: number | null; ingredients: string[] };
  /** The k nearest catalog products in latent space. */
  byLatent: NeighbourEntry[];
  /** The k catalog products with the highest position-weighted ingredient overlap. */
  byOverlap: NeighbourEntry[];
  /** With a design brief: the brief, and how many catalog products meet it (the only ones compared). */
  brief?: { applied: AppliedBrief; meeting: number };
}

export interface WhitespaceResult {
  modelId: number;
  products: number;
  bandwidth: number;
  bandwidthRule: string;
  /** With cross-validation: each candidate bandwidth and its mean leave-one-out log density. */
  bandwidthScores?: { bandwidth: number; meanLogDensity: number }[];
  /** Leave-one-out log densities of the catalog: 5th, 50th and 95th percentiles. */
  logDensityPercentiles: { p5: number; p50: number; p95: number };
  /** The k products in the sparsest regions (candidate outliers), sparsest first. */
  sparsest: { productId: number; name: string; brand: string; logDensity: number }[];
  /**
   * Whitespace between supported products: midpoints of neighbouring, well-supported products
   * (both above the 25th density percentile) where the density dips below both ends, deepest
   * dip first, each decoded to its most likely list.
   */
  gaps: {
    between: [{ productId: number; name: string }, { productId: number; name: string }];
    midpointLogDensity: number;
    depth: number;
    ingredients: string[];
    benefits: Record<string, number>;
  }[];
}

export interface DensityResult {
  modelId: number;
  /** Log density under the catalog KDE (leave-one-out for a catalog product), Scott's bandwidth. */
  logDensity: number;
  /** Share of catalog products with a lower (leave-one-out) density: 0 = sparser than all. */
  percentile: number;
  bandwidth: number;
}

export interface LatentMap {
  modelId: number;
  method: 'pca' | 'umap';
  /** PCA: the two components shown and the share of variance each explains (null for UMAP). */
  components: [number, number] | null;
  explained: [number, number] | null;
  points: { productId: number; x: number; y: number }[];
}

export interface InterpolationResult {
  modelId: number;
  method: 'linear' | 'slerp';
  steps: { t: number; code: number[]; ingredients: string[]; benefits: Record<string, number> }[];
}

export interface SensitivityReport {
  modelId: number;
  baseCount: number;
  resamples: number;
  seed: number;
  decodes: number;
  elapsedMs: number;
  /** Dimensions ordered by sensitivity (N(0, 1) resampling), most sensitive first. */
  dimensions: {
    dimension: number;
    variance: number;
    /** Mean number of ingredients changed when the dimension is resampled from N(0, 1) / from the catalog. */
    sensitivityNormal: number;
    sensitivityEmpirical: number;
    /** Pearson correlations of this dimension with every other one, over the catalog's codes. */
    correlations: number[];
  }[];
}

/** One catalog product as the latent map shows it (hover, colour, selection). */
export interface MapProduct {
  productId: number;
  name: string;
  brand: string;
  category: string;
  /** The first five ingredients of its list (without "may contain"), most concentrated first. */
  topIngredients: string[];
  ingredientCount: number;
  /** Benefit scores under the model's names: imported `hydration`, knowledge-based `kb:hydration`. */
  benefits: Record<string, number>;
  /** Leave-one-out log density under the catalog KDE in the full latent space (Scott's bandwidth). */
  logDensity: number;
}

/** Every product with a code under the active model, in the order of `latentMap`'s points. */
export interface MapProducts {
  modelId: number;
  /** Every benefit name some product has a score for, sorted. */
  benefitNames: string[];
  /** The KDE bandwidth behind `logDensity` (whitened units). */
  bandwidth: number;
  products: MapProduct[];
}

/** Summary statistics of the active model's catalog codes. */
export interface LatentStatisticsView {
  modelId: number;
  products: number;
  latentDim: number;
  /** Variance of each latent dimension over the catalog's codes (dimension order). */
  variance: number[];
  /** Share of the total variance along each principal component, largest first. */
  explained: number[];
}

/** Codes projected with the same PCA projection as `latentMap` (same mean, same axes). */
export interface ProjectedCodes {
  modelId: number;
  method: 'pca' | 'umap';
  /** The PCA components (null on a UMAP map). */
  components: [number, number] | null;
  points: { x: number; y: number }[];
}

/** A generate run's passing candidates placed on the map (PCA or UMAP). */
export interface MapGenerated {
  runId: number;
  modelId: number;
  createdAt: string;
  /** Candidates of the run that passed every check (the points are the best `limit` of them). */
  passed: number;
  method: 'pca' | 'umap';
  /** The PCA components (null on a UMAP map). */
  components: [number, number] | null;
  /** `rank` is the stored rank in the run (as `neighbours({ candidate })` and the editor take it). */
  points: { rank: number; x: number; y: number; score: number | null; ingredients: string[]; ingredientCount: number }[];
}

export const exploreSchemas = {
  neighbours: z
    .object({
      productId: idSchema.optional(),
      declaration: z.string().min(1).max(20_000).optional(),
      candidate: z.object({ runId: idSchema, rank: idSchema }).strict().optional(),
      k: z.number().int().min(1).max(100).default(10),
      /** Only products that meet this design brief (a saved one by name, or rules). */
      ...briefRequestFields,
    })
    .strict()
    .refine((a) => [a.productId, a.declaration, a.candidate].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of productId, declaration or candidate' })
    .refine((a) => a.brief === undefined || a.briefRules === undefined, { message: 'give a brief’s name or its rules, not both' }),
  whitespace: z
    .object({
      k: z.number().int().min(1).max(500).default(10),
      bandwidth: z.number().positive().max(100).optional(),
      bandwidthMethod: z.enum(['scott', 'cross-validation']).default('scott'),
      /** How many gaps between supported products to find and decode (0: none). */
      gaps: z.number().int().min(0).max(100).default(0),
    })
    .strict()
    .default({ k: 10, bandwidthMethod: 'scott', gaps: 0 }),
  density: z
    .object({ productId: idSchema.optional(), declaration: z.string().min(1).max(20_000).optional() })
    .strict()
    .refine((a) => (a.productId === undefined) !== (a.declaration === undefined), { message: 'give exactly one of productId or declaration' }),
  latentMap: z
    .object({
      method: z.enum(['pca', 'umap']).default('pca'),
      components: z.tuple([z.number().int().min(0).max(1023), z.number().int().min(0).max(1023)]).default([0, 1]),
      seed: seedSchema.default(1),
    })
    .strict()
    .default({ method: 'pca', components: [0, 1], seed: 1 }),
  interpolate: z
    .object({
      fromProductId: idSchema,
      toProductId: idSchema,
      steps: z.number().int().min(2).max(50).default(7),
      method: z.enum(['linear', 'slerp']).default('linear'),
    })
    .strict(),
  sensitivity: z
    .object({
      baseCount: z.number().int().min(5).max(500).default(40),
      resamples: z.number().int().min(1).max(100).default(8),
      seed: seedSchema.default(1),
    })
    .strict()
    .default({ baseCount: 40, resamples: 8, seed: 1 }),
  mapProducts: z.undefined(),
  latentStatistics: z.undefined(),
  projectCodes: z
    .object({
      codes: z.array(z.array(z.number().finite()).min(1).max(1024)).min(1).max(1000),
      /** The map to place them on: PCA (these components) or the UMAP of this seed, as `latentMap` drew it. */
      method: z.enum(['pca', 'umap']).default('pca'),
      components: z.tuple([z.number().int().min(0).max(1023), z.number().int().min(0).max(1023)]).default([0, 1]),
      seed: seedSchema.default(1),
    })
    .strict(),
  mapGenerated: z
    .object({
      /** A run of the active model; without it, the active model's latest run. */
      runId: idSchema.optional(),
      method: z.enum(['pca', 'umap']).default('pca'),
      components: z.tuple([z.number().int().min(0).max(1023), z.number().int().min(0).max(1023)]).default([0, 1]),
      seed: seedSchema.default(1),
      /** How many of the run's passing candidates, best first. */
      limit: z.number().int().min(1).max(1000).default(50),
    })
    .strict()
    .default({ method: 'pca', components: [0, 1], seed: 1, limit: 50 }),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof exploreSchemas>;

/** The explore slice of the {@link Api}. */
export interface ExploreApi {
  neighbours(args: Args['neighbours']): Promise<NeighboursResult>;
  whitespace(args?: Args['whitespace']): Promise<WhitespaceResult>;
  density(args: Args['density']): Promise<DensityResult>;
  latentMap(args?: Args['latentMap']): Promise<LatentMap>;
  interpolate(args: Args['interpolate']): Promise<InterpolationResult>;
  sensitivity(args?: Args['sensitivity']): Promise<SensitivityReport>;
  /** Names, top ingredients, benefit scores and latent density of every product on the map. */
  mapProducts(): Promise<MapProducts>;
  /** Per-dimension variance and PCA explained shares of the active model's catalog codes. */
  latentStatistics(): Promise<LatentStatisticsView>;
  /** Places arbitrary codes (interpolation steps, candidates) on the map: PCA, or a UMAP (its fit reused, the codes placed by its transform). */
  projectCodes(args: Args['projectCodes']): Promise<ProjectedCodes>;
  /** The best passing candidates of a generate run (default: the active model's latest), on the PCA or UMAP map; null when there is no run. */
  mapGenerated(args?: Args['mapGenerated']): Promise<MapGenerated | null>;
}
