/**
 * What an import needs from the app's shell: the OS open dialog (part of the host object the entry
 * point hands the services, electron/api/handlers/context.ts). In plain Node (browser mode, command line, tests) there is none: the
 * page uploads the file's bytes instead, and the command line names a path.
 */
export interface ImportHost {
  /** Asks the user for a file to import; null when cancelled. */
  chooseImportFile: (() => Promise<string | null>) | null;
}
