import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { privateTempRoot } from '../../electron/files/private-temp';
import { foreignReadLimits, readInChild, readInWorker } from '../../electron/import/database-read';
import { checkForeignCopy } from '../../electron/import/foreign-read';
import { analyzeImport, applyImport } from '../../electron/import/import-session';
import { readPlanState } from '../../electron/model/plan-state';
import { dumpPlan } from '../../electron/seed/dump';
import { readSeedDump } from '../../electron/seed/read-seeds';
import { rollupOf } from '../../electron/model/queries/rollup';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { createDatabase } from '../../electron/workspace/create-database';
import { type Craft, structureCrafts, valueCrafts } from '../helpers/crafted-databases';
import { seededDatabase } from '../helpers/seeded-db';

/**
 * A colleague's plan database is read only through the tables and columns the model knows, and
 * every value passes the field rules: crafted copies (tests/helpers/crafted-databases.ts) of a real
 * database made with the services are refused with a short Japanese message naming table and
 * column, the open plan staying byte-identical, or (extra columns, triggers, other objects) read
 * as if the extra things were not there.
 */

let env: Awaited<ReturnType<typeof seededDatabase>>;
/** A colleague's copy of the open plan, as bytes of a rollback-journal file (so it can also be opened in memory). */
let copyBytes: Buffer;
let mine: { id: string; title: string };

/** The open plan's own SQLite file connection (for a checkpoint before its bytes are copied). */
function masterFile(): Database.Database {
  const db = env.db.db;
  if (db.engine !== 'sqlite') throw new Error('the master is a SQLite file here');
  return db.sqlite;
}

function copyOfMaster(): Buffer {
  masterFile().pragma('wal_checkpoint(TRUNCATE)');
  const path = join(env.dir, 'copy-base.plandb');
  writeFileSync(path, readFileSync(env.path));
  const db = new Database(path);
  db.pragma('journal_mode = DELETE');
  db.close();
  return readFileSync(path);
}

beforeAll(async () => {
  env = await seededDatabase();
  // The master has a history of its own before the copy is taken (a real edit through the services).
  const theme = (await env.db.db.q.selectFrom('theme').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
  await applyGridEdits(env.db.db, '編集', [{ entity: 'theme', id: theme, field: 'text', value: '計画担当が直したテーマ' }]);
  copyBytes = copyOfMaster();
  mine = await env.db.db.q.selectFrom('plan').select(['id', 'title']).executeTakeFirstOrThrow();
});
afterAll(async () => {
  await env.cleanup();
});

const hashOf = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'none');
const masterHash = () => [hashOf(env.path), hashOf(`${env.path}-wal`)].join('/');

function crafted(craft: Craft): Buffer {
  const db = new Database(copyBytes);
  try {
    craft.mutate(db);
    return db.serialize();
  } finally {
    db.close();
  }
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('every column of every table, set to each class of bad value', () => {
  const crafts = valueCrafts();

  it('makes a few hundred cases', () => {
    expect(crafts.length).toBeGreaterThan(250);
  });

  it('refuses each with a short Japanese message naming the table, the column and the row (checked on the copy)', () => {
    for (const craft of crafts) {
      const db = new Database(copyBytes);
      try {
        craft.mutate(db);
        const e = refusal(() => checkForeignCopy(db, latestSchemaVersion, '同僚のコピー.plandb', mine));
        expect(e.code, craft.name).toBe('bad_file');
        expect(e.messageJa.length, craft.name).toBeLessThan(300);
        // A plan whose id was changed is another plan: said so before any value is looked at.
        if (craft.name.startsWith('plan.id:')) expect(e.messageJa, craft.name).toContain('別の計画');
        else {
          for (const m of craft.mentions ?? []) expect(e.messageJa, craft.name).toContain(m);
          expect(e.messageJa, craft.name).toMatch(/^「同僚のコピー\.plandb」は取り込めません。/);
        }
      } finally {
        db.close();
      }
    }
    }, 300_000); // a few hundred copies of a real plan, checked one by one on a busy machine
});

describe('crafted copies through the import (a child process reads them)', () => {
  let before: string;
  beforeEach(() => {
    before = masterHash();
  });
  afterEach(() => {
    // Whatever happened, the open plan is byte-identical and no copy is left in the temp folder.
    expect(masterHash()).toBe(before);
    expect(readdirSync(privateTempRoot()).filter((d) => d.startsWith(`import-copy-${process.pid}-`))).toEqual([]);
  });

  const analyze = (bytes: Buffer) => analyzeImport(env.db.db, env.path, { name: '同僚のコピー.plandb', bytes });

  const issueCases = valueCrafts().filter((c) =>
    [
      'target.baseline_value: text',
      'target_value.plan_value: text',
      'target.kind: an unknown choice',
      'target.direction: an unknown choice',
      'year_plan.text: 2,000,000 characters',
      'year_plan.text: a BLOB',
      'unit.name: a control character',
      'target.theme_id: a dangling reference',
      'overview_item.is_new: 2',
      'joint_project.fiscal_year: a five-digit year',
    ].includes(c.name),
  );

  it.each([...issueCases, ...structureCrafts().filter((c) => c.expect === 'refused')].map((c) => [c.name, c] as const))('refuses %s', async (_, craft) => {
    const e = await analyze(crafted(craft)).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AppError);
    const error = e as AppError;
    expect(error.code).toBe('bad_file');
    expect(error.messageJa.length).toBeLessThan(300);
    for (const m of craft.mentions ?? []) expect(error.messageJa).toContain(m);
  });

  it('checks the cases the issue names are all among them', () => {
    expect(issueCases).toHaveLength(10);
  });

  it.each(structureCrafts().filter((c) => c.expect === 'accepted').map((c) => [c.name, c] as const))('reads a copy with %s as the plan itself: no phantom change', async (_, craft) => {
    const { review } = await analyze(crafted(craft));
    expect(review.items).toEqual([]);
    expect(review.base?.how).toBe('common');
  });

  it('stops a read that does not end by its deadline, and cleans up', async () => {
    const saved = { ...foreignReadLimits };
    foreignReadLimits.deadlineMs = 1;
    foreignReadLimits.perMegabyteMs = 0;
    try {
      await expect(analyze(copyBytes)).rejects.toMatchObject({ code: 'bad_file', messageJa: expect.stringContaining('終わらないため中止しました') });
    } finally {
      Object.assign(foreignReadLimits, saved);
    }
  });
});

describe('the reader in a worker thread (inside Electron, which cannot fork a Node child)', () => {
  it('reads a copy exactly as the child process does, and refuses a crafted one the same way', async () => {
    const path = join(env.dir, 'worker-read.plandb');
    writeFileSync(path, copyBytes);
    const viaWorker = await readInWorker(path, 'copy.plandb', mine, 60_000);
    const viaChild = await readInChild(path, 'copy.plandb', mine, 60_000);
    expect(viaWorker.plan).toEqual(viaChild.plan);
    expect(viaWorker.changeSets).toEqual(viaChild.changeSets);
    expect(JSON.stringify(viaWorker.theirs)).toBe(JSON.stringify(viaChild.theirs));
    const bad = valueCrafts()[0]!;
    writeFileSync(path, crafted(bad));
    await expect(readInWorker(path, 'bad.plandb', mine, 60_000)).rejects.toMatchObject({ code: 'bad_file' });
  });

  it('is stopped at its deadline', async () => {
    const path = join(env.dir, 'worker-deadline.plandb');
    writeFileSync(path, copyBytes);
    await expect(readInWorker(path, 'copy.plandb', mine, 1)).rejects.toMatchObject({ code: 'bad_file', messageJa: expect.stringContaining('終わらないため中止しました') });
  });
});

describe('an extra column in a colleague’s copy', () => {
  it('shows only the real change, applies it after the backup, and the plan still rolls up and rebuilds from its dump', async () => {
    const target = await env.db.db.q.selectFrom('target').select(['id', 'label']).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const bytes = crafted({
      name: 'extra columns and one edit',
      expect: 'accepted',
      mutate: (db) => {
        for (const table of ['target', 'unit', 'theme', 'action_row']) db.exec(`alter table "${table}" add column extra_note text default 'メモ'`);
        db.prepare('update target set label = ? where id = ?').run('同僚が直した指標', target.id);
      },
    });
    const analysis = await analyzeImport(env.db.db, env.path, { name: '同僚のコピー.plandb', bytes });
    const changed = analysis.review.items.flatMap((i) => i.cells.map((c) => [i.kind, i.conflict, c.theirs]));
    expect(changed).toContainEqual(['change', false, '同僚が直した指標']);
    expect(analysis.review.items.length).toBeLessThanOrEqual(2);
    let backups = 0;
    await applyImport(env.db.db, analysis, { take: analysis.review.items.map((i) => i.id), keep: [] }, async () => {
      backups++;
      return null;
    });
    expect(backups).toBe(1);
    expect((await readPlanState(env.db.db)).target![target.id]!.label).toBe('同僚が直した指標');
    const rollup = await rollupOf(env.db.db, {});
    expect(rollup.targets.find((t) => t.id === target.id)?.label ?? '同僚が直した指標').toBe('同僚が直した指標');
    expect(rollup.totals.targets).toBeGreaterThan(0);
    const dumpPath = join(env.dir, 'after-import.json');
    writeFileSync(dumpPath, JSON.stringify(await dumpPlan(env.db.db)));
    const again = await createDatabase(join(env.dir, 'again.plandb'), readSeedDump(dumpPath), { source: dumpPath });
    try {
      expect((await readPlanState(again.db)).target).toEqual((await readPlanState(env.db.db)).target);
    } finally {
      await again.db.close();
    }
  });
});
