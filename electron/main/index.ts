import { join } from 'node:path';
import { app, type BrowserWindow, dialog, ipcMain, utilityProcess } from 'electron';
import { hostHandlersOf } from '../api/host-handlers';
import type { Services } from '../api/services';
import { sweepStaleTemp } from '../files/private-temp';
import { SettingsStore } from '../files/app-settings';
import { asAppError } from '../api/known-failures';
import { createLogFile } from '../api/log-file';
import { DB_EXTENSION, defaultDatabasePath } from '../files/paths';
import { seedsDirectory } from '../files/seeds-location';
import { startAppServices } from './app-services';
import { registerIpc } from './ipc';
import { openAskingToTakeOver, type ShowTakeOverBox } from './lock-take-over';
import { existingPlanFile, openRequestHandler, planFileIn } from './open-request';
import { buildMenu } from './menu';
import { recentEntryOf, windowTitle } from './plan-location';
import { exportHostParts } from './print';
import { registerSchemePrivileges, serveRenderer } from './protocol';
import { createMainWindow, denyAllPermissions, guardAllWebContents, windowState } from './window';

registerSchemePrivileges();
// Before any window: every web contents (the print window, anything made later) gets the same rules.
guardAllWebContents();

/** A failure as the user reads it (a short Japanese message); the English and the stack go to the log file only. */
function userMessage(e: unknown): string {
  const error = asAppError(e);
  createLogFile(app.getPath('userData'))(`[app] ${error.code}: ${error.message}${e instanceof Error && e !== error ? `\n${e.stack ?? ''}` : ''}`);
  return error.messageJa;
}

// macOS delivers a double-clicked file before the app is ready.
let pendingOpenFile: string | undefined;
app.once('open-file', (event, path) => {
  event.preventDefault();
  pendingOpenFile = existingPlanFile(path);
});

if (!app.requestSingleInstanceLock()) app.quit();
else
  start().catch((e: unknown) => {
    // Without a window the process would linger holding the single-instance lock: say why and quit.
    dialog.showErrorBox('計画ワークベンチ', `起動できませんでした。\n${userMessage(e)}`);
    app.quit();
  });

async function start(): Promise<void> {
  await app.whenReady();
  const here = import.meta.dirname;
  serveRenderer(join(here, '..', 'renderer'));
  denyAllPermissions();
  // Temp folders of an earlier run that was killed mid-import or mid-export.
  sweepStaleTemp();

  const settings = new SettingsStore(app.getPath('userData'));
  const seedsDir = seedsDirectory(app.isPackaged ? process.resourcesPath : undefined);
  const defaultPath = defaultDatabasePath(app.getPath('userData'));
  // A double-clicked .plandb file (file association) comes as an argument; else the last one used.
  const initialPath = planFileIn(process.argv) ?? pendingOpenFile ?? settings.settings.lastOpened ?? defaultPath;
  // Host requests come from calls of the page, so only once the window exists.
  const shown: { win?: BrowserWindow } = {};
  const mainWindow = () => shown.win!;
  // Files to import come only from the OS open dialog (or the page's own bytes): never a path from the page.
  const chooseImportFile = async () => {
    const r = await dialog.showOpenDialog(mainWindow(), {
      title: '取り込むファイル',
      filters: [{ name: '記入用ブック・計画データベース', extensions: ['xlsx', DB_EXTENSION] }],
      properties: ['openFile'],
    });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  };
  // A lock nobody can prove stale: the user is asked (on the window once there is one) before it is taken over.
  const showTakeOverBox: ShowTakeOverBox = (options) => (shown.win ? dialog.showMessageBox(shown.win, options) : dialog.showMessageBox(options));
  // The services (and the database's writer lock) live in a utility process: the window never waits on them.
  const startOnce = (dbPath: string, takeOverLock: boolean) =>
    startAppServices(utilityProcess, {
      entry: join(here, 'service-process.js'),
      appVersion: app.getVersion(),
      userData: app.getPath('userData'),
      dbPath,
      seedsDir,
      takeOverLock,
      host: hostHandlersOf({ ...exportHostParts(mainWindow), chooseImportFile }),
      log: createLogFile(app.getPath('userData')),
      progress: (fraction) => shown.win?.setProgressBar(fraction ?? -1),
    });
  /** Null when the user chose not to take over the lock. */
  const startWith = (dbPath: string) => openAskingToTakeOver(dbPath, showTakeOverBox, (takeOverLock) => startOnce(dbPath, takeOverLock));
  let started: Services | null;
  // The location the plan open now was opened from (a plan file, a .pgconn connection file).
  let chosen = initialPath;
  try {
    started = await startWith(initialPath);
    // 開かない on the lock question about the last file: the default database instead.
    if (!started && initialPath !== defaultPath) started = await startWith((chosen = defaultPath));
  } catch (e) {
    if (initialPath === defaultPath) {
      dialog.showErrorBox('計画ワークベンチ', userMessage(e));
      app.quit();
      return;
    }
    dialog.showErrorBox('計画ワークベンチ', `${userMessage(e)}\n既定の計画データベースを開きます。`);
    started = await startWith((chosen = defaultPath));
  }
  if (!started) {
    app.quit();
    return;
  }
  const services = started;
  // A .pgconn file is remembered by its path, a file by its real path; a URL never (it may hold a password).
  const remember = (location: string) => {
    const entry = recentEntryOf(location, services.file);
    if (entry !== null) settings.addRecent(entry);
  };
  remember(chosen);
  registerIpc(ipcMain, services.call);

  const win = createMainWindow(join(here, '..', 'preload', 'index.cjs'), settings.settings.window);
  shown.win = win;
  const refresh = (location: string) => {
    remember(location);
    win.setTitle(windowTitle(services.file));
    buildMenu(win, actions);
    win.webContents.reload();
  };
  const actions = {
    // File › Open (a plan file or a .pgconn connection file), the recent files, a file from another
    // process: a lock nobody can prove stale is asked about. A refusal (a server that does not answer,
    // a wrong password, another application's database, a newer schema) is shown; the plan open stays.
    open: async (path: string) => {
      const opened = await openAskingToTakeOver(path, showTakeOverBox, (takeOverLock) => services.control({ op: 'open', path, ...(takeOverLock ? { takeOverLock } : {}) }));
      if (opened) refresh(path);
    },
    create: async (path: string) => {
      await services.control({ op: 'create', path, seedsDir });
      refresh(path);
    },
    saveCopy: async (path: string) => void (await services.control({ op: 'saveCopy', path })),
    recentFiles: () => settings.settings.recentFiles,
  };
  buildMenu(win, actions);
  win.setTitle(windowTitle(services.file));
  win.on('close', () => settings.saveWindow(windowState(win)));
  // A path from another process (a second start, macOS open-file) is opened only after the user says 開く.
  const openRequest = openRequestHandler({
    window: win,
    showMessageBox: (w, options) => dialog.showMessageBox(win, options),
    currentPath: () => services.file.path,
    open: actions.open,
    report: (e) => dialog.showErrorBox('計画ワークベンチ', userMessage(e)),
  });
  app.on('second-instance', (_event, argv, workingDirectory) => void openRequest(planFileIn(argv, workingDirectory)));
  app.on('open-file', (event, path) => {
    event.preventDefault();
    void openRequest(path);
  });
  app.on('window-all-closed', () => {
    // The services close the database (releasing its lock) before the app ends.
    void services.stop().finally(() => app.quit());
  });
  await win.loadURL('app://plan/index.html');
}

