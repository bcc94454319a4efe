import { existsSync } from 'node:fs';
import BetterSqlite3, { type Database, type Options } from 'better-sqlite3';

/**
 * The one place a SQLite connection is made. better-sqlite3's addon is built for one ABI: the
 * copy in node_modules is Node's (the CLI, the tests, the web preview), and Electron's main
 * process cannot load it. From a source checkout `npm start` builds a second copy for Electron
 * (scripts/launch/sqlite-electron.ts) and names it in LATENT_FORMULATOR_SQLITE_BINDING; the
 * packaged app has only Electron's copy (electron-builder rebuilds it), so the variable is unset.
 */
export const SQLITE_BINDING_ENV = 'LATENT_FORMULATOR_SQLITE_BINDING';

/** The addon file to load instead of node_modules' own, or undefined; a named file that is missing is an error saying so. */
export function sqliteNativeBinding(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const binding = env[SQLITE_BINDING_ENV];
  if (!binding) return undefined;
  if (!existsSync(binding)) throw new Error(`${SQLITE_BINDING_ENV} names ${binding}, which does not exist: unset it, or run \`npm start\` again to rebuild it`);
  return binding;
}

/** Opens a better-sqlite3 connection with the addon for the runtime this process is (see above). */
export function openSqlite(path: string, options: Options = {}): Database {
  const nativeBinding = sqliteNativeBinding();
  return new BetterSqlite3(path, nativeBinding ? { ...options, nativeBinding } : options);
}
