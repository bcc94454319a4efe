import { writeFileSync } from 'node:fs';
import { toCsv } from '../../../shared/csv-write';
import { decimalNumber, idOption, namedNumber, noArguments, SEED_OPTION, SEED_RANGE, wholeNumber } from '../checks';
import { defineCommand, type Command } from '../command';
import { describeBrief } from '../../../shared/briefs/brief';
import { BRIEF_OPTIONS, briefRequest } from './briefs';

/** `generate`: sample, decode and check new candidates. */
export const generateCommands: readonly Command[] = [
  defineCommand({
    name: 'generate',
    synopsis: '[--n N] [--top N] [--temperature T] [--seed N] [--centre ID] [--min-novelty X] [--min-plausibility X] [--benefit NAME=MIN]... [--shortlist N] [--out FILE.csv] [--baselines] [--allow-short] [--no-completion] [--brief NAME | --include I… --include-class C… --exclude I… --free-from F… --length MIN-MAX]',
    summary: 'sample, decode and filter new candidates; --out writes the shortlist',
    options: {
      n: { type: 'string', value: 'N', help: 'codes to sample, 1 to 200000 (default 10000)' },
      top: { type: 'string', value: 'N', help: 'most unique codes above the density floor to decode, 1 to 20000 (default 1000)' },
      temperature: { type: 'string', value: 'T', help: 'spread of the sampling distribution, above 0 and at most 5 (default 1)' },
      seed: SEED_OPTION,
      centre: { type: 'string', value: 'ID', help: 'sample around this catalog product' },
      'min-novelty': { type: 'string', value: 'X', help: 'novelty a candidate needs, 0 to 1 (default 0.3)' },
      'min-plausibility': { type: 'string', value: 'X', help: 'ordering plausibility a candidate needs, 0 to 1 (default 0.5)' },
      benefit: { type: 'string', multiple: true, value: 'NAME=MIN', help: 'a predicted benefit a candidate needs, e.g. hydration=0.5' },
      shortlist: { type: 'string', value: 'N', help: 'candidates in the shortlist, 1 to 1000 (default 50)' },
      out: { type: 'string', value: 'FILE.csv', help: 'write the shortlist as CSV' },
      baselines: { type: 'boolean', help: "also run the seed's decoding and recombination through the same checks" },
      'allow-short': { type: 'boolean', help: "let lists shorter than 95 % of the catalog's products pass and rank" },
      'no-completion': { type: 'boolean', help: 'do not add a missing preservative or emulsifier to a decoded list' },
      ...BRIEF_OPTIONS,
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'generate');
      const benefitThresholds: Record<string, number> = {};
      for (const b of opt.benefit) {
        const [name, min] = namedNumber(b, '--benefit', 'NAME=MIN, e.g. hydration=0.5');
        benefitThresholds[name] = min;
      }
      const request = {
        n: wholeNumber(opt.n, '--n', { min: 1, max: 200_000 }),
        k: wholeNumber(opt.top, '--top', { min: 1, max: 20_000 }),
        temperature: decimalNumber(opt.temperature, '--temperature', { above: 0, max: 5 }),
        seed: wholeNumber(opt.seed, '--seed', SEED_RANGE),
        centreProductId: idOption(opt.centre, '--centre'),
        minNovelty: decimalNumber(opt['min-novelty'], '--min-novelty', { min: 0, max: 1 }),
        minPlausibility: decimalNumber(opt['min-plausibility'], '--min-plausibility', { min: 0, max: 1 }),
        shortlist: wholeNumber(opt.shortlist, '--shortlist', { min: 1, max: 1000 }),
        benefitThresholds,
        baselines: opt.baselines,
        allowShortLists: opt['allow-short'],
        completeStructure: !opt['no-completion'],
        ...briefRequest(opt),
      };
      const out = opt.out;
      return async ({ service, print }) => {
        const report = await service.generate(request);
        if (out) {
          // Each shortlisted list's draft formula: its status and the estimated levels of its actives.
          const withLevels = new Map((await service.listGeneratedCandidates({ runId: report.runId, show: 'passed', limit: Math.max(1, report.shortlist.length), activeLevels: true })).items.map((c) => [c.ingredients.join(', '), c.formula]));
          const levels = (list: string) => withLevels.get(list)?.actives.map((a) => `${a.inci} ${a.percent === null ? '—' : a.percent.toFixed(a.percent >= 1 ? 1 : 2)} %`).join('; ') ?? '';
          const benefitNames = [...new Set(report.shortlist.flatMap((c) => Object.keys(c.benefits)))].sort();
          // Each prediction with the half-width of its 80 % interval beside it, where the model gives one.
          const uncertain = report.shortlist.some((c) => c.uncertainty);
          const read = report.category !== undefined;
          const rows = [
            ['rank', 'ingredients', 'score', 'novelty', 'ordering_plausibility', ...benefitNames.flatMap((b) => (uncertain ? [`predicted_${b}`, `uncertainty80_${b}`] : [`predicted_${b}`])), 'nearest_catalog_product', ...(read ? ['reads_as', 'reads_as_probability'] : []), 'formula', 'estimated_active_levels', 'notes', 'run', 'model', 'seed'],
            ...report.shortlist.map((c) => [
              c.rank, c.ingredients.join(', '), c.score.toFixed(3), c.novelty.toFixed(3), c.plausibility.toFixed(3),
              ...benefitNames.flatMap((b) => (uncertain ? [c.benefits[b]?.toFixed(3) ?? '', c.uncertainty?.[b]?.toFixed(3) ?? ''] : [c.benefits[b]?.toFixed(3) ?? ''])),
              c.nearestProduct?.name ?? '', ...(read ? [c.readsAs?.category ?? '', c.readsAs?.probability.toFixed(3) ?? ''] : []), withLevels.get(c.ingredients.join(', '))?.status ?? '', levels(c.ingredients.join(', ')), c.reasons.join('; '), report.runId, report.modelId, String(report.params.seed),
            ]),
          ];
          writeFileSync(out, toCsv(rows));
        }
        print(report, () => {
          const q = report.quality;
          return [
            report.brief ? `brief: ${report.brief.name ? `"${report.brief.name}" v${report.brief.version}` : 'given inline'} — ${describeBrief(report.brief.rules).join('; ')}` : '',
            report.category ? `category: ${report.category.readAsCategory} of ${report.category.decoded} decoded lists read as ${report.category.category} by the catalog's category classifier; the others fail` : '',
            `run ${report.runId}: ${report.counts.sampled} sampled → ${report.counts.aboveFloor} above the density floor → ${report.counts.decoded} decoded → ${report.counts.passed} passed every check (${report.backend} backend)`,
            `time per stage (ms): ${Object.entries(report.timingsMs).map(([k, v]) => `${k} ${v}`).join(', ')}; total ${report.totalMs} ms`,
            `quality: valid lists ${(q.validLists * 100).toFixed(1)} %, passed ${(q.passedAllChecks * 100).toFixed(1)} %, unique ${(q.uniqueness * 100).toFixed(1)} %, novelty median ${q.medianNovelty.toFixed(2)}, ordering plausibility median ${q.medianPlausibility.toFixed(2)} (catalog ${q.catalogMedianPlausibility.toFixed(2)}), internal diversity ${q.internalDiversity.toFixed(2)}, frequency divergence ${q.frequencyDivergence.toFixed(3)} bits`,
            q.lengths && q.structure
              ? `lengths: median ${q.lengths.median} (catalog ${q.lengths.catalogMedian}), divergence ${q.lengths.divergence.toFixed(3)} bits; structure checks passed ${(q.structure.passed * 100).toFixed(1)} % (catalog ${(q.structure.catalogPassed * 100).toFixed(1)} %), completed ${(q.structure.completed * 100).toFixed(1)} %`
              : '',
            ...report.baselines.map((b) => `baseline — ${b.name}: valid ${(b.quality.validLists * 100).toFixed(1)} %, passed ${(b.quality.passedAllChecks * 100).toFixed(1)} %, novelty median ${b.quality.medianNovelty.toFixed(2)}, plausibility median ${b.quality.medianPlausibility.toFixed(2)}`),
            ...report.shortlist.slice(0, 10).map((c) => `\n#${c.rank}  score ${c.score.toFixed(2)}  novelty ${c.novelty.toFixed(2)}  plausibility ${c.plausibility.toFixed(2)}  nearest: ${c.nearestProduct?.name ?? '—'}${c.readsAs ? `  reads as ${c.readsAs.category} (${Math.round(c.readsAs.probability * 100)} %)` : ''}\n  ${c.ingredients.join(', ')}${c.reasons.length ? `\n  notes: ${c.reasons.join('; ')}` : ''}`),
            out ? `\nshortlist of ${report.shortlist.length} written to ${out}` : '',
          ].filter(Boolean).join('\n');
        });
        return 0;
      };
    },
  }),
];
