import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, staleReason } from '../../build/cli.mjs';
import { openPlanDatabase } from '../../electron/db/open';
import { applyGridEdits } from '../../electron/model/editing/apply-edits';
import { createDatabase } from '../../electron/workspace/create-database';
import { realSeeds } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { firstOf } from '../helpers/plan-sql';
import { freshPostgresDatabase } from '../helpers/pg-database';

/**
 * The built command line (build/cli.mjs → out/cli, what `npm run plan` runs): it runs under plain
 * node without the TypeScript loader, loads each command's code from its chunk, and finds the
 * child it forks to read a colleague's database beside itself. The launcher's staleness check
 * sees a changed source and a missing output.
 */

const root = join(import.meta.dirname, '..', '..');
// A build of its own inside the repository (node_modules is found from there), apart from out/cli.
const outDir = join(root, 'out', `cli-test-${process.pid}`);
const t = tempDir();
const db = join(t.dir, 'plan.plandb');

beforeAll(async () => {
  await buildCli(outDir);
  await (await createDatabase(db, realSeeds())).db.close();
}, 300_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  t.cleanup();
});

const plan = (...args: string[]) => {
  const r = spawnSync(process.execPath, [join(outDir, 'main.js'), ...args], {
    cwd: t.dir,
    encoding: 'utf8',
    env: { ...process.env, PLAN_WORKBENCH_USER_DATA: join(t.dir, 'userdata'), NODE_OPTIONS: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('the built command line', { timeout: 180_000 }, () => {
  it('prints its help under plain node', () => {
    const r = plan('--help');
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['init', 'check', 'rollup', 'export', 'handout', 'import']) expect(r.stdout).toMatch(new RegExp(`^ {2}${name} +--db FILE`, 'm'));
    expect(r.stdout).toMatch(/^ {2}copy +--from DB --to DB/m);
    expect(r.stdout).toContain('postgres://USER@HOST:PORT/DATABASE');
  });

  it('copies the plan to PostgreSQL and reads it there (pg loaded under plain node): the dumps are identical', async () => {
    const target = await freshPostgresDatabase();
    try {
      const copied = plan('copy', '--from', db, '--to', target.url);
      expect(copied.code, copied.stderr).toBe(0);
      expect(copied.stdout).toContain(target.location.display);
      const there = plan('dump', '--db', target.url);
      expect(there.code, there.stderr).toBe(0);
      expect(there.stdout).toBe(plan('dump', '--db', db).stdout);
    } finally {
      await target.drop();
    }
  });

  it("reads a colleague's database in the child it forks from beside itself, and then ends", async () => {
    const colleague = join(t.dir, 'colleague.plandb');
    copyFileSync(db, colleague);
    const opened = openPlanDatabase(colleague, { create: false });
    try {
      const { id } = (await firstOf(
        opened.db,
        sql<{ id: string }>`select t.id from target t join assignment a on a.row_id = t.row_id join unit u on u.id = a.unit_id where u.name = ${'国際部'} order by t.position, t.id limit 1`,
      ))!;
      await applyGridEdits(opened.db, 'セルの編集', [{ entity: 'target', id, field: 'label', value: '同僚が直した目標名' }]);
    } finally {
      await opened.db.close();
    }
    const r = plan('import', '--db', db, '--file', colleague);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('変更 1 件');
    expect(r.stdout).toContain('同僚が直した目標名');
  });

  it('writes a fill-in workbook (its command and Excel loaded when it runs)', () => {
    const r = plan('handout', '--db', db, '--unit', '国際部', '--year', '令和3年度', '--out', t.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(t.dir, '記入用_国際部_2021年度.xlsx'));
    expect(existsSync(r.stdout.trim())).toBe(true);
  });
});

describe('the launcher builds again when the build is stale', { timeout: 300_000 }, () => {
  const infoPath = join(outDir, 'build-info.json');

  it('fresh right after the build; stale when a source changed (by content, whatever its time stamp) or an output is gone', async () => {
    // Built again just now: the sources may have been edited since the build of beforeAll.
    await buildCli(outDir);
    expect(staleReason(outDir)).toBeNull();
    const original = readFileSync(infoPath, 'utf8');
    const info = JSON.parse(original) as { inputs: Record<string, { hash: string; mtimeMs: number; size: number }>; outputs: string[] };
    try {
      // As if electron/cli/main.ts had been edited since: its recorded stamp and hash are no longer the file's.
      info.inputs['electron/cli/main.ts'] = { hash: '0'.repeat(64), mtimeMs: 1, size: 1 };
      writeFileSync(infoPath, JSON.stringify(info));
      expect(staleReason(outDir)).toBe('electron/cli/main.ts changed');
      // Only the time stamp differs (a checkout touched it): the content decides, and it is the same.
      info.inputs['electron/cli/main.ts'] = { ...(JSON.parse(original) as typeof info).inputs['electron/cli/main.ts']!, mtimeMs: 1 };
      writeFileSync(infoPath, JSON.stringify(info));
      expect(staleReason(outDir)).toBeNull();
      const chunk = info.outputs.find((o) => o.includes('/chunks/'))!;
      const bytes = readFileSync(join(root, chunk));
      rmSync(join(root, chunk));
      try {
        expect(staleReason(outDir)).toBe(`${chunk} is missing`);
      } finally {
        writeFileSync(join(root, chunk), bytes);
      }
      rmSync(infoPath);
      expect(staleReason(outDir)).toBe('not built');
    } finally {
      writeFileSync(infoPath, original);
    }
  });
});
