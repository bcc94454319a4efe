import { describe, expect, it } from 'vitest';
import type { DatabaseBackup } from '../../../../src/shared/api';
import { backupContents, formatBytes, latestRestorable, restoreLabel } from '../../../../src/renderer/src/views/database/database-logic';
import { formatWhen } from '../../../../src/renderer/src/views/candidates/shortlist-logic';

const backup = (over: Partial<DatabaseBackup>): DatabaseBackup => ({
  file: 'app.db.rolling.2026-12-04T10-00-00-000Z.bak',
  kind: 'rolling',
  createdAt: '2026-12-04T10:00:00.000Z',
  bytes: 1_884_160,
  readable: true,
  schemaVersion: 6,
  products: 432,
  candidates: 3,
  ...over,
});

describe('database wording', () => {
  it('offers the newest backup that can be read', () => {
    const unreadable = backup({ file: 'newest', readable: false });
    const good = backup({ file: 'older' });
    expect(latestRestorable([unreadable, good])?.file).toBe('older');
    expect(latestRestorable([unreadable])).toBeNull();
    expect(latestRestorable([])).toBeNull();
  });

  it('says what a backup holds, leaving out tables its schema does not have', () => {
    expect(backupContents(backup({}))).toBe('432 products, 3 candidates');
    expect(backupContents(backup({ products: 1, candidates: 1 }))).toBe('1 product, 1 candidate');
    expect(backupContents(backup({ products: 1200, candidates: null }))).toBe('1,200 products');
    expect(backupContents(backup({ products: null, candidates: null }))).toBe('no catalog');
    expect(backupContents(backup({ readable: false }))).toBe('cannot be read');
  });

  it('names the restore by local date and contents', () => {
    expect(restoreLabel(backup({}))).toBe(`Restore the backup from ${formatWhen('2026-12-04T10:00:00.000Z')} (432 products, 3 candidates)`);
  });

  it('gives sizes in KiB below a MiB and in MiB above', () => {
    expect(formatBytes(100)).toBe('1 KiB');
    expect(formatBytes(820 * 1024)).toBe('820 KiB');
    expect(formatBytes(1_884_160)).toBe('1.8 MiB');
  });
});
