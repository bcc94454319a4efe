import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComputeError, ComputeHost } from '../../src/main/compute/host';
import type { ComputeJob } from '../../src/main/compute/protocol';
import { dispatchApiCall } from '../../src/main/ipc/dispatch';
import { listModels } from '../../src/main/db/queries/models';
import { loadModel } from '../../src/main/ml/store';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import type { ApiResult } from '../../src/shared/api/methods';

/**
 * Disk full (issue 7, item 3). Two ways to run out of space:
 *   tmpfs       — the data folder on a small RAM file system (mount -t tmpfs -o size=…), filled to
 *                 the last byte with a filler file: real ENOSPC for SQLite's WAL, the model store
 *                 and CSV exports (needs root, as CI and the developer machines have);
 *   page-limit  — SQLite's max_page_count set to the file's current size, which makes SQLite
 *                 fail exactly as on a full disk (SQLITE_FULL); runs anywhere.
 * With the disk full: an import, candidate saves, a model save (training) and a CSV export each
 * fail with a clear error and roll back; then the space is freed and everything saved before is
 * checked, byte for byte, and the same work succeeds.
 */

export interface DiskFullReport {
  volume: 'tmpfs' | 'page-limit';
  /** What each attempt returned while the disk was full: method → error code (or "ok"). */
  outcomes: Record<string, string>;
  /** One message each, as the user sees it. */
  messages: Record<string, string>;
  /** Candidate saves that succeeded while the disk was full (they fit in free pages) before one failed. */
  savesBeforeFull: number;
  checks: { integrity: string; productsUnchanged: boolean; candidatesIntact: boolean; oldModelLoads: boolean; oldExportIntact: boolean; partialFilesLeft: number };
  /** After the space was freed: the same work succeeded. */
  afterwards: { imported: number; saved: boolean; exported: boolean };
  failures: string[];
}

/** True when this process may mount a tmpfs (root with CAP_SYS_ADMIN). */
export function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'lf-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** Writes a filler file until the volume refuses another byte. */
function fillVolume(path: string): number {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          writeSync(fd, chunk);
          written += size;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

const candidateSnapshot = (service: FormulatorService) =>
  JSON.stringify(
    service.db
      .prepare(
        `SELECT c.id, c.name, v.id AS version, group_concat(i.ingredient_id, ',') AS list
           FROM candidates c JOIN candidate_versions v ON v.candidate_id = c.id JOIN candidate_ingredients i ON i.version_id = v.id
          GROUP BY v.id ORDER BY v.id`,
      )
      .all(),
  );

export async function diskFullRun(volume: 'tmpfs' | 'page-limit', csvPath: string): Promise<DiskFullReport> {
  const root = mkdtempSync(join(tmpdir(), 'lf-full-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir);
  if (volume === 'tmpfs') execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', dataDir]);
  const report: DiskFullReport = {
    volume,
    outcomes: {},
    messages: {},
    savesBeforeFull: 0,
    checks: { integrity: '', productsUnchanged: false, candidatesIntact: false, oldModelLoads: false, oldExportIntact: false, partialFilesLeft: 0 },
    afterwards: { imported: 0, saved: false, exported: false },
    failures: [],
  };
  const service = await FormulatorService.open({ databasePath: join(dataDir, 'lab.db'), resourcesDir: resolveResourcesDir() });
  const call = (method: string, arg: unknown) => dispatchApiCall(service, method, arg) as Promise<ApiResult<Record<string, unknown>>>;
  const note = (name: string, r: ApiResult<unknown>) => {
    report.outcomes[name] = r.ok ? 'ok' : r.error.code;
    if (!r.ok) report.messages[name] = r.error.message;
  };
  try {
    // Work that must survive: a catalog, a model, saved candidates, an export.
    await service.loadSampleCatalog();
    await service.trainModel({ preset: 'quick', seed: 1 });
    for (let i = 0; i < 20; i++) await service.saveCandidate({ name: `before ${i}`, declaration: 'Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol' });
    const exportPath = join(dataDir, 'shortlist.csv');
    await service.exportCandidatesCsv({ path: exportPath });
    const exportBefore = readFileSync(exportPath);
    const productsBefore = service.db.prepare('SELECT count(*) FROM products').pluck().get() as number;
    const candidatesBefore = candidateSnapshot(service);
    const model = listModels(service.db)[0]!;

    // The disk fills up.
    let filler = '';
    if (volume === 'tmpfs') {
      filler = join(dataDir, 'filler.bin');
      fillVolume(filler);
    } else {
      const pages = service.db.pragma('page_count', { simple: true }) as number;
      service.db.pragma(`max_page_count = ${pages}`);
    }

    note('importCatalog', await call('importCatalog', { path: csvPath }));
    // Small saves may fit in free space already allocated; keep saving until the disk refuses one.
    for (let i = 0; i < 5000; i++) {
      const r = await call('saveCandidate', { name: `while full ${i}`, declaration: 'Water, Glycerin, Squalane, Panthenol, Phenoxyethanol', notes: 'x'.repeat(2000) });
      if (!r.ok) {
        note('saveCandidate', r);
        break;
      }
      report.savesBeforeFull++;
    }
    if (!report.outcomes.saveCandidate) report.outcomes.saveCandidate = 'never refused';
    const savedWhileFull = candidateSnapshot(service);
    if (volume === 'tmpfs') {
      note('trainModel', await call('trainModel', { preset: 'quick', seed: 2 }));
      note('exportCandidatesCsv', await call('exportCandidatesCsv', { path: exportPath }));
    }

    // Checks while still full, then after freeing the space.
    report.checks.integrity = String(service.db.pragma('integrity_check', { simple: true }));
    report.checks.productsUnchanged = (service.db.prepare('SELECT count(*) FROM products').pluck().get() as number) === productsBefore;
    report.checks.candidatesIntact = savedWhileFull.startsWith(candidatesBefore.slice(0, -1));
    try {
      loadModel(join(service.modelsDir, model.folder), model.manifestSha256);
      report.checks.oldModelLoads = listModels(service.db).length === 1;
    } catch {
      report.checks.oldModelLoads = false;
    }
    report.checks.oldExportIntact = readFileSync(exportPath).equals(exportBefore);
    if (filler) rmSync(filler);
    else service.db.pragma('max_page_count = 4294967294');
    const leftovers = execFileSync('find', [dataDir, '-name', '*.tmp', '-o', '-name', '.tmp-*'], { encoding: 'utf8' }).trim();
    report.checks.partialFilesLeft = leftovers ? leftovers.split('\n').length : 0;

    const imported = await call('importCatalog', { path: csvPath });
    report.afterwards.imported = imported.ok ? Number(imported.value.productsInserted) : 0;
    report.afterwards.saved = (await call('saveCandidate', { name: 'after', declaration: 'Water, Glycerin, Phenoxyethanol' })).ok;
    report.afterwards.exported = (await call('exportCandidatesCsv', { path: exportPath })).ok;
    const integrityAfter = String(service.db.pragma('integrity_check', { simple: true }));

    // What counts as a pass.
    const expected = ['importCatalog', 'saveCandidate', ...(volume === 'tmpfs' ? ['trainModel'] : [])];
    for (const name of expected) if (report.outcomes[name] !== 'disk-full') report.failures.push(`${name} gave ${report.outcomes[name]}, not disk-full`);
    if (volume === 'tmpfs' && report.outcomes.exportCandidatesCsv !== 'export-failed') report.failures.push(`the export gave ${report.outcomes.exportCandidatesCsv}`);
    for (const [name, message] of Object.entries(report.messages)) if (!/disk is full/.test(message)) report.failures.push(`${name}'s message does not say the disk is full: ${message}`);
    if (report.checks.integrity !== 'ok' || integrityAfter !== 'ok') report.failures.push(`integrity ${report.checks.integrity} / ${integrityAfter}`);
    if (!report.checks.productsUnchanged) report.failures.push('the failed import changed the products');
    if (!report.checks.candidatesIntact) report.failures.push('candidates saved before the disk filled changed');
    if (!report.checks.oldModelLoads) report.failures.push('the old model no longer loads, or a half-saved model was recorded');
    if (!report.checks.oldExportIntact) report.failures.push('the earlier export was changed');
    if (report.checks.partialFilesLeft) report.failures.push(`${report.checks.partialFilesLeft} partial files left: ${leftovers}`);
    if (!report.afterwards.imported || !report.afterwards.saved || !report.afterwards.exported) report.failures.push(`after freeing space: ${JSON.stringify(report.afterwards)}`);
  } finally {
    await service.compute.close();
    service.close();
    if (volume === 'tmpfs') execFileSync('umount', [dataDir]);
    rmSync(root, { recursive: true, force: true });
  }
  return report;
}

/**
 * The model store alone on a full volume (the database elsewhere still has room): the compute
 * process's save fails with ENOSPC and must come back as disk-full, leaving no partial folder.
 */
export async function modelSaveOnFullDisk(job: (modelsDir: string) => ComputeJob): Promise<{ code: string; message: string; leftovers: string[] }> {
  const modelsDir = mkdtempSync(join(tmpdir(), 'lf-full-models-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', modelsDir]);
  const host = new ComputeHost();
  try {
    fillVolume(join(modelsDir, 'filler.bin'));
    const error = await host.run(job(modelsDir)).then(
      () => null,
      (e: unknown) => e,
    );
    const leftovers = readdirSync(modelsDir).filter((n) => n !== 'filler.bin');
    return { code: error instanceof ComputeError ? error.code : String(error), message: (error as Error | null)?.message ?? 'the save succeeded', leftovers };
  } finally {
    await host.close();
    execFileSync('umount', [modelsDir]);
    rmSync(modelsDir, { recursive: true, force: true });
  }
}
