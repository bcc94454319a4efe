import { join } from 'node:path';
import type { SavedFormula } from '../../src/shared/api';
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
 *   brief DB       — saves design briefs in a loop, every tenth one new and the others an edit
 *                    that adds a version, printing "ack ID VERSION NOTE" after each;
 *   labs DB CSV    — imports a file of lab results (one transaction);
 *   delete DB ID   — deletes catalog ID (a checked backup first, then the rows in one transaction);
 *   formula DB     — saves candidates with a draft formula in a loop, new ones and new versions,
 *                    printing "ack ID VERSION NOTE" after each;
 *   xlsx DB FOLDER — saves a candidate, exports every candidate as XLSX to FOLDER/shortlist.xlsx
 *                    ("ack shortlist ID") and that candidate's formula sheet as XLSX to
 *                    FOLDER/formula.xlsx ("ack formula ID"), in a loop.
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
      const saved = saveModel(service.modelsDir, folder, { vocabulary: source.vocabulary, weights: source.weights, order: source.order, manifest: { ...manifest, createdAt: new Date().toISOString() } });
      const { id: _id, active: _a, ...record } = active;
      const id = insertModel(service.db, { ...record, name: `copy ${i}`, folder, manifestSha256: saved.manifestSha256 }, vocabulary, true, codes);
      process.stdout.write(`ack ${id}\n`);
    }
  } else if (mode === 'brief') {
    // The rules alternate between two maximum lengths by version (20 + version % 2), so every
    // edit changes the brief and adds a version, and the parent can check each version's body.
    const versions = new Map((await service.listBriefs()).map((b) => [b.name, b.version]));
    for (let i = 1; ; i++) {
      const names = [...versions.keys()];
      const name = names.length === 0 || i % 10 === 1 ? `brief ${process.pid}-${i}` : names[i % names.length]!;
      const version = (versions.get(name) ?? 0) + 1;
      const note = `save ${process.pid}-${i}`;
      const saved = await service.saveBrief({ name, note, brief: { include: ['Glycerin'], exclude: ['Phenoxyethanol'], minLength: 3, maxLength: 20 + (version % 2) } });
      versions.set(name, saved.version);
      process.stdout.write(`ack ${saved.id} ${saved.version} ${note}\n`);
    }
  } else if (mode === 'labs') {
    const report = await service.importLabResults({ path: file! });
    process.stdout.write(`done ${report.rowsImported} ${report.candidatesCreated.length}\n`);
  } else if (mode === 'delete') {
    const deleted = await service.deleteCatalog({ id: Number(file) });
    process.stdout.write(`done ${deleted.removed.products}\n`);
  } else if (mode === 'formula') {
    const lists = ['Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol', 'Water, Caprylic/Capric Triglyceride, Glycerin, Cetearyl Alcohol, Tocopherol, Xanthan Gum, Phenoxyethanol'];
    const formulas: SavedFormula[] = [];
    for (const declaration of lists) formulas.push(await draftFormulaFor(service, declaration));
    let previous: number | null = null;
    for (let i = 1; ; i++) {
      const k = i % lists.length;
      const note = `formula ${process.pid}-${i}`;
      // Each save moves a little from the first line to the second, so no two versions' formulas are alike.
      const lines = formulas[k]!.lines.map((l) => ({ ...l }));
      const shift = Math.min(lines[0]!.percent / 2, (i % 50) / 100);
      lines[0]!.percent = Number((lines[0]!.percent - shift).toFixed(4));
      lines[1]!.percent = Number((lines[1]!.percent + shift).toFixed(4));
      const args = { declaration: lists[k]!, changeNote: note, formula: { productType: 'leave-on' as const, lines, note } };
      // Every other save is a new version of the candidate saved before it (whose list may differ).
      const saved = await service.saveCandidate(previous !== null && i % 2 === 0 ? { id: previous, ...args } : { name: `drafted ${process.pid}-${i}`, ...args });
      previous = saved.id;
      process.stdout.write(`ack ${saved.id} ${saved.versions.at(-1)!.version} ${note}\n`);
    }
  } else if (mode === 'xlsx') {
    const lists = ['Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol', 'Water, Dimethicone, Glycerin, Cetearyl Alcohol, Tocopherol'];
    for (let i = 1; ; i++) {
      const saved = await service.saveCandidate({ name: `exported ${process.pid}-${i}`, declaration: lists[i % 2]!, notes: `export ${i}` });
      await service.exportCandidatesXlsx({ path: join(file!, 'shortlist.xlsx') });
      process.stdout.write(`ack shortlist ${saved.id}\n`);
      await service.exportFormula({ candidateId: saved.id, format: 'xlsx', path: join(file!, 'formula.xlsx') });
      process.stdout.write(`ack formula ${saved.id}\n`);
    }
  } else if (mode === 'save') {
    for (let i = 1; ; i++) {
      const saved = await service.saveCandidate({ name: `durable ${i}`, declaration: 'Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol', notes: `note ${i}`, tags: ['kill-test'] });
      process.stdout.write(`ack ${saved.id}\n`);
    }
  }
  service.close();
}

/** A draft formula for a list, as the editor saves it: the estimate, rounded, with the rounding put on the first line so it adds up to 100. */
async function draftFormulaFor(service: FormulatorService, declaration: string): Promise<SavedFormula> {
  const draft = await service.estimateFormula({ ingredients: declaration.split(', ') });
  const lines = draft.lines.map((l) => ({ percent: Number((l.estimate ?? 0).toFixed(2)), phase: l.phase ?? 'water', edited: false }));
  lines[0]!.percent = Number((100 - lines.slice(1).reduce((s, l) => s + l.percent, 0)).toFixed(2));
  return { productType: 'leave-on', lines, note: '' };
}
