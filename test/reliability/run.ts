import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ComputeError, nodeChildChannel } from '../../src/main/compute/host';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';
import { sephoraCsvPath } from '../data';
import { openTestService } from '../helpers';
import { presetConfig } from '../../src/main/ml/config';
import { syntheticTrainingData } from '../main/ml/fixtures';
import { corruptionRuns } from './corrupt-db';
import { hostileCsvCorpus } from './csv-corpus';
import { csvRoundTrip } from './csv-roundtrip';
import { canMountTmpfs, diskFullRun, modelSaveOnFullDisk } from './disk-full';
import { killDuringImport, killDuringMigration, killDuringModelSave, killDuringSaves, killLeavesNoOrphan } from './durability';
import { fuzzApi } from './ipc-fuzz';
import { scaleStep, type ScaleStep } from './scale';
import { soak } from './soak';
import { writeSyntheticCatalog } from './synth-catalog';
import { fallbacksSection } from './fallbacks';
import { instancesSection } from './instances';
import { killNewPathsSection } from './kill-new-paths';
import { storageLocationSection } from './storage-location';
import { suspendSection } from './suspend';
import { writersSection } from './writers';

/**
 * `npm run reliability [section …]`: the figures of issues 7 and 17, section by section (all when
 * none is named): fuzz, compute, csv, kill, corrupt, disk, corpus, soak, scale; and issue 17's
 * instances (a second app on one data folder), writers (the command line beside the app),
 * fallbacks (quarantine copy, no write permission, a damaged WAL, an unreadable import), suspend
 * (a stopped compute process, a clock going back), kill-new (kill -9 on the newer write paths and a
 * full-size model save) and storage (network and synced folders). Short versions of each run in `npm test`. Long: about an hour for everything on the 2-core machine (the 50,000-row
 * kill runs, the 500 MiB import of the corpus and the 50,000-product scale run dominate).
 */
const SECTIONS = ['fuzz', 'compute', 'csv', 'kill', 'corrupt', 'disk', 'corpus', 'soak', 'scale', 'instances', 'writers', 'fallbacks', 'suspend', 'kill-new', 'storage'] as const;
const asked = process.argv.slice(2);
for (const a of asked) if (!(SECTIONS as readonly string[]).includes(a)) throw new Error(`unknown section "${a}"; sections are ${SECTIONS.join(', ')}`);
const want = (s: (typeof SECTIONS)[number]) => asked.length === 0 || asked.includes(s);

const figures: [string, string | number][] = [];
const add = (label: string, value: string | number) => {
  figures.push([label, value]);
  process.stdout.write(`  ${label.padEnd(90)} ${value}\n`);
};
const started = performance.now();

if (want('fuzz')) {
  // IPC fuzzing: 10,000 malformed messages to every handler, plus 10,000 forged method names.
  const { service, dir, close } = await openTestService();
  await service.loadSampleCatalog();
  const r = await fuzzApi(service, dir, 10_000);
  add('IPC fuzz: messages (handlers × 10,000, plus forged names)', `${r.messages} (${r.methods} handlers)`);
  add('IPC fuzz: accepted / database writes / files changed / escaped exceptions', `${r.accepted.length} / ${r.writes} / ${r.fileChanges} / ${r.escaped}`);
  add('IPC fuzz: refusals by code', Object.entries(r.codes).map(([k, v]) => `${k} ${v}`).join(', '));
  add('IPC fuzz: service answers afterwards / time (s)', `${r.stillAnswers ? 'yes' : 'NO'} / ${(r.ms / 1000).toFixed(1)}`);
  await close();
}

if (want('compute')) {
  // The compute process exiting, throwing, aborting and running out of memory (a 512 MiB heap
  // limit so the out-of-memory death comes in seconds): each job fails with its code and a
  // message, the service and its database carry on, and the next job runs.
  const dir = mkdtempSync(join(tmpdir(), 'lf-faults-'));
  const service = await FormulatorService.open({
    databasePath: join(dir, 'lab.db'),
    resourcesDir: resolveResourcesDir(),
    computeChannel: () => nodeChildChannel(undefined, { maxOldSpaceMb: 512 }),
  });
  await service.loadSampleCatalog();
  await service.trainModel({ preset: 'quick', seed: 1 });
  const faults = [...Array<'exit'>(20).fill('exit'), ...Array<'throw'>(20).fill('throw'), ...Array<'abort'>(10).fill('abort'), ...Array<'oom'>(10).fill('oom')];
  const outcomes: Record<string, number> = {};
  const messages = new Map<string, string>();
  const recovery: number[] = [];
  for (const fault of faults) {
    const error = await service.compute.run({ kind: 'fault', fault }).catch((e: unknown) => e);
    const code = error instanceof ComputeError ? error.code : 'not a ComputeError';
    outcomes[`${fault} → ${code}`] = (outcomes[`${fault} → ${code}`] ?? 0) + 1;
    messages.set(fault, (error as Error).message);
    // The next job through the service, as the app would run it: encode a catalog product.
    const t = performance.now();
    const next = await service.encodeLists({ declarations: ['Water, Glycerin, Niacinamide, Phenoxyethanol'] });
    if (next.codes.length === 1) recovery.push(performance.now() - t);
  }
  recovery.sort((a, b) => a - b);
  add(`compute faults (${faults.length}): fault → error code`, Object.entries(outcomes).map(([k, v]) => `${k} ×${v}`).join(', '));
  add('compute faults: message after an out-of-memory death', (messages.get('oom') ?? '').slice(0, 120));
  add('compute faults: next job succeeded / its time median, max (ms, incl. restart)', `${recovery.length} of ${faults.length} / ${recovery[recovery.length >> 1]?.toFixed(0)}, ${recovery.at(-1)?.toFixed(0)}`);
  add('compute faults: database integrity afterwards / candidates still saved', `${String(service.db.pragma('integrity_check', { simple: true }))} / ${(await service.saveCandidate({ name: 'after faults', declaration: 'Water, Glycerin' })).id > 0 ? 'yes' : 'no'}`);
  await service.compute.close();
  service.close();
  rmSync(dir, { recursive: true, force: true });
}

if (want('csv')) {
  // CSV export round trip: 10,000 hostile cells.
  const r = await csvRoundTrip(10_000, 1);
  add('CSV round trip: cells / rows / bytes', `${r.cells} / ${r.rows} / ${r.bytes}`);
  add('CSV round trip: read back differently / formula triggers left / neutralised', `${r.mismatches.length} / ${r.triggersLeft} / ${r.neutralised}`);
  add('CSV round trip: time (ms)', r.ms.toFixed(0));
}

if (want('kill')) {
  // kill -9 at random moments, 100 runs each; the import is a 50,000-row synthetic catalog.
  const dir = mkdtempSync(join(tmpdir(), 'lf-kill-csv-'));
  const csv = join(dir, 'synthetic-50000.csv');
  const written = await writeSyntheticCatalog(csv, 50_000);
  add('kill -9: the import file', `${written.rows} rows, ${(written.bytes / 1048576).toFixed(1)} MiB (synthetic, from the knowledge base)`);
  for (const run of [() => killDuringImport(100, csv), () => killDuringSaves(100), () => killDuringMigration(100), () => killDuringModelSave(100)]) {
    const r = await run();
    add(`kill -9 during ${r.scenario}: runs / all checks held / integrity_check ok / killed before it finished`, `${r.runs} / ${r.ok} / ${r.integrityOk} / ${r.killedMidway}`);
    add(`kill -9 during ${r.scenario}: detail`, r.detail);
    if (r.failures.length) add(`kill -9 during ${r.scenario}: FAILURES`, r.failures.slice(0, 5).join('; '));
  }
  rmSync(dir, { recursive: true, force: true });
  const orphan = await killLeavesNoOrphan(20);
  const exits = [...orphan.exitMs].sort((a, b) => a - b);
  add('kill -9 of the app with the compute process busy or idle: runs / orphans left', `${orphan.runs} / ${orphan.orphans}`);
  add('kill -9 of the app: the compute process gone after, median / max (ms)', `${exits[exits.length >> 1]?.toFixed(0)} / ${exits.at(-1)?.toFixed(0)}`);
}

if (want('corrupt')) {
  for (const [k, v] of await corruptionRuns(100, 1)) add(k, v);
}

if (want('disk')) {
  const volumes: ('page-limit' | 'tmpfs')[] = canMountTmpfs() ? ['page-limit', 'tmpfs'] : ['page-limit'];
  if (volumes.length === 1) add('disk full: tmpfs runs', 'skipped: this process cannot mount a tmpfs (needs root)');
  for (const volume of volumes) {
    const r = await diskFullRun(volume, sephoraCsvPath());
    add(`disk full (${volume}): outcome per operation`, Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', '));
    add(`disk full (${volume}): saves that still fit before one was refused`, r.savesBeforeFull);
    add(`disk full (${volume}): integrity / products unchanged / candidates intact / old model loads / old export intact / partial files`, `${r.checks.integrity} / ${r.checks.productsUnchanged} / ${r.checks.candidatesIntact} / ${r.checks.oldModelLoads} / ${r.checks.oldExportIntact} / ${r.checks.partialFilesLeft}`);
    add(`disk full (${volume}): after freeing space imported / saved / exported`, `${r.afterwards.imported} / ${r.afterwards.saved} / ${r.afterwards.exported}`);
    add(`disk full (${volume}): the import's message`, r.messages.importCatalog ?? '(none)');
    if (r.failures.length) add(`disk full (${volume}): FAILURES`, r.failures.join('; '));
  }
  if (volumes.includes('tmpfs')) {
    const config = presetConfig('quick', { hidden: 32, latentDim: 8, headHidden: 8, maxEpochs: 1, batchSize: 16, seed: 2 });
    const m = await modelSaveOnFullDisk((modelsDir) => ({ kind: 'train', data: syntheticTrainingData(60), config, preset: 'quick', modelsDir, folder: 'm' }));
    add('disk full: model store alone full → code / partial folders left', `${m.code} / ${m.leftovers.length}`);
  }
}

if (want('corpus')) {
  const r = await hostileCsvCorpus({ bigFiles: true });
  for (const [k, v] of r.rows) add(`hostile CSV: ${k}`, v);
  add('hostile CSV: files failing the bar', r.failures.length ? r.failures.join('; ') : 'none');
}

if (want('soak')) {
  const { service, close } = await openTestService();
  await service.loadSampleCatalog();
  const r = await soak(service, 100);
  const t = (s: typeof r.baseline) => `${s.processes} processes, ${s.threads} threads, ${s.fds} fds, service ${s.serviceRssMb.toFixed(0)} MiB + compute ${s.computeRssMb.toFixed(0)} MiB`;
  add('soak (100 jobs: train quick, generate 10k, optimise; sample catalog): baseline after job 3', t(r.baseline));
  add('soak: after job 100', t(r.final));
  add('soak: resident memory, mean of jobs 4–12 → mean of the last 9 (MiB) / growth', `${r.rssEarlyMb.toFixed(0)} → ${r.rssLateMb.toFixed(0)} / ${(100 * r.rssGrowth).toFixed(1)} %`);
  add('soak: service heap used, same windows / growth', `${(100 * r.heapGrowth).toFixed(1)} %`);
  add('soak: median job time train / generate / optimise (ms)', `${r.medianMs.train?.toFixed(0)} / ${r.medianMs.generate?.toFixed(0)} / ${r.medianMs.optimise?.toFixed(0)}`);
  add('soak: failures', r.failures.length ? r.failures.join('; ') : 'none');
  await close();
}

if (want('scale')) {
  const steps: ScaleStep[] = [];
  for (const n of [1_000, 10_000, 50_000]) {
    const s = await scaleStep(n, { browser: n === 50_000, log: (line) => process.stdout.write(`${line}\n`) });
    steps.push(s);
    add(`scale ${n}: CSV / import s (event-loop p99 ms) / service peak MiB`, `${s.csvMb.toFixed(1)} MiB / ${s.importS.toFixed(1)} (${s.importLoopP99Ms.toFixed(0)}) / ${s.importPeakServiceMb.toFixed(0)}`);
    add(`scale ${n}: full training s / epochs / compute peak MiB / service peak MiB`, `${s.trainS.toFixed(0)} / ${s.trainEpochs} / ${s.trainPeakComputeMb.toFixed(0)} / ${s.trainPeakServiceMb.toFixed(0)}`);
    add(`scale ${n}: held out`, `${s.heldOut.reconstruction}; ${s.heldOut.benefitMae}`);
    add(`scale ${n}: generate 10k s / compute peak MiB / passed of 1,000`, `${s.generateS.toFixed(1)} / ${s.generatePeakComputeMb.toFixed(0)} / ${s.generatePassed}`);
    add(`scale ${n}: generate stages (ms)`, Object.entries(s.generateStagesMs).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', '));
    add(`scale ${n}: map data (latentMap + mapProducts) s / payload MiB`, `${s.mapDataS.toFixed(1)} / ${s.mapPayloadMb.toFixed(1)}`);
    if (s.map) {
      const f = (x: { p50: number; p95: number; max: number }) => `${x.p50}/${x.p95}/${x.max}`;
      add(`scale ${n}: map in Chromium: open s / first render ms`, `${s.map.openS.toFixed(1)} / ${s.map.firstRenderMs.toFixed(0)}`);
      add(`scale ${n}: map frame interval p50/p95/max ms: idle, hover, wheel zoom, box zoom + reset`, `${f(s.map.idle)}, ${f(s.map.hover)}, ${f(s.map.zoom)}, ${f(s.map.relayout)}`);
    }
  }
  const [a, b, c] = steps;
  const growth = (pick: (s: ScaleStep) => number) => `${(pick(b!) / pick(a!)).toFixed(1)}× / ${(pick(c!) / pick(a!)).toFixed(1)}×`;
  add('scale growth 1k → 10k / 50k: import time', growth((s) => s.importS));
  add('scale growth 1k → 10k / 50k: training time', growth((s) => s.trainS));
  add('scale growth 1k → 10k / 50k: generate time', growth((s) => s.generateS));
  add('scale growth 1k → 10k / 50k: compute peak memory', growth((s) => Math.max(s.trainPeakComputeMb, s.generatePeakComputeMb)));
}

// Issue 17: each section prints its own figures (full versions here; the short ones run in npm test).
if (want('instances')) await instancesSection(add, true);
if (want('writers')) await writersSection(add, true);
if (want('fallbacks')) await fallbacksSection(add, true);
if (want('suspend')) await suspendSection(add, true);
if (want('kill-new')) await killNewPathsSection(add, true);
if (want('storage')) await storageLocationSection(add, true);

process.stdout.write(`\n== reliability (Node ${process.version}, ${process.platform}/${process.arch}; sections: ${asked.length ? asked.join(', ') : 'all'}; ${((performance.now() - started) / 60000).toFixed(1)} min)\n`);
for (const [k, v] of figures) process.stdout.write(`  ${k.padEnd(90)} ${v}\n`);
