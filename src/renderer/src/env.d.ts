/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { ApiMethod, ApiResult } from '../../shared/api/methods';

declare global {
  interface Window {
    /** Present in Electron (built by the preload); absent in the web preview. */
    api?: Readonly<Record<ApiMethod, (arg?: unknown) => Promise<ApiResult<unknown>>>>;
  }
}
