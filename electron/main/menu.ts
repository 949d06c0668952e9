import { basename } from 'node:path';
import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { DB_EXTENSION } from '../files/paths';
import { openFilters } from './plan-location';
import { sendShellCommand } from './window';

export interface FileActions {
  open(path: string): Promise<void>;
  create(path: string): Promise<void>;
  saveCopy(path: string): Promise<void>;
  recentFiles(): readonly string[];
}

const filters = [{ name: '計画データベース', extensions: [DB_EXTENSION] }];

/**
 * File paths only ever come from the OS dialogs or the recent list, never from the renderer. What
 * the page does (its dialogs, undo and redo) the menu asks by a shell command (shared/contract/shell-commands.ts).
 */
export function buildMenu(win: BrowserWindow, actions: FileActions): void {
  const report = (e: unknown) => dialog.showErrorBox('計画ワークベンチ', e instanceof Error && 'messageJa' in e ? String((e as { messageJa: unknown }).messageJa) : String(e));
  const guarded = (fn: () => unknown) => async () => {
    try {
      await fn();
    } catch (e) {
      report(e);
    }
  };
  const recent: MenuItemConstructorOptions[] = actions.recentFiles().map((path) => ({ label: basename(path), toolTip: path, click: guarded(() => actions.open(path)) }));
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'ファイル',
      submenu: [
        {
          label: '開く…',
          accelerator: 'CmdOrCtrl+O',
          click: guarded(async () => {
            // A plan file, or a PostgreSQL connection file (*.pgconn) naming a plan on a server.
            const r = await dialog.showOpenDialog(win, { title: '計画データベースを開く', filters: openFilters, properties: ['openFile'] });
            if (!r.canceled && r.filePaths[0]) await actions.open(r.filePaths[0]);
          }),
        },
        {
          label: '新規作成（既定の計画から）…',
          accelerator: 'CmdOrCtrl+N',
          click: guarded(async () => {
            const r = await dialog.showSaveDialog(win, { title: '新しい計画データベース', filters, defaultPath: `計画.${DB_EXTENSION}` });
            if (!r.canceled && r.filePath) await actions.create(r.filePath);
          }),
        },
        {
          label: 'コピーを保存…',
          accelerator: 'CmdOrCtrl+Shift+S',
          click: guarded(async () => {
            const r = await dialog.showSaveDialog(win, { title: 'コピーを保存', filters, defaultPath: `計画のコピー.${DB_EXTENSION}` });
            if (!r.canceled && r.filePath) await actions.saveCopy(r.filePath);
          }),
        },
        { label: '最近使ったファイル', submenu: recent.length ? recent : [{ label: '（なし）', enabled: false }] },
        { type: 'separator' },
        { label: 'バックアップから復元…', click: () => sendShellCommand(win, 'restore') },
        { type: 'separator' },
        { label: 'エクスポート…', accelerator: 'CmdOrCtrl+E', click: () => sendShellCommand(win, 'export') },
        { label: '印刷…', accelerator: 'CmdOrCtrl+P', click: () => sendShellCommand(win, 'print') },
        { type: 'separator' },
        { label: '記入用ブックの作成…', click: () => sendShellCommand(win, 'handout') },
        { label: '取り込み…', accelerator: 'CmdOrCtrl+I', click: () => sendShellCommand(win, 'import') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close', label: '閉じる' } : { role: 'quit', label: '終了' },
      ],
    },
    {
      label: '編集',
      submenu: [
        // Undo/redo of the plan over the change log: the page does it (in a text field, the typing).
        // The page handles the keys itself, so the accelerators are only shown here.
        { label: '元に戻す', accelerator: 'CmdOrCtrl+Z', registerAccelerator: false, click: () => sendShellCommand(win, 'undo') },
        { label: 'やり直し', accelerator: process.platform === 'darwin' ? 'Shift+CmdOrCtrl+Z' : 'CmdOrCtrl+Y', registerAccelerator: false, click: () => sendShellCommand(win, 'redo') },
        { type: 'separator' },
        { role: 'cut', label: '切り取り' },
        { role: 'copy', label: 'コピー' },
        { role: 'paste', label: '貼り付け' },
        { role: 'selectAll', label: 'すべて選択' },
      ],
    },
    {
      label: '表示',
      submenu: [
        { role: 'reload', label: '再読み込み' },
        { role: 'resetZoom', label: '実際のサイズ' },
        { role: 'zoomIn', label: '拡大' },
        { role: 'zoomOut', label: '縮小' },
        { type: 'separator' },
        { role: 'togglefullscreen', label: '全画面表示' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const, label: '開発者ツール' }]),
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
