import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { createHandler } from '../../electron/services/handlers';
import { Workspace } from '../../electron/services/workspace';
import { tempDir } from '../helpers/temp';

/**
 * Every file of tests/fixtures/bad-files is refused, through the service (upload, as the browser
 * mode and a dropped file do) and through `npm run plan -- import --apply`, with a Japanese
 * message naming the problem (and the sheet and cell where there is one), and the database file
 * stays byte-identical. Byte-identical needs the file at rest: the WAL is checkpointed and closed
 * before the first hash, and after each refusal the main file's bytes, the WAL (no frame written)
 * and the change log are checked again.
 */

const folder = join(import.meta.dirname, '..', 'fixtures', 'bad-files');

const expected: Record<string, { message: string; where?: string }> = {
  'not-an-xlsx.xlsx': { message: '取り込めるファイルではありません' },
  'empty.xlsx': { message: '空のファイルです' },
  'old-excel.xls': { message: 'Excel 97-2003 形式（.xls）' },
  'truncated.xlsx': { message: '壊れているため読めません' },
  'broken-entry.xlsx': { message: '壊れているため読めません' },
  'zip-bomb.xlsx': { message: '展開すると 200 MB を超えます' },
  'zip-bomb-lying.xlsx': { message: '申告された大きさを超えて展開されます' },
  'zip-many-entries.xlsx': { message: '30,000 個のファイル' },
  'not-a-workbook.xlsx': { message: 'ブックの中身がありません' },
  'another-layout.xlsx': { message: '「事業活動計画（概要）」の様式です' },
  'plain-workbook.xlsx': { message: '取り込める様式のブックではありません' },
  'unknown-id.xlsx': { message: 'シート「アクションプラン」のセル A5（行の ID（非表示の A 列））: この行の ID は計画にありません', where: 'アクションプラン!A5' },
  'duplicate-id.xlsx': { message: 'シート「目標・実績」のセル A6（行の ID（非表示の A 列））: 5 行目と同じ行の ID です', where: '目標・実績!A6' },
  'bad-number.xlsx': { message: 'シート「目標・実績」のセル H5（2021年度 計画）: 「たくさん」は数値として読めません', where: '目標・実績!H5' },
  'wrong-unit.xlsx': { message: 'シート「目標・実績」のセル H5（2021年度 計画）: 「3,300社」の単位「社」はこの欄の単位「回」と違います', where: '目標・実績!H5' },
  'formula.xlsx': { message: 'シート「目標・実績」のセル H5（2021年度 計画）: 数式が入っています', where: '目標・実績!H5' },
  'error-value.xlsx': { message: 'シート「目標・実績」のセル I5（2021年度 実績）: エラー値（#N/A）', where: '目標・実績!I5' },
  'huge-text.xlsx': { message: 'セル D5（2021年度（中期事業計画２年目）事業活動計画）: 文字数が多すぎます（10,485,760 文字、上限 1,000,000 文字）', where: 'アクションプラン!D5' },
  'too-many-rows.xlsx': { message: 'シート「目標・実績」の行が多すぎます（100,001 行、上限 100,000 行）' },
  'unknown-unit.xlsx': { message: 'シート「アクションプラン」のセル E5（主な担当）: 「宇宙開発部」という組織はありません', where: 'アクションプラン!E5' },
  'newer-version.xlsx': { message: '新しいバージョンの計画ワークベンチ（9.0.0）で作られた記入用ブック' },
  'other-plan.xlsx': { message: '別の計画（次期中期事業計画）の記入用ブック' },
  'foreign-revision.xlsx': { message: '履歴にない時点（版 99999）' },
  'broken-meta.xlsx': { message: '管理情報（非表示のシート）が壊れています' },
  'not-ours.plandb': { message: '計画ワークベンチのデータベースではありません' },
  'not-sqlite.plandb': { message: '取り込めるファイルではありません' },
  'newer.plandb': { message: '新しいバージョンの計画ワークベンチで作られています（形式 99' },
  'damaged.plandb': { message: '壊れているため読めません（計画データベースとして開けません）' },
  'truncated.plandb': { message: '壊れているため読めません（計画データベースとして開けません）' },
  'other-plan.plandb': { message: '別の計画（次期中期事業計画）のデータベース' },
};

const badFiles = readdirSync(folder).filter((f) => /\.(xlsx|xls|plandb)$/.test(f) && f !== 'plan.plandb');

let dir: ReturnType<typeof tempDir>;
let dbPath: string;
let bytesAtRest: string;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const walFrames = () => (existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0);

beforeAll(async () => {
  dir = tempDir();
  dbPath = join(dir.dir, 'plan.plandb');
  copyFileSync(join(folder, 'plan.plandb'), dbPath);
  // One open and close puts the file in the state it keeps (WAL mode set, log checkpointed).
  const ws = new Workspace('test', dir.dir);
  await ws.open(dbPath);
  ws.close();
  expect(walFrames()).toBe(0);
  bytesAtRest = sha(dbPath);
  vi.stubEnv('PLAN_WORKBENCH_USER_DATA', dir.dir);
});
afterAll(() => {
  vi.unstubAllEnvs();
  dir.cleanup();
});

describe('the bad-file folder', () => {
  it('has an expectation for every file and a line in its README for every file', () => {
    expect(badFiles.sort()).toEqual(Object.keys(expected).sort());
    const readme = readFileSync(join(folder, 'README.md'), 'utf8');
    for (const f of badFiles) expect(readme, f).toContain(`\`${f}\``);
  });

  it('refuses each file through the service with its message; the database is untouched after each', async () => {
    const ws = new Workspace('test', dir.dir);
    await ws.open(dbPath);
    const handle = createHandler(ws, 'http', () => {});
    const sets = () => (ws.current.sqlite.prepare('select count(*) as n from change_set').get() as { n: number }).n;
    const before = sets();
    try {
      for (const f of badFiles) {
        const outcome = await handle('import.analyze', { source: { kind: 'upload', fileName: f, base64: readFileSync(join(folder, f)).toString('base64') } });
        expect(outcome.ok, f).toBe(false);
        if (outcome.ok) continue;
        expect(outcome.error.code, f).toBe('bad_file');
        expect(outcome.error.message, f).toContain(`「${f}」`);
        expect(outcome.error.message, f).toContain(expected[f]!.message);
        expect(outcome.error.where, f).toBe(expected[f]!.where);
        expect(sha(dbPath), `${f}: main file`).toBe(bytesAtRest);
        expect(walFrames(), `${f}: nothing written to the log`).toBe(0);
        expect(sets(), f).toBe(before);
      }
    } finally {
      ws.close();
    }
    expect(sha(dbPath)).toBe(bytesAtRest);
  });

  it('refuses each file through `plan import --apply` with exit code 1 and the message; the database is byte-identical', async () => {
    const errors: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      for (const f of badFiles) {
        errors.length = 0;
        const code = await runCli(['import', '--db', dbPath, '--file', join(folder, f), '--apply', '--theirs']);
        expect(code, f).toBe(1);
        expect(errors.join('\n'), f).toContain('エラー: ');
        expect(errors.join('\n'), f).toContain(expected[f]!.message);
      }
    } finally {
      err.mockRestore();
      log.mockRestore();
    }
    expect(walFrames()).toBe(0);
    expect(sha(dbPath)).toBe(bytesAtRest);
  });

  it('refuses a file over the size limit (made here: 51 MB) before reading it, through both ways', async () => {
    const big = join(dir.dir, 'too-large.xlsx');
    const bytes = Buffer.alloc(51 * 1024 * 1024);
    bytes.write('PK\u0003\u0004', 'latin1');
    writeFileSync(big, bytes);
    const ws = new Workspace('test', dir.dir);
    await ws.open(dbPath);
    try {
      const outcome = await createHandler(ws, 'http', () => {})('import.analyze', { source: { kind: 'upload', fileName: 'too-large.xlsx', base64: bytes.subarray(0, 51 * 1024 * 1024).toString('base64') } });
      expect(outcome).toMatchObject({ ok: false, error: { code: 'bad_file', message: '「too-large.xlsx」は大きすぎます（51 MB、上限 50 MB）。' } });
    } finally {
      ws.close();
    }
    const errors: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    try {
      expect(await runCli(['import', '--db', dbPath, '--file', big])).toBe(1);
    } finally {
      err.mockRestore();
    }
    expect(errors.join('\n')).toContain('「too-large.xlsx」は大きすぎます（51 MB、上限 50 MB）');
    expect(sha(dbPath)).toBe(bytesAtRest);
  });
});
