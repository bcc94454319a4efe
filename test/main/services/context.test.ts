import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComputeError } from '../../../src/main/compute/host';
import { dispatchApiCall } from '../../../src/main/ipc/dispatch';
import { Derived, KeyedSlot, ServiceContext } from '../../../src/main/services/context';
import type { DatabaseCare } from '../../../src/main/services/database';
import { apiEndpoint, endpointOf, type ApiEndpoint } from '../../../src/main/services/endpoint';
import { ApiFailure, type Api } from '../../../src/shared/api';
import { tempDir } from '../../helpers';

/** A context over an in-memory database; nothing here touches backups, so `care` is a stand-in. */
function openContext(): ServiceContext {
  return new ServiceContext({ db: new Database(':memory:'), schemaVersion: 0 } as never, { databasePath: '/tmp/lf-context-test/db.sqlite', resourcesDir: '/nonexistent' }, {} as DatabaseCare);
}

let cx: ServiceContext | null = null;
afterEach(() => {
  cx?.close();
  cx = null;
});

describe('ServiceContext', () => {
  it('builds a derived value once and drops it only for the changes it depends on', () => {
    cx = openContext();
    const builds = { catalog: 0, both: 0, model: 0 };
    const onCatalog = new Derived(['catalog'], () => ++builds.catalog);
    const onBoth = new Derived(['catalog', 'ingredients'], () => ++builds.both);
    const onNothing = new Derived([], () => ++builds.model);
    const read = () => [cx!.get(onCatalog), cx!.get(onBoth), cx!.get(onNothing)];
    expect(read()).toEqual([1, 1, 1]);
    expect(read()).toEqual([1, 1, 1]);
    cx.invalidate('ingredients');
    expect(read()).toEqual([1, 2, 1]);
    cx.invalidate('catalog');
    expect(read()).toEqual([2, 3, 1]);
    cx.invalidate('database');
    expect(read()).toEqual([3, 4, 2]);
  });

  it('keeps each context its own caches', () => {
    cx = openContext();
    const other = openContext();
    const lists = new Derived(['catalog'], () => new Map<number, number[]>());
    cx.get(lists).set(1, [2, 3]);
    expect(other.get(lists).size).toBe(0);
    other.close();
  });

  it('replaces the database after a restore and forgets everything built from the old one', () => {
    cx = openContext();
    const first = cx.db;
    const tables = new Derived([], (c) => c.db);
    expect(cx.get(tables)).toBe(first);
    const restored = new Database(':memory:');
    cx.replaceDatabase({ db: restored, schemaVersion: 7 } as never);
    expect(cx.db).toBe(restored);
    expect(cx.schemaVersion).toBe(7);
    expect(cx.get(tables)).toBe(restored);
    first.close();
  });

  it('runs writes one after another, even after one fails', async () => {
    cx = openContext();
    const order: string[] = [];
    const slow = cx.exclusive(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('first');
      throw new Error('the first write failed');
    });
    const next = cx.exclusive(() => order.push('second'));
    await expect(slow).rejects.toThrow('the first write failed');
    await next;
    expect(order).toEqual(['first', 'second']);
  });

  it('turns a compute failure into the API failure with its code and message', async () => {
    cx = openContext();
    vi.spyOn(cx.compute, 'run').mockRejectedValue(new ComputeError('model-file', 'the weights do not match the manifest'));
    const failure = await cx.run({ kind: 'kde', queries: null, references: new Float32Array(2), dims: 1, bandwidth: 1 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({ code: 'model-file', message: 'the weights do not match the manifest' });
  });
});

describe('writes while another program holds the database', () => {
  /** A context over a real file (its connection's own wait in SQLite is WRITE_ATTEMPT_WAIT_MS, 250 ms), and a second connection to hold the write lock. */
  function openBusyPair(busyRetryMs: number): { cx: ServiceContext; other: Database.Database; cleanup: () => void } {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'lab.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE saves (name TEXT NOT NULL UNIQUE)');
    const other = new Database(path);
    const context = new ServiceContext({ db, schemaVersion: 0 } as never, { databasePath: path, resourcesDir: '/nonexistent', busyRetryMs }, {} as DatabaseCare);
    return { cx: context, other, cleanup: () => (other.close(), context.close(), cleanup()) };
  }
  const save = (c: ServiceContext, name: string) => () => c.db.transaction(() => c.db.prepare('INSERT INTO saves (name) VALUES (?)').run(name)).immediate();
  const names = (c: ServiceContext) => c.db.prepare('SELECT name FROM saves ORDER BY name').pluck().all();

  it('retries a write with backoff until the other program lets go, with the event loop free meanwhile, and saves it once', async () => {
    const pair = openBusyPair(10_000);
    try {
      pair.other.exec('BEGIN IMMEDIATE');
      setTimeout(() => pair.other.exec('COMMIT'), 1_500);
      // The waiting is not done on the event loop: SQLite's own wait is one attempt's 250 ms, the rest is the retry's timers.
      let last = performance.now();
      let longestGap = 0;
      const ticker = setInterval(() => {
        longestGap = Math.max(longestGap, performance.now() - last);
        last = performance.now();
      }, 10);
      const started = performance.now();
      await pair.cx.exclusive(save(pair.cx, 'kept'));
      clearInterval(ticker);
      expect(performance.now() - started).toBeGreaterThan(1_450);
      expect(longestGap).toBeLessThan(450);
      expect(names(pair.cx)).toEqual(['kept']);
      expect(pair.cx.contention.retries).toBeGreaterThanOrEqual(2);
      expect(pair.cx.contention.gaveUp).toBe(0);
      expect(pair.cx.db.pragma('busy_timeout', { simple: true })).toBe(250);
    } finally {
      pair.cleanup();
    }
  });

  it('gives up after its retry time with a clear busy failure, and nothing of the write is kept', async () => {
    const pair = openBusyPair(400);
    try {
      pair.other.exec('BEGIN IMMEDIATE');
      const failure = await pair.cx.exclusive(save(pair.cx, 'lost')).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ApiFailure);
      expect(failure).toMatchObject({ code: 'busy', message: 'another program (the app or the command line) is writing to the database; tried for 1 s and nothing of this change was saved; try again in a moment' });
      expect(pair.cx.contention).toMatchObject({ gaveUp: 1 });
      pair.other.exec('COMMIT');
      expect(names(pair.cx)).toEqual([]);
      // Through the IPC boundary it is the same code and words, never "database is locked".
      pair.other.exec('BEGIN IMMEDIATE');
      const api = { saveCandidate: () => pair.cx.exclusive(save(pair.cx, 'lost again')) } as unknown as Api;
      const result = await dispatchApiCall(api, 'saveCandidate', { name: 'x', declaration: 'Water' });
      expect(result).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringContaining('another program (the app or the command line) is writing to the database; tried for') } });
      pair.other.exec('COMMIT');
    } finally {
      pair.cleanup();
    }
  });

  it('runs a write that fails for another reason once, and does not retry one that left its transaction open', async () => {
    const pair = openBusyPair(10_000);
    try {
      let calls = 0;
      await expect(pair.cx.exclusive(() => (calls++, save(pair.cx, 'twice')(), save(pair.cx, 'twice')()))).rejects.toThrow('UNIQUE constraint failed');
      expect(calls).toBe(1);
      pair.other.exec('BEGIN IMMEDIATE');
      calls = 0;
      const open = pair.cx.exclusive(() => {
        calls++;
        pair.cx.db.exec('BEGIN');
        pair.cx.db.prepare('INSERT INTO saves (name) VALUES (?)').run('in an open transaction');
      });
      await expect(open).rejects.toMatchObject({ code: 'busy' });
      expect(calls).toBe(1);
      pair.cx.db.exec('ROLLBACK');
      pair.other.exec('COMMIT');
    } finally {
      pair.cleanup();
    }
  });
});

describe('KeyedSlot', () => {
  it('holds the value of the last key only', () => {
    const slot = new KeyedSlot<number, string>();
    expect(slot.get(1)).toBeUndefined();
    slot.set(1, 'model 1');
    expect(slot.get(1)).toBe('model 1');
    slot.set(2, 'model 2');
    expect(slot.get(1)).toBeUndefined();
    expect(slot.get(2)).toBe('model 2');
  });
});

describe('dispatch through an endpoint', () => {
  it('parses the argument once and hands the parsed value to the endpoint, not to the raw method', async () => {
    const seen: unknown[] = [];
    const api = {
      getProduct: () => Promise.reject(new Error('the raw method must not be called')),
      [apiEndpoint]: { getProduct: async (args: unknown) => (seen.push(args), { id: 3 }) } as unknown as ApiEndpoint,
    } as unknown as Api;
    expect(endpointOf(api)).not.toBeNull();
    expect(await dispatchApiCall(api, 'getProduct', { id: 3 })).toEqual({ ok: true, value: { id: 3 } });
    expect(seen).toEqual([{ id: 3 }]);
    expect(await dispatchApiCall(api, 'getProduct', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(seen).toHaveLength(1);
  });

  it('finds no endpoint on a stand-in that answers every property', () => {
    const proxy = new Proxy({} as Api, { get: () => async () => null });
    expect(endpointOf(proxy)).toBeNull();
  });
});
