import { AppError, type AppErrorShape, type Outcome } from '../../shared/contract/errors';
import { contract, isMethodName } from '../../shared/contract/methods';
import { backupImplementation } from './backup-impl';
import { coreImplementation } from './core-impl';
import { editingImplementation } from './editing-impl';
import { exportImplementation } from './export-impl';
import { importImplementation } from './import-impl';
import { rollupImplementation } from './rollup-impl';
import type { ImplementationOf, ServiceContext } from './implementation';
import type { Workspace } from './workspace';

export type Transport = ServiceContext['transport'];

/** Every method of the contract, each feature's implementations side by side (the type checks none is missing). */
function implementations(ctx: ServiceContext): ImplementationOf<typeof contract> {
  return {
    ...coreImplementation(ctx),
    ...backupImplementation(ctx),
    ...editingImplementation(ctx),
    ...exportImplementation(ctx),
    ...importImplementation(ctx),
    ...rollupImplementation(ctx),
  };
}

export type Logger = (line: string) => void;

function toShape(e: unknown): AppErrorShape {
  if (e instanceof AppError) return e.toShape();
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { code: 'internal', message: '予期しないエラーが発生しました。操作は保存されていません。', logMessage: message };
}

/**
 * The one entry point both transports call: checks the method name, validates the arguments with
 * the contract's zod schema before any service code runs, runs it, and returns errors as values.
 */
export function createHandler(ws: Workspace, transport: Transport, log: Logger = (l) => console.error(l)) {
  const impl = implementations({ ws, transport });
  return async function handle(method: unknown, args: unknown): Promise<Outcome<unknown>> {
    if (!isMethodName(method)) {
      const error: AppErrorShape = { code: 'unknown_method', message: '不明な操作です。', logMessage: `unknown method ${String(method)}` };
      log(`[api] ${error.logMessage}`);
      return { ok: false, error };
    }
    const spec = contract[method];
    const parsed = spec.args.safeParse(args ?? {});
    if (!parsed.success) {
      const error: AppErrorShape = {
        code: 'invalid_arguments',
        message: '操作の引数が不正です。',
        logMessage: `${method}: invalid arguments: ${parsed.error.message}`,
      };
      log(`[api] ${error.logMessage}`);
      return { ok: false, error };
    }
    try {
      // Each implementation takes its own method's parsed arguments; the table is typed per method.
      const run = impl[method] as (a: unknown) => unknown;
      const value = await run(parsed.data);
      return { ok: true, value };
    } catch (e) {
      const error = toShape(e);
      log(`[api] ${method}: ${error.code}: ${error.logMessage}${error.where ? ` at ${error.where}` : ''}`);
      return { ok: false, error };
    }
  };
}

export type Handler = ReturnType<typeof createHandler>;
