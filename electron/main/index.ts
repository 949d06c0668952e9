import { join } from 'node:path';
import { app, dialog, ipcMain } from 'electron';
import { AppError } from '../../shared/contract/errors';
import { configureImportHost } from '../import/import-host';
import { readSeedDirectory } from '../seed/read-seeds';
import { SettingsStore } from '../services/app-settings';
import { createHandler } from '../services/handlers';
import { DB_EXTENSION, defaultDatabasePath } from '../services/paths';
import { seedsDirectory } from '../services/seeds-location';
import { Workspace } from '../services/workspace';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { registerExportHost } from './print';
import { registerSchemePrivileges, serveRenderer } from './protocol';
import { createMainWindow, denyAllPermissions, windowState } from './window';

registerSchemePrivileges();

/** The first argument that names a plan database file (Windows/Linux file association). */
function planFileIn(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((a) => a.toLowerCase().endsWith(`.${DB_EXTENSION}`));
}

// macOS delivers a double-clicked file before the app is ready.
let pendingOpenFile: string | undefined;
app.once('open-file', (event, path) => {
  event.preventDefault();
  pendingOpenFile = path;
});

if (!app.requestSingleInstanceLock()) app.quit();
else
  start().catch((e: unknown) => {
    // Without a window the process would linger holding the single-instance lock: say why and quit.
    dialog.showErrorBox('計画ワークベンチ', e instanceof AppError ? e.messageJa : `起動できませんでした。\n${String(e)}`);
    app.quit();
  });

async function start(): Promise<void> {
  await app.whenReady();
  const here = import.meta.dirname;
  serveRenderer(join(here, '..', 'renderer'));
  denyAllPermissions();

  const settings = new SettingsStore(app.getPath('userData'));
  const ws = new Workspace(app.getVersion(), app.getPath('userData'));
  const seeds = () => readSeedDirectory(seedsDirectory(app.isPackaged ? process.resourcesPath : undefined));
  const defaultPath = defaultDatabasePath(app.getPath('userData'));
  // A double-clicked .plandb file (file association) comes as an argument; else the last one used.
  const initialPath = planFileIn(process.argv) ?? pendingOpenFile ?? settings.settings.lastOpened ?? defaultPath;
  try {
    await ws.open(initialPath, { createFrom: seeds });
  } catch (e) {
    if (initialPath === defaultPath) {
      dialog.showErrorBox('計画ワークベンチ', e instanceof AppError ? e.messageJa : String(e));
      app.quit();
      return;
    }
    dialog.showErrorBox('計画ワークベンチ', `${e instanceof AppError ? e.messageJa : String(e)}\n既定の計画データベースを開きます。`);
    await ws.open(defaultPath, { createFrom: seeds });
  }
  settings.addRecent(ws.current.path);
  registerIpc(ipcMain, createHandler(ws, 'ipc'));

  const win = createMainWindow(join(here, '..', 'preload', 'index.cjs'), settings.settings.window);
  registerExportHost(win);
  // Files to import come only from the OS open dialog (or the page's own bytes): never a path from the page.
  configureImportHost({
    chooseImportFile: async () => {
      const r = await dialog.showOpenDialog(win, {
        title: '取り込むファイル',
        filters: [{ name: '記入用ブック・計画データベース', extensions: ['xlsx', DB_EXTENSION] }],
        properties: ['openFile'],
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  });
  const refresh = () => {
    settings.addRecent(ws.current.path);
    win.setTitle(`計画ワークベンチ — ${ws.fileName}`);
    buildMenu(win, actions);
    win.webContents.reload();
  };
  const actions = {
    open: async (path: string) => {
      await ws.open(path);
      refresh();
    },
    create: async (path: string) => {
      await ws.create(path, seeds());
      refresh();
    },
    saveCopy: (path: string) => ws.saveCopy(path),
    recentFiles: () => settings.settings.recentFiles,
  };
  buildMenu(win, actions);
  win.setTitle(`計画ワークベンチ — ${ws.fileName}`);
  win.on('close', () => settings.saveWindow(windowState(win)));
  const openReported = (path: string) => void actions.open(path).catch((e: unknown) => dialog.showErrorBox('計画ワークベンチ', e instanceof AppError ? e.messageJa : String(e)));
  app.on('second-instance', (_event, argv) => {
    if (win.isMinimized()) win.restore();
    win.focus();
    const file = planFileIn(argv);
    if (file) openReported(file);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openReported(path);
  });
  app.on('window-all-closed', () => {
    ws.close();
    app.quit();
  });
  await win.loadURL('app://plan/index.html');
}

