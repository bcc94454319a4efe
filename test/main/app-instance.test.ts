import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAppInstance } from '../../src/main/app-instance';
import { NewerDatabaseError } from '../../src/main/db/connection';
import { acquireFolderLock, FOLDER_LOCK_FILE, FolderInUseError } from '../../src/main/folder-lock';
import { resolveResourcesDir } from '../../src/main/resources';
import { tempDir } from '../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const options = (name = 'lab.db') => ({ databasePath: join(dir, name), resourcesDir: resolveResourcesDir() });

describe('openAppInstance (the app and the preview at start)', () => {
  it('owns the data folder while open and releases it on close', async () => {
    const instance = await openAppInstance(options(), 'app');
    expect(instance.lock?.held()).toBe(true);
    // The status says how long a write attempt waits for another program's write lock, and how long the services retry it.
    expect(await instance.service.getStatus()).toMatchObject({ databasePath: join(dir, 'lab.db'), busyTimeoutMs: 250, busyRetryMs: 15_000 });
    instance.close();
    await instance.service.compute.close();
    expect(existsSync(join(dir, FOLDER_LOCK_FILE))).toBe(false);
  });

  it('refuses a second start on the folder before opening its database', async () => {
    const owner = acquireFolderLock(join(dir, 'lab.db'), 'preview');
    const error = await openAppInstance(options('second.db'), 'app').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FolderInUseError);
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    // The refused start did not create (so did not open) its database file.
    expect(readdirSync(dir)).toEqual([FOLDER_LOCK_FILE]);
    owner.release();
  });

  it('releases the folder when the database cannot be opened', async () => {
    const raw = new BetterSqlite3(join(dir, 'lab.db'));
    raw.pragma('user_version = 999');
    raw.close();
    await expect(openAppInstance(options(), 'preview')).rejects.toBeInstanceOf(NewerDatabaseError);
    expect(existsSync(join(dir, FOLDER_LOCK_FILE))).toBe(false);
  });

  it('takes no lock for an in-memory database (tests), which has no folder', async () => {
    const instance = await openAppInstance({ databasePath: ':memory:', resourcesDir: resolveResourcesDir() }, 'app');
    expect(instance.lock).toBeNull();
    instance.close();
  });
});
