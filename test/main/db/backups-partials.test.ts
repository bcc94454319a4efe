import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStalePartials } from '../../../src/main/db/backups';
import { tempDir } from '../../helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

describe('half-made backup copies', () => {
  it('are removed when their writer is gone, kept while it runs, and old-style ones only once a day old', () => {
    const folder = join(dir, 'backups');
    mkdirSync(folder);
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max: no such process
    const files = {
      deadCopy: `.app.db.rolling.x.bak.${dead}-ab12cd34.partial`,
      deadJournal: `.app.db.rolling.x.bak.${dead}-ab12cd34.partial-journal`,
      liveCopy: `.app.db.rolling.x.bak.${process.pid}-ab12cd35.partial`,
      oldStyleNew: '.app.db.rolling.y.bak.ab12cd36.partial',
      oldStyleOld: '.app.db.rolling.z.bak.ab12cd37.partial',
      backup: 'app.db.rolling.2026-01-01T00-00-00-000Z.bak',
    };
    for (const name of Object.values(files)) writeFileSync(join(folder, name), 'x');
    const twoDaysAgo = (Date.now() - 2 * 24 * 3600_000) / 1000;
    utimesSync(join(folder, files.oldStyleOld), twoDaysAgo, twoDaysAgo);
    removeStalePartials(folder);
    const left = (name: string) => existsSync(join(folder, name));
    expect([files.deadCopy, files.deadJournal, files.oldStyleOld].map(left)).toEqual([false, false, false]);
    expect([files.liveCopy, files.oldStyleNew, files.backup].map(left)).toEqual([true, true, true]);
  });
});
