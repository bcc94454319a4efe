import type { NeighboursResult } from '../../../shared/api';
import { idOption, noArguments, oneOf, oneValue, SEED_OPTION, SEED_RANGE, wholeNumber } from '../checks';
import { defineCommand, UsageError, type Command } from '../command';
import { describeBrief } from '../../../shared/briefs/brief';
import { BRIEF_OPTIONS, briefRequest } from './briefs';

/** `neighbours`, `whitespace`, `interpolate` and `sensitivity`: looking around the latent space. */
export const exploreCommands: readonly Command[] = [
  defineCommand({
    name: 'neighbours',
    synopsis: '(--product ID | DECLARATION) [--k N] [--brief NAME | brief rules]',
    summary: 'nearest catalog products, in latent space and by ingredient overlap (only those meeting a brief, when given)',
    options: {
      product: { type: 'string', multiple: true, value: 'ID', help: 'the catalog product to start from' },
      k: { type: 'string', value: 'N', help: 'neighbours of each kind, 1 to 100 (default 10)' },
      ...BRIEF_OPTIONS,
    },
    parse: ({ opt, args, flag }) => {
      const k = wholeNumber(opt.k, flag('k'), { min: 1, max: 100 }) ?? 10;
      const productId = idOption(oneValue(opt.product, '--product', 'neighbours'), '--product');
      const declaration = args.join(' ') || undefined;
      if ((productId === undefined) === (declaration === undefined)) throw new UsageError('neighbours needs --product ID or a declaration in quotes');
      const brief = briefRequest(opt);
      return async ({ service, print }) => {
        const result = await service.neighbours({ productId, declaration, k, ...brief });
        const line = (e: NeighboursResult['byLatent'][number]) =>
          `  ${String(e.productId).padStart(6)}  ${e.name} — ${e.brand || '(no brand)'}  distance ${e.distance?.toFixed(2) ?? '—'}  Jaccard ${e.jaccard.toFixed(2)}  weighted ${e.weightedJaccard.toFixed(2)}\n          shared: ${e.shared.slice(0, 8).join(', ')}${e.shared.length > 8 ? ', …' : ''}\n          only here: ${e.onlyInProduct.slice(0, 6).join(', ')}${e.onlyInProduct.length > 6 ? ', …' : ''}`;
        print(result, () => [
          ...(result.brief ? [`only the ${result.brief.meeting} catalog products that meet the brief${result.brief.applied.name ? ` "${result.brief.applied.name}"` : ''} (${describeBrief(result.brief.applied.rules).join('; ')})`] : []),
          `nearest in latent space:`, ...result.byLatent.map(line), `highest ingredient overlap:`, ...result.byOverlap.map(line)].join('\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'whitespace',
    synopsis: '[--sparsest N] [--gaps N] [--method scott|cv]',
    summary: 'latent density: bandwidth, the sparsest products, and decoded gaps between supported products',
    options: {
      sparsest: { type: 'string', alias: 'k', value: 'N', help: 'sparsest (outlier) products to list, 1 to 500 (default 10)' },
      gaps: { type: 'string', alias: 'n', value: 'N', help: 'gaps to decode, 0 to 100 (default 5)' },
      method: { type: 'string', value: 'scott|cv', help: "bandwidth by Scott's rule (default) or likelihood cross-validation" },
    },
    parse: ({ opt, args, flag }) => {
      noArguments(args, 'whitespace');
      const k = wholeNumber(opt.sparsest, flag('sparsest'), { min: 1, max: 500 }) ?? 10;
      const gaps = wholeNumber(opt.gaps, flag('gaps'), { min: 0, max: 100 }) ?? 5;
      const bandwidthMethod = oneOf(opt.method, '--method', ['scott', 'cv']) === 'cv' ? 'cross-validation' : 'scott';
      return async ({ service, print }) => {
        const w = await service.whitespace({ k, bandwidthMethod, gaps });
        print(w, () => [
          `${w.products} products; bandwidth ${w.bandwidth.toFixed(3)} (${w.bandwidthRule})`,
          `log density percentiles: 5 % ${w.logDensityPercentiles.p5.toFixed(1)}, median ${w.logDensityPercentiles.p50.toFixed(1)}, 95 % ${w.logDensityPercentiles.p95.toFixed(1)}`,
          `sparsest products (outlier candidates):`,
          ...w.sparsest.map((x) => `  ${String(x.productId).padStart(6)}  ${x.name} — ${x.brand || '(no brand)'}  log density ${x.logDensity.toFixed(1)}`),
          `gaps between supported products (deepest first):`,
          ...w.gaps.map((g) => `  between ${g.between[0].name} and ${g.between[1].name}: density dips by ${g.depth.toFixed(1)}\n    ${g.ingredients.join(', ')}`),
        ].join('\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'interpolate',
    synopsis: '--from ID --to ID [--steps N] [--method linear|slerp]',
    summary: 'decoded lists between two products',
    options: {
      from: { type: 'string', value: 'ID', help: 'the product at the start' },
      to: { type: 'string', value: 'ID', help: 'the product at the end' },
      steps: { type: 'string', value: 'N', help: 'lists along the way, ends included, 2 to 50 (default 7)' },
      method: { type: 'string', value: 'linear|slerp', help: 'a straight line or a great circle (default linear)' },
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'interpolate');
      if (opt.from === undefined || opt.to === undefined) throw new UsageError('interpolate needs --from ID and --to ID (product ids)');
      const fromProductId = idOption(opt.from, '--from')!;
      const toProductId = idOption(opt.to, '--to')!;
      const steps = wholeNumber(opt.steps, '--steps', { min: 2, max: 50 }) ?? 7;
      const method = oneOf(opt.method, '--method', ['linear', 'slerp']) ?? 'linear';
      return async ({ service, print }) => {
        const result = await service.interpolate({ fromProductId, toProductId, steps, method });
        print(result, () =>
          result.steps
            .map((s) => {
              const top = Object.entries(s.benefits).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
              return `t = ${s.t.toFixed(2)}  (${top})\n  ${s.ingredients.join(', ')}`;
            })
            .join('\n\n'),
        );
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'sensitivity',
    synopsis: '[--base-codes N] [--seed N]',
    summary: 'ingredients changed per latent dimension',
    options: {
      'base-codes': { type: 'string', alias: 'k', value: 'N', help: 'codes each dimension is moved from, 5 to 500 (default 40)' },
      seed: SEED_OPTION,
    },
    parse: ({ opt, args, flag }) => {
      noArguments(args, 'sensitivity');
      const baseCount = wholeNumber(opt['base-codes'], flag('base-codes'), { min: 5, max: 500 }) ?? 40;
      const seed = wholeNumber(opt.seed, '--seed', SEED_RANGE) ?? 1;
      return async ({ service, io, json, print }) => {
        const report = await service.sensitivity({ baseCount, seed }, { onStage: (p) => !json && io.err(`dimension ${p.done}/${p.total}`) });
        print(report, () => [
          `${report.decodes} decodes in ${(report.elapsedMs / 1000).toFixed(1)} s; dimensions by sensitivity (ingredients changed, N(0,1) / catalog resampling; variance; median |correlation| to the others):`,
          ...report.dimensions.map((d) => {
            const abs = d.correlations.map(Math.abs).sort((a, b) => a - b);
            return `  dim ${String(d.dimension).padStart(3)}  ${d.sensitivityNormal.toFixed(2).padStart(6)} / ${d.sensitivityEmpirical.toFixed(2).padStart(6)}  var ${d.variance.toFixed(3)}  |r| median ${(abs[Math.floor(abs.length / 2)] ?? 0).toFixed(3)}`;
          }),
        ].join('\n'));
        return 0;
      };
    },
  }),
];
