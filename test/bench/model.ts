import { presetConfig } from '../../src/main/ml/config';
import { loadTrainingData } from '../../src/main/ml/dataset';
import { prepareData } from '../../src/main/ml/train';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { meanOf, rocAuc } from '../../src/shared/ml/metrics';
import type { ModelRecord } from '../../src/shared/domain';
import { sephoraCsvPath } from '../data';
import { openTestService } from '../helpers';

/** Model benchmarks on sephora_cosmetics.csv: prints figures, asserts nothing about time. */

function describe(prefix: string, m: ModelRecord, figures: Record<string, number | string>): void {
  const x = m.metrics;
  figures[`${prefix} train time (s) / epochs`] = `${(m.trainMs / 1000).toFixed(1)} / ${m.epochs}`;
  figures[`${prefix} Jaccard train / held-out`] = `${x.train.jaccard.toFixed(3)} / ${x.heldOut.jaccard.toFixed(3)}`;
  figures[`${prefix} Kendall τ train / held-out`] = `${x.train.kendallTau?.toFixed(3)} / ${x.heldOut.kendallTau?.toFixed(3)}`;
  figures[`${prefix} held-out τ of the same pairs by average position`] = x.heldOut.kendallTauPriorOrder?.toFixed(3) ?? '—';
  figures[`${prefix} valid decoded lists (held-out)`] = `${(x.heldOut.validShare * 100).toFixed(1)} %`;
  figures[`${prefix} decoded / true length (held-out)`] = `${x.heldOut.meanDecodedLength.toFixed(1)} / ${x.heldOut.meanTrueLength.toFixed(1)}`;
  figures[`${prefix} skin-type AUC (held-out, mean)`] = x.meanFlagAuc?.toFixed(3) ?? '—';
  figures[`${prefix} skin-type AUC per flag`] = x.benefits.filter((b) => b.kind === 'flag').map((b) => `${b.name} ${b.auc?.toFixed(3)}`).join(', ');
  figures[`${prefix} active units / vocabulary`] = `${x.activeUnits} of ${x.klPerDimension.length} / ${m.vocabularySize}`;
}

/**
 * Logistic regression on the bag of ingredients (the reference for the benefit heads),
 * L2-regularised, full-batch gradient descent, on the same held-out split as the model.
 */
function logisticRegressionBaseline(db: FormulatorService['db']): { mean: number | null; perFlag: string } {
  const data = loadTrainingData(db, { benefitSources: ['imported'] });
  const p = prepareData(data, presetConfig('full'));
  const V = p.index.size;
  const B = p.benefits.length;
  const aucs: (number | null)[] = [];
  const parts: string[] = [];
  p.benefits.forEach((spec, b) => {
    if (spec.kind !== 'flag') return;
    const rows = p.trainRows.filter((r) => p.mask[r * B + b]);
    const w = new Float64Array(V);
    let bias = 0;
    const lr = 0.5;
    const l2 = 1e-3;
    for (let it = 0; it < 400; it++) {
      const grad = new Float64Array(V);
      let gBias = 0;
      for (const r of rows) {
        let z = bias;
        for (const t of p.lists[r]!) z += w[t]!;
        const err = 1 / (1 + Math.exp(-z)) - p.targets[r * B + b]!;
        gBias += err;
        for (const t of p.lists[r]!) grad[t]! += err;
      }
      for (let v = 0; v < V; v++) w[v]! -= lr * (grad[v]! / rows.length + l2 * w[v]!);
      bias -= (lr * gBias) / rows.length;
    }
    const held = p.heldOutRows.filter((r) => p.mask[r * B + b]);
    const scores = held.map((r) => p.lists[r]!.reduce((z, t) => z + w[t]!, bias));
    const auc = rocAuc(scores, held.map((r) => p.targets[r * B + b]!));
    aucs.push(auc);
    parts.push(`${spec.name} ${auc?.toFixed(3)}`);
  });
  return { mean: meanOf(aucs), perFlag: parts.join(', ') };
}

export async function benchModel(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openTestService();
  try {
    await service.importCatalog({ path: sephoraCsvPath() });
    const backend = await service.compute.start();
    figures['compute backend'] = `${backend.name} (tfjs-core ${backend.version}; ${backend.fallbacks.join('; ') || 'first choice'})`;
    const lr = logisticRegressionBaseline(service.db);
    figures['baseline: bag-of-ingredients logistic regression AUC (held-out, mean)'] = lr.mean?.toFixed(3) ?? '—';
    figures['baseline: per flag'] = lr.perFlag;

    const quick = await service.trainModel({ preset: 'quick', seed: 1, benefitSources: ['imported'] });
    describe('quick', quick, figures);
    const full = await service.trainModel({ preset: 'full', seed: 1, benefitSources: ['imported'] });
    describe('full', full, figures);

    const ids = (service.db.prepare(`SELECT id FROM products ORDER BY id`).all() as { id: number }[]).map((r) => r.id);
    await service.encodeLists({ productIds: ids.slice(0, 10) }); // load the model in the worker
    let t = performance.now();
    const encoded = await service.encodeLists({ productIds: ids });
    const encodeMs = performance.now() - t;
    figures['encode throughput (products/s, incl. IPC)'] = Math.round(ids.length / (encodeMs / 1000));
    const codes = Array.from({ length: 1000 }, (_, i) => encoded.codes[i % encoded.codes.length]!);
    t = performance.now();
    await service.decodeCodes({ codes });
    const decodeMs = performance.now() - t;
    figures['decode 1,000 codes, exact unique decoding (ms, incl. IPC)'] = Math.round(decodeMs);

    const controller = new AbortController();
    const cancelled = service
      .trainModel({ preset: 'full', seed: 2 }, { signal: controller.signal, onProgress: (p) => p.epoch === 2 && controller.abort() })
      .catch((e: unknown) => e);
    await cancelled;
    figures['cancel acknowledged after (ms)'] = service.compute.lastCancelAckMs?.toFixed(0) ?? '—';
  } finally {
    await close();
  }
  return figures;
}
