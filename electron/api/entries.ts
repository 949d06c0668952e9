import { dirname, extname, join } from 'node:path';

/**
 * Where a thread's or process's entry file is. Built (electron-vite), the entries are .js files side
 * by side in out/main; from the sources (npm run serve, the tests) they are .ts files side by side
 * in electron/api, run through tsx's loader.
 */
export interface EntryPoint {
  path: string;
  /** Node options for a worker thread running it (tsx's loader for a .ts entry when this process lacks it). */
  execArgv?: string[];
}

const hasTsx = () => process.execArgv.some((a) => a.includes('tsx'));

export function entryPoint(path: string): EntryPoint {
  return extname(path) === '.ts' && !hasTsx() ? { path, execArgv: ['--import', 'tsx'] } : { path };
}

/** An entry next to the running one (the same extension: both built or both sources). */
export function siblingEntry(runningFile: string, name: string): EntryPoint {
  return entryPoint(join(dirname(runningFile), `${name}${extname(runningFile)}`));
}
