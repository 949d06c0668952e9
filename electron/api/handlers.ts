import { AppError, type AppErrorShape, LOG_MESSAGE_MAX_CHARS, type Outcome } from '../../shared/errors/app-error';
import { excerpt, truncate } from '../../shared/text/excerpt';
import { contract, isMethodName } from '../../shared/contract/methods';
import { jobKeyOf } from '../../shared/contract/methods/jobs';
import { backupImplementation } from './handlers/backup';
import { type CallOrigin, CallRegistry } from './calls';
import { coreImplementation } from './handlers/core';
import { editingImplementation } from './handlers/editing';
import { exportImplementation } from './handlers/export';
import { importImplementation } from './handlers/import';
import { inlineJobs, type JobRunner } from './jobs';
import { jobsImplementation } from './handlers/jobs';
import { asAppError } from './known-failures';
import { createLogFile, type Logger } from './log-file';
import { rollupImplementation } from './handlers/rollup';
import type { Host, ImplementationOf, ServiceContext } from './handlers/context';
import type { Workspace } from '../workspace/workspace';

export type { Host, HostAbilities } from './handlers/context';
export type Transport = Host['transport'];

/** Every method of the contract, each feature's implementations side by side (the type checks none is missing). */
function implementations(ctx: ServiceContext): ImplementationOf<typeof contract> {
  return {
    ...coreImplementation(ctx),
    ...backupImplementation(ctx),
    ...editingImplementation(ctx),
    ...exportImplementation(ctx),
    ...importImplementation(ctx),
    ...jobsImplementation(ctx),
    ...rollupImplementation(ctx),
  };
}

export type { Logger } from './log-file';

/** Methods that read a file the user brought: an error nobody foresaw there is most likely the file. */
const fileReadingMethods = new Set(['import.analyze']);
const UNREADABLE_FILE_JA = 'ファイルを読み取れませんでした。形式が正しくないか、壊れている可能性があります。元のファイルを確認してください。';

/** Longest English detail that still crosses the transport (for a developer's console); the full text is in the log. */
const WIRE_LOG_MAX_CHARS = 200;

// Absolute paths (POSIX, Windows drive and UNC, file: URLs, ~/) — each becomes …/<last part>.
const absolutePath = /file:\/\/[^\s'"`]*|(?<![\w.~:/\\-])\/(?:[^\s/'"`]+\/)+[^\s/'"`,;)]*|\b[A-Za-z]:[\\/][^\s'"`]*|\\\\[^\s'"`]+|~\/[^\s'"`]*/g;

/**
 * The English detail as it may cross the transport: its first line only (never a stack), absolute
 * paths cut to their last part, at most WIRE_LOG_MAX_CHARS. The page shows only the Japanese message.
 */
export function wireLogMessage(logMessage: string): string {
  const firstLine = logMessage.split(/\r?\n/, 1)[0] ?? '';
  const noPaths = firstLine.replace(absolutePath, (p) => `…/${p.split(/[\\/]/).filter(Boolean).pop() ?? ''}`);
  return noPaths.length <= WIRE_LOG_MAX_CHARS ? noPaths : `${noPaths.slice(0, WIRE_LOG_MAX_CHARS - 1)}…`;
}

/** What crosses IPC and HTTP: code, Japanese message, where, and a short English detail without stack or paths. */
export function toWire(e: AppError | AppErrorShape): AppErrorShape {
  const shape = e instanceof AppError ? e.toShape() : e;
  return { code: shape.code, message: shape.message, logMessage: wireLogMessage(shape.logMessage), ...(shape.where ? { where: shape.where } : {}) };
}

/** The stack of an error nobody turned into an AppError (or of an internal one): for the log file only. */
function stackFor(thrown: unknown): string {
  if (thrown instanceof AppError && thrown.code !== 'internal') return '';
  return thrown instanceof Error && thrown.stack ? `\n${thrown.stack}` : '';
}

const badRequestJa = {
  too_large: '送られたデータが大きすぎるため受け取れませんでした。ファイルを小さく分けてから、もう一度操作してください。',
  not_json: '送られたデータを読み取れませんでした（形式が正しくないか、途中で切れています）。画面を再読み込みしてから、もう一度操作してください。',
  // e.g. a file posted as multipart/form-data by another client: the API takes JSON with the file as base64.
  wrong_type: '送られたデータの形式が違うため受け取れませんでした。ファイルは画面の「取り込み」から選んでください。',
} as const;

/** The HTTP server's answer to a request body it cannot read: a short Japanese message the page shows as it is. */
export function badRequestOutcome(kind: keyof typeof badRequestJa): Outcome<never> {
  return { ok: false, error: { code: 'bad_request', message: badRequestJa[kind], logMessage: `request body: ${kind.replace('_', ' ')}` } };
}

const firstLine = (entry: string) => entry.split('\n', 1)[0] ?? '';

/** The log file in the user data folder (and each entry's first line on the host's console, when it has one). */
function defaultLogger(ws: Workspace, host: Host): Logger {
  if (!ws.userData) return (entry) => console.error(firstLine(entry));
  const file = createLogFile(ws.userData);
  const toConsole = host.console;
  return toConsole ? (entry) => (file(entry), toConsole(firstLine(entry))) : file;
}

export interface HandlerOptions {
  /** Where the heavy parts of long calls run; default: on this thread (electron/api/job-runner.ts runs them in job workers). */
  jobs?: JobRunner;
}

/**
 * The one entry point both transports call: checks the method name, validates the arguments with
 * the contract's zod schema before any service code runs, runs it, and returns errors as values.
 * `host`: what the entry point can do for the services (handlers/context.ts); a bare transport name
 * is a host that can do none of it (tests, the command line).
 */
export function createHandler(ws: Workspace, host: Host | Transport, log?: Logger, options: HandlerOptions = {}) {
  const theHost: Host = typeof host === 'string' ? { transport: host } : host;
  const logEntry = log ?? defaultLogger(ws, theHost);
  const calls = new CallRegistry();
  const impl = implementations({ ws, host: theHost, calls, jobs: options.jobs ?? inlineJobs(() => ws.current.db) });
  /** `origin`: the service host's cancel signal and progress listener for this call (electron/api). */
  return async function handle(method: unknown, args: unknown, origin?: CallOrigin): Promise<Outcome<unknown>> {
    if (!isMethodName(method)) {
      const error: AppErrorShape = { code: 'unknown_method', message: '不明な操作です。', logMessage: `unknown method ${excerpt(method, 80)}` };
      logEntry(`[api] ${error.logMessage}`);
      return { ok: false, error: toWire(error) };
    }
    const spec = contract[method];
    const parsed = spec.args.safeParse(args ?? {});
    if (!parsed.success) {
      const error: AppErrorShape = {
        code: 'invalid_arguments',
        // A bound the contract explains in Japanese (e.g. too many ids) is shown as it says; anything else is a program error.
        message: parsed.error.issues.find((i) => /[ぁ-んァ-ヶ一-龠]/.test(i.message))?.message ?? '操作の引数が不正です。',
        logMessage: truncate(`${method}: invalid arguments: ${parsed.error.message}`, LOG_MESSAGE_MAX_CHARS),
      };
      logEntry(`[api] ${error.logMessage}`);
      return { ok: false, error: toWire(error) };
    }
    const { control, end } = calls.begin(jobKeyOf(parsed.data), origin);
    try {
      // Each implementation takes its own method's parsed arguments; the table is typed per method.
      const run = impl[method] as (a: unknown, call: typeof control) => unknown;
      const value = await run(parsed.data, control);
      return { ok: true, value };
    } catch (e) {
      const error = asAppError(e, fileReadingMethods.has(method) ? UNREADABLE_FILE_JA : undefined);
      logEntry(`[api] ${method}: ${error.code}: ${error.message}${error.where ? ` at ${error.where}` : ''}${stackFor(e)}`);
      return { ok: false, error: toWire(error) };
    } finally {
      end();
    }
  };
}

export type Handler = ReturnType<typeof createHandler>;
