import { homedir } from 'node:os';
import { join } from 'node:path';

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

/** The database path the CLI uses without `--db`: `LATENT_FORMULATOR_DB`, else the user data folder. */
export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LATENT_FORMULATOR_DB ?? join(defaultUserDataDir(process.platform, env), DATABASE_FILE);
}
