import type { DraftLine } from '../../../src/shared/api';

/** A line of a draft formula with only what a test names; the rest as the service sends an unremarkable line. */
export function draftLine(name: string, over: Partial<DraftLine> = {}): DraftLine {
  return {
    position: 1,
    name,
    section: 'main',
    estimate: null,
    low: null,
    high: null,
    declared: null,
    typical: null,
    levelSource: null,
    limit: null,
    phase: null,
    prep: null,
    flags: [],
    ingredientId: null,
    inci: name,
    functions: [],
    ...over,
  };
}
