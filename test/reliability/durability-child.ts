import { join } from 'node:path';
import { openDatabase } from '../../src/main/db/connection';
import { getActiveModel, getModelVocabulary, getProductCodes, insertModel } from '../../src/main/db/queries/models';
import { loadModel, saveModel } from '../../src/main/ml/store';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';

/**
 * The process that `durability.ts` kills with SIGKILL at a random moment. Modes:
 *   import DB CSV  — imports the file (one transaction);
 *   save DB        — saves candidates in a loop, printing "ack ID" after each save returns;
 *   migrate DB     — opens (and so migrates) an older database;
 *   compute DB busy|idle — trains models in the compute process over and over, or once and waits;
 *   model DB       — saves copies of the active model as new models in a loop (the model store's
 *                    write-then-rename, then the database record that activates it), printing
 *                    "ack ID" after each is recorded.
 * It prints "ready" once the database is open, so the parent times the kill from there.
 */
const [mode, db, file] = process.argv.slice(2);
if (mode === 'migrate') {
  process.stdout.write('ready\n');
  const opened = await openDatabase(db!);
  process.stdout.write(`done ${opened.schemaVersion}\n`);
  opened.db.close();
} else {
  const service = await FormulatorService.open({ databasePath: db!, resourcesDir: resolveResourcesDir() });
  process.stdout.write('ready\n');
  if (mode === 'import') {
    const report = await service.importCatalog({ path: file! });
    process.stdout.write(`done ${report.productsInserted}\n`);
  } else if (mode === 'compute') {
    // Busy in the compute process (training) or idle between jobs when the kill comes.
    await service.loadSampleCatalog();
    await service.compute.start();
    if (file === 'idle') {
      await service.trainModel({ preset: 'quick', seed: 1 });
      process.stdout.write('computing\n');
      await new Promise(() => undefined);
    }
    process.stdout.write('computing\n');
    for (let seed = 1; ; seed++) await service.trainModel({ preset: 'quick', seed });
  } else if (mode === 'model') {
    const active = getActiveModel(service.db)!;
    const source = loadModel(join(service.modelsDir, active.folder), active.manifestSha256);
    const vocabulary = getModelVocabulary(service.db, active.id)!;
    const codes = getProductCodes(service.db, active.id, source.manifest.shape.latent);
    const { tensors: _t, files: _f, format: _fo, version: _v, ...manifest } = source.manifest;
    for (let i = 1; ; i++) {
      const folder = `model-kill-${process.pid}-${i}`;
      const saved = saveModel(service.modelsDir, folder, { vocabulary: source.vocabulary, weights: source.weights, manifest: { ...manifest, createdAt: new Date().toISOString() } });
      const { id: _id, active: _a, ...record } = active;
      const id = insertModel(service.db, { ...record, name: `copy ${i}`, folder, manifestSha256: saved.manifestSha256 }, vocabulary, true, codes);
      process.stdout.write(`ack ${id}\n`);
    }
  } else if (mode === 'save') {
    for (let i = 1; ; i++) {
      const saved = await service.saveCandidate({ name: `durable ${i}`, declaration: 'Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol', notes: `note ${i}`, tags: ['kill-test'] });
      process.stdout.write(`ack ${saved.id}\n`);
    }
  }
  service.close();
}
