import { API_METHODS, type ApiMethod, type ApiResult } from '../../../shared/api/methods';
import type { Api } from '../../../shared/api';

/**
 * The renderer's only door to the services: the same typed contract over Electron IPC
 * (`window.api`, from the preload) or, in the web preview, over HTTP on the same origin.
 */

export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

type Transport = (method: ApiMethod, arg: unknown) => Promise<ApiResult<unknown>>;

const ipcTransport: Transport | null = typeof window !== 'undefined' && window.api ? (method, arg) => window.api![method](arg) : null;

const httpTransport: Transport = async (method, arg) => {
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(arg ?? null),
  });
  return (await response.json()) as ApiResult<unknown>;
};

type ApiCall = (arg?: unknown) => Promise<unknown>;

/**
 * One call per method of the method list. `API_METHODS` names exactly the methods of `Api` (a
 * compile-time check in src/shared/api/index.ts), so the object is an `Api`; each value is what
 * the services returned for that method, which the transport cannot type.
 */
function buildApi(transport: Transport): Api {
  const calls = {} as Record<ApiMethod, ApiCall>;
  for (const method of API_METHODS) {
    calls[method] = async (arg) => {
      const result = await transport(method, arg);
      if (!result.ok) throw new ApiCallError(result.error.code, result.error.message);
      return result.value;
    };
  }
  return calls as Api;
}

export const api: Api = buildApi(ipcTransport ?? httpTransport);
