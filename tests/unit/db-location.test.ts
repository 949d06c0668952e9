import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/app-error';
import { type Env, parseDbLocation, type PostgresLocation } from '../../electron/db/db-location';
import { tempDir } from '../helpers/temp';

/**
 * Where a database is named (--db, serve, File › Open): files stay files; PostgreSQL is reached by
 * URL, by the PG* environment variables or by a connection file, and the password never shows in
 * what is displayed or in a message, however the location was typed.
 */

const noEnv: Env = {};

function pgOf(text: string, env: Env = noEnv): PostgresLocation {
  const location = parseDbLocation(text, env);
  if (location.kind !== 'postgres') throw new Error(`${text} read as a file`);
  return location;
}

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('files', () => {
  it('a path is a file, whatever it looks like otherwise', () => {
    for (const path of ['plan.plandb', '/home/a/plan.plandb', 'C:\\Users\\a\\plan.plandb', './postgres/plan.plandb', 'postgresql.plandb'])
      expect(parseDbLocation(path, noEnv)).toEqual({ kind: 'file', path });
  });
});

describe('PostgreSQL URLs', () => {
  it('reads every part, percent-decoded, and displays the URL without the password', () => {
    const l = pgOf('postgresql://pl%40n:p%40ss%3Aw%2Fo%23rd@db.example.org:6543/plan%20A?sslmode=require&connect_timeout=3&application_name=wb');
    expect(l.config).toMatchObject({ host: 'db.example.org', port: 6543, user: 'pl@n', password: 'p@ss:w/o#rd', database: 'plan A', ssl: { rejectUnauthorized: false }, connectionTimeoutMillis: 3000, application_name: 'wb' });
    expect(l.display).toBe('postgres://pl%40n@db.example.org:6543/plan%20A');
  });

  it('takes what the URL leaves out from PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, then libpq’s defaults', () => {
    const env = { PGHOST: 'pg.internal', PGPORT: '5555', PGUSER: 'alice', PGPASSWORD: 'from-env', PGDATABASE: 'plans' };
    expect(pgOf('postgres://bob@/shared', env).config).toMatchObject({ host: 'pg.internal', port: 5555, user: 'bob', password: 'from-env', database: 'shared' });
    expect(pgOf('postgres:', env).config).toMatchObject({ host: 'pg.internal', port: 5555, user: 'alice', password: 'from-env', database: 'plans' });
    expect(pgOf('postgres:', env).display).toBe('postgres://alice@pg.internal:5555/plans');
    expect(pgOf('POSTGRESQL:', { USER: 'carol' }).config).toMatchObject({ host: 'localhost', port: 5432, user: 'carol', database: 'carol' });
    expect(pgOf('postgres:', { USER: 'carol' }).config.password).toBeUndefined();
  });

  it('reads IPv6 hosts and unix sockets, and its display reads back as the same place', () => {
    const v6 = pgOf('postgres://u:secret@[::1]:5433/d');
    expect(v6.config).toMatchObject({ host: '::1', port: 5433 });
    expect(v6.display).toBe('postgres://u@[::1]:5433/d');
    const socket = pgOf('postgres://u@/d?host=/var/run/postgresql&port=5434');
    expect(socket.config).toMatchObject({ host: '/var/run/postgresql', port: 5434, user: 'u', database: 'd' });
    for (const l of [v6, socket]) {
      const again = pgOf(l.display);
      expect(again.display).toBe(l.display);
      expect({ ...again.config, password: undefined }).toEqual({ ...l.config, password: undefined });
    }
  });

  it('refuses a bad URL with a Japanese message, naming no value', () => {
    const cases = [
      'postgres://u:pw@h:99999/d',
      'postgres://u:pw@h:port/d',
      'postgres://u:pw@h/d?sslmode=prefer',
      'postgres://u:pw@h/d?options=-c%20x',
      'postgres://u:pw@h/a/b',
      'postgres://u:p%zzw@h/d',
      'postgres://u:pw@h/d#x',
      'postgres://u:pw@h1,h2/d',
      'postgres:plan',
      'postgres://u:pw@[::1/d',
    ];
    for (const text of cases) {
      const e = refusal(() => parseDbLocation(text, noEnv));
      expect(e.code, text).toBe('invalid_arguments');
      expect(e.messageJa, text).toMatch(/PostgreSQL の接続先 URL を読めません/);
      expect(e.messageJa + e.message, text).not.toContain('pw');
    }
  });

  // A password no other part of the URL can contain by chance: a marker, then anything.
  const oddChars = fc.constantFrom(...'aZ09 @:/?#%&=+[]\'"\\!$^~`{}|<>;,.ü日本語😀\t'.split(/(?:)/u));
  const password = fc.array(oddChars, { minLength: 1, maxLength: 24 }).map((cs) => `Ｐ§${cs.join('')}`);
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
  const host = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z]{2,5})?$/), fc.constant('127.0.0.1'), fc.constant('[::1]'));

  it('a percent-encoded password of any characters reads back exactly, and never shows', () => {
    fc.assert(
      fc.property(name, password, host, fc.integer({ min: 1, max: 65535 }), name, (user, pw, h, port, db) => {
        const l = pgOf(`postgres://${user}:${encodeURIComponent(pw)}@${h}:${port}/${db}`);
        expect(l.config).toMatchObject({ user, password: pw, port, database: db });
        expect(l.display).not.toContain(pw);
        expect(l.display).not.toContain(encodeURIComponent(pw));
        expect(l.display).not.toContain('§');
      }),
      { numRuns: 300 },
    );
  });

  it('a password typed without encoding either reads as typed or is refused, and never shows in the display or a message', () => {
    fc.assert(
      fc.property(name, password, host, name, (user, pw, h, db) => {
        let l: PostgresLocation;
        try {
          l = pgOf(`postgres://${user}:${pw}@${h}/${db}`);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          const { messageJa, message } = e as AppError;
          expect(messageJa).not.toContain(pw);
          expect(message).not.toContain(pw);
          expect(messageJa + message).not.toContain('§');
          return;
        }
        expect(l.display).not.toContain(pw);
        expect(l.display).not.toContain('§');
        if (!/[/?#%]/.test(pw)) expect(l.config.password).toBe(pw);
      }),
      { numRuns: 500 },
    );
  });
});

describe('connection files (.pgconn)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => {
    t = tempDir();
  });
  afterEach(() => t.cleanup());

  const write = (file: string, content: unknown, mode: number) => {
    const path = join(t.dir, file);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    chmodSync(path, mode);
    return path;
  };

  it('reads host, port, database, user and the password, or the password from its own file', () => {
    const inline = write('a.pgconn', { host: 'pg.lan', port: 6000, database: 'plan', user: 'alice', password: 'Ｐ§inline' }, 0o600);
    const l = pgOf(inline);
    expect(l.config).toMatchObject({ host: 'pg.lan', port: 6000, database: 'plan', user: 'alice', password: 'Ｐ§inline' });
    expect(l.display).toBe('postgres://alice@pg.lan:6000/plan');
    write('pw.txt', 'Ｐ§from-file\n', 0o600);
    const viaFile = write('b.pgconn', { host: 'pg.lan', database: 'plan', user: 'alice', passwordFile: 'pw.txt' }, 0o644);
    expect(pgOf(viaFile).config.password).toBe('Ｐ§from-file');
  });

  it.skipIf(process.platform === 'win32')('refuses a password that others can read, saying how to fix it', () => {
    const open = write('c.pgconn', { host: 'h', user: 'u', password: 'Ｐ§readable' }, 0o644);
    const e = refusal(() => parseDbLocation(open, noEnv));
    expect(e.code).toBe('forbidden');
    expect(e.messageJa).toMatch(/chmod 600/);
    write('open-pw.txt', 'Ｐ§x', 0o640);
    expect(refusal(() => parseDbLocation(write('d.pgconn', { host: 'h', user: 'u', passwordFile: 'open-pw.txt' }, 0o600), noEnv)).code).toBe('forbidden');
  });

  it('refuses a broken file without quoting it, and a missing one', () => {
    const broken = write('e.pgconn', '{"host": "h", "password": "Ｐ§broken', 0o600);
    const e = refusal(() => parseDbLocation(broken, noEnv));
    expect(e.messageJa).toMatch(/JSON として読めません/);
    expect(e.messageJa + e.message).not.toContain('§');
    expect(refusal(() => parseDbLocation(write('f.pgconn', { host: 'h', passwrd: 'x' }, 0o600), noEnv)).messageJa).toMatch(/passwrd/);
    expect(refusal(() => parseDbLocation(join(t.dir, 'missing.pgconn'), noEnv)).code).toBe('not_found');
  });
});
