/** Temporary re-export while the split lands; import from './api'. */
export * from './api';
