import { readdirSync, readlinkSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openAppInstance } from '../../src/main/app-instance';
import { resolveResourcesDir } from '../../src/main/resources';

/**
 * The desktop app's main-process start without Electron (`openAppInstance`, what src/main/index.ts
 * runs before its window), for `instances.ts`: `app DB [wait]`. With `wait` it prints "armed" and
 * starts only on a "go" line, so several can race for the folder in the same instant. The owner
 * prints "owner PID [took-over PID]" and stays until killed; a refused start prints its one line on
 * stderr, "fds-on-database N" (its open files on the database, which must be 0) and exits 1.
 */
const [mode, db, wait] = process.argv.slice(2);
if (mode !== 'app' || !db) throw new Error('usage: instances-child.ts app DB [wait]');

/** How many of this process's open files are the database or its side files. */
function fdsOnDatabase(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(db!)) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

if (wait === 'wait') {
  process.stdout.write('armed\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
}
try {
  const instance = await openAppInstance({ databasePath: db, resourcesDir: resolveResourcesDir() }, 'app');
  const before = instance.lock?.tookOverFrom;
  process.stdout.write(`owner ${process.pid}${before ? ` took-over ${before.pid}` : ''}\n`);
  process.on('SIGTERM', () => {
    instance.close();
    process.exit(0);
  });
  setInterval(() => undefined, 60_000);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.stdout.write(`fds-on-database ${fdsOnDatabase()}\n`);
  process.exit(1);
}
