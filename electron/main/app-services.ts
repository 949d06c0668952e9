import type { HostHandlers } from '../api/protocol';
import { utilityChannel, type UtilityProcessLike } from '../api/service-client';
import { type Services, startServices } from '../api/services';

/**
 * The app's services in an Electron utility process (electron/api/service-process.ts, plain Node):
 * the window's process only passes calls on, so the window stays responsive and can cancel while an
 * import or an export runs. The utility process opens the plan database and so holds its writer
 * lock; the shell's File menu asks it to open, create or copy files (Services.control).
 */

/** What the shell needs of Electron's utilityProcess module (structural: 'electron' stays imported in index.ts only). */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'ignore' | 'pipe' }): UtilityProcessLike;
}

export interface AppServicesOptions {
  /** The built entry, out/main/service-process.js. */
  entry: string;
  appVersion: string;
  userData: string;
  dbPath: string;
  seedsDir: string;
  /** The user said to take over a lock refused with 'lock_unverified' (electron/main/lock-take-over.ts). */
  takeOverLock?: boolean;
  /** The dialogs, printToPDF and printing of the shell (electron/api/host-handlers.ts). */
  host: HostHandlers;
  log: (line: string) => void;
  /** A long call's progress for the taskbar: 0…1, above 1 when unknown (Electron's indeterminate bar), null when none runs. */
  progress?: (fraction: number | null) => void;
}

export function startAppServices(utilityProcess: UtilityProcessModule, options: AppServicesOptions): Promise<Services> {
  return startServices({
    spawn: () => utilityChannel(utilityProcess.fork(options.entry, [], { serviceName: 'Plan Workbench services', stdio: 'inherit' })),
    init: { appVersion: options.appVersion, userData: options.userData, transport: 'ipc' },
    dbPath: options.dbPath,
    seedsDir: options.seedsDir,
    ...(options.takeOverLock ? { takeOverLock: true } : {}),
    host: options.host,
    events: {
      log: options.log,
      ...(options.progress ? { progress: (phase, fraction) => options.progress!(phase === null ? null : (fraction ?? 2)) } : {}),
    },
  });
}
