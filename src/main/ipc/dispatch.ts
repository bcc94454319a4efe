import { API_METHODS, type ApiMethod, type ApiResult } from '../../shared/api-methods';
import { ApiFailure, parseApiArgs, type Api } from '../../shared/contract';
import { storageFailure } from '../storage-errors';

/** True when `name` is one of the contract's methods (not a prototype property or a forgery). */
export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

/**
 * Validates a call against the contract and runs it on `api`, turning every failure into an
 * `{ ok: false }` result. Shared by the Electron IPC handlers and the web preview.
 */
export async function dispatchApiCall(api: Api, method: unknown, arg: unknown): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method)) return { ok: false, error: { code: 'unknown-method', message: `there is no API method ${JSON.stringify(String(method)).slice(0, 80)}` } };
  try {
    const parsed = parseApiArgs(method, arg);
    const fn = api[method] as (a: unknown) => Promise<unknown>;
    return { ok: true, value: await fn.call(api, parsed) };
  } catch (error) {
    if (error instanceof ApiFailure) return { ok: false, error: { code: error.code, message: error.message } };
    const storage = storageFailure(error, method.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`));
    if (storage) return { ok: false, error: { code: storage.code, message: storage.message } };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${message}` } };
  }
}
