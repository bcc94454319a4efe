/**
 * `npm start`, `npm run dev` and the step before `npm run dist`:
 *
 *   tsx scripts/start.ts [start|dev|ensure] [--port N]
 *
 * Electron 42+ no longer downloads its binary at `npm install`, and electron-vite's start
 * reads the file only that download writes, so a fresh clone fails with "Electron uninstall".
 * This fetches the binary first (once; `install-electron`) and builds better-sqlite3 for
 * Electron beside Node's build (once; scripts/launch/sqlite-electron.ts). Where either cannot be
 * had (offline, a proxy, a blocked host, no compiler) `start` and `dev` say so in one line and
 * serve the same UI in the browser from the local preview, with the sample catalog on an empty
 * database; `ensure` (before packaging, and in CI before the Electron smoke test) fails with
 * that line. `LATENT_FORMULATOR_PREVIEW=1` asks for the browser
 * preview without trying Electron.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildApp, packageBin, rendererBuildState } from './launch/build';
import { openInBrowser } from './launch/browser';
import { electronVersion, ensureElectron } from './launch/electron';
import { ensureElectronSqlite } from './launch/sqlite-electron';
import { SQLITE_BINDING_ENV } from '../src/main/db/sqlite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const DEFAULT_PORT = 5199;

/** Ends with one line on stderr and exit code 1: a person reads it, so no stack trace. */
function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

/** Runs electron-vite (`preview` builds then opens the window; `dev` serves with hot reload), passing its exit code on. */
function runElectronVite(command: 'preview' | 'dev', sqliteBinding: string): void {
  const env = { ...process.env, [SQLITE_BINDING_ENV]: sqliteBinding };
  const child = spawn(process.execPath, [packageBin('electron-vite'), command], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('close', (code) => process.exit(code ?? 1));
}

/** The same UI in the browser: builds the renderer if needed, then the preview with the sample catalog on an empty database. */
async function runBrowserPreview(port: number): Promise<void> {
  const state = rendererBuildState(root);
  if (state !== 'fresh') {
    say(`Building the app (${state === 'missing' ? 'out/ is missing' : 'out/ is older than the sources'})…`);
    const build = await buildApp(root);
    if (!build.ok) fail(`The build failed (electron-vite build):\n${build.output.trimEnd()}`);
    say(`Built in ${build.seconds} s.`);
  }
  // Loaded only here: the Electron path needs none of the services (or their native modules).
  const { defaultDatabasePath, defaultUserDataDir, movedDatabaseProblem } = await import('../src/main/paths');
  const { runPreview } = await import('../src/main/preview/run');
  // A default database moved to a folder that is now missing is not replaced by an empty one.
  const moved = process.env.LATENT_FORMULATOR_DB === undefined ? movedDatabaseProblem(defaultUserDataDir()) : null;
  if (moved) fail(moved);
  const { FolderInUseError } = await import('../src/main/folder-lock');
  const preview = await runPreview({ databasePath: defaultDatabasePath(), port, anyPortIfTaken: port === DEFAULT_PORT, sampleIfEmpty: true, say }).catch((error: unknown) => {
    // Already running on this data folder: show that one (as a second app start focuses the first window), and say so.
    if (!(error instanceof FolderInUseError)) throw error;
    const url = error.owner?.url;
    fail(`${error.message}${url && openInBrowser(url) ? ' (opened it in your browser)' : ''}`);
  });
  const opened = openInBrowser(preview.url);
  say(`Latent Formulator is running at ${preview.url}${opened ? ' (opened in your browser)' : ''}. Press Ctrl+C to stop.`);
  const stop = async (): Promise<void> => {
    await preview.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' } } });
  const mode = positionals[0] ?? 'start';
  if (mode !== 'start' && mode !== 'dev' && mode !== 'ensure') fail(`Unknown mode "${mode}": use start, dev or ensure.`);
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535, not "${values.port}".`);

  if (process.env.LATENT_FORMULATOR_PREVIEW && mode !== 'ensure') {
    say('LATENT_FORMULATOR_PREVIEW is set: serving the app in your browser instead of its own window.');
    return runBrowserPreview(port);
  }
  const version = electronVersion();
  const electron = await ensureElectron(say);
  const sqlite = electron.ok ? await ensureElectronSqlite(version, say) : null;
  if (sqlite?.ok) {
    if (mode !== 'ensure') runElectronVite(mode === 'dev' ? 'dev' : 'preview', sqlite.path);
    return;
  }
  const why = electron.ok
    ? `better-sqlite3 could not be built for Electron ${version} (${sqlite?.reason ?? 'not tried'})`
    : `Electron ${version} is not installed and could not be downloaded (${electron.reason})`;
  if (mode === 'ensure') fail(`${why}: the window and the installers need it; run this where downloads (and a C++ compiler, if no prebuilt binary fits) are available.`);
  say(`${why}, so the app opens in your browser instead of its own window.`);
  await runBrowserPreview(port);
}

main().catch((error: unknown) => fail(`npm start failed: ${error instanceof Error ? error.message : String(error)}`));
