import type { backupMethods, BackupPreview } from '../../../shared/contract/methods/backup';
import { AppError } from '../../../shared/errors/app-error';
import { backupById, backupFolder, type BackupEntry } from '../../db/backup';
import type { Sqlite } from '../../db/open';
import { readUntouched } from '../../db/untouched';
import type { ImplementationOf, ServiceContext } from './context';

const info = (e: BackupEntry) => ({ id: e.id, takenAt: e.takenAt, reason: e.reason, bytes: e.bytes });

function preview(entry: BackupEntry): BackupPreview {
  // Read as it is: a read-only connection would leave a -wal and -shm beside the backup (or fail in a read-only folder).
  let db: Sqlite;
  try {
    db = readUntouched(entry.path).sqlite;
  } catch (e) {
    throw new AppError('bad_file', 'このバックアップは読み取れません（壊れている可能性があります）。', `cannot read backup ${entry.id}: ${String(e)}`);
  }
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const plan = db.prepare('select title, period_label from plan limit 1').get() as { title: string; period_label: string } | undefined;
    const last = db.prepare('select at, user, label from change_set order by id desc limit 1').get() as { at: string; user: string; label: string } | undefined;
    return {
      id: entry.id,
      takenAt: entry.takenAt,
      planTitle: plan?.title ?? '',
      periodLabel: plan?.period_label ?? '',
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      rows: count('select count(*) as n from action_row'),
      themes: count('select count(*) as n from theme'),
      targets: count('select count(*) as n from target'),
      actuals: count('select count(*) as n from target_value where actual_value is not null'),
      lastChange: last ?? null,
    };
  } catch (e) {
    throw new AppError('bad_file', 'このバックアップは読み取れません（壊れている可能性があります）。', `cannot read backup ${entry.id}: ${String(e)}`);
  } finally {
    db.close();
  }
}

export function backupImplementation({ ws }: ServiceContext): ImplementationOf<typeof backupMethods> {
  const folder = () => {
    if (!ws.userData) throw new AppError('not_found', 'バックアップの保存先がありません。', 'workspace has no user data folder');
    return backupFolder(ws.userData, ws.current.path);
  };
  return {
    'backups.list': () => ws.backups().map(info),
    'backups.preview': ({ id }) => preview(backupById(folder(), id)),
    'backups.create': async () => info(await ws.backupNow('manual')),
    'backups.restore': async ({ id }) => {
      const restored = await ws.restore(id);
      return { restoredFrom: restored.restoredFrom, safetyBackup: restored.safetyBackup.id };
    },
  };
}
