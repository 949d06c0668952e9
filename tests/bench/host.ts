/**
 * The answering process of `npm run bench`: the plan at one location (a SQLite file or a
 * postgres:// URL) behind the app's own handler (createHandler, as the services run it) and HTTP
 * server (startPlanServer, with the built page when there is one), so that the browser, the
 * transport and the memory figures are those of the process that answers, not of the bench.
 *
 * It times each call of the handler itself (the time "in the service", without the transport) and
 * hands those timings to the bench through one extra method, `bench.timings`, which drains them.
 * Its peak memory is read by the bench from /proc/<pid>/status (VmHWM) before it is stopped.
 *
 * Usage: PLAN_BENCH_LOCATION=<location> host.ts. Prints `open: <url>` once it answers; stops on SIGTERM.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseDbLocation } from '../../electron/db/db-location';
import { openPlanDatabase } from '../../electron/db/open';
import { openPostgresPlan } from '../../electron/db/postgres-open';
import { createHandler } from '../../electron/api/handlers';
import { startPlanServer } from '../../electron/server/http-server';
import { Workspace } from '../../electron/workspace/workspace';
import { now, round } from './measure';

const location = parseDbLocation(process.env.PLAN_BENCH_LOCATION!, {});
const opened = location.kind === 'postgres' ? await openPostgresPlan(location, { create: false }) : openPlanDatabase(location.path, { create: false });
const ws = new Workspace('bench');
await ws.use(opened);
const inner = createHandler(ws, 'http', () => {});
let timings: { method: string; ms: number }[] = [];

const handler: typeof inner = async (method, args, origin) => {
  if (method === 'bench.timings') {
    const value = timings;
    timings = [];
    return { ok: true, value };
  }
  const t = now();
  const outcome = await inner(method, args, origin);
  timings.push({ method: String(method), ms: round(now() - t) });
  return outcome;
};

const staticDir = join(import.meta.dirname, '..', '..', 'out', 'renderer');
const server = await startPlanServer({ handler, ...(existsSync(join(staticDir, 'index.html')) ? { staticDir } : {}) });
process.stdout.write(`open: ${server.url}\n`);

process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => ws.current.db.close())
    .finally(() => process.exit(0));
});
