import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { engines, type PlanUnderTest, seededPlan } from '../helpers/engines';
import { tempDir } from '../helpers/temp';

/** `npm run plan -- export`, run in-process on a real plan database (a file, a PostgreSQL database), writing real files. */

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
  try {
    const code = await runCli(args);
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe.each(engines)('plan export (%s)', (engine) => {
  let env: PlanUnderTest;
  let out: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    env = await seededPlan(engine);
    // The command opens the plan itself, as from a terminal.
    await env.db.close();
    out = tempDir();
  });
  afterAll(async () => {
    await env.cleanup();
    out.cleanup();
  });

  it('writes a unit’s action plan as Excel and PDF into the folder and prints their paths', async () => {
    const dir = join(out.dir, 'unit');
    const r = await run(['export', '--db', env.location, '--layout', 'unit', '--unit', '国際部', '--year', '2020', '--format', 'xlsx,pdf', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['中期事業計画_2020年度事業活動計画_アクションプラン_国際部.pdf', '中期事業計画_2020年度事業活動計画_アクションプラン_国際部.xlsx']);
    expect(r.stdout.split('\n')).toEqual(readdirSync(dir).sort().reverse().map((f) => join(dir, f)));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, '中期事業計画_2020年度事業活動計画_アクションプラン_国際部.xlsx'));
    // The printed sheets, and the very hidden record of the plan revision (issue 12).
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([['アクションプラン', 'visible'], ['_meta', 'veryHidden']]);
    const text = execFileSync('pdftotext', [join(dir, '中期事業計画_2020年度事業活動計画_アクションプラン_国際部.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('国際部');
    expect(text).toContain('【国際展開支援】');
  }, 120_000);

  it('writes the FY2021 overview and the rollup as Excel', async () => {
    const dir = join(out.dir, 'more');
    expect((await run(['export', '--db', env.location, '--layout', 'overview', '--year', '2021', '--format', 'xlsx', '--out', dir])).code).toBe(0);
    expect((await run(['export', '--db', env.location, '--layout', 'rollup', '--year', '２０２１年度', '--format', 'xlsx', '--out', dir])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['中期事業計画_2021年度事業活動計画.xlsx', '進捗集計_2021年度時点・全組織.xlsx']);
  });

  it('explains wrong arguments in Japanese and English, and writes nothing', async () => {
    const dir = join(out.dir, 'none');
    const cases: [string[], string][] = [
      [['--layout', 'poster', '--year', '2020', '--format', 'xlsx'], '--layout'],
      [['--layout', 'action-plan', '--year', '20', '--format', 'xlsx'], '--year'],
      [['--layout', 'action-plan', '--year', '2020', '--format', 'docx'], '--format'],
      [['--layout', 'overview', '--year', '2020', '--format', 'xlsx'], '2020年度の事業活動計画（概要）はありません。'],
      [['--layout', 'unit', '--unit', '存在しない部', '--year', '2020', '--format', 'xlsx'], '組織「存在しない部」は見つかりません。'],
    ];
    for (const [args, message] of cases) {
      const r = await run(['export', '--db', env.location, ...args, '--out', dir]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('error:');
    }
    expect(() => readdirSync(dir)).toThrow();
  });
});
