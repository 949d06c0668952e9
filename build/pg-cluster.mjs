#!/usr/bin/env node
/**
 * A throwaway PostgreSQL cluster for the tests, the crash test and the bench, from Debian's
 * `postgresql` package: made with initdb in a temporary folder, listening on 127.0.0.1 (a free
 * port) and a unix socket in that folder only, with a password for TCP and trust on the socket.
 * Run as root, the cluster belongs to the `postgres` user the package creates (PostgreSQL refuses
 * to run as root).
 *
 *   node build/pg-cluster.mjs start      prints PLAN_TEST_PG_URL=… and PLAN_TEST_PG_DIR=…
 *   node build/pg-cluster.mjs stop DIR   stops it and removes the folder
 *
 * tests/helpers/pg-global-setup.ts starts one for `npm test` unless PLAN_TEST_PG_URL names a server
 * already (`.ci/run` starts one with this script and hands it over).
 *
 * The default collation is ICU's root order, not binary: the plan's text columns say `collate "C"`
 * (binary, as SQLite), and a query that sorted by the server's default instead shows in the tests.
 *
 * fsync is off: the cluster lives minutes and holds nothing to keep; a killed server process (the
 * crash test's immediate shutdown) still loses nothing the OS was given, which is what it tests.
 * synchronous_commit stays on, so an acknowledged commit is in the WAL before the answer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_USER = 'plan';

/** The folder of initdb and pg_ctl: pg_config's, else the newest of Debian's /usr/lib/postgresql/N/bin. */
export function postgresBin() {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  const found = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (found.status === 0 && existsSync(join(found.stdout.trim(), 'initdb'))) return found.stdout.trim();
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL program as the cluster's owner (the `postgres` user when we are root). */
function runAs(asUser, bin, args, options = {}) {
  const [cmd, argv] = asUser ? ['runuser', ['-u', asUser, '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
}

/** Starts a new cluster; returns where it is and how to reach it. */
export async function startCluster() {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql); the tests need a real server');
  const dir = mkdtempSync(join(tmpdir(), 'plan-pg-'));
  const asUser = process.getuid?.() === 0 ? 'postgres' : null;
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  // A password of this cluster's own: while it runs, another user of the machine cannot log in as its superuser.
  const password = randomBytes(18).toString('hex');
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (asUser) {
    const uid = Number(execFileSync('id', ['-u', asUser], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', asUser], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  chmodSync(dir, 0o700);
  runAs(asUser, join(bin, 'initdb'), ['-D', data, '-U', TEST_USER, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--encoding=UTF8', '--locale=C.UTF-8', '--locale-provider=icu', '--icu-locale=und', '--no-sync']);
  rmSync(pwfile);
  const port = await freePort();
  const options = [`-c listen_addresses=127.0.0.1`, `-p ${port}`, `-k ${dir}`, '-c fsync=off', '-c full_page_writes=off', '-c max_connections=200'].join(' ');
  runAs(asUser, join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
  const url = `postgres://${TEST_USER}:${password}@127.0.0.1:${port}/postgres`;
  return { dir, data, port, url, socketDir: dir, bin, asUser };
}

/** Stops the cluster in `dir` at once and removes it. */
export function stopCluster(dir, mode = 'fast') {
  const bin = postgresBin();
  const asUser = process.getuid?.() === 0 ? 'postgres' : null;
  if (bin && existsSync(join(dir, 'data', 'postmaster.pid'))) {
    try {
      runAs(asUser, join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', mode, '-w', 'stop']);
    } catch {
      // Already gone: the folder is removed all the same.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, dir] = process.argv.slice(2);
  if (command === 'start') {
    const cluster = await startCluster();
    process.stdout.write(`PLAN_TEST_PG_URL=${cluster.url}\nPLAN_TEST_PG_DIR=${cluster.dir}\n`);
  } else if (command === 'stop' && dir) stopCluster(dir);
  else {
    process.stderr.write('usage: node build/pg-cluster.mjs start | stop DIR\n');
    process.exit(2);
  }
}
