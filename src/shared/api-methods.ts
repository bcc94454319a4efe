export * from './api/methods';
