import { AppError, type AppErrorShape, type Outcome } from '../../shared/errors/app-error';
import type { JobPhase } from '../../shared/contract/methods/jobs';
import type { SaveDialogRequest } from '../export/export-host';
import { asAppError } from './known-failures';

/**
 * The messages between an entry point (the Electron shell, the browser-mode HTTP server) and the
 * services it runs elsewhere (a utility process, a worker thread), and between the services and a
 * job worker. One protocol for all: structured-clone data only (no functions, no class instances).
 *
 *   entry point → services: init, control (open a file…), call, cancel, host-response
 *   services → entry point: result, control-result, progress, host-request, log
 *
 * Host requests are what the services need from the shell and cannot do themselves: the OS
 * dialogs, Electron's printToPDF and printing, opening a file with its program.
 */

export type HostRequest =
  | { kind: 'renderPdf'; pages: string[] }
  | { kind: 'chooseSavePath'; request: SaveDialogRequest }
  | { kind: 'openPath'; path: string }
  | { kind: 'print'; html: string; options: { pageSize: 'A4' | 'A3'; landscape: boolean } }
  | { kind: 'chooseImportFile' };
export type HostKind = HostRequest['kind'];

/** What each host request answers. */
export interface HostReplies {
  renderPdf: Uint8Array[];
  chooseSavePath: string | null;
  openPath: null;
  print: boolean;
  chooseImportFile: string | null;
}

/** The answers an entry point gives; the services offer only the parts it has (the rest is null there). */
export type HostHandlers = { [K in HostKind]?: (request: Extract<HostRequest, { kind: K }>) => Promise<HostReplies[K]> };

/** How the services are set up once started. */
export interface ServiceInit {
  appVersion: string;
  /** The user data folder (backups, log); omitted: none (tests). */
  userData?: string;
  /** How the page reaches the services: `app.info` tells the page; the services never branch on it. */
  transport: 'ipc' | 'http';
  /** The host requests the entry point answers (each one an ability of the services' host object). */
  host: HostKind[];
  /** Whoever started the services reads their console (`npm run serve`): log entries go there too, not only to the log file. */
  console?: boolean;
}

/** Changes of the open file, asked by the shell's menu (never by the page). */
export type ControlRequest =
  /**
   * Opens a plan database as the only writer; `path` is a location (electron/db/db-location.ts): a
   * file path, or a PostgreSQL location as the user gave it, which may hold a password (never
   * logged, never sent back: OpenFile carries the display). `seedsDir`: create it from these seeds
   * when it does not exist (PostgreSQL: holds no plan). `takeOverLock`: the user said to take over
   * a lock refused with 'lock_unverified'. `reclaimOwnLock`: the services restarted, and the lock of
   * this process is the dead services'.
   */
  | { op: 'open'; path: string; seedsDir?: string; takeOverLock?: boolean; reclaimOwnLock?: boolean }
  /** File › New: a new database from the seeds at `path`, then opened. */
  | { op: 'create'; path: string; seedsDir: string }
  /** File › Save a copy. */
  | { op: 'saveCopy'; path: string }
  /** Closes the database and releases its lock (before quitting). */
  | { op: 'close' };
/** The plan open now, as the shell and the page show it. */
export interface OpenFile {
  /** A file's real path; a PostgreSQL plan's display location (postgres://user@host:port/database, never the password). */
  path: string;
  /** A file's name; a PostgreSQL plan's display location. */
  fileName: string;
}

export type ToService =
  | { type: 'init'; init: ServiceInit }
  | { type: 'control'; id: number; request: ControlRequest }
  | { type: 'call'; id: number; method: unknown; args: unknown }
  | { type: 'cancel'; id: number }
  | { type: 'host-response'; id: number; outcome: Outcome<unknown> };

export type FromService =
  | { type: 'control-result'; id: number; outcome: Outcome<OpenFile | null> }
  | { type: 'result'; id: number; outcome: Outcome<unknown> }
  | { type: 'progress'; id: number; phase: JobPhase; fraction: number | null }
  | { type: 'host-request'; id: number; request: HostRequest }
  | { type: 'log'; line: string };

/** One end of a message channel, whatever carries it (worker_threads port, Electron parentPort, child_process IPC). */
export interface Port<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** An error as it crosses a channel (AppError keeps its code and both messages). */
export function errorShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) return e.toShape();
  // A known cause (full disk, read-only, busy) keeps its specific message (electron/api/known-failures.ts).
  return { ...asAppError(e, '予期しないエラーが発生しました。').toShape(), logMessage: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

/** The AppError again on the other side. */
export function fromShape(shape: AppErrorShape): AppError {
  return new AppError(shape.code, shape.message, shape.logMessage, shape.where);
}

export function outcomeValue<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw fromShape(outcome.error);
  return outcome.value;
}

/** The answer to a call whose service stopped (crashed, killed, out of memory). */
export const serviceStopped = (why: string): AppErrorShape => ({
  code: 'internal',
  message: '計画データの処理が止まりました。もう一度操作してください（保存済みの内容は失われていません）。',
  logMessage: `the service stopped: ${why}`,
});
