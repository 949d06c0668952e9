import { dirname } from 'node:path';
import { AppError } from '../../../shared/errors/app-error';
import { type CliOptions, lockRequest } from '../command';
import { copiedSummary, copyIntoFile, copyIntoPostgres } from '../copy-targets';
import { dbOf } from '../location';
import { sameDatabase } from '../same-database';
import { openLocationReadOnly } from '../../workspace/read-location';

/**
 * `copy --from A --to B [--force]`: a whole plan, its change log included, from one database to
 * another on either engine (a file to PostgreSQL and back, file to file, PostgreSQL to PostgreSQL),
 * every row with its own id, so that undo, per-cell history and a dump of the copy are those of the
 * original. The source is only read (as by dump: not a byte of it changes); the target is written
 * completely or not at all (copy-targets.ts), and one that holds a plan only with --force.
 */
export async function run(opts: CliOptions): Promise<number> {
  if (typeof opts.from !== 'string' || typeof opts.to !== 'string')
    throw new AppError(
      'invalid_arguments',
      '--from にコピー元、--to にコピー先のデータベース（ファイルか postgres:// の接続先）を指定してください。',
      'copy needs --from LOCATION and --to LOCATION',
    );
  const from = dbOf(opts, 'from');
  const to = dbOf(opts, 'to');
  // By identity, before anything is opened: one file or database however each is written (same-database.ts).
  if (await sameDatabase(from, to))
    throw new AppError('invalid_arguments', 'コピー元とコピー先が同じデータベースです。何も変更していません。', `copy from ${from.display} to itself refused`);
  const source = await openLocationReadOnly(from.text);
  try {
    const options = { force: opts.force === true, ...lockRequest(opts) };
    const { rows, backup } = to.kind === 'file' ? await copyIntoFile(source.db, to.path, options) : await copyIntoPostgres(source.db, to.location, options);
    console.log(`copied ${from.display} to ${to.display}: ${copiedSummary(rows)}`);
    for (const [table, count] of Object.entries(rows)) console.log(`  ${table}: ${count}`);
    if (backup) console.log(`what ${to.display} held before is kept as backup ${backup.id} in ${dirname(backup.path)}`);
    return 0;
  } finally {
    await source.db.close();
  }
}
