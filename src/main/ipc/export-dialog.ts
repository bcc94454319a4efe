import { join } from 'node:path';
import { parseApiArgs, type Api, type ApiArgs } from '../../shared/contract';

/** The part of Electron's save dialog this needs (so it can be tested without a window). */
export type ShowSaveDialog = (options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }) => Promise<{ canceled: boolean; filePath?: string }>;

/**
 * `chooseExportPath` for the Electron shell: the person picks the file in the main process's save
 * dialog, and only a path picked there is added to `allowed` (what `exportCandidatesCsv` may
 * write over IPC). A cancelled dialog answers `{ path: null }` and allows nothing.
 */
export function exportPathChooser(showSaveDialog: ShowSaveDialog, allowed: Set<string>, defaultFolder: string): Api['chooseExportPath'] {
  return async (args?: ApiArgs['chooseExportPath']) => {
    const { defaultName } = parseApiArgs('chooseExportPath', args);
    const chosen = await showSaveDialog({ title: 'Export candidates', defaultPath: join(defaultFolder, defaultName), filters: [{ name: 'CSV', extensions: ['csv'] }] });
    if (chosen.canceled || !chosen.filePath) return { path: null };
    allowed.add(chosen.filePath);
    return { path: chosen.filePath };
  };
}
