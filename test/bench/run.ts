import { benchBo } from './bo';
import { benchBriefs } from './briefs';
import { benchCatalogs } from './catalogs';
import { benchEditor } from './editor';
import { benchFormula } from './formula';
import { benchImport } from './import';
import { benchGenerate } from './generate';
import { benchModel } from './model';
import { benchNames } from './names';
import { benchOptimize } from './optimize';
import { benchResponsiveness } from './responsiveness';
import { benchXlsx } from './xlsx';

/** `npm run bench`: prints every benchmark figure. Never a timed test. */
const sections: [string, () => Promise<Record<string, number | string>>][] = [
  ['import', benchImport],
  ['names', benchNames],
  ['model', benchModel],
  ['generate', benchGenerate],
  ['responsiveness', benchResponsiveness],
  ['editor', benchEditor],
  ['optimize', benchOptimize],
  ['bo', benchBo],
  ['briefs', benchBriefs],
  ['catalogs', benchCatalogs],
  ['xlsx', benchXlsx],
  ['formula', benchFormula],
];
const only = process.argv[2];
for (const [name, run] of sections) {
  if (only && only !== name) continue;
  process.stdout.write(`\n== ${name} (Node ${process.version}, ${process.platform}/${process.arch})\n`);
  const figures = await run();
  for (const [k, v] of Object.entries(figures)) process.stdout.write(`  ${k.padEnd(66)} ${v}\n`);
}
