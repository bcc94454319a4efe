import { contextBridge, ipcRenderer } from 'electron';
import { API_METHODS, ipcChannel } from '../shared/api/methods';

/**
 * Exposes exactly the contract's methods as `window.api`, each a single invoke on its own
 * channel. No raw ipcRenderer, no other capability reaches the page.
 */
const api = Object.freeze(Object.fromEntries(API_METHODS.map((method) => [method, (arg?: unknown) => ipcRenderer.invoke(ipcChannel(method), arg)])));
contextBridge.exposeInMainWorld('api', api);
