import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreviewServer, type PreviewServer } from '../../../src/main/preview/server';
import { FormulatorService } from '../../../src/main/services/formulator-service';
import { CONTENT_SECURITY_POLICY } from '../../../src/main/security';
import { LATEST_SCHEMA_VERSION } from '../../../src/main/db/migrations';
import { tempDir, writeFixtureResources } from '../../helpers';

let dir: string;
let cleanup: () => void;
let service: FormulatorService;
let server: PreviewServer;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  service = await FormulatorService.open({ databasePath: join(dir, 'p.db'), resourcesDir: writeFixtureResources(dir) });
  const web = join(dir, 'web');
  mkdirSync(web);
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>t</title>');
  mkdirSync(join(dir, 'imports'));
  writeFileSync(join(dir, 'imports', 'ok.csv'), 'Name,Ingredients\nA,"Water, Glycerin"\n');
  writeFileSync(join(dir, 'secret.csv'), 'Name,Ingredients\nS,"Water, Glycerin"\n');
  server = await startPreviewServer({ api: service, staticDir: web, importRoots: [join(dir, 'imports')] });
});
afterAll(async () => {
  await server.close();
  service.close();
  cleanup();
});

const call = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Raw request so the Host header can be forged (fetch does not allow it). */
function rawGet(path: string, host: string): Promise<number> {
  const url = new URL(server.url);
  return new Promise((ok, fail) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { Host: host } }, (res) => {
      res.resume();
      ok(res.statusCode ?? 0);
    });
    req.on('error', fail);
    req.end();
  });
}

describe('web preview server', () => {
  it('serves the renderer with the app CSP', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers contract calls as { ok, value }', async () => {
    const res = await call('getStatus', null);
    expect(await res.json()).toMatchObject({ ok: true, value: { empty: true, schemaVersion: LATEST_SCHEMA_VERSION } });
  });

  it('returns { ok: false } with the field for malformed arguments and unknown methods', async () => {
    expect(await (await call('getProduct', { id: -1 })).json()).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringContaining('field "id"') } });
    expect(await (await call('__proto__', {})).json()).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await (await call('constructor', {})).json()).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('refuses cross-origin calls, non-JSON bodies and a forged Host', async () => {
    expect((await call('getStatus', null, { Origin: 'http://evil.example' })).status).toBe(403);
    const text = await fetch(`${server.url}/api/getStatus`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'null' });
    expect(text.status).toBe(415);
    expect(await rawGet('/', 'evil.example:80')).toBe(421);
  });

  it('imports only from the allowed folders', async () => {
    const ok = (await (await call('importCatalog', { path: join(dir, 'imports', 'ok.csv') })).json()) as { ok: boolean; value: { productsInserted: number } };
    expect(ok).toMatchObject({ ok: true, value: { productsInserted: 1 } });
    const refused = await call('importCatalog', { path: join(dir, 'imports', '..', 'secret.csv') });
    expect(refused.status).toBe(403);
    expect((await service.listProducts({})).total).toBe(1);
  });

  it('previews only files in the allowed folders, and has no file dialog unless one is supplied', async () => {
    const preview = (await (await call('previewImport', { path: join(dir, 'imports', 'ok.csv') })).json()) as { ok: boolean; value: { header: string[] } };
    expect(preview).toMatchObject({ ok: true, value: { header: ['Name', 'Ingredients'] } });
    expect((await call('previewImport', { path: join(dir, 'secret.csv') })).status).toBe(403);
    expect(await (await call('chooseImportFile', null)).json()).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('exposes saved candidates, gives the CSV as text, and never writes a file a page names', async () => {
    const saved = (await (await call('saveCandidate', { name: 'Preview gel', declaration: 'Water, Glycerin' })).json()) as { ok: boolean; value: { id: number; version: number } };
    expect(saved).toMatchObject({ ok: true, value: { version: 1 } });
    const csv = (await (await call('candidatesCsv', { ids: [saved.value.id] })).json()) as { ok: boolean; value: { csv: string; rows: number } };
    expect(csv).toMatchObject({ ok: true, value: { rows: 1 } });
    expect(csv.value.csv).toContain('Preview gel,1,idea,,,,"Water, Glycerin"');
    const target = join(dir, 'imports', 'written.csv');
    const refused = await call('exportCandidatesCsv', { path: target });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('download the export instead (candidatesCsv') } });
    expect(existsSync(target)).toBe(false);
    const workbook = join(dir, 'imports', 'written.xlsx');
    expect((await call('exportCandidatesXlsx', { path: workbook })).status).toBe(403);
    expect(existsSync(workbook)).toBe(false);
    const xlsx = (await (await call('candidatesXlsx', { ids: [saved.value.id] })).json()) as { ok: boolean; value: { base64: string; rows: number } };
    expect(xlsx).toMatchObject({ ok: true, value: { rows: 1 } });
    expect(Buffer.from(xlsx.value.base64, 'base64').subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  });

  it('does not serve files outside the renderer folder', async () => {
    expect(await rawGet('/../p.db', new URL(server.url).host)).not.toBe(200);
    expect((await fetch(`${server.url}/%2e%2e/p.db`)).status).not.toBe(200);
  });
});
