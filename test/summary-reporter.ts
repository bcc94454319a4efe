import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints why each test skipped itself (`ctx.skip(note)`, e.g. the Electron smoke test where the
 * binary is missing), one line each, then one plain closing line, "N passed, N failed, N skipped",
 * that any CI can read.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const notes: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed++;
        else if (result.state === 'failed') failed++;
        else {
          skipped++;
          if (result.state === 'skipped' && result.note) notes.push(`skipped: ${result.note}`);
        }
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    if (notes.length > 0) process.stdout.write(`\n${notes.join('\n')}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
