import type { ApiArgs, LabImportReport, LabResult } from '../../../shared/api';
import { countLine, decimalNumber, idOption, noArguments, oneId, oneValue, wholeNumber } from '../checks';
import { defineCommand, UsageError, type Command, type OptionSpecs } from '../command';
import { defineDeleteCommand } from '../delete-command';
import { defineExportCommand } from '../export-command';

/** The fields of a result that `lab add` sets and `lab update` changes. */
const RESULT_FIELDS = {
  property: { type: 'string', value: 'P', help: 'what was measured (e.g. TEWL)' },
  value: { type: 'string', value: 'X', help: 'the measured number' },
  unit: { type: 'string', value: 'U', help: 'its unit (one unit per property)' },
  date: { type: 'string', value: 'YYYY-MM-DD', help: 'when it was measured (default today)' },
  notes: { type: 'string', value: 'TEXT', help: 'free notes' },
} as const satisfies OptionSpecs;

/** --candidate ID[@VERSION] or --product ID: what `lab add` records a result on. */
function subjectOf(candidate: string | undefined, product: string | undefined): ApiArgs['addLabResult']['subject'] {
  if ((candidate === undefined) === (product === undefined)) throw new UsageError('lab add needs one of --candidate ID[@VERSION] or --product ID');
  if (candidate === undefined) return { kind: 'product', productId: idOption(product, '--product')! };
  const m = /^(\d+)(?:@(\d+))?$/.exec(candidate);
  if (!m || Number(m[1]) < 1 || Number(m[2] ?? 1) < 1) throw new UsageError(`--candidate takes ID or ID@VERSION, e.g. 12@3, not "${candidate}"`);
  return { kind: 'candidate', candidateId: Number(m[1]), version: m[2] === undefined ? undefined : Number(m[2]) };
}

/** The `lab` group: measured results on candidates and products. */
export const labCommands: readonly Command[] = [
  defineCommand({
    name: 'lab add',
    synopsis: '(--candidate ID[@VERSION] | --product ID) --property P --value X [--unit U] [--date YYYY-MM-DD] [--notes TEXT]',
    summary: 'record a measured result (default date today)',
    options: {
      candidate: { type: 'string', value: 'ID[@VERSION]', help: 'a saved candidate (default its latest version)' },
      product: { type: 'string', multiple: true, value: 'ID', help: 'a catalog product' },
      ...RESULT_FIELDS,
    },
    parse: ({ opt, args }) => {
      if (args.length) throw new UsageError(`lab add takes options only, not "${args.join(' ')}"`);
      const subject = subjectOf(opt.candidate, oneValue(opt.product, '--product', 'lab add'));
      if (opt.property === undefined || opt.value === undefined) throw new UsageError('lab add needs --property NAME and --value NUMBER');
      const request = { subject, property: opt.property, value: decimalNumber(opt.value, '--value')!, unit: opt.unit, measuredOn: opt.date, notes: opt.notes };
      return async ({ service, print }) => {
        const added = await service.addLabResult(request);
        print(added, () => `recorded result ${added.id}: ${formatLabResult(added)}`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'lab list',
    synopsis: '[--property P] [--candidate ID] [--product ID] [--limit N]',
    summary: 'results, newest first',
    options: {
      property: { type: 'string', value: 'P', help: 'only this property' },
      candidate: { type: 'string', value: 'ID', help: 'only results on this candidate' },
      product: { type: 'string', multiple: true, value: 'ID', help: 'only results on this product' },
      limit: { type: 'string', value: 'N', help: 'at most N results, 1 to 5000 (default 500)' },
    },
    parse: ({ opt, args }) => {
      noArguments(args, 'lab list');
      const request = {
        property: opt.property,
        candidateId: idOption(opt.candidate, '--candidate'),
        productId: idOption(oneValue(opt.product, '--product', 'lab list'), '--product'),
        limit: wholeNumber(opt.limit, '--limit', { min: 1, max: 5000 }) ?? 500,
      };
      return async ({ service, print }) => {
        const page = await service.listLabResults(request);
        print(page, () => [countLine(page.total, page.items.length, 'result'), ...page.items.map((r) => `  ${r.id}: ${formatLabResult(r)}`)].join('\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'lab properties',
    synopsis: '',
    summary: 'measured properties with counts, units and ranges',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'lab properties');
      return async ({ service, print }) => {
        const properties = await service.labProperties();
        print(properties, () => (properties.length ? properties.map((p) => `${p.property}: ${p.results} result(s) on ${p.formulations} formulation(s), ${p.min} to ${p.max}${p.units.filter(Boolean).length ? ` ${p.units.join(', ')}` : ''}`).join('\n') : 'no lab results yet'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'lab update',
    synopsis: 'ID [--property P] [--value X] [--unit U] [--date D] [--notes TEXT]',
    summary: 'correct a recorded result',
    options: RESULT_FIELDS,
    parse: ({ opt, args }) => {
      const id = oneId(args, 'lab update needs one result id');
      const patch = { property: opt.property, value: decimalNumber(opt.value, '--value'), unit: opt.unit, measuredOn: opt.date, notes: opt.notes };
      if (Object.values(patch).every((v) => v === undefined)) throw new UsageError('lab update needs at least one of --property, --value, --unit, --date or --notes');
      return async ({ service, print }) => {
        const updated = await service.updateLabResult({ id, ...patch });
        print(updated, () => `updated result ${updated.id}: ${formatLabResult(updated)}`);
        return 0;
      };
    },
  }),
  defineDeleteCommand({
    name: 'lab delete',
    summary: 'delete one result',
    thing: 'result',
    consequence: (id) => `deleting lab result ${id} cannot be undone`,
    confirmHelp: 'confirm: a deleted result cannot be brought back',
    remove: (service, id) => service.deleteLabResult({ id }),
    done: (deleted) => `deleted lab result ${deleted.id}`,
  }),
  defineExportCommand({
    name: 'lab export',
    synopsis: '[--property P] [ID]...',
    summary: 'results as CSV or an Excel workbook, by the file name (all without IDs)',
    options: { property: { type: 'string', value: 'P', help: 'only this property' } },
    ids: 'result ids',
    rows: 'result(s)',
    write: (service, { path, format, ids }, opt) => {
      const request = { path, property: opt.property, ids };
      return format === 'xlsx' ? service.exportLabResultsXlsx(request) : service.exportLabResultsCsv(request);
    },
  }),
  defineCommand({
    name: 'lab import',
    synopsis: 'FILE [--sheet NAME]',
    summary: 'import past results from a CSV file or an Excel workbook, all or nothing',
    options: { sheet: { type: 'string', value: 'NAME', help: 'the worksheet of an Excel workbook (default: the first)' } },
    parse: ({ opt, args }) => {
      if (args.length !== 1) throw new UsageError(`lab import takes one file, got ${args.length}`);
      const request = { path: args[0]!, sheet: opt.sheet };
      return async ({ service, print }) => {
        const report = await service.importLabResults(request);
        print(report, () => formatLabImport(report));
        return 0;
      };
    },
  }),
];

/** The import report as a person reads it: counts, what was created, and each rejected row. */
function formatLabImport(r: LabImportReport): string {
  return [
    `${r.source}${r.sheet ? ` (sheet "${r.sheet}")` : ''}: ${r.rowsRead} row(s) read, ${r.rowsImported} imported, ${r.rowsRejected} rejected`,
    `${r.onProducts} on catalog products, ${r.onCandidates} on candidates${r.candidatesCreated.length ? ` (${r.candidatesCreated.length} created from declarations: ${r.candidatesCreated.map((c) => `${c.id} "${c.name}"`).join(', ')})` : ''}`,
    ...r.properties.map((p) => `  ${p.property}: ${p.results} result(s)${p.unit ? ` in ${p.unit}` : ''}`),
    ...r.rejected.map((x) => `  line ${x.line}: ${x.reason}`),
  ].join('\n');
}

function formatLabResult(r: LabResult): string {
  const subject =
    r.subject.kind === 'candidate'
      ? r.subject.candidateId === null ? ' (candidate deleted)' : ` [candidate ${r.subject.candidateId}]`
      : r.subject.productId === null ? ' (product deleted)' : ` [product ${r.subject.productId}]`;
  return `${r.property} = ${r.value}${r.unit ? ` ${r.unit}` : ''} on ${r.measuredOn}, ${r.subject.name}${subject}${r.notes ? ` — ${r.notes}` : ''}`;
}
