import { z } from 'zod';
import type { ApiMethod } from './methods';
import { idSchema, type ArgsOf } from './common';

/** Long operations: what is running, its progress, and cancelling it. */

export type ActivityKind = 'train' | 'generate' | 'sensitivity' | 'map' | 'import' | 'optimize' | 'propose';

/** One long operation: what it is, how far it got, and (training) its losses per epoch. */
export interface ActivityView {
  id: number;
  kind: ActivityKind;
  label: string;
  startedAt: string;
  elapsedMs: number;
  /** The current stage (e.g. 'training', 'decode'), null before the first report. */
  stage: string | null;
  done: number;
  total: number;
  losses: { epoch: number; train: number; validation: number }[];
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Why it failed or was cancelled. */
  message: string | null;
}

export interface ActivityState {
  running: ActivityView[];
  /** The last few finished, most recent first. */
  finished: ActivityView[];
}

export const activitySchemas = {
  getActivity: z.undefined(),
  cancelActivity: z.object({ id: idSchema }).strict(),
} satisfies Partial<Record<ApiMethod, z.ZodType>>;

type Args = ArgsOf<typeof activitySchemas>;

/** The activity slice of the {@link Api}. */
export interface ActivityApi {
  /** Long operations in progress (with progress and training losses) and the last few finished. */
  getActivity(): Promise<ActivityState>;
  /** Asks a running long operation to stop; `cancelled` is false when it had already finished. */
  cancelActivity(args: Args['cancelActivity']): Promise<{ cancelled: boolean }>;
}
