import { copyFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { backupFolder, copyToFile, listBackups, rotateBackups } from '../../electron/db/backup';
import { openPlanDatabase } from '../../electron/db/open';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { createDatabaseFile } from '../../electron/workspace/create-database';
import { Workspace } from '../../electron/workspace/workspace';
import { realSeeds, sqliteOf } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const path = join(t.dir, 'plan.plandb');
  createDatabaseFile(path, realSeeds());
  const userData = join(t.dir, 'userdata');
  return { dir: t.dir, path, userData };
}

const firstRowTermPlan = (ws: Workspace) =>
  ws.current.db.q.selectFrom('action_row').select(['id', 'term_plan']).orderBy('page').orderBy('position').limit(1).executeTakeFirstOrThrow();

describe('backups', () => {
  it('takes a daily backup on open, once a day, beside the database in the user data folder', async () => {
    const { path, userData } = setup();
    const ws = new Workspace('t', userData);
    await ws.open(path);
    await ws.close();
    const second = new Workspace('t', userData);
    await second.open(path);
    await second.close();
    const backups = listBackups(backupFolder(userData, path));
    expect(backups.map((b) => b.reason)).toEqual(['daily']);
    expect(backups[0]!.path.startsWith(join(userData, 'backups'))).toBe(true);
  });

  it('restores a backup: the edit made after it is gone, and the state before the restore is kept as a backup', async () => {
    const { path, userData } = setup();
    const ws = new Workspace('t', userData);
    await ws.open(path);
    const row = await firstRowTermPlan(ws);
    const before = await ws.backupNow('manual');
    await applyGridEdits(ws.current.db, 'edit', [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'バックアップ後の変更' }]);
    expect((await firstRowTermPlan(ws)).term_plan).toBe('バックアップ後の変更');

    await ws.restore(before.id);
    expect((await firstRowTermPlan(ws)).term_plan).toBe(row.term_plan);
    const reasons = ws.backups().map((b) => b.reason);
    expect(reasons).toContain('restore');
    // The state before the restore can itself be restored.
    const undoRestore = ws.backups().find((b) => b.reason === 'restore')!;
    await ws.restore(undoRestore.id);
    expect((await firstRowTermPlan(ws)).term_plan).toBe('バックアップ後の変更');
    await ws.close();
  });

  it('refuses a backup id that is a path, not one of the backups', async () => {
    const { path, userData } = setup();
    const ws = new Workspace('t', userData);
    await ws.open(path);
    await expect(ws.restore('../../etc/passwd')).rejects.toBeInstanceOf(AppError);
    await ws.close();
  });

  it('a backup taken while an action is half done waits for it and holds none of it (the action fails here)', async () => {
    const { path, dir } = setup();
    const opened = openPlanDatabase(path, { create: false });
    cleanups.push(() => opened.db.close());
    const db = opened.db;
    const first = await db.q.selectFrom('unit').select(['id', 'name']).orderBy('position').limit(1).executeTakeFirstOrThrow();
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let written!: () => void;
    const halfDone = new Promise<void>((r) => (written = r));
    const action = db.transaction(async (tx) => {
      await tx.q.updateTable('unit').set({ name: '取り消される名前' }).where('id', '=', first.id).execute();
      written();
      await paused;
      throw new Error('the action fails after its first write');
    });
    await halfDone;
    const copy = copyToFile(db, join(dir, 'copy.plandb'));
    // The copy meets the half-done action: it must wait for it (neither fail nor copy its write).
    const meanwhile = await Promise.race([copy.then(() => 'copied', (e: unknown) => `failed: ${String(e)}`), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    expect(meanwhile).toBe('waiting');
    resume();
    await expect(action).rejects.toThrow('the action fails');
    await copy;
    const copied = new Database(join(dir, 'copy.plandb'), { readonly: true });
    try {
      expect(copied.prepare('select name from unit where id = ?').get(first.id)).toEqual({ name: first.name });
    } finally {
      copied.close();
    }
  });

  it('keeps the last 10 backups and the newest of each of the last 30 days', () => {
    const { dir } = setup();
    const folder = join(dir, 'rot');
    const now = new Date(2026, 10, 22, 12, 0, 0);
    const names: string[] = [];
    // 20 backups today, and one at 9:00 on each of the 40 days before.
    for (let i = 0; i < 20; i++) names.push(`20261122-11${String(i).padStart(2, '0')}00000-manual.plandb`);
    for (let d = 1; d <= 40; d++) {
      const day = new Date(now.getTime() - d * 86_400_000);
      const p = (n: number) => String(n).padStart(2, '0');
      names.push(`${day.getFullYear()}${p(day.getMonth() + 1)}${p(day.getDate())}-090000000-daily.plandb`);
    }
    spawnSync('mkdir', ['-p', folder]);
    for (const n of names) writeFileSync(join(folder, n), 'x');
    rotateBackups(folder, now);
    const kept = listBackups(folder).map((b) => b.id);
    expect(kept.filter((k) => k.startsWith('20261122'))).toHaveLength(10);
    // Today and the 29 days before make 30 days; older ones are removed.
    const olderDays = kept.filter((k) => !k.startsWith('20261122'));
    expect(olderDays).toHaveLength(29);
  });

  it('backs up before migrating an older database', async () => {
    const { path, userData } = setup();
    // Pretend the file is of schema version 0 with data: an upgrade is pending.
    const raw = new Database(path);
    raw.pragma('user_version = 0');
    const rowsBefore = raw.prepare('select count(*) as n from action_row').get();
    raw.close();
    // A v0 file cannot be migrated by v1's migration (its tables exist), so opening fails — but the
    // backup is taken first, holds the file as it was, and the failed migration changed no data.
    await expect(new Workspace('t', userData).open(path)).rejects.toThrow();
    const backups = listBackups(backupFolder(userData, path));
    expect(backups.map((b) => b.reason)).toEqual(['migration']);
    const copy = new Database(backups[0]!.path, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(0);
    expect(copy.prepare('select count(*) as n from action_row').get()).toEqual(rowsBefore);
    copy.close();
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(0);
    expect(after.prepare('select count(*) as n from action_row').get()).toEqual(rowsBefore);
    after.close();
    expect(latestSchemaVersion).toBeGreaterThan(0);
  });
});

describe('one writer per database', () => {
  it('a second workspace on the same file is told who has it, and can open it once the first closes', async () => {
    const { path, userData } = setup();
    const first = new Workspace('t', userData);
    await first.open(path);
    const second = new Workspace('t', userData);
    const err = await second.open(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('database_busy');
    expect((err as AppError).messageJa).toContain('別の計画ワークベンチ');
    await first.close();
    await second.open(path);
    await second.close();
  });

  it('takes over a lock left by a process that died', async () => {
    const { path, userData, dir } = setup();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: Number(dead.stdout.toString()), host: (await import('node:os')).hostname(), since: 'x' }));
    const ws = new Workspace('t', userData);
    await ws.open(path);
    await ws.close();
    copyFileSync(path, join(dir, 'copy.plandb'));
  });
});

describe('file operations that could destroy a file in use', () => {
  it('File › New refuses a file another workspace has open, and Save a copy refuses the open file itself', async () => {
    const { path, userData, dir } = setup();
    const holder = new Workspace('t', userData);
    await holder.open(path);
    const other = new Workspace('t', userData);
    await other.open(join(dir, 'other.plandb'), { createFrom: realSeeds });
    const newOnTop = await other.create(path, realSeeds()).catch((e: unknown) => e);
    expect((newOnTop as AppError).code).toBe('database_busy');
    expect((await firstRowTermPlan(holder)).term_plan.length).toBeGreaterThan(0);
    const onItself = await holder.saveCopy(path).catch((e: unknown) => e);
    expect((onItself as AppError).code).toBe('conflict');
    await holder.saveCopy(join(dir, 'copy2.plandb'));
    await holder.close();
    await other.close();
  });

  it('refuses to restore a backup written by a newer version, before replacing anything', async () => {
    const { path, userData } = setup();
    const ws = new Workspace('t', userData);
    await ws.open(path);
    const newer = await ws.backupNow('manual');
    const raw = new Database(newer.path);
    raw.pragma(`user_version = ${latestSchemaVersion + 1}`);
    raw.close();
    const before = await firstRowTermPlan(ws);
    const e = await ws.restore(newer.id).catch((err: unknown) => err);
    expect((e as AppError).code).toBe('database_newer');
    expect(await firstRowTermPlan(ws)).toEqual(before);
    await ws.close();
  });

  /** A backup of the previous version (schema 1) holding what the new rules refuse, made by `spoil` from the kept v1 fixture. */
  const refusedV1Backups: Record<string, (db: Database.Database) => void> = {
    'a unit kind that is no choice': (db) => db.prepare("update unit set kind = '支社' where rowid = (select min(rowid) from unit)").run(),
    'a year plan that is binary': (db) => db.prepare("update year_plan set text = x'00ff' where rowid = (select min(rowid) from year_plan)").run(),
    'a theme pointing at no row': (db) => db.pragma('foreign_keys = OFF') && db.prepare("update theme set row_id = '00000000-0000-4000-8000-000000000000' where rowid = (select min(rowid) from theme)").run(),
    'a text over the new length limit': (db) => db.prepare('update theme set text = ? where rowid = (select min(rowid) from theme)').run('長'.repeat(50_001)),
    'an empty plan title': (db) => db.prepare("update plan set title = ''").run(),
  };

  it.each(Object.keys(refusedV1Backups))('refuses to restore a schema-1 backup the new rules refuse (%s), before replacing anything; the plan stays open', async (what) => {
    const { path, userData } = setup();
    const ws = new Workspace('t', userData);
    await ws.open(path);
    const entry = await ws.backupNow('manual');
    copyFileSync(join(import.meta.dirname, '..', 'fixtures', 'schemas', 'schema-v1.plandb'), entry.path);
    const raw = new Database(entry.path);
    refusedV1Backups[what]!(raw);
    raw.close();
    const before = await firstRowTermPlan(ws);
    const reasons = ws.backups().map((b) => b.reason);
    const e = await ws.restore(entry.id).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).messageJa).toMatch(/このバックアップ.*は戻せません。.*開いている計画は変更していません。/);
    expect((e as AppError).messageJa.length).toBeLessThan(500);
    // Still open, writable, unchanged; no restore backup was taken for a restore that did not happen.
    expect(ws.readOnly).toBe(false);
    expect(await firstRowTermPlan(ws)).toEqual(before);
    await applyGridEdits(ws.current.db, 'edit', [{ entity: 'actionRow', id: before.id, field: 'termPlan', value: '戻せなかった後の編集' }]);
    expect((await firstRowTermPlan(ws)).term_plan).toBe('戻せなかった後の編集');
    expect(ws.backups().map((b) => b.reason)).toEqual(reasons);
    await ws.close();
  });

  it('restores a schema-1 backup with pasted soft line breaks: it is migrated and its line breaks are newlines', async () => {
    const { path, userData } = setup();
    const ws = new Workspace('t', userData);
    await ws.open(path);
    const entry = await ws.backupNow('manual');
    copyFileSync(join(import.meta.dirname, '..', 'fixtures', 'schemas', 'schema-v1.plandb'), entry.path);
    const raw = new Database(entry.path);
    const theme = (raw.prepare('select id from theme order by rowid limit 1').get() as { id: string }).id;
    raw.prepare('update theme set text = ? where id = ?').run('一行目\v二行目\f三行目\u0007', theme);
    raw.close();
    await ws.restore(entry.id);
    expect(ws.readOnly).toBe(false);
    expect(sqliteOf(ws.current).pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(await ws.current.db.q.selectFrom('theme').select('text').where('id', '=', theme).executeTakeFirst()).toEqual({ text: '一行目\n二行目\n三行目' });
    await ws.close();
  });
});
