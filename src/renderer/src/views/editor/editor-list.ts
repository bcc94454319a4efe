/**
 * The candidate editor's pure parts: list operations that return new arrays (so every state can
 * be kept for undo), the undo/redo history, and a scheduler that runs only the latest of a burst
 * of requests and drops answers that a newer request has superseded. No Svelte, no API.
 */

/** One row of the edited list: a key that stays with it while it moves (rendering, drag-and-drop, focus) and its name as entered. */
export interface EditorItem {
  readonly key: number;
  readonly name: string;
}

/** The list with the item at `from` moved so that it ends up at index `to` (both clamped to the list). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(to, out.length)), 0, item!);
  return out;
}

/**
 * Where a dragged item ends up when dropped before the row now at index `before` (a list's
 * length: after the last row). Its own row counts until it is lifted out, hence the shift.
 */
export function dropIndex(from: number, before: number): number {
  return before > from ? before - 1 : before;
}

/** The list with `items` inserted at `at` (clamped: past the end appends). */
export function insertItems<T>(list: readonly T[], at: number, items: readonly T[]): T[] {
  const i = Math.max(0, Math.min(at, list.length));
  return [...list.slice(0, i), ...items, ...list.slice(i)];
}

/** The list without the item at `index`. */
export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** The list with the item at `index` replaced. */
export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

/** True when two lists hold the same names in the same order (keys do not matter). */
export function sameNames(a: readonly EditorItem[], b: readonly EditorItem[]): boolean {
  return a.length === b.length && a.every((x, i) => x.name === b[i]!.name);
}

/**
 * Undo/redo over immutable states: `push` records a new present (and forgets any redo), `undo`
 * and `redo` step through what was recorded. At most `limit` states are kept behind the present;
 * the oldest are forgotten first.
 */
export class EditorHistory<T> {
  private past: T[] = [];
  private future: T[] = [];

  constructor(
    private current: T,
    private readonly limit = 200,
  ) {}

  get present(): T {
    return this.current;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  push(next: T): void {
    this.past.push(this.current);
    if (this.past.length > this.limit) this.past.shift();
    this.current = next;
    this.future = [];
  }

  /** The previous state (now the present), or null when there is none. */
  undo(): T | null {
    const previous = this.past.pop();
    if (previous === undefined) return null;
    this.future.push(this.current);
    this.current = previous;
    return previous;
  }

  /** The state undone last (now the present), or null when there is none. */
  redo(): T | null {
    const next = this.future.pop();
    if (next === undefined) return null;
    this.past.push(this.current);
    this.current = next;
    return next;
  }

  /** Starts over from `value` (a newly opened list): nothing to undo or redo. */
  reset(value: T): void {
    this.current = value;
    this.past = [];
    this.future = [];
  }
}

/** Timer functions, injectable so tests can drive time. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

/** What the scheduler hands to `onResult` with an answer. */
export interface LatestAnswer<A, R> {
  arg: A;
  result: R;
  /** Milliseconds from the request this answers to the answer (the quiet period included). */
  latencyMs: number;
}

/**
 * Runs `run` for the latest request only, once requests have paused for `delayMs`; an answer
 * (or a failure) arriving after a newer request was made is dropped, so a slow answer to an old
 * list never overwrites the scores of the current one.
 */
export class LatestRequest<A, R> {
  private seq = 0;
  private timer: unknown = null;
  private requestedAt = 0;
  private inFlight = 0;

  constructor(
    private readonly run: (arg: A) => Promise<R>,
    private readonly handlers: { onResult: (answer: LatestAnswer<A, R>) => void; onError: (error: unknown, arg: A) => void },
    private readonly delayMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  /** True from a request until its answer is in (or dropped for a newer one). */
  get pending(): boolean {
    return this.timer !== null || this.inFlight > 0;
  }

  /** Asks for `arg` after the quiet period (0: as soon as possible); supersedes every earlier request. */
  request(arg: A, delayMs = this.delayMs): void {
    const seq = ++this.seq;
    this.requestedAt = this.timers.now();
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.start(seq, arg);
    }, delayMs);
  }

  /** Forgets every request: nothing pending will be answered. */
  cancel(): void {
    this.seq++;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
  }

  private async start(seq: number, arg: A): Promise<void> {
    const requestedAt = this.requestedAt;
    this.inFlight++;
    try {
      const result = await this.run(arg);
      if (seq === this.seq) this.handlers.onResult({ arg, result, latencyMs: this.timers.now() - requestedAt });
    } catch (error) {
      if (seq === this.seq) this.handlers.onError(error, arg);
    } finally {
      this.inFlight--;
    }
  }
}
