import { type Client, createClient } from '../../shared/contract/client';
import { createHandler, type Host, type HostAbilities } from '../api/handlers';
import { openPlanDatabaseReadOnly } from '../db/open-read-only';
import { userDataDir } from '../files/paths';
import { type OpenRequest, Workspace } from '../workspace/workspace';
import { cliVersion } from './command';

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
 * For the commands that only read: the file opened read-only, without the writer lock (it may be
 * open in the app meanwhile), and not a byte of it changed (an older schema is read through a
 * migrated private copy).
 */
export async function readSession(dbPath: string, abilities: HostAbilities = {}): Promise<CliSession> {
  const ws = new Workspace(cliVersion(), userDataDir());
  await ws.use(openPlanDatabaseReadOnly(dbPath));
  return sessionOn(ws, abilities);
}

/** For the commands that write: the file opened as the app opens it, as its only writer (lock, daily backup, migrations after a backup). */
export async function writeSession(dbPath: string, request: OpenRequest, abilities: HostAbilities = {}): Promise<CliSession> {
  const ws = new Workspace(cliVersion(), userDataDir());
  try {
    await ws.open(dbPath, request);
  } catch (e) {
    await ws.close();
    throw e;
  }
  return sessionOn(ws, abilities);
}
