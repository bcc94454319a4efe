import { parseArgs } from 'node:util';
import { ApiFailure } from '../../shared/api';
import { NewerDatabaseError } from '../db/connection';
import { defaultDatabasePath, defaultUserDataDir, movedDatabaseProblem } from '../paths';
import { resolveResourcesDir } from '../resources';
import { FormulatorService } from '../services/formulator-service';
import { storageFailure } from '../storage-errors';
import { orList } from './checks';
import { GLOBAL_OPTIONS, parseArgsOptions, UsageError, type CliIo, type Command, type OptionSpecs, type PreparedCommand } from './command';
import { reportDatabaseRecovery, reportStorageLocation } from './commands/database';
import { commandUsage, groupUsage, overview, usageHint } from './help';
import { COMMANDS, findCommand } from './registry';

export type { CliIo } from './command';

/** Every command's options at once: enough to tell an option's value from a command word. */
const ALL_OPTIONS: OptionSpecs = Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options));

/** The positional words of a command line and whether --help was asked for; never throws on options. */
export function scanCommandLine(argv: readonly string[]): { words: string[]; help: boolean } {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, options: parseArgsOptions(ALL_OPTIONS) });
  return { words: positionals, help: values.help === true };
}

/**
 * Runs one command line: finds the command in the registry, lets it check its own options and
 * arguments, then opens the service and runs it. Exit codes: 0 success, 1 the command failed,
 * 2 the command line is wrong.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const { words, help } = scanCommandLine(argv);
  const [word, sub] = words;
  const { group, command } = findCommand(words);
  const usage = (message: string, about: Command | null): number => {
    io.err(`latent-formulator: ${message}\n${usageHint(about)}`);
    return 2;
  };
  if (help || word === undefined) {
    (help ? io.out : io.err)(command ? commandUsage(command) : group.length ? groupUsage(group) : overview(COMMANDS));
    return help ? 0 : 2;
  }
  if (!group.length) return usage(`unknown command "${word}"`, null);
  if (!command) {
    io.err(`latent-formulator: ${word} needs ${orList(group.map((c) => c.name.slice(word.length + 1)))}${sub ? `, not "${sub}"` : ''}\n${groupUsage(group)}`);
    return 2;
  }
  let prepared: PreparedCommand;
  try {
    prepared = command.prepare(argv);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message, command);
    throw error;
  }
  const { run, db, json } = prepared;
  let service: FormulatorService | null = null;
  try {
    // The default database may have been moved (db move): refuse rather than create an empty one where it was.
    const moved = db === undefined && process.env.LATENT_FORMULATOR_DB === undefined ? movedDatabaseProblem(defaultUserDataDir()) : null;
    if (moved) throw new Error(moved);
    const databasePath = db ?? defaultDatabasePath();
    reportStorageLocation(databasePath, io);
    service = await FormulatorService.open({ databasePath, resourcesDir: resolveResourcesDir(), appVersion: '0.1.0' });
    await reportDatabaseRecovery(service, io, word === 'db');
    const print = (value: unknown, human: () => string): void => io.out(json ? JSON.stringify(value, null, 2) : human());
    return await run({ service, io, json, print });
  } catch (error) {
    const storage = storageFailure(error, `the ${word} command`);
    if (error instanceof ApiFailure) io.err(`latent-formulator: ${error.message}`);
    else if (storage) io.err(`latent-formulator: ${storage.message}`);
    else if (error instanceof NewerDatabaseError) io.err(`latent-formulator: ${error.message}`);
    else io.err(`latent-formulator: ${(error as Error).message ?? String(error)}`);
    return 1;
  } finally {
    await service?.compute.close();
    service?.close();
  }
}
