import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type pg from 'pg';
import { AppError } from '../../shared/errors/app-error';

/**
 * Where a plan database is, as `--db`, `npm run serve` and File › Open name it:
 *
 * - a file path: the embedded SQLite plan (the default);
 * - `postgres://user:password@host:port/database?…` (or `postgresql://`): a PostgreSQL plan. A
 *   password with `@ : / ? # %` or spaces is written percent-encoded, as in every URL. Parameters:
 *   host (a unix socket's folder), port, user, password, dbname, sslmode (disable, require,
 *   verify-ca, verify-full), connect_timeout (seconds), application_name;
 * - `postgres:` alone: the server named by the environment, PGHOST, PGPORT, PGDATABASE, PGUSER and
 *   PGPASSWORD, as psql reads them (what a URL leaves out is also taken from them);
 * - a connection file `NAME.pgconn`: JSON `{ "host", "port", "database", "user", "password" }` or
 *   `"passwordFile"` (a file holding only the password, relative to the .pgconn) instead of
 *   `"password"`. A file holding a password must be readable by its owner only (chmod 600), as
 *   libpq asks of ~/.pgpass: it is refused otherwise.
 *
 * The last two keep the password off the command line (which every user of the machine can read in
 * the process list) and out of shell history and logs. With no password anywhere, pg reads
 * ~/.pgpass. Whatever the form, `display` (the name in messages, logs and the window title) is the
 * URL without the password, and no message here repeats what was typed: a mistyped URL may hold the
 * password in any of its parts.
 */

export type DbLocation = { kind: 'file'; path: string } | PostgresLocation;

export interface PostgresLocation {
  kind: 'postgres';
  /** Everything pg needs, explicit (host, port, database, user, password when given). */
  config: pg.PoolConfig;
  /** postgres://user@host:port/database, never with the password. */
  display: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_PORT = 5432;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const urlParameters = ['host', 'port', 'user', 'password', 'dbname', 'sslmode', 'connect_timeout', 'application_name'] as const;
const sslModes = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

const badUrl = (why: string, log: string) =>
  new AppError('invalid_arguments', `PostgreSQL の接続先 URL を読めません: ${why}（例: postgres://ユーザー@ホスト:5432/データベース）。`, `bad PostgreSQL location: ${log}`);

/** What `text` names: a file, or a PostgreSQL database. */
export function parseDbLocation(text: string, env: Env = process.env): DbLocation {
  const scheme = /^(postgres|postgresql):/i.exec(text);
  if (scheme) {
    if (text.length === scheme[0].length) return fromParts({}, env);
    if (!text.slice(scheme[0].length).startsWith('//'))
      throw badUrl('「postgres://」で始めるか、環境変数を使うときは「postgres:」だけを指定してください', 'a postgres: location is either postgres: alone or a postgres:// URL');
    return fromUrl(text, env);
  }
  if (text.toLowerCase().endsWith('.pgconn')) return fromConnectionFile(text, env);
  return { kind: 'file', path: text };
}

/** Is this text a PostgreSQL location (without reading or checking it)? */
export const isPostgresLocation = (text: string) => /^(postgres|postgresql):/i.test(text) || text.toLowerCase().endsWith('.pgconn');

interface Parts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  ssl?: pg.PoolConfig['ssl'];
  connectTimeoutMs?: number;
  applicationName?: string;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badUrl(`${what}の % の後が 16 進数 2 桁になっていません`, `${what === 'パスワード' ? 'password' : 'a part'} has a bad percent-escape`);
  }
}

function portOf(value: string, source: string): number {
  const port = /^[0-9]{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) throw badUrl(`ポート番号（${source}）は 1〜65535 の数です`, `port (${source}) is not a number in 1..65535`);
  return port;
}

/**
 * libpq's URL form, read by hand: WHATWG's URL refuses `postgres://user@/db?host=/socket` (a user
 * and no host), which libpq and psql accept, and reads `+` in a parameter as a space.
 */
function fromUrl(text: string, env: Env): PostgresLocation {
  const rest = text.slice(text.indexOf('//') + 2);
  if (rest.includes('#')) throw badUrl('「#」は使えません（パスワードの中なら %23 と書きます）', 'the URL has a #');
  const end = rest.search(/[/?]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? '' : rest.slice(end);
  const query = tail.indexOf('?');
  const path = (query < 0 ? tail : tail.slice(0, query)).replace(/^\//, '');
  const search = query < 0 ? '' : tail.slice(query + 1);
  const parts: Parts = {};
  // The last @ ends the user and password: a raw @ in a password still reads as meant.
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    const colon = userInfo.indexOf(':');
    const user = decode(colon < 0 ? userInfo : userInfo.slice(0, colon), 'ユーザー名');
    if (user !== '') parts.user = user;
    const password = colon < 0 ? '' : decode(userInfo.slice(colon + 1), 'パスワード');
    if (password !== '') parts.password = password;
  }
  const bracket = /^\[([0-9A-Fa-f:.]+)\](?::(.*))?$/.exec(hostPort);
  const [host, port] = bracket ? [bracket[1]!, bracket[2]] : hostPort.includes(':') ? [hostPort.slice(0, hostPort.indexOf(':')), hostPort.slice(hostPort.indexOf(':') + 1)] : [hostPort, undefined];
  if (!bracket && hostPort.startsWith('[')) throw badUrl('IPv6 のアドレスが [ ] で正しく囲まれていません', 'bad [IPv6] host');
  if (host !== '') parts.host = hostOf(decode(host, 'ホスト名'));
  if (port !== undefined && port !== '') parts.port = portOf(port, 'URL');
  // A raw @ or a second / in the path is a password or database name that was not percent-encoded.
  if (path.includes('/') || path.includes('@')) throw badUrl('データベース名は「/」の後に一つだけ書きます（記号は %40 のように書きます）', 'the path is not a single database name');
  if (path !== '') parts.database = decode(path, 'データベース名');
  const params = search === '' ? [] : search.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badUrl('「?」の後は「名前=値」を「&」でつなぎます', 'a parameter without name=value');
    return [decode(pair.slice(0, eq), 'パラメーター名'), decode(pair.slice(eq + 1), 'パラメーターの値')] as const;
  });
  for (const [key, value] of params) {
    switch (key as (typeof urlParameters)[number]) {
      case 'host':
        parts.host = hostOf(value);
        break;
      case 'port':
        parts.port = portOf(value, 'port=');
        break;
      case 'user':
        parts.user = value;
        break;
      case 'password':
        parts.password = value;
        break;
      case 'dbname':
        parts.database = value;
        break;
      case 'sslmode':
        parts.ssl = sslOf(value);
        break;
      case 'connect_timeout': {
        const seconds = /^[0-9]{1,6}$/.test(value) ? Number(value) : NaN;
        if (!(seconds >= 1)) throw badUrl('connect_timeout は秒数（1 以上の整数）です', 'connect_timeout is not a whole number of seconds');
        parts.connectTimeoutMs = seconds * 1000;
        break;
      }
      case 'application_name':
        parts.applicationName = value;
        break;
      default:
        // The name of the parameter only: its value may be a secret.
        throw badUrl(`パラメーター「${key.slice(0, 40)}」は使えません（使えるもの: ${urlParameters.join(', ')}）`, `unknown parameter ${JSON.stringify(key.slice(0, 40))}`);
    }
  }
  return fromParts(parts, env);
}

/** A host name, an IP address or (starting with /) a unix socket's folder; one, not libpq's list. */
function hostOf(host: string): string {
  if (host.startsWith('/')) return host;
  if (host.includes(',')) throw badUrl('ホストは一つだけ指定できます', 'a list of hosts is not supported');
  if (!/^[A-Za-z0-9._:-]+$/.test(host)) throw badUrl('ホスト名に使えない文字があります（パスワードの記号は %40 のように書きます）', 'the host name has characters no host name has');
  return host;
}

function sslOf(mode: string): pg.PoolConfig['ssl'] {
  switch (mode as (typeof sslModes)[number]) {
    case 'disable':
      return false;
    // libpq's require: encrypted, the certificate not checked.
    case 'require':
      return { rejectUnauthorized: false };
    // Node checks the certificate's chain and its host name together.
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      throw badUrl(`sslmode は ${sslModes.join('・')} のどれかです`, `unsupported sslmode ${JSON.stringify(mode.slice(0, 20))}`);
  }
}

/** Fills what the location left out from the environment, then from libpq's defaults. */
function fromParts(parts: Parts, env: Env): PostgresLocation {
  const host = parts.host ?? nonEmpty(env.PGHOST) ?? 'localhost';
  const port = parts.port ?? (nonEmpty(env.PGPORT) !== undefined ? portOf(env.PGPORT!, 'PGPORT') : DEFAULT_PORT);
  const user = parts.user ?? nonEmpty(env.PGUSER) ?? nonEmpty(env.USER) ?? nonEmpty(env.USERNAME);
  if (user === undefined) throw badUrl('ユーザー名がありません（URL か PGUSER で指定してください）', 'no user name (URL or PGUSER)');
  const database = parts.database ?? nonEmpty(env.PGDATABASE) ?? user;
  const password = parts.password ?? nonEmpty(env.PGPASSWORD);
  const ssl = parts.ssl ?? (nonEmpty(env.PGSSLMODE) !== undefined ? sslOf(env.PGSSLMODE!) : undefined);
  const config: pg.PoolConfig = {
    host,
    port,
    user,
    database,
    connectionTimeoutMillis: parts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(password !== undefined ? { password } : {}),
    ...(ssl !== undefined ? { ssl } : {}),
    ...(parts.applicationName !== undefined ? { application_name: parts.applicationName } : {}),
  };
  return { kind: 'postgres', config, display: displayOf(config) };
}

const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** The URL without the password: what every message, log line and title shows. */
export function displayOf(config: pg.PoolConfig): string {
  const user = encodeURIComponent(config.user ?? '');
  const database = encodeURIComponent(config.database ?? '');
  const host = config.host ?? 'localhost';
  const port = config.port ?? DEFAULT_PORT;
  // A unix socket's folder goes in ?host=, as libpq writes it.
  if (host.startsWith('/')) return `postgres://${user}@/${database}?host=${encodeURIComponent(host)}&port=${port}`;
  return `postgres://${user}@${host.includes(':') ? `[${host}]` : host}:${port}/${database}`;
}

/** The short name: database@host. */
export const shortNameOf = (config: pg.PoolConfig) => `${config.database ?? ''}@${config.host ?? 'localhost'}`;

interface ConnectionFile {
  host?: unknown;
  port?: unknown;
  database?: unknown;
  user?: unknown;
  password?: unknown;
  passwordFile?: unknown;
  sslmode?: unknown;
}

const badFile = (path: string, why: string, log: string) =>
  new AppError('invalid_arguments', `接続ファイル「${basename(path)}」を使えません: ${why}`, `connection file ${path}: ${log}`);

/** Refuses a file holding a password that others than its owner can read (POSIX only). */
function refuseShared(path: string, what: string): void {
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode;
  if ((mode & 0o077) !== 0)
    throw new AppError(
      'forbidden',
      `${what}「${basename(path)}」は持ち主以外も読める設定です。パスワードを守るため、chmod 600 で持ち主だけが読めるようにしてください。`,
      `${path} holds a password and has mode ${(mode & 0o777).toString(8)}; refused (chmod 600)`,
    );
}

function fromConnectionFile(path: string, env: Env): PostgresLocation {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT') throw new AppError('not_found', `接続ファイル「${basename(path)}」が見つかりません。`, `connection file ${path} does not exist`);
    throw badFile(path, '読めません。', `cannot read: ${String(code)}`);
  }
  let json: ConnectionFile;
  try {
    json = JSON.parse(text) as ConnectionFile;
  } catch {
    // The parser's message quotes the text, which holds the password.
    throw badFile(path, 'JSON として読めません。', 'not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw badFile(path, 'JSON のオブジェクトではありません。', 'not a JSON object');
  const known = ['host', 'port', 'database', 'user', 'password', 'passwordFile', 'sslmode'];
  const unknown = Object.keys(json).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw badFile(path, `項目「${unknown[0]!.slice(0, 40)}」は使えません（使えるもの: ${known.join(', ')}）。`, `unknown key ${JSON.stringify(unknown[0]!.slice(0, 40))}`);
  const str = (key: keyof ConnectionFile): string | undefined => {
    const v = json[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw badFile(path, `「${key}」は空でない文字列です。`, `${key} is not a non-empty string`);
    return v;
  };
  const parts: Parts = {};
  const host = str('host');
  if (host !== undefined) parts.host = host;
  if (json.port !== undefined) parts.port = portOf(typeof json.port === 'number' ? String(json.port) : typeof json.port === 'string' ? json.port : '', 'port');
  const database = str('database');
  if (database !== undefined) parts.database = database;
  const user = str('user');
  if (user !== undefined) parts.user = user;
  const sslmode = str('sslmode');
  if (sslmode !== undefined) parts.ssl = sslOf(sslmode);
  const password = str('password');
  const passwordFile = str('passwordFile');
  if (password !== undefined && passwordFile !== undefined) throw badFile(path, '「password」と「passwordFile」はどちらか一つです。', 'both password and passwordFile');
  if (password !== undefined) {
    refuseShared(path, '接続ファイル');
    parts.password = password;
  }
  if (passwordFile !== undefined) {
    const file = resolve(dirname(path), passwordFile);
    let secret: string;
    try {
      secret = readFileSync(file, 'utf8');
    } catch {
      throw badFile(path, `パスワードファイル「${basename(file)}」を読めません。`, `cannot read passwordFile ${file}`);
    }
    refuseShared(file, 'パスワードファイル');
    // One line: the password, without the line end an editor adds.
    parts.password = secret.replace(/\r?\n$/, '');
  }
  return fromParts(parts, env);
}
