import { type Client, createClient } from '../../shared/contract/client';
import { createHandler, type Host, type HostAbilities } from '../api/handlers';
import { userDataDir } from '../files/paths';
import { type OpenRequest, Workspace } from '../workspace/workspace';
import { cliVersion } from './command';
import type { CliDb } from './location';
import { openLocationReadOnly } from '../workspace/read-location';

/**
 * The command line as one more host of the app's services: a command that does what a contract
 * method does calls that method through the same handler the app's services and the browser mode
 * run (electron/api/handlers.ts), so the argument checks, the error mapping and the log entries
 * are theirs. The "dialogs" of this host are answered by the command's arguments (--out, --file)
 * and its PDFs come from Playwright's Chromium, as in the browser mode.
 */
export interface CliSession {
  /** The contract's methods, typed; a refusal is thrown as the AppError the page would show. */
  api: Client;
  ws: Workspace;
  /** Closes the database (and releases its writer lock). */
  close(): Promise<void>;
}

/** The handler's log entries: the terminal is this host's log, and the error itself is printed anyway; PLAN_DEBUG=1 shows them (stacks included). */
const log = (entry: string) => {
  if (process.env.PLAN_DEBUG) console.error(entry);
};

function sessionOn(ws: Workspace, abilities: HostAbilities): CliSession {
  // In process, as the app's IPC: no page here to download anything (app.info is the only reader of `transport`).
  const host: Host = { transport: 'ipc', ...abilities };
  const handle = createHandler(ws, host, log);
  return { api: createClient((method, args) => handle(method, args)), ws, close: () => ws.close() };
}

/**
 * For the commands that only read: the plan opened read-only (workspace/read-location.ts), without the
 * writer lock (it may be open in the app meanwhile), and not a byte of it changed (an older file is
 * read through a migrated private copy; an older PostgreSQL plan is refused).
 */
export async function readSession(db: CliDb, abilities: HostAbilities = {}): Promise<CliSession> {
  const ws = new Workspace(cliVersion(), userDataDir());
  await ws.use(await openLocationReadOnly(db.text));
  return sessionOn(ws, abilities);
}

/**
 * For the commands that write: the plan opened as the app opens it (the workspace takes the text
 * the user gave: a file as its only writer, with its lock, daily backup and migrations after a
 * backup; a PostgreSQL plan, which the server serialises).
 */
export async function writeSession(db: CliDb, request: OpenRequest, abilities: HostAbilities = {}): Promise<CliSession> {
  const ws = new Workspace(cliVersion(), userDataDir());
  try {
    await ws.open(db.text, request);
  } catch (e) {
    await ws.close();
    throw e;
  }
  return sessionOn(ws, abilities);
}
