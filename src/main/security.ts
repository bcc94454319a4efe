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
