import { statSync } from 'node:fs';
import pg from 'pg';
import type { PostgresLocation } from '../db/db-location';
import { connectionError } from '../db/postgres-open';
import { poolConfig } from '../db/postgres-engine';
import type { CliDb } from './location';

/**
 * Whether two locations a command names are one database, however each is written: `copy` refuses
 * copying a plan onto itself (with --force it would empty the very plan it reads). Identity, not
 * spelling:
 *
 * - a file: the same file on disk (device and inode, so a symlink, a hard link, `./x` against an
 *   absolute path, `a/../x`, all reach it); a target that does not exist yet is no existing file.
 *   (Case-insensitive disks: canonicalPath already resolves the case; not tested here.)
 * - PostgreSQL: the server says which it is, so `localhost` and `127.0.0.1`, a unix socket and
 *   TCP, a URL with or without the default port, a .pgconn file, another user, are all compared
 *   by what they reach. See `postgresIdentity`.
 *
 * Nothing is opened as a plan: the PostgreSQL check needs only the right to connect, and reads
 * no table, so it is made before anything else (the same database given twice is refused as
 * that, whatever it holds: empty, another application's, a plan).
 */

export async function sameDatabase(a: CliDb, b: CliDb): Promise<boolean> {
  if (a.kind === 'file' && b.kind === 'file') return sameFile(a.path, b.path);
  if (a.kind === 'postgres' && b.kind === 'postgres') return (await postgresIdentity(a.location)) === (await postgresIdentity(b.location));
  return false;
}

/** One file on disk: both exist and are the same inode of the same device, or (neither there yet) the same real path. */
export function sameFile(a: string, b: string): boolean {
  const sa = statSync(a, { throwIfNoEntry: false, bigint: true });
  const sb = statSync(b, { throwIfNoEntry: false, bigint: true });
  if (sa && sb) return sa.dev === sb.dev && sa.ino === sb.ino;
  // Both paths are canonical (location.ts): equal when neither exists and both name the same place.
  return sa === undefined && sb === undefined && a === b;
}

/**
 * Which database a location reaches, as the server tells it: the cluster's `system_identifier`
 * (pg_control_system(): a random 64-bit number initdb gives each cluster, executable by every role
 * by default, no superuser needed) and current_database(). Chosen over the alternatives because:
 *
 * - `current_setting('data_directory')` would name the cluster as well, but needs superuser (or
 *   pg_read_all_settings), which a plan's owner usually is not;
 * - inet_server_addr()/inet_server_port() are null over a unix socket, and one server reached as
 *   127.0.0.1, as ::1 and as its LAN address gives three addresses.
 *
 * A physical standby shares its primary's system_identifier: the same database, refused too (a
 * copy between them copies a plan onto itself, a moment apart). Where a provider revoked
 * pg_control_system(), the fallback is the location as parsed (host, port with 5432 filled in,
 * database): `localhost` against `127.0.0.1` or a socket against TCP then pass as two databases,
 * as the plain comparison of old did; the user and the password are left out either way.
 */
export async function postgresIdentity(location: PostgresLocation): Promise<string> {
  const client = new pg.Client(poolConfig(location.config));
  // A connection dropping after the query: the query has answered or failed already.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (e) {
    throw connectionError(e, location);
  }
  try {
    try {
      const { rows } = await client.query<{ cluster: string; database: string }>(
        'select system_identifier::text as cluster, current_database() as database from pg_control_system()',
      );
      return `${rows[0]!.cluster}/${rows[0]!.database}`;
    } catch (e) {
      // A dropped connection, a server shutting down: said as connecting would say it (never the password).
      if ((e as { code?: unknown }).code !== '42501') throw connectionError(e, location);
      // pg_control_system() revoked (some hosted servers): the place as written, spelled one way by the parser.
      const { host, port, database } = location.config;
      return `written:${String(host)}:${String(port)}/${String(database)}`;
    }
  } finally {
    await client.end().catch(() => {});
  }
}
