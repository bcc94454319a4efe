import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on one of the app's entries: the source file under tsx when the caller
 * runs from sources (tests, `npm run cli`), else the built file electron-vite wrote to `out/main`
 * (searched up to three folders up from the caller, since chunks may sit below it).
 * Only for pure JavaScript or Node-only work: inside Electron, native modules stay out of worker threads.
 */
export function spawnEntryThread(callerUrl: string, source: { dir: string; file: string }, built: string): Worker {
  const here = fileURLToPath(callerUrl);
  if (here.endsWith('.ts')) {
    // Worker threads do not inherit tsx's loader: register it in the thread, then load the source.
    const tsx = pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api')).href;
    const entry = pathToFileURL(join(dirname(here), source.dir, source.file)).href;
    return new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
  }
  let dir = dirname(here);
  for (let i = 0; i < 3; i++) {
    const candidate = join(dir, built);
    if (existsSync(candidate)) return new Worker(candidate);
    dir = dirname(dir);
  }
  throw new Error(`cannot find ${built} beside the app's code; rebuild the app`);
}
