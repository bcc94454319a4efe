import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { checkDatabaseFile } from '../../src/main/db/check';
import { sha256File } from '../../src/main/db/quarantine';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { seededRandom } from '../../src/shared/ml/random';

/**
 * Corrupt database files (issue 7, item 2): a database holding the sample catalog and a few
 * saved candidates is damaged in one of several ways, then opened by the service as the app
 * would at start-up. Counted per kind: damage detected (quarantined, a new database opened),
 * damage missed, the quarantined files byte-identical to what was found (SHA-256), and a
 * restore of the backup bringing its data back. Each damaged file is also checked by
 * PRAGMA quick_check and PRAGMA integrity_check on a copy, so a miss is classed honestly:
 * either no SQLite check can see it (truncation that removes only free pages, garbage in a page
 * nothing points to), or quick_check missed what integrity_check finds.
 */

export const CORRUPTION_KINDS = ['truncate', 'garbage-page', 'zeroed-header', 'random-file'] as const;
export type CorruptionKind = (typeof CORRUPTION_KINDS)[number];

const PAGE_SIZE = 4096;

/** Seeded random bytes. */
export function seededBytes(n: number, random: () => number): Buffer {
  const bytes = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** Overwrites page `page` (1-based) of a database file with `bytes`. */
export function overwritePage(path: string, page: number, bytes: Buffer, pageSize = PAGE_SIZE): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, bytes, 0, Math.min(bytes.length, pageSize), (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

/** The pages of a table's (or index's) b-tree in a healthy database file, from SQLite's dbstat table. */
export function btreePages(path: string, name: string): number[] {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno').pluck().all(name) as number[];
  } finally {
    db.close();
  }
}

/** Every page some b-tree uses (the rest are free pages), from dbstat. */
function pagesInUse(path: string): Set<number> {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    return new Set(db.prepare('SELECT pageno FROM dbstat').pluck().all() as number[]);
  } finally {
    db.close();
  }
}

/** Damages the file at `path` in the way `kind` names; returns a description. */
export function corruptDatabase(path: string, kind: CorruptionKind, random: () => number): string {
  const size = statSync(path).size;
  switch (kind) {
    case 'truncate': {
      const length = Math.floor(random() * size);
      truncateSync(path, length);
      return `cut to ${length} of ${size} bytes`;
    }
    case 'garbage-page': {
      const page = 1 + Math.floor(random() * (size / PAGE_SIZE));
      overwritePage(path, page, seededBytes(PAGE_SIZE, random));
      return `page ${page} of ${size / PAGE_SIZE} overwritten with random bytes`;
    }
    case 'zeroed-header': {
      overwritePage(path, 1, Buffer.alloc(100));
      return 'the 100-byte header zeroed';
    }
    case 'random-file': {
      writeFileSync(path, seededBytes(size, random));
      return `replaced by ${size} random bytes`;
    }
  }
}

interface KindTally {
  runs: number;
  detected: number;
  /** Damage that neither quick_check nor integrity_check sees (what was missed, described). */
  invisible: string[];
  /** Damage quick_check passed but integrity_check found: a real miss of the start-up check. */
  quickMissed: string[];
  /** Detected runs whose quarantined files all had the SHA-256 of the files found. */
  preserved: number;
  /** Detected runs where a new empty database opened at the original path. */
  freshOpened: number;
  /** Detected runs where restoring the backup brought back its products and candidates. */
  restored: number;
  /** Missed runs where the app then read all of the catalog anyway (the damage touched nothing in use). */
  missedButIntact: number;
}

export interface CorruptionReport {
  runsPerKind: number;
  seed: number;
  kinds: Record<CorruptionKind, KindTally>;
  products: number;
  candidates: number;
  freePages: number;
  pages: number;
  /** The start-up check (quick_check) of the healthy database: median and max, ms. */
  checkMs: { median: number; max: number };
  /** A backup of the healthy database (online backup, journal mode change and quick_check of the copy): median and max, ms. */
  backupMs: { median: number; max: number };
  failures: string[];
  ms: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

/** What SQLite's two checks say about a copy of `path` (the copy takes the side files a read-only open creates). */
function sqliteVerdicts(path: string, scratch: string): { quick: boolean; integrity: boolean } {
  rmSync(scratch, { force: true });
  copyFileSync(path, scratch);
  const quick = checkDatabaseFile(scratch).ok;
  let integrity = false;
  try {
    const db = new BetterSqlite3(scratch, { readonly: true, fileMustExist: true });
    try {
      integrity = (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join() === 'ok';
    } finally {
      db.close();
    }
  } catch {
    integrity = false;
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(scratch + suffix, { force: true });
  return { quick, integrity };
}

/** Runs `runsPerKind` damaged opens of each kind with seeded damage; see the file comment. */
export async function corruptionReport(runsPerKind: number, seed: number): Promise<CorruptionReport> {
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'lf-corrupt-'));
  const resourcesDir = resolveResourcesDir();
  const failures: string[] = [];
  try {
    // The template: the sample catalog, three candidates, some free pages (a dropped table), and a backup of it all.
    const templateDir = join(root, 'template');
    const templatePath = join(templateDir, 'app.db');
    const template = await FormulatorService.open({ databasePath: templatePath, resourcesDir });
    await template.loadSampleCatalog();
    for (const name of ['Glow serum', 'Barrier cream', 'Night gel']) await template.saveCandidate({ name, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    template.db.exec(`CREATE TABLE scratch (x BLOB); INSERT INTO scratch SELECT randomblob(3000) FROM products LIMIT 40; DROP TABLE scratch;`);
    const backupMs: number[] = [];
    let backupFile = '';
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      backupFile = (await template.backupNow()).file;
      backupMs.push(performance.now() - t);
    }
    const { productCount: products } = await template.getStatus();
    const candidates = (await template.listCandidates()).total;
    template.close();
    const pages = statSync(templatePath).size / PAGE_SIZE;
    const inUse = pagesInUse(templatePath);
    const freePages = pages - inUse.size;

    const checkMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const copy = join(root, 'timing.db');
      copyFileSync(templatePath, copy);
      checkMs.push(checkDatabaseFile(copy).ms);
      for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
    }

    const random = seededRandom(seed);
    const kinds = {} as Record<CorruptionKind, KindTally>;
    let run = 0;
    for (const kind of CORRUPTION_KINDS) {
      const tally: KindTally = { runs: 0, detected: 0, invisible: [], quickMissed: [], preserved: 0, freshOpened: 0, restored: 0, missedButIntact: 0 };
      kinds[kind] = tally;
      for (let i = 0; i < runsPerKind; i++) {
        const dir = join(root, `run-${run++}`);
        const path = join(dir, 'app.db');
        mkdirSync(join(dir, 'backups'), { recursive: true });
        copyFileSync(templatePath, path);
        copyFileSync(join(templateDir, 'backups', backupFile), join(dir, 'backups', backupFile));
        const what = corruptDatabase(path, kind, random);
        const label = `${kind} (${what})`;
        const found = new Map(['', '-wal', '-shm'].filter((s) => existsSync(path + s)).map((s) => [`app.db${s}`, sha256File(path + s)]));
        const verdicts = sqliteVerdicts(path, join(dir, 'probe.db'));
        // An empty file passes both checks (SQLite reads it as a new database); the start-up check treats it as lost content.
        const empty = statSync(path).size === 0;
        tally.runs++;
        let service: FormulatorService | null = null;
        try {
          service = await FormulatorService.open({ databasePath: path, resourcesDir });
          const q = service.startup.quarantined;
          if (!q) {
            const freePage = kind === 'garbage-page' && !inUse.has(Number(/page (\d+)/.exec(what)?.[1]));
            const note = `${label}${freePage ? ', a free page' : ''}`;
            if (!verdicts.quick) failures.push(`${label}: quick_check failed on a copy but the start-up check passed the file`);
            if (verdicts.integrity) tally.invisible.push(note);
            else tally.quickMissed.push(note);
            const status = await service.getStatus();
            if (status.productCount === products) tally.missedButIntact++;
            continue;
          }
          tally.detected++;
          if (verdicts.quick && !empty) failures.push(`${label}: quarantined although quick_check on a copy passed it`);
          const moved = new Map(q.files.map((f) => [f.name, sha256File(join(q.folder, f.name))]));
          const same = [...found].every(([name, sha]) => moved.get(name) === sha) && moved.size === found.size;
          if (same) tally.preserved++;
          else failures.push(`${label}: the quarantined files differ from what was found`);
          const fresh = await service.getStatus();
          if (fresh.productCount === 0 && checkDatabaseFile(path).ok) tally.freshOpened++;
          else failures.push(`${label}: no healthy new database at the original path`);
          const restored = await service.restoreBackup({ file: backupFile });
          if (restored.products === products && restored.candidates === candidates && (await service.getStatus()).productCount === products) tally.restored++;
          else failures.push(`${label}: the restore gave ${restored.products} products and ${restored.candidates} candidates`);
        } catch (error) {
          failures.push(`${label}: ${(error as Error).message}`);
        } finally {
          await service?.compute.close();
          service?.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    return {
      runsPerKind,
      seed,
      kinds,
      products,
      candidates,
      freePages,
      pages,
      checkMs: { median: median(checkMs), max: Math.max(...checkMs) },
      backupMs: { median: median(backupMs), max: Math.max(...backupMs) },
      failures,
      ms: performance.now() - started,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The report as `[label, value]` rows for `npm run reliability`. */
export function corruptionFigures(r: CorruptionReport): [string, string | number][] {
  const rows: [string, string | number][] = [
    [`corrupt database: the file (sample catalog, ${r.candidates} candidates)`, `${r.pages} pages of 4 KiB, ${r.freePages} free; ${r.products} products`],
  ];
  for (const kind of CORRUPTION_KINDS) {
    const t = r.kinds[kind];
    const missed = t.runs - t.detected;
    rows.push([
      `corrupt database, ${kind}: runs / detected / originals byte-identical / new database / restore brought data back`,
      `${t.runs} / ${t.detected} / ${t.preserved} / ${t.freshOpened} / ${t.restored}`,
    ]);
    if (missed) {
      rows.push([
        `corrupt database, ${kind}: missed ${missed} — invisible to integrity_check too / missed by quick_check only / catalog still whole`,
        `${t.invisible.length} / ${t.quickMissed.length} / ${t.missedButIntact}`,
      ]);
      rows.push([`corrupt database, ${kind}: missed, e.g.`, [...t.quickMissed, ...t.invisible].slice(0, 3).join('; ')]);
    }
  }
  rows.push(['corrupt database: start-up check (quick_check) median / max (ms)', `${r.checkMs.median.toFixed(1)} / ${r.checkMs.max.toFixed(1)}`]);
  rows.push(['corrupt database: online backup (with its quick_check) median / max (ms)', `${r.backupMs.median.toFixed(1)} / ${r.backupMs.max.toFixed(1)}`]);
  rows.push(['corrupt database: failures / time (s)', `${r.failures.length} / ${(r.ms / 1000).toFixed(1)}`]);
  if (r.failures.length) rows.push(['corrupt database: FAILURES', r.failures.slice(0, 5).join('; ')]);
  return rows;
}

/** `npm run reliability`'s entry: `runsPerKind` damaged opens of each kind, as `[label, value]` rows. */
export async function corruptionRuns(runsPerKind: number, seed: number): Promise<[string, string | number][]> {
  return corruptionFigures(await corruptionReport(runsPerKind, seed));
}
