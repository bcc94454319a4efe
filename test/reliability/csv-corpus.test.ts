import { describe, expect, it } from 'vitest';
import { hostileCsvCorpus, measureEventLoop } from './csv-corpus';

/**
 * The short version of `npm run reliability`'s hostile CSV corpus (which adds the 1 GiB file of
 * valid rows, the 500 MB field, valid rows up to the 512 MiB limit, 10 million blank lines and a
 * million rejected rows). Each file is checked inside `hostileCsvCorpus` against what was
 * written; `failures` lists every miss.
 */
describe('hostile CSV corpus', () => {
  it('the event-loop probe sees a 150 ms block', async () => {
    const blocked = await measureEventLoop(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      const until = performance.now() + 150;
      while (performance.now() < until);
      await new Promise((resolve) => setTimeout(resolve, 30));
    });
    expect(blocked.probeMaxGapMs).toBeGreaterThanOrEqual(150);
    expect(blocked.loopMaxMs).toBeGreaterThanOrEqual(150);
    const idle = await measureEventLoop(() => new Promise((resolve) => setTimeout(resolve, 100)));
    expect(idle.loopMaxMs).toBeLessThan(100);
  });

  it('every file gives a correct import or a clear, located error, leaves the database unchanged on an error, and keeps the event loop p99 under 100 ms', async () => {
    const { rows, failures } = await hostileCsvCorpus({ bigFiles: false });
    expect(failures).toEqual([]);
    const outcome = Object.fromEntries(rows.map(([label, value]) => [label.replace(/^CSV corpus: (\S+).*$/, '$1'), value.split(/[:| ]/)[0]]));
    expect(outcome).toEqual({
      'utf8-bom.csv': 'imported',
      'utf16le-bom.csv': 'imported',
      'utf16be-no-bom.csv': 'imported',
      'windows-1252.csv': 'imported',
      'invalid-utf8-middle.csv': 'refused',
      'unterminated-quote.csv': 'refused',
      'uneven-rows.csv': 'imported',
      'duplicate-headers.csv': 'imported',
      'no-header.csv': 'refused',
      'empty.csv': 'refused',
      'header-only.csv': 'refused',
      'blank-lines-only.csv': 'refused',
      'field-12MB.csv': 'refused',
      'million-columns.csv': 'refused',
      'sparse-1GiB.csv': 'refused',
      'random-bytes.csv': 'refused',
      'random-bytes-no-nul.csv': 'refused',
      'image.png.csv': 'refused',
      'archive.zip.csv': 'refused',
      'formula-cells.csv': 'imported',
      'html-names.csv': 'imported',
      'crlf.csv': 'imported',
      'cr-only.csv': 'imported',
      'semicolon-decimal-comma.csv': 'imported',
      'empty-rows.csv': 'imported',
      'wide-4999-columns.csv': 'imported',
      'huge-declaration.csv': 'imported',
      'catalog.json.csv': 'refused',
      'a-folder.csv': 'refused',
      'missing.csv': 'refused',
      'unreadable.csv': process.getuid?.() === 0 ? 'skipped' : 'refused',
    });
  }, 180_000);
});
