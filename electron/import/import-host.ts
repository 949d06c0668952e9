/**
 * What an import needs from the app's shell: the OS open dialog (the shell fills it in at start,
 * electron/main/index.ts). In plain Node (browser mode, command line, tests) there is none: the
 * page uploads the file's bytes instead, and the command line names a path.
 */
export interface ImportHost {
  /** Asks the user for a file to import; null when cancelled. */
  chooseImportFile: (() => Promise<string | null>) | null;
}

let host: ImportHost = { chooseImportFile: null };

export function configureImportHost(parts: Partial<ImportHost>): void {
  host = { ...host, ...parts };
}

export function importHost(): ImportHost {
  return host;
}
