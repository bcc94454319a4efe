import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMappingSpec } from '../../../src/main/cli/commands/catalog';
import { findCommand } from '../../../src/main/cli/registry';
import { runCli, scanCommandLine } from '../../../src/main/cli/run';
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

  it('says in the import summary why it chose the ingredients column and how many kit rows it split', async () => {
    const r = await cli('--db', db, 'import', join(process.cwd(), 'test', 'fixtures', 'catalogs', 'python-lists-kits.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('category="tertiary_category" › "secondary_category" › "primary_category"');
    expect(r.out).toMatch(/\ningredients: column "full_ingredients" — 100 % of 6 sampled cells read as ingredient lists, \d+ % of their names known\n/);
    expect(r.out).toContain('rows read 6, of which 2 kit rows split into 5 parts: imported 8 (8 new products, 0 merged into duplicates) + rejected 1');
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

  it('saves, versions, updates, lists, shows, compares, exports and deletes candidates', async () => {
    const first = await cli('--db', db, 'candidates', 'save', '--name', 'Glow serum', '--ingredients', 'Aqua, Glycerin, Niacinamide, Phenoxyethanol', '--tags', 'serum, night', '--rating', '4');
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toBe('saved candidate 1 "Glow serum", version 1 (4 ingredients): Water, Glycerin, Niacinamide, Phenoxyethanol\n');
    const second = await cli('--db', db, 'candidates', 'save', '--id', '1', '--ingredients', 'Water, Niacinamide, Glycerin, Sodium Hyaluronate, Phenoxyethanol', '--note', 'more hydration');
    expect(second.out).toContain('saved candidate 1 "Glow serum", version 2 (5 ingredients)');
    expect((await cli('--db', db, 'candidates', 'save', '--name', 'Cream', '--ingredients', 'Water, Dimethicone, Glycerin, Tocopherol')).code).toBe(0);
    const updated = await cli('--db', db, 'candidates', 'update', '2', '--status', 'in lab', '--rating', '3', '--notes', 'batch 1, oven "B"');
    expect(updated.out).toBe('updated 2  Cream  v1  in-lab  rating 3/5  4 ingredients\n');

    const list = await cli('--db', db, 'candidates', 'list');
    expect(list.out).toBe(['2 candidate(s)', '     2  Cream  v1  in-lab  rating 3/5  4 ingredients', '     1  Glow serum  v2  idea  rating 4/5  [night, serum]  5 ingredients', ''].join('\n'));
    const byTag = JSON.parse((await cli('--db', db, '--json', 'candidates', 'list', '--tag', 'SERUM')).out) as { total: number; items: { name: string }[] };
    expect([byTag.total, byTag.items[0]!.name]).toEqual([1, 'Glow serum']);
    expect(JSON.parse((await cli('--db', db, '--json', 'candidates', 'list', '--status', 'in-lab')).out)).toMatchObject({ total: 1, items: [{ name: 'Cream' }] });

    const show = await cli('--db', db, 'candidates', 'show', '1');
    expect(show.out).toMatch(/^candidate 1: Glow serum {2}\(idea, rating 4\/5, tags: night, serum\)\n/);
    expect(show.out).toMatch(/version 2 \(latest\), saved \S+Z: more hydration\n {2}from: typed or edited by hand\n {4}1\. Water\n {4}2\. Niacinamide\n/);
    expect(show.out.indexOf('version 2 (latest)')).toBeLessThan(show.out.indexOf('version 1,'));
    const detail = JSON.parse((await cli('--db', db, '--json', 'candidates', 'show', '1')).out) as { versions: { version: number; changeNote: string }[] };
    expect(detail.versions.map((v) => [v.version, v.changeNote])).toEqual([[1, ''], [2, 'more hydration']]);

    const compare = await cli('--db', db, 'candidates', 'compare', '1', '1', '--version-a', '1');
    expect(compare.out).toContain('only in B (1): Sodium Hyaluronate (4)\nmoved (1): Glycerin 2→3');

    const out = join(dir, 'shortlist.csv');
    const exported = await cli('--db', db, 'candidates', 'export', '--out', out, '2');
    expect(exported.out).toBe(`1 candidate(s) written to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('2,Cream,1,in-lab,3,,"batch 1, oven ""B""","Water, Dimethicone, Glycerin, Tocopherol",manual,');

    expect((await cli('--db', db, 'candidates', 'delete', '2')).code).toBe(2);
    const deleted = await cli('--db', db, 'candidates', 'delete', '2', '--yes');
    expect(deleted.out).toBe('deleted candidate 2 "Cream" and its 1 version(s)\n');
    expect((await cli('--db', db, 'candidates', 'list')).out).toContain('1 candidate(s)');
  });

  it('explains candidate mistakes: unknown ingredients (exit 1), a wrong command line (exit 2)', async () => {
    // A swapped vowel may name another substance (-ol / -al), so "Tocopherel" is suggested, never merged (a plain typo such as "Glycerinn" is read as Glycerin).
    const unknown = await cli('--db', db, 'candidates', 'save', '--name', 'Typo', '--ingredients', 'Water, Tocopherel');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('unknown ingredient "Tocopherel" (item 2; did you mean "Tocopherol"?)');
    expect((await cli('--db', db, 'candidates', 'list')).out).toBe('0 candidate(s)\n');
    const noName = await cli('--db', db, 'candidates', 'save', '--ingredients', 'Water');
    expect([noName.code, noName.err]).toEqual([2, expect.stringContaining('a new candidate needs --name NAME')]);
    expect((await cli('--db', db, 'candidates', 'update', '1', '--rating', '7')).err).toContain('--rating must be a whole number from 0 to 5, or none');
    expect((await cli('--db', db, 'candidates', 'show', 'x')).code).toBe(2);
    expect((await cli('--db', db, 'candidates', 'export')).err).toContain('candidates export needs --out FILE.csv');
    const missing = await cli('--db', db, 'candidates', 'show', '9');
    expect([missing.code, missing.err]).toEqual([1, 'latent-formulator: there is no candidate with id 9\n']);
    const noFolder = await cli('--db', db, 'candidates', 'export', '--out', join(dir, 'nope', 'x.csv'));
    expect(noFolder.code).toBe(1);
    expect(noFolder.err).toContain(`the folder ${join(dir, 'nope')} does not exist`);
    const noRun = await cli('--db', db, 'candidates', 'save', '--run', '5', '--rank', '1');
    expect([noRun.code, noRun.err]).toEqual([1, 'latent-formulator: generation run 5 has no candidate ranked 1; nothing was saved\n']);
    expect((await cli('--db', db, 'candidates', 'save', '--run', '5')).err).toContain('needs --run RUN and --rank K');
    expect((await cli('--db', db, 'candidates', 'frobnicate')).err).toContain('candidates needs list, show, save, update, compare, export or delete, not "frobnicate"');
  });

  it('db backup, backups, check and restore; a damaged database is reported on stderr at start-up', async () => {
    expect((await cli('--db', db, 'import')).code).toBe(0);
    const backup = await cli('--db', db, '--json', 'db', 'backup');
    expect(backup).toMatchObject({ code: 0, err: '' });
    const made = JSON.parse(backup.out) as { file: string; kind: string; products: number };
    expect(made).toMatchObject({ kind: 'manual', products: 3 });
    const listed = JSON.parse((await cli('--db', db, '--json', 'db', 'backups')).out) as { file: string; kind: string }[];
    expect(listed.map((b) => b.kind).sort()).toEqual(['manual', 'rolling']); // the rolling one was taken at the start of "db backup"
    expect((await cli('--db', db, 'db', 'check')).out).toContain('quick_check ok');

    truncateSync(db, Math.floor(statSync(db).size / 2));
    const damaged = await cli('--db', db, 'status');
    expect(damaged.code).toBe(0);
    expect(damaged.out).toContain('products   0 in 0 catalog(s)');
    expect(damaged.err).toContain(`the database ${db} is damaged`);
    expect(damaged.err).toMatch(/Its files were moved, untouched, to .*quarantine/);
    expect(damaged.err).toContain(`latent-formulator db restore ${made.file}`);
    const reminder = await cli('--db', db, 'catalog', 'list');
    expect(reminder.err).toContain('you have not chosen yet');

    expect(await cli('--db', db, 'db', 'restore', '../x.db')).toMatchObject({ code: 1, err: expect.stringContaining('not a path') });
    const restored = await cli('--db', db, 'db', 'restore', made.file);
    expect(restored).toMatchObject({ code: 0, err: '' });
    expect(restored.out).toContain(`restored ${made.file}: 3 products, 0 candidates`);
    expect(JSON.parse((await cli('--db', db, '--json', 'catalog', 'list')).out)).toMatchObject({ total: 3 });
    expect((await cli('--db', db, 'status')).err).toBe('');
    expect((await cli('--db', db, 'db', 'frobnicate')).code).toBe(2);
  });

  it('parses mapping specs in both forms', () => {
    expect(parseMappingSpec('name=Product, ingredients=INCI ,benefits=Dry|Oily')).toEqual({ name: 'Product', ingredients: 'INCI', benefits: ['Dry', 'Oily'] });
    expect(parseMappingSpec('{"ingredients":"I"}')).toEqual({ ingredients: 'I' });
    expect(parseMappingSpec('category=secondary_category,categoryFallbacks=primary_category')).toEqual({ category: 'secondary_category', categoryFallbacks: ['primary_category'] });
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

describe('latent-formulator CLI: one set of options per command', () => {
  it('names the flag, its range and the value in a bad number, and shows the command\'s usage', async () => {
    const k = await cli('--db', db, 'neighbours', '--product', '1', '--k', 'x');
    expect(k.code).toBe(2);
    expect(k.err).toBe('latent-formulator: --k must be a whole number from 1 to 100, not "x"\nUsage: latent-formulator neighbours (--product ID | DECLARATION) [--k N] [--brief NAME | brief rules]\nRun "latent-formulator neighbours --help" for its options.\n');
    expect((await cli('--db', db, 'neighbours', '--product', '1', '--k', '500')).err).toContain('--k must be a whole number from 1 to 100, not "500"');
    expect((await cli('--db', db, 'generate', '--temperature', '9')).err).toContain('--temperature must be a number above 0 and at most 5, not "9"');
    expect((await cli('--db', db, 'generate', '--n', '2.5')).err).toContain('--n must be a whole number from 1 to 200000, not "2.5"');
    expect((await cli('--db', db, 'catalog', 'list', '--limit', '0')).err).toContain('--limit must be a whole number from 1 to 1000, not "0"');
    expect((await cli('--db', db, 'lab', 'list', '--candidate', 'abc')).err).toContain('--candidate must be a positive whole number, not "abc"');
    expect((await cli('--db', db, 'optimize', '--maximize', 'hydration', '--prior', '-1')).code).toBe(2);
    expect((await cli('--db', db, 'optimize', '--maximize', 'hydration', '--prior=-1')).err).toContain('--prior must be a number from 0 to 100, not "-1"');
    expect((await cli('--db', db, 'whitespace', '--method', 'silverman')).err).toContain('--method takes scott or cv, not "silverman"');
    expect((await cli('--db', db, 'import', '--encoding', 'latin-9')).err).toContain('--encoding takes utf-8, utf-16le, utf-16be or windows-1252, not "latin-9"');
  });

  it('gives a flag its own meaning per command, keeping the old spellings as aliases', async () => {
    // whitespace --k counts the sparsest products (1 to 500), neighbours --k the neighbours (1 to 100).
    expect((await cli('--db', db, 'whitespace', '--k', '0')).err).toContain('--k must be a whole number from 1 to 500, not "0"');
    expect((await cli('--db', db, 'whitespace', '--sparsest', '0')).err).toContain('--sparsest must be a whole number from 1 to 500, not "0"');
    expect((await cli('--db', db, 'whitespace', '--n', '101')).err).toContain('--n must be a whole number from 0 to 100, not "101"');
    expect((await cli('--db', db, 'whitespace', '--gaps', '101')).err).toContain('--gaps must be a whole number from 0 to 100, not "101"');
    expect((await cli('--db', db, 'sensitivity', '--k', '4')).err).toContain('--k must be a whole number from 5 to 500, not "4"');
    expect((await cli('--db', db, 'whitespace', '--k', '3', '--sparsest', '3')).err).toContain('--sparsest and --k are the same option; give one');
  });

  it("refuses another command's option, before opening the database", async () => {
    const r = await cli('--db', db, 'catalog', 'show', '3', '--yes');
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('catalog show does not take --yes') });
    expect((await cli('--db', db, 'status', '--k', '3')).err).toContain('status does not take --k');
    expect((await cli('--db', db, 'lab', 'add', '--product', '1', '--product', '2', '--property', 'x', '--value', '1')).err).toContain('lab add takes one --product');
    expect((await cli('--db', db, 'status', 'now')).err).toContain('status takes no arguments, not "now"');
    expect(existsSync(db)).toBe(false);
  });

  it('prints one line per command, a command\'s own usage, and a group\'s commands', async () => {
    const all = await cli('--help');
    expect(all.out).toMatch(/\n {2}neighbours +nearest catalog products, in latent space and by ingredient overlap \(only those meeting a brief, when given\)\n/);
    expect(all.out).toMatch(/\n {2}candidates save +save a list/);
    const one = await cli('whitespace', '--help');
    expect(one.code).toBe(0);
    expect(one.out).toContain('Usage: latent-formulator whitespace [--sparsest N] [--gaps N] [--method scott|cv]\n');
    expect(one.out).toMatch(/\n {2}--sparsest N +sparsest \(outlier\) products to list, 1 to 500 \(default 10\) \(also --k\)\n/);
    expect(one.out).not.toContain('--product');
    const group = await cli('lab', '-h');
    expect(group.out).toContain('  latent-formulator lab delete ID --yes\n      delete one result\n');
    const missing = await cli('--db', db, 'lab');
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('lab needs add, list, properties, update, delete, export or import\nUsage:\n') });
  });

  it('renames a catalog, and deletes one only with --yes, after a backup it names', async () => {
    await cli('--db', db, 'import');
    const csv = join(dir, 'shop.csv');
    writeFileSync(csv, 'Name,Brand,Category,Ingredients\nGel,Acme,serum,"Water, Glycerin, Niacinamide"\nCream,Acme,cream,"Water, Dimethicone, Glycerin"\n');
    expect((await cli('--db', db, 'import', csv, '--name', 'Shop')).code).toBe(0);

    const renamed = await cli('--db', db, 'catalog', 'rename', '2', 'Acme', 'shop', '2026');
    expect(renamed).toMatchObject({ code: 0, out: 'catalog 2 is now "Acme shop 2026" (2 products)\n' });
    expect(await cli('--db', db, 'catalog', 'rename', '2')).toMatchObject({ code: 2, err: expect.stringContaining('catalog rename needs a new name after the id') });
    expect(await cli('--db', db, 'catalog', 'rename', '9', 'x')).toMatchObject({ code: 1, err: expect.stringContaining('no catalog with id 9') });

    const refused = await cli('--db', db, 'catalog', 'delete', '1');
    expect(refused).toMatchObject({ code: 2, err: expect.stringContaining('catalog delete 1 removes the catalog and all its products (a backup is taken first); add --yes to confirm') });
    const deleted = await cli('--db', db, 'catalog', 'delete', '1', '--yes');
    expect(deleted.code).toBe(0);
    expect(deleted.out).toContain('deleted catalog 1 "Sample catalog (illustrative formulations)": 3 products, 11 ingredient rows');
    const backup = /backup taken first: (\S+\.manual\.\S+\.bak)/.exec(deleted.out)?.[1];
    expect(backup).toBeDefined();
    expect(deleted.out).toContain('1 catalog(s) remain');
    const backups = JSON.parse((await cli('--db', db, '--json', 'db', 'backups')).out) as { file: string; kind: string; products: number }[];
    expect(backups.find((b) => b.file === backup)).toMatchObject({ kind: 'manual', products: 5 });
    const sources = JSON.parse((await cli('--db', db, '--json', 'catalog', 'sources')).out) as { id: number; name: string }[];
    expect(sources.map((c) => [c.id, c.name])).toEqual([[2, 'Acme shop 2026']]);
  });

  it("accepts every command line in README's CLI section", () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Command line'), readme.indexOf('\n## ', readme.indexOf('## Command line') + 1));
    const lines = [...section.matchAll(/^npm run cli -- (.*)$/gm)].map((m) => m[1]!.replace(/\s+#.*$/, '').trim()).filter((l) => !l.includes('…') && !l.includes('--help'));
    expect(lines.length).toBeGreaterThan(30);
    for (const line of lines) {
      const argv = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
      const { command } = findCommand(scanCommandLine(argv).words);
      expect(command, line).not.toBeNull();
      expect(() => command!.prepare(argv), line).not.toThrow();
    }
  });
});
