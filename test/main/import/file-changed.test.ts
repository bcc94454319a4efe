import { renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFileUnchanged, fileIdentity, ImportError } from '../../../src/main/import/catalog-file';
import { readTableFile } from '../../../src/main/import/table-file';
import { FormulatorService } from '../../../src/main/services/formulator-service';
import { tempDir, writeFixtureResources } from '../../helpers';
import { writeSyntheticCatalog } from '../../reliability/synth-catalog';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('checkFileUnchanged', () => {
  it('passes a file read whole and unchanged, and names each way a file can change under a read', async () => {
    const path = join(dir, 'a.csv');
    writeFileSync(path, 'Name,Ingredients\nA,"Water, Glycerin"\n');
    const before = await fileIdentity(path);
    await expect(checkFileUnchanged(path, before, ' Nothing was imported.', before.size)).resolves.toBeUndefined();
    await expect(checkFileUnchanged(path, before, '', before.size - 3)).rejects.toThrow(`${path} changed while it was being read: ${before.size - 3} of its ${before.size} bytes could be read`);
    truncateSync(path, 10);
    await expect(checkFileUnchanged(path, before, ' Nothing was imported.')).rejects.toThrow(/it was \d+ bytes when the import began and is 10 bytes now\. Wait until .* Nothing was imported\./);
    const other = join(dir, 'b.csv');
    writeFileSync(other, 'x');
    renameSync(other, path);
    await expect(checkFileUnchanged(path, before, '')).rejects.toThrow('was replaced by another file while it was being read');
    rmSync(path);
    await expect(checkFileUnchanged(path, before, '')).rejects.toBeInstanceOf(ImportError);
    await expect(checkFileUnchanged(path, before, '')).rejects.toThrow('was removed or moved while it was being read');
  });
});

describe('an import whose file changes while it is read', () => {
  it('a catalog cut short mid-import (a sync tool rewriting it): refused naming the file, nothing imported', async () => {
    const csv = join(dir, 'big.csv');
    const { bytes } = await writeSyntheticCatalog(csv, 20_000);
    let cutAt = 0;
    const service = await FormulatorService.open({
      databasePath: join(dir, 'app.db'),
      resourcesDir: writeFixtureResources(dir),
      onImportProgress: (p) => {
        if (!cutAt && (p.bytesRead ?? 0) > bytes / 4) {
          cutAt = p.bytesRead!;
          truncateSync(csv, Math.floor(bytes / 2));
        }
      },
    });
    try {
      const error = await service.importCatalog({ path: csv }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(cutAt).toBeGreaterThan(0);
      expect(error?.message).toContain(`${csv} changed while it was being read`);
      expect(error?.message).toMatch(/Nothing was imported\.$/);
      expect(service.db.prepare('SELECT count(*) FROM products').pluck().get()).toBe(0);
      expect(service.db.prepare('SELECT count(*) FROM catalogs').pluck().get()).toBe(0);
    } finally {
      await service.compute.close();
      service.close();
    }
  }, 60_000);

  it('a lab-results table truncated before it is read to the end is refused by its size', async () => {
    const path = join(dir, 'lab.csv');
    writeFileSync(path, `Candidate,Property,Value\n${'1,viscosity,3\n'.repeat(2000)}`);
    const before = await fileIdentity(path);
    const table = await readTableFile(path, { maxRows: 10_000, suffix: ' Nothing was imported.' });
    expect(table.rows.length).toBe(2000);
    truncateSync(path, before.size - 5);
    await expect(checkFileUnchanged(path, before, ' Nothing was imported.')).rejects.toThrow(/Nothing was imported\.$/);
  });
});
