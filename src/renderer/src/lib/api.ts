import { API_METHODS, type ApiMethod, type ApiResult } from '../../../shared/api-methods';
import type { Api } from '../../../shared/contract';

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

function buildApi(transport: Transport): Api {
  const entries = API_METHODS.map((method) => [
    method,
    async (arg?: unknown) => {
      const result = await transport(method, arg);
      if (!result.ok) throw new ApiCallError(result.error.code, result.error.message);
      return result.value;
    },
  ]);
  return Object.fromEntries(entries) as unknown as Api;
}

export const api: Api = buildApi(ipcTransport ?? httpTransport);
