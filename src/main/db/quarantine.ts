import { createHash } from 'node:crypto';
import { closeSync, constants, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fsyncFolder, writeFileAtomically } from '../atomic-file';
import { fileTimestamp, listBackupFiles } from './backups';
import { checkDatabaseAccess } from './access';
import { checkDatabaseFile, checkOpenDatabase, isCorruptionError, type DatabaseCheck } from './check';
import { openDatabase, type OpenOptions, type OpenedDatabase } from './connection';
import { scanWalFile } from './wal';

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

/**
 * Why the files are in the quarantine: `damaged` (moved aside, a new database opened in their
 * place), `replaced-by-restore` (a backup was restored over them), `wal-damaged` (copies of the
 * database and its damaged write-ahead log, taken before SQLite dropped what it could not read;
 * the database itself stayed in use).
 */
export type QuarantineKind = 'damaged' | 'replaced-by-restore' | 'wal-damaged';

/** The person's decision about a damaged database, once made. */
export interface QuarantineDecision {
  kind: 'restored' | 'kept-new-database';
  at: string;
  /** The backup restored, for `restored`. */
  backup: string | null;
}

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
  /**
   * Counts up with each quarantine folder of this database (the highest found + 1): the order
   * the folders were made in, whatever the wall clock said (absent in folders of older versions).
   */
  sequence?: number;
  /** Backups that existed when the files were moved. */
  backupsAtThatTime: string[];
  decision: QuarantineDecision | null;
}

/** The damaged files could not all be moved aside, so no new database was created; copies are in `folder` where they could be made. */
export class QuarantineIncompleteError extends Error {
  constructor(
    readonly record: QuarantineRecord,
    /** What failed, with the file and the system's code. */
    readonly failure: string,
    /** The system's code of the first failure (EXDEV, EACCES, EBUSY…), if any. */
    readonly code: string | null = null,
    /** Files of which no verified copy could be made (their originals are still in place). */
    readonly notCopied: string[] = [],
  ) {
    const copies = notCopied.length
      ? `Copies of the other files are in ${record.folder}, but ${notCopied.join(' and ')} could not be copied either`
      : `Copies of its files (checked byte for byte) are in ${record.folder}`;
    super(
      `The database ${record.originalPath} is damaged (${record.reason}) and could not be moved aside: ${failure}. ` +
        `${copies}; the originals were left in place and nothing was deleted, and no new database was created. ${quarantineAdvice(code, record.originalPath)}`,
    );
    this.name = 'QuarantineIncompleteError';
  }
}

/** What to do when a damaged database could not be moved, by the system's reason. */
function quarantineAdvice(code: string | null, dbPath: string): string {
  const folder = dirname(dbPath);
  if (code === 'EXDEV') {
    return `The quarantine folder ${quarantineFolder(dbPath)} is on another drive than the database (a link or a mount point), and a file cannot be moved across drives: make it an ordinary folder beside the database, then start again.`;
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `Your account may not move files in ${folder} (the folder or the file belongs to another account, or is read-only): give your account write access to the folder and its files (or ask their owner), then start again.`;
  }
  if (code === 'EBUSY' || code === 'ETXTBSY') {
    return 'The file is in use: close every program that may have it open (another Latent Formulator window, the command line, a backup or sync tool), then start again.';
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return `The disk is full: free some space on the drive of ${folder}, then start again.`;
  return 'Close every program that may have the file open (another Latent Formulator window, the command line, a backup or sync tool), check that your account may write in the folder, and start again.';
}

/** The file operations a quarantine makes, replaceable in tests (a rename that fails as it would across drives, say). */
export interface QuarantineFileOps {
  rename(from: string, to: string): void;
  copy(from: string, to: string): void;
}

const FS_OPS: QuarantineFileOps = {
  rename: (from, to) => renameSync(from, to),
  copy: (from, to) => copyFileSync(from, to, constants.COPYFILE_EXCL),
};

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
 * README.txt and report.json. Side files go first and the database last. When a rename fails
 * (across drives, a permission, a file in use), the files already moved are put back, every
 * file is copied instead (each copy checked against its original's SHA-256), the originals stay
 * where they were, and QuarantineIncompleteError says why and what to do (`complete` false in
 * the record): the database is never left at its place without its write-ahead log, and no
 * new database is made over files that are still there. `copyOnly` copies without trying to
 * move (the `wal-damaged` copies of a database that stays in use).
 * `shmBefore` is the `-shm` file's content before SQLite opened the database to check it: the
 * quarantined copy gets those bytes back, so every file is exactly as it was found.
 */
export function quarantineDatabaseFiles(
  dbPath: string,
  what: { kind: QuarantineKind; reason: string; details: string[]; shmBefore?: Buffer | null; decision?: QuarantineDecision | null; at?: Date; copyOnly?: boolean },
  ops: QuarantineFileOps = FS_OPS,
): QuarantineRecord {
  const path = resolve(dbPath);
  const at = what.at ?? new Date();
  const root = quarantineFolder(path);
  const sequence = nextQuarantineSequence(path);
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

  const names = [...SIDE_SUFFIXES, ''].filter((suffix) => existsSync(path + suffix));
  const moved: string[] = [];
  let failure: string | null = null;
  let failureCode: string | null = null;
  if (!what.copyOnly) {
    for (const suffix of names) {
      try {
        ops.rename(path + suffix, join(folder, basename(path) + suffix));
        moved.push(suffix);
      } catch (error) {
        failure = `${basename(path) + suffix} could not be moved: ${describeFsError(error)}`;
        failureCode = (error as NodeJS.ErrnoException).code ?? null;
        break;
      }
    }
  }
  // Not all moved: what was moved goes back (a database must never stay without its log), and everything is copied instead.
  const stuck: string[] = [];
  if (failure !== null) {
    for (const suffix of [...moved].reverse()) {
      try {
        ops.rename(join(folder, basename(path) + suffix), path + suffix);
      } catch (error) {
        stuck.push(`${basename(path) + suffix} (moved, and could not be put back: ${describeFsError(error)})`);
      }
    }
  }
  const files: QuarantinedFile[] = [];
  const notCopied: string[] = [];
  for (const suffix of names) {
    const name = basename(path) + suffix;
    const to = join(folder, name);
    const isMoved = failure === null && !what.copyOnly;
    if (!isMoved && !stuck.some((s) => s.startsWith(`${name} `))) {
      try {
        ops.copy(path + suffix, to);
        // The -shm index may change under a reader; the database and its log must copy exactly.
        if (suffix !== '-shm' && sha256File(to) !== sha256File(path + suffix)) throw new Error('the copy differs from the original (is another program writing to it?)');
      } catch (error) {
        rmSync(to, { force: true });
        notCopied.push(`${name} (${describeFsError(error)})`);
        continue;
      }
    }
    if (suffix === '-shm' && what.shmBefore && !readFileSync(to).equals(what.shmBefore)) writeFileSync(to, what.shmBefore);
    files.push({ name, bytes: statSync(to).size, sha256: sha256File(to), moved: isMoved || stuck.some((s) => s.startsWith(`${name} `)) });
  }
  if (stuck.length) failure = `${failure}; ${stuck.join('; ')}`;
  fsyncFolder(dirname(path));

  const record: QuarantineRecord = {
    folder,
    kind: what.kind,
    reason: what.reason,
    detectedAt: at.toISOString(),
    originalPath: path,
    details: what.details,
    files,
    complete: failure === null && notCopied.length === 0,
    sequence,
    backupsAtThatTime: listBackupFiles(path).map((b) => b.file),
    decision: what.decision ?? null,
  };
  const failureNote = failure === null ? null : notCopied.length ? `${failure}; no copy could be made of ${notCopied.join(', ')}` : failure;
  try {
    writeFileAtomically(join(folder, 'README.txt'), quarantineReadme(record, failureNote));
    writeFileAtomically(join(folder, 'report.json'), `${JSON.stringify(record, null, 2)}\n`);
    fsyncFolder(root);
  } catch (error) {
    if (failure === null && !notCopied.length && !what.copyOnly) throw error;
    // The originals are in place; the error below says what was done, even without a README.
    failure ??= `the notes could not be written (${(error as Error).message})`;
  }
  if (failure !== null || notCopied.length) throw new QuarantineIncompleteError(record, failure ?? `no copy could be made of ${notCopied.join(', ')}`, failureCode, notCopied);
  return record;
}

/** The next quarantine sequence number of the database at `dbPath`: one more than the highest recorded. */
function nextQuarantineSequence(dbPath: string): number {
  return Math.max(0, ...listQuarantineRecords(dbPath).map((r) => r.sequence ?? 0)) + 1;
}

function quarantineReadme(r: QuarantineRecord, failure: string | null): string {
  const lines = [
    r.kind === 'damaged'
      ? `Latent Formulator found its database damaged on ${r.detectedAt}: ${r.reason}.`
      : `These are the database files that were in use on ${r.detectedAt}, moved here when a backup was restored in their place.`,
    '',
    `Original location: ${r.originalPath}`,
    r.kind === 'wal-damaged'
      ? 'These are copies, made before the app opened the database, of the files exactly as they were found; the database itself stayed in use.'
      : failure === null
        ? 'The files were moved here exactly as they were found. Nothing was changed or deleted.'
        : `Not every file could be moved (${failure}): the files marked "copied" are copies, and their originals were left in place. Nothing was deleted.`,
    '',
    'Files (name, bytes, SHA-256):',
    ...r.files.map((f) => `  ${f.name}  ${f.bytes}  ${f.sha256}  ${f.moved ? 'moved' : 'copied'}`),
  ];
  if (r.details.length) lines.push('', "What SQLite's check reported:", ...r.details.map((d) => `  ${d}`));
  if (r.kind === 'wal-damaged') {
    lines.push(
      '',
      'What now: the app opened the database with every transaction SQLite could still read from the log; what it',
      'could not read is dropped there, and kept only in these copies. Keep this folder: with the sqlite3 shell, a copy',
      'of the files and ".recover", a specialist may salvage more. A backup taken before may also hold some of it.',
    );
  }
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
  // By sequence (the order the folders were made in, whatever the clock said), then by time for folders of older versions.
  return records.sort((a, b) => (b.sequence ?? 0) - (a.sequence ?? 0) || b.detectedAt.localeCompare(a.detectedAt));
}

/** Damaged databases the person has not decided about yet, newest first. */
export function pendingRecoveries(dbPath: string): QuarantineRecord[] {
  return listQuarantineRecords(dbPath).filter((r) => r.kind === 'damaged' && r.decision === null);
}

/** Copies of a database whose write-ahead log was found damaged, not yet dismissed by the person, newest first. */
export function pendingWalDamage(dbPath: string): QuarantineRecord[] {
  return listQuarantineRecords(dbPath).filter((r) => r.kind === 'wal-damaged' && r.decision === null);
}

/** What the person reads about a damaged write-ahead log (the command line prints it; the window shows it). */
export function walDamageNotice(r: QuarantineRecord): string {
  return (
    `the database ${r.originalPath} opened, but ${r.reason}. Everything saved before the last checkpoint, and every transaction before the damage, is in it; ` +
    `the dropped transactions are not. Copies of the files exactly as they were found are in ${r.folder} (see README.txt there; nothing in it is deleted). ` +
    'Check your most recent work, and enter again what is missing.'
  );
}

/** Records the person's decision in report.json (the quarantined files themselves are not touched). */
export function recordDecision(record: QuarantineRecord, decision: QuarantineDecision): void {
  const path = join(record.folder, 'report.json');
  const stored = JSON.parse(readFileSync(path, 'utf8')) as QuarantineRecord;
  writeFileAtomically(path, `${JSON.stringify({ ...stored, decision }, null, 2)}\n`);
}

export interface CheckedOpen {
  opened: OpenedDatabase;
  /**
   * Set when the write-ahead log was damaged so that SQLite dropped saved transactions from it:
   * copies of the files as found are in this record's folder, and the database opened with what
   * could be read (see `scanWal`).
   */
  walDamage: QuarantineRecord | null;
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
  if (path === ':memory:') return { opened: await openDatabase(path, options), check: null, quarantined: null, walDamage: null, modifiedMs: null };
  // Before SQLite creates anything: a file or folder this account may not write is said as such.
  checkDatabaseAccess(path);
  if (!existsSync(path)) {
    // SQLite deletes a write-ahead log it finds without its database; one with content holds
    // someone's last transactions, so it goes to the quarantine instead.
    const orphan = (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0;
    const quarantined = orphan
      ? quarantineDatabaseFiles(path, { kind: 'damaged', reason: 'a write-ahead log (-wal) was found without its database file', details: [] })
      : null;
    return { opened: await openDatabase(path, options), check: null, quarantined, walDamage: null, modifiedMs: null };
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
    return { opened: await openDatabase(path, options), check, quarantined, walDamage: null, modifiedMs };
  };
  // A damaged write-ahead log loses saved transactions the moment SQLite opens it (and its next
  // write overwrites them): copies of the files as found go to the quarantine first.
  const wal = sidesBefore.includes('-wal') ? scanWalFile(path) : null;
  const walDamage = wal?.damage
    ? quarantineDatabaseFiles(path, {
        kind: 'wal-damaged',
        reason: `the write-ahead log ${basename(path)}-wal was damaged: ${wal.damage}`,
        details: [
          `log: ${wal.bytes} bytes, ${wal.framesInFile} whole frames, header ${wal.headerValid ? 'valid' : 'damaged'}`,
          `read by SQLite: ${wal.usedTransactions} transactions (${wal.usedFrames} frames); dropped: ${wal.droppedFrames} frames of this log (${wal.droppedCommits} commit frames), ${wal.garbageFrames} frames of garbage, ${wal.partialTailBytes} bytes of a cut frame`,
          'everything written before the last checkpoint is in the database file itself and is kept',
        ],
        shmBefore,
        copyOnly: true,
      })
    : null;

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
  return { opened, check, quarantined: null, walDamage, modifiedMs };
}
