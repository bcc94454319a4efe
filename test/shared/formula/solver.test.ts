import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { feasibleRange, solve, type SolverProblem } from '../../../src/shared/formula/solver';
import { seededRandom } from '../../../src/shared/ml/random';

/**
 * The draft-formula solver against a reference: HiGHS's QP solver (highs on npm, the HiGHS
 * C++ solver compiled to WebAssembly) on random problems shaped like INCI lists.
 */

type Highs = Awaited<ReturnType<typeof loadHighs>>;
let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

interface Reference {
  status: 'optimal' | 'infeasible';
  x: number[];
  objective: number;
}

/** The same problem in HiGHS's terms: rows = the total, then one row per adjacent chain pair. */
function modelFor(problem: SolverProblem, objective: 'qp' | { maximise: number } | { minimise: number }) {
  const n = problem.items.length;
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower = [problem.total];
  const rowUpper = [problem.total];
  for (let i = 0; i < n; i++) {
    indices.push(i);
    values.push(1);
  }
  starts.push(indices.length);
  for (let k = 0; k + 1 < problem.chain.length; k++) {
    indices.push(problem.chain[k]!, problem.chain[k + 1]!);
    values.push(1, -1);
    starts.push(indices.length);
    rowLower.push(0);
    rowUpper.push(highs.infinity);
  }
  const colCost = problem.items.map((item, i) =>
    objective === 'qp' ? -2 * item.weight * item.target : 'maximise' in objective ? (i === objective.maximise ? -1 : 0) : i === objective.minimise ? 1 : 0,
  );
  return {
    numCols: n,
    numRows: rowLower.length,
    colCost,
    offset: objective === 'qp' ? problem.items.reduce((s, item) => s + item.weight * item.target ** 2, 0) : 0,
    colLower: problem.items.map((item) => item.lo),
    colUpper: problem.items.map((item) => item.hi),
    rowLower,
    rowUpper,
    matrix: { format: 'csr' as const, numRows: rowLower.length, numCols: n, starts, indices, values },
    ...(objective === 'qp'
      ? {
          hessian: {
            format: 'triangular' as const,
            dimension: n,
            starts: Array.from({ length: n + 1 }, (_, i) => i),
            indices: Array.from({ length: n }, (_, i) => i),
            values: problem.items.map((item) => 2 * item.weight),
          },
        }
      : {}),
  };
}

function reference(problem: SolverProblem, objective: Parameters<typeof modelFor>[1] = 'qp'): Reference {
  const model = highs.createModel(modelFor(problem, objective));
  try {
    const m = model;
    m.options.set({ output_flag: false, primal_feasibility_tolerance: 1e-9, dual_feasibility_tolerance: 1e-9 });
    m.run();
    const status = m.getModelStatus();
    if (status === highs.constants.modelStatus.optimal) return { status: 'optimal', x: Array.from(m.getSolution().colValue), objective: m.getObjectiveValue() };
    if (status === highs.constants.modelStatus.infeasible) return { status: 'infeasible', x: [], objective: NaN };
    throw new Error(`HiGHS ended with status ${status}`);
  } finally {
    model.dispose();
  }
}

/** A list of n items: a balance item first, a chain of the first k, line bounds like the estimator's. */
function randomProblem(random: () => number, n: number): SolverProblem {
  const k = 1 + Math.floor(random() * Math.min(n, 12));
  const items = Array.from({ length: n }, (_, i) => {
    const usual = i === 0 ? 60 + random() * 30 : Math.exp(Math.log(0.01) + random() * Math.log(1000));
    let lo = usual * (0.2 + random() * 0.7);
    let hi = usual * (1.2 + random() * 4);
    if (random() < 0.1) lo = hi = usual; // a declared figure
    if (i < k) lo = Math.max(lo, 1);
    else hi = Math.min(hi, 1);
    if (random() < 0.05) lo = 0; // an unknown ingredient: wide
    return { target: usual, weight: i === 0 ? 1e-4 : 1 / usual ** 2, lo, hi: Math.max(hi, lo) };
  });
  return { items, chain: Array.from({ length: k }, (_, i) => i), total: 100 };
}

describe('the draft-formula solver', () => {
  it('finds the same optimum as HiGHS on 400 random problems, and agrees on which have none', () => {
    const random = seededRandom(42);
    let feasible = 0;
    for (let run = 0; run < 400; run++) {
      const problem = randomProblem(random, 3 + Math.floor(random() * 40));
      const ours = solve(problem);
      const theirs = reference(problem);
      expect(ours.feasible, `problem ${run}`).toBe(theirs.status === 'optimal');
      if (!ours.feasible) continue;
      feasible++;
      const x = Array.from(ours.x);
      // Our solution is feasible…
      expect(Math.abs(x.reduce((a, b) => a + b, 0) - 100)).toBeLessThan(1e-7);
      problem.items.forEach((item, i) => {
        expect(x[i]!).toBeGreaterThanOrEqual(item.lo - 1e-9);
        expect(x[i]!).toBeLessThanOrEqual(item.hi + 1e-9);
      });
      for (let c = 0; c + 1 < problem.chain.length; c++) expect(x[problem.chain[c]!]! + 1e-9).toBeGreaterThanOrEqual(x[problem.chain[c + 1]!]!);
      // …and at least as good as the reference (up to the reference's own tolerance).
      expect(ours.objective).toBeLessThanOrEqual(theirs.objective + 1e-6 * Math.max(1, Math.abs(theirs.objective)));
      expect(ours.objective).toBeGreaterThanOrEqual(theirs.objective - 1e-4 * Math.max(1, Math.abs(theirs.objective)));
    }
    expect(feasible).toBeGreaterThan(100);
    expect(feasible).toBeLessThan(400);
  });

  it("gives every item the same feasible range as HiGHS's minimum and maximum of that item", () => {
    const random = seededRandom(7);
    let checked = 0;
    for (let run = 0; run < 60; run++) {
      const problem = randomProblem(random, 3 + Math.floor(random() * 20));
      if (!solve(problem).feasible) continue;
      for (let i = 0; i < problem.items.length; i++) {
        const range = feasibleRange(problem, i)!;
        const low = reference(problem, { minimise: i });
        const high = reference(problem, { maximise: i });
        expect(range[0]).toBeCloseTo(low.x[i]!, 6);
        expect(range[1]).toBeCloseTo(high.x[i]!, 6);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('names the conflict when there is no solution', () => {
    const item = (lo: number, hi: number) => ({ target: lo, weight: 1, lo, hi });
    expect(solve({ items: [item(5, 2), item(1, 100)], chain: [], total: 100 })).toMatchObject({ feasible: false, reason: { kind: 'bounds', item: 0 } });
    // Item 1 is above item 2 in the chain but may not exceed 3 %, while item 2 needs at least 5 %.
    expect(solve({ items: [item(50, 95), item(1, 3), item(5, 10)], chain: [0, 1, 2], total: 100 })).toMatchObject({
      feasible: false,
      reason: { kind: 'order', upper: 1, lower: 2 },
    });
    expect(solve({ items: [item(1, 20), item(1, 10)], chain: [0, 1], total: 100 })).toMatchObject({ feasible: false, reason: { kind: 'total', side: 'under', sum: 30 } });
    expect(solve({ items: [item(60, 95), item(50, 60)], chain: [0, 1], total: 100 })).toMatchObject({ feasible: false, reason: { kind: 'total', side: 'over', sum: 110 } });
  });
});

describe('the chain part', () => {
  it('frees an item below once the item above is held up by its own minimum', () => {
    // Unbounded isotonic regression pools (0, 2) to (1, 1); clipping that would give (4, 1), but
    // with x1 ≥ 4 the best x2 is its own target 2.
    const result = solve({
      items: [
        { target: 0, weight: 1, lo: 4, hi: 100 },
        { target: 2, weight: 1, lo: 0, hi: 100 },
        { target: 94, weight: 1e-6, lo: 0, hi: 100 },
      ],
      chain: [0, 1],
      total: 100,
    });
    expect(result.feasible && Array.from(result.x).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([4, 2, 94]);
  });
});
