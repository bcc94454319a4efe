import { z } from 'zod';
import type { ModelRecord } from '../domain';
import { idSchema, seedSchema, type ArgsOf } from './common';
import type { ApiMethod } from './methods';

/** Models: training, the active model, and encoding lists to codes and back. */

export interface EncodedLists {
  modelId: number;
  codes: number[][];
  /** Per list: ingredients the model's vocabulary does not know (they do not shape the code). */
  unknownCounts: number[];
}

export interface DecodedLists {
  modelId: number;
  lists: { ingredients: string[] }[];
}

export const modelsSchemas = {
  listModels: z.undefined(),
  getModel: z.object({ id: idSchema }).strict(),
  activateModel: z.object({ id: idSchema }).strict(),
  trainModel: z
    .object({
      preset: z.enum(['quick', 'full']).default('quick'),
      seed: seedSchema.default(1),
      name: z.string().trim().min(1).max(200).optional(),
      catalogIds: z.array(idSchema).max(1000).optional(),
      benefitSources: z.array(z.enum(['imported', 'knowledge'])).min(1).max(2).optional(),
      activate: z.boolean().default(true),
    })
    .strict(),
  encodeLists: z
    .object({
      declarations: z.array(z.string().max(20_000)).max(10_000).optional(),
      productIds: z.array(idSchema).max(100_000).optional(),
    })
    .strict()
    .refine((a) => (a.declarations?.length ?? 0) + (a.productIds?.length ?? 0) > 0, { message: 'give declarations or productIds' }),
  decodeCodes: z.object({ codes: z.array(z.array(z.number().finite()).min(1).max(1024)).min(1).max(10_000) }).strict(),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof modelsSchemas>;

/** The models slice of the {@link Api}. */
export interface ModelsApi {
  listModels(): Promise<ModelRecord[]>;
  getModel(args: Args['getModel']): Promise<ModelRecord>;
  activateModel(args: Args['activateModel']): Promise<ModelRecord>;
  trainModel(args: Args['trainModel']): Promise<ModelRecord>;
  encodeLists(args: Args['encodeLists']): Promise<EncodedLists>;
  decodeCodes(args: Args['decodeCodes']): Promise<DecodedLists>;
}
