import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinaryPath } from '../../scripts/launch/electron';
import { CHROMIUM_PATH, chromiumAvailable, collectPageErrors, launchChromium } from './browser';
import { shots } from './harness';

/**
 * `npm start` as a new user runs it: in a fresh clone of this repository (its committed HEAD:
 * no out/, no database), on an empty database, and — where the Electron binary is missing and
 * cannot be downloaded, as on the development machines — it must say so in one line, build the
 * app, load the sample catalog and serve the UI at the address it prints, which Chromium opens.
 * The download really runs (install-electron) but is blocked the way a firewall or a dead proxy
 * blocks it: the mirror is a closed local port and the download cache an empty folder, so the
 * test takes the same path on a machine that could download Electron.
 *
 * node_modules is a link to this checkout's, not a new `npm ci`: the tree is the one
 * package-lock.json pins, and since Electron 42 `npm ci` leaves the binary out either way, so
 * the clone starts in the state a new user's does (no binary, no build, no database) without a
 * minute of installing. Where the binary is installed (CI), npm start would open Electron's
 * window, which the Electron smoke test (test/electron/) drives; this test then asks for the
 * browser preview with LATENT_FORMULATOR_PREVIEW=1 and checks the rest of the same path.
 */
const electronInstalled = electronBinaryPath() !== null;
let dir: string;
let npmStart: ChildProcess | undefined;
let output = '';
let url = '';
let browser: Browser | undefined;

/** Ends `npm start` and everything it started (npm → shell → tsx → node). */
function stopProcessTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F']);
  else process.kill(-child.pid, 'SIGTERM');
  return exited;
}

function portAcceptsConnections(address: string): Promise<boolean> {
  const { hostname, port } = new URL(address);
  return new Promise((done) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (.ci/run does)`);
  dir = mkdtempSync(join(tmpdir(), 'lf-fresh-clone-'));
  const clone = join(dir, 'clone');
  const cloned = spawnSync('git', ['clone', '--quiet', process.cwd(), clone], { encoding: 'utf8' });
  if (cloned.status !== 0) throw new Error(`git clone of ${process.cwd()} failed: ${cloned.stderr}`);
  symlinkSync(realpathSync(join(process.cwd(), 'node_modules')), join(clone, 'node_modules'), 'junction');
  const env: NodeJS.ProcessEnv = { ...process.env, LATENT_FORMULATOR_DB: join(dir, 'data', 'latent-formulator.db'), BROWSER: 'none' };
  delete env.LATENT_FORMULATOR_PREVIEW;
  for (const key of Object.keys(env)) if (/^(npm_config_electron_|npm_package_config_electron_)/i.test(key)) delete env[key];
  env.ELECTRON_MIRROR = 'http://127.0.0.1:9/';
  env.electron_config_cache = join(dir, 'electron-cache');
  if (electronInstalled) env.LATENT_FORMULATOR_PREVIEW = '1';
  // Port 0: a free port, so the test never collides with a preview someone else is running on 5199.
  npmStart = spawn('npm', ['start', '--', '--port', '0'], { cwd: clone, env, detached: process.platform !== 'win32', shell: process.platform === 'win32' });
  npmStart.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npmStart.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  while (!/running at (http:\/\/127\.0\.0\.1:\d+)/.test(output)) {
    if (npmStart.exitCode !== null) throw new Error(`npm start exited with code ${npmStart.exitCode}:\n${output}`);
    if (Date.now() - started > 150_000) throw new Error(`npm start printed no address in 150 s:\n${output}`);
    await new Promise((wait) => setTimeout(wait, 200));
  }
  url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (npmStart) await stopProcessTree(npmStart);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm start in a fresh clone', () => {
  it('says in one line why it serves the browser preview, builds the app and loads the sample catalog, without a stack trace', () => {
    const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('>'));
    const why = electronInstalled
      ? /^LATENT_FORMULATOR_PREVIEW is set: serving the app in your browser instead of its own window\.$/
      : /^Electron \d+\.\d+\.\d+ is not installed and could not be downloaded \(.+\), so the app opens in your browser instead of its own window\.$/;
    expect(lines.filter((line) => why.test(line))).toHaveLength(1);
    expect(lines).toContain('Building the app (out/ is missing)…');
    expect(lines.some((line) => /^Loaded the sample catalog \(432 illustrative formulations\) into the empty database .*latent-formulator\.db\.$/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Latent Formulator is running at http:\/\/127\.0\.0\.1:\d+\. Press Ctrl\+C to stop\.$/);
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('serves the UI with the sample catalog at the printed address', { timeout: 60_000 }, async () => {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = await collectPageErrors(page);
    await page.goto(url);
    await page.getByTestId('catalog-table').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('product-count').textContent()).toMatch(/^432 products/);
    expect(await page.locator('[data-testid=catalog-table] tbody tr').count()).toBeGreaterThan(100);
    await page.screenshot({ path: join(shots, 'start-fresh-clone.png') });
    expect(errors.join('\n')).toBe('');
  });

  it('stops the server when npm start is stopped', async () => {
    await browser?.close();
    browser = undefined;
    if (npmStart) await stopProcessTree(npmStart);
    expect(await portAcceptsConnections(url)).toBe(false);
  });
});
