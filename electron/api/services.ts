import { Worker } from 'node:worker_threads';
import type { Outcome } from '../../shared/errors/app-error';
import { isPostgresLocation } from '../db/db-location';
import { entryPoint } from './entries';
import { type ControlRequest, errorShape, type HostHandlers, type OpenFile, type ServiceInit } from './protocol';
import { type ServiceChannel, ServiceClient, type ServiceEvents, workerChannel } from './service-client';

/**
 * The services running apart from the entry point's thread, kept running: the entry point (the
 * app's shell, the browser-mode HTTP server) only passes calls on, so it always answers. Should the
 * services die (a crash, memory, a kill), new ones open the same plan again and calls go on; the
 * calls that were running get a message instead of hanging.
 *
 * The plan is named by a location (electron/db/db-location.ts): a file path, or a PostgreSQL
 * location that may hold a password. It goes to the services as given and is kept here only to
 * open it again after a crash; what the entry point shows and logs is `file` (the display).
 */

export interface ServicesOptions {
  /** Starts the services (a worker thread, a utility process) and returns the channel to them. */
  spawn: () => ServiceChannel;
  init: Omit<ServiceInit, 'host'>;
  /** The plan's location: a file path, `postgres://…`, `postgres:` or a `.pgconn` file (db-location.ts), as the user gave it. */
  dbPath: string;
  /** Create the database from these seeds when it does not exist (PostgreSQL: when it holds no plan). */
  seedsDir?: string;
  /** The user said to take over a writer lock refused with 'lock_unverified' (the shell asked). */
  takeOverLock?: boolean;
  host: HostHandlers;
  events?: ServiceEvents;
}

export interface Services {
  /** The contract handler's shape: hand it to registerIpc or startPlanServer. */
  call(method: unknown, args: unknown, origin?: { signal?: AbortSignal }): Promise<Outcome<unknown>>;
  /** Opens another file, makes a new one, saves a copy (the shell's File menu); rejects with the AppError of a refusal. */
  control(request: ControlRequest): Promise<OpenFile | null>;
  /** The plan open now, as shown: a file's path and name, a PostgreSQL plan's display location (never a password). */
  readonly file: OpenFile;
  stop(): Promise<void>;
}

/** Restarts in a row before giving up (a file that kills the services at every open). */
const MAX_RESTARTS = 3;

export async function startServices(options: ServicesOptions): Promise<Services> {
  // Where to open the plan again after a crash: a file's real path once open, a PostgreSQL location as given.
  let location = options.dbPath;
  let file: OpenFile = { path: '', fileName: '' };
  let stopping = false;
  let restarts = 0;

  type Open = Extract<ControlRequest, { op: 'open' }>;
  const startOne = async (how: Omit<Open, 'op' | 'path'>): Promise<ServiceClient> => {
    const client = new ServiceClient(options.spawn(), options.host, { ...options.events, exit: restart });
    client.start(options.init);
    try {
      file = (await client.control({ op: 'open', path: location, ...how }))!;
      if (!isPostgresLocation(location)) location = file.path;
      return client;
    } catch (e) {
      await client.stop();
      throw e;
    }
  };
  function restart(why: string): void {
    options.events?.exit?.(why);
    if (stopping || ++restarts > MAX_RESTARTS) return;
    options.events?.log?.('[service] starting the services again');
    // Services in a worker thread leave a lock with this process's PID and start token, which is live
    // in every thread of it: the new services take it over on purpose (never another process's lock).
    current = startOne({ reclaimOwnLock: true });
    current.then(
      () => (restarts = 0),
      (e: unknown) => options.events?.log?.(`[service] could not start again: ${String(e)}`),
    );
  }
  let current = startOne({ ...(options.seedsDir ? { seedsDir: options.seedsDir } : {}), ...(options.takeOverLock ? { takeOverLock: true } : {}) });
  await current;

  return {
    get file() {
      return file;
    },
    call: async (method, args, origin) => {
      try {
        return await (await current).call(method, args, origin);
      } catch (e) {
        return { ok: false, error: errorShape(e) };
      }
    },
    control: async (request) => {
      const opened = await (await current).control(request);
      if (opened) file = opened;
      if (opened && (request.op === 'open' || request.op === 'create')) location = isPostgresLocation(request.path) ? request.path : opened.path;
      return opened;
    },
    stop: async () => {
      stopping = true;
      await (await current).stop();
    },
  };
}

/** The services in a worker thread running `entry` (electron/api/service-process.ts): the browser mode, the team server. */
export function workerSpawner(entry: string): () => ServiceChannel {
  const at = entryPoint(entry);
  return () => workerChannel(new Worker(at.path, at.execArgv ? { execArgv: at.execArgv } : {}));
}
