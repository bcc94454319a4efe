import type { ApiArgs } from '../../../shared/api';
import { DEFAULT_DIVERSITY } from '../../../shared/ml/objective';
import { decimalNumber, namedNumber, noArguments, oneOf, PRIOR_OPTION, PRIOR_RANGE, SEED_OPTION, SEED_RANGE, wholeNumber } from '../checks';
import { BRIEF_OPTIONS, briefRequest } from './briefs';
import { defineCommand, UsageError, type Command } from '../command';

type ObjectiveTerm = ApiArgs['optimize']['terms'][number];

/** --maximize and --minimize: NAME or NAME=WEIGHT with a weight above 0 and at most 100. */
function weightedTerm(text: string, goal: 'maximize' | 'minimize'): ObjectiveTerm {
  const eq = text.indexOf('=');
  const benefit = eq < 0 ? text : text.slice(0, eq);
  const weight = eq < 0 ? undefined : Number(text.slice(eq + 1));
  if (!benefit || (weight !== undefined && !(weight > 0 && weight <= 100))) throw new UsageError(`--${goal} takes NAME or NAME=WEIGHT with a weight above 0 and at most 100, not "${text}"`);
  return { benefit, goal, weight };
}

/** --start: random, product:ID or candidate:ID. */
function startPoint(text: string, seed: number): ApiArgs['optimize']['start'] {
  const match = /^(product|candidate):(\d+)$/.exec(text);
  if (text === 'random') return { kind: 'random', seed };
  if (!match || Number(match[2]) < 1) throw new UsageError(`--start takes random, product:ID or candidate:ID, not "${text}"`);
  return match[1] === 'product' ? { kind: 'product', productId: Number(match[2]), seed } : { kind: 'candidate', candidateId: Number(match[2]), seed };
}

/** `optimize`: gradient optimisation of latent codes on the benefit heads. */
export const optimizeCommands: readonly Command[] = [
  defineCommand({
    name: 'optimize',
    synopsis: '(--maximize NAME[=WEIGHT] | --minimize NAME[=WEIGHT] | --target NAME=VALUE)... [--start random|product:ID|candidate:ID] [--restarts N] [--steps N] [--seed N] [--prior W] [--guard density|nearest-code|none] [--diversity W] [--uncertainty-penalty K] [--brief NAME | inline brief options] [--save NAME]',
    summary: 'gradient optimisation of latent codes on the benefit heads',
    details: "Every restart's final list is judged (targets, consistency, checks) and restarts ending on the same list are counted together; --save keeps the best restart as a candidate.",
    options: {
      maximize: { type: 'string', multiple: true, value: 'NAME[=WEIGHT]', help: 'raise this predicted benefit (weight above 0, at most 100; default 1)' },
      minimize: { type: 'string', multiple: true, value: 'NAME[=WEIGHT]', help: 'lower this predicted benefit' },
      target: { type: 'string', multiple: true, value: 'NAME=VALUE', help: 'bring this predicted benefit to VALUE' },
      start: { type: 'string', value: 'random|product:ID|candidate:ID', help: 'where each restart begins (default random)' },
      restarts: { type: 'string', value: 'N', help: 'independent runs, 1 to 64 (default 8)' },
      steps: { type: 'string', value: 'N', help: 'most steps per run, 1 to 5000 (default 300)' },
      seed: SEED_OPTION,
      prior: PRIOR_OPTION,
      guard: { type: 'string', value: 'density|nearest-code|none', help: 'how runs are kept near the catalog (default density)' },
      'uncertainty-penalty': { type: 'string', value: 'K', help: 'penalise lists whose predictions the model is unsure of, weight 0 to 100 (default 0: no penalty)' },
      ...BRIEF_OPTIONS,
      diversity: { type: 'string', value: 'W', help: `keep restarts apart so they end on different lists, weight 0 to 100 (default ${DEFAULT_DIVERSITY}; 0: independent restarts)` },
      save: { type: 'string', value: 'NAME', help: 'save the best restart as a candidate' },
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'optimize');
      const terms: ObjectiveTerm[] = [
        ...opt.maximize.map((v) => weightedTerm(v, 'maximize')),
        ...opt.minimize.map((v) => weightedTerm(v, 'minimize')),
        ...opt.target.map((v): ObjectiveTerm => {
          const [benefit, target] = namedNumber(v, '--target', 'NAME=VALUE, e.g. hydration=0.8');
          return { benefit, goal: 'target', target };
        }),
      ];
      if (terms.length === 0) throw new UsageError('optimize needs at least one --maximize, --minimize or --target');
      const seed = wholeNumber(opt.seed, '--seed', SEED_RANGE) ?? 1;
      const guard = oneOf(opt.guard, '--guard', ['density', 'nearest-code', 'none']);
      const request: ApiArgs['optimize'] = {
        terms,
        start: startPoint(opt.start ?? 'random', seed),
        restarts: wholeNumber(opt.restarts, '--restarts', { min: 1, max: 64 }),
        maxSteps: wholeNumber(opt.steps, '--steps', { min: 1, max: 5000 }),
        priorWeight: decimalNumber(opt.prior, '--prior', PRIOR_RANGE),
        diversity: decimalNumber(opt.diversity, '--diversity', { min: 0, max: 100 }),
        uncertaintyPenalty: decimalNumber(opt['uncertainty-penalty'], '--uncertainty-penalty', { min: 0, max: 100 }),
        ...briefRequest(opt),
        ...(guard ? { guard: { kind: guard } } : {}),
      };
      const saveAs = opt.save;
      return async ({ service, print }) => {
        const result = await service.optimize(request);
        const best = result.restarts[result.best]!;
        let saved: { id: number; name: string } | null = null;
        if (saveAs !== undefined) {
          const candidate = await service.saveCandidate({
            name: saveAs,
            ingredientIds: best.final.ingredientIds,
            changeNote: `optimised: ${result.terms.map((t) => `${t.goal} ${t.benefit}`).join(', ')}`,
            scores: { ...best.final.benefits, novelty: best.final.novelty, plausibility: best.final.plausibility },
            reasons: best.final.reasons,
            provenance: best.provenance,
          });
          saved = { id: candidate.id, name: candidate.name };
        }
        print({ ...result, saved }, () =>
          [
            `objective: ${result.terms.map((t) => `${t.goal} ${t.benefit}${t.weight !== 1 ? ` ×${t.weight}` : ''} (met ${t.goal === 'maximize' ? '≥' : t.goal === 'minimize' ? '≤' : '='} ${t.bar.toFixed(3)}${t.goal === 'target' ? ` ± ${t.tolerance.toFixed(3)}` : ''})`).join(', ')}; prior ${result.priorWeight}; guard ${result.guard ? `${result.guard.kind} (catalog quantile ${result.guard.quantile})` : 'none'}`,
            `${result.successes} of ${result.restarts.length} restarts succeeded (targets met, met again when the list is encoded again, generate checks passed) in ${(result.timingsMs.total / 1000).toFixed(1)} s; they ended on ${result.distinct.length} distinct ${result.distinct.length === 1 ? 'list' : 'lists'}${result.diversity > 0 ? ` (kept apart, weight ${result.diversity})` : ' (independent restarts)'}`,
            ...result.distinct.map(({ restarts }) => {
              const r = result.restarts[restarts[0]!]!;
              const runs = restarts.length > 1 ? ` (${restarts.length} runs: ${restarts.map((i) => i + 1).join(', ')})` : '';
              return `${restarts[0] === result.best ? '*' : ' '} ${r.start}${runs}: ${r.steps} steps, ${r.stopReason}, objective ${r.final.objective.toFixed(3)}, ${r.final.success ? 'success' : 'not a success'}, ${r.final.ingredients.length} ingredients`;
            }),
            `\nbest (${best.start}): ${best.final.ingredients.join(', ')}`,
            `  predicted by the heads: ${Object.entries(best.final.benefits).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
            `  scored as the editor scores it (± 80 % interval): ${result.terms.map((t) => best.final.estimates[t.benefit]).map((e, j) => `${result.terms[j]!.benefit} ${e ? `${e.value.toFixed(2)}${e.uncertainty === null ? '' : ` ± ${e.uncertainty.toFixed(2)}`}` : '–'}`).join(', ')}${result.uncertaintyPenalty > 0 ? ` (uncertainty penalty ${result.uncertaintyPenalty})` : ''}`,
            `  novelty ${best.final.novelty.toFixed(2)}, ordering plausibility ${best.final.plausibility.toFixed(2)}`,
            `  ${best.final.reasons.join('\n  ')}`,
            saved ? `\nsaved as candidate ${saved.id} (${saved.name})` : '',
          ].filter(Boolean).join('\n'),
        );
        return 0;
      };
    },
  }),
];
