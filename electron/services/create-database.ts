import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { SeedBundle } from '../../shared/seed/schema';
import { openPlanDatabase, type OpenedDatabase } from '../db/open';
import { buildDatabase } from '../seed/build-database';

/**
 * Creates a new plan database file from a plan bundle (the seeds or a dump). The file appears
 * complete or not at all: on any error it is removed again.
 */
export function createDatabase(path: string, bundle: SeedBundle, options: { force?: boolean; source?: string } = {}): OpenedDatabase {
  if (existsSync(path)) {
    if (!options.force) throw new AppError('conflict', `「${path}」は既にあります。上書きするには --force を付けてください。`, `${path} exists; use --force to overwrite`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
  mkdirSync(dirname(path), { recursive: true });
  const opened = openPlanDatabase(path);
  try {
    buildDatabase(opened.sqlite, bundle, options.source);
    return opened;
  } catch (e) {
    opened.sqlite.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    throw e;
  }
}

