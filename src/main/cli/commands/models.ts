import type { ModelRecord } from '../../../shared/domain';
import { describeTrainingCatalogs, lostTrainingCatalog } from '../../../shared/model-catalogs';
import { idValues, noArguments, oneId, oneOf, SEED_OPTION, SEED_RANGE, wholeNumber } from '../checks';
import { defineCommand, UsageError, type Command } from '../command';

/** `train`, the `models` group, `encode`, `decode` and `backend`: models and their latent codes. */
export const modelsCommands: readonly Command[] = [
  defineCommand({
    name: 'train',
    synopsis: '[--preset quick|full] [--seed N] [--catalog ID]... [--name NAME] [--no-activate]',
    summary: 'train a model (progress on stderr; Ctrl-C cancels)',
    options: {
      preset: { type: 'string', value: 'quick|full', help: 'training budget (default quick)' },
      seed: SEED_OPTION,
      catalog: { type: 'string', multiple: true, value: 'ID', help: 'train on this catalog only (see "catalog sources"); default all' },
      name: { type: 'string', value: 'NAME', help: 'the model\'s name' },
      'no-activate': { type: 'boolean', help: 'keep the active model active' },
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'train');
      const preset = oneOf(opt.preset, '--preset', ['quick', 'full']) ?? 'quick';
      const seed = wholeNumber(opt.seed, '--seed', SEED_RANGE) ?? 1;
      const catalogIds = idValues(opt.catalog, '--catalog', 'catalog ids (see "catalog sources")');
      return async ({ service, io, json, print }) => {
        const controller = new AbortController();
        const onSigint = () => {
          io.err('cancelling…');
          controller.abort();
        };
        process.once('SIGINT', onSigint);
        try {
          const backend = await service.compute.start();
          io.err(`training (${preset} preset, seed ${seed}) on the ${backend.name} backend${backend.fallbacks.length ? ` (${backend.fallbacks.join('; ')})` : ''}`);
          const model = await service.trainModel(
            { preset, seed, name: opt.name, catalogIds: catalogIds.length ? catalogIds : undefined, activate: !opt['no-activate'] },
            {
              signal: controller.signal,
              onProgress: (p) => {
                if (!json) {
                  io.err(
                    `epoch ${p.epoch}/${p.maxEpochs}  loss ${p.train.total.toFixed(1)} (reconstruction ${p.train.reconstruction.toFixed(1)}, position ${p.train.position.toFixed(2)}, KL ${p.train.kl.toFixed(1)}, benefit ${p.train.benefit.toFixed(3)})  held-out ${p.validation.total.toFixed(1)}  β ${p.beta.toFixed(2)}  ETA ≤ ${Math.ceil(p.etaMs / 1000)} s`,
                  );
                }
              },
            },
          );
          print(model, () => formatModel(model));
          return 0;
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      };
    },
  }),
  defineCommand({
    name: 'models list',
    synopsis: '',
    summary: 'trained models; * marks the active one',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'models list');
      return async ({ service, print }) => {
        const models = await service.listModels();
        print(models, () => models.map((m) => `${m.active ? '*' : ' '} ${String(m.id).padStart(4)}  ${m.name}  held-out Jaccard ${m.metrics.heldOut.jaccard.toFixed(3)}  AUC ${m.metrics.meanFlagAuc?.toFixed(3) ?? '—'}  ${m.backend}`).join('\n') || 'no models yet: run "latent-formulator train"');
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'models show',
    synopsis: 'ID',
    summary: 'a model\'s metrics, backend and training',
    options: {},
    parse: ({ args }) => {
      const id = oneId(args, 'models show needs a model id');
      return async ({ service, print }) => {
        const model = await service.getModel({ id });
        print(model, () => formatModel(model));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'models activate',
    synopsis: 'ID',
    summary: 'make a model the active one',
    options: {},
    parse: ({ args }) => {
      const id = oneId(args, 'models activate needs a model id');
      return async ({ service, print }) => {
        const model = await service.activateModel({ id });
        print(model, () => `model ${model.id} ("${model.name}") is now active`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'encode',
    synopsis: '[--product ID]... [DECLARATION]...',
    summary: 'latent codes under the active model',
    options: { product: { type: 'string', multiple: true, value: 'ID', help: 'a catalog product' } },
    parse: ({ opt, args }) => {
      const declarations = [...args];
      const productIds = idValues(opt.product, '--product', 'product ids');
      if (!declarations.length && !productIds.length) throw new UsageError('encode needs --product ID or a declaration in quotes');
      return async ({ service, print }) => {
        const encoded = await service.encodeLists({ declarations: declarations.length ? declarations : undefined, productIds: productIds.length ? productIds : undefined });
        print(encoded, () => encoded.codes.map((c, i) => `${c.map((v) => v.toFixed(4)).join(',')}${encoded.unknownCounts[i] ? `   (${encoded.unknownCounts[i]} ingredient(s) unknown to the model)` : ''}`).join('\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'decode',
    synopsis: '--code=CODE...',
    summary: 'most likely list for each code (--code=0.1,-0.4,…)',
    options: { code: { type: 'string', multiple: true, value: 'CODE', help: 'comma-separated numbers, once per code (write --code=… when it starts with a minus)' } },
    parse: ({ opt, args }) => {
      const codes = [...opt.code, ...args].map((c) => c.split(',').map(Number));
      if (!codes.length || codes.some((c) => c.some((v) => !Number.isFinite(v)))) throw new UsageError('decode needs codes: --code=comma-separated numbers, once per code');
      return async ({ service, print }) => {
        const decoded = await service.decodeCodes({ codes });
        print(decoded, () => decoded.lists.map((l) => l.ingredients.join(', ')).join('\n\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'backend',
    synopsis: '',
    summary: 'which TensorFlow.js backend the compute process uses',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'backend');
      return async ({ service, print }) => {
        const backend = await service.compute.start();
        print(backend, () => `${backend.name} (tfjs-core ${backend.version})${backend.fallbacks.length ? `\nnot used: ${backend.fallbacks.join('; ')}` : ''}`);
        return 0;
      };
    },
  }),
];

/** The held-out figures of the predictor benefits are scored with (models saved before it: the heads alone). */
function describeBenefitPredictor(p: ModelRecord['metrics']['benefitPredictor']): string {
  if (!p) return '  scoring          the benefit heads alone (a model saved before the list predictor; no uncertainties)';
  const f = (x: number | null) => x?.toFixed(3) ?? '—';
  return [
    `  scoring          list predictor${p.headWeight ? ` + heads (weight ${p.headWeight})` : ''}: mean flag AUC ${f(p.combinedMeanFlagAuc)} (list predictor alone ${f(p.listMeanFlagAuc)}), flag Brier ${f(p.flagBrier)}`,
    `  uncertainty      80 % intervals hold ${p.intervalCoverage === null ? '—' : `${(p.intervalCoverage * 100).toFixed(1)} %`} of held-out scores; mean ± ${f(p.meanScoreUncertainty)} (scores), ± ${f(p.meanFlagUncertainty)} (flag probabilities)`,
  ].join('\n');
}

function formatModel(m: ModelRecord): string {
  const pct = (x: number) => x.toFixed(3);
  const metrics = m.metrics;
  return [
    `model ${m.id}: ${m.name}${m.active ? '  (active)' : ''}`,
    `  ${m.preset} preset, seed ${m.seed}, ${m.backend} backend, ${(m.trainMs / 1000).toFixed(1)} s, ${m.epochs} epochs, vocabulary ${m.vocabularySize}`,
    `  trained on ${m.snapshot.products} products: ${describeTrainingCatalogs(m.trainedOn)}`,
    lostTrainingCatalog(m.trainedOn) ? '  a catalog it was trained on is gone: it still encodes, decodes and generates; the map and neighbours use the catalogs that remain' : '',
    `  set Jaccard      train ${pct(metrics.train.jaccard)}   held-out ${pct(metrics.heldOut.jaccard)}`,
    `  order Kendall τ  train ${metrics.train.kendallTau?.toFixed(3) ?? '—'}   held-out ${metrics.heldOut.kendallTau?.toFixed(3) ?? '—'}   (same pairs by average catalog position: ${metrics.heldOut.kendallTauPriorOrder?.toFixed(3) ?? '—'})`,
    `  held-out τ above the 1 % line ${metrics.heldOut.kendallTauAboveLine?.toFixed(3) ?? '—'}   below it ${metrics.heldOut.kendallTauBelowLine?.toFixed(3) ?? '—'}`,
    `  valid lists      ${(metrics.heldOut.validShare * 100).toFixed(1)} % (no repeats, no unknown tokens)`,
    `  benefit heads    ${metrics.benefits.map((b) => `${b.name} ${b.kind === 'flag' ? `AUC ${b.auc?.toFixed(3) ?? '—'}` : `MAE ${b.mae?.toFixed(3) ?? '—'}`}`).join(', ') || 'none'}`,
    describeBenefitPredictor(metrics.benefitPredictor),
    `  latent           ${metrics.activeUnits} of ${metrics.klPerDimension.length} dimensions active; ${(metrics.bucketRate * 100).toFixed(1)} % of occurrences in rare buckets`,
  ].filter(Boolean).join('\n');
}
