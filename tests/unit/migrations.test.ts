import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { backupFolder, listBackups } from '../../electron/db/backup';
import { latestSchemaVersion, migrations } from '../../electron/db/migrations/index';
import { checkIntegrity } from '../../electron/db/open';
import { Workspace } from '../../electron/services/workspace';
import { tempDir } from '../helpers/temp';

/**
 * One database file of every earlier schema version is kept in tests/fixtures/schemas (from now
 * on, each new migration adds the file of the version before it). Each must open, upgrade to the
 * latest version and keep every row and value.
 */
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'schemas');
const files = readdirSync(fixtures).filter((f) => /^schema-v\d+\.plandb$/.test(f));

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

type Snapshot = Map<string, Map<string, Record<string, unknown>>>;
function snapshot(path: string): Snapshot {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    return new Map(
      tables.map((t) => [t, new Map((db.prepare(`select * from "${t}"`).all() as Record<string, unknown>[]).map((r) => [String(r.id), r]))]),
    );
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('are numbered 1, 2, 3, … with no gap', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('a fixture of every earlier schema version is kept', () => {
    const versions = files.map((f) => Number(/v(\d+)/.exec(f)![1])).sort((a, b) => a - b);
    for (let v = 1; v < latestSchemaVersion; v++) expect(versions, `fixture for schema ${v}`).toContain(v);
  });

  it.each(files)('%s upgrades to the latest schema without losing a row or a value, after a backup', async (file) => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, file);
    copyFileSync(join(fixtures, file), path);
    const fromVersion = Number(/v(\d+)/.exec(file)![1]);
    const before = snapshot(path);
    const ws = new Workspace('test', join(t.dir, 'userdata'));
    const opened = await ws.open(path);
    expect(opened.sqlite.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(checkIntegrity(opened.sqlite)).toEqual([]);
    ws.close();
    const after = snapshot(path);
    for (const [table, rows] of before) {
      const now = after.get(table);
      expect(now, `table ${table} still exists`).toBeDefined();
      expect(now!.size, `rows of ${table}`).toBe(rows.size);
      for (const [id, row] of rows) for (const [col, value] of Object.entries(row)) if (col in (now!.get(id) ?? {})) expect(now!.get(id)![col], `${table} ${id} ${col}`).toEqual(value);
    }
    if (fromVersion < latestSchemaVersion) expect(listBackups(backupFolder(join(t.dir, 'userdata'), path)).map((b) => b.reason)).toContain('migration');
    // The fixture itself is never changed by the test.
    expect(readFileSync(join(fixtures, file)).length).toBeGreaterThan(0);
  });
});
