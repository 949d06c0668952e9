import { AppError, type Outcome } from '../errors/app-error';
import type { MethodArgs, MethodName, MethodResult } from './methods';

/** Carries one call to the service and back: Electron IPC (preload) or HTTP (browser mode). */
export type Transport = (method: MethodName, args: unknown) => Promise<Outcome<unknown>>;

export type Client = {
  [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>>;
};

/**
 * A typed client derived from the contract. Errors come back as values over the transport and are
 * rethrown here as AppError, so callers can show `messageJa`.
 */
export function createClient(transport: Transport): Client {
  return new Proxy({} as Client, {
    get(_target, method: string) {
      return async (args: unknown) => {
        const outcome = await transport(method as MethodName, args ?? {});
        if (outcome.ok) return outcome.value;
        const e = outcome.error;
        throw new AppError(e.code, e.message, e.logMessage, e.where);
      };
    },
  });
}
