import { describe, expect, it } from 'vitest';
import { storageFailure } from '../../src/main/storage-errors';

describe('storage failures', () => {
  it('names a full disk, an I/O error and a read-only folder, and says what was kept', () => {
    const full = storageFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), 'import catalog');
    expect(full).toMatchObject({ code: 'disk-full', message: expect.stringMatching(/^import catalog failed: the disk is full\. Nothing of it was kept .* everything saved before is intact/) });
    expect(storageFailure(Object.assign(new Error('x'), { code: 'ENOSPC' }), 'a')?.code).toBe('disk-full');
    expect(storageFailure(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }), 'save candidate')).toMatchObject({
      code: 'io-error',
      message: expect.stringContaining('read/write error (SQLITE_IOERR_WRITE)'),
    });
    expect(storageFailure(Object.assign(new Error('x'), { code: 'EIO' }), 'a')?.code).toBe('io-error');
    expect(storageFailure(Object.assign(new Error('x'), { code: 'SQLITE_READONLY' }), 'a')?.code).toBe('read-only');
  });

  it('says a write lock held past every wait is another program writing, never a bare "database is locked"', () => {
    const locked = storageFailure(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), 'save candidate');
    expect(locked).toEqual({
      code: 'busy',
      message: 'save candidate failed: another program (the app or the command line) is writing to the database; tried for 5 s and nothing of this change was saved; try again in a moment',
    });
    expect(storageFailure(Object.assign(new Error('x'), { code: 'SQLITE_BUSY_SNAPSHOT' }), 'a')?.code).toBe('busy');
    // Carried in a message by a wrapping error (a backup's, a worker's) without the code.
    expect(storageFailure(new Error('could not back up the database to /x: database is locked'), 'a')?.code).toBe('busy');
  });

  it('leaves every other error alone', () => {
    expect(storageFailure(new Error('plain'), 'a')).toBeNull();
    expect(storageFailure(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }), 'a')).toBeNull();
    expect(storageFailure(null, 'a')).toBeNull();
  });
});
