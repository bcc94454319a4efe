import type { FormulatorService } from '../services/formulator-service';
import { oneId } from './checks';
import { defineCommand, UsageError, type Command } from './command';

/** What a `<group> delete ID --yes` command deletes, and how it says so. */
export interface DeleteCommandDefinition<T> {
  /** "candidates delete". */
  name: string;
  summary: string;
  /** What the id names, for messages: "candidate", "result". */
  thing: string;
  /** Why --yes is needed, said after the id: "removes it and its whole history". */
  consequence: (id: number) => string;
  /** The help line of --yes. */
  confirmHelp: string;
  remove: (service: FormulatorService, id: number) => Promise<T>;
  /** The line printed once deleted (without --json). */
  done: (deleted: T) => string;
}

/** A delete command: exactly one id, refused (before the database is opened) without --yes. */
export function defineDeleteCommand<T>(d: DeleteCommandDefinition<T>): Command {
  return defineCommand({
    name: d.name,
    synopsis: 'ID --yes',
    summary: d.summary,
    options: { yes: { type: 'boolean', help: d.confirmHelp } },
    parse: ({ opt, args }) => {
      const id = oneId(args, `${d.name} needs one ${d.thing} id`);
      if (!opt.yes) throw new UsageError(`${d.consequence(id)}; add --yes to confirm`);
      return async ({ service, print }) => {
        const deleted = await d.remove(service, id);
        print(deleted, () => d.done(deleted));
        return 0;
      };
    },
  });
}
