import { join } from 'node:path';
import type { SeedBundle } from '../../shared/seed/schema';
import type { OpenedDatabase } from '../../electron/db/open';
import { readSeedDirectory } from '../../electron/seed/read-seeds';
import { createDatabase } from '../../electron/workspace/create-database';
import { tempDir } from './temp';

let cached: SeedBundle | undefined;
/** The real seeds of the project (read once per test file). */
export function realSeeds(): SeedBundle {
  cached ??= readSeedDirectory(join(import.meta.dirname, '..', '..', 'seeds'));
  return structuredClone(cached);
}

/** A real SQLite file built from the real seeds in a temporary folder. */
export function seededDatabase(): { db: OpenedDatabase; path: string; dir: string; cleanup: () => void } {
  const t = tempDir();
  const path = join(t.dir, 'plan.plandb');
  const db = createDatabase(path, realSeeds());
  return {
    db,
    path,
    dir: t.dir,
    cleanup: () => {
      if (db.sqlite.open) db.sqlite.close();
      t.cleanup();
    },
  };
}
