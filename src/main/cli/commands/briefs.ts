import type { SavedBrief } from '../../../shared/api';
import { describeBrief, type Brief } from '../../../shared/briefs/brief';
import { INGREDIENT_FUNCTIONS, type IngredientFunction } from '../../../shared/domain';
import { countLine, noArguments, oneOf, wholeNumber } from '../checks';
import { defineCommand, UsageError, type Command } from '../command';
import { defineDeleteCommand } from '../delete-command';

/** "8-25", "8-", "-25" or "12" → bounds; a usage error naming --length otherwise. */
export function lengthRange(text: string | undefined): { minLength: number | null; maxLength: number | null } {
  if (text === undefined) return { minLength: null, maxLength: null };
  const m = /^\s*(\d*)\s*(?:-\s*(\d*))?\s*$/.exec(text);
  const bound = (s: string | undefined) => (s ? Number(s) : null);
  if (!m || (!m[1] && !m[2])) throw new UsageError(`--length takes MIN-MAX, MIN-, -MAX or N (ingredient counts), not "${text}"`);
  const min = bound(m[1]);
  const max = m[2] === undefined ? min : bound(m[2]);
  for (const v of [min, max]) if (v !== null && (v < 1 || v > 200)) throw new UsageError(`--length: counts from 1 to 200, not ${v}`);
  return { minLength: min, maxLength: max };
}

/** The options a job takes to obey a brief: a saved one by name, or rules given inline. */
export const BRIEF_OPTIONS = {
  brief: { type: 'string', value: 'NAME', help: 'obey a saved design brief (see briefs list)' },
  include: { type: 'string', multiple: true, value: 'INCI', help: 'inline brief: an ingredient every candidate must hold (repeat for more)' },
  'include-class': { type: 'string', multiple: true, value: 'CLASS', help: 'inline brief: at least one ingredient of this functional class' },
  exclude: { type: 'string', multiple: true, value: 'INCI', help: 'inline brief: an ingredient no candidate may hold' },
  'free-from': { type: 'string', multiple: true, value: 'FAMILY', help: 'inline brief: free from a family, e.g. silicones,parabens (see briefs families)' },
  length: { type: 'string', value: 'MIN-MAX', help: 'inline brief: ingredient count bounds, e.g. 8-25' },
  category: { type: 'string', value: 'NAME', help: 'inline brief: candidates read as this catalog category, e.g. moisturiser (the catalog\'s categories: catalog list)' },
} as const;

/** The brief rules given by the inline options (null when none is given); classes checked by name. */
export function inlineBrief(opt: { include: readonly string[]; 'include-class': readonly string[]; exclude: readonly string[]; 'free-from': readonly string[]; length: string | undefined; category: string | undefined }): Brief | null {
  const brief = {
    include: [...opt.include],
    includeClasses: opt['include-class'].map((c) => oneOf(c, '--include-class', INGREDIENT_FUNCTIONS)! as IngredientFunction),
    exclude: [...opt.exclude],
    freeFrom: opt['free-from'].flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean),
    ...lengthRange(opt.length),
    category: opt.category?.trim() || null,
  };
  const empty = !brief.include.length && !brief.includeClasses.length && !brief.exclude.length && !brief.freeFrom.length && brief.minLength === null && brief.maxLength === null && !brief.category;
  return empty ? null : brief;
}

/** A saved brief's name or inline rules for a job's request (not both). */
export function briefRequest(opt: Parameters<typeof inlineBrief>[0] & { brief: string | undefined }): { brief?: string; briefRules?: NonNullable<ReturnType<typeof inlineBrief>> } {
  const rules = inlineBrief(opt);
  if (opt.brief !== undefined && rules) throw new UsageError('give --brief NAME or inline brief rules (--include, --exclude, --free-from, --include-class, --length, --category), not both');
  return opt.brief !== undefined ? { brief: opt.brief } : rules ? { briefRules: rules } : {};
}

const show = (b: SavedBrief) => [`brief ${b.id} "${b.name}" v${b.version} of ${b.versions} (saved ${b.updatedAt.slice(0, 10)})${b.note ? `: ${b.note}` : ''}`, ...describeBrief(b.brief).map((l) => `  ${l}`)];

/** The `briefs` group: design briefs saved by name, and the free-from families they name. */
export const briefCommands: readonly Command[] = [
  defineCommand({
    name: 'briefs list',
    synopsis: '',
    summary: 'saved design briefs with their rules',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'briefs list');
      return async ({ service, print }) => {
        const briefs = await service.listBriefs();
        print(briefs, () => [countLine(briefs.length, briefs.length, 'brief'), ...briefs.flatMap(show)].join('\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'briefs show',
    synopsis: 'NAME|ID [--version N]',
    summary: 'a brief, at its newest version or an older one, with its history',
    options: { version: { type: 'string', value: 'N', help: 'an older version' } },
    parse: ({ opt, args }) => {
      if (args.length !== 1) throw new UsageError('briefs show needs one brief name or id');
      const [key] = args as [string];
      const version = wholeNumber(opt.version, '--version', { min: 1 });
      const which = /^\d+$/.test(key) ? { id: Number(key) } : { name: key };
      return async ({ service, print }) => {
        const brief = await service.getBrief({ ...which, ...(version ? { version } : {}) });
        print(brief, () => [...show(brief), 'history:', ...brief.history.map((h) => `  v${h.version} ${h.createdAt.slice(0, 19).replace('T', ' ')}${h.note ? `  ${h.note}` : ''}`)].join('\n'));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'briefs save',
    synopsis: 'NAME [--include I]... [--include-class C]... [--exclude I]... [--free-from F[,F…]]... [--length MIN-MAX] [--category NAME] [--note TEXT]',
    summary: 'save a brief (a changed brief of the same name becomes its next version)',
    details: 'Names are read as the knowledge base reads them (synonyms and common misspellings included); the brief is refused, with every reason, when no list could obey it.',
    options: {
      include: { type: 'string', multiple: true, value: 'INCI', help: 'an ingredient every candidate must hold (repeat for more)' },
      'include-class': { type: 'string', multiple: true, value: 'CLASS', help: `at least one ingredient of this functional class (${INGREDIENT_FUNCTIONS.slice(0, 6).join(', ')}, …)` },
      exclude: { type: 'string', multiple: true, value: 'INCI', help: 'an ingredient no candidate may hold (repeat for more)' },
      'free-from': { type: 'string', multiple: true, value: 'FAMILY', help: 'a free-from family, e.g. silicones,parabens (see briefs families)' },
      length: { type: 'string', value: 'MIN-MAX', help: 'ingredient count bounds, e.g. 8-25' },
      category: { type: 'string', value: 'NAME', help: 'the catalog category candidates should read as, e.g. moisturiser' },
      note: { type: 'string', value: 'TEXT', help: 'what changed' },
    },
    parse: ({ opt, args }) => {
      if (args.length !== 1) throw new UsageError('briefs save needs one brief name (quote it if it has spaces)');
      const brief = inlineBrief(opt) ?? { include: [], includeClasses: [], exclude: [], freeFrom: [], minLength: null, maxLength: null, category: null };
      return async ({ service, print }) => {
        const saved = await service.saveBrief({ name: args[0]!, brief, note: opt.note ?? '' });
        print(saved, () => [saved.added ? `saved brief ${saved.id} "${saved.name}" v${saved.version}` : `brief ${saved.id} "${saved.name}" is unchanged at v${saved.version}`, ...describeBrief(saved.brief).map((l) => `  ${l}`)].join('\n'));
        return 0;
      };
    },
  }),
  defineDeleteCommand({
    name: 'briefs delete',
    summary: 'delete a brief and its versions (what was made with it keeps a copy)',
    thing: 'brief',
    consequence: (id) => `deleting brief ${id} removes it and all its versions`,
    confirmHelp: 'confirm the deletion',
    remove: (service, id) => service.deleteBrief({ id }),
    done: () => 'deleted',
  }),
  defineCommand({
    name: 'briefs families',
    synopsis: '[--members]',
    summary: 'the free-from families a brief can name, with their members',
    options: { members: { type: 'boolean', help: 'list each family’s members in the knowledge base and why each belongs' } },
    parse: ({ opt, args }) => {
      noArguments(args, 'briefs families');
      return async ({ service, print }) => {
        const families = await service.listFamilies();
        print(families, () =>
          families
            .map((f) => [`${f.id}  ${f.name}: ${f.members.length} in the knowledge base`, `  ${f.description}`, ...(opt.members ? f.members.map((m) => `    ${m.inci} (${m.why})`) : [])].join('\n'))
            .join('\n'),
        );
        return 0;
      };
    },
  }),
];
