import { IPC_CHANNEL } from '../../shared/contract/methods';
import type { Outcome } from '../../shared/contract/errors';
import type { Handler } from '../services/handlers';

export const APP_ORIGIN = 'app://plan';

/** What the IPC wiring needs of Electron's ipcMain and its events (structural: no 'electron' import here). */
interface InvokeEvent {
  senderFrame?: { url: string } | null;
}
interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, payload: unknown) => Promise<unknown>): void;
}

/** Only our own page, served from app://plan, may call the services. */
export function isTrustedSender(event: InvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`);
}

/** One channel for the whole contract; arguments are validated by the handler before any service code. */
export function registerIpc(ipcMain: IpcMainLike, handler: Handler): void {
  ipcMain.handle(IPC_CHANNEL, async (event, payload: unknown): Promise<Outcome<unknown>> => {
    if (!isTrustedSender(event))
      return { ok: false, error: { code: 'forbidden', message: '許可されていない画面からの操作です。', logMessage: `IPC from untrusted frame ${event.senderFrame?.url ?? '?'}` } };
    const { method, args } = (payload ?? {}) as { method?: unknown; args?: unknown };
    return handler(method, args);
  });
}
