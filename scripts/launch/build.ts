import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** Where the renderer's build stands: built after its last source change, never built, or older than a source. */
export type BuildState = 'fresh' | 'missing' | 'stale';

/** What the renderer bundle is built from: its sources, the shared layer it imports, the build config. */
const RENDERER_INPUTS = ['src/renderer', 'src/shared', 'electron.vite.config.ts', 'package.json'];

/** Compares out/renderer/index.html with the newest file the renderer is built from. */
export function rendererBuildState(root: string): BuildState {
  const built = join(root, 'out', 'renderer', 'index.html');
  if (!existsSync(built)) return 'missing';
  const builtAt = statSync(built).mtimeMs;
  return RENDERER_INPUTS.some((input) => newestChange(join(root, input)) > builtAt) ? 'stale' : 'fresh';
}

function newestChange(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

/** A package's folder, found the way Node looks for it (not through its exports, which may hide package.json). */
function packageDir(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = join(dir, name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`${name} is not installed: run \`npm ci\``);
}

/** The path of a package's bin script, run with this Node (no shell, the same on every platform). */
export function packageBin(name: string, bin = name): string {
  const dir = packageDir(name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const script = pkg.bin?.[bin];
  if (!script) throw new Error(`${name} has no "${bin}" command (${join(dir, 'package.json')}): run \`npm ci\``);
  return join(dir, script);
}

/**
 * Runs `electron-vite build` in `root`, its output kept back: on success only the time is
 * reported; on a failure the output is returned so the caller can show what went wrong.
 */
export function buildApp(root: string): Promise<{ ok: boolean; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [packageBin('electron-vite'), 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const finish = (ok: boolean) => done({ ok, output, seconds: Math.round((Date.now() - started) / 1000) });
    child.on('error', (error) => {
      output += error.message;
      finish(false);
    });
    child.on('close', (code) => finish(code === 0));
  });
}
