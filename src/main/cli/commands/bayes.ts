import { decimalNumber, noArguments, oneOf, PRIOR_OPTION, PRIOR_RANGE, SEED_OPTION, SEED_RANGE, wholeNumber } from '../checks';
import { BRIEF_OPTIONS, briefRequest } from './briefs';
import { defineCommand, UsageError, type Command } from '../command';

/** `bo propose`: Bayesian optimisation from the lab results of one property. */
export const bayesCommands: readonly Command[] = [
  defineCommand({
    name: 'bo propose',
    synopsis: '--property P [--goal maximize|minimize] [--batch N] [--seed N] [--prior W] [--uncertainty-penalty K] [--brief NAME | inline brief options] [--save PREFIX]',
    summary: 'Bayesian optimisation from the lab results of P: a batch of new lists with EI and predicted mean ± sd',
    details: '--save keeps the proposals as candidates named "PREFIX 1", "PREFIX 2", …',
    options: {
      property: { type: 'string', value: 'P', help: 'the measured property to optimise (see lab properties)' },
      goal: { type: 'string', value: 'maximize|minimize', help: 'which way is better (default maximize)' },
      batch: { type: 'string', value: 'N', help: 'lists to propose, 1 to 8 (default 4)' },
      seed: SEED_OPTION,
      prior: PRIOR_OPTION,
      'uncertainty-penalty': { type: 'string', value: 'K', help: 'penalise proposals the model of the results is unsure of, 0 to 100 (default 0: none)' },
      ...BRIEF_OPTIONS,
      save: { type: 'string', value: 'PREFIX', help: 'save the proposals as candidates' },
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'bo propose');
      if (opt.property === undefined) throw new UsageError('bo propose needs --property NAME (see lab properties)');
      const request = {
        property: opt.property,
        goal: oneOf(opt.goal, '--goal', ['maximize', 'minimize']) ?? 'maximize',
        batch: wholeNumber(opt.batch, '--batch', { min: 1, max: 8 }),
        seed: wholeNumber(opt.seed, '--seed', SEED_RANGE),
        priorWeight: decimalNumber(opt.prior, '--prior', PRIOR_RANGE),
        uncertaintyPenalty: decimalNumber(opt['uncertainty-penalty'], '--uncertainty-penalty', { min: 0, max: 100 }),
        ...briefRequest(opt),
      };
      const prefix = opt.save;
      return async ({ service, print }) => {
        const result = await service.proposeBatch(request);
        const saved: { id: number; name: string }[] = [];
        if (prefix !== undefined) {
          for (const p of result.proposals) {
            const candidate = await service.saveCandidate({
              name: `${prefix} ${p.rank}`,
              ingredientIds: p.ingredientIds,
              changeNote: `proposed by Bayesian optimisation of ${result.property} (${result.goal})`,
              scores: { ...p.benefits, novelty: p.novelty, plausibility: p.plausibility, [`predicted_${result.property}`]: p.mean, [`sd_${result.property}`]: p.sd, expected_improvement: p.expectedImprovement },
              reasons: p.reasons,
              provenance: p.provenance,
            });
            saved.push({ id: candidate.id, name: candidate.name });
          }
        }
        const unit = result.unit ? ` ${result.unit}` : '';
        print({ ...result, saved }, () =>
          [
            `${result.goal === 'maximize' ? 'maximising' : 'minimising'} ${result.property} from ${result.results} result(s) on ${result.formulations} formulation(s); best so far ${result.best.value}${unit} (${result.best.subject})`,
            `GP: length scale ${result.gp.lengthScale.toFixed(3)}, signal variance ${result.gp.signalVariance.toFixed(3)}, noise variance ${result.gp.noiseVariance.toFixed(4)}, log marginal likelihood ${result.gp.logMarginalLikelihood.toFixed(2)}; ${(result.timingsMs.total / 1000).toFixed(1)} s`,
            ...result.proposals.map((p) =>
              [
                `\n${p.rank}. EI ${p.expectedImprovement.toPrecision(3)}${unit}, predicted ${p.mean.toPrecision(4)} ± ${p.sd.toPrecision(2)}${unit}; novelty ${p.novelty.toFixed(2)}, plausibility ${p.plausibility.toFixed(2)}; ${p.checksPassed ? 'passes the checks' : 'fails a check'}`,
                `   ${p.ingredients.join(', ')}`,
                ...(p.checksPassed ? [] : p.reasons.map((r) => `   - ${r}`)),
              ].join('\n'),
            ),
            `\nchosen from ${result.pool.passed} new lists passing the checks (${result.pool.distinctNew} new distinct lists decoded from ${result.pool.codes} codes)${result.pool.usedUnchecked ? '; none passed, so unchecked lists were used' : ''}`,
            saved.length ? `\nsaved as candidates ${saved.map((c) => `${c.id} (${c.name})`).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
        return 0;
      };
    },
  }),
];
