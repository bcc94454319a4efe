import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startPreviewServer, type PreviewServer } from '../../src/main/preview/server';
import type { FormulatorService } from '../../src/main/services/formulator-service';
import { openTestService, type OpenedTestService } from '../helpers';
import { CHROMIUM_PATH, chromiumAvailable, collectPageErrors, launchChromium } from './browser';

/**
 * The one way a browser test gets its app (like Orange3's `WidgetTest`): services on a temporary
 * database, the preview server on the built renderer (out/renderer), headless Chromium and a page
 * whose errors are collected. A test file calls `useBrowserApp` once, at the top.
 */

/** Where browser tests put their screenshots; `openBrowserApp` makes the folder. */
export const shots = join(process.cwd(), 'test-output', 'e2e');

/** How a test wants its app. */
/** The window size the browser tests use unless they ask for another: a laptop's app window. */
const DEFAULT_VIEWPORT = { width: 1400, height: 900 };

export interface BrowserAppOptions {
  /** Opens the services; by default a fresh temporary database with the shipped resources. */
  open?: () => Promise<OpenedTestService>;
  /** Runs on the services before the server starts (load a catalog, train a model, import a file). */
  prepare?: (service: FormulatorService, dir: string) => Promise<unknown>;
  /** Let the preview import files from the data folder, where the import tests write their CSVs. */
  importFromDataFolder?: boolean;
  /** Stands in for the desktop app's Open dialog: the path "chosen", or null for Cancel. */
  pickImportFile?: () => string | null;
  /** The page's size; {@link DEFAULT_VIEWPORT} when not given. */
  viewport?: { width: number; height: number };
  /** Let the page download files (CSV exports). */
  acceptDownloads?: boolean;
  /** How long opening may take (ms): training a model or damaging a database takes longer than the default hook timeout. */
  timeout?: number;
}

/** The app a browser test drives. */
export interface BrowserApp {
  service: FormulatorService;
  /** The temporary folder holding the database. */
  dir: string;
  server: PreviewServer;
  browser: Browser;
  page: Page;
  /** What the page logged as an error (see `collectPageErrors`); tests end by asserting it stays empty. */
  errors: string[];
  /** Closes the browser, the server, then the services (removing the folder). */
  close: () => Promise<void>;
}

/**
 * Opens the app before the file's tests (`beforeAll`) and closes it after them (`afterAll`).
 * `onOpen` receives it once open: a test file copies what it uses (page, service, server…) into
 * its own variables there, and may go on preparing the page (it is awaited).
 */
export function useBrowserApp(options: BrowserAppOptions, onOpen: (app: BrowserApp) => unknown): void {
  let app: BrowserApp | undefined;
  beforeAll(async () => {
    app = await openBrowserApp(options);
    await onOpen(app);
  }, options.timeout);
  afterAll(() => app?.close());
}

/** Opens services, preview server, Chromium and a page as `options` say; on a failure, closes what was opened. */
async function openBrowserApp(options: BrowserAppOptions = {}): Promise<BrowserApp> {
  if (!chromiumAvailable()) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (.ci/run does)`);
  mkdirSync(shots, { recursive: true });
  // Closed in reverse order of opening, also when a later step fails.
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  try {
    const { service, dir, close: closeService } = await (options.open ?? openTestService)();
    closers.push(closeService);
    await options.prepare?.(service, dir);
    const server = await startPreviewServer({
      api: service,
      staticDir: join(process.cwd(), 'out', 'renderer'),
      importRoots: options.importFromDataFolder ? [dir] : [],
      pickImportFile: options.pickImportFile,
    });
    closers.push(() => server.close());
    const browser = await launchChromium();
    closers.push(() => browser.close());
    const page = await browser.newPage({ viewport: options.viewport ?? DEFAULT_VIEWPORT, acceptDownloads: options.acceptDownloads });
    const errors = await collectPageErrors(page);
    return { service, dir, server, browser, page, errors, close };
  } catch (error) {
    await close();
    throw error;
  }
}
