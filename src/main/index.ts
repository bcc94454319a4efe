import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, Menu, dialog, session, shell, utilityProcess } from 'electron';
import { openAppInstance, type AppInstance } from './app-instance';
import { keepStderrTail, type ComputeChannel } from './compute/host';
import type { ComputeEvent } from './compute/protocol';
import type { ImportChannel, ImportEvent } from './import/off-thread';
import { registerIpcHandlers } from './ipc/handlers';
import { databasePathIn, movedDatabaseProblem } from './paths';
import { resolveResourcesDir } from './resources';
import { CONTENT_SECURITY_POLICY, decideWindowOpen } from './security';
import { FolderInUseError } from './folder-lock';

/**
 * The Electron shell, kept thin: one window with a sandboxed, isolated renderer and a strict
 * CSP; all work happens in FormulatorService, reached only through validated IPC.
 */

const rendererDevUrl = process.env.ELECTRON_RENDERER_URL;
const rendererFile = join(import.meta.dirname, '../renderer/index.html');
const rendererFileUrl = pathToFileURL(rendererFile).href;

/** The compute process as an Electron utility process (native tfjs-node must not load in a worker thread). */
function utilityChannel(): ComputeChannel {
  const child = utilityProcess.fork(join(import.meta.dirname, 'compute-worker.js'), [], {
    serviceName: 'Latent Formulator compute',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  return {
    stderrTail: keepStderrTail(child.stderr),
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m as ComputeEvent)),
    onExit: (listener) => child.on('exit', (code) => listener(code, null)),
    kill: () => void child.kill(),
  };
}

/** The import worker as an Electron utility process: better-sqlite3 is native, so it stays out of worker threads here. */
function utilityImportChannel(): ImportChannel {
  const child = utilityProcess.fork(join(import.meta.dirname, 'import-worker.js'), [], { serviceName: 'Latent Formulator import', stdio: 'inherit' });
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', (m: unknown) => listener(m as ImportEvent)),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => void child.kill(),
  };
}

function isTrustedUrl(url: string): boolean {
  if (rendererDevUrl && !app.isPackaged) return url.startsWith(rendererDevUrl);
  return url.split('#')[0] === rendererFileUrl;
}

async function createWindow(): Promise<BrowserWindow> {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Latent Formulator',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally) void shell.openExternal(url);
    return { action: decision.action };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  // The renderer's beforeunload refuses to unload while the editor has unsaved changes; without
  // this question Electron would just keep the window open without saying why.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Close and discard changes', 'Keep editing'],
      defaultId: 1,
      cancelId: 1,
      title: 'Unsaved changes',
      message: 'The candidate editor has unsaved changes.',
      detail: 'Closing discards them. Keep editing to save them first.',
    });
    if (choice === 0) event.preventDefault();
  });
  if (rendererDevUrl && !app.isPackaged) await win.loadURL(rendererDevUrl);
  else await win.loadFile(rendererFile);
  return win;
}

async function main(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate([{ role: 'fileMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' }]));

  // The database may have been moved to a local folder ("Move to a local folder…"): follow it, and
  // never create an empty one in its place when that folder is missing (an unplugged disk).
  const moved = movedDatabaseProblem(app.getPath('userData'));
  if (moved) {
    dialog.showErrorBox('Latent Formulator cannot find its database', moved);
    app.exit(1);
    return;
  }
  // The data folder's own lock (not Electron's) also keeps a browser preview off the folder this window has open.
  let instance: AppInstance;
  try {
    instance = await openAppInstance(
      {
        databasePath: databasePathIn(app.getPath('userData')),
        resourcesDir: resolveResourcesDir(),
        appVersion: app.getVersion(),
        computeChannel: utilityChannel,
        importChannel: utilityImportChannel,
      },
      'app',
    );
  } catch (error) {
    dialog.showErrorBox(error instanceof FolderInUseError ? 'Latent Formulator is already open' : 'Latent Formulator cannot open its database', (error as Error).message);
    app.exit(1);
    return;
  }
  const { service } = instance;
  // The window shows what the start-up check found (getDatabaseStatus) and offers the restore.
  service.startBackupSchedule();
  const allowedImportPaths = new Set<string>();
  const allowedExportPaths = new Set<string>();
  registerIpcHandlers(service, isTrustedUrl, allowedImportPaths, allowedExportPaths);
  // "Move to a local folder…": the folder chosen here is the only one moveDatabase accepts (it is a FILE_WRITING_METHOD).
  service.useFolderDialog(async () => {
    const window = BrowserWindow.getFocusedWindow();
    const options = { title: 'Move the database to a local folder', buttonLabel: 'Move here', properties: ['openDirectory' as const, 'createDirectory' as const, 'promptToCreate' as const] };
    const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    const path = picked.filePaths[0];
    if (picked.canceled || !path) return null;
    allowedExportPaths.add(path);
    return path;
  });
  app.on('window-all-closed', () => {
    instance.close();
    app.quit();
  });
  mainWindow = await createWindow();
  // Get the active model ready in the background, so the first Generate need not wait for it.
  void service.warmUp();
}

/** The app's one window, which a second start brings to the front. */
let mainWindow: BrowserWindow | null = null;

// One app per user: a second start hands over to the first, which focuses its window, and quits
// before opening anything (so the database is never opened twice).
if (!app.requestSingleInstanceLock()) {
  process.stderr.write('Latent Formulator is already running: its window was brought to the front.\n');
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  void main();
}
