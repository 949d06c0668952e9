import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { openPlanDatabase } from '../../electron/db/open';
import { startPlanServer, type PlanServer } from '../../electron/server/http-server';
import { createHandler, toWire, wireLogMessage } from '../../electron/api/handlers';
import { asAppError, knownFailure } from '../../electron/api/known-failures';
import { createLogFile, logFilePath } from '../../electron/api/log-file';
import { Workspace } from '../../electron/workspace/workspace';
import { seededDatabase } from '../helpers/seeded-db';
import { tempDir } from '../helpers/temp';
import { countRows, sqliteFileOf } from '../helpers/plan-sql';

/**
 * Stack traces and absolute paths never reach the page: what crosses IPC and HTTP is the code, the
 * Japanese message, where, and a short English detail without stack or path; the stack goes to the
 * log file in the user data folder. Failures with a known cause (full disk, read-only, busy
 * database, a bad request body) get a short specific Japanese message, not 「予期しないエラー」.
 */

const UNEXPECTED = '予期しないエラー';
const stackLine = /\n\s+at /;
const absolutePath = /(^|[\s(:'"])\/(tmp|work|home|usr|root|var|proc)\b|[A-Za-z]:\\/;

let env: Awaited<ReturnType<typeof seededDatabase>>;
let ws: Workspace;
let handle: ReturnType<typeof createHandler>;
let userData: string;
const log = () => (existsSync(logFilePath(userData)) ? readFileSync(logFilePath(userData), 'utf8') : '');

beforeAll(async () => {
  env = await seededDatabase();
  userData = join(env.dir, 'userdata');
  ws = new Workspace('test', userData);
  await ws.use(env.db);
  // The default logger: the log file in the user data folder.
  handle = createHandler(ws, 'ipc');
});
afterAll(async () => {
  await ws.close();
  await env.cleanup();
});

const target = async () => (await ws.current.db.q.selectFrom('target').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
const edit = async (value: string) => ({ label: 'x', edits: [{ entity: 'target', id: await target(), field: 'note', value }] });
/** The open plan file's own connection, for what only SQLite has (its page limit, its busy timeout). */
const sqliteOfPlan = () => sqliteFileOf(ws.current.db);

describe('what crosses the transport', () => {
  it('an unexpected error: a Japanese message and a one-line detail without stack or paths; the stack is in the log file only', async () => {
    await ws.current.db.close(); // the next call meets a closed database: an Error from the driver, not an AppError
    const outcome = await handle('actionRows.list', { fiscalYear: 2020 });
    await ws.use(openPlanDatabase(env.path));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.message).toContain(UNEXPECTED);
    expect(outcome.error.logMessage).not.toMatch(stackLine);
    expect(outcome.error.logMessage).not.toMatch(absolutePath);
    expect(JSON.stringify(outcome)).not.toContain(import.meta.dirname.split('/tests')[0]!);
    // The log file has the whole story: the method, the error and its stack with the source paths.
    expect(log()).toContain('[api] actionRows.list: internal:');
    expect(log()).toMatch(stackLine);
  });

  it('wireLogMessage keeps one short line and cuts absolute paths to their last part', () => {
    const e = new Error("ENOENT: no such file or directory, open '/home/planner/計画/plan.plandb'");
    expect(wireLogMessage(e.stack!)).toBe("Error: ENOENT: no such file or directory, open '…/plan.plandb'");
    expect(wireLogMessage('cannot write C:\\Users\\planner\\Documents\\計画.xlsx: EBUSY')).toBe('cannot write …/計画.xlsx: EBUSY');
    expect(wireLogMessage('copy \\\\server\\share\\plan.plandb failed')).toBe('copy …/plan.plandb failed');
    expect(wireLogMessage('at file:///work/main/out/main/index.js:1:2')).toBe('at …/index.js:1:2');
    expect(wireLogMessage('IPC from untrusted frame https://evil.example/a/b')).toBe('IPC from untrusted frame https://evil.example/a/b');
    expect(wireLogMessage('ratio 1/2 of 3/4')).toBe('ratio 1/2 of 3/4');
    const segment = fc.stringMatching(/^[A-Za-z0-9._\u3040-\u30ff-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 2, maxLength: 6 }), fc.string({ maxLength: 400 }), fc.constantFrom('/', 'C:\\', '~/'), (parts, noise, start) => {
        const sep = start === 'C:\\' ? '\\' : '/';
        const path = start + parts.join(sep);
        const out = wireLogMessage(`${noise.replace(/[\r\n]/g, ' ')} open '${path}'\n    at x (${path}:1:1)`);
        expect(out.length).toBeLessThanOrEqual(200);
        expect(out).not.toContain('\n');
        expect(out).not.toContain(`${sep}${parts[parts.length - 2]}${sep}`);
      }),
      { numRuns: 300 },
    );
    expect(toWire(new AppError('bad_file', '短い', `x\n${'y'.repeat(5000)}`))).toEqual({ code: 'bad_file', message: '短い', logMessage: 'x' });
  });
});

describe('failures with a known cause get a specific short message', () => {
  it('a full disk (SQLite: the database cannot grow) — disk_full, nothing saved', async () => {
    const db = sqliteOfPlan();
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const before = await countRows(ws.current.db, 'change');
    const targets = await ws.current.db.q.selectFrom('target').select('id').orderBy('id').execute();
    const edits = targets.map((t, i) => ({ entity: 'target', id: t.id, field: 'note', value: `備考${i}：${'長い備考。'.repeat(300)}` }));
    const outcome = await handle('edits.apply', { label: 'x', edits });
    db.pragma('max_page_count = 1073741823');
    expect(outcome).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    if (!outcome.ok) expect(outcome.error.message).toContain('ディスクの空き容量');
    expect(await countRows(ws.current.db, 'change')).toBe(before);
  });

  it('a database another program holds — database_busy, try again later', async () => {
    const other = new Database(env.path);
    other.exec('begin immediate');
    const db = sqliteOfPlan();
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    try {
      const outcome = await handle('edits.apply', await edit('ほかのプログラムが書いている間の編集'));
      expect(outcome).toMatchObject({ ok: false, error: { code: 'database_busy' } });
      if (!outcome.ok) expect(outcome.error.message).not.toContain(UNEXPECTED);
    } finally {
      other.exec('rollback');
      other.close();
      db.pragma(`busy_timeout = ${timeout}`);
    }
  });

  it('system errors as Node reports them: ENOSPC, EACCES, EROFS, EISDIR, ENOENT, extended SQLite codes, causes', () => {
    const thrown = (f: () => unknown): unknown => {
      try {
        f();
      } catch (e) {
        return e;
      }
      throw new Error('did not throw');
    };
    const dir = tempDir();
    try {
      if (existsSync('/dev/full')) expect(asAppError(thrown(() => writeFileSync('/dev/full', 'x'))).code).toBe('disk_full');
      expect(asAppError(thrown(() => readFileSync(dir.dir))).code).toBe('bad_file');
      expect(asAppError(thrown(() => readFileSync(join(dir.dir, 'missing.plandb')))).code).toBe('not_found');
      mkdirSync(join(dir.dir, 'folder.plandb'));
      const sqliteOnFolder = thrown(() => new Database(join(dir.dir, 'folder.plandb')).exec('create table t(x)'));
      expect(knownFailure(sqliteOnFolder), String(sqliteOnFolder)).toBeDefined();
    } finally {
      dir.cleanup();
    }
    // Node's own shape of errors the test (running as any user) cannot provoke here.
    const nodeError = (code: string) => Object.assign(new Error(`${code}: failed, open '/home/x/plan.plandb'`), { code, errno: -1, syscall: 'open' });
    expect(asAppError(nodeError('EACCES'))).toMatchObject({ code: 'read_only', messageJa: expect.stringContaining('権限') });
    expect(asAppError(nodeError('EROFS'))).toMatchObject({ code: 'read_only', messageJa: expect.stringContaining('読み取り専用') });
    expect(asAppError(nodeError('SQLITE_READONLY_DBMOVED')).code).toBe('read_only');
    expect(asAppError(nodeError('SQLITE_IOERR_WRITE')).messageJa).toContain('ディスクの読み書き');
    expect(asAppError(new Error('wrapped', { cause: nodeError('ENOSPC') })).code).toBe('disk_full');
    expect(asAppError(new RangeError('Invalid string length')).messageJa).toContain('大きすぎ');
    expect(asAppError(new Error('a bug')).messageJa).toContain(UNEXPECTED);
    for (const code of ['EACCES', 'EROFS', 'ENOSPC', 'SQLITE_BUSY', 'SQLITE_FULL']) expect(asAppError(nodeError(code)).messageJa.length).toBeLessThan(120);
  });

  it('bad request bodies in the browser mode: a short Japanese answer the page shows, not 「予期しないエラー」', async () => {
    const site = tempDir();
    writeFileSync(join(site.dir, 'index.html'), '<!doctype html>');
    const server: PlanServer = await startPlanServer({ handler: handle, staticDir: site.dir });
    try {
      const get = (path: string) =>
        new Promise<number>((resolve, reject) =>
          request({ host: '127.0.0.1', port: server.port, path, headers: { host: `127.0.0.1:${server.port}` } }, (res) => (res.resume(), resolve(res.statusCode ?? 0)))
            .on('error', reject)
            .end(),
        );
      // A malformed escape in a static path is the client's error (400), not the server's (500).
      expect(await get('/%E0%A4%A')).toBe(400);
      expect(await get('/index.html')).toBe(200);
      const post = (body: string) =>
        new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
          const req = request(
            { host: '127.0.0.1', port: server.port, path: '/api', method: 'POST', headers: { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', 'x-plan-token': server.token } },
            (res) => {
              let text = '';
              res.on('data', (c: Buffer) => (text += c.toString()));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      for (const body of ['{"method": "plan.summary", "args": ', 'null', '[1,2]', '"text"', '\u0000\u0001', '{'.repeat(10_000)]) {
        const r = await post(body);
        expect(r.status, body.slice(0, 20)).toBe(400);
        expect(r.type).toContain('application/json');
        const outcome = JSON.parse(r.body) as { ok: boolean; error: { code: string; message: string } };
        expect(outcome).toMatchObject({ ok: false, error: { code: 'bad_request' } });
        expect(outcome.error.message).toContain('送られたデータ');
      }
      // A body the schema refuses (an upload that is not base64 text) is a refused argument, not an unexpected error.
      const upload = await post(JSON.stringify({ method: 'import.analyze', args: { source: { kind: 'upload', fileName: 'x.xlsx', base64: 42 } } }));
      expect(JSON.parse(upload.body)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    } finally {
      await server.close();
      site.cleanup();
    }
  });
});

describe('the log file', () => {
  it('lives in <user data>/logs, readable by the user only, and rotates by size keeping three old files', () => {
    const dir = tempDir();
    try {
      const log = createLogFile(dir.dir, { maxBytes: 2000, keep: 3 });
      for (let i = 0; i < 200; i++) log(`entry ${i} ${'x'.repeat(100)}\n    at stack line ${i}`);
      const folder = join(dir.dir, 'logs');
      expect(readdirSync(folder).sort()).toEqual(['plan-workbench.log', 'plan-workbench.log.1', 'plan-workbench.log.2', 'plan-workbench.log.3']);
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(folder)) {
        expect(statSync(join(folder, f)).mode & 0o777, f).toBe(0o600);
        expect(statSync(join(folder, f)).size).toBeLessThanOrEqual(2000 + 300);
      }
      const newest = readFileSync(join(folder, 'plan-workbench.log'), 'utf8');
      expect(newest).toContain('entry 199');
      expect(newest).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[\d+\] entry/);
      expect(readFileSync(join(folder, 'plan-workbench.log.3'), 'utf8')).not.toContain('entry 199');
      // A log that cannot be written (its folder is a file) is no second error.
      const broken = tempDir();
      writeFileSync(join(broken.dir, 'logs'), 'not a folder');
      expect(() => createLogFile(broken.dir)('line')).not.toThrow();
      broken.cleanup();
    } finally {
      dir.cleanup();
    }
  });
});
