import { resolve } from 'node:path';
import type { OpenFile } from '../api/protocol';
import { isPostgresLocation } from '../db/db-location';
import { DB_EXTENSION } from '../files/paths';

/**
 * What the shell does with the location of a plan (electron/db/db-location.ts): the File › Open
 * dialog offers plan files and PostgreSQL connection files (`*.pgconn`, which keep the password out
 * of the app's settings and its window), the recent list keeps what can be opened again without
 * revealing a password, and the title shows the display. Structural only: no 'electron' import.
 */

export const PGCONN_EXTENSION = 'pgconn';

/** The File › Open dialog's filters: both kinds together first (the one selected), then each. */
export const openFilters = [
  { name: '計画データベース・PostgreSQL 接続ファイル', extensions: [DB_EXTENSION, PGCONN_EXTENSION] },
  { name: '計画データベース', extensions: [DB_EXTENSION] },
  { name: 'PostgreSQL 接続ファイル', extensions: [PGCONN_EXTENSION] },
];

/**
 * The entry of the recent list for the plan the user opened from `chosen`: a connection file's
 * absolute path (it names the plan and keeps the password to itself), a plan file's real path as
 * the services opened it; nothing for a PostgreSQL URL or `postgres:` (a URL may hold a password:
 * the settings file is no place for it).
 */
export function recentEntryOf(chosen: string, opened: OpenFile): string | null {
  if (!isPostgresLocation(chosen)) return opened.path;
  return chosen.toLowerCase().endsWith(`.${PGCONN_EXTENSION}`) ? resolve(chosen) : null;
}

/** The window's title: the file's name, or the PostgreSQL plan's display (never a password). */
export const windowTitle = (opened: OpenFile) => `計画ワークベンチ — ${opened.fileName}`;
