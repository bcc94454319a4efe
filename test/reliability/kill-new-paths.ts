import { sephoraCsvPath } from '../data';
import {
  killDuringBriefSaves,
  killDuringCatalogDelete,
  killDuringFormulaSaves,
  killDuringFullModelSave,
  killDuringLabImport,
  killDuringXlsxExports,
  type KillReport,
} from './durability';

/**
 * Issue 17, items 5 and 7: kill -9 at random moments during the write paths added since the first
 * kill runs (saving and editing briefs, a bulk lab-results import, deleting a catalog, saving a
 * draft formula with a candidate version, writing XLSX exports) and during the save of a model of
 * the full preset's size. 100 runs each when `full`, else 4 (the catalog deleted in even runs is
 * then 5,000 synthetic products instead of 20,000). Prints as the kill section of run.ts does.
 */
export async function killNewPathsSection(add: (label: string, value: string | number) => void, full: boolean): Promise<void> {
  const runs = full ? 100 : 4;
  const scenarios: (() => Promise<KillReport>)[] = [
    () => killDuringBriefSaves(runs),
    () => killDuringLabImport(runs),
    () => killDuringCatalogDelete(runs, 1, full ? 20_000 : 5_000),
    () => killDuringFormulaSaves(runs),
    () => killDuringXlsxExports(runs),
    () => killDuringFullModelSave(runs, sephoraCsvPath()),
  ];
  for (const scenario of scenarios) {
    const started = performance.now();
    const r = await scenario();
    add(`kill -9 during ${r.scenario}: runs / all checks held / integrity_check ok / killed before it finished`, `${r.runs} / ${r.ok} / ${r.integrityOk} / ${r.killedMidway}`);
    add(`kill -9 during ${r.scenario}: detail`, `${r.detail} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    if (r.failures.length) add(`kill -9 during ${r.scenario}: FAILURES`, r.failures.slice(0, 5).join('; '));
  }
}
