import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMappingSpec, runCli } from '../../../src/main/cli/run';
import { tempDir, writeFixtureResources } from '../../helpers';

let dir: string;
let cleanup: () => void;
let db: string;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  process.env.LATENT_FORMULATOR_RESOURCES = writeFixtureResources(dir);
  db = join(dir, 'cli.db');
});
afterEach(() => {
  delete process.env.LATENT_FORMULATOR_RESOURCES;
  cleanup();
});

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe('latent-formulator CLI', () => {
  it('prints usage with --help and exits 0; exits 2 on an unknown command', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: latent-formulator');
    const bad = await cli('--db', db, 'frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown command "frobnicate"');
  });

  it('imports a file and lists and shows its products as JSON', async () => {
    const csv = join(dir, 'c.csv');
    writeFileSync(csv, 'Name,Brand,Category,Ingredients\nGel,Acme,serum,"Water, Glycerin, Niacinamide"\nJunk,Acme,serum,No Info\n');
    const imported = await cli('--db', db, 'import', csv, '--json');
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.out) as { rowsRead: number; rowsImported: number; rejected: { line: number; code: string }[] };
    expect([report.rowsRead, report.rowsImported]).toEqual([2, 1]);
    expect(report.rejected).toMatchObject([{ line: 3, code: 'placeholder' }]);

    const list = JSON.parse((await cli('--db', db, '--json', 'catalog', 'list')).out) as { total: number; items: { id: number; name: string }[] };
    expect(list.total).toBe(1);
    const show = await cli('--db', db, 'catalog', 'show', String(list.items[0]!.id));
    expect(show.code).toBe(0);
    expect(show.out).toContain('  1. Water  — solvent');
    expect(show.out).toContain('  3. Niacinamide  — active, vitamin');
  });

  it('imports the sample catalog when no file is given', async () => {
    const r = await cli('--db', db, 'import');
    expect(r.code).toBe(0);
    expect(r.out).toContain('rows read 3 = imported 3');
  });

  it('fails with exit 1 and a clear message for a missing product or file', async () => {
    const show = await cli('--db', db, 'catalog', 'show', '999');
    expect(show.code).toBe(1);
    expect(show.err).toContain('there is no product with id 999');
    const missing = await cli('--db', db, 'import', join(dir, 'nope.csv'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('does not exist');
    expect((await cli('--db', db, 'catalog', 'show', 'abc')).code).toBe(2);
  });

  it('looks up ingredients and suggests near misses', async () => {
    const hit = await cli('--db', db, 'ingredients', 'lookup', 'aqua');
    expect(hit.code).toBe(0);
    expect(hit.out).toContain('Water  (matched as synonym)');
    expect(hit.out).toContain('functions:   solvent');
    const miss = await cli('--db', db, 'ingredients', 'lookup', 'Niacinamyde');
    expect(miss.code).toBe(1);
    expect(miss.out).toContain('Did you mean: Niacinamide?');
  });

  it('adds a user ingredient', async () => {
    const add = await cli('--db', db, '--json', 'ingredients', 'add', '--inci', 'Squalane', '--function', 'emollient', '--synonym', 'Olive Squalane');
    expect(add.code).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({ inci: 'Squalane', functions: ['emollient'], origin: 'user' });
    const bad = await cli('--db', db, 'ingredients', 'add', '--inci', 'X', '--function', 'magic');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('field "functions.0"');
  });

  it('refuses a database from a newer version', async () => {
    const raw = new BetterSqlite3(db);
    raw.pragma('user_version = 999');
    raw.close();
    const r = await cli('--db', db, 'status');
    expect(r.code).toBe(1);
    expect(r.err).toContain('schema version 999');
  });

  it('explains why a tiny catalog cannot be trained, and that no model exists yet', async () => {
    await cli('--db', db, 'import');
    const train = await cli('--db', db, 'train', '--preset', 'quick');
    expect(train.code).toBe(1);
    expect(train.err).toContain('cannot train: the catalog has 3 products with ingredient lists; at least 30 are needed to train');
    const list = await cli('--db', db, 'models', 'list');
    expect(list.out).toContain('no models yet');
    const encode = await cli('--db', db, 'encode', '--product', '1');
    expect(encode.code).toBe(1);
    expect(encode.err).toContain('no model is active yet');
    expect((await cli('--db', db, 'train', '--preset', 'huge')).code).toBe(2);
    expect((await cli('--db', db, 'decode', '--code=1,x')).code).toBe(2);
  });

  it('parses mapping specs in both forms', () => {
    expect(parseMappingSpec('name=Product, ingredients=INCI ,benefits=Dry|Oily')).toEqual({ name: 'Product', ingredients: 'INCI', benefits: ['Dry', 'Oily'] });
    expect(parseMappingSpec('{"ingredients":"I"}')).toEqual({ ingredients: 'I' });
    expect(() => parseMappingSpec('colour=x')).toThrow('unknown field "colour"');
  });

  it('runs as a real process with exit codes', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/main/cli/main.ts', '--db', db, ...args], {
        encoding: 'utf8',
        env: { ...process.env },
      });
    const ok = run('status');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('products   0 in 0 catalog(s)');
    const fail = run('catalog', 'show', '5');
    expect(fail.status).toBe(1);
    expect(fail.stderr).toContain('there is no product with id 5');
  });
});
