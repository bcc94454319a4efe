import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserOpener } from '../../scripts/launch/browser';
import { rendererBuildState } from '../../scripts/launch/build';
import { firstErrorLine } from '../../scripts/launch/electron';
import { rebuildFailure } from '../../scripts/launch/sqlite-electron';
import { tempDir } from '../helpers';

/** The launcher's decisions (scripts/start.ts): what `npm start` says and does on a given machine. */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('one-line reasons', () => {
  it("takes install-electron's error message without its stack", () => {
    const stderr = 'TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n    at async FetchDownloader.download (file:///x.js:46:30)\n';
    expect(firstErrorLine(stderr)).toBe('fetch failed');
  });

  it('says a blocked header download is a download failure, not a node-gyp bug', () => {
    const output = 'Error: This is most likely not a problem with node-gyp or the package itself and\nis related to network connectivity.\n    at go (install.js:244:21)\nError: node-gyp failed to rebuild \'/x/better-sqlite3\'\n';
    expect(rebuildFailure(output)).toBe("Electron's headers could not be downloaded");
  });

  it("gives a compiler failure's last error line", () => {
    expect(rebuildFailure("gyp ERR! stack\nError: `make` failed with exit code: 2\n✖ Rebuild Failed\nError: node-gyp failed to rebuild '/x'\n")).toBe("node-gyp failed to rebuild '/x'");
  });
});

describe('opening the browser', () => {
  it('never opens one in CI or with BROWSER=none', () => {
    expect(browserOpener({ CI: 'true', DISPLAY: ':0' }, 'linux')).toBeNull();
    expect(browserOpener({ BROWSER: 'none' }, 'darwin')).toBeNull();
  });

  it('uses open on macOS and start on Windows', () => {
    expect(browserOpener({}, 'darwin')).toEqual(['open']);
    expect(browserOpener({}, 'win32')).toEqual(['cmd', '/c', 'start', '']);
  });

  it('needs a display and xdg-open on Linux', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    writeFileSync(join(dir, 'xdg-open'), '');
    expect(browserOpener({ PATH: dir }, 'linux')).toBeNull();
    expect(browserOpener({ PATH: dir, DISPLAY: ':0' }, 'linux')).toEqual(['xdg-open']);
    expect(browserOpener({ PATH: join(dir, 'empty'), WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBeNull();
  });
});

describe('whether the renderer needs building', () => {
  function project(): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    mkdirSync(join(dir, 'src', 'renderer'), { recursive: true });
    writeFileSync(join(dir, 'src', 'renderer', 'main.ts'), '');
    return dir;
  }
  const built = (dir: string, at: Date) => {
    mkdirSync(join(dir, 'out', 'renderer'), { recursive: true });
    writeFileSync(join(dir, 'out', 'renderer', 'index.html'), '');
    utimesSync(join(dir, 'out', 'renderer', 'index.html'), at, at);
  };

  it('builds when out/ is missing (a fresh clone)', () => {
    expect(rendererBuildState(project())).toBe('missing');
  });

  it('builds again when a source changed after the build', () => {
    const dir = project();
    built(dir, new Date(Date.now() - 60_000));
    expect(rendererBuildState(dir)).toBe('stale');
  });

  it('keeps a build newer than every source', () => {
    const dir = project();
    built(dir, new Date(Date.now() + 60_000));
    expect(rendererBuildState(dir)).toBe('fresh');
  });
});
