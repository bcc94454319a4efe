import type { DatabaseBackup } from '../../../../shared/api';
import { formatWhen } from '../candidates/shortlist-logic';

/**
 * Wording for the recovery notice and the Data view. Pure: no DOM, tested in Node.
 */

/** The backup to offer first: the newest one that can be read. */
export function latestRestorable(backups: readonly DatabaseBackup[]): DatabaseBackup | null {
  return backups.find((b) => b.readable) ?? null;
}

/** "1 product", "1,200 products". */
export function plural(n: number, one: string): string {
  return `${n.toLocaleString('en-GB')} ${one}${n === 1 ? '' : 's'}`;
}

/** "432 products, 3 candidates" (a count the backup's schema has no table for is left out). */
export function backupContents(b: DatabaseBackup): string {
  if (!b.readable) return 'cannot be read';
  const parts = [b.products === null ? null : plural(b.products, 'product'), b.candidates === null ? null : plural(b.candidates, 'candidate')].filter((p) => p !== null);
  return parts.join(', ') || 'no catalog';
}

/** What the restore button says: "Restore the backup from 2026-12-04 20:29 (432 products, 3 candidates)". */
export function restoreLabel(b: DatabaseBackup): string {
  return `Restore the backup from ${formatWhen(b.createdAt)} (${backupContents(b)})`;
}

export const BACKUP_KIND_LABEL: Record<DatabaseBackup['kind'], string> = {
  rolling: 'automatic',
  manual: 'backed up by hand',
  'pre-migration': 'before an upgrade',
};

export { formatBytes } from '../../../../shared/format-bytes';
