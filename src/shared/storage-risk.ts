import type { StorageLocation } from './api/database';

/**
 * Why a database should not stay on a network file system or in a synced folder, in one clause
 * (after "the database … is …:"), for the command line's warning and the window's notice alike.
 * Empty for a local folder.
 */
export function storageRisk(location: Pick<StorageLocation, 'kind' | 'service'>): string {
  if (location.kind === 'network') return "SQLite's write-ahead log needs locks and shared memory that network file systems do not give reliably, so the database can be damaged";
  if (location.kind === 'synced') {
    return `${location.service ?? 'the sync client'} copies the database and its -wal/-shm files while the app writes them, and may bring back an old copy, so changes can be lost or the database damaged`;
  }
  return '';
}
