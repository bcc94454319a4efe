import { parseArgs } from 'node:util';
import type { FormulatorService } from '../services/formulator-service';

/** Where the CLI writes; tests capture it. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** A wrong command line: the runner prints the message with the command's usage and exits 2. */
export class UsageError extends Error {}

/** One option of one command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The option may be given more than once; its value is then the list, in order. */
  multiple?: boolean;
  /** What the value stands for in the usage text ("N", "ID", "FILE.csv"). */
  value?: string;
  /** One line for the command's --help. */
  help: string;
  /** An older spelling that still works (without the leading --). */
  alias?: string;
  /** A one-letter spelling ("h" for -h). */
  short?: string;
}

/** A command's options by name (without the leading --). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The values of a command's options: absent strings are undefined, absent lists empty, absent booleans false. */
export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O]: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? readonly string[] : string | undefined;
};

/** A parsed command line, handed to a command's `parse`. */
export interface CommandLine<O extends OptionSpecs> {
  /** The options, under their names (an alias's value is filed under the option it stands for). */
  opt: OptionValues<O>;
  /** The positional arguments after the command's name. */
  args: readonly string[];
  /** The option as the person typed it ("--k" when the alias was used), for messages. */
  flag: (name: keyof O & string) => string;
}

/** What a command's work gets: the service, the output, and --json. */
export interface CommandContext {
  service: FormulatorService;
  io: CliIo;
  json: boolean;
  /** Prints `value` as JSON under --json, else the human text (built only when needed). */
  print: (value: unknown, human: () => string) => void;
}

/** A command's work once its command line has been checked; resolves to the exit code. */
export type CommandRun = (context: CommandContext) => Promise<number>;

/** One command as the registry holds it: its words, its usage and its parser. */
export interface Command {
  /** "status", or "catalog list" for a sub-command of a group. */
  readonly name: string;
  /** The arguments and options after the name, for the usage line. */
  readonly synopsis: string;
  /** One line for the command list. */
  readonly summary: string;
  /** More lines for the command's own --help, if the summary is not enough. */
  readonly details?: string;
  readonly options: OptionSpecs;
  /** Checks the whole command line (throws UsageError) and returns the work to run with the global options. */
  prepare(argv: readonly string[]): PreparedCommand;
}

/** A checked command line: the work, and the options every command takes. */
export interface PreparedCommand {
  run: CommandRun;
  /** --db, when given. */
  db: string | undefined;
  json: boolean;
}

/** What a command module writes: like Command, but `parse` sees its own options' types. */
export interface CommandDefinition<O extends OptionSpecs> {
  name: string;
  synopsis: string;
  summary: string;
  details?: string;
  options: O;
  /** Checks the command line before the database is opened; throws UsageError. */
  parse: (line: CommandLine<O>) => CommandRun;
}

/** Options every command takes; the runner reads them, commands do not. */
export const GLOBAL_OPTIONS = {
  db: { type: 'string', value: 'PATH', help: 'the database file' },
  json: { type: 'boolean', help: 'machine-readable output' },
  help: { type: 'boolean', short: 'h', help: 'usage: of every command, or of the one named' },
} as const satisfies OptionSpecs;

/** The node:util parseArgs options for a set of specs, aliases included. */
export function parseArgsOptions(specs: OptionSpecs): Record<string, ParseArgsOption> {
  const options: Record<string, ParseArgsOption> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const option = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) };
    options[name] = spec.short ? { ...option, short: spec.short } : option;
    if (spec.alias) options[spec.alias] = option;
  }
  return options;
}

/** One option as node:util parseArgs takes it. */
export interface ParseArgsOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
}

/**
 * Builds a registry entry from a command module's definition: `prepare` parses the command line
 * against this command's options only (global ones added), so an option of another command is refused.
 */
export function defineCommand<const O extends OptionSpecs>(definition: CommandDefinition<O>): Command {
  const specs: OptionSpecs = { ...GLOBAL_OPTIONS, ...definition.options };
  return {
    name: definition.name,
    synopsis: definition.synopsis,
    summary: definition.summary,
    details: definition.details,
    options: definition.options,
    prepare(argv) {
      const { values: raw, positionals } = parseCommandLine(definition.name, argv, specs);
      const values: Record<string, unknown> = {};
      const typed: Record<string, string> = {};
      for (const [name, spec] of Object.entries(definition.options)) {
        const own = raw[name];
        const old = spec.alias === undefined ? undefined : raw[spec.alias];
        if (own !== undefined && old !== undefined) throw new UsageError(`--${name} and --${spec.alias} are the same option; give one`);
        typed[name] = `--${old !== undefined ? spec.alias : name}`;
        const value = own ?? old;
        values[name] = value ?? (spec.type === 'boolean' ? false : spec.multiple ? [] : undefined);
      }
      // The command's own words come first (the runner found them as the first positionals).
      const args = positionals.slice(definition.name.split(' ').length);
      const run = definition.parse({ opt: values as OptionValues<O>, args, flag: (name) => typed[name] ?? `--${name}` });
      return { run, db: raw.db as string | undefined, json: raw.json === true };
    },
  };
}

/**
 * node:util parseArgs, strict (a value that looks like an option is refused, as before), with its
 * errors put in terms of the command.
 */
function parseCommandLine(command: string, argv: readonly string[], specs: OptionSpecs): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: parseArgsOptions(specs) });
    // Strict parsing gives strings for string options and booleans for boolean ones only.
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (error) {
    const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message);
    if (unknown) throw new UsageError(`${command} does not take ${unknown[1]}`);
    throw new UsageError((error as Error).message);
  }
}
