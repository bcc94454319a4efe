import { createHash } from 'node:crypto';
import { closeSync, constants, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fsyncFolder, writeFileAtomically } from '../atomic-file';
import { fileTimestamp, listBackupFiles } from './backups';
import { checkDatabaseFile, checkOpenDatabase, isCorruptionError, type DatabaseCheck } from './check';
import { openDatabase, type OpenOptions, type OpenedDatabase } from './connection';

/**
 * The quarantine: a damaged database is never repaired in place or deleted. Its files (the
 * database and its `-wal` / `-shm` side files) are moved, byte for byte as they were found, into
 * `quarantine/<time>/` beside it with a README.txt and a report.json saying what was found; the
 * app then starts on a new empty database and offers a restore from a backup. The same folder
 * receives the current files when a backup is restored over them, so nothing is ever lost.
 */

/** The side files SQLite keeps beside a database in WAL mode, in the order they are moved (the database itself last). */
const SIDE_SUFFIXES = ['-shm', '-wal'] as const;

export interface QuarantinedFile {
  name: string;
  bytes: number;
  sha256: string;
  /** True when the file was moved; false when only a copy is here and the original stayed in place. */
  moved: boolean;
}

export type QuarantineKind = 'damaged' | 'replaced-by-restore';

/** The person's decision about a damaged database, once made. */
export interface QuarantineDecision {
  kind: 'restored' | 'kept-new-database';
  at: string;
  /** The backup restored, for `restored`. */
  backup: string | null;
}

/** Everything report.json records about one quarantine folder. */
export interface QuarantineRecord {
  folder: string;
  kind: QuarantineKind;
  /** One sentence for a person. */
  reason: string;
  detectedAt: string;
  originalPath: string;
  /** quick_check's lines or the error that stopped it. */
  details: string[];
  files: QuarantinedFile[];
  /** False when a file could not be moved: then copies are here and the originals were left where they were. */
  complete: boolean;
  /** Backups that existed when the files were moved. */
  backupsAtThatTime: string[];
  decision: QuarantineDecision | null;
}

/** The damaged files could not all be moved aside, so no new database was created; copies are in `folder`. */
export class QuarantineIncompleteError extends Error {
  constructor(readonly record: QuarantineRecord, cause: string) {
    super(
      `The database ${record.originalPath} is damaged (${record.reason}) and could not be moved aside: ${cause}. ` +
        `Copies of its files are in ${record.folder}; the originals were left in place and nothing was deleted. ` +
        'Close every program that may have the file open (another Latent Formulator window, the command line, a backup or sync tool) and start again.',
    );
    this.name = 'QuarantineIncompleteError';
  }
}

/** The folder beside the database that holds quarantined files. */
export function quarantineFolder(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'quarantine');
}

/** A sentence saying what a failed check found. */
export function describeDamage(check: DatabaseCheck): string {
  if (check.errorCode?.startsWith('SQLITE_NOTADB')) return 'the file is not a SQLite database (its header is missing or overwritten)';
  if (check.errorCode?.startsWith('SQLITE_CORRUPT')) return 'SQLite found the file damaged while checking it ("database disk image is malformed")';
  return `SQLite's quick_check found ${check.problems.length >= 100 ? '100 or more' : check.problems.length} problem${check.problems.length === 1 ? '' : 's'} in the file`;
}

/** SHA-256 of a file, read in 1 MiB pieces. */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buffer, 0, buffer.length, null); n > 0; n = readSync(fd, buffer, 0, buffer.length, null)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code} (${e.message})` : String(e?.message ?? e);
}

/**
 * Moves the database at `dbPath` and its side files into a new quarantine folder and writes its
 * README.txt and report.json. Side files go first and the database last, so a failure never
 * leaves a database without its write-ahead log at the original path. When a rename fails, that
 * file and the ones after it are copied instead and the originals stay (`complete` false).
 * `shmBefore` is the `-shm` file's content before SQLite opened the database to check it: the
 * quarantined copy gets those bytes back, so every file is exactly as it was found.
 */
export function quarantineDatabaseFiles(
  dbPath: string,
  what: { kind: QuarantineKind; reason: string; details: string[]; shmBefore?: Buffer | null; decision?: QuarantineDecision | null; at?: Date },
): QuarantineRecord {
  const path = resolve(dbPath);
  const at = what.at ?? new Date();
  const root = quarantineFolder(path);
  let folder = join(root, fileTimestamp(at));
  for (let i = 2; existsSync(folder); i++) folder = join(root, `${fileTimestamp(at)}-${i}`);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new Error(
      `The database ${path} needs to be set aside (${what.reason}), but the folder ${folder} could not be created: ${describeFsError(error)}. ` +
        'Nothing was changed. Make the data folder writable (or free some space) and start again.',
    );
  }

  const files: QuarantinedFile[] = [];
  let failure: string | null = null;
  for (const suffix of [...SIDE_SUFFIXES, '']) {
    const from = path + suffix;
    if (!existsSync(from)) continue;
    const name = basename(path) + suffix;
    const to = join(folder, name);
    let moved = false;
    if (failure === null) {
      try {
        renameSync(from, to);
        moved = true;
      } catch (error) {
        failure = `${name} could not be moved: ${describeFsError(error)}`;
      }
    }
    if (!moved) copyFileSync(from, to, constants.COPYFILE_EXCL);
    if (suffix === '-shm' && what.shmBefore && !readFileSync(to).equals(what.shmBefore)) writeFileSync(to, what.shmBefore);
    files.push({ name, bytes: statSync(to).size, sha256: sha256File(to), moved });
  }
  fsyncFolder(dirname(path));

  const record: QuarantineRecord = {
    folder,
    kind: what.kind,
    reason: what.reason,
    detectedAt: at.toISOString(),
    originalPath: path,
    details: what.details,
    files,
    complete: failure === null,
    backupsAtThatTime: listBackupFiles(path).map((b) => b.file),
    decision: what.decision ?? null,
  };
  writeFileAtomically(join(folder, 'README.txt'), quarantineReadme(record, failure));
  writeFileAtomically(join(folder, 'report.json'), `${JSON.stringify(record, null, 2)}\n`);
  fsyncFolder(root);
  if (failure !== null) throw new QuarantineIncompleteError(record, failure);
  return record;
}

function quarantineReadme(r: QuarantineRecord, failure: string | null): string {
  const lines = [
    r.kind === 'damaged'
      ? `Latent Formulator found its database damaged on ${r.detectedAt}: ${r.reason}.`
      : `These are the database files that were in use on ${r.detectedAt}, moved here when a backup was restored in their place.`,
    '',
    `Original location: ${r.originalPath}`,
    failure === null
      ? 'The files were moved here exactly as they were found. Nothing was changed or deleted.'
      : `Not every file could be moved (${failure}): the files marked "copied" are copies, and their originals were left in place. Nothing was deleted.`,
    '',
    'Files (name, bytes, SHA-256):',
    ...r.files.map((f) => `  ${f.name}  ${f.bytes}  ${f.sha256}  ${f.moved ? 'moved' : 'copied'}`),
  ];
  if (r.details.length) lines.push('', "What SQLite's check reported:", ...r.details.map((d) => `  ${d}`));
  if (r.kind === 'damaged') {
    lines.push(
      '',
      'What now: the app started on a new, empty database and offers to restore the latest backup',
      `(${r.backupsAtThatTime.length ? `${r.backupsAtThatTime.length} backup(s) were in ${join(dirname(r.originalPath), 'backups')}` : 'there was no backup yet'}).`,
      'Keep this folder until you are sure nothing in it is needed; the app never deletes it.',
      'To look inside, copy the files elsewhere and open the copy with the sqlite3 shell (".recover" can salvage rows).',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The quarantine records of the database at `dbPath` (other databases in the same folder are left out), newest first. */
export function listQuarantineRecords(dbPath: string): QuarantineRecord[] {
  const root = quarantineFolder(dbPath);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const records: QuarantineRecord[] = [];
  for (const name of names) {
    try {
      const record = JSON.parse(readFileSync(join(root, name, 'report.json'), 'utf8')) as QuarantineRecord;
      if (basename(record.originalPath) !== basename(dbPath) || typeof record.detectedAt !== 'string') continue;
      records.push({ ...record, folder: join(root, name) });
    } catch {
      // A folder without a readable report is left alone.
    }
  }
  return records.sort((a, b) => b.detectedAt.localeCompare(a.detectedAt));
}

/** Damaged databases the person has not decided about yet, newest first. */
export function pendingRecoveries(dbPath: string): QuarantineRecord[] {
  return listQuarantineRecords(dbPath).filter((r) => r.kind === 'damaged' && r.decision === null);
}

/** Records the person's decision in report.json (the quarantined files themselves are not touched). */
export function recordDecision(record: QuarantineRecord, decision: QuarantineDecision): void {
  const path = join(record.folder, 'report.json');
  const stored = JSON.parse(readFileSync(path, 'utf8')) as QuarantineRecord;
  writeFileAtomically(path, `${JSON.stringify({ ...stored, decision }, null, 2)}\n`);
}

export interface CheckedOpen {
  opened: OpenedDatabase;
  /** The start-up check of the existing file; null for a new file. */
  check: DatabaseCheck | null;
  /** Set when the file was damaged and moved aside: `opened` is then a new empty database. */
  quarantined: QuarantineRecord | null;
  /** When the file or its write-ahead log last changed before this open (ms since 1970), or null for a new file. */
  modifiedMs: number | null;
}

/**
 * Opens the app database like `openDatabase`, after checking an existing file: a file that
 * fails `quick_check`, is not a database, or fails to open with SQLITE_CORRUPT / SQLITE_NOTADB
 * is moved into the quarantine (see `quarantineDatabaseFiles`) and a new empty database is
 * created in its place. Throws QuarantineIncompleteError when the files could not be moved
 * (then nothing was created), and passes every other error on (a newer schema, a locked file…).
 */
export async function openCheckedDatabase(path: string, options: OpenOptions = {}): Promise<CheckedOpen> {
  if (path === ':memory:') return { opened: await openDatabase(path, options), check: null, quarantined: null, modifiedMs: null };
  if (!existsSync(path)) {
    // SQLite deletes a write-ahead log it finds without its database; one with content holds
    // someone's last transactions, so it goes to the quarantine instead.
    const orphan = (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0;
    const quarantined = orphan
      ? quarantineDatabaseFiles(path, { kind: 'damaged', reason: 'a write-ahead log (-wal) was found without its database file', details: [] })
      : null;
    return { opened: await openDatabase(path, options), check: null, quarantined, modifiedMs: null };
  }

  const sidesBefore = SIDE_SUFFIXES.filter((s) => existsSync(path + s));
  const modifiedMs = Math.max(...['', ...sidesBefore].map((s) => statSync(path + s, { throwIfNoEntry: false })?.mtimeMs ?? 0));
  const shmBefore = sidesBefore.includes('-shm') ? readFileSync(`${path}-shm`) : null;
  // Side files the read-only check itself created hold nothing of the person's: they are removed
  // before a quarantine (and when the open fails), so only what was found gets moved.
  const removeSidesMadeByCheck = () => {
    for (const s of SIDE_SUFFIXES) if (!sidesBefore.includes(s) && existsSync(path + s) && (s === '-shm' || statSync(path + s).size === 0)) rmSync(path + s, { force: true });
  };
  let check: DatabaseCheck | null = null;
  const startFresh = async (reason: string, details: string[], shm: Buffer | null): Promise<CheckedOpen> => {
    removeSidesMadeByCheck();
    const quarantined = quarantineDatabaseFiles(path, { kind: 'damaged', reason, details, shmBefore: shm });
    return { opened: await openDatabase(path, options), check, quarantined, modifiedMs };
  };

  // SQLite reads an empty file as a new database; the app writes its schema as soon as it creates
  // one, so an empty file here is one whose content was lost (a file cut to nothing).
  if (statSync(path).size === 0) {
    check = { ok: false, problems: ['the file is 0 bytes long; SQLite would open it as a new, empty database'], errorCode: null, ms: 0 };
    return startFresh('the file is empty (0 bytes): whatever it held is gone', check.problems, shmBefore);
  }
  try {
    check = checkDatabaseFile(path);
  } catch {
    // Not a verdict on the file (a hot rollback journal a read-only connection cannot replay, a
    // permission, a lock): the check runs again below on the read-write connection.
  }
  if (check && !check.ok) return startFresh(describeDamage(check), check.problems, shmBefore);

  let opened: OpenedDatabase;
  try {
    opened = await openDatabase(path, options);
  } catch (error) {
    if (!isCorruptionError(error)) {
      removeSidesMadeByCheck();
      throw error;
    }
    const note = 'found while opening the file to write (after the read-only check); SQLite may already have written to it';
    return startFresh(`SQLite could not open the file ("${(error as Error).message}")`, [`${(error as { code: string }).code}: ${(error as Error).message}`, note], null);
  }
  if (check === null) {
    check = checkOpenDatabase(opened.db);
    if (!check.ok) {
      opened.db.close();
      return startFresh(describeDamage(check), [...check.problems, 'checked on a read-write connection: SQLite may already have written to the file'], null);
    }
  }
  return { opened, check, quarantined: null, modifiedMs };
}
