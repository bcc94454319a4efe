import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ComputeError } from '../../../src/main/compute/host';
import { dispatchApiCall } from '../../../src/main/ipc/dispatch';
import { Derived, KeyedSlot, ServiceContext } from '../../../src/main/services/context';
import type { DatabaseCare } from '../../../src/main/services/database';
import { apiEndpoint, endpointOf, type ApiEndpoint } from '../../../src/main/services/endpoint';
import { ApiFailure, type Api } from '../../../src/shared/api';

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
