/**
 * Security policy shared by the Electron window and the web preview: one Content-Security-Policy.
 * 'wasm-unsafe-eval' lets the TensorFlow.js wasm backend compile its module; nothing else may
 * evaluate code, load remote content or be framed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * What the window does when a page asks for a new window (window.open, target=_blank): never
 * open one; a secure web link is handed to the system browser instead, anything else dropped.
 */
export function decideWindowOpen(url: string): { action: 'deny'; openExternally: boolean } {
  let external = false;
  try {
    external = new URL(url).protocol === 'https:';
  } catch {
    external = false;
  }
  return { action: 'deny', openExternally: external };
}
