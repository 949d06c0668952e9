import { join } from 'node:path';
import type { SeedBundle } from '../../shared/seed/schema';
import type { OpenedDatabase, Sqlite } from '../../electron/db/open';
import type { PlanDb } from '../../electron/db/plan-db';
import { readSeedDirectory } from '../../electron/seed/read-seeds';
import { createDatabase } from '../../electron/workspace/create-database';
import { tempDir } from './temp';

let cached: SeedBundle | undefined;
/** The real seeds of the project (read once per test file). */
export function realSeeds(): SeedBundle {
  cached ??= readSeedDirectory(join(import.meta.dirname, '..', '..', 'seeds'));
  return structuredClone(cached);
}

/**
 * A real SQLite file built from the real seeds in a temporary folder. `cleanup` closes the plan
 * and removes the folder; await it (on SQLite its work is done before it returns anyway).
 */
export function seededDatabase(): { db: OpenedDatabase; path: string; dir: string; cleanup: () => Promise<void> } {
  const t = tempDir();
  const path = join(t.dir, 'plan.plandb');
  const db = createDatabase(path, realSeeds());
  return {
    db,
    path,
    dir: t.dir,
    cleanup: () => {
      // Synchronously, so a test file that calls it without awaiting still leaves nothing open.
      const sqlite = sqliteOf(db);
      if (sqlite.open) sqlite.close();
      t.cleanup();
      return Promise.resolve();
    },
  };
}

/**
 * The file's own connection under a plan opened from a SQLite file, for what a test checks of the
 * file itself (pragmas, sqlite_master, a write past the app, as another program would make it).
 */
export function sqliteOf(opened: OpenedDatabase | PlanDb): Sqlite {
  const db = 'engine' in opened ? opened : opened.db;
  if (db.engine !== 'sqlite') throw new Error(`${db.name} is not a SQLite file`);
  return db.sqlite;
}
