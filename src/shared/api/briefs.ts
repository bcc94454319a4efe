import { z } from 'zod';
import type { Brief } from '../briefs/brief';
import { INGREDIENT_FUNCTIONS } from '../domain';
import { idSchema, shortText, type ArgsOf } from './common';
import type { ApiMethod } from './methods';

/** Design briefs (issue 15): what candidates must and must not contain, saved by name and versioned. */

const nameList = z.array(shortText(200)).max(100);

/** A brief's rules as a request gives them (names are resolved to the knowledge base's INCI names when saved). */
export const briefSchema = z
  .object({
    include: nameList.default([]),
    includeClasses: z.array(z.enum(INGREDIENT_FUNCTIONS)).max(20).default([]),
    exclude: nameList.default([]),
    freeFrom: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    minLength: z.number().int().min(1).max(200).nullable().default(null),
    maxLength: z.number().int().min(1).max(200).nullable().default(null),
    category: z.string().trim().min(1).max(80).nullable().default(null),
  })
  .strict();

/** The fields a job takes to obey a brief: a saved brief by name (its newest version), or rules given here (not both). */
export const briefRequestFields = {
  brief: z.string().trim().min(1).max(200).optional(),
  briefRules: briefSchema.optional(),
};

/** A saved brief at its newest version. */
export interface SavedBrief {
  id: number;
  name: string;
  version: number;
  versions: number;
  note: string;
  createdAt: string;
  updatedAt: string;
  brief: Brief;
}

/** A free-from family as the brief builder shows it: its rule in words and its members in the knowledge base. */
export interface FamilyView {
  id: string;
  name: string;
  description: string;
  members: { inci: string; why: string }[];
}

export const briefsSchemas = {
  listBriefs: z.undefined(),
  /** By id or by name; a version number for an older version (default the newest). */
  getBrief: z
    .object({ id: idSchema.optional(), name: shortText(200).optional(), version: idSchema.optional() })
    .strict()
    .refine((a) => (a.id === undefined) !== (a.name === undefined), { message: 'give the brief’s id or its name' }),
  /** Saves under the name: a new brief, or a new version of the brief of that name when its rules changed. */
  saveBrief: z.object({ name: shortText(200), brief: briefSchema, note: z.string().trim().max(1000).default('') }).strict(),
  deleteBrief: z.object({ id: idSchema }).strict(),
  listFamilies: z.undefined(),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof briefsSchemas>;

/** The briefs slice of the {@link Api}. */
export interface BriefsApi {
  listBriefs(): Promise<SavedBrief[]>;
  getBrief(args: Args['getBrief']): Promise<SavedBrief & { history: { version: number; createdAt: string; note: string }[] }>;
  /**
   * Validates the brief against the knowledge base (unknown ingredients and families, a
   * required ingredient that is also excluded or in an excluded family, reversed or too-short
   * length bounds: refused with every reason, nothing written), resolves its names to INCI names
   * and saves it. `added` is false when the rules were unchanged.
   */
  saveBrief(args: Args['saveBrief']): Promise<SavedBrief & { added: boolean }>;
  deleteBrief(args: Args['deleteBrief']): Promise<{ deleted: boolean }>;
  listFamilies(): Promise<FamilyView[]>;
}
