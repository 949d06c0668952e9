import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { exportDocument, renderExportFiles } from '../../electron/export/export-document';
import { type PlanServer, startPlanServer } from '../../electron/server/http-server';
import { createHandler } from '../../electron/api/handlers';
import { Workspace } from '../../electron/workspace/workspace';
import { writeBadFiles } from '../fixtures/bad-files/generate';
import { tempDir } from '../helpers/temp';
import { patchXlsx, readZip, sheetPath, writeZip } from '../helpers/xlsx-patch';

/**
 * Every bad file (written afresh by tests/fixtures/bad-files/generate.ts into a temporary folder)
 * is refused, through the service (upload, as the browser mode and a dropped file do) and through
 * `npm run plan -- import --apply`, with a short Japanese message naming the problem (and the
 * sheet and cell where there is one), and the database file stays byte-identical. Byte-identical
 * needs the file at rest: the WAL is checkpointed and closed before the first hash, and after each
 * refusal the main file's bytes, the WAL (no frame written) and the change log are checked again.
 */

/** Where the README of the bad files is (it names every file). */
const folder = join(import.meta.dirname, '..', 'fixtures', 'bad-files');

const expected: Record<string, { message: string; where?: string }> = {
  'not-an-xlsx.xlsx': { message: '取り込めるファイルではありません' },
  'empty.xlsx': { message: '空のファイルです' },
  'old-excel.xls': { message: 'Excel 97-2003 形式（.xls）' },
  'truncated.xlsx': { message: '壊れているため読めません' },
  'broken-entry.xlsx': { message: '壊れているため読めません' },
  'zip-bomb.xlsx': { message: '展開すると 200 MB を超えます' },
  'zip-bomb-lying.xlsx': { message: '申告された大きさを超えて展開されます' },
  'zip-header-past-end.xlsx': { message: '壊れているため読めません' },
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
  'meta-without-format.xlsx': { message: '管理情報（非表示のシート）が壊れています' },
  'no-meta.xlsx': { message: '記入用ブックですが、管理情報（非表示のシート「_meta」）が見つかりません。シートを削除したか、中身を別のブックに写した可能性があります。計画担当に記入用ブックを配り直してもらうか、配られた元のファイルに記入して' },
  'export-formula.xlsx': { message: 'シート「アクションプラン①」のセル B4: 数式が入っています', where: 'アクションプラン①!B4' },
  'export-theme-emptied.xlsx': { message: 'シート「アクションプラン①」のセル B4: テーマが空になっています', where: 'アクションプラン①!B4' },
  'not-ours.plandb': { message: '計画ワークベンチのデータベースではありません' },
  'not-sqlite.plandb': { message: '取り込めるファイルではありません' },
  'newer.plandb': { message: '新しいバージョンの計画ワークベンチで作られています（形式 99' },
  'damaged.plandb': { message: '壊れているため読めません（計画データベースとして開けません）' },
  'truncated.plandb': { message: '壊れているため読めません（計画データベースとして開けません）' },
  'other-plan.plandb': { message: '別の計画（次期中期事業計画）のデータベース' },
};

let badFiles: string[];
let files: string;
let dir: ReturnType<typeof tempDir>;
let dbPath: string;
let bytesAtRest: string;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const walFrames = () => (existsSync(`${dbPath}-wal`) ? statSync(`${dbPath}-wal`).size : 0);

beforeAll(async () => {
  dir = tempDir();
  files = join(dir.dir, 'bad-files');
  mkdirSync(files);
  badFiles = (await writeBadFiles(files)).filter((f) => f !== 'plan.plandb');
  dbPath = join(dir.dir, 'plan.plandb');
  copyFileSync(join(files, 'plan.plandb'), dbPath);
  // One open and close puts the file in the state it keeps (WAL mode set, log checkpointed).
  const ws = new Workspace('test', dir.dir);
  await ws.open(dbPath);
  await ws.close();
  expect(walFrames()).toBe(0);
  bytesAtRest = sha(dbPath);
  vi.stubEnv('PLAN_WORKBENCH_USER_DATA', dir.dir);
}, 120_000);
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
    const sets = async () => Number((await ws.current.db.q.selectFrom('change_set').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await sets();
    try {
      for (const f of badFiles) {
        const outcome = await handle('import.analyze', { source: { kind: 'upload', fileName: f, base64: readFileSync(join(files, f)).toString('base64') } });
        expect(outcome.ok, f).toBe(false);
        if (outcome.ok) continue;
        expect(outcome.error.code, f).toBe('bad_file');
        expect(outcome.error.message, f).toContain(`「${f}」`);
        expect(outcome.error.message, f).toContain(expected[f]!.message);
        expect(outcome.error.message.length, f).toBeLessThanOrEqual(500);
        expect(outcome.error.where, f).toBe(expected[f]!.where);
        expect(sha(dbPath), `${f}: main file`).toBe(bytesAtRest);
        expect(walFrames(), `${f}: nothing written to the log`).toBe(0);
        expect(await sets(), f).toBe(before);
      }
    } finally {
      await ws.close();
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
        const code = await runCli(['import', '--db', dbPath, '--file', join(files, f), '--apply', '--theirs']);
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
      await ws.close();
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

type Handle = ReturnType<typeof createHandler>;
const upload = (handle: Handle, fileName: string, bytes: Buffer) => handle('import.analyze', { source: { kind: 'upload', fileName, base64: bytes.toString('base64') } });

/** The workbook with one formatted, empty cell at the sheet's very last row, as Excel keeps a cell someone once formatted. */
function formattedLastRow(bytes: Buffer, sheet: string): Buffer {
  const zip = readZip(bytes);
  const path = sheetPath(zip, sheet);
  const xml = zip
    .get(path)!
    .toString('utf8')
    .replace('</sheetData>', '<row r="1048576" s="1" customFormat="1"><c r="C1048576" s="1"/></row></sheetData>')
    .replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:K1048576"/>');
  zip.set(path, Buffer.from(xml));
  return writeZip([...zip].map(([name, data]) => [name, data]));
}

describe('a formatted empty cell at row 1,048,576', () => {
  it('is not "too many rows": a fill-in workbook and an export read as the short sheets they are, and a real problem is still named', async () => {
    const ws = new Workspace('test', dir.dir);
    await ws.open(dbPath);
    const handle = createHandler(ws, 'http', () => {});
    try {
      const units = (await handle('units.list', {})) as { ok: true; value: { id: string; name: string }[] };
      const unitId = units.value.find((u) => u.name === '国際部')!.id;
      const handout = (await handle('import.handoutWorkbook', { unitId, fiscalYear: 2021 })) as { ok: true; value: { base64: string } };
      const far = formattedLastRow(formattedLastRow(Buffer.from(handout.value.base64, 'base64'), '目標・実績'), 'アクションプラン');
      expect(await upload(handle, '書式だけの行.xlsx', far)).toMatchObject({ ok: true, value: { status: 'ready', review: { items: [] } } });

      const bad = await upload(handle, '書式だけの行.xlsx', patchXlsx(far, [{ sheet: '目標・実績', cells: { H5: 'たくさん' } }]));
      expect(bad).toMatchObject({ ok: false, error: { code: 'bad_file', where: '目標・実績!H5' } });
      expect(bad.ok ? '' : bad.error.message).not.toContain('行が多すぎます');

      const [exported] = await renderExportFiles(await exportDocument(ws.current.db, { layout: 'action-plan', fiscalYear: 2020 }), ['xlsx'], null);
      const farExport = formattedLastRow(Buffer.from(exported!.bytes), 'アクションプラン①');
      expect(await upload(handle, '書式だけの行_出力.xlsx', farExport)).toMatchObject({ ok: true, value: { status: 'ready', review: { items: [] } } });
    } finally {
      await ws.close();
    }
    expect(walFrames()).toBe(0);
    expect(sha(dbPath)).toBe(bytesAtRest);
  }, 60_000);
});

describe('bad uploads in the browser mode', () => {
  interface Reply {
    status: number;
    outcome: { ok: boolean; error?: { code: string; message: string } };
  }
  function post(server: PlanServer, body: string, contentType = 'application/json'): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: '/api', headers: { host: `127.0.0.1:${server.port}`, 'content-type': contentType, 'x-plan-token': server.token } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, outcome: JSON.parse(text) as Reply['outcome'] }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('get a short Japanese message saying what happened and what to do, and the database is untouched', async () => {
    const ws = new Workspace('test', dir.dir);
    await ws.open(dbPath);
    const server = await startPlanServer({ handler: createHandler(ws, 'http', () => {}) });
    const workbook = readFileSync(join(files, 'bad-number.xlsx')).toString('base64');
    const analyze = (base64: string) => JSON.stringify({ method: 'import.analyze', args: { source: { kind: 'upload', fileName: '記入用.xlsx', base64 } } });
    try {
      const replies: [string, Reply, number, string][] = [
        ['multipart upload', await post(server, `--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\u0003\u0004\r\n--x--`, 'multipart/form-data; boundary=x'), 415, '送られたデータの形式が違うため受け取れませんでした'],
        ['JSON cut in the middle', await post(server, analyze(workbook).slice(0, 5000)), 400, '途中で切れています'],
        ['base64 cut short', await post(server, analyze(workbook.slice(0, workbook.length - 3))), 200, 'アップロードされたファイルのデータが途中で切れているか壊れています'],
        ['a data URL instead of base64', await post(server, analyze(`data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,${workbook}`)), 200, 'アップロードされたファイルのデータが途中で切れているか壊れています'],
      ];
      for (const [what, reply, status, message] of replies) {
        expect(reply.status, what).toBe(status);
        expect(reply.outcome.ok, what).toBe(false);
        expect(reply.outcome.error!.message, what).toContain(message);
        expect(reply.outcome.error!.message.length, what).toBeLessThanOrEqual(500);
        expect(reply.outcome.error!.code, what).not.toBe('internal');
      }
    } finally {
      await server.close();
      await ws.close();
    }
    expect(walFrames()).toBe(0);
    expect(sha(dbPath)).toBe(bytesAtRest);
  }, 60_000);
});
