/**
 * Builds resources/sample-catalog.json: the illustrative formulations that Latent Formulator
 * offers on first launch and that the tests import.
 *
 *   npx tsx scripts/build-sample-catalog.ts   (or: npm run sample-catalog)
 *
 * The formulations are NOT real products. They are assembled the way a formulator drafts a
 * bench formula: choose a recipe for the category (gel serum, O/W cream, foaming cleanser…),
 * fill each functional role (humectant, emollient, emulsifier, preservative…) from the
 * vocabulary at a level typical for that role, let water (or the main oil) make up the
 * balance, and declare everything in descending order. Benefit scores are derived from what
 * went in and at what level, plus a little noise so the latent space has texture. The generator
 * itself lives in scripts/sample-catalog/ (vocabulary, formula rules, one recipe file per
 * category); this file is its command.
 *
 * Output is deterministic: the only source of randomness is a seeded mulberry32 generator, and
 * every vocabulary name is checked against the app's knowledge base before anything is written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingredientKey } from '../src/shared/inci/key';
import { buildCatalog, SEED, VOCABULARY } from './sample-catalog';

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

main();
