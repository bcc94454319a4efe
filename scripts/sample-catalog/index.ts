/**
 * The sample-catalog generator as a library: the committed catalog (buildCatalog), a catalog of
 * any size for the scale and durability runs (synthesiseProducts), and the vocabulary they are
 * drafted from. scripts/build-sample-catalog.ts is the command that writes the catalog.
 */
export { buildCatalog, SEED, synthesiseProducts, type SampleProduct } from './catalog';
export { CATEGORIES, LENGTHS, type Category } from './recipes';
export { EMULSIFIER_ROLES, OIL_PHASE_ROLES } from './rules';
export { BENEFITS, VOCABULARY, type Benefit, type Ingredient, type Role } from './vocabulary';
