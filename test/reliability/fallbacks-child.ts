import { readFileSync } from 'node:fs';
import { dispatchApiCall } from '../../src/main/ipc/dispatch';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';

/**
 * The services as the app runs them, in a process of their own, for the fallback runs that must
 * run as another account (setpriv): `create DB` makes a database with three candidates; `open DB`
 * opens it as the app does at start; `call DB METHOD ARG-JSON …` opens it and makes each API call
 * through the same dispatch the window uses ("-" for no argument); `batch FILE` does `open`/`call` for each
 * `{ db, calls: [[method, arg], …] }` in a JSON file (one process start for many databases). The
 * last line printed is the outcome as JSON.
 */

export interface ChildCall {
  method: string;
  ok: boolean;
  code: string | null;
  message: string | null;
}

/** What one database gave: opened (with its counts and the calls' outcomes), or the error that stopped the open. */
export interface ChildOutcome {
  ok: boolean;
  name?: string;
  code?: string | null;
  message?: string;
  candidates?: number;
  quarantined?: string | null;
  calls?: ChildCall[];
}

async function run(db: string, calls: [string, unknown][], create = false): Promise<ChildOutcome> {
  let service: FormulatorService | null = null;
  try {
    service = await FormulatorService.open({ databasePath: db, resourcesDir: resolveResourcesDir() });
    if (create) for (const name of ['Glow serum', 'Barrier cream', 'Night gel']) await service.saveCandidate({ name, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    const outcomes: ChildCall[] = [];
    for (const [method, arg] of calls) {
      const r = await dispatchApiCall(service, method, arg);
      outcomes.push({ method, ok: r.ok, code: r.ok ? null : r.error.code, message: r.ok ? null : r.error.message });
    }
    return { ok: true, candidates: (await service.listCandidates()).total, quarantined: service.startup.quarantined?.folder ?? null, calls: outcomes };
  } catch (error) {
    return { ok: false, name: (error as Error).name, code: (error as { code?: string }).code ?? null, message: (error as Error).message ?? String(error) };
  } finally {
    await service?.compute.close();
    service?.close();
  }
}

const [command, target, ...rest] = process.argv.slice(2);
if (!command || !target) throw new Error('usage: fallbacks-child.ts create|open|call DB [METHOD ARG-JSON]… | batch FILE');
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
if (command === 'batch') {
  const jobs = JSON.parse(readFileSync(target, 'utf8')) as { db: string; calls: [string, unknown][] }[];
  const results: ChildOutcome[] = [];
  for (const job of jobs) results.push(await run(job.db, job.calls));
  print(results);
} else if (command === 'call') {
  const calls: [string, unknown][] = [];
  // "-" stands for no argument (undefined, which JSON cannot say).
  for (let i = 0; i + 1 < rest.length; i += 2) calls.push([rest[i]!, rest[i + 1] === '-' ? undefined : (JSON.parse(rest[i + 1]!) as unknown)]);
  print(await run(target, calls));
} else if (command === 'open' || command === 'create') {
  print(await run(target, [], command === 'create'));
} else throw new Error(`unknown command ${command}`);
