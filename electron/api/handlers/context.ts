import type { z } from 'zod';
import type { CallControl, CallRegistry } from '../calls';
import type { JobRunner } from '../jobs';
import type { PdfRenderer, SaveDialogRequest } from '../../export/export-host';
import type { Workspace } from '../../workspace/workspace';

/** A feature's method table (shared/contract/methods/<feature>.ts). */
export type MethodTable = Record<string, { args: z.ZodType; result: z.ZodType; description: string }>;

/**
 * What the entry point running the services can do for them that they cannot do themselves: the OS
 * dialogs, Electron's PDF and printing, opening a file with its program. A member is there only where
 * the host can do it (the app's shell has them all; the browser mode only a PDF renderer; tests and
 * the command line what they give), so a service asks `host.print`, never where it runs.
 */
export interface HostAbilities {
  /** Print pages (HTML) to PDF files, one per page. */
  renderPdf?: PdfRenderer;
  /** Asks the user where to save (the OS dialog); null when cancelled. */
  chooseSavePath?: (request: SaveDialogRequest) => Promise<string | null>;
  /** Opens a saved file with the program the OS associates with it. */
  openPath?: (path: string) => Promise<void>;
  /** Prints the page through the OS print dialog (paper of its first sheet); false when the user cancelled. */
  print?: (html: string, options: { pageSize: 'A4' | 'A3'; landscape: boolean }) => Promise<boolean>;
  /** Asks the user for a file to import (the OS open dialog); null when cancelled. */
  chooseImportFile?: () => Promise<string | null>;
}

/** The host object each entry point builds and hands to the services (electron/api/service-host.ts). */
export interface Host extends HostAbilities {
  /**
   * How the page reaches the services. Only `app.info` reads it, to tell the page (which offers
   * downloads and a drop zone in a browser); the services never branch on it: they ask for abilities.
   */
  transport: 'ipc' | 'http';
  /** Also writes the first line of each log entry where whoever started the services reads it (the terminal of `npm run serve`). */
  console?: (line: string) => void;
}

/** What the services need to answer a call. */
export interface ServiceContext {
  ws: Workspace;
  /** What the entry point can do for the services (dialogs, printing…). */
  host: Host;
  /** Where the heavy parts of long calls run (electron/api/jobs.ts). */
  jobs: JobRunner;
  /** The long calls running now, by job key (progress, cancel). */
  calls: CallRegistry;
}

/**
 * The implementations of one feature's methods, typed by its table: parsed arguments in, result
 * out; `call` gives a long call its cancel signal and progress.
 */
export type ImplementationOf<T extends MethodTable> = {
  [M in keyof T]: (args: z.output<T[M]['args']>, call: CallControl) => z.input<T[M]['result']> | Promise<z.input<T[M]['result']>>;
};
