import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../../src/shared/contract';

/** Export paths over IPC: only a path the person picked in the main process's save dialog may be written. */
const handlers = new Map<string, (event: unknown, arg: unknown) => Promise<unknown>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, arg: unknown) => Promise<unknown>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpcHandlers } = await import('../../../src/main/ipc/handlers');
const { exportPathChooser } = await import('../../../src/main/ipc/export-dialog');

const APP_URL = 'file:///app/out/renderer/index.html';
const call = (method: string, arg: unknown, url = APP_URL) => handlers.get(`api:${method}`)!({ senderFrame: { url } }, arg);

let dialogAnswer: { canceled: boolean; filePath?: string };
const dialog = vi.fn(async () => dialogAnswer);
const written = vi.fn(async (args: { path: string; ids?: number[] }) => ({ path: args.path, rows: args.ids?.length ?? 0 }));
let unregister: () => void;

beforeEach(() => {
  unregister?.();
  dialog.mockClear();
  written.mockClear();
  const allowed = new Set<string>();
  const service = {
    exportCandidatesCsv: written,
    chooseExportPath: async () => {
      throw new Error('the services must not be asked: the shell answers chooseExportPath');
    },
  } as unknown as Api;
  unregister = registerIpcHandlers(service, (url) => url === APP_URL, new Set(), allowed, { chooseExportPath: exportPathChooser(dialog, allowed, '/home/chemist/Documents') });
});

describe('choosing where to export over IPC', () => {
  it('refuses a path the page typed, and writes to a path picked in the save dialog', async () => {
    expect(await call('exportCandidatesCsv', { path: '/home/chemist/Documents/shortlist.csv', ids: [1] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    dialogAnswer = { canceled: false, filePath: '/home/chemist/Documents/shortlist.csv' };
    expect(await call('chooseExportPath', { defaultName: 'shortlist-2025-03-01.csv' })).toEqual({ ok: true, value: { path: '/home/chemist/Documents/shortlist.csv' } });
    expect(dialog).toHaveBeenCalledWith({ title: 'Export candidates', defaultPath: '/home/chemist/Documents/shortlist-2025-03-01.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] });
    expect(await call('exportCandidatesCsv', { path: '/home/chemist/Documents/shortlist.csv', ids: [1, 2] })).toEqual({ ok: true, value: { path: '/home/chemist/Documents/shortlist.csv', rows: 2 } });
    expect(written).toHaveBeenCalledTimes(1);
  });

  it('allows nothing when the dialog is cancelled', async () => {
    dialogAnswer = { canceled: true };
    expect(await call('chooseExportPath', undefined)).toEqual({ ok: true, value: { path: null } });
    expect(await call('exportCandidatesCsv', { path: '/home/chemist/Documents/shortlist.csv' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(written).not.toHaveBeenCalled();
  });

  it('refuses a default name that is a path, and a call from another page', async () => {
    expect(await call('chooseExportPath', { defaultName: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('a file name, not a path') } });
    expect(await call('chooseExportPath', {}, 'https://example.com/')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dialog).not.toHaveBeenCalled();
  });
});
