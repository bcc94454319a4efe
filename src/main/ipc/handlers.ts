import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { API_METHODS, FILE_READING_METHODS, FILE_WRITING_METHODS, ipcChannel, type ApiResult } from '../../shared/api/methods';
import { parseApiArgs, type Api } from '../../shared/api';
import { writeFileAtomically } from '../atomic-file';
import { dispatchApiCall } from './dispatch';

/**
 * Binds every contract method to an IPC channel. Each call's sender frame must be the app's own
 * renderer (checked by URL) and its argument is validated against the contract's schema.
 * Import paths must come from a file dialog shown by this process (`allowedImportPaths`), and
 * so must export paths (`allowedExportPaths`): a page may not choose which file gets written.
 */
export function registerIpcHandlers(
  api: Api,
  isTrustedUrl: (url: string) => boolean,
  allowedImportPaths: Set<string>,
  allowedExportPaths: Set<string> = new Set(),
): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), async (event: IpcMainInvokeEvent, arg: unknown): Promise<ApiResult<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedUrl(url)) return { ok: false, error: { code: 'forbidden', message: `call to ${method} from an untrusted page (${url.slice(0, 100)}) refused` } };
      if (method === 'chooseImportFile') return chooseImportFile(event, allowedImportPaths, CATALOG_DIALOG);
      if (method === 'chooseLabResultsFile') return chooseImportFile(event, allowedImportPaths, LAB_RESULTS_DIALOG);
      if (method === 'chooseExportPath') return chooseExportPath(event, arg, allowedExportPaths);
      if (method === 'printToPdf') return printToPdf(event, arg);
      if (FILE_READING_METHODS.includes(method)) {
        const path = (arg as { path?: unknown } | null)?.path;
        if (typeof path !== 'string' || !allowedImportPaths.has(path)) {
          return { ok: false, error: { code: 'forbidden', message: 'import a file through the Import dialog; a path typed by a page is not accepted' } };
        }
      }
      if (FILE_WRITING_METHODS.includes(method)) {
        const path = (arg as { path?: unknown } | null)?.path;
        if (typeof path !== 'string' || !allowedExportPaths.has(path)) {
          return { ok: false, error: { code: 'forbidden', message: 'export through the Export dialog; a path typed by a page is not accepted' } };
        }
      }
      return dispatchApiCall(api, method, arg);
    });
  }
  return () => API_METHODS.forEach((m) => ipcMain.removeHandler(ipcChannel(m)));
}

const CATALOG_DIALOG = { title: 'Import a catalog', filters: [{ name: 'Catalogs (CSV, Excel, JSON)', extensions: ['csv', 'tsv', 'txt', 'xlsx', 'json'] }] };
const LAB_RESULTS_DIALOG = { title: 'Import past lab results', filters: [{ name: 'Results (CSV, Excel)', extensions: ['csv', 'tsv', 'txt', 'xlsx'] }] };

/** The system's Open dialog, attached to the calling window; the chosen path becomes importable. */
async function chooseImportFile(event: IpcMainInvokeEvent, allowedImportPaths: Set<string>, dialogFor: typeof CATALOG_DIALOG): Promise<ApiResult<unknown>> {
  const window = BrowserWindow.fromWebContents(event.sender);
  const options = {
    title: dialogFor.title,
    properties: ['openFile' as const],
    filters: [...dialogFor.filters, { name: 'All files', extensions: ['*'] }],
  };
  const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  const path = picked.filePaths[0];
  if (picked.canceled || !path) return { ok: true, value: null };
  allowedImportPaths.add(path);
  return { ok: true, value: { path } };
}

/** The system's Save dialog, attached to the calling window; the chosen path becomes writable by the export methods (FILE_WRITING_METHODS). */
async function chooseExportPath(event: IpcMainInvokeEvent, arg: unknown, allowedExportPaths: Set<string>): Promise<ApiResult<unknown>> {
  let defaultName: string;
  try {
    ({ defaultName } = parseApiArgs('chooseExportPath', arg));
  } catch (error) {
    return { ok: false, error: { code: 'invalid-argument', message: (error as Error).message } };
  }
  const window = BrowserWindow.fromWebContents(event.sender);
  // The filter follows the name offered: an Excel workbook for .xlsx, CSV otherwise.
  const filters = defaultName.toLowerCase().endsWith('.xlsx') ? [{ name: 'Excel workbook', extensions: ['xlsx'] }] : [{ name: 'CSV', extensions: ['csv'] }];
  const options = { title: 'Export', defaultPath: defaultName, filters };
  const picked = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (picked.canceled || !picked.filePath) return { ok: true, value: null };
  allowedExportPaths.add(picked.filePath);
  return { ok: true, value: { path: picked.filePath } };
}

/**
 * The calling window as a PDF, with its print styles (an open formula sheet prints alone), to a
 * file chosen in the system's Save dialog, written atomically; null when the dialog is cancelled.
 */
async function printToPdf(event: IpcMainInvokeEvent, arg: unknown): Promise<ApiResult<unknown>> {
  let defaultName: string;
  try {
    ({ defaultName } = parseApiArgs('printToPdf', arg));
  } catch (error) {
    return { ok: false, error: { code: 'invalid-argument', message: (error as Error).message } };
  }
  const window = BrowserWindow.fromWebContents(event.sender);
  const options = { title: 'Save as PDF', defaultPath: defaultName, filters: [{ name: 'PDF', extensions: ['pdf'] }] };
  const picked = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (picked.canceled || !picked.filePath) return { ok: true, value: null };
  try {
    const pdf = await event.sender.printToPDF({ printBackground: true, pageSize: 'A4' });
    writeFileAtomically(picked.filePath, pdf);
  } catch (error) {
    return { ok: false, error: { code: 'export-failed', message: `the PDF could not be written to ${picked.filePath}: ${(error as Error).message}; nothing was written` } };
  }
  return { ok: true, value: { path: picked.filePath } };
}
