import type { GenerationQuality } from '../../shared/api';
import { frequencyDivergence, internalDiversity, lengthDivergence } from '../../shared/ml/checks';
import { quantile } from '../../shared/ml/objective';
import { seededRandom } from '../../shared/ml/random';
import type { CatalogContext, CheckedCandidate } from './kernels';

/**
 * The quality panel of a set of checked candidates (MOSES/GuacaMol style), with their lengths and
 * structural completeness against the catalog's own.
 */
export function qualityPanel(candidates: readonly CheckedCandidate[], catalogLists: readonly (readonly number[])[], context: CatalogContext, seed: number): GenerationQuality {
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
  };
  const lists = candidates.map((c) => c.ingredientIds);
  const total = Math.max(1, candidates.length);
  return {
    validLists: candidates.filter((c) => !c.reasons.some((r) => r.startsWith('the decoded list') || r === 'an ingredient is repeated')).length / total,
    passedAllChecks: candidates.filter((c) => c.passed).length / total,
    uniqueness: new Set(lists.map((l) => l.join(','))).size / total,
    meanNovelty: candidates.reduce((s, c) => s + c.novelty, 0) / total,
    medianNovelty: median(candidates.map((c) => c.novelty)),
    medianPlausibility: median(candidates.map((c) => c.plausibility)),
    catalogMedianPlausibility: context.catalogMedianPlausibility,
    internalDiversity: internalDiversity(lists, 20_000, seededRandom(seed + 1)),
    frequencyDivergence: frequencyDivergence(lists, catalogLists),
    lengths: {
      median: lists.length ? quantile(lists.map((l) => l.length), 0.5) : 0,
      catalogMedian: context.lengths.median,
      catalogP5: context.lengths.p5,
      divergence: lengthDivergence(lists.map((l) => l.length), catalogLists.map((l) => l.length)),
    },
    structure: {
      passed: candidates.filter((c) => c.structureOk).length / total,
      catalogPassed: context.catalogStructureShare,
      completed: candidates.filter((c) => (c.added?.length ?? 0) > 0).length / total,
    },
  };
}
