import type { DraftFormula } from '../../../shared/api';
import { PRODUCT_TYPES } from '../../../shared/formula/estimate';
import { formatPercent } from '../../../shared/formula/format';
import { exportFormatOf, idOption, oneOf, oneValue, wholeNumber } from '../checks';
import { defineCommand, UsageError, type Command } from '../command';


/** The draft formula as text: by phase, each ingredient's estimate and range, then conflicts and warnings. */
export function formulaText(f: DraftFormula): string {
  const lines = [
    `${f.source.title}${f.source.category ? ` (${f.source.category})` : ''}: ${f.status === 'estimated' ? 'draft formula' : f.status === 'relaxed' ? 'draft formula (typical ranges relaxed)' : 'no formula obeys the rules'}, ${f.productType}${f.productTypeFrom === 'default' ? ' (default; --type to change)' : ''}${f.aboveLine !== null ? `, ${f.aboveLine} ingredient${f.aboveLine === 1 ? '' : 's'} above the 1 % line` : ''}`,
  ];
  if (f.status !== 'infeasible') {
    for (const phase of f.phases) {
      lines.push(`${phase.letter}  ${phase.name}: ${formatPercent(phase.percent)} %`);
      for (const position of phase.positions) {
        const l = f.lines[position - 1]!;
        const saved = f.saved?.lines[position - 1];
        const marks = [
          l.declared !== null ? 'declared' : '',
          l.flags.includes('unknown') ? 'unknown: wide range' : '',
          l.flags.includes('class-level') ? 'class level' : '',
          l.flags.includes('outside-typical') ? 'outside typical' : '',
          l.flags.includes('at-limit') ? 'at legal max' : '',
          l.flags.includes('allergen') ? 'allergen' : '',
          l.prep ?? '',
        ].filter(Boolean);
        lines.push(
          `   ${String(position).padStart(3)}  ${(l.inci ?? l.name).padEnd(42)} ${formatPercent(saved?.percent ?? l.estimate).padStart(7)} %  [${formatPercent(l.low)}–${formatPercent(l.high)}]${l.limit ? `  max ${l.limit.max} % ${l.limit.annex}` : ''}${marks.length ? `  (${marks.join(', ')})` : ''}`,
        );
      }
    }
  }
  for (const c of f.conflicts) lines.push(`${f.status === 'infeasible' ? 'conflict' : 'relaxed'}: ${c}`);
  for (const w of f.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

/** The `formula` command: a draft formula for a candidate, a product or a typed declaration. */
export const formulaCommands: readonly Command[] = [
  defineCommand({
    name: 'formula',
    synopsis: '(--candidate ID [--version N] | --product ID | DECLARATION) [--type leave-on|rinse-off] [--export FILE.csv|.xlsx]',
    summary: 'a draft formula: estimated percentages with ranges, by phase, with legal limits (declared percentages are kept)',
    options: {
      candidate: { type: 'string', multiple: true, value: 'ID', help: 'a saved candidate' },
      version: { type: 'string', value: 'N', help: "the candidate's version (default its latest)" },
      product: { type: 'string', multiple: true, value: 'ID', help: 'a catalog product' },
      type: { type: 'string', value: 'leave-on|rinse-off', help: 'product type for limits and allergen thresholds (default from the category, else leave-on)' },
      export: { type: 'string', value: 'FILE', help: "write the candidate's formula sheet as CSV or XLSX (by the file's extension)" },
    },
    parse: ({ opt, args, flag }) => {
      const candidateId = idOption(oneValue(opt.candidate, '--candidate', 'formula'), '--candidate');
      const productId = idOption(oneValue(opt.product, '--product', 'formula'), '--product');
      const version = wholeNumber(opt.version, flag('version'), { min: 1 });
      const productType = oneOf(opt.type, '--type', PRODUCT_TYPES);
      const declaration = args.join(' ').trim() || undefined;
      if ([candidateId, productId, declaration].filter((x) => x !== undefined).length !== 1) throw new UsageError('formula needs one of --candidate ID, --product ID or a declaration in quotes');
      if (version !== undefined && candidateId === undefined) throw new UsageError('--version goes with --candidate');
      const exportPath = opt.export;
      if (exportPath !== undefined && candidateId === undefined) throw new UsageError('--export writes a candidate\'s formula sheet; give --candidate ID');
      const format = exportPath !== undefined ? exportFormatOf(exportPath) : undefined;
      return async ({ service, print }) => {
        let formula: DraftFormula;
        if (declaration !== undefined) {
          const parsed = await service.parseDeclaration({ text: declaration });
          formula = await service.estimateFormula({ ingredients: parsed.ingredients.map((x) => x.name), fixed: parsed.ingredients.map((x) => x.percent), productType });
        } else formula = await service.estimateFormula({ candidateId, version, productId, productType });
        if (exportPath !== undefined) {
          const written = await service.exportFormula({ candidateId: candidateId!, version, format: format!, path: exportPath });
          print({ ...formula, exported: written.path }, () => `${formulaText(formula)}\nformula sheet written to ${written.path}`);
        } else print(formula, () => formulaText(formula));
        return formula.status === 'infeasible' ? 1 : 0;
      };
    },
  }),
];
