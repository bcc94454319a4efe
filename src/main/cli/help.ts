import { defaultDatabasePath } from '../paths';
import { GLOBAL_OPTIONS, type Command, type OptionSpecs } from './command';

const PROGRAM = 'latent-formulator';

/** "--k N" for the usage text, with the old spelling if there is one. */
function optionLines(specs: OptionSpecs): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const value = spec.value ? ` ${spec.value}` : '';
    const spelled = `${spec.short ? `-${spec.short}, ` : ''}--${name}${value}`;
    return [spelled, `${spec.help}${spec.alias ? ` (also --${spec.alias})` : ''}`] as const;
  });
  const width = Math.max(...rows.map(([spelled]) => spelled.length)) + 2;
  return rows.map(([spelled, help]) => `  ${spelled.padEnd(width)}${help}`);
}

/** "latent-formulator neighbours (--product ID | DECLARATION) [--k N]". */
export function usageLine(command: Command): string {
  return `${PROGRAM} ${command.name}${command.synopsis ? ` ${command.synopsis}` : ''}`;
}

/** The overview for --help: one line per command, then the options every command takes. */
export function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `Usage: ${PROGRAM} [--db PATH] [--json] COMMAND [ARGUMENTS] [OPTIONS]`,
    `       ${PROGRAM} COMMAND --help     that command's arguments and options`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Options of every command:',
    ...globalLines(),
  ].join('\n');
}

function globalLines(): string[] {
  return optionLines({ ...GLOBAL_OPTIONS, db: { ...GLOBAL_OPTIONS.db, help: `the database file (default: ${defaultDatabasePath()})` } });
}

/** One command's --help: its usage line, what it does, and each of its options. */
export function commandUsage(command: Command): string {
  const options = Object.keys(command.options).length ? ['', 'Options:', ...optionLines(command.options)] : [];
  return [`Usage: ${usageLine(command)}`, '', command.summary, ...(command.details ? [command.details] : []), ...options, '', 'Options of every command:', ...globalLines()].join('\n');
}

/** A group's --help ("catalog --help"): the usage line and summary of each of its commands. */
export function groupUsage(commands: readonly Command[]): string {
  const group = commands[0]?.name.split(' ')[0] ?? '';
  return ['Usage:', ...commands.flatMap((c) => [`  ${usageLine(c)}`, `      ${c.summary}`]), '', `Run "${PROGRAM} ${group} COMMAND --help" for a command's options.`].join('\n');
}

/** The lines after a usage error: how the command is used, and where its options are listed. */
export function usageHint(command: Command | null): string {
  return command ? `Usage: ${usageLine(command)}\nRun "${PROGRAM} ${command.name} --help" for its options.` : `Run "${PROGRAM} --help" for usage.`;
}
