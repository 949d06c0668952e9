import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { latestSchemaVersion } from '../../electron/db/migrations/index';
import { openPlanDatabaseReadOnly } from '../../electron/db/open-read-only';
import { postgresSchemaVersion } from '../../electron/db/postgres-schema';
import { createDatabase } from '../../electron/workspace/create-database';
import { openLocationReadOnly } from '../../electron/workspace/read-location';
import { fileState, locationState, runCliCaptured } from '../helpers/cli-capture';
import { type Engine, engines, seededPlan } from '../helpers/engines';
import { testServerUrl } from '../helpers/pg-database';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { countRows } from '../helpers/plan-sql';

/**
 * Commands that only read change no byte of the database or its -wal/-shm/-journal and leave no
 * file behind, whatever the journal mode and schema version; a plan on read-only media can be
 * checked, dumped and exported, and the browser mode opens it read-only. On PostgreSQL they change
 * no row of any table (the plan's, the change log, plan_format) and never print the password.
 */

const repoRoot = join(import.meta.dirname, '..', '..');
const v1Fixture = join(repoRoot, 'tests', 'fixtures', 'schemas', 'schema-v1.plandb');
const CRASH_EDIT = 'クラッシュ前に確定した編集';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
let seedDb: string;

beforeAll(async () => {
  const shared = tempDir();
  seedDb = join(shared.dir, 'seed.plandb');
  await (await createDatabase(seedDb, realSeeds())).db.close();
  return () => shared.cleanup();
});

function setJournal(path: string, mode: 'wal' | 'delete'): void {
  const db = new Database(path);
  db.pragma(`journal_mode = ${mode}`);
  db.close();
}

/** The kinds of plan file a read-only command meets, each made by code. */
const kinds: Record<string, (path: string) => void> = {
  'WAL, closed cleanly (no -wal)': (path) => copyFileSync(seedDb, path),
  'rollback journal': (path) => {
    copyFileSync(seedDb, path);
    setJournal(path, 'delete');
  },
  'WAL with a -wal left by a crash (committed edit only in the -wal)': (path) => {
    const scratch = `${path}.scratch`;
    copyFileSync(seedDb, scratch);
    const db = new Database(scratch);
    db.pragma('wal_autocheckpoint = 0');
    db.prepare('update action_row set term_plan = ? where rowid = (select min(rowid) from action_row)').run(CRASH_EDIT);
    // What the disk holds at this moment is what a crash leaves: the file and its -wal.
    copyFileSync(scratch, path);
    copyFileSync(`${scratch}-wal`, `${path}-wal`);
    db.close();
  },
  'older schema (v1), rollback journal': (path) => copyFileSync(v1Fixture, path),
  'older schema (v1), WAL': (path) => {
    copyFileSync(v1Fixture, path);
    setJournal(path, 'wal');
  },
};

/** Every command that only reads; the import previews read the fill-in workbook the handout command wrote from the same file. */
function readCommands(db: string, out: string): string[][] {
  const workbook = join(out, '記入用_国際部_2021年度.xlsx');
  return [
    ['check', '--db', db],
    ['dump', '--db', db, '--out', join(out, 'dump.json')],
    ['dump', '--db', db],
    ['rollup', '--db', db, '--year', '2021'],
    ['export', '--db', db, '--layout', 'action-plan', '--year', '2021', '--format', 'xlsx', '--out', join(out, 'export')],
    ['handout', '--db', db, '--unit', '国際部', '--year', '2021', '--out', out],
    ['import', '--db', db, '--file', workbook],
    ['import', '--db', db, '--file', workbook, '--json'],
    ['backup', '--db', db, '--list'],
  ];
}

/** The kinds of plan each engine has: a file in every journal mode and schema; a database on PostgreSQL. */
const kindsOf = (engine: Engine) => (engine === 'sqlite' ? Object.keys(kinds) : ['the seed plan, with its change log']);

/** A plan of `kind` in `dir`, closed: its location (the file, the database URL with the password). */
async function makePlan(engine: Engine, kind: string, dir: string): Promise<string> {
  if (engine === 'sqlite') {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'plan.plandb');
    kinds[kind]!(path);
    return path;
  }
  const plan = await seededPlan('postgres');
  cleanups.push(plan.cleanup);
  await plan.db.close();
  return plan.location;
}

describe.each(engines)('read-only commands change nothing (%s)', { timeout: 600_000 }, (engine) => {
  it.each(kindsOf(engine))('%s', async (kind) => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = await makePlan(engine, kind, t.dir);
    const out = join(t.dir, 'out');
    mkdirSync(out);
    const before = await locationState(path);
    const password = engine === 'postgres' ? decodeURIComponent(new URL(testServerUrl()).password) : null;
    for (const args of readCommands(path, out)) {
      const r = await runCliCaptured(...args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
      expect(await locationState(path), args.join(' ')).toEqual(before);
      if (password) expect(`${r.stdout}${r.stderr}`, args.join(' ')).not.toContain(password);
    }
    // What was read is what the file holds (a crash-left -wal included), as the app would show it.
    const dump = readFileSync(join(out, 'dump.json'), 'utf8');
    expect(dump.includes(CRASH_EDIT)).toBe(kind.includes('crash'));
    expect(dump.length).toBeGreaterThan(1000);
    const check = JSON.parse((await runCliCaptured('check', '--db', path)).stdout) as { schemaVersion: number; pendingMigrations: number[]; ok: boolean };
    expect(check.ok).toBe(true);
    const appVersion = engine === 'sqlite' ? latestSchemaVersion : postgresSchemaVersion;
    const fileVersion = kind.includes('v1') ? 1 : appVersion;
    expect(check.schemaVersion).toBe(fileVersion);
    expect(check.pendingMigrations.length).toBe(appVersion - fileVersion);
  });

  it('a read-only open refuses writes instead of writing', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    for (const kind of kindsOf(engine)) {
      const path = await makePlan(engine, kind, join(t.dir, `${Math.random().toString(36).slice(2)}`));
      const before = await locationState(path);
      const opened = engine === 'sqlite' ? openPlanDatabaseReadOnly(path) : await openLocationReadOnly(path);
      const refusal = async (f: () => Promise<unknown>) => {
        try {
          await f();
        } catch (e) {
          return e;
        }
        return null;
      };
      try {
        const update = await refusal(() => opened.db.q.updateTable('action_row').set({ term_plan: 'x' }).execute());
        const remove = await refusal(() => sql`delete from action_row`.execute(opened.db.q));
        if (engine === 'sqlite') {
          // SQLite's English refusal is replaced by the app's message.
          expect(update instanceof AppError ? update.messageJa : '').toContain('読み取り専用');
          expect(remove instanceof AppError ? remove.code : '').toBe('read_only');
        } else {
          // PostgreSQL refuses it itself: every session of a read-only open is read-only on the server.
          expect(update).toMatchObject({ code: '25006' });
          expect(remove).toMatchObject({ code: '25006' });
        }
        expect(await countRows(opened.db, 'action_row')).toBeGreaterThan(0);
      } finally {
        await opened.db.close();
      }
      expect(await locationState(path)).toEqual(before);
    }
  });
});

/** Runs a script as the unprivileged user `nobody` (root ignores file permissions, so read-only media is tested this way). */
function asNobody(script: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('runuser', ['-u', 'nobody', '--', join(repoRoot, 'node_modules', '.bin', 'node'), '--import', 'tsx', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, HOME: '/tmp', NODE_OPTIONS: '' },
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const canRunAsNobody = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;

describe.skipIf(!canRunAsNobody)('a plan on read-only media (0444 file in a 0555 folder, run as nobody)', { timeout: 600_000 }, () => {
  it('can be checked, dumped and exported, and the browser mode opens it read-only and refuses edits with a message', () => {
    const t = tempDir();
    cleanups.push(() => {
      chmodSync(join(t.dir, 'media'), 0o755);
      t.cleanup();
    });
    chmodSync(t.dir, 0o755);
    const media = join(t.dir, 'media');
    mkdirSync(media);
    const files = ['WAL, closed cleanly (no -wal)', 'rollback journal', 'older schema (v1), rollback journal'].map((kind, i) => {
      const path = join(media, `plan-${i}.plandb`);
      kinds[kind]!(path);
      chmodSync(path, 0o444);
      return path;
    });
    chmodSync(media, 0o555);
    const out = join(t.dir, 'out');
    mkdirSync(out, { mode: 0o777 });
    chmodSync(out, 0o777);
    const before = files.map(fileState);
    const script = join(t.dir, 'as-nobody.mts');
    writeFileSync(
      script,
      `import { runCli } from ${JSON.stringify(join(repoRoot, 'electron', 'cli', 'main.ts'))};
import { Workspace } from ${JSON.stringify(join(repoRoot, 'electron', 'workspace', 'workspace.ts'))};
import { createHandler } from ${JSON.stringify(join(repoRoot, 'electron', 'api', 'handlers.ts'))};
const files = ${JSON.stringify(files)};
const out = ${JSON.stringify(out)};
const results = [];
const quiet = { log: console.log, write: process.stdout.write.bind(process.stdout) };
for (const [i, db] of files.entries()) {
  console.log = () => {};
  process.stdout.write = () => true;
  const codes = [
    await runCli(['check', '--db', db]),
    await runCli(['dump', '--db', db, '--out', out + '/dump-' + i + '.json']),
    await runCli(['export', '--db', db, '--layout', 'action-plan', '--year', '2021', '--format', 'xlsx', '--out', out + '/export-' + i]),
    await runCli(['init', '--db', db, '--force']),
  ];
  console.log = quiet.log;
  process.stdout.write = quiet.write;
  const ws = new Workspace('t');
  await ws.open(db);
  const handle = createHandler(ws, 'http', () => {});
  const summary = await handle('plan.summary', {});
  const rows = await handle('actionRows.list', { fiscalYear: 2021 });
  const row = rows.value[0];
  const edit = await handle('edits.apply', { label: 'test', edits: [{ entity: 'actionRow', id: row.id, field: 'termPlan', value: 'x' }] });
  results.push({ codes, readOnly: ws.readOnly, summaryOk: summary.ok, edit });
  await ws.close();
}
console.log(JSON.stringify(results));
`,
    );
    const r = asNobody(script);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { codes: number[]; readOnly: boolean; summaryOk: boolean; edit: { ok: boolean; error?: { code: string; message: string } } }[];
    for (const [i, res] of results.entries()) {
      expect(res.codes.slice(0, 3), files[i]).toEqual([0, 0, 0]);
      // init --force on read-only media is refused (with a message, not a stack).
      expect(res.codes[3]).toBe(1);
      expect(res.readOnly).toBe(true);
      expect(res.summaryOk).toBe(true);
      expect(res.edit.ok).toBe(false);
      expect(res.edit.error!.message).toContain('読み取り専用');
    }
    expect(r.stderr).not.toContain('    at ');
    expect(files.map(fileState)).toEqual(before);
    expect(readFileSync(join(out, 'dump-0.json'), 'utf8').length).toBeGreaterThan(1000);
  });
});
