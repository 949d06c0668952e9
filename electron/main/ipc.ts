import { IPC_CHANNEL } from '../../shared/contract/methods';
import type { Outcome } from '../../shared/errors/app-error';
import { excerpt } from '../../shared/text/excerpt';
import type { Handler } from '../api/handlers';

export const APP_ORIGIN = 'app://plan';

/** What the IPC wiring needs of Electron's ipcMain and its events (structural: no 'electron' import here). */
interface InvokeEvent {
  /** Electron's WebFrameMain: `parent` is null for a window's main frame. */
  senderFrame?: { url: string; parent?: unknown } | null;
}
interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, payload: unknown) => Promise<unknown>): void;
}

/**
 * Whether `url` is a page of our own app://plan origin — parsed, not compared as a prefix, so that
 * app://plan.evil, app://planx/ and app://plan@evil/ (user "plan" at host "evil") are not.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'app:' && parsed.hostname === 'plan' && parsed.port === '' && parsed.username === '' && parsed.password === '';
}

/** Only the main frame of our own page, served from app://plan, may call the services (never a subframe). */
export function isTrustedSender(event: InvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/** One channel for the whole contract; arguments are validated by the handler before any service code. */
export function registerIpc(ipcMain: IpcMainLike, handler: Handler): void {
  ipcMain.handle(IPC_CHANNEL, async (event, payload: unknown): Promise<Outcome<unknown>> => {
    if (!isTrustedSender(event))
      return { ok: false, error: { code: 'forbidden', message: '許可されていない画面からの操作です。', logMessage: `IPC from untrusted frame ${excerpt(event.senderFrame?.url ?? '?', 120)}` } };
    const { method, args } = (payload ?? {}) as { method?: unknown; args?: unknown };
    return handler(method, args);
  });
}
