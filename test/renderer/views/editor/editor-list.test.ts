import { describe, expect, it } from 'vitest';
import {
  EditorHistory,
  LatestRequest,
  dropIndex,
  insertItems,
  moveItem,
  removeAt,
  replaceAt,
  sameNames,
  type LatestAnswer,
  type Timers,
} from '../../../../src/renderer/src/views/editor/editor-list';

describe('list operations', () => {
  const list = ['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol'] as const;

  it('moves an item up, down, to the top and to the end, leaving the input as it was', () => {
    expect(moveItem(list, 2, 1)).toEqual(['Water', 'Niacinamide', 'Glycerin', 'Phenoxyethanol']);
    expect(moveItem(list, 1, 2)).toEqual(['Water', 'Niacinamide', 'Glycerin', 'Phenoxyethanol']);
    expect(moveItem(list, 3, 0)).toEqual(['Phenoxyethanol', 'Water', 'Glycerin', 'Niacinamide']);
    expect(moveItem(list, 0, 3)).toEqual(['Glycerin', 'Niacinamide', 'Phenoxyethanol', 'Water']);
    expect(list).toEqual(['Water', 'Glycerin', 'Niacinamide', 'Phenoxyethanol']);
  });

  it('clamps a move past either end and ignores a source outside the list', () => {
    expect(moveItem(list, 0, -1)).toEqual(list);
    expect(moveItem(list, 3, 10)).toEqual(list);
    expect(moveItem(list, 1, 10)).toEqual(['Water', 'Niacinamide', 'Phenoxyethanol', 'Glycerin']);
    expect(moveItem(list, 7, 0)).toEqual(list);
  });

  it('turns a drop before a row into the final index of the dragged item', () => {
    // Dragging Water (0) before Niacinamide (row 2) puts it at index 1.
    expect(dropIndex(0, 2)).toBe(1);
    expect(moveItem(list, 0, dropIndex(0, 2))).toEqual(['Glycerin', 'Water', 'Niacinamide', 'Phenoxyethanol']);
    // Dragging Phenoxyethanol (3) before Glycerin (row 1).
    expect(moveItem(list, 3, dropIndex(3, 1))).toEqual(['Water', 'Phenoxyethanol', 'Glycerin', 'Niacinamide']);
    // Dropped after the last row, or onto its own place.
    expect(moveItem(list, 1, dropIndex(1, 4))).toEqual(['Water', 'Niacinamide', 'Phenoxyethanol', 'Glycerin']);
    expect(moveItem(list, 1, dropIndex(1, 1))).toEqual(list);
    expect(moveItem(list, 1, dropIndex(1, 2))).toEqual(list);
  });

  it('inserts, removes and replaces', () => {
    expect(insertItems(list, 1, ['Squalane', 'Urea'])).toEqual(['Water', 'Squalane', 'Urea', 'Glycerin', 'Niacinamide', 'Phenoxyethanol']);
    expect(insertItems(list, 99, ['Urea'])).toEqual([...list, 'Urea']);
    expect(insertItems([], 0, ['Water'])).toEqual(['Water']);
    expect(removeAt(list, 0)).toEqual(['Glycerin', 'Niacinamide', 'Phenoxyethanol']);
    expect(removeAt(list, 9)).toEqual(list);
    expect(replaceAt(list, 3, 'Sodium Benzoate')).toEqual(['Water', 'Glycerin', 'Niacinamide', 'Sodium Benzoate']);
  });

  it('compares lists by names in order, not by keys', () => {
    expect(sameNames([{ key: 1, name: 'Water' }, { key: 2, name: 'Glycerin' }], [{ key: 7, name: 'Water' }, { key: 8, name: 'Glycerin' }])).toBe(true);
    expect(sameNames([{ key: 1, name: 'Water' }, { key: 2, name: 'Glycerin' }], [{ key: 2, name: 'Glycerin' }, { key: 1, name: 'Water' }])).toBe(false);
    expect(sameNames([{ key: 1, name: 'Water' }], [])).toBe(false);
  });
});

describe('undo and redo', () => {
  it('steps back and forth through recorded states', () => {
    const h = new EditorHistory<string[]>(['Water']);
    expect([h.canUndo, h.canRedo]).toEqual([false, false]);
    h.push(['Water', 'Glycerin']);
    h.push(['Glycerin', 'Water']);
    expect(h.undo()).toEqual(['Water', 'Glycerin']);
    expect(h.undo()).toEqual(['Water']);
    expect(h.undo()).toBeNull();
    expect(h.present).toEqual(['Water']);
    expect(h.redo()).toEqual(['Water', 'Glycerin']);
    expect(h.redo()).toEqual(['Glycerin', 'Water']);
    expect(h.redo()).toBeNull();
    expect([h.canUndo, h.canRedo]).toEqual([true, false]);
  });

  it('forgets the redo states when a new edit follows an undo', () => {
    const h = new EditorHistory('a');
    h.push('b');
    h.push('c');
    h.undo();
    h.push('d');
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBeNull();
    expect(h.undo()).toBe('b');
    expect(h.undo()).toBe('a');
  });

  it('keeps at most `limit` states behind the present, forgetting the oldest', () => {
    const h = new EditorHistory(0, 3);
    for (let i = 1; i <= 5; i++) h.push(i);
    expect([h.undo(), h.undo(), h.undo(), h.undo()]).toEqual([4, 3, 2, null]);
  });

  it('starts over on reset', () => {
    const h = new EditorHistory('a');
    h.push('b');
    h.undo();
    h.reset('z');
    expect([h.present, h.canUndo, h.canRedo]).toEqual(['z', false, false]);
  });
});

/** Timers driven by hand: `advance` fires what is due, in order. */
function manualTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    set: (fn, ms) => {
      due.set(next, { at: now + ms, fn });
      return next++;
    },
    clear: (handle) => void due.delete(handle as number),
    now: () => now,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const first = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].fn();
      }
      now = end;
    },
  };
}

/** A run function whose answers the test releases by hand, in any order. */
function controlledRun() {
  const calls: { arg: string; resolve: (r: string) => void; reject: (e: Error) => void }[] = [];
  const run = (arg: string) => new Promise<string>((resolve, reject) => calls.push({ arg, resolve, reject }));
  return { calls, run };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('re-scoring only the latest list', () => {
  it('waits for a pause in edits, then asks once for the latest list', async () => {
    const timers = manualTimers();
    const { calls, run } = controlledRun();
    const answers: LatestAnswer<string, string>[] = [];
    const latest = new LatestRequest(run, { onResult: (a) => answers.push(a), onError: () => undefined }, 40, timers);
    latest.request('v1');
    timers.advance(20);
    latest.request('v2');
    timers.advance(20);
    latest.request('v3');
    expect(calls).toEqual([]);
    timers.advance(39);
    expect(calls).toEqual([]);
    timers.advance(1);
    expect(calls.map((c) => c.arg)).toEqual(['v3']);
    expect(latest.pending).toBe(true);
    timers.advance(15);
    calls[0]!.resolve('scores of v3');
    await settle();
    expect(answers).toEqual([{ arg: 'v3', result: 'scores of v3', latencyMs: 55 }]);
    expect(latest.pending).toBe(false);
  });

  it('drops an answer that arrives after a newer request, even when it arrives last', async () => {
    const timers = manualTimers();
    const { calls, run } = controlledRun();
    const answers: string[] = [];
    const latest = new LatestRequest(run, { onResult: (a) => answers.push(a.result), onError: () => undefined }, 0, timers);
    latest.request('old');
    timers.advance(0);
    latest.request('new');
    timers.advance(0);
    expect(calls.map((c) => c.arg)).toEqual(['old', 'new']);
    calls[1]!.resolve('scores of new');
    await settle();
    calls[0]!.resolve('scores of old');
    await settle();
    expect(answers).toEqual(['scores of new']);
  });

  it('reports a failure of the latest request only', async () => {
    const timers = manualTimers();
    const { calls, run } = controlledRun();
    const errors: string[] = [];
    const latest = new LatestRequest(run, { onResult: () => undefined, onError: (e, arg) => errors.push(`${arg}: ${(e as Error).message}`) }, 0, timers);
    latest.request('a');
    timers.advance(0);
    latest.request('b');
    timers.advance(0);
    calls[0]!.reject(new Error('stale failure'));
    calls[1]!.reject(new Error('compute crashed'));
    await settle();
    expect(errors).toEqual(['b: compute crashed']);
  });

  it('answers nothing after cancel', async () => {
    const timers = manualTimers();
    const { calls, run } = controlledRun();
    const answers: string[] = [];
    const latest = new LatestRequest(run, { onResult: (a) => answers.push(a.result), onError: () => undefined }, 10, timers);
    latest.request('a');
    latest.cancel();
    timers.advance(50);
    expect(calls).toEqual([]);
    latest.request('b', 0);
    timers.advance(0);
    latest.cancel();
    calls[0]!.resolve('scores of b');
    await settle();
    expect(answers).toEqual([]);
  });
});
