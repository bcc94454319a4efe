import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, SQLITE_BINDING_ENV, sqliteNativeBinding } from '../../../src/main/db/sqlite';
import { tempDir } from '../../helpers';

const require = createRequire(import.meta.url);
const nodeAddon = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
const saved = process.env[SQLITE_BINDING_ENV];
const cleanups: (() => void)[] = [];

afterEach(() => {
  if (saved === undefined) delete process.env[SQLITE_BINDING_ENV];
  else process.env[SQLITE_BINDING_ENV] = saved;
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('openSqlite', () => {
  it("uses node_modules' own addon when no other is named", () => {
    delete process.env[SQLITE_BINDING_ENV];
    expect(sqliteNativeBinding()).toBeUndefined();
    const db = openSqlite(':memory:');
    expect(db.prepare('select 6 * 7 as answer').get()).toEqual({ answer: 42 });
    db.close();
  });

  it('loads the addon LATENT_FORMULATOR_SQLITE_BINDING names (the Electron build, from a source checkout)', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // A copy at another path stands in for the Electron build: loading it proves the named file is used.
    const copy = join(dir, 'better_sqlite3.node');
    copyFileSync(nodeAddon, copy);
    process.env[SQLITE_BINDING_ENV] = copy;
    const db = openSqlite(join(dir, 'test.db'));
    db.exec('create table t (x integer)');
    db.prepare('insert into t values (?)').run(5);
    expect(db.prepare('select x from t').get()).toEqual({ x: 5 });
    db.close();
    expect(Object.keys(require.cache)).toContain(copy);
  });

  it('says which variable names a missing addon and what to do', () => {
    process.env[SQLITE_BINDING_ENV] = '/nowhere/better_sqlite3.node';
    expect(() => openSqlite(':memory:')).toThrow('LATENT_FORMULATOR_SQLITE_BINDING names /nowhere/better_sqlite3.node, which does not exist: unset it, or run `npm start` again to rebuild it');
  });
});
