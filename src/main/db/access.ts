import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Whether this account may use a database file and its folder, checked before SQLite touches
 * anything. SQLite itself would open a read-only file read-only without a word, leave `-wal` and
 * `-shm` files behind that the account cannot write either, and fail at the first write (or make
 * a backup loop on a log it cannot index); a folder it cannot write makes the open fail with
 * "unable to open database file". Checked here first, each case is said with the path and what
 * to do, and nothing is created.
 */

/** What is missing, with the path it is missing on. */
export interface DatabaseAccessProblem {
  kind: 'file-not-readable' | 'file-read-only' | 'side-file-read-only' | 'folder-read-only' | 'folder-cannot-be-created' | 'drive-read-only' | 'not-a-folder';
  /** The file or folder the permission is missing on. */
  path: string;
}

/** The database cannot be used by this account; nothing was created or changed. */
export class DatabaseAccessError extends Error {
  constructor(
    readonly databasePath: string,
    readonly problem: DatabaseAccessProblem,
  ) {
    super(describeAccessProblem(databasePath, problem));
    this.name = 'DatabaseAccessError';
  }
}

/** The sentence a person reads: what is wrong, where, that nothing changed, and what to do. */
export function describeAccessProblem(databasePath: string, p: DatabaseAccessProblem): string {
  const start = `Latent Formulator cannot use the database ${databasePath}`;
  const unchanged = 'Nothing was changed and no file was created.';
  const elsewhere = 'or copy the data folder somewhere your account may write and open the copy (on the command line: --db PATH).';
  switch (p.kind) {
    case 'file-not-readable':
      return `${start}: your account may not read the file ${p.path}. ${unchanged} Ask whoever owns it to give you read and write access (chmod u+rw, or the file's Properties › Security on Windows), ${elsewhere}`;
    case 'file-read-only':
      return `${start}: the file ${p.path} is read-only for your account. ${unchanged} Make it writable (chmod u+w, or untick "Read-only" in its Properties on Windows; if another account owns it, ask them or an administrator), ${elsewhere}`;
    case 'side-file-read-only':
      return `${start}: its write-ahead file ${p.path} is read-only for your account, so the last changes in it cannot be used safely. ${unchanged} Make it writable, or have the account that owns it open the app once so the file is folded back into the database.`;
    case 'folder-read-only':
      return `${start}: your account may not create files in the folder ${p.path}, which the database needs for its write-ahead log, its backups and its models. ${unchanged} Make the folder writable (chmod u+w, or its Properties › Security on Windows), ${elsewhere}`;
    case 'folder-cannot-be-created':
      return `${start}: its folder does not exist and cannot be created, because your account may not write in ${p.path}. ${unchanged} Create the folder yourself with permission to write in it, or choose another place (--db PATH).`;
    case 'drive-read-only':
      return `${start}: ${p.path} is on a read-only drive (a locked card, a mounted disk image, a read-only network share). ${unchanged} Copy the data folder to a writable drive and open it there (--db PATH).`;
    case 'not-a-folder':
      return `${start}: ${p.path} is a file, not a folder, so the database cannot be placed under it. ${unchanged} Choose another path (--db PATH).`;
  }
}

/** The file-system calls the check makes, replaceable in tests. */
export interface AccessProbe {
  /** Throws an errno error when `mode` (fs.constants R_OK / W_OK / X_OK) is not granted. */
  access(path: string, mode: number): void;
  /** 'file', 'folder', 'other', or null when nothing is there. */
  kind(path: string): 'file' | 'folder' | 'other' | null;
}

const FS_PROBE: AccessProbe = {
  access: (path, mode) => accessSync(path, mode),
  kind: (path) => {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? (s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other') : null;
  },
};

/**
 * Finds the first thing this account lacks to open, write and back up the database at `path`
 * (read and write on the file and its side files, create and rename in its folder, or create the
 * folder), or null when nothing is missing. A read-only drive (EROFS) is named as such. Root
 * passes every permission check, as it passes SQLite's.
 */
export function findAccessProblem(path: string, probe: AccessProbe = FS_PROBE): DatabaseAccessProblem | null {
  if (path === ':memory:') return null;
  const file = resolve(path);
  const lacks = (target: string, mode: number): 'denied' | 'read-only-drive' | null => {
    try {
      probe.access(target, mode);
      return null;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EROFS' ? 'read-only-drive' : 'denied';
    }
  };
  // The nearest folder that exists: the database's own, or the one it would be created in.
  let folder = dirname(file);
  let missing = false;
  for (;;) {
    const kind = probe.kind(folder);
    if (kind === 'folder') break;
    if (kind !== null) return { kind: 'not-a-folder', path: folder };
    missing = true;
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  const folderLack = lacks(folder, constants.W_OK | constants.X_OK);
  if (folderLack === 'read-only-drive') return { kind: 'drive-read-only', path: folder };
  if (folderLack) return { kind: missing ? 'folder-cannot-be-created' : 'folder-read-only', path: folder };
  if (missing || probe.kind(file) === null) return null;
  if (lacks(file, constants.R_OK)) return { kind: 'file-not-readable', path: file };
  const fileLack = lacks(file, constants.W_OK);
  if (fileLack === 'read-only-drive') return { kind: 'drive-read-only', path: file };
  if (fileLack) return { kind: 'file-read-only', path: file };
  for (const suffix of ['-wal', '-shm']) {
    if (probe.kind(file + suffix) !== null && lacks(file + suffix, constants.R_OK | constants.W_OK)) return { kind: 'side-file-read-only', path: file + suffix };
  }
  return null;
}

/** Throws {@link DatabaseAccessError} when {@link findAccessProblem} finds something missing. */
export function checkDatabaseAccess(path: string, probe?: AccessProbe): void {
  const problem = findAccessProblem(path, probe);
  if (problem) throw new DatabaseAccessError(resolve(path), problem);
}
