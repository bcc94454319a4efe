import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { packageBin } from './build';

/**
 * better-sqlite3 built for Electron, beside (never instead of) node_modules' Node build: the
 * CLI, the tests and the web preview run in Node, the window's main process in Electron, and
 * one addon cannot serve both ABIs. A copy of the package is rebuilt in
 * node_modules/.cache/latent-formulator/ with @electron/rebuild (a prebuilt binary when one is
 * published, else compiled against Electron's headers, which needs a C++ toolchain); the app loads it through
 * LATENT_FORMULATOR_SQLITE_BINDING (src/main/db/sqlite.ts). `npm ci` clears it with node_modules.
 */

const require = createRequire(import.meta.url);

/** Where the Electron build of better-sqlite3 for this Electron version, platform and architecture lives. */
function buildFolder(electronVersion: string): { root: string; module: string; addon: string; marker: string } {
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const sqliteVersion = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string }).version;
  const nodeModules = dirname(source);
  const root = join(nodeModules, '.cache', 'latent-formulator', `better-sqlite3-${sqliteVersion}-electron-${electronVersion}-${process.platform}-${process.arch}`);
  const module = join(root, 'node_modules', 'better-sqlite3');
  return { root, module, addon: join(module, 'build', 'Release', 'better_sqlite3.node'), marker: join(root, 'built.json') };
}

/** The Electron build of better-sqlite3's addon when a completed build is there, else null. */
export function electronSqlitePath(electronVersion: string): string | null {
  const { addon, marker } = buildFolder(electronVersion);
  return existsSync(marker) && existsSync(addon) ? addon : null;
}

/**
 * Runs @electron/rebuild (it comes with electron-builder, which rebuilds the packaged app's
 * modules the same way) in a child process whose output is kept back: its node-gyp worker
 * prints stack traces, and a person should read one line. Without npm's `nodedir` (set on
 * machines that build offline), which would point node-gyp at Node's headers and give a Node
 * addon under an Electron name.
 */
function rebuildInChild(buildPath: string, electronVersion: string): Promise<ElectronSqlite | { ok: true }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (key.toLowerCase() !== 'npm_config_nodedir') env[key] = value;
  const args = [packageBin('@electron/rebuild', 'electron-rebuild'), '--version', electronVersion, '--module-dir', buildPath, '--only', 'better-sqlite3', '--force', '--sequential'];
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: buildPath, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => done({ ok: false, reason: error.message }));
    child.on('close', (code) => done(code === 0 ? { ok: true } : { ok: false, reason: rebuildFailure(output) }));
  });
}

/** One line for a failed rebuild: a download that failed says so; otherwise the last error message. */
export function rebuildFailure(output: string): string {
  if (/network connectivity|fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT/.test(output)) return "Electron's headers could not be downloaded";
  const errors = output.split(/\r?\n/).filter((line) => /^\s*(\w*Error|✖)/.test(line));
  return errors.at(-1)?.trim().replace(/^(\w*Error):\s*/, '') ?? 'the rebuild failed';
}

/** Electron's module ABI (NODE_MODULE_VERSION), which the electron package records. */
function electronAbi(): string {
  return readFileSync(join(dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim();
}

/** The ABI node-gyp compiled against (build/config.gypi), or null for a prebuilt binary that has no such file. */
function builtAbi(module: string): string | null {
  const config = join(module, 'build', 'config.gypi');
  if (!existsSync(config)) return null;
  return /"node_module_version":\s*(\d+)/.exec(readFileSync(config, 'utf8'))?.[1] ?? null;
}

/** The addon's path, or why it could not be built (one line). */
export type ElectronSqlite = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Returns better-sqlite3's addon built for `electronVersion`, building it first (once; saying so
 * in one line) when it is missing. Never throws. The marker is written last, so a build cut
 * short is started again rather than used.
 */
export async function ensureElectronSqlite(electronVersion: string, say: (line: string) => void): Promise<ElectronSqlite> {
  const ready = electronSqlitePath(electronVersion);
  if (ready) return { ok: true, path: ready };
  const folder = buildFolder(electronVersion);
  say(`Building better-sqlite3 for Electron ${electronVersion} (once; the CLI and the tests keep Node's build)…`);
  try {
    rmSync(folder.root, { recursive: true, force: true });
    const source = dirname(require.resolve('better-sqlite3/package.json'));
    mkdirSync(folder.module, { recursive: true });
    // The sources and the package only: the Node build stays behind.
    cpSync(source, folder.module, { recursive: true, filter: (path) => !relative(source, path).split(sep).includes('build') });
    const version = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string }).version;
    writeFileSync(join(folder.root, 'package.json'), JSON.stringify({ name: 'latent-formulator-electron-natives', private: true, dependencies: { 'better-sqlite3': version } }));
    // @electron/rebuild comes with electron-builder (it rebuilds the packaged app's modules the same way).
    const rebuilt = await rebuildInChild(folder.root, electronVersion);
    if (!rebuilt.ok) return rebuilt;
    if (!existsSync(folder.addon)) return { ok: false, reason: `the rebuild left no ${folder.addon}` };
    const built = builtAbi(folder.module);
    const wanted = electronAbi();
    if (built !== null && built !== wanted) return { ok: false, reason: `it was built for ABI ${built}, not Electron's ${wanted}` };
    writeFileSync(folder.marker, JSON.stringify({ electronVersion, builtAt: new Date().toISOString() }));
    return { ok: true, path: folder.addon };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: message.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? 'unknown error' };
  }
}
