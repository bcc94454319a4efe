import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomically } from './atomic-file';

export const APP_NAME = 'Latent Formulator';
export const DATABASE_FILE = 'latent-formulator.db';

/**
 * The per-user data folder, the same one Electron's `app.getPath('userData')` gives the desktop
 * app, so the CLI and the app share one database by default.
 */
export function defaultUserDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

/**
 * The database path the CLI uses without `--db`: `LATENT_FORMULATOR_DB`, else the user data
 * folder's database (or where it was moved to: `databasePathIn`).
 */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LATENT_FORMULATOR_DB ?? databasePathIn(defaultUserDataDir(process.platform, env));
}

/**
 * The file in the user data folder that says where its database went after `db move` /
 * "Move to a local folder…" (the app and the command line both follow it).
 */
export const DATABASE_POINTER_FILE = 'database-location.json';

/** What the pointer file records. */
export interface DatabasePointer {
  /** The database file in use since the move. */
  databasePath: string;
  /** The file used before (left in place). */
  movedFrom: string;
  movedAt: string;
}

/** The pointer in `userDataDir`, `null` when the default database never moved, or `{ error }` when the file cannot be read. */
export function readDatabasePointer(userDataDir: string): DatabasePointer | null | { error: string } {
  const file = join(userDataDir, DATABASE_POINTER_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return { error: `${file} cannot be read (${(error as Error).message})` };
  }
  try {
    const parsed = JSON.parse(text) as Partial<DatabasePointer>;
    if (typeof parsed.databasePath !== 'string' || !isAbsolute(parsed.databasePath)) throw new Error('it names no absolute databasePath');
    return { databasePath: parsed.databasePath, movedFrom: String(parsed.movedFrom ?? ''), movedAt: String(parsed.movedAt ?? '') };
  } catch (error) {
    return { error: `${file} is not a valid pointer (${(error as Error).message})` };
  }
}

/** The default database of a user data folder: where it was moved to (see `readDatabasePointer`), else the file inside it. */
export function databasePathIn(userDataDir: string): string {
  const pointer = readDatabasePointer(userDataDir);
  return pointer && 'databasePath' in pointer ? pointer.databasePath : join(userDataDir, DATABASE_FILE);
}

/**
 * Why the default database cannot be opened safely, or null: the pointer cannot be read, or the
 * folder it names is not there (an unplugged disk): opening would create a new, empty database.
 */
export function movedDatabaseProblem(userDataDir: string): string | null {
  const pointer = readDatabasePointer(userDataDir);
  if (pointer === null) return null;
  const pointerFile = join(userDataDir, DATABASE_POINTER_FILE);
  if ('error' in pointer) return `${pointer.error}. Fix it, or remove it to go back to ${join(userDataDir, DATABASE_FILE)}.`;
  if (existsSync(pointer.databasePath)) return null;
  return (
    `the database was moved to ${pointer.databasePath}${pointer.movedAt ? ` on ${pointer.movedAt}` : ''}, but that file is not there ` +
    `(a disk not connected, or the folder renamed?). Nothing was opened, so no empty database was created. Connect the disk, or edit ${pointerFile} ` +
    `to name where the database is now${pointer.movedFrom ? `, or remove it to go back to the copy from before the move (${pointer.movedFrom})` : ''}.`
  );
}

/** Records in `userDataDir` that its default database now lives at `databasePath` (written atomically). */
export function rememberMovedDatabase(userDataDir: string, pointer: DatabasePointer): string {
  const file = join(userDataDir, DATABASE_POINTER_FILE);
  mkdirSync(userDataDir, { recursive: true });
  writeFileAtomically(file, `${JSON.stringify(pointer, null, 2)}\n`);
  return file;
}
