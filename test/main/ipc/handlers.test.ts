import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '../../../src/shared/api/methods';
import type { Api } from '../../../src/shared/api';

/**
 * The Electron IPC layer without Electron: ipcMain and dialog are stand-ins that record the
 * handlers, so forged and malformed calls can be sent exactly as a compromised page would.
 */
const handlers = new Map<string, (event: unknown, arg: unknown) => Promise<ApiResult<unknown>>>();
const dialogAnswer: { canceled: boolean; filePaths: string[] } = { canceled: false, filePaths: [] };
const saveAnswer: { canceled: boolean; filePath?: string } = { canceled: true };
const saveDialogs: unknown[] = [];
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, arg: unknown) => Promise<ApiResult<unknown>>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  BrowserWindow: { fromWebContents: () => null },
  dialog: {
    showOpenDialog: async () => dialogAnswer,
    showSaveDialog: async (options: unknown) => {
      saveDialogs.push(options);
      return saveAnswer;
    },
  },
}));

const { registerIpcHandlers } = await import('../../../src/main/ipc/handlers');
const { ipcChannel } = await import('../../../src/shared/api/methods');
const { decideWindowOpen } = await import('../../../src/main/security');

const TRUSTED = 'file:///app/out/renderer/index.html';
const calls: string[] = [];
/** A service that records which methods were reached. */
const api = new Proxy({} as Api, {
  get: (_t, method: string) => async (arg: unknown) => {
    calls.push(method);
    return { echoed: arg ?? null };
  },
});
const send = (method: string, arg: unknown, url = TRUSTED) => handlers.get(ipcChannel(method as never))!({ senderFrame: { url }, sender: {} }, arg);

let allowedImports: Set<string>;
beforeEach(() => {
  handlers.clear();
  calls.length = 0;
  allowedImports = new Set();
  registerIpcHandlers(api, (url) => url === TRUSTED, allowedImports, new Set());
});

describe('IPC handlers', () => {
  it('refuse every call from a frame that is not the app, before reaching the service', async () => {
    for (const url of ['https://evil.example/', 'file:///tmp/other.html', '', `${TRUSTED}.evil`]) {
      expect(await send('getStatus', undefined, url)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuse malformed arguments with the field named, before reaching the service', async () => {
    const forged: [string, unknown][] = [
      ['getProduct', { id: 'DROP TABLE products' }],
      ['getProduct', { id: 1, extra: true }],
      ['listProducts', { limit: 10 ** 9 }],
      ['trainModel', { preset: 'huge' }],
      ['cancelActivity', { id: -1 }],
      ['generate', { n: 1e12 }],
      ['getStatus', { unexpected: 1 }],
    ];
    for (const [method, arg] of forged) {
      const result = await send(method, arg);
      expect(result, method).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    }
    expect(calls).toEqual([]);
  });

  it('accept a well-formed call from the app', async () => {
    expect(await send('getProduct', { id: 3 })).toEqual({ ok: true, value: { echoed: { id: 3 } } });
    expect(calls).toEqual(['getProduct']);
  });

  it('import and preview only files chosen in the Open dialog', async () => {
    expect(await send('previewImport', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send('importCatalog', { path: '/home/me/catalog.csv' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    dialogAnswer.canceled = true;
    expect(await send('chooseImportFile', undefined)).toEqual({ ok: true, value: null });
    dialogAnswer.canceled = false;
    dialogAnswer.filePaths = ['/home/me/catalog.csv'];
    expect(await send('chooseImportFile', undefined)).toEqual({ ok: true, value: { path: '/home/me/catalog.csv' } });
    expect(await send('previewImport', { path: '/home/me/catalog.csv' })).toMatchObject({ ok: true });
    expect(await send('importCatalog', { path: '/home/me/catalog.csv' })).toMatchObject({ ok: true });
    expect(calls).toEqual(['previewImport', 'importCatalog']);
  });

  it('write an export only to a path chosen in a dialog', async () => {
    expect(await send('exportCandidatesCsv', { ids: [1], path: '/home/me/.bashrc' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('write an export to the path chosen in the Save dialog, and nowhere when it is cancelled', async () => {
    saveDialogs.length = 0;
    saveAnswer.canceled = true;
    expect(await send('chooseExportPath', { defaultName: 'shortlist-2025-03-01.csv' })).toEqual({ ok: true, value: null });
    expect(await send('exportCandidatesCsv', { ids: [1], path: '/home/me/shortlist.csv' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    saveAnswer.canceled = false;
    saveAnswer.filePath = '/home/me/shortlist.csv';
    expect(await send('chooseExportPath', undefined)).toEqual({ ok: true, value: { path: '/home/me/shortlist.csv' } });
    expect(saveDialogs).toEqual([
      { title: 'Export', defaultPath: 'shortlist-2025-03-01.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] },
      { title: 'Export', defaultPath: 'shortlist.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] },
    ]);
    expect(await send('exportCandidatesCsv', { ids: [1, 2], path: '/home/me/shortlist.csv' })).toEqual({ ok: true, value: { echoed: { ids: [1, 2], path: '/home/me/shortlist.csv' } } });
    expect(calls).toEqual(['exportCandidatesCsv']);
  });

  it('offer an Excel filter for an .xlsx export, and write the workbook only where the dialog chose', async () => {
    saveDialogs.length = 0;
    saveAnswer.canceled = false;
    saveAnswer.filePath = '/home/me/results.xlsx';
    expect(await send('exportLabResultsXlsx', { path: '/home/me/results.xlsx' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send('chooseExportPath', { defaultName: 'lab-results.xlsx' })).toEqual({ ok: true, value: { path: '/home/me/results.xlsx' } });
    expect(saveDialogs).toEqual([{ title: 'Export', defaultPath: 'lab-results.xlsx', filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }] }]);
    expect(await send('exportLabResultsXlsx', { path: '/home/me/results.xlsx' })).toMatchObject({ ok: true });
    expect(await send('exportCandidatesXlsx', { path: '/home/me/.profile' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual(['exportLabResultsXlsx']);
  });

  it('import past lab results only from a file chosen in the Open dialog', async () => {
    expect(await send('importLabResults', { path: '/home/me/history.xlsx' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send('previewLabResults', { path: '/home/me/history.xlsx' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    dialogAnswer.canceled = false;
    dialogAnswer.filePaths = ['/home/me/history.xlsx'];
    expect(await send('chooseLabResultsFile', undefined)).toEqual({ ok: true, value: { path: '/home/me/history.xlsx' } });
    expect(await send('previewLabResults', { path: '/home/me/history.xlsx', sheet: 'Viscosity' })).toMatchObject({ ok: true });
    expect(await send('importLabResults', { path: '/home/me/history.xlsx', sheet: 'Viscosity' })).toMatchObject({ ok: true });
    expect(calls).toEqual(['previewLabResults', 'importLabResults']);
  });

  it('refuse a default export name that is a path, without showing a dialog', async () => {
    saveDialogs.length = 0;
    expect(await send('chooseExportPath', { defaultName: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('a file name, not a path') } });
    expect(saveDialogs).toEqual([]);
  });
});

describe('new windows', () => {
  it('are never opened; only https links go to the system browser', () => {
    expect(decideWindowOpen('https://example.org/inci')).toEqual({ action: 'deny', openExternally: true });
    for (const url of ['http://example.org', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'not a url']) {
      expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternally: false });
    }
  });
});
