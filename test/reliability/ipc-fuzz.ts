import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dispatchApiCall } from '../../src/main/ipc/dispatch';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { API_METHODS } from '../../src/shared/api/methods';
import { apiSchemas } from '../../src/shared/api';
import { seededRandom } from '../../src/shared/ml/random';

/**
 * IPC fuzzing (issue 7, item 7): malformed and forged messages sent through `dispatchApiCall`,
 * the one path both the Electron IPC handlers and the web preview use to reach the services.
 * Every message is invalid by construction, whatever the method's schema:
 *   - a value of the wrong kind for the whole argument (null, numbers, NaN, strings up to
 *     100,000 characters, arrays, booleans) — or anything at all for a method that takes none;
 *   - an object with a key the contract does not have (every object schema is strict), a
 *     `__proto__` / `constructor` key, or deep nesting;
 *   - an object with the method's own keys, one of them NaN (no field of the contract takes NaN);
 *   - a forged method name (prototype names, near misses).
 * Counted: messages accepted (must be 0), database writes (SQLite's total_changes; must be 0),
 * files added or changed in the data folder (must be 0), exceptions escaping the dispatcher
 * (must be 0), and whether the service still answers afterwards.
 */

interface Def {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: { def: Def };
  in?: { def: Def };
  options?: { def: Def }[];
}

/** The keys an argument object may have (through defaults, pipes and unions), for the NaN mutation. */
function shapeKeys(def: Def | undefined): string[] {
  if (!def) return [];
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.options) return [...new Set(def.options.flatMap((o) => shapeKeys(o.def)))];
  return shapeKeys(def.innerType?.def ?? def.in?.def);
}

const FORGED_METHODS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'getStatus ', 'GETSTATUS', 'dispatchApiCall', 'db', 'close', 'exclusive', '', 'getStatus\u0000'];

export interface FuzzReport {
  messages: number;
  perMethod: number;
  methods: number;
  accepted: { method: string; arg: string }[];
  writes: number;
  fileChanges: number;
  escaped: number;
  codes: Record<string, number>;
  stillAnswers: boolean;
  ms: number;
}

function folderState(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      // The WAL and shared-memory files change size and time on reads too; the database's content is measured by total_changes.
      else if (!/-(wal|shm)$/.test(name)) out.set(p, `${s.size}:${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

export function malformedArgument(method: string, i: number, random: () => number): unknown {
  const def = (apiSchemas as Record<string, { def: Def }>)[method]!.def;
  const keys = shapeKeys(def);
  const big = 'x'.repeat(Math.floor(random() * 100_000));
  const kinds: (() => unknown)[] = [
    () => null,
    () => Number.NaN,
    () => -1,
    () => i,
    () => big,
    () => [1, 'a', null],
    () => true,
    () => ({ [`unexpected${i}`]: random() }),
    () => JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
    () => {
      let o: Record<string, unknown> = { end: 1 };
      for (let d = 0; d < 200; d++) o = { nested: o };
      return o;
    },
    () => Object.fromEntries(keys.map((k, j) => [k, j === i % Math.max(1, keys.length) ? Number.NaN : 1])),
  ];
  if (def.type === 'undefined') kinds.push(() => ({}), () => 0, () => '');
  return kinds[i % kinds.length]!();
}

export async function fuzzApi(service: FormulatorService, dataDir: string, perMethod: number, seed = 1): Promise<FuzzReport> {
  const started = performance.now();
  const random = seededRandom(seed);
  const writesBefore = service.db.prepare('SELECT total_changes()').pluck().get() as number;
  const filesBefore = folderState(dataDir);
  const report: FuzzReport = { messages: 0, perMethod, methods: API_METHODS.length, accepted: [], writes: 0, fileChanges: 0, escaped: 0, codes: {}, stillAnswers: false, ms: 0 };
  const send = async (method: unknown, arg: unknown) => {
    report.messages++;
    try {
      const result = await dispatchApiCall(service, method, arg);
      if (result.ok) report.accepted.push({ method: String(method), arg: JSON.stringify(arg)?.slice(0, 200) ?? String(arg) });
      else report.codes[result.error.code] = (report.codes[result.error.code] ?? 0) + 1;
    } catch {
      report.escaped++;
    }
  };
  for (const method of API_METHODS) {
    for (let i = 0; i < perMethod; i++) await send(method, malformedArgument(method, i, random));
  }
  for (let i = 0; i < perMethod; i++) await send(FORGED_METHODS[i % FORGED_METHODS.length], {});
  report.writes = (service.db.prepare('SELECT total_changes()').pluck().get() as number) - writesBefore;
  const filesAfter = folderState(dataDir);
  for (const [p, s] of filesAfter) if (filesBefore.get(p) !== s) report.fileChanges++;
  for (const p of filesBefore.keys()) if (!filesAfter.has(p)) report.fileChanges++;
  report.stillAnswers = (await dispatchApiCall(service, 'getStatus', undefined)).ok;
  report.ms = performance.now() - started;
  return report;
}
