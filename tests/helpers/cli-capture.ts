import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import pg from 'pg';
import { vi } from 'vitest';
import { runCli } from '../../electron/cli/main';

/** Runs the command line in this process and captures what it prints. */
export async function runCliCaptured(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  try {
    const code = await runCli(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

/** SHA-256 of a file read in chunks (a -wal may be gigabytes). */
function hashFile(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(16 * 1024 * 1024);
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** A database file and its side files as hashes: equal before and after means not a byte changed, nothing added or removed. */
export function fileState(path: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    state[suffix || 'main'] = !existsSync(path + suffix) ? 'absent' : statSync(path + suffix).isDirectory() ? 'folder' : hashFile(path + suffix);
  return state;
}

/**
 * Everything a PostgreSQL database holds, as text: every table of its schema (a plan's tables, its
 * change log and plan_format, or another application's) with all its rows in a fixed order. Equal
 * before and after means not a row changed, nothing added or removed: what "not a byte" is on
 * PostgreSQL. `url` holds the password (the tests' own connection).
 */
export async function postgresState(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind = 'r' order by 1`,
    );
    const state: Record<string, string> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ rows: string }>(`select coalesce(json_agg(t order by t::text)::text, '[]') as rows from "${name.replace(/"/g, '""')}" t`);
      state[name] = rows[0]!.rows;
    }
    return state;
  } finally {
    await client.end();
  }
}

/** What a plan location holds, for "nothing changed": a file's bytes (and side files), a PostgreSQL database's rows. */
export async function locationState(location: string): Promise<Record<string, string>> {
  return /^postgres(ql)?:/i.test(location) ? postgresState(location) : fileState(location);
}
