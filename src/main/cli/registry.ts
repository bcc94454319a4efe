import type { Command } from './command';
import { bayesCommands } from './commands/bayes';
import { candidatesCommands } from './commands/candidates';
import { catalogCommands } from './commands/catalog';
import { databaseCommands } from './commands/database';
import { exploreCommands } from './commands/explore';
import { formulaCommands } from './commands/formula';
import { generateCommands } from './commands/generate';
import { labCommands } from './commands/lab';
import { briefCommands } from './commands/briefs';
import { modelsCommands } from './commands/models';
import { optimizeCommands } from './commands/optimize';

/**
 * Every command, in the order --help lists them. A name of two words ("catalog list") is a
 * command of a group; the group's word alone is not a command.
 */
export const COMMANDS: readonly Command[] = [
  ...databaseCommands.filter((c) => c.name === 'status'),
  ...catalogCommands,
  ...modelsCommands,
  ...exploreCommands,
  ...generateCommands,
  ...candidatesCommands,
  ...formulaCommands,
  ...optimizeCommands,
  ...labCommands,
  ...briefCommands,
  ...bayesCommands,
  ...databaseCommands.filter((c) => c.name !== 'status'),
];

/**
 * The command named by the first positional words of a command line: `group` holds every command
 * under the first word (one command, a group's commands, or none), `command` the one meant, if any.
 */
export function findCommand(words: readonly string[]): { group: Command[]; command: Command | null } {
  const [word, sub] = words;
  const group = word === undefined ? [] : COMMANDS.filter((c) => c.name.split(' ')[0] === word);
  return { group, command: group.find((c) => c.name === word) ?? group.find((c) => c.name === `${word} ${sub}`) ?? null };
}
