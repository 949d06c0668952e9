import { BrowserWindow, session } from 'electron';
import type { WindowState } from '../services/app-settings';
import { APP_ORIGIN } from './ipc';

/** Deny every permission request (camera, notifications, …): a plan editor needs none. */
export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
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
  const contents = win.webContents;
  // No window.open, no navigation away from the app.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  return win;
}

export function windowState(win: BrowserWindow): WindowState {
  const b = win.getNormalBounds();
  return { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
}
