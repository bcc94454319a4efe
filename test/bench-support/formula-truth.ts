import { positionRule } from '../../src/shared/formula/estimate';
import type { FormulatorService } from '../../src/main/services/formulator-service';

/**
 * Draft formulas against ground truth (issue 16): every percentage a catalog label declares
 * (strictly between 0 and 100) is hidden in turn and estimated from the rest of the list, the
 * other declared figures kept. Two baselines: the ingredient's typical-use midpoint ((min+max)/2;
 * the position rule when it has no typical level) and the position rule alone. Also shown: the
 * usual level alone, to tell what the rules (order, total, line, limits) add to the knowledge.
 */
export interface TruthOutcome {
  declared: number;
  products: number;
  estimated: number;
  /** Figures whose list admits no formula once the figure is hidden (left out of the errors). */
  infeasible: number;
  mae: number;
  medianRelative: number;
  insideRange: number;
  baselineMidpointMae: number;
  baselinePositionMae: number;
  usualOnlyMae: number;
  worst: { product: number; ingredient: string; declared: number; estimate: number }[];
}

export async function declaredTruth(service: FormulatorService): Promise<TruthOutcome> {
  const rows = service.db
    .prepare(`SELECT DISTINCT product_id FROM product_ingredients WHERE percent > 0 AND percent < 100 AND section != 'may-contain' ORDER BY product_id`)
    .pluck()
    .all() as number[];
  const errors: number[] = [];
  const relative: number[] = [];
  const midpoint: number[] = [];
  const position: number[] = [];
  const usual: number[] = [];
  const worst: TruthOutcome['worst'] = [];
  let inside = 0;
  let declared = 0;
  let infeasible = 0;
  for (const productId of rows) {
    const product = await service.getProduct({ id: productId });
    const listed = product.ingredients.filter((x) => x.section !== 'may-contain');
    const label = listed.map((x) => (x.percent !== null && x.percent > 0 && x.percent < 100 ? x.percent : null));
    const mainLength = listed.filter((x) => x.section === 'main').length;
    for (let k = 0; k < listed.length; k++) {
      const truth = label[k];
      if (truth === null || truth === undefined) continue;
      declared++;
      const fixed = label.map((v, i) => (i === k ? null : v));
      const f = await service.estimateFormula({ productId, fixed });
      const line = f.lines[k]!;
      if (f.status === 'infeasible' || line.estimate === null) {
        infeasible++;
        continue;
      }
      const error = Math.abs(line.estimate - truth);
      errors.push(error);
      relative.push(error / truth);
      if (truth >= line.low! - 1e-9 && truth <= line.high! + 1e-9) inside++;
      const mainPosition = listed.slice(0, k + 1).filter((x) => x.section === 'main').length;
      const byPosition = positionRule(Math.max(1, mainPosition), Math.max(1, mainLength));
      position.push(Math.abs(byPosition - truth));
      midpoint.push(Math.abs((line.typical ? (line.typical.min + line.typical.max) / 2 : byPosition) - truth));
      usual.push(Math.abs((line.typical ? line.typical.usual : byPosition) - truth));
      worst.push({ product: productId, ingredient: line.inci ?? line.name, declared: truth, estimate: line.estimate });
    }
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / Math.max(1, a.length);
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? NaN;
  worst.sort((a, b) => Math.abs(b.estimate - b.declared) - Math.abs(a.estimate - a.declared));
  return {
    declared,
    products: rows.length,
    estimated: errors.length,
    infeasible,
    mae: mean(errors),
    medianRelative: median(relative),
    insideRange: inside / Math.max(1, errors.length),
    baselineMidpointMae: mean(midpoint),
    baselinePositionMae: mean(position),
    usualOnlyMae: mean(usual),
    worst: worst.slice(0, 5),
  };
}
