import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER_NAME = 'Plan Workbench';
export const DB_EXTENSION = 'plandb';
export const DEFAULT_DB_FILE = `plan.${DB_EXTENSION}`;

/**
 * The user data folder, computed as Electron's app.getPath('userData') does, so the command line
 * and the browser mode find the same default database as the app.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.PLAN_WORKBENCH_USER_DATA) return env.PLAN_WORKBENCH_USER_DATA;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER_NAME);
}

export function defaultDatabasePath(dir = userDataDir()): string {
  return join(dir, DEFAULT_DB_FILE);
}
