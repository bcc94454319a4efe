import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Electron binary. Since Electron 42 `npm ci` no longer downloads it (the package's
 * postinstall is gone); the package ships the download as its `install-electron` bin
 * (install.js: @electron/get into the shared cache, extracted to dist/, path.txt written last),
 * which is a no-op when the right version is already there.
 */

const require = createRequire(import.meta.url);

interface ElectronPackage {
  version: string;
  bin: Record<string, string>;
}

/** node_modules/electron and its package.json. */
function electronPackage(): { dir: string; pkg: ElectronPackage } {
  const manifest = require.resolve('electron/package.json');
  return { dir: dirname(manifest), pkg: JSON.parse(readFileSync(manifest, 'utf8')) as ElectronPackage };
}

/** The installed Electron's version (from its package, whether or not the binary is there). */
export function electronVersion(): string {
  return electronPackage().pkg.version;
}

/**
 * The Electron executable when it is installed, else null. Reads what install.js writes last
 * (path.txt, relative to dist/), so a download cut short does not count as installed.
 */
export function electronBinaryPath(): string | null {
  const { dir } = electronPackage();
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), relative);
  return existsSync(binary) ? binary : null;
}

/** Whether the binary is there, or why it could not be had (one line, no stack). */
export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Returns the Electron binary, downloading it first with the package's `install-electron`
 * when it is missing; says in one line (through `say`) when it downloads. Never throws: a
 * failed download (offline, a proxy, a blocked host) comes back as `{ ok: false, reason }`,
 * with the reason taken from the first line install.js printed.
 */
export async function ensureElectron(say: (line: string) => void): Promise<ElectronBinary> {
  const installed = electronBinaryPath();
  if (installed) return { ok: true, path: installed };
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { ok: false, reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  const { dir, pkg } = electronPackage();
  const installer = pkg.bin['install-electron'];
  if (!installer) return { ok: false, reason: `electron ${pkg.version} has no install-electron command` };
  say(`Fetching the Electron ${pkg.version} binary with install-electron (not yet in node_modules/electron)…`);
  const output = await new Promise<{ code: number | null; text: string }>((done) => {
    const child = spawn(process.execPath, [join(dir, installer)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', (error) => done({ code: 1, text: error.message }));
    child.on('close', (code) => done({ code, text }));
  });
  const path = electronBinaryPath();
  if (output.code === 0 && path) return { ok: true, path };
  return { ok: false, reason: firstErrorLine(output.text) ?? `install-electron exited with code ${output.code}` };
}

/** "TypeError: fetch failed\n    at …" → "fetch failed". */
export function firstErrorLine(text: string): string | null {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('at '));
  return line ? line.replace(/^(\w*Error|Error):\s*/, '') : null;
}
