import { crossValidateModel, formatSpread, logisticRegressionFolds, spread, trainingData, type FoldResult } from '../bench-support/cross-validate';
import type { Preset } from '../../src/main/ml/config';
import { sephoraCsvPath } from '../data';
import { openTestService } from '../helpers';

/** Model benchmarks on sephora_cosmetics.csv: prints figures, asserts nothing about time. */

/** Cross-validated figures of one preset, mean ± sd over the folds. */
function describeFolds(prefix: string, folds: FoldResult[], figures: Record<string, number | string>): void {
  const held = folds.map((f) => f.metrics.heldOut);
  figures[`${prefix} train time (s) per fold`] = formatSpread(spread(folds.map((f) => f.trainMs / 1000)), 1);
  figures[`${prefix} Jaccard held-out`] = formatSpread(spread(held.map((h) => h.jaccard)));
  figures[`${prefix} Kendall τ held-out (same pairs by average position)`] = `${formatSpread(spread(held.map((h) => h.kendallTau)))} (${formatSpread(spread(held.map((h) => h.kendallTauPriorOrder)))})`;
  figures[`${prefix} τ held-out above / below the 1 % line`] = `${formatSpread(spread(held.map((h) => h.kendallTauAboveLine)))} / ${formatSpread(spread(held.map((h) => h.kendallTauBelowLine)))}`;
  figures[`${prefix} decoded / true length held-out`] = `${formatSpread(spread(held.map((h) => h.meanDecodedLength)), 1)} / ${formatSpread(spread(held.map((h) => h.meanTrueLength)), 1)}`;
  figures[`${prefix} valid decoded lists held-out (min over folds)`] = `${(Math.min(...held.map((h) => h.validShare)) * 100).toFixed(1)} %`;
  figures[`${prefix} list predictor fit (s) per fold`] = formatSpread(spread(folds.map((f) => f.listPredictorMs / 1000)), 1);
  const predictor = folds.map((f) => f.metrics.benefitPredictor);
  figures[`${prefix} skin-type AUC held-out (mean of flags): latent heads`] = formatSpread(spread(folds.map((f) => f.metrics.meanFlagAuc)));
  figures[`${prefix} skin-type AUC held-out: list predictor`] = formatSpread(spread(predictor.map((p) => p?.listMeanFlagAuc)));
  figures[`${prefix} skin-type AUC held-out: scoring predictor (list + heads, weight ${predictor[0]?.headWeight ?? '—'}), what the app shows`] = formatSpread(spread(predictor.map((p) => p?.combinedMeanFlagAuc)));
  figures[`${prefix} held-out scores inside their 80 % interval (target 0.75–0.85)`] = formatSpread(spread(predictor.map((p) => p?.intervalCoverage)));
  figures[`${prefix} flag Brier score held-out; mean ± of flags / scores`] = `${formatSpread(spread(predictor.map((p) => p?.flagBrier)))}; ${formatSpread(spread(predictor.map((p) => p?.meanFlagUncertainty)))} / ${formatSpread(spread(predictor.map((p) => p?.meanScoreUncertainty)))}`;
}

/** The same cross-validated figures on the shipped sample catalog (432 products, authored benefits). */
async function benchSampleCatalog(presets: readonly Preset[], folds: number, figures: Record<string, number | string>): Promise<void> {
  const { service, close } = await openTestService({ sampleCatalog: true });
  try {
    const data = trainingData(service.db);
    figures['sample catalog: cross-validation'] = `${folds} folds, seed 1, ${data.products.length} products`;
    const lr = logisticRegressionFolds(data, { folds });
    figures['sample catalog: logistic regression, flag AUC'] = formatSpread(spread(lr.map((f) => f.meanAuc)));
    for (const preset of presets) describeFolds(`sample catalog: ${preset}`, await crossValidateModel(data, preset, { folds }), figures);
  } finally {
    await close();
  }
}

export async function benchModel(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const { service, close } = await openTestService();
  try {
    await service.importCatalog({ path: sephoraCsvPath() });
    const backend = await service.compute.start();
    figures['compute backend'] = `${backend.name} (tfjs-core ${backend.version}; ${backend.fallbacks.join('; ') || 'first choice'})`;
    // Five-fold cross-validation of the configuration the app and the CLI train by default
    // (quick preset, imported + knowledge-based targets), beside the full preset.
    const data = trainingData(service.db);
    const folds = Number(process.env.BENCH_FOLDS ?? 5);
    figures['cross-validation'] = `${folds} folds, seed 1, ${data.products.length} products; benefit targets ${data.snapshot.benefitSources.join(' + ')} (the default)`;
    const lr = logisticRegressionFolds(data, { folds });
    figures['baseline: bag-of-ingredients logistic regression, skin-type AUC'] = formatSpread(spread(lr.map((f) => f.meanAuc)));
    const presets = (process.env.BENCH_PRESETS ?? 'quick,full').split(',') as Preset[];
    for (const preset of presets) {
      const results = await crossValidateModel(data, preset, { folds });
      describeFolds(`${preset}${preset === 'quick' ? ' (default)' : ''}`, results, figures);
    }
    await benchSampleCatalog(presets, folds, figures);

    await service.trainModel({ preset: 'quick', seed: 1 });
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
