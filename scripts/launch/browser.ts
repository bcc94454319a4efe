import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The command that opens a URL in the system's browser, or null where there is none to use. */
export function browserOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): [string, ...string[]] | null {
  // CI has no one to look at a window; BROWSER=none is the usual way to say "do not open one".
  if (env.CI || env.BROWSER === 'none') return null;
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', ''];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return null;
  const onPath = (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, 'xdg-open')));
  return onPath ? ['xdg-open'] : null;
}

/** Opens `url` in the system's browser where there is one; never fails (the address is printed anyway). */
export function openInBrowser(url: string): boolean {
  const opener = browserOpener();
  if (!opener) return false;
  try {
    const [command, ...args] = opener;
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
