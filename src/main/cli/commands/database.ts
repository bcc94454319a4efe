import { resolve } from 'node:path';
import type { MovedDatabase } from '../../../shared/api';
import { formatBytes } from '../../../shared/format-bytes';
import { checkOpenDatabase } from '../../db/check';
import { pendingWalDamage, walDamageNotice } from '../../db/quarantine';
import { storageRisk } from '../../../shared/storage-risk';
import { databaseStorageLocation } from '../../storage-location';
import type { FormulatorService } from '../../services/formulator-service';
import { noArguments } from '../checks';
import { defineCommand, UsageError, type CliIo, type Command } from '../command';

/** `status` and the `db` group: the database, its checks, backups and recovery. */
export const databaseCommands: readonly Command[] = [
  defineCommand({
    name: 'status',
    synopsis: '',
    summary: 'database, counts and versions',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'status');
      return async ({ service, print }) => {
        const s = await service.getStatus();
        print(s, () => `database   ${s.databasePath} (schema ${s.schemaVersion})\nproducts   ${s.productCount} in ${s.catalogCount} catalog(s)\ningredients ${s.ingredientCount} (${s.knowledgeBaseEntries} in the knowledge base)\nmodel      ${s.activeModel ? `${s.activeModel.name} (id ${s.activeModel.id}, ${s.activeModel.backend} backend)` : 'none trained yet'}`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'db check',
    synopsis: '',
    summary: 'quick_check of the database now, and what the start-up check found',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'db check');
      return async ({ service, print }) => {
        const now = checkOpenDatabase(service.db);
        const { check, quarantined } = service.startup;
        const { databasePath, recovery } = await service.getDatabaseStatus();
        print({ databasePath, quickCheck: now, startup: { check, quarantined }, recovery }, () =>
          [
            `database   ${databasePath}`,
            `quick_check ${now.ok ? 'ok' : `FAILED: ${now.problems.slice(0, 5).join('; ')}`} (${now.ms.toFixed(0)} ms)`,
            `at start-up: ${quarantined ? `damaged (${quarantined.reason}), moved to ${quarantined.folder}` : check ? `checked, ok (${check.ms.toFixed(0)} ms)` : 'a new database'}`,
            recovery ? `waiting for a decision: the database found damaged on ${recovery.detectedAt} is in ${recovery.quarantinedTo} (db restore FILE, or db dismiss)` : '',
          ].filter(Boolean).join('\n'),
        );
        return now.ok ? 0 : 1;
      };
    },
  }),
  defineCommand({
    name: 'db backups',
    synopsis: '',
    summary: 'backups beside the database, newest first, with what each holds',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'db backups');
      return async ({ service, print }) => {
        const status = await service.getDatabaseStatus();
        print(status.backups, () =>
          [
            `${status.backups.length} backup(s) in ${status.backupsFolder} (the newest ${status.policy.keepRolling} rolling ones are kept)`,
            ...status.backups.map((b) => `  ${b.file}  ${b.kind}  ${formatBytes(b.bytes)}  ${b.readable ? `${b.products ?? '—'} products, ${b.candidates ?? '—'} candidates, schema ${b.schemaVersion}` : 'UNREADABLE'}`),
          ].join('\n'),
        );
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'db backup',
    synopsis: '',
    summary: "back up now (SQLite's online backup, checked)",
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'db backup');
      return async ({ service, print }) => {
        const b = await service.backupNow();
        print(b, () => `backed up to ${b.file} (${formatBytes(b.bytes)}, ${b.products} products, ${b.candidates} candidates; checked with quick_check)`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'db restore',
    synopsis: 'FILE',
    summary: 'restore a listed backup; the files in use are moved to quarantine/',
    options: {},
    parse: ({ args }) => {
      const [file] = args;
      if (args.length !== 1 || file === undefined) throw new UsageError('db restore needs one backup file name (see db backups)');
      return async ({ service, print }) => {
        const restored = await service.restoreBackup({ file });
        print(restored, () => `restored ${restored.file}: ${restored.products} products, ${restored.candidates} candidates (schema ${restored.schemaVersion})\nthe database in use before was moved to ${restored.previousMovedTo}`);
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'db move',
    synopsis: 'FOLDER',
    summary: 'copy the database with its backups and models to an empty local folder, check the copy and use it from then on (the old files stay)',
    options: {},
    parse: ({ args }) => {
      const [folder] = args;
      if (args.length !== 1 || folder === undefined) throw new UsageError('db move needs one folder: a new or empty folder on this computer\'s own disk');
      return async ({ service, print }) => {
        const moved = await service.moveDatabase({ path: resolve(folder) });
        print(moved, () => describeMove(moved));
        return 0;
      };
    },
  }),
  defineCommand({
    name: 'db dismiss',
    synopsis: '',
    summary: 'keep the new database after a damaged one was moved aside',
    options: {},
    parse: ({ args }) => {
      noArguments(args, 'db dismiss');
      return async ({ service, print }) => {
        const r = await service.dismissRecovery();
        print(r, () => (r.dismissed ? 'keeping the new database; the damaged files stay in the quarantine folder' : 'there was no damaged database waiting for a decision'));
        return 0;
      };
    },
  }),
];

/** What `db move` says: what was copied and checked, where the old files are, and what to do next time. */
export function describeMove(m: MovedDatabase): string {
  const c = m.copied;
  const v = m.verified;
  return [
    `moved the database to ${m.to} (${m.location.detail})`,
    `copied     the database (${formatBytes(c.databaseBytes)}), ${c.backups} backup(s) (${formatBytes(c.backupBytes)}), ${c.models} model folder(s) (${formatBytes(c.modelBytes)})${c.quarantined ? `, ${c.quarantined} quarantine folder(s)` : ''} in ${(c.ms / 1000).toFixed(1)} s`,
    `checked    quick_check ok; ${v.tables} tables, ${v.rows} rows as in the original (${v.products} products, ${v.candidates} candidates); ${v.models} model(s) against their checksums; ${v.files} file(s) byte for byte`,
    `left       the old files in place, untouched: ${m.from}${m.noteLeft ? ` (with a note, ${m.noteLeft})` : ''}`,
    `next time  ${m.nextTime.hint}`,
  ].join('\n');
}

/**
 * One warning line on stderr when the database's folder is on a network file system or inside a
 * synced folder (checked before the database is opened: opening it there is what can go wrong).
 */
export function reportStorageLocation(databasePath: string, io: CliIo): void {
  const location = databaseStorageLocation(databasePath);
  if (location.kind === 'local') return;
  io.err(`latent-formulator: warning: the database ${databasePath} is ${location.detail}: ${storageRisk(location)}. Move it to a local folder: latent-formulator db move FOLDER`);
}

/**
 * Says on stderr when the start-up check moved a damaged database aside (always), or when one
 * found earlier still waits for a decision (except for `db` commands, which are how to decide).
 */
export async function reportDatabaseRecovery(service: FormulatorService, io: CliIo, quiet: boolean): Promise<void> {
  // A damaged write-ahead log (found at this start or earlier, not dismissed): what was dropped and where the copies are.
  for (const r of pendingWalDamage(service.db.name)) io.err(`latent-formulator: note: ${walDamageNotice(r)} (latent-formulator db dismiss: stop this note)`);
  const found = service.startup.quarantined;
  const recovery = found || quiet ? null : service.pendingRecovery();
  if (!found && !recovery) return;
  const latest = (await service.getDatabaseStatus()).backups.find((b) => b.readable);
  const choices = [
    latest ? `  restore the latest backup (${latest.createdAt}, ${latest.products ?? '—'} products, ${latest.candidates ?? '—'} candidates): latent-formulator db restore ${latest.file}` : '  there is no backup to restore',
    '  or keep the new database: latent-formulator db dismiss',
  ];
  if (found) {
    io.err(
      [
        `latent-formulator: the database ${found.originalPath} is damaged: ${found.reason}.`,
        `  Its files were moved, untouched, to ${found.folder}`,
        '  A new empty database was created in its place; nothing was deleted.',
        ...found.details.slice(0, 3).map((d) => `  check: ${d}`),
        ...choices,
      ].join('\n'),
    );
  } else if (recovery) {
    io.err([`latent-formulator: note: the database found damaged on ${recovery.detectedAt} is in ${recovery.quarantinedTo}; you have not chosen yet:`, ...choices].join('\n'));
  }
}
