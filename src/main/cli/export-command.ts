import type { FormulatorService } from '../services/formulator-service';
import { exportFormatOf, idList } from './checks';
import { defineCommand, UsageError, type Command, type OptionSpecs, type OptionValues } from './command';

/** The `--out` option every export takes: the file's name chooses CSV or an Excel workbook. */
const OUT = { out: { type: 'string', value: 'FILE', help: 'the file to write: .xlsx for an Excel workbook, else CSV' } } as const satisfies OptionSpecs;

/** What an export command writes and how it names its rows. */
export interface ExportCommandDefinition<O extends OptionSpecs> {
  /** "candidates export". */
  name: string;
  /** The synopsis after `--out FILE.csv|FILE.xlsx`, e.g. "[--property P] [ID]...". */
  synopsis: string;
  summary: string;
  /** Options besides --out. */
  options: O;
  /** What the positional ids are, for the message when one is not an id: "candidate ids". */
  ids: string;
  /** The rows written, for the summary line: "candidate(s)". */
  rows: string;
  write: (service: FormulatorService, target: { path: string; format: 'csv' | 'xlsx'; ids: number[] | undefined }, opt: OptionValues<O>) => Promise<{ path: string; rows: number }>;
}

/** An export command: --out required (its extension picks the format), then ids; prints how many rows went where. */
export function defineExportCommand<const O extends OptionSpecs>(d: ExportCommandDefinition<O>): Command {
  return defineCommand({
    name: d.name,
    synopsis: `--out FILE.csv|FILE.xlsx ${d.synopsis}`.trimEnd(),
    summary: d.summary,
    options: { ...OUT, ...d.options },
    parse: ({ opt, args }) => {
      const path = typeof opt.out === 'string' ? opt.out : undefined;
      if (!path) throw new UsageError(`${d.name} needs --out FILE.csv or --out FILE.xlsx`);
      const ids = idList(args, `${d.name} takes ${d.ids} (positive whole numbers) after the options`);
      return async ({ service, print }) => {
        const written = await d.write(service, { path, format: exportFormatOf(path), ids }, opt as OptionValues<O>);
        print(written, () => `${written.rows} ${d.rows} written to ${written.path}`);
        return 0;
      };
    },
  });
}
