import { dispatchApiCall } from '../../src/main/ipc/dispatch';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';

/**
 * The services as the app runs them, in a process of their own, for the fallback runs that must
 * run as another account (setpriv): `create DB` makes a database with three candidates; `open DB`
 * opens it as the app does at start; `call DB METHOD ARG-JSON …` opens it and makes each API call
 * through the same dispatch the window uses. The last line printed is the outcome as JSON.
 */

const [command, db, ...rest] = process.argv.slice(2);
if (!command || !db) throw new Error('usage: fallbacks-child.ts create|open|call DB [METHOD ARG-JSON]…');

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
let service: FormulatorService | null = null;
try {
  service = await FormulatorService.open({ databasePath: db, resourcesDir: resolveResourcesDir() });
  if (command === 'create') {
    for (const name of ['Glow serum', 'Barrier cream', 'Night gel']) await service.saveCandidate({ name, declaration: 'Water, Glycerin, Niacinamide, Phenoxyethanol' });
    print({ ok: true });
  } else if (command === 'open') {
    const status = await service.getStatus();
    print({ ok: true, products: status.productCount, candidates: (await service.listCandidates()).total, quarantined: service.startup.quarantined?.folder ?? null });
  } else if (command === 'call') {
    const outcomes: { method: string; ok: boolean; code: string | null; message: string | null }[] = [];
    for (let i = 0; i + 1 < rest.length; i += 2) {
      const method = rest[i]!;
      const r = await dispatchApiCall(service, method, JSON.parse(rest[i + 1]!) as unknown);
      outcomes.push({ method, ok: r.ok, code: r.ok ? null : r.error.code, message: r.ok ? null : r.error.message });
    }
    print({ ok: true, outcomes });
  } else throw new Error(`unknown command ${command}`);
} catch (error) {
  print({ ok: false, name: (error as Error).name, code: (error as { code?: string }).code ?? null, message: (error as Error).message ?? String(error) });
} finally {
  await service?.compute.close();
  service?.close();
}
