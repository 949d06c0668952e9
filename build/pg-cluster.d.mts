/** Types of build/pg-cluster.mjs (a throwaway PostgreSQL cluster for the tests); the code and its reasons are there. */

export const TEST_USER: string;

export interface Cluster {
  /** The temporary folder holding the data, the log and the unix socket (stopCluster's argument). */
  dir: string;
  data: string;
  port: number;
  /** postgres://plan:…@127.0.0.1:PORT/postgres */
  url: string;
  socketDir: string;
  bin: string;
  /** The user the server runs as when we are root ('postgres'), else null. */
  asUser: string | null;
}

export function postgresBin(): string | null;
export function startCluster(): Promise<Cluster>;
export function stopCluster(dir: string, mode?: 'smart' | 'fast' | 'immediate'): void;
