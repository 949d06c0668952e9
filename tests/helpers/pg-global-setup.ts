import type { TestProject } from 'vitest/node';
import { startCluster, stopCluster } from '../../build/pg-cluster.mjs';

/**
 * vitest globalSetup: the PostgreSQL server the tests run against. When PLAN_TEST_PG_URL names one
 * (`.ci/run` starts a cluster with build/pg-cluster.mjs and hands it over, a developer may point it
 * at their own) it is used as it is; otherwise a throwaway cluster is started for this run and
 * stopped (and removed) at the end. Never an imitation: without PostgreSQL installed the run stops
 * here with the reason, rather than the PostgreSQL half of the suite passing without having run.
 *
 * The URL reaches the tests twice: `inject('pgUrl')` in the test files, and PLAN_TEST_PG_URL in the
 * environment, for the processes the tests start (the command line, the service host, the crash
 * test's children). tests/helpers/pg-database.ts reads either.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test server, as postgres://user:password@host:port/postgres (a maintenance database). */
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.PLAN_TEST_PG_URL;
  if (given) {
    project.provide('pgUrl', given);
    return () => {};
  }
  const cluster = await startCluster();
  process.env.PLAN_TEST_PG_URL = cluster.url;
  project.provide('pgUrl', cluster.url);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    delete process.env.PLAN_TEST_PG_URL;
    stopCluster(cluster.dir);
  };
  // A run ended by a signal (a timeout, Ctrl-C) skips the teardown: the server would outlive it.
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.once(signal, () => {
      stop();
      process.kill(process.pid, signal);
    });
  return stop;
}
