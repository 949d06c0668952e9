import { type Env, parseDbLocation } from '../db/db-location';
import type { OpenedDatabase } from '../db/open';
import { openPlanDatabaseReadOnly } from '../db/open-read-only';
import { openPostgresPlan } from '../db/postgres-open';

/**
 * Opening a plan for reading only, wherever it is: a file as open-read-only.ts opens it (not a byte
 * changed), a plan on PostgreSQL on a pool of its own whose every transaction is read-only, never
 * creating or migrating anything (postgres-open.ts, `readOnly`: the same checks as opening it to
 * write). The job workers read the plan the services have open this way (electron/api/job-worker.ts);
 * the services opened it before (and brought its schema up to date), so here a schema other than
 * this app's is refused, not upgraded.
 */
export async function openLocationReadOnly(location: string, env: Env = process.env): Promise<OpenedDatabase> {
  const where = parseDbLocation(location, env);
  if (where.kind === 'file') return openPlanDatabaseReadOnly(where.path);
  return openPostgresPlan(where, { create: false, readOnly: true });
}
