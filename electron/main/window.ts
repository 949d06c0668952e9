import { app, BrowserWindow, session, type Session, type WebContents } from 'electron';
import { SHELL_COMMAND_CHANNEL, type ShellCommand } from '../../shared/contract/shell-commands';
import type { WindowState } from '../files/app-settings';
import { isAppUrl } from './ipc';

/** Deny every permission request (camera, notifications, …) of a session: a plan editor needs none. */
function denyPermissionsOf(s: Session): void {
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
}

export function denyAllPermissions(): void {
  denyPermissionsOf(session.defaultSession);
}

/**
 * The rules every web contents gets, whoever made it (the main window, the print window, anything a
 * later feature or a library adds): no window.open, no navigation away from app://plan, no webview,
 * no permission. Registered on `web-contents-created`, so a window made later cannot forget them.
 */
export function guardWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  const stayInApp = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', (event) => stayInApp(event, event.url));
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  denyPermissionsOf(contents.session);
}

/** Call before the first window: every web contents created from then on is guarded. */
export function guardAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}

export function createMainWindow(preloadPath: string, state: WindowState | undefined): BrowserWindow {
  const win = new BrowserWindow({
    width: state?.width ?? 1400,
    height: state?.height ?? 900,
    ...(state?.x !== undefined && state?.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 500,
    title: '計画ワークベンチ',
    show: false,
    // The renderer gets no Node, no Electron, only the preload's `invoke`. Written out here (not
    // built by a helper) so that security scanners see every option at the window.
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state?.maximized) win.maximize();
  // Guarded here too (not only by the app-wide rule): a window made before guardAllWebContents is still safe.
  guardWebContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  return win;
}

export function windowState(win: BrowserWindow): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}

/**
 * Sends a command of the shell (shared/contract/shell-commands.ts) into the window's page, which
 * opens the dialog or does what it says (renderer/src/api/shell-commands.ts). Structural, so that
 * tests pass a stand-in window.
 */
export function sendShellCommand(win: { webContents: { send(channel: string, ...args: unknown[]): void } }, command: ShellCommand): void {
  win.webContents.send(SHELL_COMMAND_CHANNEL, command);
}
