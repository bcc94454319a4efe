import { createReadStream, promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { FILE_READING_METHODS, FILE_WRITING_METHODS, type ApiMethod, type ApiResult } from '../../shared/api/methods';
import type { Api } from '../../shared/api';
import { dispatchApiCall } from '../ipc/dispatch';
import { CONTENT_SECURITY_POLICY } from '../security';

/**
 * The local web preview: serves the built renderer and the same API contract over HTTP on
 * 127.0.0.1, so the UI can be used and tested in a real browser without Electron. It answers
 * only requests addressed to itself (Host check against DNS rebinding) from its own origin, and
 * never writes a file a page names (the FILE_WRITING_METHODS are refused; candidatesCsv, labResultsCsv and their Xlsx twins give the content).
 */

export interface PreviewOptions {
  api: Api;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Folders whose files `importCatalog` may read; any other path is refused. */
  importRoots?: readonly string[];
  /** Stands in for the desktop app's Open dialog (tests): the path "chosen", or null for Cancel. */
  pickImportFile?: () => string | null;
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
};

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  const root = resolve(options.staticDir);
  const importRoots = (options.importRoots ?? []).map((r) => resolve(r) + sep);
  let origin = '';

  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    res.end(body);
  };
  const sendResult = (res: ServerResponse, status: number, result: ApiResult<unknown>): void => send(res, status, JSON.stringify(result), 'application/json');

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendResult(res, 500, { ok: false, error: { code: 'internal', message: String((error as Error)?.message ?? error) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.host !== new URL(origin).host) return send(res, 421, 'wrong host');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return sendResult(res, 405, { ok: false, error: { code: 'method-not-allowed', message: 'API calls are POST requests' } });
      if (req.headers.origin !== undefined && req.headers.origin !== origin) {
        return sendResult(res, 403, { ok: false, error: { code: 'forbidden', message: `requests from ${req.headers.origin} are not accepted` } });
      }
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
        return sendResult(res, 415, { ok: false, error: { code: 'invalid-argument', message: 'send the argument as application/json' } });
      }
      const body = await readBody(req);
      if (body === null) return sendResult(res, 413, { ok: false, error: { code: 'invalid-argument', message: `request body larger than ${MAX_BODY_BYTES} bytes` } });
      let arg: unknown;
      try {
        arg = body.length ? JSON.parse(body) : undefined;
      } catch {
        return sendResult(res, 400, { ok: false, error: { code: 'invalid-argument', message: 'the request body is not valid JSON' } });
      }
      if (arg === null) arg = undefined;
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      if (method === 'chooseImportFile' || method === 'chooseLabResultsFile') {
        // No native dialog in a browser: a test (or the person starting the preview) supplies the answer.
        if (!options.pickImportFile) return sendResult(res, 200, { ok: false, error: { code: 'unsupported', message: 'the web preview has no file dialog; type the path of a file under the import folders' } });
        const picked = options.pickImportFile();
        return sendResult(res, 200, { ok: true, value: picked === null ? null : { path: picked } });
      }
      if (FILE_READING_METHODS.includes(method as ApiMethod)) {
        const path = (arg as { path?: unknown } | undefined)?.path;
        if (typeof path !== 'string' || !importRoots.some((r) => resolve(path).startsWith(r))) {
          return sendResult(res, 403, { ok: false, error: { code: 'forbidden', message: 'that file is outside the folders the preview may import from' } });
        }
      }
      if (FILE_WRITING_METHODS.includes(method as ApiMethod)) {
        return sendResult(res, 403, { ok: false, error: { code: 'forbidden', message: 'the preview does not write files; download the export instead (candidatesCsv, candidatesXlsx, labResultsCsv, labResultsXlsx)' } });
      }
      const result = await dispatchApiCall(options.api, method, arg);
      return sendResult(res, 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = resolve(join(root, rel));
    if (!file.startsWith(root + sep)) return send(res, 403, 'forbidden');
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile()) return send(res, 404, 'not found');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': stat.size,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        ok(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
