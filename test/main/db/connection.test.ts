import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError, NewerDatabaseError, openDatabase } from '../../../src/main/db/connection';
import { listBackupFiles } from '../../../src/main/db/backups';
import { FOLDER_LOCK_FILE, processStartTicks } from '../../../src/main/folder-lock';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from '../../../src/main/db/migrations';
import { tempDir } from '../../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('openDatabase', () => {
  it('creates a database at the latest schema with WAL, synchronous=FULL and foreign keys', async () => {
    const { db, schemaVersion, backupPath } = await openDatabase(join(dir, 'app.db'));
    expect(schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(backupPath).toBeNull();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a database written by a newer version and leaves the file untouched', async () => {
    const path = join(dir, 'newer.db');
    const raw = new BetterSqlite3(path);
    raw.exec('CREATE TABLE keep (x INTEGER)');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = sha(path);
    const error = await openDatabase(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NewerDatabaseError);
    expect((error as Error).message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 5}`);
    expect((error as Error).message).toContain('The file was not changed');
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('backs up an existing database before migrating it', async () => {
    const path = join(dir, 'old.db');
    const first = await openDatabase(path);
    first.db.prepare(`INSERT INTO meta (key, value) VALUES ('marker', 'v1 data')`).run();
    first.db.close();
    const v2: Migration = { version: LATEST_SCHEMA_VERSION + 1, name: 'test', up: (db) => db.exec('CREATE TABLE extra (x INTEGER)') };
    const second = await openDatabase(path, { migrations: [...MIGRATIONS, v2] });
    expect(second.schemaVersion).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(second.backupPath).not.toBeNull();
    second.db.close();
    const backup = new BetterSqlite3(second.backupPath!, { readonly: true, fileMustExist: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(backup.prepare(`SELECT value FROM meta WHERE key = 'marker'`).get()).toEqual({ value: 'v1 data' });
    backup.close();
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
  });

  it('rolls a failing migration step back whole and keeps the old version', async () => {
    const path = join(dir, 'fail.db');
    (await openDatabase(path)).db.close();
    const broken: Migration = {
      version: LATEST_SCHEMA_VERSION + 1,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('disk says no');
      },
    };
    await expect(openDatabase(path, { migrations: [...MIGRATIONS, broken] })).rejects.toThrow('disk says no');
    const raw = new BetterSqlite3(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(raw.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'`).get()).toEqual({ n: 0 });
    raw.close();
  });
});

describe('upgrading a file another program has open', () => {
  const nextStep: Migration = { version: LATEST_SCHEMA_VERSION + 1, name: 'next', up: (db) => db.exec('CREATE TABLE next_table (x INTEGER)') };
  const files = (path: string) => ['', '-wal'].map((s) => (existsSync(path + s) ? sha(path + s) : 'none')).join(' ');

  it('is refused while another connection holds the file, leaving it untouched, and done once it is closed', async () => {
    const path = join(dir, 'held.db');
    const older = await openDatabase(path);
    older.db.prepare(`INSERT INTO meta (key, value) VALUES ('marker', 'kept')`).run();
    const before = files(path);
    const error = await openDatabase(path, { migrations: [...MIGRATIONS, nextStep] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseInUseError);
    expect((error as Error).message).toBe(
      `${path} is at database schema version ${LATEST_SCHEMA_VERSION} and this version of Latent Formulator needs ${LATEST_SCHEMA_VERSION + 1}, but another program (a Latent Formulator window, the browser preview or a command line, maybe an older version) has the file open, ` +
        'so it was not upgraded (upgrading it under a running program could break that program). Close it, then try again; the file was not changed.',
    );
    expect(files(path)).toBe(before);
    expect(existsSync(join(dir, 'backups'))).toBe(false);
    // The older program carries on reading and writing its version.
    expect(older.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    older.db.prepare(`INSERT INTO meta (key, value) VALUES ('after', 'still writing')`).run();
    older.db.close();
    const upgraded = await openDatabase(path, { migrations: [...MIGRATIONS, nextStep] });
    expect(upgraded.schemaVersion).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(upgraded.backupPath).not.toBeNull();
    expect(upgraded.db.prepare(`SELECT count(*) FROM meta WHERE key IN ('marker', 'after')`).pluck().get()).toBe(2);
    expect(upgraded.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // The upgrade's exclusive lock is gone: another connection reads the file again.
    const reader = new BetterSqlite3(path, { readonly: true });
    expect(reader.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    reader.close();
    upgraded.db.close();
  });

  it('names the running app that owns the data folder, at once', async () => {
    const path = join(dir, 'owned.db');
    const older = await openDatabase(path);
    const app = spawn('sleep', ['30']);
    try {
      const owner = { pid: app.pid!, startTicks: processStartTicks(app.pid!), startedAt: '2026-01-01T00:00:00.000Z', host: hostname(), role: 'app', database: path, url: null, token: 't' };
      writeFileSync(join(dir, FOLDER_LOCK_FILE), JSON.stringify(owner));
      const started = performance.now();
      const error = await openDatabase(path, { migrations: [...MIGRATIONS, nextStep] }).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect((error as Error).message).toContain(`but Latent Formulator (the desktop app, pid ${app.pid}) has the file open, so it was not upgraded`);
    } finally {
      app.kill();
      older.db.close();
    }
  });

  it('runs each step once when several processes create the same new database at once', async () => {
    const path = join(dir, 'new.db');
    const script = `import { openDatabase } from ${JSON.stringify(join(process.cwd(), 'src/main/db/connection.ts'))}; const o = await openDatabase(${JSON.stringify(path)}); process.stdout.write(String(o.schemaVersion)); o.db.close();`;
    const runs = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
            let out = '';
            let err = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.stderr.on('data', (d: Buffer) => (err += d.toString()));
            child.on('exit', (code) => resolve({ code, out, err }));
          }),
      ),
    );
    expect(runs).toEqual([1, 2, 3].map(() => ({ code: 0, out: String(LATEST_SCHEMA_VERSION), err: '' })));
  });
});

describe('schema version 1', () => {
  it('enforces foreign keys and section values on an in-memory database', async () => {
    const { db } = await openDatabase(':memory:');
    expect(() =>
      db.prepare(`INSERT INTO products (catalog_id, name, brand, category, declaration, ingredients_hash) VALUES (999, 'x', '', '', '', '')`).run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(`INSERT INTO catalogs (name, source_path, format, imported_at, report) VALUES ('c', 'p', 'csv', 'now', '{}')`).run();
    db.prepare(`INSERT INTO ingredients (inci, key, origin, updated_at) VALUES ('Water', 'water', 'kb', 'now')`).run();
    db.prepare(`INSERT INTO products (catalog_id, name, brand, category, declaration, ingredients_hash) VALUES (1, 'x', '', '', '', '')`).run();
    expect(() => db.prepare(`INSERT INTO product_ingredients (product_id, position, ingredient_id, raw, section) VALUES (1, 1, 1, 'Water', 'other')`).run()).toThrow(
      /CHECK/,
    );
    db.close();
  });
});

describe('schema version 2', () => {
  it('allows at most one active model', async () => {
    const { db } = await openDatabase(':memory:');
    const insert = db.prepare(
      `INSERT INTO models (name, folder, manifest_sha256, created_at, preset, seed, backend, train_ms, epochs, vocab_hash, vocab_size, vocabulary, config, metrics, snapshot, active)
       VALUES (?, ?, 'x', 'now', 'quick', 1, 'wasm', 1, 1, 'h', 1, '[]', '{}', '{}', '{}', ?)`,
    );
    insert.run('a', 'fa', 1);
    insert.run('b', 'fb', 0);
    expect(() => insert.run('c', 'fc', 1)).toThrow(/UNIQUE/);
    expect(() => insert.run('d', 'fa', 0)).toThrow(/UNIQUE/);
    db.close();
  });
});

describe('schema versions 3 and 4', () => {
  it('deletes a model’s product codes and generation runs with it, and candidates with their run', async () => {
    const { db } = await openDatabase(':memory:');
    db.prepare(`INSERT INTO catalogs (name, source_path, format, imported_at, report) VALUES ('c', 'p', 'csv', 'now', '{}')`).run();
    db.prepare(`INSERT INTO products (catalog_id, name, brand, category, declaration, ingredients_hash) VALUES (1, 'x', '', '', '', '')`).run();
    db.prepare(
      `INSERT INTO models (name, folder, manifest_sha256, created_at, preset, seed, backend, train_ms, epochs, vocab_hash, vocab_size, vocabulary, config, metrics, snapshot, active)
       VALUES ('m', 'f', 'x', 'now', 'quick', 1, 'wasm', 1, 1, 'h', 1, '[]', '{}', '{}', '{}', 1)`,
    ).run();
    db.prepare(`INSERT INTO product_codes (model_id, product_id, mu) VALUES (1, 1, ?)`).run(Buffer.alloc(8));
    db.prepare(`INSERT INTO generation_runs (model_id, created_at, backend, params, timings, counts, quality, density_floor) VALUES (1, 'now', 'wasm', '{}', '{}', '{}', '{}', -1)`).run();
    db.prepare(`INSERT INTO generated_candidates (run_id, rank, passed, ingredients, code, scores, reasons) VALUES (1, 1, 1, '[]', ?, '{}', '[]')`).run(Buffer.alloc(8));
    expect(() => db.prepare(`INSERT INTO generated_candidates (run_id, rank, passed, ingredients, code, scores, reasons) VALUES (1, 2, 2, '[]', x'00', '{}', '[]')`).run()).toThrow(/CHECK/);
    db.prepare(`DELETE FROM models WHERE id = 1`).run();
    const left = db.prepare(`SELECT (SELECT count(*) FROM product_codes) AS codes, (SELECT count(*) FROM generation_runs) AS runs, (SELECT count(*) FROM generated_candidates) AS candidates`).get();
    expect(left).toEqual({ codes: 0, runs: 0, candidates: 0 });
    db.close();
  });
});

describe('schema version 5 (saved candidates)', () => {
  const insertCandidate = `INSERT INTO candidates (name, status, rating, created_at, updated_at) VALUES (?, ?, ?, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`;
  const insertVersion = `INSERT INTO candidate_versions (candidate_id, version, created_at, source, provenance) VALUES (?, ?, '2025-01-01T00:00:00Z', ?, ?)`;

  it('checks status, rating, versions, provenance and ingredient references', async () => {
    const { db } = await openDatabase(':memory:');
    db.prepare(`INSERT INTO ingredients (inci, key, origin, updated_at) VALUES ('Water', 'water', 'kb', 'now')`).run();
    expect(() => db.prepare(insertCandidate).run('a', 'maybe', null)).toThrow(/CHECK/);
    expect(() => db.prepare(insertCandidate).run('a', 'idea', 6)).toThrow(/CHECK/);
    expect(() => db.prepare(insertCandidate).run('  ', 'idea', null)).toThrow(/CHECK/);
    db.prepare(insertCandidate).run('Serum A', 'in-lab', 4);
    expect(() => db.prepare(insertVersion).run(99, 1, 'manual', '{"source":"manual"}')).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(insertVersion).run(1, 1, 'manual', '{"source":"generated"}')).toThrow(/CHECK/);
    expect(() => db.prepare(insertVersion).run(1, 1, 'manual', 'not json')).toThrow(/CHECK/);
    db.prepare(insertVersion).run(1, 1, 'manual', '{"source":"manual"}');
    expect(() => db.prepare(insertVersion).run(1, 1, 'manual', '{"source":"manual"}')).toThrow(/UNIQUE/);
    const addIngredient = db.prepare(`INSERT INTO candidate_ingredients (version_id, position, ingredient_id) VALUES (1, ?, ?)`);
    addIngredient.run(1, 1);
    expect(() => addIngredient.run(2, 999)).toThrow(/FOREIGN KEY/);
    expect(() => addIngredient.run(2, 1)).toThrow(/UNIQUE/);
    expect(() => db.prepare(`INSERT INTO candidate_tags (candidate_id, tag) VALUES (1, ' padded')`).run()).toThrow(/CHECK/);
    db.prepare(`INSERT INTO candidate_tags (candidate_id, tag) VALUES (1, 'Vitamin C')`).run();
    expect(() => db.prepare(`INSERT INTO candidate_tags (candidate_id, tag) VALUES (1, 'vitamin c')`).run()).toThrow(/UNIQUE/);
    expect(() => db.prepare(`UPDATE candidate_versions SET change_note = 'rewritten' WHERE id = 1`).run()).toThrow('candidate versions are history');
    expect(() => db.prepare(`DELETE FROM ingredients WHERE id = 1`).run()).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM candidates WHERE id = 1`).run();
    const left = db.prepare(`SELECT (SELECT count(*) FROM candidate_versions) AS versions, (SELECT count(*) FROM candidate_ingredients) AS ingredients, (SELECT count(*) FROM candidate_tags) AS tags`).get();
    expect(left).toEqual({ versions: 0, ingredients: 0, tags: 0 });
    db.close();
  });

  it('upgrades a version 4 database with its catalog, models and generation runs intact', async () => {
    const path = join(dir, 'v4.db');
    const v4 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 4) });
    expect(v4.schemaVersion).toBe(4);
    v4.db.prepare(`INSERT INTO catalogs (name, source_path, format, imported_at, report) VALUES ('c', 'p', 'csv', 'now', '{}')`).run();
    v4.db.prepare(`INSERT INTO ingredients (inci, key, origin, updated_at) VALUES ('Water', 'water', 'kb', 'now')`).run();
    v4.db.prepare(`INSERT INTO products (catalog_id, name, brand, category, declaration, ingredients_hash) VALUES (1, 'Gel', 'Acme', 'serum', 'Water', 'h')`).run();
    v4.db.prepare(`INSERT INTO product_ingredients (product_id, position, ingredient_id, raw, section) VALUES (1, 1, 1, 'Water', 'main')`).run();
    v4.db.prepare(
      `INSERT INTO models (name, folder, manifest_sha256, created_at, preset, seed, backend, train_ms, epochs, vocab_hash, vocab_size, vocabulary, config, metrics, snapshot, active)
       VALUES ('m', 'f', 'x', 'now', 'quick', 1, 'wasm', 1, 1, 'h', 1, '[]', '{}', '{}', '{}', 1)`,
    ).run();
    v4.db.prepare(`INSERT INTO generation_runs (model_id, created_at, backend, params, timings, counts, quality, density_floor) VALUES (1, 'now', 'wasm', '{"seed":3}', '{}', '{}', '{}', -1)`).run();
    v4.db.prepare(`INSERT INTO generated_candidates (run_id, rank, passed, ingredients, code, scores, reasons) VALUES (1, 1, 1, '[1]', x'00', '{}', '[]')`).run();
    v4.db.close();

    const v5 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 5) });
    expect(v5.schemaVersion).toBe(5);
    expect(v5.backupPath).toMatch(/v4\.db\.v4\./);
    const counts = v5.db
      .prepare(
        `SELECT (SELECT count(*) FROM products) AS products, (SELECT count(*) FROM product_ingredients) AS productIngredients,
                (SELECT count(*) FROM models) AS models, (SELECT params FROM generation_runs WHERE id = 1) AS params,
                (SELECT ingredients FROM generated_candidates) AS generated, (SELECT count(*) FROM candidates) AS candidates`,
      )
      .get();
    expect(counts).toEqual({ products: 1, productIngredients: 1, models: 1, params: '{"seed":3}', generated: '[1]', candidates: 0 });
    const tables = v5.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'candidate%' ORDER BY name`).pluck().all();
    expect(tables).toEqual(['candidate_ingredients', 'candidate_tags', 'candidate_versions', 'candidates']);
    expect(v5.db.pragma('foreign_key_check')).toEqual([]);
    v5.db.close();
  });
});

describe('schema version 6 (lab results)', () => {
  it('upgrades a version 5 database with its candidates intact; a result outlives its candidate and refuses bad dates and values', async () => {
    const path = join(dir, 'v5.db');
    const v5 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 5) });
    expect(v5.schemaVersion).toBe(5);
    v5.db.prepare(`INSERT INTO ingredients (inci, key, origin, updated_at) VALUES ('Water', 'water', 'kb', 'now')`).run();
    v5.db.prepare(`INSERT INTO candidates (name, created_at, updated_at) VALUES ('Gel', '2026-01-01', '2026-01-01')`).run();
    v5.db.prepare(`INSERT INTO candidate_versions (candidate_id, version, created_at, source, provenance) VALUES (1, 1, '2026-01-01', 'manual', '{"source":"manual"}')`).run();
    v5.db.prepare(`INSERT INTO candidate_ingredients (version_id, position, ingredient_id) VALUES (1, 1, 1)`).run();
    v5.db.close();

    const v6 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 6) });
    expect(v6.schemaVersion).toBe(6);
    expect(v6.db.prepare(`SELECT count(*) FROM candidate_ingredients`).pluck().get()).toBe(1);
    const insert = v6.db.prepare(
      `INSERT INTO lab_results (candidate_id, candidate_version, subject_kind, subject, ingredient_ids, property, value, unit, measured_on, created_at, updated_at)
       VALUES (1, 1, 'candidate', 'Gel v1', '[1]', 'pH', ?, '', ?, 'now', 'now')`,
    );
    insert.run(5.5, '2026-03-01');
    expect(() => insert.run(5.5, '2026-02-30')).toThrow(/CHECK constraint failed/);
    expect(() => insert.run(Number.POSITIVE_INFINITY, '2026-03-01')).toThrow(/CHECK constraint failed/);
    v6.db.prepare(`DELETE FROM candidates WHERE id = 1`).run();
    expect(v6.db.prepare(`SELECT candidate_id AS c, candidate_version AS v, ingredient_ids AS ids, value FROM lab_results`).get()).toEqual({ c: null, v: 1, ids: '[1]', value: 5.5 });
    expect(v6.db.pragma('foreign_key_check')).toEqual([]);
    v6.db.close();
  });
});

describe('schema version 9 (draft formulas)', () => {
  it('upgrades a version 8 database with its candidates intact; use levels, limits and saved formulas refuse bad values, and a saved formula is history', async () => {
    const path = join(dir, 'v8.db');
    const v8 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 8) });
    expect(v8.schemaVersion).toBe(8);
    v8.db.prepare(`INSERT INTO ingredients (inci, key, origin, updated_at) VALUES ('Water', 'water', 'kb', 'now')`).run();
    v8.db.prepare(`INSERT INTO candidates (name, created_at, updated_at) VALUES ('Gel', '2026-01-01', '2026-01-01')`).run();
    v8.db.prepare(`INSERT INTO candidate_versions (candidate_id, version, created_at, source, provenance) VALUES (1, 1, '2026-01-01', 'manual', '{"source":"manual"}')`).run();
    v8.db.close();

    const v9 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 9) });
    expect(v9.schemaVersion).toBe(9);
    expect(v9.db.prepare(`SELECT count(*) FROM candidate_versions`).pluck().get()).toBe(1);
    const level = v9.db.prepare(`INSERT OR REPLACE INTO use_levels (ingredient_id, min_pct, usual_pct, max_pct, phase, prep, basis, origin, updated_at) VALUES (1, ?, ?, ?, ?, NULL, 'ingredient', 'kb', 'now')`);
    level.run(30, 70, 95, 'water');
    expect(() => level.run(5, 4, 10, 'water')).toThrow(/CHECK/);
    expect(() => level.run(1, 4, 120, 'water')).toThrow(/CHECK/);
    expect(() => level.run(1, 4, 10, 'hot')).toThrow(/CHECK/);
    const limit = v9.db.prepare(`INSERT INTO legal_limits (ingredient_id, max_pct, applies, area, annex, origin, updated_at) VALUES (1, ?, ?, NULL, 'V/1', 'kb', 'now')`);
    limit.run(1, 'leave-on');
    expect(() => limit.run(0, 'all')).toThrow(/CHECK/);
    expect(() => limit.run(1, 'spray')).toThrow(/CHECK/);
    const formula = v9.db.prepare(`INSERT INTO candidate_formulas (version_id, created_at, body) VALUES (?, 'now', ?)`);
    expect(() => formula.run(1, 'not json')).toThrow(/CHECK/);
    expect(() => formula.run(9, '{}')).toThrow(/FOREIGN KEY/);
    formula.run(1, '{"lines":[]}');
    expect(() => v9.db.prepare(`UPDATE candidate_formulas SET body = '{}'`).run()).toThrow('cannot be changed');
    v9.db.prepare(`DELETE FROM candidates WHERE id = 1`).run();
    expect(v9.db.prepare(`SELECT count(*) FROM candidate_formulas`).pluck().get()).toBe(0);
    expect(v9.db.pragma('foreign_key_check')).toEqual([]);
    v9.db.close();
  });
});

describe('a pre-migration backup under a clock set back', () => {
  it('is named after the newest backup already there, so it lists as the newest', async () => {
    const path = join(dir, 'v8.db');
    const v8 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 8) });
    v8.db.close();
    // A backup written "in the future" (before the clock was set back).
    mkdirSync(join(dir, 'backups'), { recursive: true });
    writeFileSync(join(dir, 'backups', 'v8.db.rolling.2099-01-01T00-00-00-000Z.bak'), 'x');
    const v9 = await openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 9) });
    expect(v9.backupPath).toMatch(/v8\.db\.v8\.2099-01-01T00-00-00-001Z\.bak$/);
    expect(listBackupFiles(path)[0]!.kind).toBe('pre-migration');
    v9.db.close();
  });
});
