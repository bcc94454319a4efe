import { openDatabase } from '../../src/main/db/connection';
import { resolveResourcesDir } from '../../src/main/resources';
import { FormulatorService } from '../../src/main/services/formulator-service';

/**
 * The process that `durability.ts` kills with SIGKILL at a random moment. Modes:
 *   import DB CSV  — imports the file (one transaction);
 *   save DB        — saves candidates in a loop, printing "ack ID" after each save returns;
 *   migrate DB     — opens (and so migrates) an older database.
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
  } else if (mode === 'save') {
    for (let i = 1; ; i++) {
      const saved = await service.saveCandidate({ name: `durable ${i}`, declaration: 'Water, Glycerin, Niacinamide, Panthenol, Phenoxyethanol', notes: `note ${i}`, tags: ['kill-test'] });
      process.stdout.write(`ack ${saved.id}\n`);
    }
  }
  service.close();
}
