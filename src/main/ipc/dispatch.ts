import { API_METHODS, type ApiMethod, type ApiResult } from '../../shared/api/methods';
import { ApiFailure, parseApiArgs, type Api } from '../../shared/api';
import { endpointOf } from '../services/endpoint';
import { storageFailure } from '../storage-errors';

/** True when `name` is one of the contract's methods (not a prototype property or a forgery). */
export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

/**
 * Validates a call against the contract (the one place a transport's argument is parsed) and runs
 * it on `api`'s endpoint, whose handlers take the parsed argument without parsing it again (an
 * `Api` without an endpoint gets the parsed argument through its method). Every failure becomes
 * an `{ ok: false }` result. Shared by the Electron IPC handlers and the web preview.
 */
export async function dispatchApiCall(api: Api, method: unknown, arg: unknown): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method)) return { ok: false, error: { code: 'unknown-method', message: `there is no API method ${JSON.stringify(String(method)).slice(0, 80)}` } };
  try {
    const parsed = parseApiArgs(method, arg);
    const endpoint = endpointOf(api);
    const value = endpoint ? await (endpoint[method] as (a: unknown) => Promise<unknown>)(parsed) : await (api[method] as (a: unknown) => Promise<unknown>).call(api, parsed);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof ApiFailure) return { ok: false, error: { code: error.code, message: error.message } };
    const storage = storageFailure(error, method.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`));
    if (storage) return { ok: false, error: { code: storage.code, message: storage.message } };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${message}` } };
  }
}
