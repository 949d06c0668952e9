/**
 * The crash test's own PostgreSQL server: a throwaway cluster (build/pg-cluster.mjs) that this run
 * alone uses, because the test stops it with an immediate shutdown (`pg_ctl stop -m immediate`, what
 * a power cut does to the server processes) and starts it again, which the cluster the other tests
 * share must never see. Also a fresh database on it for each part of the run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { type Cluster, startCluster, stopCluster } from '../../build/pg-cluster.mjs';

export interface CrashServer {
  cluster: Cluster;
  /** A new empty database on it; its URL (with the password, for this run's processes only). */
  freshDatabase(name: string): Promise<string>;
  /** Immediate shutdown: the server processes quit at once, nothing is checkpointed or flushed. */
  crash(): void;
  /** Starts the stopped server again (with the options it had: pg_ctl keeps them in postmaster.opts); it replays its WAL. */
  restart(): void;
  /** Starts it again if it is not running (after a run that stopped halfway). */
  ensureRunning(): void;
  /** The end of the server's log (for a problem's report). */
  logTail(): string;
  /** Stops it and removes its folder. */
  remove(): void;
}

/** Runs pg_ctl as the cluster's owner (the `postgres` user when we are root: PostgreSQL refuses to run as root). */
function pgCtl(cluster: Cluster, args: string[]): void {
  const ctl = join(cluster.bin, 'pg_ctl');
  const [cmd, argv] = cluster.asUser ? ['runuser', ['-u', cluster.asUser, '--', ctl, ...args]] : [ctl, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function startCrashServer(): Promise<CrashServer> {
  const cluster = await startCluster();
  let removed = false;
  const restart = () => pgCtl(cluster, ['-D', cluster.data, '-l', join(cluster.dir, 'server.log'), '-w', '-t', '120', 'restart']);
  return {
    cluster,
    async freshDatabase(name) {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
      const url = new URL(cluster.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    crash: () => pgCtl(cluster, ['-D', cluster.data, '-m', 'immediate', '-w', 'stop']),
    // `restart` of a stopped server starts it with the options of postmaster.opts (port, socket folder, settings).
    restart,
    ensureRunning() {
      try {
        pgCtl(cluster, ['-D', cluster.data, 'status']);
      } catch {
        restart();
      }
    },
    logTail: () => {
      try {
        return readFileSync(join(cluster.dir, 'server.log'), 'utf8').split('\n').slice(-15).join('\n');
      } catch {
        return '';
      }
    },
    remove() {
      if (removed) return;
      removed = true;
      stopCluster(cluster.dir, 'immediate');
    },
  };
}
